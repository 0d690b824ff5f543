//! Reading `data:` URLs and the pixel size of images from their headers.
//!
//! Only headers are read (no decoding), which is all the validator needs: format, width and
//! height. TIFF is recognised but its size is not read (its IFD walk is not worth it here).

use base64::Engine as _;

/// A parsed `data:<mime>;base64,<payload>` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataUrl {
    /// Lower-cased media type, e.g. `image/png`.
    pub mime: String,
    /// Decoded payload.
    pub bytes: Vec<u8>,
}

/// Parse a data URL; the error says what is wrong.
pub fn parse_data_url(url: &str) -> Result<DataUrl, String> {
    let rest = url
        .strip_prefix("data:")
        .ok_or("a data URL starts with `data:`")?;
    let (meta, payload) = rest
        .split_once(',')
        .ok_or("a data URL needs a `,` before its payload")?;
    let mut parts = meta.split(';');
    let mime = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    if mime.is_empty() || !mime.contains('/') {
        return Err("a data URL must name its media type, e.g. `data:image/png;base64,…`".into());
    }
    if !parts.any(|p| p.trim().eq_ignore_ascii_case("base64")) {
        return Err("a data URL must be base64-encoded (`;base64,`)".into());
    }
    if payload.is_empty() {
        return Err("the data URL has no payload".into());
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(payload.trim())
        .map_err(|e| format!("the data URL payload is not valid base64: {e}"))?;
    Ok(DataUrl { mime, bytes })
}

/// Image formats the service accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// JPEG.
    Jpeg,
    /// PNG.
    Png,
    /// WebP.
    Webp,
    /// BMP.
    Bmp,
    /// TIFF.
    Tiff,
    /// GIF.
    Gif,
}

impl ImageFormat {
    /// The format a media type names; `None` for one the service does not accept.
    pub fn from_mime(mime: &str) -> Option<Self> {
        Some(match mime {
            "image/jpeg" | "image/jpg" => Self::Jpeg,
            "image/png" => Self::Png,
            "image/webp" => Self::Webp,
            "image/bmp" | "image/x-ms-bmp" => Self::Bmp,
            "image/tiff" => Self::Tiff,
            "image/gif" => Self::Gif,
            _ => return None,
        })
    }
}

/// Format and size read from an image's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    /// Detected format.
    pub format: ImageFormat,
    /// Width and height in pixels, when the header was read.
    pub size: Option<(u32, u32)>,
}

/// Detect the format by magic bytes and read the size; `None` when not a known image.
pub fn sniff(b: &[u8]) -> Option<ImageInfo> {
    let be16 = |i: usize| -> Option<u32> {
        Some(u32::from(u16::from_be_bytes(
            b.get(i..i + 2)?.try_into().ok()?,
        )))
    };
    let le16 = |i: usize| -> Option<u32> {
        Some(u32::from(u16::from_le_bytes(
            b.get(i..i + 2)?.try_into().ok()?,
        )))
    };
    let be32 =
        |i: usize| -> Option<u32> { Some(u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?)) };
    let le24 = |i: usize| -> Option<u32> {
        let s = b.get(i..i + 3)?;
        Some(u32::from(s[0]) | u32::from(s[1]) << 8 | u32::from(s[2]) << 16)
    };
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        let size = (b.get(12..16) == Some(b"IHDR"))
            .then(|| Some((be32(16)?, be32(20)?)))
            .flatten();
        return Some(ImageInfo {
            format: ImageFormat::Png,
            size,
        });
    }
    if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        let size = le16(6).zip(le16(8));
        return Some(ImageInfo {
            format: ImageFormat::Gif,
            size,
        });
    }
    if b.starts_with(b"BM") {
        let w = b
            .get(18..22)
            .map(|s| i32::from_le_bytes(s.try_into().unwrap_or_default()));
        let h = b
            .get(22..26)
            .map(|s| i32::from_le_bytes(s.try_into().unwrap_or_default()));
        let size = w.zip(h).map(|(w, h)| (w.unsigned_abs(), h.unsigned_abs()));
        return Some(ImageInfo {
            format: ImageFormat::Bmp,
            size,
        });
    }
    if b.starts_with(b"II*\0") || b.starts_with(b"MM\0*") {
        return Some(ImageInfo {
            format: ImageFormat::Tiff,
            size: None,
        });
    }
    if b.len() >= 12 && &b[0..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        let size = match b.get(12..16) {
            Some(b"VP8 ") => le16(26)
                .zip(le16(28))
                .map(|(w, h)| (w & 0x3fff, h & 0x3fff)),
            Some(b"VP8L") => b.get(21..25).map(|s| {
                let (b0, b1, b2, b3) = (
                    u32::from(s[0]),
                    u32::from(s[1]),
                    u32::from(s[2]),
                    u32::from(s[3]),
                );
                (
                    1 + (((b1 & 0x3f) << 8) | b0),
                    1 + (((b3 & 0xf) << 10) | (b2 << 2) | ((b1 & 0xc0) >> 6)),
                )
            }),
            Some(b"VP8X") => le24(24).zip(le24(27)).map(|(w, h)| (w + 1, h + 1)),
            _ => None,
        };
        return Some(ImageInfo {
            format: ImageFormat::Webp,
            size,
        });
    }
    if b.starts_with(&[0xff, 0xd8]) {
        return Some(ImageInfo {
            format: ImageFormat::Jpeg,
            size: jpeg_size(b, be16),
        });
    }
    None
}

/// Walk JPEG segments to the first start-of-frame marker.
fn jpeg_size(b: &[u8], be16: impl Fn(usize) -> Option<u32>) -> Option<(u32, u32)> {
    let mut i = 2;
    while i + 4 <= b.len() {
        if b[i] != 0xff {
            return None;
        }
        let marker = b[i + 1];
        if marker == 0xff {
            i += 1; // fill byte
            continue;
        }
        if marker == 0xd8 || (0xd0..=0xd7).contains(&marker) || marker == 0x01 {
            i += 2; // markers without a length
            continue;
        }
        let len = be16(i + 2)? as usize;
        let is_sof = (0xc0..=0xcf).contains(&marker) && !matches!(marker, 0xc4 | 0xc8 | 0xcc);
        if is_sof {
            return Some((be16(i + 7)?, be16(i + 5)?));
        }
        i += 2 + len;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_urls() {
        let d = parse_data_url("data:image/PNG;base64,aGVsbG8=").unwrap();
        assert_eq!(
            (d.mime.as_str(), d.bytes.as_slice()),
            ("image/png", &b"hello"[..])
        );
        assert!(parse_data_url("data:image/png,hello").is_err());
        assert!(parse_data_url("data:;base64,aGVsbG8=").is_err());
        assert!(parse_data_url("data:image/png;base64,@@@").is_err());
        assert!(parse_data_url("data:image/png;base64").is_err());
    }

    #[test]
    fn headers() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&640u32.to_be_bytes());
        png.extend_from_slice(&480u32.to_be_bytes());
        assert_eq!(sniff(&png).unwrap().size, Some((640, 480)));
        let gif = b"GIF89a\x80\x02\xe0\x01";
        assert_eq!(sniff(gif).unwrap().size, Some((640, 480)));
        let jpeg = [
            0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0x01, 0xe0, 0x02, 0x80,
        ];
        assert_eq!(sniff(&jpeg).unwrap().size, Some((640, 480)));
        let mut webp = b"RIFF\0\0\0\0WEBPVP8X\0\0\0\0\0\0\0\0".to_vec();
        webp.extend_from_slice(&[0x7f, 0x02, 0x00, 0xdf, 0x01, 0x00]);
        assert_eq!(sniff(&webp).unwrap().size, Some((640, 480)));
        assert!(sniff(b"hello").is_none());
    }
}
