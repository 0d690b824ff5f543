//! What bytes are, from their first bytes: format, image size, WAV duration.

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
