//! What the result files hold, checked with ffprobe/ffmpeg as a player would see them: an
//! MP4 that lasts the task's duration at 24 fps in its ratio's size, with audio exactly
//! when the task has it, that decodes without a single complaint; a PNG that is its last
//! frame; one codec configuration per ratio (so clips can be joined without re-encoding).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

use crate::common::*;

/// Run a tool of the ffmpeg package; a missing tool fails the test with what to install.
fn tool(name: &str, args: &[&str]) -> std::process::Output {
    Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("{name} is needed for this test ({e}): install Debian's ffmpeg (run scripts/setup, or `apt-get install -y ffmpeg`)")
    })
}

fn ffprobe(path: &Path) -> Value {
    let p = path.to_str().unwrap();
    let out = tool(
        "ffprobe",
        &[
            "-v",
            "error",
            "-show_streams",
            "-show_format",
            "-of",
            "json",
            p,
        ],
    );
    assert!(
        out.status.success(),
        "ffprobe failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("ffprobe JSON")
}

/// Decode every stream to nowhere; ffmpeg's complaints, if any (`-v error`).
fn decode_errors(path: &Path) -> String {
    let out = tool(
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
    );
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// RGB24 pixels of an image, or of a video's last frame, as ffmpeg decodes them.
fn rgb24(path: &Path, last_frame: bool) -> Vec<u8> {
    let p = path.to_str().unwrap();
    let mut args = vec!["-v", "error"];
    if last_frame {
        args.extend(["-sseof", "-0.1"]);
    }
    args.extend([
        "-i",
        p,
        "-frames:v",
        "1",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "-",
    ]);
    let out = tool("ffmpeg", &args);
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "ffmpeg: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn save(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("seedance-sim-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// A finished task made from `fields` (merged into a text-to-video body), its JSON, and its
/// video and last frame saved to files.
async fn finished(h: &Harness, fields: Value) -> (Value, PathBuf, PathBuf) {
    let mut body = json!({"model": FAST, "content": [{"type": "text", "text": "x"}], "return_last_frame": true});
    for (k, v) in fields.as_object().unwrap() {
        body[k] = v.clone();
    }
    let id = h.create_with(body).await;
    let task = h.wait_for(&id, "succeeded").await;
    let fetch = |key: &str| h.target_of(task["content"][key].as_str().unwrap());
    let video = h.send("GET", &fetch("video_url"), &[], None).await;
    let frame = h.send("GET", &fetch("last_frame_url"), &[], None).await;
    assert_eq!((video.status, frame.status), (200, 200));
    let mp4 = save(&format!("{id}.mp4"), &video.body);
    let png = save(&format!("{id}.png"), &frame.body);
    (task, mp4, png)
}

fn stream<'a>(probe: &'a Value, kind: &str) -> Option<&'a Value> {
    probe["streams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["codec_type"] == kind)
}

fn seconds(v: &Value) -> f64 {
    v.as_str().and_then(|s| s.parse().ok()).unwrap_or(f64::NAN)
}

#[tokio::test]
async fn each_clip_lasts_the_task_duration_at_24_fps_in_its_ratio_size() {
    let h = instant().await;
    for (fields, ratio, (w, hgt)) in [
        (json!({"ratio": "16:9", "duration": 4}), "16:9", (640, 360)),
        (
            json!({"ratio": "9:16", "duration": 15, "generate_audio": false}),
            "9:16",
            (360, 640),
        ),
        (json!({"ratio": "1:1", "duration": 7}), "1:1", (480, 480)),
        (
            json!({"ratio": "4:3", "duration": 5, "generate_audio": false}),
            "4:3",
            (480, 360),
        ),
        (json!({"ratio": "3:4", "duration": 6}), "3:4", (360, 480)),
        (json!({"ratio": "21:9", "duration": 11}), "21:9", (840, 360)),
        // Adaptive without an image reports 16:9, and -1 a length the model chose.
        (json!({"duration": -1}), "16:9", (640, 360)),
    ] {
        let (task, mp4, _) = finished(&h, fields.clone()).await;
        let id = task["id"].as_str().unwrap();
        assert_eq!(task["ratio"], ratio, "{fields}");
        let duration = task["duration"].as_u64().unwrap();
        let audio = task["generate_audio"].as_bool().unwrap();
        let probe = ffprobe(&mp4);
        let v = stream(&probe, "video").unwrap_or_else(|| panic!("no video: {probe}"));
        assert_eq!(v["codec_name"], "h264", "{fields}");
        assert_eq!(v["pix_fmt"], "yuv420p", "{fields}");
        assert_eq!(
            (v["width"].as_u64(), v["height"].as_u64()),
            (Some(w), Some(hgt)),
            "{fields}"
        );
        assert_eq!(v["r_frame_rate"], "24/1", "{fields}");
        assert_eq!(v["avg_frame_rate"], "24/1", "{fields}");
        assert_eq!(v["nb_frames"], (24 * duration).to_string(), "{fields}");
        let want = duration as f64;
        for d in [
            seconds(&v["duration"]),
            seconds(&probe["format"]["duration"]),
        ] {
            assert!(
                (d - want).abs() <= 1.0 / 24.0,
                "{fields}: {d} s, not {want}"
            );
        }
        match stream(&probe, "audio") {
            Some(a) => {
                assert!(audio, "{fields}: an audio track without generate_audio");
                assert_eq!(
                    (a["codec_name"].as_str(), a["profile"].as_str()),
                    (Some("aac"), Some("LC"))
                );
                let d = seconds(&a["duration"]);
                assert!((d - want).abs() <= 1.0 / 24.0, "{fields}: audio {d} s");
            }
            None => assert!(!audio, "{fields}: generate_audio but no audio track"),
        }
        assert_eq!(
            probe["format"]["tags"]["comment"], id,
            "the id in the metadata"
        );
        assert_eq!(decode_errors(&mp4), "", "{fields}: ffmpeg complains");
        // Progressive: the index comes before the media data.
        let bytes = std::fs::read(&mp4).unwrap();
        let at = |b: &[u8]| bytes.windows(4).position(|w| w == b).unwrap();
        assert!(at(b"moov") < at(b"mdat"), "{fields}: moov after mdat");
    }
}

#[tokio::test]
async fn the_png_is_the_clips_last_frame_and_each_task_has_its_own_colour() {
    let h = instant().await;
    let mut colours = Vec::new();
    for ratio in ["16:9", "16:9", "21:9"] {
        let (task, mp4, png) = finished(&h, json!({"ratio": ratio, "duration": 4})).await;
        let id = task["id"].as_str().unwrap();
        let video = stream(&ffprobe(&mp4), "video").unwrap().clone();
        let image = ffprobe(&png)["streams"][0].clone();
        assert_eq!(image["codec_name"], "png");
        assert_eq!(
            (image["width"].as_u64(), image["height"].as_u64()),
            (video["width"].as_u64(), video["height"].as_u64()),
            "the PNG has the video's size"
        );
        let last = rgb24(&mp4, true);
        let still = rgb24(&png, false);
        assert_eq!(last.len(), still.len());
        let worst = last
            .iter()
            .zip(&still)
            .map(|(a, b)| a.abs_diff(*b))
            .max()
            .unwrap();
        assert!(
            worst <= 3,
            "{id}: the PNG differs from the last frame by up to {worst}"
        );
        let needle = format!("seedance-task-id\0{id}");
        let bytes = std::fs::read(&png).unwrap();
        assert!(
            bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
            "tEXt chunk with the id"
        );
        colours.push(last[..3].to_vec());
    }
    assert_ne!(colours[0], colours[1], "two tasks, two colours");
}

/// The bytes of the `avcC` box (SPS and PPS) of an MP4.
fn avc_config(mp4: &Path) -> Vec<u8> {
    let bytes = std::fs::read(mp4).unwrap();
    let at = bytes
        .windows(4)
        .position(|w| w == b"avcC")
        .expect("an avcC box")
        - 4;
    let len = u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
    bytes[at..at + len].to_vec()
}

#[tokio::test]
async fn clips_of_one_ratio_share_their_codec_configuration() {
    let h = instant().await;
    let (_, a, _) = finished(&h, json!({"ratio": "16:9", "duration": 4})).await;
    let (_, b, _) = finished(
        &h,
        json!({"ratio": "16:9", "duration": 9, "generate_audio": false}),
    )
    .await;
    let (_, c, _) = finished(&h, json!({"ratio": "9:16", "duration": 4})).await;
    assert_eq!(avc_config(&a), avc_config(&b), "same ratio, same SPS/PPS");
    assert_ne!(avc_config(&a), avc_config(&c), "another size, another SPS");
}
