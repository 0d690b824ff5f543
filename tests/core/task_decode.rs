//! Decoding what the server sends: the real sample task field by field, unknown statuses
//! and fields, failed tasks, lists; and encoding what we send.

use seedance::*;
use serde_json::json;

const SAMPLE: &str = r#"{"id":"cgt-20260606160057-6bbjd","model":"doubao-seedance-2-0-fast-260128","status":"succeeded",
 "content":{"video_url":"https://ark-acg-cn-beijing.tos-cn-beijing.volces.com/....mp4?X-Tos-Expires=86400&..."},
 "usage":{"completion_tokens":108900,"total_tokens":108900},"created_at":1780732857,"updated_at":1780732991,
 "seed":97151,"resolution":"720p","ratio":"16:9","duration":5,"framespersecond":24,
 "generate_audio":true,"draft":false}"#;

#[test]
fn real_sample_decodes_field_by_field() {
    let t: Task = serde_json::from_str(SAMPLE).unwrap();
    assert_eq!(t.id, "cgt-20260606160057-6bbjd");
    assert_eq!(t.model, Some(Model::Fast));
    assert_eq!(t.status, TaskStatus::Succeeded);
    assert!(t.is_terminal());
    assert_eq!(
        t.video_url(),
        Some(
            "https://ark-acg-cn-beijing.tos-cn-beijing.volces.com/....mp4?X-Tos-Expires=86400&..."
        )
    );
    assert_eq!(t.last_frame_url(), None);
    assert_eq!(
        t.usage,
        Some(Usage {
            completion_tokens: 108_900,
            total_tokens: 108_900
        })
    );
    assert_eq!(t.billed_tokens(), Some(108_900));
    assert_eq!(t.created_at, Some(1_780_732_857));
    assert_eq!(t.updated_at, Some(1_780_732_991));
    assert_eq!(t.seed, Some(97_151));
    assert_eq!(t.resolution, Some(Resolution::P720));
    assert_eq!(t.ratio, Some(Ratio::R16x9));
    assert_eq!(t.duration, Some(5));
    assert_eq!(t.framespersecond, Some(24));
    assert_eq!(t.generate_audio, Some(true));
    assert_eq!(t.draft, Some(false));
    assert_eq!(t.error, None);
    // The sample's URL has no X-Tos-Date, so its expiry can't be known.
    assert_eq!(t.video_expires_at(), None);
}

#[test]
fn minimal_and_unknown_everything_decodes() {
    let t: Task = serde_json::from_value(json!({
        "id": "cgt-1",
        "status": "preprocessing",
        "model": "doubao-seedance-9-0",
        "ratio": "5:4",
        "brand_new_field": {"nested": [1, 2, 3]},
        "priority": 7,
        "content": {"video_url": null, "thumbnail_url": "https://x/t.jpg"},
        "usage": null,
    }))
    .unwrap();
    assert_eq!(t.status, TaskStatus::Unknown("preprocessing".into()));
    assert_eq!(t.status.as_str(), "preprocessing");
    assert!(!t.is_terminal(), "an unknown status must not end polling");
    assert_eq!(t.model, Some(Model::Other("doubao-seedance-9-0".into())));
    assert_eq!(t.ratio, Some(Ratio::Other("5:4".into())));
    assert_eq!(t.video_url(), None);
    assert_eq!(t.usage, None);
    // Unknown fields are kept, and encoded again as they came.
    assert_eq!(t.extra["brand_new_field"], json!({"nested": [1, 2, 3]}));
    assert_eq!(t.extra["priority"], json!(7));
    let again = serde_json::to_value(&t).unwrap();
    assert_eq!(again["brand_new_field"], json!({"nested": [1, 2, 3]}));

    let bare: Task = serde_json::from_str(r#"{"id":"cgt-2","status":"queued"}"#).unwrap();
    assert_eq!(bare.status, TaskStatus::Queued);
    assert!(
        serde_json::from_str::<Task>(r#"{"id":"cgt-3"}"#).is_err(),
        "status is required"
    );
}

#[test]
fn odd_optional_fields_never_make_a_task_unreadable() {
    let t: Task = serde_json::from_value(json!({
        "id": "cgt-odd", "status": "succeeded",
        "seed": "97151", "duration": 5.5, "framespersecond": -1, "created_at": null,
        "content": {"video_url": "https://x/v.mp4"},
        "usage": {"completion_tokens": 108900, "total_tokens": null}
    }))
    .unwrap();
    assert_eq!(
        t.video_url(),
        Some("https://x/v.mp4"),
        "the paid video is reachable"
    );
    assert_eq!(t.billed_tokens(), Some(108_900));
    assert_eq!(
        (t.seed, t.duration, t.framespersecond, t.created_at),
        (None, None, None, None)
    );

    let failed: Task = serde_json::from_value(json!({
        "id": "cgt-f", "status": "failed", "error": {"code": null, "message": "blocked"}
    }))
    .unwrap();
    assert_eq!(failed.error.unwrap().message, "blocked");
    let list: TaskList = serde_json::from_value(json!({"total": null, "items": null})).unwrap();
    assert_eq!(list, TaskList::default());
}

#[test]
fn every_status_and_terminality() {
    let cases = [
        ("queued", false),
        ("running", false),
        ("succeeded", true),
        ("failed", true),
        ("expired", true),
        ("cancelled", true),
        ("completed", false),
    ];
    for (s, terminal) in cases {
        let status: TaskStatus = serde_json::from_value(json!(s)).unwrap();
        assert_eq!(status.is_terminal(), terminal, "{s}");
        assert_eq!(serde_json::to_value(&status).unwrap(), json!(s));
    }
}

#[test]
fn failed_task_carries_its_error() {
    let t: Task = serde_json::from_value(json!({
        "id": "cgt-f", "status": "failed",
        "error": {"code": "OutputVideoSensitiveContentDetected", "message": "The output video may contain sensitive content"}
    }))
    .unwrap();
    let e = t.error.clone().unwrap();
    assert_eq!(e.code, "OutputVideoSensitiveContentDetected");
    let err = Error::TaskFailed { task: Box::new(t) };
    assert_eq!(err.task_id(), Some("cgt-f"));
    assert_eq!(err.code(), Some("OutputVideoSensitiveContentDetected"));
    assert!(err
        .to_string()
        .contains("task cgt-f ended failed: OutputVideoSensitiveContentDetected"));
}

#[test]
fn last_frame_and_signed_url_expiry() {
    let t: Task = serde_json::from_value(json!({
        "id": "cgt-l", "status": "succeeded",
        "content": {
            "video_url": "https://h/v.mp4?X-Tos-Algorithm=TOS4-HMAC-SHA256&X-Tos-Date=20260606T080311Z&X-Tos-Expires=86400&X-Tos-Signature=ab",
            "last_frame_url": "https://h/f.png?X-Tos-Expires=86400"
        }
    }))
    .unwrap();
    assert_eq!(
        t.last_frame_url(),
        Some("https://h/f.png?X-Tos-Expires=86400")
    );
    // 2026-06-06T08:03:11Z + 24 h.
    assert_eq!(t.video_expires_at(), Some(1_780_732_991 + 86_400));
    assert_eq!(
        types::signed_url_expires_at("https://h/v.mp4?X-Tos-Date=bad&X-Tos-Expires=1"),
        None
    );
}

#[test]
fn task_list_decodes() {
    let list: TaskList = serde_json::from_value(json!({
        "total": 2,
        "items": [serde_json::from_str::<serde_json::Value>(SAMPLE).unwrap(), {"id": "cgt-q", "status": "queued"}]
    }))
    .unwrap();
    assert_eq!(list.total, 2);
    assert_eq!(list.items[1].status, TaskStatus::Queued);
    let empty: TaskList = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, TaskList::default());
}

#[test]
fn create_body_always_says_generate_audio_and_never_sends_1x_fields() {
    let req = CreateTaskRequest::text_to_video(Model::Fast, "p");
    let v = serde_json::to_value(&req).unwrap();
    assert_eq!(
        v,
        json!({"model": "doubao-seedance-2-0-fast-260128", "content": [{"type": "text", "text": "p"}], "generate_audio": true})
    );
    let full = req
        .with_resolution(Resolution::P480)
        .with_ratio(Ratio::R9x16)
        .with_auto_duration()
        .with_audio(false)
        .with_watermark(true)
        .with_seed(42)
        .with_last_frame(true)
        .with_expires_after(3600)
        .with_callback_url("https://cb.example.com/x");
    let v = serde_json::to_value(&full).unwrap();
    let obj = v.as_object().unwrap();
    for key in ["frames", "camera_fixed", "service_tier"] {
        assert!(!obj.contains_key(key), "{key} must never be sent");
    }
    assert_eq!(v["generate_audio"], json!(false));
    assert_eq!(v["duration"], json!(-1));
    assert_eq!(v["ratio"], json!("9:16"));
    assert_eq!(v["return_last_frame"], json!(true));
    assert_eq!(v["callback_url"], json!("https://cb.example.com/x"));
    // Every field is sent here, in the order `CreateTaskRequest::FIELDS` names them.
    let text = serde_json::to_string(&full).unwrap();
    let at: Vec<usize> = CreateTaskRequest::FIELDS
        .iter()
        .map(|f| text.find(&format!("\"{f}\":")).expect(f))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{text}");
    assert_eq!(obj.len(), CreateTaskRequest::FIELDS.len());
}

#[test]
fn content_items_have_the_documented_shapes() {
    let req = CreateTaskRequest::reference(
        Model::Standard,
        "p",
        References::new()
            .image("https://i")
            .video("asset://v")
            .audio("https://a"),
    );
    let v = serde_json::to_value(&req).unwrap();
    assert_eq!(
        v["content"],
        json!([
            {"type": "text", "text": "p"},
            {"type": "image_url", "image_url": {"url": "https://i"}, "role": "reference_image"},
            {"type": "video_url", "video_url": {"url": "asset://v"}, "role": "reference_video"},
            {"type": "audio_url", "audio_url": {"url": "https://a"}, "role": "reference_audio"}
        ])
    );
    let first = CreateTaskRequest::first_last_frame(Model::Fast, "https://f", "https://l");
    let v = serde_json::to_value(&first).unwrap();
    assert_eq!(v["content"][0]["role"], json!("first_frame"));
    assert_eq!(v["content"][1]["role"], json!("last_frame"));
}

#[test]
fn nulls_from_official_sdks_mean_absent() {
    let req: CreateTaskRequest = serde_json::from_value(json!({
        "model": "doubao-seedance-2-0-fast-260128",
        "content": [{"type": "image_url", "image_url": {"url": "https://i"}, "role": null}],
        "resolution": null, "ratio": null, "duration": null, "generate_audio": null,
        "watermark": null, "seed": null, "return_last_frame": null,
        "execution_expires_after": null, "callback_url": null
    }))
    .unwrap();
    let mut expected = CreateTaskRequest::first_frame(Model::Fast, "https://i");
    expected.content = vec![ContentItem::image("https://i", None)];
    assert_eq!(req, expected);
    assert!(req.generate_audio, "null means the server default, true");
}
