//! Test clips made by ffmpeg at test time (deterministic: one thread, fixed sources), and
//! what ffmpeg/ffprobe see in a film: decode errors, durations, colours, decoded audio.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A scratch directory under Cargo's target directory, emptied when made.
pub struct Dir(pub PathBuf);

impl Dir {
    pub fn new(name: &str) -> Dir {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("seedance-mp4-{name}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }

    pub fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }
}

/// Run a tool and return its stdout; fail loudly if it is missing or fails.
pub fn run(tool: &str, args: &[&str]) -> (Vec<u8>, String) {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} is needed by these tests and could not be run ({e}): install ffmpeg (apt-get install ffmpeg)")
    });
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{tool} {args:?} failed: {stderr}");
    (out.stdout, stderr)
}

/// How to make one 2-second clip.
#[derive(Clone)]
pub struct Spec {
    pub color: &'static str,
    pub size: &'static str,
    /// A 20 ms burst at this frequency, 1 s into the clip, over a quiet 300 Hz tone;
    /// `None`: no audio track.
    pub burst: Option<u32>,
    pub rate: u32,
    pub faststart: bool,
    pub extra: &'static [&'static str],
}

pub const SECONDS: f64 = 2.0;
pub const FPS: f64 = 24.0;

impl Spec {
    pub fn new(color: &'static str, burst: u32) -> Spec {
        Spec {
            color,
            size: "640x360",
            burst: Some(burst),
            rate: 48000,
            faststart: true,
            extra: &[],
        }
    }
}

/// Make a clip with ffmpeg and return its bytes.
pub fn make(dir: &Dir, name: &str, s: &Spec) -> Vec<u8> {
    let video = format!("color=c={}:s={}:r={FPS}:d={SECONDS}", s.color, s.size);
    let mut args: Vec<String> = ["-v", "error", "-y", "-f", "lavfi", "-i", &video]
        .map(String::from)
        .to_vec();
    if let Some(f) = s.burst {
        let audio = format!(
            "aevalsrc=0.1*sin(2*PI*300*t)+0.5*sin(2*PI*{f}*t)*between(t\\,1\\,1.02):s={}:d={SECONDS}",
            s.rate
        );
        args.extend(["-f", "lavfi", "-i", &audio].map(String::from));
    }
    let codec = "-c:v libx264 -profile:v high -bf 2 -pix_fmt yuv420p -threads 1 -fflags +bitexact";
    args.extend(codec.split(' ').map(String::from));
    if s.burst.is_some() {
        let rate = s.rate.to_string();
        args.extend(["-c:a", "aac", "-ac", "1", "-ar", &rate, "-shortest"].map(String::from));
    }
    if s.faststart {
        args.extend(["-movflags", "+faststart"].map(String::from));
    }
    args.extend(s.extra.iter().map(|a| a.to_string()));
    let path = dir.path(name);
    args.push(path.to_str().unwrap().into());
    run(
        "ffmpeg",
        &args.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    std::fs::read(path).unwrap()
}

/// Join clips and write the film to `dir/name`.
pub fn join(dir: &Dir, name: &str, clips: &[&Vec<u8>]) -> PathBuf {
    let refs: Vec<&[u8]> = clips.iter().map(|c| c.as_slice()).collect();
    let film = seedance_mp4::concat(&refs).unwrap_or_else(|e| panic!("concat failed: {e}"));
    let path = dir.path(name);
    std::fs::write(&path, film).unwrap();
    path
}

/// What `ffmpeg -v error` says while decoding every stream (nothing, for a good file).
pub fn decode_errors(path: &Path) -> String {
    run(
        "ffmpeg",
        &[
            "-v",
            "error",
            "-i",
            path.to_str().unwrap(),
            "-f",
            "null",
            "-",
        ],
    )
    .1
}

/// Durations in seconds: (container, video stream, audio stream if any).
pub fn durations(path: &Path) -> (f64, f64, Option<f64>) {
    let args = [
        "-v",
        "error",
        "-show_entries",
        "format=duration:stream=codec_type,duration",
        "-of",
        "csv=p=0",
    ];
    let (out, _) = run("ffprobe", &[&args[..], &[path.to_str().unwrap()]].concat());
    let text = String::from_utf8(out).unwrap();
    let (mut format, mut video, mut audio) = (None, None, None);
    for line in text.lines() {
        match line.split(',').collect::<Vec<_>>()[..] {
            ["video", d] => video = d.parse().ok(),
            ["audio", d] => audio = d.parse().ok(),
            [d] => format = d.parse().ok(),
            _ => {}
        }
    }
    (format.unwrap(), video.unwrap(), audio)
}

/// The colour (top-left pixel) of the first frame shown at or after `t` seconds.
pub fn rgb_at(path: &Path, t: f64) -> [u8; 3] {
    let t = format!("{t:.3}");
    let args = [
        "-v",
        "error",
        "-ss",
        &t,
        "-i",
        path.to_str().unwrap(),
        "-frames:v",
        "1",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "-",
    ];
    let (out, _) = run("ffmpeg", &args);
    [out[0], out[1], out[2]]
}

/// Named colours as ffmpeg's `color` source draws them.
pub fn rgb_of(color: &str) -> [u8; 3] {
    match color {
        "red" => [255, 0, 0],
        "green" => [0, 128, 0],
        "blue" => [0, 0, 255],
        "yellow" => [255, 255, 0],
        "white" => [255, 255, 255],
        "black" => [0, 0, 0],
        _ => panic!("no RGB for {color}"),
    }
}

pub fn close(a: [u8; 3], b: [u8; 3]) -> bool {
    a.iter().zip(b).all(|(&x, y)| x.abs_diff(y) <= 12)
}

/// The decoded audio, mono 16-bit at 48 kHz, exactly as the decoder outputs it.
pub fn pcm(path: &Path) -> Vec<i16> {
    let args = [
        "-v",
        "error",
        "-i",
        path.to_str().unwrap(),
        "-map",
        "0:a",
        "-f",
        "s16le",
        "-ac",
        "1",
        "-",
    ];
    let (out, _) = run("ffmpeg", &args);
    out.chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect()
}

/// The first sample of the burst in clip `k` of a film of 2-second clips.
pub fn burst_onset(pcm: &[i16], k: usize, rate: u32) -> usize {
    let rate = rate as f64;
    let from = ((k as f64 * SECONDS + 0.5) * rate) as usize;
    let to = (((k as f64 * SECONDS + 1.5) * rate) as usize).min(pcm.len());
    (from..to)
        .find(|&i| pcm[i].unsigned_abs() > 11_000)
        .unwrap_or_else(|| panic!("no burst in clip {k}"))
}

/// The length of the longest stretch of near-silence (under a tenth of the quiet tone).
pub fn longest_quiet_run(pcm: &[i16]) -> usize {
    let (mut best, mut run) = (0, 0);
    for &s in pcm {
        run = if s.unsigned_abs() < 300 { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// The sizes of the audio packets of a film.
pub fn audio_packet_sizes(path: &Path) -> Vec<usize> {
    let args = [
        "-v",
        "error",
        "-select_streams",
        "a",
        "-show_entries",
        "packet=size",
        "-of",
        "csv=p=0",
    ];
    let (out, _) = run("ffprobe", &[&args[..], &[path.to_str().unwrap()]].concat());
    // A packet with side data (the priming to skip) prints as `size,` and an empty line.
    let text = String::from_utf8(out).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.trim_end_matches(',').parse().unwrap())
        .collect()
}

/// The top-level box types of an MP4, in order.
pub fn top_level(bytes: &[u8]) -> Vec<String> {
    let (mut pos, mut out) = (0usize, Vec::new());
    while pos + 8 <= bytes.len() {
        let size = u32::from_be_bytes(bytes[pos..pos + 4].try_into().unwrap()) as usize;
        out.push(String::from_utf8_lossy(&bytes[pos + 4..pos + 8]).into_owned());
        pos += if size == 0 { bytes.len() } else { size };
    }
    out
}
