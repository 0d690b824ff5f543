//! Signed result URLs: fetchable with a plain GET, refused when unsigned, tampered, expired
//! or sent with an `Authorization` header; ranges and HEAD. What the files hold: `clips.rs`.

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
