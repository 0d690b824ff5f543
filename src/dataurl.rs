//! `data:` URLs: encoding bytes, reading them back, and what the bytes are.
//!
//! Sniffing and dimensions read only headers, so validation can check an image's pixels and
//! aspect before anything is uploaded without decoding the whole payload.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::{alphabet, Engine as _};

use crate::types::MediaKind;

/// A media format recognised from its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MediaType {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// WebP.
    Webp,
    /// GIF.
    Gif,
    /// BMP.
    Bmp,
    /// TIFF.
    Tiff,
    /// MP3.
    Mp3,
    /// WAV.
    Wav,
    /// MP4.
    Mp4,
    /// QuickTime MOV.
    Mov,
}

impl MediaType {
    /// The canonical MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Png => "image/png",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Webp => "image/webp",
            MediaType::Gif => "image/gif",
            MediaType::Bmp => "image/bmp",
            MediaType::Tiff => "image/tiff",
            MediaType::Mp3 => "audio/mpeg",
            MediaType::Wav => "audio/wav",
            MediaType::Mp4 => "video/mp4",
            MediaType::Mov => "video/quicktime",
        }
    }

    /// A short name for messages (`PNG`, `MP3`, …).
    pub fn name(self) -> &'static str {
        match self {
            MediaType::Png => "PNG",
            MediaType::Jpeg => "JPEG",
            MediaType::Webp => "WebP",
            MediaType::Gif => "GIF",
            MediaType::Bmp => "BMP",
            MediaType::Tiff => "TIFF",
            MediaType::Mp3 => "MP3",
            MediaType::Wav => "WAV",
            MediaType::Mp4 => "MP4",
            MediaType::Mov => "MOV",
        }
    }

    /// Whether it is an image, a video or audio.
    pub fn kind(self) -> MediaKind {
        match self {
            MediaType::Png
            | MediaType::Jpeg
            | MediaType::Webp
            | MediaType::Gif
            | MediaType::Bmp
            | MediaType::Tiff => MediaKind::Image,
            MediaType::Mp3 | MediaType::Wav => MediaKind::Audio,
            MediaType::Mp4 | MediaType::Mov => MediaKind::Video,
        }
    }

    /// The format a MIME type names, accepting common aliases (`image/jpg`, `audio/mp3`,
    /// `audio/x-wav`, …); case-insensitive.
    pub fn from_mime(mime: &str) -> Option<Self> {
        let mime = mime.trim().to_ascii_lowercase();
        Some(match mime.as_str() {
            "image/png" => MediaType::Png,
            "image/jpeg" | "image/jpg" | "image/pjpeg" => MediaType::Jpeg,
            "image/webp" => MediaType::Webp,
            "image/gif" => MediaType::Gif,
            "image/bmp" | "image/x-bmp" | "image/x-ms-bmp" => MediaType::Bmp,
            "image/tiff" | "image/tif" => MediaType::Tiff,
            "audio/mpeg" | "audio/mp3" | "audio/mpeg3" | "audio/x-mpeg-3" => MediaType::Mp3,
            "audio/wav" | "audio/x-wav" | "audio/wave" | "audio/vnd.wave" => MediaType::Wav,
            "video/mp4" => MediaType::Mp4,
            "video/quicktime" | "video/mov" => MediaType::Mov,
            _ => return None,
        })
    }
}

/// Recognise a format from the first bytes (a dozen are enough for all but MP3 with tags).
///
/// ```
/// use seedance::dataurl::{sniff, MediaType};
/// assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(MediaType::Png));
/// assert_eq!(sniff(b"hello"), None);
/// ```
pub fn sniff(bytes: &[u8]) -> Option<MediaType> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    let at = |offset: usize, magic: &[u8]| bytes.get(offset..offset + magic.len()) == Some(magic);
    Some(if starts(b"\x89PNG\r\n\x1a\n") {
        MediaType::Png
    } else if starts(&[0xFF, 0xD8, 0xFF]) {
        MediaType::Jpeg
    } else if starts(b"RIFF") && at(8, b"WEBP") {
        MediaType::Webp
    } else if starts(b"RIFF") && at(8, b"WAVE") {
        MediaType::Wav
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        MediaType::Gif
    } else if starts(b"BM") && bytes.len() >= 26 {
        MediaType::Bmp
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        MediaType::Tiff
    } else if at(4, b"ftyp") {
        if at(8, b"qt  ") {
            MediaType::Mov
        } else {
            MediaType::Mp4
        }
    } else if at(4, b"moov") || at(4, b"mdat") || at(4, b"wide") {
        MediaType::Mov
    } else if starts(b"ID3") || (bytes.len() >= 2 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0) {
        MediaType::Mp3
    } else {
        return None;
    })
}

/// Width and height in pixels of a PNG, JPEG, WebP, GIF, BMP or TIFF, read from its header.
///
/// JPEG needs the bytes up to its frame header, which can sit after large metadata: pass
/// 64 KiB or more. EXIF orientation is not applied (the stored size is reported).
///
/// ```
/// let gif = b"GIF89a\x40\x01\xf0\x00rest";
/// assert_eq!(seedance::dataurl::image_size(gif), Some((320, 240)));
/// ```
pub fn image_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let le16 = |o: usize| Some(u16::from_le_bytes(bytes.get(o..o + 2)?.try_into().ok()?) as u32);
    let be32 = |o: usize| Some(u32::from_be_bytes(bytes.get(o..o + 4)?.try_into().ok()?));
    let le32 = |o: usize| Some(u32::from_le_bytes(bytes.get(o..o + 4)?.try_into().ok()?));
    let le24 = |o: usize| {
        let b = bytes.get(o..o + 3)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], 0]))
    };
    let size = match sniff(bytes)? {
        MediaType::Png => (be32(16)?, be32(20)?),
        MediaType::Gif => (le16(6)?, le16(8)?),
        MediaType::Bmp => {
            let w = le32(18)? as i32;
            let h = le32(22)? as i32;
            (w.unsigned_abs(), h.unsigned_abs())
        }
        MediaType::Webp => match bytes.get(12..16)? {
            b"VP8 " => (le16(26)? & 0x3FFF, le16(28)? & 0x3FFF),
            b"VP8L" => {
                let bits = le32(21)?;
                ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
            }
            b"VP8X" => (le24(24)? + 1, le24(27)? + 1),
            _ => return None,
        },
        MediaType::Jpeg => jpeg_size(bytes)?,
        MediaType::Tiff => tiff_size(bytes)?,
        _ => return None,
    };
    (size.0 > 0 && size.1 > 0).then_some(size)
}

fn jpeg_size(b: &[u8]) -> Option<(u32, u32)> {
    let mut i = 2;
    loop {
        // Markers may be preceded by any number of 0xFF fill bytes.
        while *b.get(i)? != 0xFF {
            i += 1;
        }
        while *b.get(i)? == 0xFF {
            i += 1;
        }
        let marker = *b.get(i)?;
        i += 1;
        if marker == 0x01 || (0xD0..=0xD9).contains(&marker) {
            continue; // standalone markers have no length
        }
        let len = u16::from_be_bytes([*b.get(i)?, *b.get(i + 1)?]) as usize;
        let is_sof = (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            let h = u16::from_be_bytes([*b.get(i + 3)?, *b.get(i + 4)?]) as u32;
            let w = u16::from_be_bytes([*b.get(i + 5)?, *b.get(i + 6)?]) as u32;
            return Some((w, h));
        }
        if len < 2 {
            return None;
        }
        i += len;
    }
}

fn tiff_size(b: &[u8]) -> Option<(u32, u32)> {
    let little = b.starts_with(b"II");
    let u16_at = |o: usize| {
        let s: [u8; 2] = b.get(o..o.checked_add(2)?)?.try_into().ok()?;
        Some(if little {
            u16::from_le_bytes(s)
        } else {
            u16::from_be_bytes(s)
        })
    };
    let u32_at = |o: usize| {
        let s: [u8; 4] = b.get(o..o.checked_add(4)?)?.try_into().ok()?;
        Some(if little {
            u32::from_le_bytes(s)
        } else {
            u32::from_be_bytes(s)
        })
    };
    let ifd = u32_at(4)? as usize;
    let count = u16_at(ifd)? as usize;
    let (mut w, mut h) = (None, None);
    for k in 0..count.min(256) {
        let e = ifd.checked_add(2 + k * 12)?;
        let tag = u16_at(e)?;
        let value = match u16_at(e.checked_add(2)?)? {
            3 => u16_at(e.checked_add(8)?)? as u32,
            4 => u32_at(e.checked_add(8)?)?,
            _ => continue,
        };
        match tag {
            256 => w = Some(value),
            257 => h = Some(value),
            _ => {}
        }
    }
    Some((w?, h?))
}

/// The length in seconds of a PCM WAV, from its header; `None` when it can't be read.
pub fn wav_duration(bytes: &[u8]) -> Option<f64> {
    if sniff(bytes)? != MediaType::Wav {
        return None;
    }
    // Offsets in u64: a chunk length near 4 GiB must not wrap a 32-bit usize (wasm32).
    let mut i: u64 = 12;
    let mut byte_rate = None;
    loop {
        let at = usize::try_from(i).ok()?;
        let header = bytes.get(at..at.checked_add(8)?)?;
        let len = u32::from_le_bytes(header[4..8].try_into().ok()?) as u64;
        if &header[..4] == b"fmt " {
            let rate = bytes.get(at.checked_add(16)?..at.checked_add(20)?)?;
            byte_rate = Some(u32::from_le_bytes(rate.try_into().ok()?));
        } else if &header[..4] == b"data" {
            let rate = byte_rate.filter(|r| *r > 0)?;
            return Some(len as f64 / rate as f64);
        }
        i = i.checked_add(8 + len + (len & 1))?;
    }
}

/// Encode bytes as a `data:<mime>;base64,…` URL.
///
/// ```
/// assert_eq!(seedance::dataurl::encode(b"hi", "text/plain"), "data:text/plain;base64,aGk=");
/// ```
pub fn encode(bytes: &[u8], mime: &str) -> String {
    let mut out = String::with_capacity(13 + mime.len() + bytes.len().div_ceil(3) * 4);
    out.push_str("data:");
    out.push_str(mime);
    out.push_str(";base64,");
    encode_part(bytes, &mut out);
    out
}

/// Append the base64 of `bytes` to `out`: a data URL's payload a piece at a time, so a large
/// file never has to sit whole in memory (the JS `toDataUrl` reads a `Blob` this way).
///
/// Pieces join into the payload of their concatenation when every piece but the last has a
/// length that is a multiple of 3 (only the last may end in `=` padding).
///
/// ```
/// use seedance::dataurl::{encode, encode_part};
/// let mut url = String::from("data:text/plain;base64,");
/// encode_part(b"abc", &mut url);
/// encode_part(b"de", &mut url);
/// assert_eq!(url, encode(b"abcde", "text/plain"));
/// ```
pub fn encode_part(bytes: &[u8], out: &mut String) {
    STANDARD.encode_string(bytes, out);
}

/// The MIME type a data URL of these bytes gets, sniffed from its first bytes (a dozen are
/// enough for all but MP3 with tags), with the errors of [`encode_sniffed`].
pub fn sniffed_mime(bytes: &[u8]) -> Result<&'static str, DataUrlError> {
    match sniff(bytes) {
        Some(t) if t.kind() != MediaKind::Video => Ok(t.mime()),
        Some(t) => Err(DataUrlError::VideoBytes { format: t.name() }),
        None => Err(DataUrlError::UnknownBytes),
    }
}

/// Encode bytes as a data URL, with the MIME type sniffed from the bytes.
///
/// Errors: [`DataUrlError::UnknownBytes`] when the bytes are no image or audio format the
/// API takes (PNG, JPEG, WebP, GIF, BMP, TIFF, MP3, WAV); [`DataUrlError::VideoBytes`] for
/// video, which can't be sent as a data URL. Both become
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) for field `bytes` with `?`.
///
/// ```
/// let err = seedance::dataurl::encode_sniffed(b"plain text").unwrap_err();
/// assert!(err.to_string().contains("not a PNG, JPEG"));
/// assert!(seedance::Error::from(err).to_string().starts_with("invalid bytes: "));
/// ```
pub fn encode_sniffed(bytes: &[u8]) -> Result<String, DataUrlError> {
    Ok(encode(bytes, sniffed_mime(bytes)?))
}

/// Decodes what `parse` accepts: padded or not, and non-zero trailing bits (which some
/// encoders leave) are ignored rather than refused.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A parsed `data:` URL, borrowing from the string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DataUrl<'a> {
    /// The MIME type as written (may be empty).
    pub mime: &'a str,
    /// The base64 payload.
    pub payload: &'a str,
}

/// Why a string is not a usable base64 `data:` URL, or bytes can't become one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DataUrlError {
    /// It does not start with `data:`.
    #[error("does not start with `data:`")]
    NotDataUrl,
    /// There is no `,` before the payload.
    #[error("has no `,` between the header and the data")]
    MissingComma,
    /// The header does not say `;base64`.
    #[error("is not base64 (the header must end with `;base64`)")]
    NotBase64,
    /// The header names no MIME type.
    #[error("names no MIME type (`data:image/png;base64,…`)")]
    MissingMime,
    /// Nothing after the comma.
    #[error("has no data after the comma")]
    Empty,
    /// A character outside standard base64 or a misplaced `=`.
    #[error("has a character that is not standard base64 at payload offset {offset}")]
    BadBase64 {
        /// Where in the payload.
        offset: usize,
    },
    /// The payload length is not possible for base64.
    #[error("has a base64 payload of impossible length {len}")]
    BadLength {
        /// The payload length.
        len: usize,
    },
    /// Bytes to encode are a video, which the API takes only by URL.
    #[error("{format} video can't be sent as a data URL; upload it and pass its https:// or asset:// URL")]
    VideoBytes {
        /// The video format found (`MP4`, `QuickTime`, …).
        format: &'static str,
    },
    /// Bytes to encode are no image or audio format the API takes.
    #[error("not a PNG, JPEG, WebP, GIF, BMP, TIFF, MP3 or WAV file (checked by its first bytes)")]
    UnknownBytes,
}

impl DataUrlError {
    /// Whether this is about bytes to encode ([`encode_sniffed`]) rather than a URL to read.
    pub fn is_about_bytes(&self) -> bool {
        matches!(
            self,
            DataUrlError::VideoBytes { .. } | DataUrlError::UnknownBytes
        )
    }
}

/// Parse a base64 `data:` URL, checking every payload character (no decoding).
///
/// ```
/// let url = seedance::dataurl::parse("data:image/png;base64,iVBORw0KGgo=").unwrap();
/// assert_eq!(url.mime, "image/png");
/// assert_eq!(url.decoded_len(), 8);
/// ```
pub fn parse(url: &str) -> Result<DataUrl<'_>, DataUrlError> {
    let rest = url
        .get(..5)
        .filter(|p| p.eq_ignore_ascii_case("data:"))
        .map(|_| &url[5..])
        .ok_or(DataUrlError::NotDataUrl)?;
    let (header, payload) = rest.split_once(',').ok_or(DataUrlError::MissingComma)?;
    let mut params = header.split(';');
    let mime = params.next().unwrap_or("").trim();
    if !params.any(|p| p.trim().eq_ignore_ascii_case("base64")) {
        return Err(DataUrlError::NotBase64);
    }
    if mime.is_empty() {
        return Err(DataUrlError::MissingMime);
    }
    if payload.is_empty() {
        return Err(DataUrlError::Empty);
    }
    check_base64(payload)?;
    Ok(DataUrl { mime, payload })
}

fn check_base64(p: &str) -> Result<(), DataUrlError> {
    let bytes = p.as_bytes();
    let body_len = bytes.len()
        - bytes
            .iter()
            .rev()
            .take(2)
            .take_while(|&&c| c == b'=')
            .count();
    if let Some(offset) = bytes[..body_len]
        .iter()
        .position(|&c| !(c.is_ascii_alphanumeric() || c == b'+' || c == b'/'))
    {
        return Err(DataUrlError::BadBase64 { offset });
    }
    let padded = body_len != bytes.len();
    if (padded && !bytes.len().is_multiple_of(4)) || body_len % 4 == 1 {
        return Err(DataUrlError::BadLength { len: bytes.len() });
    }
    Ok(())
}

impl DataUrl<'_> {
    /// The size of the decoded bytes, computed from the payload length.
    pub fn decoded_len(&self) -> usize {
        let p = self.payload.as_bytes();
        let body = p.len() - p.iter().rev().take(2).take_while(|&&c| c == b'=').count();
        body / 4 * 3 + (body % 4).saturating_sub(1)
    }

    /// Decode at most the first `max` bytes (rounded up to a whole base64 group): enough to
    /// sniff the format and read an image's size without decoding a 30 MB payload.
    pub fn decode_prefix(&self, max: usize) -> Vec<u8> {
        let payload = self.payload.as_bytes();
        let end = max.div_ceil(3).saturating_mul(4).min(payload.len());
        // Empty when the payload is not base64 (only possible for a hand-built `DataUrl`).
        LENIENT.decode(&payload[..end]).unwrap_or_default()
    }

    /// Decode the whole payload.
    pub fn decode(&self) -> Vec<u8> {
        self.decode_prefix(self.payload.len())
    }

    /// The format the MIME type names, if it is one the API knows.
    pub fn media_type(&self) -> Option<MediaType> {
        MediaType::from_mime(self.mime)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_and_lengths() {
        for n in 0..20usize {
            let bytes: Vec<u8> = (0..n as u8).collect();
            let url = encode(&bytes, "image/png");
            if n == 0 {
                assert_eq!(parse(&url), Err(DataUrlError::Empty));
                continue;
            }
            let parsed = parse(&url).unwrap();
            assert_eq!(parsed.decoded_len(), n);
            assert_eq!(parsed.decode(), bytes);
            assert_eq!(parsed.decode_prefix(3), bytes[..n.min(3)].to_vec());
            assert_eq!(parsed.decode_prefix(usize::MAX), bytes);
        }
        // Non-canonical trailing bits decode instead of coming back empty.
        assert_eq!(parse("data:a/b;base64,aGl=").unwrap().decode(), b"hi");
        assert_eq!(parse("data:a/b;base64,aGk").unwrap().decode(), b"hi");
    }

    #[test]
    fn pieces_join_into_the_whole() {
        let bytes: Vec<u8> = (0..200u8).collect();
        for piece in [3, 6, 99, 198] {
            let mut url = String::from("data:a/b;base64,");
            for chunk in bytes.chunks(piece) {
                encode_part(chunk, &mut url);
            }
            assert_eq!(url, encode(&bytes, "a/b"), "pieces of {piece}");
        }
    }

    #[test]
    fn hostile_headers_end_without_hanging_or_panicking() {
        // A WAV chunk whose length would wrap a 32-bit offset.
        let mut wav = b"RIFF\0\0\0\0WAVEJUNK".to_vec();
        wav.extend([0xF8, 0xFF, 0xFF, 0xFF]);
        wav.extend([0u8; 32]);
        assert_eq!(wav_duration(&wav), None);
        // A TIFF whose first IFD offset is near the end of the address space.
        let mut tiff = b"II*\0".to_vec();
        tiff.extend(u32::MAX.to_le_bytes());
        assert_eq!(image_size(&tiff), None);
    }

    #[test]
    fn parse_errors() {
        assert_eq!(parse("https://x"), Err(DataUrlError::NotDataUrl));
        assert_eq!(
            parse("data:image/png;base64"),
            Err(DataUrlError::MissingComma)
        );
        assert_eq!(parse("data:image/png,abc"), Err(DataUrlError::NotBase64));
        assert_eq!(parse("data:;base64,aGk="), Err(DataUrlError::MissingMime));
        assert_eq!(
            parse("data:image/png;base64,aG k="),
            Err(DataUrlError::BadBase64 { offset: 2 })
        );
        assert_eq!(
            parse("data:image/png;base64,a-_b"),
            Err(DataUrlError::BadBase64 { offset: 1 })
        );
        assert_eq!(
            parse("data:image/png;base64,aGk=="),
            Err(DataUrlError::BadLength { len: 5 })
        );
        assert_eq!(
            parse("data:image/png;base64,aGlhb"),
            Err(DataUrlError::BadLength { len: 5 })
        );
        assert!(parse("DATA:image/png;base64,aGk").is_ok());
    }
}
