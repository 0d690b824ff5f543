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

/// Send each `(rule, body, code, param)`, assert the Ark error (404 for an unknown model,
/// 400 otherwise), then assert that none of them created a task.
async fn reject(h: &Harness, rules: &[(&str, String, &str, &str)]) {
    for (rule, body, code, param) in rules {
        let status = if *code == "InvalidEndpointOrModel.NotFound" {
            404
        } else {
            400
        };
        expect(h, rule, body, status, code, param).await;
    }
    assert!(h.tasks().await.is_empty(), "a rejected create made a task");
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
    reject(
        &h,
        &[
            ("not JSON", "{model:".to_owned(), bad, ""),
            ("not an object", r#"["a"]"#.to_owned(), bad, ""),
            (
                "model missing",
                format!(r#"{{"content":[{T2V}]}}"#),
                "MissingParameter",
                "model",
            ),
            (
                "model null",
                format!(r#"{{"model":null,"content":[{T2V}]}}"#),
                "MissingParameter",
                "model",
            ),
            (
                "model not a string",
                format!(r#"{{"model":7,"content":[{T2V}]}}"#),
                bad,
                "model",
            ),
            (
                "unknown model",
                format!(r#"{{"model":"doubao-seedance-1-0-pro-250528","content":[{T2V}]}}"#),
                "InvalidEndpointOrModel.NotFound",
                "model",
            ),
            (
                "ep- endpoint id",
                format!(r#"{{"model":"ep-2026-abc","content":[{T2V}]}}"#),
                "InvalidEndpointOrModel.NotFound",
                "model",
            ),
            ("1.x frames", with(r#""frames":121"#), bad, "frames"),
            (
                "1.x camera_fixed",
                with(r#""camera_fixed":false"#),
                bad,
                "camera_fixed",
            ),
            (
                "1.x service_tier",
                with(r#""service_tier":"flex""#),
                bad,
                "service_tier",
            ),
        ],
    )
    .await;
    assert!(h.tasks().await.is_empty());
}

#[tokio::test]
async fn scalar_field_rules() {
    let h = instant().await;
    let bad = "InvalidParameter";
    let rules: Vec<_> = [
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
    ]
    .into_iter()
    .map(|(rule, field, param)| (rule, with(field), bad, param))
    .chain(std::iter::once((
        "1080p on the fast model",
        format!(r#"{{"model":"{FAST}","content":[{T2V}],"resolution":"1080p"}}"#),
        bad,
        "resolution",
    )))
    .collect();
    reject(&h, &rules).await;
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
    reject(
        &h,
        &[
            (
                "content missing",
                format!(r#"{{"model":"{FAST}"}}"#),
                miss,
                "content",
            ),
            (
                "content not array",
                format!(r#"{{"model":"{FAST}","content":"a cat"}}"#),
                bad,
                "content",
            ),
            (
                "content empty",
                format!(r#"{{"model":"{FAST}","content":[]}}"#),
                bad,
                "content",
            ),
            (
                "item not object",
                body(&["\"a cat\"".into()]),
                bad,
                "content[0]",
            ),
            (
                "type missing",
                body(&[r#"{"text":"a"}"#.into()]),
                miss,
                "content[0].type",
            ),
            (
                "type unknown",
                body(&[r#"{"type":"draft_task","draft_task":{"id":"x"}}"#.into()]),
                bad,
                "content[0].type",
            ),
            (
                "text missing",
                body(&[r#"{"type":"text"}"#.into()]),
                miss,
                "content[0].text",
            ),
            (
                "text not string",
                body(&[r#"{"type":"text","text":5}"#.into()]),
                bad,
                "content[0].text",
            ),
            (
                "text empty",
                body(&[r#"{"type":"text","text":"  "}"#.into()]),
                bad,
                "content[0].text",
            ),
            (
                "two texts",
                body(&[T2V.into(), T2V.into()]),
                bad,
                "content[1]",
            ),
            (
                "image_url missing",
                body(&[r#"{"type":"image_url","role":"first_frame"}"#.into()]),
                miss,
                "content[0].image_url",
            ),
            (
                "image_url not object",
                body(&[r#"{"type":"image_url","image_url":"https://x/a.png"}"#.into()]),
                bad,
                "content[0].image_url",
            ),
            (
                "image url missing",
                body(&[r#"{"type":"image_url","image_url":{}}"#.into()]),
                miss,
                "content[0].image_url.url",
            ),
            (
                "image url not string",
                body(&[r#"{"type":"image_url","image_url":{"url":1}}"#.into()]),
                bad,
                "content[0].image_url.url",
            ),
            (
                "image url scheme",
                body(&[img("ftp://example.com/a.png", None)]),
                bad,
                "content[0].image_url.url",
            ),
            (
                "image url relative",
                body(&[img("/a.png", None)]),
                bad,
                "content[0].image_url.url",
            ),
            (
                "image url no host",
                body(&[img("https://", None)]),
                bad,
                "content[0].image_url.url",
            ),
            (
                "asset without id",
                body(&[img("asset://", None)]),
                bad,
                "content[0].image_url.url",
            ),
            (
                "video url missing",
                body(&[
                    T2V.into(),
                    r#"{"type":"video_url","video_url":{},"role":"reference_video"}"#.into(),
                ]),
                miss,
                "content[1].video_url.url",
            ),
            (
                "audio_url missing",
                body(&[
                    T2V.into(),
                    r#"{"type":"audio_url","role":"reference_audio"}"#.into(),
                ]),
                miss,
                "content[1].audio_url",
            ),
        ],
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
    reject(
        &h,
        &[
            ("image role unknown", body(&[img(URL, Some("middle_frame"))]), bad, "content[0].role"),
            ("image role not string", body(&[
            r#"{"type":"image_url","image_url":{"url":"https://x.example/a.png"},"role":1}"#.into(),
        ]), bad, "content[0].role"),
            ("video role wrong", body(&[t(), r#"{"type":"video_url","video_url":{"url":"https://x.example/a.mp4"},"role":"reference_image"}"#.into()]), bad, "content[1].role"),
            ("video role missing", body(&[
            t(),
            r#"{"type":"video_url","video_url":{"url":"https://x.example/a.mp4"}}"#.into(),
        ]), miss, "content[1].role"),
            ("audio role wrong", body(&[t(), VID.into(), r#"{"type":"audio_url","audio_url":{"url":"https://x.example/a.mp3"},"role":"first_frame"}"#.into()]), bad, "content[2].role"),
            ("audio role missing", body(&[
            t(),
            VID.into(),
            r#"{"type":"audio_url","audio_url":{"url":"https://x.example/a.mp3"}}"#.into(),
        ]), miss, "content[2].role"),
            ("frame + reference image", body(&[
            t(),
            img(URL, Some("first_frame")),
            img(URL, Some("reference_image")),
        ]), bad, "content[2].role"),
            ("role-less image + reference", body(&[t(), img(URL, Some("reference_image")), img(URL, None)]), bad, "content[2].role"),
            ("frame + video", body(&[t(), img(URL, Some("first_frame")), VID.into()]), bad, "content[2].role"),
            ("frame + audio", body(&[t(), img(URL, Some("first_frame")), AUD.into()]), bad, "content[2].role"),
            ("lone last_frame", body(&[img(URL, Some("last_frame"))]), bad, "content[0].role"),
            ("two frames, one role missing", body(&[img(URL, Some("first_frame")), img(URL, None)]), miss, "content[1].role"),
            ("two first_frames", body(&[img(URL, Some("first_frame")), img(URL, Some("first_frame"))]), bad, "content[1].role"),
            ("three frames", body(&[
            img(URL, Some("first_frame")),
            img(URL, Some("last_frame")),
            img(URL, Some("last_frame")),
        ]), bad, "content"),
        ],
    )
    .await;
    let ten: Vec<String> = std::iter::once(t())
        .chain((0..10).map(|_| img(URL, Some("reference_image"))))
        .collect();
    reject(&h, &[("ten reference images", body(&ten), bad, "content")]).await;
    let four_videos: Vec<String> = std::iter::once(t())
        .chain((0..4).map(|_| VID.to_owned()))
        .collect();
    reject(
        &h,
        &[("four reference videos", body(&four_videos), bad, "content")],
    )
    .await;
    let four_audios: Vec<String> = [t(), VID.into()]
        .into_iter()
        .chain((0..4).map(|_| AUD.to_owned()))
        .collect();
    reject(
        &h,
        &[
            ("four reference audios", body(&four_audios), bad, "content"),
            ("audio alone", body(&[t(), AUD.into()]), bad, "content[1]"),
            (
                "reference without text",
                body(&[img(URL, Some("reference_image"))]),
                miss,
                "content",
            ),
        ],
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
    reject(
        &h,
        &[
            (
                "data url without base64",
                body(&[img("data:image/png,abc", None)]),
                bad,
                p,
            ),
            (
                "data url without comma",
                body(&[img("data:image/png;base64", None)]),
                bad,
                p,
            ),
            (
                "data url bad base64",
                body(&[img("data:image/png;base64,@@@@", None)]),
                bad,
                p,
            ),
            (
                "data url without mime",
                body(&[img("data:;base64,aGVsbG8=", None)]),
                bad,
                p,
            ),
            (
                "image type not accepted",
                body(&[img(&data_url("image/svg+xml", b"<svg/>"), None)]),
                bad,
                p,
            ),
            (
                "image mime is audio",
                body(&[img(&data_url("audio/mpeg", b"ID3"), None)]),
                bad,
                p,
            ),
            (
                "bytes are not an image",
                body(&[img(&data_url("image/png", b"hello world"), None)]),
                bad,
                p,
            ),
            (
                "declared png, bytes jpeg",
                body(&[img(&data_url("image/png", &jpeg_header(640, 480)), None)]),
                bad,
                p,
            ),
            (
                "side under 300",
                body(&[img(&png_url(299, 400), None)]),
                bad,
                p,
            ),
            (
                "side over 6000",
                body(&[img(&png_url(6001, 4000), None)]),
                bad,
                p,
            ),
            (
                "aspect over 2.5",
                body(&[img(&png_url(1300, 500), None)]),
                bad,
                p,
            ),
            (
                "aspect under 0.4",
                body(&[img(&png_url(300, 800), None)]),
                bad,
                p,
            ),
            (
                "jpeg too small",
                body(&[img(&data_url("image/jpeg", &jpeg_header(200, 200)), None)]),
                bad,
                p,
            ),
        ],
    )
    .await;
    let vdata = format!(
        r#"{{"type":"video_url","video_url":{{"url":"{}"}},"role":"reference_video"}}"#,
        data_url("video/mp4", b"\0\0\0\x18ftypmp42")
    );
    reject(
        &h,
        &[(
            "video as data url",
            body(&[T2V.into(), vdata]),
            bad,
            "content[1].video_url.url",
        )],
    )
    .await;
    let adata = format!(
        r#"{{"type":"audio_url","audio_url":{{"url":"{}"}},"role":"reference_audio"}}"#,
        data_url("audio/ogg", b"OggS")
    );
    reject(
        &h,
        &[(
            "audio type not accepted",
            body(&[T2V.into(), VID.into(), adata]),
            bad,
            "content[2].audio_url.url",
        )],
    )
    .await;

    for (what, url) in [
        ("png 300x300", png_url(300, 300)),
        ("png 2.5:1", png_url(1000, 400)),
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
    reject(
        &h,
        &[(
            "image over the byte limit",
            body(&[img(&data_url("image/png", &big_png), None)]),
            "InvalidParameter",
            "content[0].image_url.url",
        )],
    )
    .await;
    let mut big_wav = b"RIFF\0\0\0\0WAVE".to_vec();
    big_wav.resize(200, 0);
    let a = format!(
        r#"{{"type":"audio_url","audio_url":{{"url":"{}"}},"role":"reference_audio"}}"#,
        data_url("audio/wav", &big_wav)
    );
    reject(
        &h,
        &[(
            "audio over the byte limit",
            body(&[T2V.into(), VID.into(), a]),
            "InvalidParameter",
            "content[2].audio_url.url",
        )],
    )
    .await;
    let huge = format!(
        r#"{{"model":"{FAST}","content":[{{"type":"text","text":"{}"}}]}}"#,
        "x".repeat(5000)
    );
    let r = h.create_raw(&huge).await;
    r.ark_error(413, "RequestBodyTooLarge", "");
    assert!(h.tasks().await.is_empty());
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
