//! Small, well-formed media headers for tests, built byte by byte so each test says exactly
//! what the file claims (size, format) without shipping binary fixtures.
#![allow(dead_code)]

use seedance::dataurl;

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend((data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend(kind);
    out.extend(data);
    let crc = crc32fast::hash(&out[start..]);
    out.extend(crc.to_be_bytes());
}

/// A PNG signature and IHDR (and an empty IEND): enough for every header reader.
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    png_chunk(&mut out, b"IHDR", &ihdr);
    png_chunk(&mut out, b"IEND", &[]);
    out
}

/// A JPEG with an APP1 segment of `metadata` bytes before its frame header.
pub fn jpeg(w: u16, h: u16, metadata: usize) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    out.extend([0xFF, 0xE0, 0x00, 0x10]);
    out.extend(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    let mut left = metadata;
    while left > 0 {
        let n = left.min(65_000);
        out.extend([0xFF, 0xE1]);
        out.extend(((n + 2) as u16).to_be_bytes());
        out.extend(std::iter::repeat_n(0x45u8, n));
        left -= n;
    }
    out.extend([0xFF, 0xC0, 0x00, 0x11, 0x08]);
    out.extend(h.to_be_bytes());
    out.extend(w.to_be_bytes());
    out.extend([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    out.extend([0xFF, 0xD9]);
    out
}

pub fn gif(w: u16, h: u16) -> Vec<u8> {
    let mut out = b"GIF89a".to_vec();
    out.extend(w.to_le_bytes());
    out.extend(h.to_le_bytes());
    out.extend([0, 0, 0, 0x3B]);
    out
}

pub fn bmp(w: i32, h: i32) -> Vec<u8> {
    let mut out = b"BM".to_vec();
    out.extend(54u32.to_le_bytes());
    out.extend([0; 4]);
    out.extend(54u32.to_le_bytes());
    out.extend(40u32.to_le_bytes());
    out.extend(w.to_le_bytes());
    out.extend(h.to_le_bytes());
    out.extend([1, 0, 24, 0]);
    out.extend([0; 24]);
    out
}

fn riff(form: &[u8; 4], chunks: &[u8]) -> Vec<u8> {
    let mut out = b"RIFF".to_vec();
    out.extend(((chunks.len() + 4) as u32).to_le_bytes());
    out.extend(form);
    out.extend(chunks);
    out
}

/// Lossy WebP (`VP8 `).
pub fn webp_vp8(w: u16, h: u16) -> Vec<u8> {
    let mut chunk = b"VP8 ".to_vec();
    chunk.extend(10u32.to_le_bytes());
    chunk.extend([0x30, 0x01, 0x00, 0x9D, 0x01, 0x2A]);
    chunk.extend(w.to_le_bytes());
    chunk.extend(h.to_le_bytes());
    riff(b"WEBP", &chunk)
}

/// Lossless WebP (`VP8L`).
pub fn webp_vp8l(w: u32, h: u32) -> Vec<u8> {
    let mut chunk = b"VP8L".to_vec();
    chunk.extend(5u32.to_le_bytes());
    chunk.push(0x2F);
    let bits = (w - 1) | ((h - 1) << 14);
    chunk.extend(bits.to_le_bytes());
    riff(b"WEBP", &chunk)
}

/// Extended WebP (`VP8X`).
pub fn webp_vp8x(w: u32, h: u32) -> Vec<u8> {
    let mut chunk = b"VP8X".to_vec();
    chunk.extend(10u32.to_le_bytes());
    chunk.extend([0; 4]);
    chunk.extend(&(w - 1).to_le_bytes()[..3]);
    chunk.extend(&(h - 1).to_le_bytes()[..3]);
    riff(b"WEBP", &chunk)
}

/// A TIFF with ImageWidth (LONG) and ImageLength (SHORT) tags.
pub fn tiff(w: u32, h: u16, little: bool) -> Vec<u8> {
    let u16b = |v: u16| {
        if little {
            v.to_le_bytes()
        } else {
            v.to_be_bytes()
        }
    };
    let u32b = |v: u32| {
        if little {
            v.to_le_bytes()
        } else {
            v.to_be_bytes()
        }
    };
    let mut out = if little {
        b"II*\0".to_vec()
    } else {
        b"MM\0*".to_vec()
    };
    out.extend(u32b(8));
    out.extend(u16b(2));
    out.extend(u16b(256));
    out.extend(u16b(4));
    out.extend(u32b(1));
    out.extend(u32b(w));
    out.extend(u16b(257));
    out.extend(u16b(3));
    out.extend(u32b(1));
    out.extend(u16b(h));
    out.extend([0, 0]);
    out.extend(u32b(0));
    out
}

/// A PCM WAV of `seconds` of silence at 8 kHz mono 8-bit (8000 bytes a second).
pub fn wav(seconds: f64) -> Vec<u8> {
    let data_len = (seconds * 8000.0) as u32;
    let mut chunks = b"fmt ".to_vec();
    chunks.extend(16u32.to_le_bytes());
    chunks.extend(1u16.to_le_bytes());
    chunks.extend(1u16.to_le_bytes());
    chunks.extend(8000u32.to_le_bytes());
    chunks.extend(8000u32.to_le_bytes());
    chunks.extend(1u16.to_le_bytes());
    chunks.extend(8u16.to_le_bytes());
    chunks.extend(b"data");
    chunks.extend(data_len.to_le_bytes());
    chunks.extend(std::iter::repeat_n(0x80u8, data_len as usize));
    riff(b"WAVE", &chunks)
}

/// An MP3 frame header (MPEG-1 layer III, 128 kbit/s) after an ID3 tag.
pub fn mp3() -> Vec<u8> {
    let mut out = b"ID3\x04\0\0\0\0\0\0".to_vec();
    out.extend([0xFF, 0xFB, 0x90, 0x64]);
    out.extend([0; 413]);
    out
}

/// The start of an MP4 (`ftyp` box).
pub fn mp4() -> Vec<u8> {
    let mut out = 24u32.to_be_bytes().to_vec();
    out.extend(b"ftypisom\0\0\x02\0isomiso2");
    out
}

pub fn png_url(w: u32, h: u32) -> String {
    dataurl::encode(&png(w, h), "image/png")
}
