//! Signed result URLs and the media behind them: real, playable, different per task.

use std::process::Command;

use serde_json::{json, Value};

use crate::common::*;

async fn finished(h: &Harness, prompt: &str) -> (String, Value) {
    let id = h
        .create_with(json!({"model": FAST, "content": [{"type": "text", "text": prompt}], "return_last_frame": true}))
        .await;
    let t = h.wait_for(&id, "succeeded").await;
    (id, t)
}

fn query_param<'a>(url: &'a str, name: &str) -> &'a str {
    url.split_once('?')
        .unwrap()
        .1
        .split('&')
        .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("{name} missing from {url}"))
}

#[tokio::test]
async fn video_url_is_fetchable_with_a_plain_get() {
    let h = instant().await;
    let (id, t) = finished(&h, "x").await;
    let url = t["content"]["video_url"].as_str().unwrap();
    assert!(
        url.starts_with(&format!("{}/tos/{id}.mp4?", h.base())),
        "{url}"
    );
    assert_eq!(query_param(url, "X-Tos-Algorithm"), "TOS4-HMAC-SHA256");
    assert_eq!(query_param(url, "X-Tos-Expires"), "86400");
    assert_eq!(query_param(url, "X-Tos-Date").len(), 16);
    assert_eq!(query_param(url, "X-Tos-Signature").len(), 64);
    let r = h.send("GET", &h.target_of(url), &[], None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("video/mp4"));
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(&r.body[4..8], b"ftyp");
    let png = t["content"]["last_frame_url"].as_str().unwrap();
    let r = h.send("GET", &h.target_of(png), &[], None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("image/png"));
    assert!(r.body.starts_with(b"\x89PNG\r\n\x1a\n"));
}

#[tokio::test]
async fn a_signed_url_with_an_authorization_header_is_rejected() {
    let h = instant().await;
    let (_, t) = finished(&h, "x").await;
    let target = h.target_of(t["content"]["video_url"].as_str().unwrap());
    let r = h
        .send(
            "GET",
            &target,
            &[("Authorization", &format!("Bearer {KEY}"))],
            None,
        )
        .await;
    assert_eq!(r.status, 400);
    let v = r.json();
    assert_eq!(v["Code"], "InvalidArgument");
    assert!(
        v["Message"]
            .as_str()
            .unwrap()
            .contains("Only one auth mechanism"),
        "{v}"
    );
}

#[tokio::test]
async fn unsigned_tampered_and_foreign_urls_are_403() {
    let h = instant().await;
    let (id, t) = finished(&h, "x").await;
    let target = h.target_of(t["content"]["video_url"].as_str().unwrap());

    let r = h.send("GET", &format!("/tos/{id}.mp4"), &[], None).await;
    assert_eq!(
        (r.status, r.json()["Code"].as_str()),
        (403, Some("AccessDenied"))
    );

    let longer = target.replace("X-Tos-Expires=86400", "X-Tos-Expires=999999");
    let r = h.send("GET", &longer, &[], None).await;
    assert_eq!(
        (r.status, r.json()["Code"].as_str()),
        (403, Some("SignatureDoesNotMatch"))
    );

    // Another task's signature does not open this task's video.
    let (other, _) = finished(&h, "y").await;
    let swapped = target.replace(&id, &other);
    let r = h.send("GET", &swapped, &[], None).await;
    assert_eq!(r.status, 403);
}

#[tokio::test]
async fn expired_urls_are_403_and_a_later_get_signs_anew() {
    let h = instant().await;
    let (id, _) = finished(&h, "x").await;
    // A lifetime of 0 s: dead on arrival.
    h.control("POST", "/config", Some(json!({"url_ttl_secs": 0})))
        .await;
    let t = h.get_task(&id).await;
    let dead = t["content"]["video_url"].as_str().unwrap();
    assert_eq!(query_param(dead, "X-Tos-Expires"), "0");
    let r = h.send("GET", &h.target_of(dead), &[], None).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["Message"], "Request has expired");

    h.control("POST", "/config", Some(json!({"url_ttl_secs": 3600})))
        .await;
    let fresh = h.get_task(&id).await["content"]["video_url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(query_param(&fresh, "X-Tos-Expires"), "3600");
    assert_eq!(
        h.send("GET", &h.target_of(&fresh), &[], None).await.status,
        200
    );
}

#[tokio::test]
async fn byte_ranges_and_head() {
    let h = instant().await;
    let (_, t) = finished(&h, "x").await;
    let target = h.target_of(t["content"]["video_url"].as_str().unwrap());
    let whole = h.send("GET", &target, &[], None).await.body;
    let r = h
        .send("GET", &target, &[("Range", "bytes=0-99")], None)
        .await;
    assert_eq!(r.status, 206);
    assert_eq!(r.body, whole[..100]);
    assert_eq!(
        r.header("content-range"),
        Some(format!("bytes 0-99/{}", whole.len()).as_str())
    );
    let r = h
        .send(
            "GET",
            &target,
            &[("Range", &format!("bytes={}-", whole.len()))],
            None,
        )
        .await;
    assert_eq!(r.status, 416);
    let r = h.send("HEAD", &target, &[], None).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-length"),
        Some(whole.len().to_string().as_str())
    );
    assert_eq!(r.header("accept-ranges"), Some("bytes"));
}

fn ffprobe(path: &std::path::Path) -> Value {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-show_streams", "-show_format", "-of", "json"])
        .arg(path)
        .output()
        .unwrap_or_else(|e| {
            panic!("ffprobe is needed for this test ({e}): install Debian's ffmpeg (run scripts/setup, or `apt-get install -y ffmpeg`)")
        });
    assert!(
        out.status.success(),
        "ffprobe failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("ffprobe JSON")
}

fn save(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("seedance-sim-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[tokio::test]
async fn the_mp4_is_h264_and_aac_with_the_task_id_in_its_metadata() {
    let h = instant().await;
    let (a, ta) = finished(&h, "x").await;
    let (b, tb) = finished(&h, "y").await;
    let get = |t: &Value| h.target_of(t["content"]["video_url"].as_str().unwrap());
    let va = h.send("GET", &get(&ta), &[], None).await.body;
    let vb = h.send("GET", &get(&tb), &[], None).await.body;
    assert_ne!(va, vb, "each task's video differs");

    let probe = ffprobe(&save(&format!("{a}.mp4"), &va));
    let streams = probe["streams"].as_array().unwrap();
    let codec = |kind: &str| {
        streams
            .iter()
            .find(|s| s["codec_type"] == kind)
            .unwrap_or_else(|| panic!("no {kind} stream: {probe}"))["codec_name"]
            .clone()
    };
    assert_eq!(codec("video"), "h264");
    assert_eq!(codec("audio"), "aac");
    let duration: f64 = probe["format"]["duration"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (2.5..=10.0).contains(&duration),
        "a few seconds: {duration}"
    );
    assert_eq!(probe["format"]["tags"]["comment"], a.as_str());
    assert_eq!(
        ffprobe(&save(&format!("{b}.mp4"), &vb))["format"]["tags"]["comment"],
        b.as_str()
    );
}

#[tokio::test]
async fn the_png_is_a_real_image_carrying_the_task_id() {
    let h = instant().await;
    let (a, ta) = finished(&h, "x").await;
    let (_, tb) = finished(&h, "y").await;
    let get = |t: &Value| h.target_of(t["content"]["last_frame_url"].as_str().unwrap());
    let pa = h.send("GET", &get(&ta), &[], None).await.body;
    let pb = h.send("GET", &get(&tb), &[], None).await.body;
    assert_ne!(pa, pb);
    let probe = ffprobe(&save(&format!("{a}.png"), &pa));
    let s = &probe["streams"][0];
    assert_eq!(s["codec_name"], "png", "{probe}");
    assert_eq!(
        (s["width"].as_u64(), s["height"].as_u64()),
        (Some(160), Some(90))
    );
    let needle = format!("seedance-task-id\0{a}");
    assert!(
        pa.windows(needle.len()).any(|w| w == needle.as_bytes()),
        "tEXt chunk with the id"
    );
}
