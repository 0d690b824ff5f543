//! The result files: a real H.264/AAC MP4 and a real PNG, both stamped with the task id.
//!
//! The MP4 is a fixture made once with ffmpeg (see sim/README.md) whose `title` and
//! `comment` tags hold a 24-byte placeholder; serving replaces it with the 24-byte task id,
//! so no box size changes and the file stays valid. The PNG is encoded with the `png` crate:
//! its colours derive from the task id and a `tEXt` chunk carries the id.

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
    let mut raw = Vec::with_capacity((w * 3 * h) as usize);
    for y in 0..h {
        for x in 0..w {
            raw.push(tint[0] ^ (x * 255 / w) as u8);
            raw.push(tint[1] ^ (y * 255 / h) as u8);
            raw.push(tint[2]);
        }
    }
    encode_png(w, h, &raw, task_id)
}

/// An 8-bit RGB PNG (`rgb`: rows without filter bytes) with the task id in a `tEXt` chunk.
fn encode_png(w: u32, h: u32, rgb: &[u8], task_id: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    // Writing to a Vec fails only on a wrong data length, which the callers rule out.
    enc.add_text_chunk(PNG_TEXT_KEY.to_owned(), task_id.to_owned())
        .expect("a Latin-1 keyword and text");
    let mut writer = enc.write_header().expect("a valid header");
    writer.write_image_data(rgb).expect("w × h × 3 bytes");
    writer.finish().expect("in-memory write");
    out
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
