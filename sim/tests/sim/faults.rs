//! Every per-run fault, its counting, and switching faults at run time.

use std::time::Instant;

use seedance_sim::{FaultKind, FaultSpec, Scope, SimConfig};
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn rate_limit_for_the_next_n_requests_with_retry_after() {
    let h = instant().await;
    h.set_faults(json!(["429=7,times=2"])).await;
    for _ in 0..2 {
        let r = h.api("GET", TASKS, None).await;
        r.ark_error(429, "RateLimitExceeded.EndpointRPMExceeded", "");
        assert_eq!(r.header("retry-after"), Some("7"));
    }
    assert_eq!(
        h.api("GET", TASKS, None).await.status,
        200,
        "third request passes"
    );
    let log = h.requests().await;
    let faults: Vec<_> = log.iter().map(|e| e["fault"].clone()).collect();
    assert_eq!(faults, [json!("429=7"), json!("429=7"), json!(null)]);
    let state = h.control("GET", "/faults", None).await;
    assert_eq!(state[0]["fired"], 2);
    assert_eq!(state[0]["remaining"], 0);
}

#[tokio::test]
async fn rate_limit_on_create_creates_nothing() {
    let h = instant().await;
    h.set_faults(json!([{"kind": "429", "value": 1, "on": "create", "times": 1}]))
        .await;
    let body = json!({"model": FAST, "content": [{"type": "text", "text": "x"}]});
    let r = h.api("POST", TASKS, Some(&body)).await;
    assert_eq!(r.status, 429);
    assert!(h.tasks().await.is_empty());
    // GETs are outside `create`: untouched.
    assert_eq!(h.api("GET", TASKS, None).await.status, 200);
    h.create("retry works").await;
}

#[tokio::test]
async fn every_nth_request() {
    let h = instant().await;
    h.set_faults(json!(["500,every=3"])).await;
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(h.api("GET", TASKS, None).await.status);
    }
    assert_eq!(statuses, [200, 200, 500, 200, 200, 500]);
}

#[tokio::test]
async fn server_errors_on_gets_in_their_real_shapes() {
    let h = instant().await;
    let id = h.create("x").await;
    let path = format!("{TASKS}/{id}");

    h.set_faults(json!(["500,times=1"])).await;
    h.api("GET", &path, None)
        .await
        .ark_error(500, "InternalServiceError", "");

    h.set_faults(json!(["503,times=1"])).await;
    h.api("GET", &path, None)
        .await
        .ark_error(503, "ServiceUnavailable", "");

    h.set_faults(json!(["502,times=1"])).await;
    let r = h.api("GET", &path, None).await;
    assert_eq!(r.status, 502);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(
        r.text().contains("502 Bad Gateway"),
        "a gateway's HTML page, not JSON"
    );
    assert!(serde_json::from_slice::<serde_json::Value>(&r.body).is_err());

    // The default scope is GETs: a create still works under a standing 503.
    h.set_faults(json!(["503"])).await;
    h.create("still fine").await;
    assert_eq!(h.api("GET", &path, None).await.status, 503);
}

#[tokio::test]
async fn dropped_connection_gets_no_answer_and_no_processing() {
    let h = instant().await;
    h.set_faults(json!(["drop,times=1,on=create"])).await;
    let body = json!({"model": FAST, "content": [{"type": "text", "text": "x"}]}).to_string();
    let err = h.try_create_raw(&body).await.expect_err("no answer");
    assert_eq!(err.kind(), std::io::ErrorKind::UnexpectedEof, "{err}");
    assert!(h.tasks().await.is_empty(), "not processed");
    let log = h.requests().await;
    assert_eq!(log[0]["status"], json!(null));
    assert_eq!(log[0]["fault"], "drop");
    // Next create goes through.
    h.create("x").await;
}

#[tokio::test]
async fn lost_create_stores_the_task_but_never_answers() {
    let h = instant().await;
    h.set_faults(json!(["lost-create,times=1"])).await;
    let body =
        json!({"model": FAST, "content": [{"type": "text", "text": "ambiguous"}]}).to_string();
    let err = h.try_create_raw(&body).await.expect_err("no answer");
    assert_eq!(err.kind(), std::io::ErrorKind::UnexpectedEof);
    // The task exists: a client can find it by listing.
    let list = h.api("GET", TASKS, None).await.json();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["status"], "succeeded");
    let log = h.requests().await;
    assert_eq!(
        (log[0]["status"].clone(), log[0]["fault"].clone()),
        (json!(null), json!("lost-create"))
    );
}

#[tokio::test]
async fn slow_answers_arrive_late_but_whole() {
    let h = instant().await;
    h.set_faults(json!(["slow=300,times=1"])).await;
    let t0 = Instant::now();
    let r = h.api("GET", TASKS, None).await;
    assert_eq!(r.status, 200);
    assert!(
        t0.elapsed().as_millis() >= 300,
        "the delay is a lower bound"
    );
    assert_eq!(r.json()["total"], 0);
    assert_eq!(h.requests().await[0]["fault"], "slow=300");
}

#[tokio::test]
async fn malformed_json_on_get() {
    let h = instant().await;
    let id = h.create("x").await;
    h.set_faults(json!(["malformed,times=1"])).await;
    let r = h.api("GET", &format!("{TASKS}/{id}"), None).await;
    assert_eq!(r.status, 200);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    assert!(!r.body.is_empty());
    assert!(
        serde_json::from_slice::<serde_json::Value>(&r.body).is_err(),
        "{}",
        r.text()
    );
    assert!(r.text().starts_with('{'));
    assert_eq!(
        h.get_task(&id).await["id"],
        id.as_str(),
        "only the next GET"
    );
}

#[tokio::test]
async fn unknown_status_value_on_get_and_list() {
    let h = instant().await;
    let id = h.create("x").await;
    h.set_faults(json!(["unknown-status=pending_review,times=2"]))
        .await;
    assert_eq!(h.get_task(&id).await["status"], "pending_review");
    let list = h.api("GET", TASKS, None).await.json();
    assert_eq!(list["items"][0]["status"], "pending_review");
    assert_eq!(h.get_task(&id).await["status"], "succeeded");
}

#[tokio::test]
async fn faults_from_the_config_and_scopes() {
    let h = start(
        SimConfig::fast().with_fault(
            FaultSpec::new(FaultKind::Status(503))
                .on(Scope::Delete)
                .times(1),
        ),
    )
    .await;
    let id = h.create("[queued]").await;
    h.api("DELETE", &format!("{TASKS}/{id}"), None)
        .await
        .ark_error(503, "ServiceUnavailable", "");
    assert_eq!(
        h.api("DELETE", &format!("{TASKS}/{id}"), None).await.status,
        200
    );
}

#[tokio::test]
async fn faults_on_media_urls() {
    let h = instant().await;
    let id = h.create("x").await;
    let target = h.video_target(&id).await;
    h.set_faults(json!(["503,on=tos,times=1"])).await;
    assert_eq!(h.send("GET", &target, &[], None).await.status, 503);
    assert_eq!(h.send("GET", &target, &[], None).await.status, 200);
}

#[tokio::test]
async fn faults_are_switched_and_cleared_at_run_time() {
    let h = instant().await;
    let set = h
        .set_faults(json!(["drop,every=2", {"kind": "slow", "value": 10, "on": "list"}]))
        .await;
    assert_eq!(set.as_array().unwrap().len(), 2);
    assert_eq!(set[0]["spec"], "drop,on=api,every=2");
    assert_eq!(set[1]["spec"], "slow=10,on=list");
    let cleared = h.control("DELETE", "/faults", None).await;
    assert_eq!(cleared, json!([]));
    for _ in 0..3 {
        assert_eq!(h.api("GET", TASKS, None).await.status, 200);
    }
    let r = h
        .send(
            "POST",
            "/_sim/faults",
            &[],
            Some(br#"{"faults":["explode"]}"#),
        )
        .await;
    assert_eq!(r.status, 400);
    assert!(r.text().contains("unknown fault"), "{}", r.text());
}

#[tokio::test]
async fn the_first_firing_fault_decides() {
    let h = instant().await;
    h.set_faults(json!(["429=1,times=1", "500"])).await;
    assert_eq!(h.api("GET", TASKS, None).await.status, 429);
    assert_eq!(h.api("GET", TASKS, None).await.status, 500);
}
