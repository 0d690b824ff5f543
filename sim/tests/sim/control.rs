//! The control API: request log, reset, tasks, config, health.

use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn the_request_log_holds_what_the_server_received() {
    let h = instant().await;
    let body = json!({"model": FAST, "content": [{"type": "text", "text": "logged"}], "seed": 7});
    let auth = format!("Bearer {KEY}");
    let r = h
        .send(
            "POST",
            TASKS,
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/json"),
                ("Idempotency-Key", "abc-123"),
            ],
            Some(body.to_string().as_bytes()),
        )
        .await;
    assert_eq!(r.status, 200);
    h.api(
        "GET",
        &format!("{TASKS}?page_size=5&filter.status=queued"),
        None,
    )
    .await;
    h.send("GET", "/_sim/health", &[], None).await; // control requests are not logged

    let log = h.requests().await;
    assert_eq!(log.len(), 2, "{log:?}");
    let e = &log[0];
    assert_eq!(
        (e["seq"].as_u64(), e["method"].as_str(), e["path"].as_str()),
        (Some(1), Some("POST"), Some(TASKS))
    );
    assert_eq!(e["query"], "");
    assert_eq!(e["body"], body, "parsed JSON body");
    assert_eq!(
        e["headers"]["authorization"],
        auth.as_str(),
        "the header as sent, for tests to check"
    );
    assert_eq!(e["headers"]["idempotency-key"], "abc-123");
    assert_eq!(e["headers"]["content-type"], "application/json");
    assert_eq!(e["status"], 200);
    assert!(e["time_ms"].as_u64().unwrap() > 1_700_000_000_000);
    let g = &log[1];
    assert_eq!(
        (g["method"].as_str(), g["query"].as_str()),
        (Some("GET"), Some("page_size=5&filter.status=queued"))
    );
    assert_eq!(g["body"], json!(null));
}

#[tokio::test]
async fn media_requests_are_logged_with_their_headers() {
    let h = instant().await;
    let id = h.create("x").await;
    let target = h.video_target(&id).await;
    h.control("POST", "/reset", None).await; // keeps nothing, not even tasks…
    let r = h
        .send("GET", &target, &[("Range", "bytes=0-9")], None)
        .await;
    assert_eq!(
        r.status, 206,
        "…but media URLs do not depend on the task record"
    );
    let log = h.requests().await;
    assert_eq!(log.len(), 1);
    assert!(log[0]["path"].as_str().unwrap().starts_with("/tos/"));
    assert!(log[0]["query"]
        .as_str()
        .unwrap()
        .contains("X-Tos-Signature="));
    assert!(log[0]["headers"].get("authorization").is_none());
    assert_eq!(log[0]["headers"]["range"], "bytes=0-9");
}

#[tokio::test]
async fn reset_clears_log_tasks_and_faults() {
    let h = instant().await;
    h.create("x").await;
    h.set_faults(json!(["503"])).await;
    assert_eq!(
        h.control("POST", "/reset", None).await,
        json!({"reset": true})
    );
    assert!(h.requests().await.is_empty());
    assert!(h.tasks().await.is_empty());
    assert_eq!(h.control("GET", "/faults", None).await, json!([]));
    assert_eq!(h.api("GET", TASKS, None).await.json()["total"], 0);
    assert_eq!(h.requests().await[0]["seq"], 1, "numbering restarts");
}

#[tokio::test]
async fn tasks_view_shows_the_store() {
    let h = instant().await;
    let id = h.create("[queued] held").await;
    let tasks = h.control("GET", "/tasks", None).await;
    let t = &tasks[0];
    assert_eq!(
        (t["id"].as_str(), t["status"].as_str()),
        (Some(id.as_str()), Some("queued"))
    );
    assert_eq!(t["prompt"], "[queued] held");
    assert_eq!(t["plan"]["hold"], true);
    let owner = t["owner"].as_str().unwrap();
    assert!(!owner.contains(KEY), "the key is masked: {owner}");
}

#[tokio::test]
async fn config_and_health() {
    let h = instant().await;
    let health = h.control("GET", "/health", None).await;
    assert_eq!(health["status"], "ok");
    let c = h
        .control(
            "POST",
            "/config",
            Some(json!({"timings": {"queued_ms": 60000}, "url_ttl_secs": 5})),
        )
        .await;
    assert_eq!(
        (
            c["timings"]["queued_ms"].as_u64(),
            c["url_ttl_secs"].as_u64()
        ),
        (Some(60_000), Some(5))
    );
    assert_eq!(h.control("GET", "/config", None).await, c);
    // New tasks follow the new timings.
    let id = h.create("x").await;
    assert_eq!(h.get_task(&id).await["status"], "queued");
}

#[tokio::test]
async fn the_request_log_can_be_filtered_by_key_and_position() {
    let h = instant().await;
    h.api("GET", TASKS, None).await;
    h.api_as("sk-other-test", "GET", TASKS, None).await;
    h.api("GET", TASKS, None).await;
    let mine = h
        .control("GET", &format!("/requests?key={KEY}"), None)
        .await;
    let seqs: Vec<_> = mine
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs, [1, 3]);
    let later = h.control("GET", "/requests?since=2", None).await;
    assert_eq!(later.as_array().unwrap().len(), 1);
    assert_eq!(later[0]["seq"], 3);
    let r = h.send("GET", "/_sim/requests?since=x", &[], None).await;
    assert_eq!(r.status, 400);
}
