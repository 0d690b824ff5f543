//! The result files: a real MP4 that lasts the task's duration and a PNG of its last frame.
//!
//! Each task's clip is built on demand (a 15 s clip takes well under a millisecond) by
//! writing the bitstreams directly, with no fixture and no ffmpeg: a flat colour derived
//! from the task id, `width`×`height` from the task's ratio (every side ≥ 300 px, so the
//! last frame is a valid first frame for a next task), 24 fps H.264 Constrained Baseline
//! (`h264`: one IDR a second, the other frames fully skipped) and, when the task has
//! `generate_audio`, silent AAC-LC (`aac`), muxed by `mp4` with `moov` first. Clips of one
//! ratio share their SPS/PPS, so they can be joined without re-encoding. The task id is in
//! the MP4's `title`/`comment` tags and in the PNG's `tEXt` chunk `seedance-task-id`; the
//! PNG is the clip's last frame (same size, same colour as a player shows it).

mod aac;
mod bits;
mod h264;
mod mp4;

pub use h264::Yuv;

/// Frames per second of every clip.
pub const FPS: u32 = h264::FPS;
/// `tEXt` keyword under which the PNG carries the task id.
pub const PNG_TEXT_KEY: &str = "seedance-task-id";

/// Frame size per ratio: small, every side ≥ 300 px, even (H.264 crops to it).
pub const FRAME_SIZES: [(&str, u32, u32); 6] = [
    ("16:9", 640, 360),
    ("9:16", 360, 640),
    ("1:1", 480, 480),
    ("4:3", 480, 360),
    ("3:4", 360, 480),
    ("21:9", 840, 360),
];

/// What a task's result clip looks like; everything the bytes depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Clip {
    /// Display width, px.
    pub width: u32,
    /// Display height, px.
    pub height: u32,
    /// Whole seconds (the task's reported `duration`).
    pub seconds: u32,
    /// An AAC track (the task's `generate_audio`).
    pub audio: bool,
    /// The colour of every frame.
    pub colour: Yuv,
}

impl Clip {
    /// The clip of a task: `ratio` as the task reports it (never `adaptive`; an unknown
    /// ratio gets 16:9's size).
    pub fn for_task(task_id: &str, ratio: &str, seconds: u32, audio: bool) -> Self {
        let (_, width, height) = FRAME_SIZES
            .iter()
            .copied()
            .find(|(r, _, _)| *r == ratio)
            .unwrap_or(FRAME_SIZES[0]);
        Self {
            width,
            height,
            seconds,
            audio,
            colour: colour_for(task_id),
        }
    }

    /// Frames in the clip: 24 a second.
    pub fn frames(&self) -> u32 {
        self.seconds * FPS
    }

    /// The MP4 (`title`/`comment` = `task_id`).
    pub fn mp4(&self, task_id: &str) -> Vec<u8> {
        let g = h264::Geometry {
            width: self.width,
            height: self.height,
        };
        let mut samples = Vec::with_capacity(self.frames() as usize);
        let mut sync = Vec::new();
        for i in 0..self.frames() {
            let in_gop = i % FPS;
            let nal = if in_gop == 0 {
                sync.push(i + 1);
                h264::idr(g, self.colour, (i / FPS) % 2)
            } else {
                h264::skipped(g, in_gop)
            };
            // AVCC: each NAL unit behind its 4-byte length.
            let mut sample = (nal.len() as u32).to_be_bytes().to_vec();
            sample.extend_from_slice(&nal);
            samples.push(sample);
        }
        let mut tracks = vec![mp4::video_track(
            self.width as u16,
            self.height as u16,
            h264::sps(g),
            h264::pps(),
            samples,
            sync,
            FPS,
        )];
        if self.audio {
            tracks.push(silent_audio(self.seconds));
        }
        mp4::write(&tracks, task_id)
    }

    /// The last frame as an 8-bit RGB PNG with a `tEXt` chunk holding `task_id`.
    pub fn last_frame_png(&self, task_id: &str) -> Vec<u8> {
        let rgb = self.colour.to_rgb();
        let pixels = rgb.repeat((self.width * self.height) as usize);
        encode_png(self.width, self.height, &pixels, task_id)
    }
}

/// Silence lasting exactly `seconds`: whole AAC frames, the last one's duration cut so the
/// track ends with the video (its extra samples are silent and never played).
fn silent_audio(seconds: u32) -> mp4::Track {
    let total = seconds * aac::SAMPLE_RATE;
    let n = total.div_ceil(aac::FRAME_SAMPLES);
    let frame = aac::silent_frame();
    let mut durations = vec![aac::FRAME_SAMPLES; n as usize];
    if let Some(last) = durations.last_mut() {
        *last = total - (n - 1) * aac::FRAME_SAMPLES;
    }
    mp4::Track {
        kind: mp4::Kind::Audio {
            channels: aac::CHANNELS,
            sample_rate: aac::SAMPLE_RATE,
            config: aac::audio_specific_config().to_vec(),
        },
        timescale: aac::SAMPLE_RATE,
        samples: vec![frame; n as usize],
        durations,
        sync: None,
    }
}

/// The colour of a task's clip, derived from its id: an RGB colour with every channel in
/// 32..=223 (so two tasks rarely look alike and none clips), stored as the BT.601 samples
/// a decoder turns back into (almost exactly) that colour.
pub fn colour_for(task_id: &str) -> Yuv {
    let h = fnv1a(task_id.as_bytes()).to_be_bytes();
    let [r, g, b] = [h[0], h[1], h[2]].map(|v| 32.0 + f64::from(v % 192));
    Yuv::from_rgb(r, g, b)
}

/// An 8-bit RGB PNG (`rgb`: rows without filter bytes) with the task id in a `tEXt` chunk.
fn encode_png(w: u32, h: u32, rgb: &[u8], task_id: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    // Writing to a Vec fails only on a wrong data length, which the caller rules out.
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

    fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
        hay.windows(needle.len()).position(|w| w == needle)
    }

    #[test]
    fn sizes_follow_the_ratio() {
        for (ratio, w, h) in FRAME_SIZES {
            assert!(w >= 300 && h >= 300 && w % 2 == 0 && h % 2 == 0, "{ratio}");
            let (a, b) = ratio.split_once(':').unwrap();
            let want = a.parse::<f64>().unwrap() / b.parse::<f64>().unwrap();
            assert!(
                (f64::from(w) / f64::from(h) / want - 1.0).abs() < 0.01,
                "{ratio}"
            );
        }
    }

    #[test]
    fn clips_carry_the_id_and_differ_per_task() {
        let a = "cgt-20260606160057-aaaaa";
        let b = "cgt-20260606160057-bbbbb";
        let ca = Clip::for_task(a, "16:9", 5, true);
        let cb = Clip::for_task(b, "16:9", 5, true);
        assert_ne!(ca.colour, cb.colour);
        let mp4 = ca.mp4(a);
        assert_eq!(&mp4[4..8], b"ftyp");
        assert!(find(&mp4, b"moov").unwrap() < find(&mp4, b"mdat").unwrap());
        assert!(find(&mp4, a.as_bytes()).is_some());
        assert!(find(
            &ca.last_frame_png(a),
            b"seedance-task-id\0cgt-20260606160057-aaaaa"
        )
        .is_some());
    }

    #[test]
    fn a_long_clip_is_small_and_quick() {
        let clip = Clip::for_task("cgt-20260606160057-aaaaa", "21:9", 15, true);
        let t = std::time::Instant::now();
        let mp4 = clip.mp4("cgt-20260606160057-aaaaa");
        let took = t.elapsed();
        assert!(mp4.len() < 64 * 1024, "{} bytes", mp4.len());
        // Generous for a debug build on a loaded machine; a release build takes ~0.1 ms.
        assert!(took.as_millis() < 200, "{took:?}");
    }
}
