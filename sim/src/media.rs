//! The result files: a real H.264/AAC MP4 and a real PNG, both stamped with the task id.
//!
//! The MP4 is a fixture made once with ffmpeg (see sim/README.md) whose `title` and
//! `comment` tags hold a 24-byte placeholder; serving replaces it with the 24-byte task id,
//! so no box size changes and the file stays valid. The PNG is encoded here (stored deflate,
//! hand-rolled CRC-32 and Adler-32): its colours derive from the task id and a `tEXt` chunk
//! carries the id.

/// The fixture MP4 (160×90, 3 s, H.264 baseline + AAC-LC mono, faststart).
pub const SAMPLE_MP4: &[u8] = include_bytes!("../fixtures/sample.mp4");
/// The placeholder inside [`SAMPLE_MP4`]'s metadata.
pub const MP4_PLACEHOLDER: &[u8; 24] = b"SEEDANCE_SIM_TASK_ID_XXX";
/// Size of the last-frame PNG: the video's size.
pub const FRAME_SIZE: (u32, u32) = (160, 90);
/// `tEXt` keyword under which the PNG carries the task id.
pub const PNG_TEXT_KEY: &str = "seedance-task-id";

/// The MP4 for `task_id` (the id replaces the placeholder; ids are 24 bytes).
pub fn mp4_for(task_id: &str) -> Vec<u8> {
    let mut out = SAMPLE_MP4.to_vec();
    let id = task_id.as_bytes();
    if id.len() != MP4_PLACEHOLDER.len() {
        return out; // not an id we made; leave the placeholder rather than break the file
    }
    let mut i = 0;
    while let Some(pos) = find(&out[i..], MP4_PLACEHOLDER) {
        let at = i + pos;
        out[at..at + id.len()].copy_from_slice(id);
        i = at + id.len();
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The last-frame PNG for `task_id`: a gradient tinted by the id, with a `tEXt` chunk.
pub fn png_for(task_id: &str) -> Vec<u8> {
    let (w, h) = FRAME_SIZE;
    let tint = fnv1a(task_id.as_bytes()).to_be_bytes();
    let mut raw = Vec::with_capacity(((w * 3 + 1) * h) as usize);
    for y in 0..h {
        raw.push(0); // filter: none
        for x in 0..w {
            raw.push(tint[0] ^ (x * 255 / w) as u8);
            raw.push(tint[1] ^ (y * 255 / h) as u8);
            raw.push(tint[2]);
        }
    }
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB, deflate, no filter, no interlace
    let mut text = PNG_TEXT_KEY.as_bytes().to_vec();
    text.push(0);
    text.extend_from_slice(task_id.as_bytes());

    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"tEXt", &text);
    chunk(&mut png, b"IDAT", &zlib_stored(&raw));
    chunk(&mut png, b"IEND", &[]);
    png
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A zlib stream of stored (uncompressed) deflate blocks.
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = data.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        out.push(u8::from(i + 1 == blocks.len())); // BFINAL on the last block, BTYPE=00
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

/// CRC-32 (IEEE), bitwise: the PNG is small, speed does not matter.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in data {
        a = (a + u32::from(x)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

fn fnv1a(data: &[u8]) -> u32 {
    data.iter().fold(0x811c_9dc5u32, |h, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_of_known_input() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
    }

    #[test]
    fn fixture_has_the_placeholder() {
        assert!(find(SAMPLE_MP4, MP4_PLACEHOLDER).is_some());
        let id = "cgt-20260606160057-6bbjd";
        let mp4 = mp4_for(id);
        assert_eq!(mp4.len(), SAMPLE_MP4.len());
        assert!(find(&mp4, MP4_PLACEHOLDER).is_none());
        assert!(find(&mp4, id.as_bytes()).is_some());
    }

    #[test]
    fn pngs_differ_per_task() {
        let a = png_for("cgt-20260606160057-aaaaa");
        let b = png_for("cgt-20260606160057-bbbbb");
        assert_ne!(a, b);
        assert!(find(&a, b"seedance-task-id\0cgt-20260606160057-aaaaa").is_some());
    }
}
