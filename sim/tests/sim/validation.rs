//! One raw request per validation rule, each a hand-written JSON body, asserting the Ark
//! error code and `param` — and that nothing was created.

use seedance_sim::{Limits, SimConfig};

use crate::common::*;

const T2V: &str = r#"{"type":"text","text":"a cat"}"#;

async fn expect(h: &Harness, rule: &str, body: &str, status: u16, code: &str, param: &str) {
    let r = h.create_raw(body).await;
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap_or_default();
    assert!(
        r.status == status && v["error"]["code"] == code && v["error"]["param"] == param,
        "rule `{rule}`: wanted {status} {code} param={param:?}, got {} {}",
        r.status,
        r.text()
    );
    assert!(
        r.header("x-request-id").is_some(),
        "rule `{rule}`: no X-Request-Id"
    );
}

fn img(url: &str, role: Option<&str>) -> String {
    match role {
        Some(r) => format!(r#"{{"type":"image_url","image_url":{{"url":"{url}"}},"role":"{r}"}}"#),
        None => format!(r#"{{"type":"image_url","image_url":{{"url":"{url}"}}}}"#),
    }
}

fn body(items: &[String]) -> String {
    format!(r#"{{"model":"{FAST}","content":[{}]}}"#, items.join(","))
}

fn with(field: &str) -> String {
    format!(r#"{{"model":"{FAST}","content":[{T2V}],{field}}}"#)
}

const URL: &str = "https://example.com/a.png";
const VID: &str = r#"{"type":"video_url","video_url":{"url":"https://example.com/a.mp4"},"role":"reference_video"}"#;
const AUD: &str = r#"{"type":"audio_url","audio_url":{"url":"https://example.com/a.mp3"},"role":"reference_audio"}"#;

#[tokio::test]
async fn body_and_model_rules() {
    let h = instant().await;
    let bad = "InvalidParameter";
    expect(&h, "not JSON", "{model:", 400, bad, "").await;
    expect(&h, "not an object", r#"["a"]"#, 400, bad, "").await;
    expect(
        &h,
        "model missing",
        &format!(r#"{{"content":[{T2V}]}}"#),
        400,
        "MissingParameter",
        "model",
    )
    .await;
    expect(
        &h,
        "model null",
        &format!(r#"{{"model":null,"content":[{T2V}]}}"#),
        400,
        "MissingParameter",
        "model",
    )
    .await;
    expect(
        &h,
        "model not a string",
        &format!(r#"{{"model":7,"content":[{T2V}]}}"#),
        400,
        bad,
        "model",
    )
    .await;
    expect(
        &h,
        "unknown model",
        &format!(r#"{{"model":"doubao-seedance-1-0-pro-250528","content":[{T2V}]}}"#),
        404,
        "InvalidEndpointOrModel.NotFound",
        "model",
    )
    .await;
    expect(
        &h,
        "ep- endpoint id",
        &format!(r#"{{"model":"ep-2026-abc","content":[{T2V}]}}"#),
        404,
        "InvalidEndpointOrModel.NotFound",
        "model",
    )
    .await;
    expect(
        &h,
        "1.x frames",
        &with(r#""frames":121"#),
        400,
        bad,
        "frames",
    )
    .await;
    expect(
        &h,
        "1.x camera_fixed",
        &with(r#""camera_fixed":false"#),
        400,
        bad,
        "camera_fixed",
    )
    .await;
    expect(
        &h,
        "1.x service_tier",
        &with(r#""service_tier":"flex""#),
        400,
        bad,
        "service_tier",
    )
    .await;
    assert!(h
        .control("GET", "/tasks", None)
        .await
        .as_array()
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn scalar_field_rules() {
    let h = instant().await;
    let bad = "InvalidParameter";
    for (rule, field, param) in [
        ("resolution unknown", r#""resolution":"4k""#, "resolution"),
        ("resolution wrong type", r#""resolution":720"#, "resolution"),
        ("ratio unknown", r#""ratio":"2:1""#, "ratio"),
        ("ratio wrong type", r#""ratio":1.77"#, "ratio"),
        ("duration too short", r#""duration":3"#, "duration"),
        ("duration too long", r#""duration":16"#, "duration"),
        ("duration zero", r#""duration":0"#, "duration"),
        ("duration -2", r#""duration":-2"#, "duration"),
        ("duration fractional", r#""duration":5.5"#, "duration"),
        ("duration as string", r#""duration":"5""#, "duration"),
        (
            "generate_audio not bool",
            r#""generate_audio":"false""#,
            "generate_audio",
        ),
        ("watermark not bool", r#""watermark":1"#, "watermark"),
        (
            "return_last_frame not bool",
            r#""return_last_frame":"yes""#,
            "return_last_frame",
        ),
        ("seed below -1", r#""seed":-2"#, "seed"),
        ("seed above 2^32-1", r#""seed":4294967296"#, "seed"),
        ("seed not integer", r#""seed":1.5"#, "seed"),
        (
            "expires below 3600",
            r#""execution_expires_after":3599"#,
            "execution_expires_after",
        ),
        (
            "expires above 259200",
            r#""execution_expires_after":259201"#,
            "execution_expires_after",
        ),
        (
            "expires not integer",
            r#""execution_expires_after":"3600""#,
            "execution_expires_after",
        ),
        (
            "callback_url not http",
            r#""callback_url":"ftp://x.example/cb""#,
            "callback_url",
        ),
        (
            "callback_url not string",
            r#""callback_url":true"#,
            "callback_url",
        ),
    ] {
        expect(&h, rule, &with(field), 400, bad, param).await;
    }
    expect(
        &h,
        "1080p on the fast model",
        &format!(r#"{{"model":"{FAST}","content":[{T2V}],"resolution":"1080p"}}"#),
        400,
        bad,
        "resolution",
    )
    .await;
    // The edges that are allowed.
    for ok in [
        r#""duration":4"#,
        r#""duration":15"#,
        r#""duration":-1"#,
        r#""seed":4294967295"#,
        r#""seed":-1"#,
        r#""execution_expires_after":3600"#,
        r#""execution_expires_after":259200"#,
        r#""callback_url":"http://127.0.0.1:9/cb""#,
        r#""ratio":"21:9""#,
        r#""resolution":"480p""#,
    ] {
        let r = h.create_raw(&with(ok)).await;
        assert_eq!(r.status, 200, "{ok} must be accepted: {}", r.text());
    }
    let r = h
        .create_raw(&format!(
            r#"{{"model":"{STANDARD}","content":[{T2V}],"resolution":"1080p"}}"#
        ))
        .await;
    assert_eq!(r.status, 200, "1080p on standard: {}", r.text());
}

#[tokio::test]
async fn content_item_rules() {
    let h = instant().await;
    let bad = "InvalidParameter";
    let miss = "MissingParameter";
    expect(
        &h,
        "content missing",
        &format!(r#"{{"model":"{FAST}"}}"#),
        400,
        miss,
        "content",
    )
    .await;
    expect(
        &h,
        "content not array",
        &format!(r#"{{"model":"{FAST}","content":"a cat"}}"#),
        400,
        bad,
        "content",
    )
    .await;
    expect(
        &h,
        "content empty",
        &format!(r#"{{"model":"{FAST}","content":[]}}"#),
        400,
        bad,
        "content",
    )
    .await;
    expect(
        &h,
        "item not object",
        &body(&["\"a cat\"".into()]),
        400,
        bad,
        "content[0]",
    )
    .await;
    expect(
        &h,
        "type missing",
        &body(&[r#"{"text":"a"}"#.into()]),
        400,
        miss,
        "content[0].type",
    )
    .await;
    expect(
        &h,
        "type unknown",
        &body(&[r#"{"type":"draft_task","draft_task":{"id":"x"}}"#.into()]),
        400,
        bad,
        "content[0].type",
    )
    .await;
    expect(
        &h,
        "text missing",
        &body(&[r#"{"type":"text"}"#.into()]),
        400,
        miss,
        "content[0].text",
    )
    .await;
    expect(
        &h,
        "text not string",
        &body(&[r#"{"type":"text","text":5}"#.into()]),
        400,
        bad,
        "content[0].text",
    )
    .await;
    expect(
        &h,
        "text empty",
        &body(&[r#"{"type":"text","text":"  "}"#.into()]),
        400,
        bad,
        "content[0].text",
    )
    .await;
    expect(
        &h,
        "two texts",
        &body(&[T2V.into(), T2V.into()]),
        400,
        bad,
        "content[1]",
    )
    .await;
    expect(
        &h,
        "image_url missing",
        &body(&[r#"{"type":"image_url","role":"first_frame"}"#.into()]),
        400,
        miss,
        "content[0].image_url",
    )
    .await;
    expect(
        &h,
        "image_url not object",
        &body(&[r#"{"type":"image_url","image_url":"https://x/a.png"}"#.into()]),
        400,
        bad,
        "content[0].image_url",
    )
    .await;
    expect(
        &h,
        "image url missing",
        &body(&[r#"{"type":"image_url","image_url":{}}"#.into()]),
        400,
        miss,
        "content[0].image_url.url",
    )
    .await;
    expect(
        &h,
        "image url not string",
        &body(&[r#"{"type":"image_url","image_url":{"url":1}}"#.into()]),
        400,
        bad,
        "content[0].image_url.url",
    )
    .await;
    expect(
        &h,
        "image url scheme",
        &body(&[img("ftp://example.com/a.png", None)]),
        400,
        bad,
        "content[0].image_url.url",
    )
    .await;
    expect(
        &h,
        "image url relative",
        &body(&[img("/a.png", None)]),
        400,
        bad,
        "content[0].image_url.url",
    )
    .await;
    expect(
        &h,
        "image url no host",
        &body(&[img("https://", None)]),
        400,
        bad,
        "content[0].image_url.url",
    )
    .await;
    expect(
        &h,
        "asset without id",
        &body(&[img("asset://", None)]),
        400,
        bad,
        "content[0].image_url.url",
    )
    .await;
    expect(
        &h,
        "video url missing",
        &body(&[
            T2V.into(),
            r#"{"type":"video_url","video_url":{},"role":"reference_video"}"#.into(),
        ]),
        400,
        miss,
        "content[1].video_url.url",
    )
    .await;
    expect(
        &h,
        "audio_url missing",
        &body(&[
            T2V.into(),
            r#"{"type":"audio_url","role":"reference_audio"}"#.into(),
        ]),
        400,
        miss,
        "content[1].audio_url",
    )
    .await;
    // http:// and asset:// are accepted (whether to allow plain http is the client's call).
    for ok in [
        img("http://example.com/a.png", None),
        img("asset://asset-123", None),
    ] {
        let r = h.create_raw(&body(std::slice::from_ref(&ok))).await;
        assert_eq!(r.status, 200, "{ok}: {}", r.text());
    }
}

#[tokio::test]
async fn role_and_mode_rules() {
    let h = instant().await;
    let bad = "InvalidParameter";
    let miss = "MissingParameter";
    let t = || T2V.to_owned();
    expect(
        &h,
        "image role unknown",
        &body(&[img(URL, Some("middle_frame"))]),
        400,
        bad,
        "content[0].role",
    )
    .await;
    expect(
        &h,
        "image role not string",
        &body(&[
            r#"{"type":"image_url","image_url":{"url":"https://x.example/a.png"},"role":1}"#.into(),
        ]),
        400,
        bad,
        "content[0].role",
    )
    .await;
    expect(&h, "video role wrong", &body(&[t(), r#"{"type":"video_url","video_url":{"url":"https://x.example/a.mp4"},"role":"reference_image"}"#.into()]), 400, bad, "content[1].role").await;
    expect(
        &h,
        "video role missing",
        &body(&[
            t(),
            r#"{"type":"video_url","video_url":{"url":"https://x.example/a.mp4"}}"#.into(),
        ]),
        400,
        miss,
        "content[1].role",
    )
    .await;
    expect(&h, "audio role wrong", &body(&[t(), VID.into(), r#"{"type":"audio_url","audio_url":{"url":"https://x.example/a.mp3"},"role":"first_frame"}"#.into()]), 400, bad, "content[2].role").await;
    expect(
        &h,
        "audio role missing",
        &body(&[
            t(),
            VID.into(),
            r#"{"type":"audio_url","audio_url":{"url":"https://x.example/a.mp3"}}"#.into(),
        ]),
        400,
        miss,
        "content[2].role",
    )
    .await;
    expect(
        &h,
        "frame + reference image",
        &body(&[
            t(),
            img(URL, Some("first_frame")),
            img(URL, Some("reference_image")),
        ]),
        400,
        bad,
        "content[2].role",
    )
    .await;
    expect(
        &h,
        "role-less image + reference",
        &body(&[t(), img(URL, Some("reference_image")), img(URL, None)]),
        400,
        bad,
        "content[2].role",
    )
    .await;
    expect(
        &h,
        "frame + video",
        &body(&[t(), img(URL, Some("first_frame")), VID.into()]),
        400,
        bad,
        "content[2].role",
    )
    .await;
    expect(
        &h,
        "frame + audio",
        &body(&[t(), img(URL, Some("first_frame")), AUD.into()]),
        400,
        bad,
        "content[2].role",
    )
    .await;
    expect(
        &h,
        "lone last_frame",
        &body(&[img(URL, Some("last_frame"))]),
        400,
        bad,
        "content[0].role",
    )
    .await;
    expect(
        &h,
        "two frames, one role missing",
        &body(&[img(URL, Some("first_frame")), img(URL, None)]),
        400,
        miss,
        "content[1].role",
    )
    .await;
    expect(
        &h,
        "two first_frames",
        &body(&[img(URL, Some("first_frame")), img(URL, Some("first_frame"))]),
        400,
        bad,
        "content[1].role",
    )
    .await;
    expect(
        &h,
        "three frames",
        &body(&[
            img(URL, Some("first_frame")),
            img(URL, Some("last_frame")),
            img(URL, Some("last_frame")),
        ]),
        400,
        bad,
        "content",
    )
    .await;
    let ten: Vec<String> = std::iter::once(t())
        .chain((0..10).map(|_| img(URL, Some("reference_image"))))
        .collect();
    expect(&h, "ten reference images", &body(&ten), 400, bad, "content").await;
    let four_videos: Vec<String> = std::iter::once(t())
        .chain((0..4).map(|_| VID.to_owned()))
        .collect();
    expect(
        &h,
        "four reference videos",
        &body(&four_videos),
        400,
        bad,
        "content",
    )
    .await;
    let four_audios: Vec<String> = [t(), VID.into()]
        .into_iter()
        .chain((0..4).map(|_| AUD.to_owned()))
        .collect();
    expect(
        &h,
        "four reference audios",
        &body(&four_audios),
        400,
        bad,
        "content",
    )
    .await;
    expect(
        &h,
        "audio alone",
        &body(&[t(), AUD.into()]),
        400,
        bad,
        "content[1]",
    )
    .await;
    expect(
        &h,
        "reference without text",
        &body(&[img(URL, Some("reference_image"))]),
        400,
        miss,
        "content",
    )
    .await;

    // Each mode's valid shape.
    for (mode, items) in [
        ("text", vec![t()]),
        ("first frame, no role", vec![img(URL, None)]),
        (
            "first frame with text",
            vec![t(), img(URL, Some("first_frame"))],
        ),
        (
            "first + last",
            vec![img(URL, Some("last_frame")), img(URL, Some("first_frame"))],
        ),
        (
            "nine references",
            std::iter::once(t())
                .chain((0..9).map(|_| img(URL, Some("reference_image"))))
                .collect(),
        ),
        ("videos only", vec![t(), VID.into(), VID.into(), VID.into()]),
        (
            "image + video + audio",
            vec![
                t(),
                img(URL, Some("reference_image")),
                VID.into(),
                AUD.into(),
                AUD.into(),
                AUD.into(),
            ],
        ),
    ] {
        let r = h.create_raw(&body(&items)).await;
        assert_eq!(r.status, 200, "{mode}: {}", r.text());
    }
}

#[tokio::test]
async fn data_url_rules() {
    let h = instant().await;
    let bad = "InvalidParameter";
    let p = "content[0].image_url.url";
    let png = |w, h| data_url("image/png", &png_header(w, h));
    expect(
        &h,
        "data url without base64",
        &body(&[img("data:image/png,abc", None)]),
        400,
        bad,
        p,
    )
    .await;
    expect(
        &h,
        "data url without comma",
        &body(&[img("data:image/png;base64", None)]),
        400,
        bad,
        p,
    )
    .await;
    expect(
        &h,
        "data url bad base64",
        &body(&[img("data:image/png;base64,@@@@", None)]),
        400,
        bad,
        p,
    )
    .await;
    expect(
        &h,
        "data url without mime",
        &body(&[img("data:;base64,aGVsbG8=", None)]),
        400,
        bad,
        p,
    )
    .await;
    expect(
        &h,
        "image type not accepted",
        &body(&[img(&data_url("image/svg+xml", b"<svg/>"), None)]),
        400,
        bad,
        p,
    )
    .await;
    expect(
        &h,
        "image mime is audio",
        &body(&[img(&data_url("audio/mpeg", b"ID3"), None)]),
        400,
        bad,
        p,
    )
    .await;
    expect(
        &h,
        "bytes are not an image",
        &body(&[img(&data_url("image/png", b"hello world"), None)]),
        400,
        bad,
        p,
    )
    .await;
    expect(
        &h,
        "declared png, bytes jpeg",
        &body(&[img(&data_url("image/png", &jpeg_header(640, 480)), None)]),
        400,
        bad,
        p,
    )
    .await;
    expect(
        &h,
        "side under 300",
        &body(&[img(&png(299, 400), None)]),
        400,
        bad,
        p,
    )
    .await;
    expect(
        &h,
        "side over 6000",
        &body(&[img(&png(6001, 4000), None)]),
        400,
        bad,
        p,
    )
    .await;
    expect(
        &h,
        "aspect over 2.5",
        &body(&[img(&png(1300, 500), None)]),
        400,
        bad,
        p,
    )
    .await;
    expect(
        &h,
        "aspect under 0.4",
        &body(&[img(&png(300, 800), None)]),
        400,
        bad,
        p,
    )
    .await;
    expect(
        &h,
        "jpeg too small",
        &body(&[img(&data_url("image/jpeg", &jpeg_header(200, 200)), None)]),
        400,
        bad,
        p,
    )
    .await;
    let vdata = format!(
        r#"{{"type":"video_url","video_url":{{"url":"{}"}},"role":"reference_video"}}"#,
        data_url("video/mp4", b"\0\0\0\x18ftypmp42")
    );
    expect(
        &h,
        "video as data url",
        &body(&[T2V.into(), vdata]),
        400,
        bad,
        "content[1].video_url.url",
    )
    .await;
    let adata = format!(
        r#"{{"type":"audio_url","audio_url":{{"url":"{}"}},"role":"reference_audio"}}"#,
        data_url("audio/ogg", b"OggS")
    );
    expect(
        &h,
        "audio type not accepted",
        &body(&[T2V.into(), VID.into(), adata]),
        400,
        bad,
        "content[2].audio_url.url",
    )
    .await;

    for (what, url) in [
        ("png 300x300", png(300, 300)),
        ("png 2.5:1", png(1000, 400)),
        (
            "jpeg 640x480",
            data_url("image/jpeg", &jpeg_header(640, 480)),
        ),
        ("jpg alias", data_url("image/jpg", &jpeg_header(640, 480))),
        ("gif", data_url("image/gif", b"GIF89a\x80\x02\xe0\x01\0\0")),
    ] {
        let r = h.create_raw(&body(&[img(&url, None)])).await;
        assert_eq!(r.status, 200, "{what}: {}", r.text());
    }
    let wav = format!(
        r#"{{"type":"audio_url","audio_url":{{"url":"{}"}},"role":"reference_audio"}}"#,
        data_url("audio/wav", b"RIFF\0\0\0\0WAVE")
    );
    let r = h.create_raw(&body(&[T2V.into(), VID.into(), wav])).await;
    assert_eq!(r.status, 200, "wav data url: {}", r.text());
}

#[tokio::test]
async fn size_limits_are_enforced_and_configurable() {
    let h = start(SimConfig {
        limits: Limits {
            body_max_bytes: 4096,
            image_max_bytes: 100,
            audio_max_bytes: 100,
            ..Limits::default()
        },
        ..SimConfig::fast()
    })
    .await;
    let mut big_png = png_header(640, 480);
    big_png.resize(200, 0);
    expect(
        &h,
        "image over the byte limit",
        &body(&[img(&data_url("image/png", &big_png), None)]),
        400,
        "InvalidParameter",
        "content[0].image_url.url",
    )
    .await;
    let mut big_wav = b"RIFF\0\0\0\0WAVE".to_vec();
    big_wav.resize(200, 0);
    let a = format!(
        r#"{{"type":"audio_url","audio_url":{{"url":"{}"}},"role":"reference_audio"}}"#,
        data_url("audio/wav", &big_wav)
    );
    expect(
        &h,
        "audio over the byte limit",
        &body(&[T2V.into(), VID.into(), a]),
        400,
        "InvalidParameter",
        "content[2].audio_url.url",
    )
    .await;
    let huge = format!(
        r#"{{"model":"{FAST}","content":[{{"type":"text","text":"{}"}}]}}"#,
        "x".repeat(5000)
    );
    let r = h.create_raw(&huge).await;
    r.ark_error(413, "RequestBodyTooLarge", "");
    assert!(h
        .control("GET", "/tasks", None)
        .await
        .as_array()
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn the_default_body_limit_is_64_mb() {
    let h = instant().await;
    // 40 MB of prompt: over most frameworks' defaults, under the service's 64 MB.
    let big = format!(
        r#"{{"model":"{FAST}","content":[{{"type":"text","text":"{}"}}]}}"#,
        "x".repeat(40 << 20)
    );
    let r = h.create_raw(&big).await;
    assert_eq!(r.status, 200, "{}", r.status);
    assert_eq!(Limits::default().body_max_bytes, 64 << 20);
}
