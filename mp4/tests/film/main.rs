//! The joiner against ffmpeg: clips made by ffmpeg at test time, films checked by ffmpeg
//! and ffprobe as a user would see them (decode errors, durations, colours at the seams,
//! audio against video, silence, refusals). Needs ffmpeg and ffprobe on PATH.

mod clips;
mod rewrite;

use std::sync::OnceLock;

use clips::*;

const RATE: u32 = 48000;
/// One AAC frame: the most the sound may be off the picture at a seam.
const FRAME: i64 = 1024;

struct Set {
    dir: Dir,
    specs: Vec<Spec>,
    clips: Vec<Vec<u8>>,
    /// Where each clip's burst starts when the clip is decoded alone.
    onsets: Vec<usize>,
}

/// Five 2-second clips in different colours, each with its own burst; clip 1 has its moov
/// at the end.
fn five() -> &'static Set {
    static SET: OnceLock<Set> = OnceLock::new();
    SET.get_or_init(|| {
        let dir = Dir::new("five");
        let specs: Vec<Spec> = [
            ("red", 1000),
            ("green", 2000),
            ("blue", 3000),
            ("yellow", 4000),
            ("white", 5000),
        ]
        .into_iter()
        .enumerate()
        .map(|(k, (color, burst))| Spec {
            faststart: k != 1,
            ..Spec::new(color, burst)
        })
        .collect();
        let clips: Vec<Vec<u8>> = specs
            .iter()
            .enumerate()
            .map(|(k, s)| make(&dir, &format!("c{k}.mp4"), s))
            .collect();
        let onsets = (0..clips.len())
            .map(|k| burst_onset(&pcm(&dir.path(&format!("c{k}.mp4"))), 0, RATE))
            .collect();
        Set {
            dir,
            specs,
            clips,
            onsets,
        }
    })
}

fn assert_near(what: &str, got: f64, want: f64, tolerance: f64) {
    assert!(
        (got - want).abs() <= tolerance,
        "{what}: {got} s, want {want} ± {tolerance} s"
    );
}

/// Check that the burst of each clip `k` (a clip of `set`) is where the clip puts it.
fn assert_in_sync(film_pcm: &[i16], clips: &[usize], set: &Set) {
    let offsets: Vec<i64> = (0..clips.len())
        .map(|k| {
            let want = (k as f64 * SECONDS) as i64 * i64::from(RATE) + set.onsets[clips[k]] as i64;
            burst_onset(film_pcm, k, RATE) as i64 - want
        })
        .collect();
    eprintln!("sound against picture, samples per clip: {offsets:?}");
    for (k, off) in offsets.iter().enumerate() {
        assert!(
            off.abs() <= FRAME,
            "clip {k}: sound {off} samples off the picture (limit {FRAME})"
        );
    }
}

#[test]
fn five_clips_make_one_film_with_continuous_picture_and_sound() {
    let set = five();
    let film = join(&set.dir, "film.mp4", &set.clips.iter().collect::<Vec<_>>());
    assert_eq!(
        top_level(&std::fs::read(&film).unwrap()),
        ["ftyp", "moov", "mdat"]
    );
    assert_eq!(decode_errors(&film), "");

    let seams = (set.clips.len() - 1) as f64;
    let total = set.clips.len() as f64 * SECONDS;
    let (format, video, audio) = durations(&film);
    assert_near("container duration", format, total, seams / FPS);
    assert_near("video duration", video, total, seams / FPS);
    assert_near(
        "audio duration",
        audio.expect("an audio stream"),
        total,
        seams / FPS,
    );

    for k in 1..set.clips.len() {
        let seam = k as f64 * SECONDS;
        // The last frame of clip k-1 is shown from seam - 1/24 s, the first of clip k at seam.
        let (before, after) = (rgb_at(&film, seam - 0.06), rgb_at(&film, seam - 0.02));
        assert!(
            close(before, rgb_of(set.specs[k - 1].color)),
            "before seam {k}: {before:?}"
        );
        assert!(
            close(after, rgb_of(set.specs[k].color)),
            "after seam {k}: {after:?}"
        );
    }
    assert_in_sync(&pcm(&film), &[0, 1, 2, 3, 4], set);
}

#[test]
fn a_clip_with_another_video_timescale_joins_on_the_same_timeline() {
    let set = five();
    let extra = &["-video_track_timescale", "90000"];
    let other = make(
        &set.dir,
        "90k.mp4",
        &Spec {
            extra,
            ..set.specs[1].clone()
        },
    );
    let film = join(
        &set.dir,
        "90k-film.mp4",
        &[&set.clips[0], &other, &set.clips[2]],
    );
    assert_eq!(decode_errors(&film), "");
    let (format, video, audio) = durations(&film);
    for (what, d) in [
        ("container", format),
        ("video", video),
        ("audio", audio.unwrap()),
    ] {
        assert_near(what, d, 3.0 * SECONDS, 2.0 / FPS);
    }
    for k in 1..3 {
        let seam = k as f64 * SECONDS;
        assert!(
            close(rgb_at(&film, seam - 0.06), rgb_of(set.specs[k - 1].color)),
            "before seam {k}"
        );
        assert!(
            close(rgb_at(&film, seam - 0.02), rgb_of(set.specs[k].color)),
            "after seam {k}"
        );
    }
    assert_in_sync(&pcm(&film), &[0, 1, 2], set);
}

#[test]
fn sound_does_not_drift_over_thirty_clips() {
    let set = five();
    let film = join(&set.dir, "thirty.mp4", &[&set.clips[1]; 30]);
    let samples = pcm(&film);
    assert_in_sync(&samples, &[1; 30], set);
    let (_, video, audio) = durations(&film);
    assert_near("audio against video", audio.unwrap(), video, 1.0 / FPS);
}

#[test]
fn a_clip_without_sound_gets_silent_aac_frames() {
    let set = five();
    let quiet = make(
        &set.dir,
        "quiet.mp4",
        &Spec {
            burst: None,
            ..Spec::new("black", 0)
        },
    );
    let film = join(
        &set.dir,
        "quiet-film.mp4",
        &[&set.clips[0], &quiet, &set.clips[2]],
    );
    assert_eq!(decode_errors(&film), "");
    let silent_frames = audio_packet_sizes(&film)
        .iter()
        .filter(|&&n| n == 4)
        .count();
    assert!(silent_frames > 90, "{silent_frames} silent frames");
    let samples = pcm(&film);
    let (from, to) = (
        (SECONDS * 48000.0) as usize,
        (2.0 * SECONDS * 48000.0) as usize,
    );
    // The decoder blends one frame on either side with the neighbours' sound.
    let zeros = samples[from + 2 * FRAME as usize..to - 2 * FRAME as usize]
        .iter()
        .all(|&s| s == 0);
    assert!(zeros, "the silent clip decodes to zeros");
    // Between the two clips' tones: the silent clip's length, to within a frame.
    let run = longest_quiet_run(&samples) as i64;
    let want = (SECONDS * f64::from(RATE)) as i64;
    eprintln!("silence between the tones: {run} samples");
    assert!(
        (run - want).abs() <= FRAME,
        "{run} samples of silence for a {want}-sample clip"
    );
    let onset = burst_onset(&samples, 2, RATE) as i64 - (to as i64 + set.onsets[2] as i64);
    assert!(
        onset.abs() <= FRAME,
        "the clip after the silence is {onset} samples off"
    );
    assert_in_sync(&samples[..to], &[0], set);

    // A film that starts without sound.
    let film = join(&set.dir, "quiet-first.mp4", &[&quiet, &set.clips[3]]);
    assert_eq!(decode_errors(&film), "");
    let samples = pcm(&film);
    assert!(samples[..from - 2 * FRAME as usize].iter().all(|&s| s == 0));
    let onset = burst_onset(&samples, 1, RATE) as i64 - (from as i64 + set.onsets[3] as i64);
    assert!(
        onset.abs() <= FRAME,
        "the clip after the silence is {onset} samples off"
    );
}

#[test]
fn where_the_moov_is_and_how_wide_chunk_offsets_are_do_not_change_the_film() {
    let set = five();
    let at_end = make(
        &set.dir,
        "c0-end.mp4",
        &Spec {
            faststart: false,
            ..set.specs[0].clone()
        },
    );
    assert_eq!(top_level(&at_end), ["ftyp", "free", "mdat", "moov"]);
    let wide = rewrite::stco_to_co64(&at_end);
    let join = |first: &[u8]| seedance_mp4::concat(&[first, &set.clips[1]]).unwrap();
    let film = join(&set.clips[0]);
    assert!(join(&at_end) == film, "moov at the end gives the same film");
    assert!(join(&wide) == film, "co64 gives the same film");
}

#[test]
fn clips_that_cannot_be_joined_are_refused_by_name() {
    let set = five();
    let message = |clips: &[&[u8]]| seedance_mp4::concat(clips).unwrap_err().to_string();
    let (c0, c1) = (set.clips[0].as_slice(), set.clips[1].as_slice());

    let square = make(
        &set.dir,
        "square.mp4",
        &Spec {
            size: "480x480",
            ..set.specs[0].clone()
        },
    );
    let m = message(&[c0, &square]);
    assert!(
        m.starts_with("clip 1 has different video from clip 0 (480×480 vs 640×360)"),
        "{m}"
    );

    let refs = make(
        &set.dir,
        "refs.mp4",
        &Spec {
            extra: &["-refs", "1"],
            ..set.specs[0].clone()
        },
    );
    let m = message(&[c0, c1, &refs]);
    assert!(
        m.starts_with("clip 2 has different video from clip 0 (PPS differs)"),
        "{m}"
    );
    let fps = make(
        &set.dir,
        "30fps.mp4",
        &Spec {
            extra: &["-r", "30"],
            ..set.specs[0].clone()
        },
    );
    let m = message(&[c0, &fps]);
    assert!(
        m.starts_with("clip 1 has different video from clip 0 (SPS differs)"),
        "{m}"
    );

    let cd = make(
        &set.dir,
        "44k.mp4",
        &Spec {
            rate: 44100,
            ..set.specs[0].clone()
        },
    );
    let m = message(&[c0, c1, &cd]);
    assert!(
        m.starts_with("clip 2 has different audio from clip 0 (44100 Hz vs 48000 Hz)"),
        "{m}"
    );

    // Clip 1 has its moov at the end: cut short, it has no index.
    let m = message(&[c0, &c1[..c1.len() / 2]]);
    assert!(
        m.starts_with("clip 1 is truncated (its mdat box ends at byte"),
        "{m}"
    );
    let m = message(&[&c0[..c0.len() - 100], c1]);
    assert!(
        m.starts_with("clip 0 is truncated (its sample data runs to byte"),
        "{m}"
    );

    let m = message(&[c0, c1, b"<!doctype html><p>Gone"]);
    assert!(
        m.starts_with("clip 2 is not an MP4 file (it is text starting \"<!doctype html><\""),
        "{m}"
    );

    let extra = &["-movflags", "frag_keyframe+empty_moov"];
    let fragmented = make(
        &set.dir,
        "frag.mp4",
        &Spec {
            faststart: false,
            extra,
            ..set.specs[0].clone()
        },
    );
    let m = message(&[&fragmented]);
    assert!(m.starts_with("clip 0 uses fragmented MP4"), "{m}");
}
