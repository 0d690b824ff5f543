//! The task routes, the state machine and auth, as a client sees them.

use std::time::Duration;

use seedance_sim::{SimConfig, Timings};
use serde_json::{json, Value};

use crate::common::*;

#[tokio::test]
async fn create_get_walks_queued_running_succeeded_with_the_real_shape() {
    // Phases long enough that a loaded machine still sees each one.
    let h = start(SimConfig::fast().with_timings(phases(1000, 0, 1000))).await;
    let r = h
        .api(
            "POST",
            TASKS,
            Some(&json!({"model": FAST, "content": [{"type": "text", "text": "a drone shot"}]})),
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.header("x-request-id").is_some());
    let created = r.json();
    assert_eq!(
        created.as_object().unwrap().len(),
        1,
        "create answers only the id: {created}"
    );
    let id = created["id"].as_str().unwrap().to_owned();

    let first = h.get_task(&id).await;
    assert_eq!(first["status"], "queued");
    assert!(
        first.get("usage").is_none() && first.get("content").is_none(),
        "{first}"
    );
    h.wait_for(&id, "running").await;
    let done = h.wait_for(&id, "succeeded").await;

    assert_eq!(done["id"], id.as_str());
    assert_eq!(done["model"], FAST);
    assert_eq!(done["resolution"], "720p");
    assert_eq!(done["ratio"], "16:9", "adaptive without an image is 16:9");
    assert_eq!(done["duration"], 5);
    assert_eq!(done["framespersecond"], 24);
    assert_eq!(done["generate_audio"], true);
    assert_eq!(done["draft"], false);
    assert_eq!(done["execution_expires_after"], 172_800);
    assert_eq!(done["return_last_frame"], false);
    assert!(
        done["seed"]
            .as_u64()
            .is_some_and(|s| s <= u64::from(u32::MAX)),
        "{done}"
    );
    assert_eq!(
        done["usage"],
        json!({"completion_tokens": 108_900, "total_tokens": 108_900})
    );
    let created_at = done["created_at"].as_u64().unwrap();
    let updated_at = done["updated_at"].as_u64().unwrap();
    assert!(updated_at >= created_at && created_at > 1_700_000_000);
    // Shaped like the real `cgt-20260606160057-6bbjd`: the creation time in Beijing time
    // (UTC+8), then five lowercase letters or digits.
    let stamp = seedance_sim::clock::beijing_compact(created_at);
    let suffix = id
        .strip_prefix(&format!("cgt-{stamp}-"))
        .unwrap_or_else(|| panic!("{id} does not start with cgt-{stamp}-"));
    assert!(
        suffix.len() == 5
            && suffix
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
        "{id}"
    );
    let video = done["content"]["video_url"].as_str().unwrap();
    assert!(
        video.contains(&format!("/tos/{id}.mp4?")) && video.contains("X-Tos-Expires=86400"),
        "{video}"
    );
    assert!(done["content"].get("last_frame_url").is_none());
    assert!(done.get("error").is_none());
}

#[tokio::test]
async fn both_prefixes_serve_the_same_store() {
    let h = instant().await;
    let id = h.create("a cat").await;
    let plain = h
        .api(
            "GET",
            &format!("/api/v3/contents/generations/tasks/{id}"),
            None,
        )
        .await;
    assert_eq!(plain.status, 200);
    assert_eq!(plain.json()["id"], id.as_str());
    let r = h
        .api(
            "POST",
            "/api/v3/contents/generations/tasks",
            Some(&json!({"model": STANDARD, "content": [{"type": "text", "text": "x"}]})),
        )
        .await;
    assert_eq!(r.status, 200);
    let id2 = r.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(h.get_task(&id2).await["model"], STANDARD);
}

#[tokio::test]
async fn requested_values_come_back_and_tokens_follow_the_table() {
    let h = instant().await;
    let id = h
        .create_with(json!({
            "model": STANDARD, "content": [{"type": "text", "text": "x"}],
            "resolution": "1080p", "ratio": "9:16", "duration": 12, "seed": 42,
            "generate_audio": false, "watermark": true, "return_last_frame": true,
            "execution_expires_after": 3600,
        }))
        .await;
    let t = h.wait_for(&id, "succeeded").await;
    assert_eq!(
        (t["resolution"].as_str(), t["ratio"].as_str()),
        (Some("1080p"), Some("9:16"))
    );
    assert_eq!(
        (t["duration"].as_u64(), t["seed"].as_u64()),
        (Some(12), Some(42))
    );
    assert_eq!(t["generate_audio"], false);
    assert_eq!(t["execution_expires_after"], 3600);
    // (24 × 12 + 1) × 1080 × 1920 / 1024
    assert_eq!(t["usage"]["completion_tokens"], 289 * 1080 * 1920 / 1024);
    let png = t["content"]["last_frame_url"].as_str().unwrap();
    assert!(png.contains(&format!("/tos/{id}.png?")), "{png}");

    let id = h
        .create_with(json!({"model": FAST, "content": [{"type": "text", "text": "x"}], "resolution": "480p", "ratio": "1:1", "duration": 4}))
        .await;
    let t = h.wait_for(&id, "succeeded").await;
    assert_eq!(t["usage"]["completion_tokens"], 97 * 640 * 640 / 1024);
}

#[tokio::test]
async fn duration_minus_one_and_adaptive_report_real_values() {
    let h = instant().await;
    // A 400×800 portrait first frame: adaptive picks 9:16.
    let img = png_url(400, 800);
    let id = h
        .create_with(json!({
            "model": FAST, "duration": -1, "ratio": "adaptive",
            "content": [{"type": "image_url", "image_url": {"url": img}, "role": "first_frame"}],
        }))
        .await;
    let t = h.wait_for(&id, "succeeded").await;
    let d = t["duration"].as_u64().unwrap();
    assert!((4..=15).contains(&d), "{t}");
    assert_eq!(t["ratio"], "9:16");
    assert_eq!(
        t["usage"]["completion_tokens"],
        (24 * d + 1) * 720 * 1280 / 1024
    );
    // A random seed is reported when none was asked for.
    assert!(t["seed"].is_u64());
}

#[tokio::test]
async fn prompt_markers_drive_each_outcome() {
    let h = fast().await;
    let fail = h.create("a cat [fail]").await;
    let expire = h.create("a cat [expire]").await;
    let t = h.wait_for(&fail, "failed").await;
    assert_eq!(t["error"]["code"], "OutputVideoSensitiveContentDetected");
    assert!(t["error"]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    assert!(
        t.get("usage").is_none() && t.get("content").is_none(),
        "{t}"
    );
    let t = h.wait_for(&expire, "expired").await;
    assert!(t.get("usage").is_none(), "{t}");
}

#[tokio::test]
async fn unknown_status_marker_shows_preprocessing_then_finishes() {
    let h = start(SimConfig::fast().with_timings(phases(0, 1500, 50))).await;
    let id = h.create("[unknown-status] a cat").await;
    assert_eq!(h.get_task(&id).await["status"], "preprocessing");
    h.wait_for(&id, "succeeded").await;
}

#[tokio::test]
async fn slow_marker_multiplies_the_timeline() {
    let h = start(SimConfig::fast().with_timings(Timings {
        queued: Duration::from_millis(200),
        preprocessing: Duration::ZERO,
        running: Duration::ZERO,
        slow_factor: 50,
    }))
    .await;
    let slow = h.create("[slow] a cat").await;
    let normal = h.create("a cat").await;
    h.wait_for(&normal, "succeeded").await;
    // The normal task is done, the [slow] one (10 s queued) is not.
    assert_eq!(h.get_task(&slow).await["status"], "queued");
    let tasks = h.control("GET", "/tasks", None).await;
    let plan = &tasks
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == slow.as_str())
        .unwrap()["plan"];
    assert_eq!(plan["queued_ms"], 10_000);
}

#[tokio::test]
async fn delete_cancels_queued_and_removes_finished_tasks() {
    let h = instant().await;
    let held = h.create("[queued] a cat").await;
    assert_eq!(h.get_task(&held).await["status"], "queued");
    let r = h.api("DELETE", &format!("{TASKS}/{held}"), None).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json(), json!({}));
    let t = h.get_task(&held).await;
    assert_eq!(t["status"], "cancelled");
    assert!(t.get("usage").is_none());
    // Cancelled can't be cancelled again.
    let again = h.api("DELETE", &format!("{TASKS}/{held}"), None).await;
    let e = again.ark_error(400, "OperationDenied", "id");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("cancelled"),
        "{e}"
    );

    for prompt in ["done", "[fail] done", "[expire] done"] {
        let id = h.create(prompt).await;
        let r = h.api("DELETE", &format!("{TASKS}/{id}"), None).await;
        assert_eq!(r.status, 200, "{prompt}: {}", r.text());
        h.api("GET", &format!("{TASKS}/{id}"), None)
            .await
            .ark_error(404, "ResourceNotFound", "id");
    }
}

#[tokio::test]
async fn delete_of_a_running_task_is_refused() {
    let h = start(SimConfig::fast().with_timings(phases(0, 0, 60_000))).await;
    let id = h.create("a cat").await;
    assert_eq!(h.get_task(&id).await["status"], "running");
    let e = h
        .api("DELETE", &format!("{TASKS}/{id}"), None)
        .await
        .ark_error(400, "OperationDenied", "id");
    assert!(
        e["error"]["message"].as_str().unwrap().contains("running"),
        "{e}"
    );
    assert_eq!(h.get_task(&id).await["status"], "running");
}

#[tokio::test]
async fn unknown_task_ids_are_404() {
    let h = instant().await;
    let missing = "cgt-20260606160057-zzzzz";
    h.api("GET", &format!("{TASKS}/{missing}"), None)
        .await
        .ark_error(404, "ResourceNotFound", "id");
    h.api("DELETE", &format!("{TASKS}/{missing}"), None)
        .await
        .ark_error(404, "ResourceNotFound", "id");
}

async fn list(h: &Harness, query: &str) -> Value {
    let r = h.api("GET", &format!("{TASKS}{query}"), None).await;
    assert_eq!(r.status, 200, "{query}: {}", r.text());
    r.json()
}

fn ids(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn list_is_newest_first_with_filters_and_pages() {
    let h = instant().await;
    let a = h.create("one").await;
    let b = h.create("two [fail]").await;
    let c = h
        .create_with(
            json!({"model": STANDARD, "content": [{"type": "text", "text": "three [queued]"}]}),
        )
        .await;

    let all = list(&h, "").await;
    assert_eq!(all["total"], 3);
    assert_eq!(ids(&all), [c.clone(), b.clone(), a.clone()]);
    assert_eq!(all["items"][2]["status"], "succeeded");
    assert!(all["items"][2]["content"]["video_url"].is_string());

    assert_eq!(ids(&list(&h, "?filter.status=failed").await), [b.as_str()]);
    assert_eq!(ids(&list(&h, "?filter.status=queued").await), [c.as_str()]);
    assert_eq!(
        ids(&list(&h, &format!("?filter.model={STANDARD}")).await),
        [c.as_str()]
    );
    let two = list(&h, &format!("?filter.task_ids={a}&filter.task_ids={c}")).await;
    assert_eq!(
        (two["total"].as_u64(), ids(&two)),
        (Some(2), vec![c.clone(), a.clone()])
    );

    let p1 = list(&h, "?page_num=1&page_size=2").await;
    let p2 = list(&h, "?page_num=2&page_size=2").await;
    let p3 = list(&h, "?page_num=3&page_size=2").await;
    assert_eq!(
        (p1["total"].as_u64(), ids(&p1)),
        (Some(3), vec![c.clone(), b.clone()])
    );
    assert_eq!(ids(&p2), [a.as_str()]);
    assert!(ids(&p3).is_empty());
    assert_eq!(list(&h, "?page_size=500").await["total"], 3);
}

#[tokio::test]
async fn list_rejects_bad_paging_and_filters() {
    let h = instant().await;
    for (q, param) in [
        ("?page_size=0", "page_size"),
        ("?page_size=501", "page_size"),
        ("?page_size=ten", "page_size"),
        ("?page_num=0", "page_num"),
        ("?filter.status=completed", "filter.status"),
    ] {
        h.api("GET", &format!("{TASKS}{q}"), None)
            .await
            .ark_error(400, "InvalidParameter", param);
    }
}

#[tokio::test]
async fn tasks_belong_to_the_key_that_made_them() {
    let h = instant().await;
    let id = h.create("mine").await;
    let other = "sk-someone-else";
    h.api_as(other, "GET", &format!("{TASKS}/{id}"), None)
        .await
        .ark_error(404, "ResourceNotFound", "id");
    assert_eq!(h.api_as(other, "GET", TASKS, None).await.json()["total"], 0);
}

#[tokio::test]
async fn auth_is_required_and_checked() {
    let h = instant().await;
    let body = json!({"model": FAST, "content": [{"type": "text", "text": "x"}]}).to_string();
    for headers in [
        &[][..],
        &[("Authorization", "sk-test")][..],
        &[("Authorization", "Basic c2stdGVzdA==")][..],
        &[("Authorization", "Bearer ")][..],
        &[("Authorization", "Bearer not-an-sk-key")][..],
    ] {
        let r = h.send("POST", TASKS, headers, Some(body.as_bytes())).await;
        r.ark_error(401, "AuthenticationError", "");
        let r = h
            .send(
                "GET",
                &format!("{TASKS}/cgt-20260606160057-aaaaa"),
                headers,
                None,
            )
            .await;
        r.ark_error(401, "AuthenticationError", "");
    }
    assert!(h.tasks().await.is_empty(), "nothing was created");
}

#[tokio::test]
async fn configured_keys_restrict_access() {
    let h = start(SimConfig {
        keys: Some(vec!["k-one".into(), "sk-two".into()]),
        ..SimConfig::fast()
    })
    .await;
    assert_eq!(h.api_as("k-one", "GET", TASKS, None).await.status, 200);
    h.api_as("sk-three", "GET", TASKS, None)
        .await
        .ark_error(401, "AuthenticationError", "");
}

#[tokio::test]
async fn the_no_channel_key_gets_the_resellers_error() {
    let h = instant().await;
    let body = json!({"model": FAST, "content": [{"type": "text", "text": "x"}]});
    let r = h.api_as("sk-no-channel", "POST", TASKS, Some(&body)).await;
    assert_eq!(r.status, 503, "{}", r.text());
    let v = r.json();
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no available channel for this model"),
        "{v}"
    );
    assert_eq!(v["error"]["code"], "model_not_found");
    assert!(r.header("x-request-id").is_some());
    assert!(h.tasks().await.is_empty());
}

#[tokio::test]
async fn sdk_style_bodies_with_nulls_are_accepted() {
    let h = instant().await;
    // What the official Python SDK sends for an unset field: null.
    let id = h
        .create_with(json!({
            "model": FAST, "content": [{"type": "text", "text": "x"}],
            "safety_identifier": null, "callback_url": null, "return_last_frame": null,
            "service_tier": null, "execution_expires_after": null, "priority": null,
            "generate_audio": null, "draft": null, "camera_fixed": null, "watermark": null,
            "seed": null, "resolution": null, "ratio": null, "duration": null, "frames": null,
            "tools": null, "output_format": null, "omni_reference_task_type": null,
        }))
        .await;
    let t = h.wait_for(&id, "succeeded").await;
    assert_eq!(
        (t["resolution"].as_str(), t["duration"].as_u64()),
        (Some("720p"), Some(5))
    );
    assert_eq!(t["generate_audio"], true, "generate_audio defaults to true");
}

#[tokio::test]
async fn every_answer_has_a_request_id_including_unknown_routes() {
    let h = instant().await;
    let r = h.api("GET", "/seedance/api/v3/nope", None).await;
    assert_eq!(r.status, 404);
    assert!(r.header("x-request-id").is_some());
    let r = h.send("GET", "/v1/videos", &[], None).await;
    assert_eq!(r.status, 404);
    assert!(r.header("x-request-id").is_some());
    let r = h.api("PUT", TASKS, None).await;
    assert_eq!(r.status, 405);
    assert!(r.header("x-request-id").is_some());
    let a = h.api("GET", TASKS, None).await;
    let b = h.api("GET", TASKS, None).await;
    assert_ne!(a.header("x-request-id"), b.header("x-request-id"));
    // The SDK's own id is echoed, as Ark does (the official SDK reads it back).
    let auth = format!("Bearer {KEY}");
    let r = h
        .send(
            "GET",
            TASKS,
            &[("Authorization", &auth), ("X-Client-Request-Id", "sdk-123")],
            None,
        )
        .await;
    assert_eq!(r.header("x-client-request-id"), Some("sdk-123"));
}

#[tokio::test]
async fn keep_alive_connections_serve_several_requests() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let h = instant().await;
    let mut s = tokio::net::TcpStream::connect(h.sim.addr()).await.unwrap();
    let req = format!("GET {TASKS} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\n\r\n");
    s.write_all(format!("{req}{req}").as_bytes()).await.unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while got.windows(12).filter(|w| w == b"HTTP/1.1 200").count() < 2 {
        let n = s.read(&mut buf).await.unwrap();
        assert!(n > 0, "closed early: {}", String::from_utf8_lossy(&got));
        got.extend_from_slice(&buf[..n]);
    }
}

#[test]
fn a_simulator_on_its_own_thread_serves_until_dropped() {
    let sim = seedance_sim::Sim::start(SimConfig::fast()).expect("starts");
    let addr = sim.addr();
    assert_eq!(sim.base_url(), format!("http://{addr}"));
    assert_eq!(sim.api_url(), format!("http://{addr}/seedance/api/v3"));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let r = rt
        .block_on(raw(addr, "GET", "/_sim/health", &[], None))
        .expect("answers");
    assert_eq!(r.status, 200);
    drop(sim);
    let after = rt.block_on(tokio::net::TcpStream::connect(addr));
    assert!(
        after.is_err(),
        "the port is closed once the handle is dropped"
    );
}
