//! Account limits: a cap on running tasks per key and model (the rest wait `queued`), a
//! create rate per key and model (the rest get 429 with `Retry-After`), and the timeline
//! route a client test uses to check how many tasks it had in flight.

use std::time::{Duration, Instant};

use seedance_sim::{AccountLimits, SimConfig};
use serde_json::{json, Value};

use crate::common::*;

fn ms(v: &Value) -> Option<u64> {
    v.as_u64()
}

/// The most tasks whose `[running_at_ms, finished_at_ms)` overlap at one moment.
fn most_running(tasks: &[Value]) -> usize {
    tasks
        .iter()
        .filter_map(|t| ms(&t["running_at_ms"]))
        .map(|at| {
            tasks
                .iter()
                .filter(|u| {
                    ms(&u["running_at_ms"]).is_some_and(|s| s <= at)
                        && ms(&u["finished_at_ms"]).is_none_or(|f| f > at)
                })
                .count()
        })
        .max()
        .unwrap_or(0)
}

async fn timeline(h: &Harness, key: &str) -> Vec<Value> {
    h.control("GET", &format!("/tasks?key={key}"), None)
        .await
        .as_array()
        .cloned()
        .unwrap()
}

fn text_to_video(model: &str) -> Value {
    json!({"model": model, "content": [{"type": "text", "text": "x"}]})
}

#[tokio::test]
async fn over_the_cap_tasks_wait_queued_until_a_slot_frees() {
    let (queued, running) = (100, 1500);
    let h = start(
        SimConfig::fast()
            .with_timings(phases(queued, 0, running))
            .with_account(AccountLimits {
                max_running: Some(3),
                ..AccountLimits::default()
            }),
    )
    .await;
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(h.create_with(text_to_video(FAST)).await);
    }
    // Slots are per key and per model: these run at once, whatever the first key does.
    let other_key = h
        .api_as(
            "sk-other-account",
            "POST",
            TASKS,
            Some(&text_to_video(FAST)),
        )
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let other_model = h.create_with(text_to_video(STANDARD)).await;
    tokio::time::sleep(Duration::from_millis(queued + 200)).await;
    assert_eq!(
        h.get_task(&ids[4]).await["status"],
        "queued",
        "the fifth waits"
    );
    assert_eq!(h.get_task(&other_model).await["status"], "running");
    let r = h
        .api_as(
            "sk-other-account",
            "GET",
            &format!("{TASKS}/{other_key}"),
            None,
        )
        .await;
    assert_eq!(r.json()["status"], "running");

    for id in &ids {
        h.wait_for(id, "succeeded").await;
    }
    let tasks: Vec<Value> = timeline(&h, KEY)
        .await
        .into_iter()
        .filter(|t| t["model"] == FAST)
        .collect();
    assert_eq!(tasks.len(), 5);
    assert_eq!(
        most_running(&tasks),
        3,
        "three at once, never more: {tasks:?}"
    );
    for t in &tasks {
        let (c, r, f) = (
            ms(&t["created_at_ms"]).unwrap(),
            ms(&t["running_at_ms"]).unwrap(),
            ms(&t["finished_at_ms"]).unwrap(),
        );
        assert!(c + queued <= r && r + running == f, "{t}");
    }
    // The fourth and fifth started the moment a slot freed: when an earlier task finished.
    for late in &tasks[3..] {
        let start = ms(&late["running_at_ms"]).unwrap();
        assert!(
            start > ms(&late["created_at_ms"]).unwrap() + queued,
            "{late}"
        );
        assert!(
            tasks[..3]
                .iter()
                .any(|t| ms(&t["finished_at_ms"]) == Some(start)),
            "{late} did not start when a slot freed: {tasks:?}"
        );
    }
}

#[tokio::test]
async fn the_cap_can_be_set_at_run_time_and_applies_to_new_tasks() {
    let h = start(SimConfig::fast().with_timings(phases(0, 0, 60_000))).await;
    let before = h.create("x").await;
    let c = h
        .control(
            "POST",
            "/config",
            Some(json!({"account": {"max_running": 1}})),
        )
        .await;
    assert_eq!(
        c["account"],
        json!({"max_running": 1, "create_rate": null, "create_window_secs": 60})
    );
    let after = h.create("x").await;
    assert_eq!(h.get_task(&before).await["status"], "running");
    assert_eq!(
        h.get_task(&after).await["status"],
        "queued",
        "the one slot is taken"
    );
    // A queued task can be cancelled; it never held a slot.
    assert_eq!(
        h.api("DELETE", &format!("{TASKS}/{after}"), None)
            .await
            .status,
        200
    );
    let c = h
        .control(
            "POST",
            "/config",
            Some(json!({"account": {"max_running": null}})),
        )
        .await;
    assert_eq!(c["account"]["max_running"], json!(null));
    let third = h.create("x").await;
    assert_eq!(h.get_task(&third).await["status"], "running");
    let tasks = timeline(&h, KEY).await;
    let cancelled = tasks.iter().find(|t| t["id"] == after.as_str()).unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["running_at_ms"], json!(null));
    assert_eq!(cancelled["plan"]["max_running"], 1);
}

#[tokio::test]
async fn creates_over_the_rate_get_429_and_retry_after_is_accurate() {
    let window = 3;
    let h = start(SimConfig::fast().with_account(AccountLimits {
        create_rate: Some(1),
        create_window_secs: window,
        ..AccountLimits::default()
    }))
    .await;
    let first = Instant::now();
    h.create("x").await;
    let r = h.api("POST", TASKS, Some(&text_to_video(FAST))).await;
    let e = r.ark_error(429, "RateLimitExceeded.FoundationModelRPMExceeded", "");
    assert_eq!(e["error"]["type"], "TooManyRequests");
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    if first.elapsed() < Duration::from_millis(900) {
        // The first create leaves the window 3 s after it was made: 2.1..3 s from now.
        assert_eq!(retry, window, "Retry-After rounds up to whole seconds");
    }
    assert_eq!(h.tasks().await.len(), 1, "a refused create makes no task");
    // Per key and model: another model and another key are not limited by this one.
    h.create_with(text_to_video(STANDARD)).await;
    let other = h
        .api_as("sk-another", "POST", TASKS, Some(&text_to_video(FAST)))
        .await;
    assert_eq!(other.status, 200, "{}", other.text());

    // A second before the window frees, still refused, and told to wait the rest.
    tokio::time::sleep(Duration::from_secs(retry - 1)).await;
    let r = h.api("POST", TASKS, Some(&text_to_video(FAST))).await;
    if first.elapsed() < Duration::from_millis(window * 1000 - 50) {
        assert_eq!(r.status, 429, "{}", r.text());
        let again: u64 = r.header("retry-after").unwrap().parse().unwrap();
        assert_eq!(again, 1);
        tokio::time::sleep(Duration::from_secs(again)).await;
    }
    // After Retry-After, the same create goes through.
    h.create("x").await;
}

#[tokio::test]
async fn the_timeline_names_keys_by_digest_and_keeps_deleted_records() {
    let h = instant().await;
    let done = h.create("x").await;
    h.create_with(json!({"model": FAST, "content": [{"type": "text", "text": "[queued]"}]}))
        .await;
    assert_eq!(
        h.api("DELETE", &format!("{TASKS}/{done}"), None)
            .await
            .status,
        200
    );
    h.api_as("sk-someone-else", "POST", TASKS, Some(&text_to_video(FAST)))
        .await;
    let all = h.tasks().await;
    assert_eq!(all.len(), 3);
    let mine = timeline(&h, KEY).await;
    assert_eq!(mine.len(), 2, "?key= keeps one key's tasks");
    let digest = mine[0]["key_digest"].as_str().unwrap();
    assert!(
        digest.len() == 16 && digest.chars().all(|c| c.is_ascii_hexdigit()),
        "{digest}"
    );
    assert_eq!(mine[1]["key_digest"], digest);
    assert_ne!(all[2]["key_digest"], digest);
    let text = serde_json::to_string(&all).unwrap();
    assert!(
        !text.contains(KEY) && !text.contains("sk-someone-else"),
        "{text}"
    );
    let (d, held) = (&mine[0], &mine[1]);
    assert_eq!(
        (d["id"].as_str(), d["deleted"].as_bool()),
        (Some(done.as_str()), Some(true))
    );
    assert_eq!(d["status"], "succeeded");
    assert!(ms(&d["finished_at_ms"]) >= ms(&d["running_at_ms"]));
    assert_eq!(held["status"], "queued");
    assert_eq!(
        (
            held["running_at_ms"].clone(),
            held["finished_at_ms"].clone()
        ),
        (json!(null), json!(null))
    );
}
