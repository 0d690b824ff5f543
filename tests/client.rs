//! The client against `seedance-sim`, the same scenarios natively (reqwest) and in wasm
//! (fetch, in Node and in headless Chromium). Every assertion comes from what the client
//! returned or what the simulator's request log says it received; expected bodies are
//! hand-written JSON, not our serializer's output. No wall-clock limits: timings on two
//! shared cores are not evidence.

mod common;
mod sim_support;

use std::sync::{Arc, Mutex};

use seedance::{
    dataurl, CreateTaskRequest, Error, Model, Progress, Ratio, RecentFilter, References,
    Resolution, TaskStatus, WaitOptions,
};
use serde_json::{json, Value};
use sim_support::*;

/// Each scenario runs natively with its own simulator, and in wasm against the shared one.
macro_rules! scenarios {
    ($($name:ident),* $(,)?) => {
        #[cfg(not(target_arch = "wasm32"))]
        mod native {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let sim = super::SimHandle::start().await;
                    super::$name(&sim).await;
                    sim.save_log(concat!("client-", stringify!($name))).await;
                }
            )*
        }
        #[cfg(target_arch = "wasm32")]
        mod wasm {
            $(
                #[wasm_bindgen_test::wasm_bindgen_test]
                async fn $name() {
                    let sim = super::SimHandle::start().await;
                    super::$name(&sim).await;
                }
            )*
        }
    };
}

scenarios![
    text_to_video_end_to_end,
    first_frame_and_first_last_frame_with_data_urls,
    reference_mode_with_nine_images,
    failed_and_expired_tasks,
    cancel_a_queued_task_and_refuse_a_running_one,
    rate_limits_honour_retry_after,
    server_errors_and_dropped_connections_on_get_are_retried,
    ambiguous_create_is_reported_once_and_found_again,
    lost_create_answer,
    dropping_a_wait_stops_all_requests,
    cancel_on_drop_deletes_a_queued_task,
    signed_urls_are_fetched_without_the_key,
    bad_keys_and_invalid_requests,
    list_get_and_unknown_statuses,
    headers_idempotency_keys_and_proxy_mode,
    resuming_with_cancel_on_drop_never_deletes_a_finished_task,
];

fn key(name: &str) -> String {
    test_key(name)
}

type Seen = Arc<Mutex<Vec<String>>>;

/// Options that record `created:<id>` and each poll's status, in order.
fn recording(seen: &Seen) -> WaitOptions<'static> {
    let (a, b) = (Arc::clone(seen), Arc::clone(seen));
    WaitOptions::new()
        .policy(fast_policy())
        .on_created(move |id| a.lock().unwrap().push(format!("created:{id}")))
        .on_progress(move |p: &Progress| {
            let s = p
                .status
                .as_ref()
                .map_or("error".to_owned(), |s| s.as_str().to_owned());
            b.lock().unwrap().push(s);
        })
}

async fn text_to_video_end_to_end(sim: &SimHandle) {
    let key = key("t2v");
    let client = sim.client(&key);
    let req = CreateTaskRequest::text_to_video(Model::Fast, "Drone shot over an autumn valley")
        .with_resolution(Resolution::P720)
        .with_ratio(Ratio::R16x9)
        .with_duration(5)
        .with_audio(false)
        .with_seed(42);
    let seen: Seen = Arc::default();
    let task = client
        .generate(&req, recording(&seen))
        .await
        .expect("generate");

    assert_eq!(task.status, TaskStatus::Succeeded);
    assert_eq!(task.billed_tokens(), Some(108_900));
    assert_eq!(task.seed, Some(42));
    assert_eq!(task.generate_audio, Some(false));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen[0],
        format!("created:{}", task.id),
        "the id comes first: {seen:?}"
    );
    assert_eq!(seen.last().map(String::as_str), Some("succeeded"));
    assert!(
        seen[1..]
            .iter()
            .all(|s| ["queued", "running", "succeeded"].contains(&s.as_str())),
        "{seen:?}"
    );

    let video = client
        .fetch_bytes(task.video_url().unwrap())
        .await
        .expect("download");
    assert_eq!(&video[4..8], b"ftyp", "an MP4");
    assert!(
        video
            .windows(task.id.len())
            .any(|w| w == task.id.as_bytes()),
        "this task's video"
    );

    let log = sim.requests().await;
    let posts = posts(&log);
    assert_eq!(posts.len(), 1, "exactly one create");
    assert_eq!(
        posts[0]["body"],
        json!({
            "model": "doubao-seedance-2-0-fast-260128",
            "content": [{"type": "text", "text": "Drone shot over an autumn valley"}],
            "resolution": "720p",
            "ratio": "16:9",
            "duration": 5,
            "generate_audio": false,
            "seed": 42
        })
    );
    assert_eq!(header(posts[0], "content-type"), Some("application/json"));
    assert!(gets_of(&log, &task.id).len() >= 2);
    assert_key_hygiene(&log, &key);
}

async fn first_frame_and_first_last_frame_with_data_urls(sim: &SimHandle) {
    let key = key("frames");
    let client = sim.client(&key);
    let first = dataurl::encode(&common::png(640, 480), "image/png");
    let last = dataurl::encode(&common::jpeg(640, 480, 0), "image/jpeg");

    let req = CreateTaskRequest::first_frame(Model::Standard, &first)
        .with_prompt("the camera pulls back");
    let task = client
        .generate(&req, WaitOptions::new().policy(fast_policy()))
        .await
        .expect("first frame");
    assert_eq!(task.status, TaskStatus::Succeeded);

    let req = CreateTaskRequest::first_last_frame(Model::Fast, &first, &last).with_last_frame(true);
    let task = client
        .generate(&req, WaitOptions::new().policy(fast_policy()))
        .await
        .expect("first + last");
    let png = client
        .fetch_bytes(task.last_frame_url().expect("last frame url"))
        .await
        .unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");

    let log = sim.requests().await;
    let posts = posts(&log);
    assert_eq!(posts.len(), 2);
    assert_eq!(
        posts[0]["body"],
        json!({
            "model": "doubao-seedance-2-0-260128",
            "content": [
                {"type": "text", "text": "the camera pulls back"},
                {"type": "image_url", "image_url": {"url": first}, "role": "first_frame"}
            ],
            "generate_audio": true
        })
    );
    assert_eq!(
        posts[1]["body"],
        json!({
            "model": "doubao-seedance-2-0-fast-260128",
            "content": [
                {"type": "image_url", "image_url": {"url": first}, "role": "first_frame"},
                {"type": "image_url", "image_url": {"url": last}, "role": "last_frame"}
            ],
            "generate_audio": true,
            "return_last_frame": true
        })
    );
    assert_key_hygiene(&log, &key);
}

async fn reference_mode_with_nine_images(sim: &SimHandle) {
    let key = key("refs");
    let client = sim.client(&key);
    let urls: Vec<String> = (0..9)
        .map(|i| dataurl::encode(&common::png(400 + i, 400), "image/png"))
        .collect();
    let refs = urls.iter().fold(References::new(), |r, u| r.image(u));
    let req = CreateTaskRequest::reference(Model::Standard, "all nine cats dance", refs);
    let task = client
        .generate(&req, WaitOptions::new().policy(fast_policy()))
        .await
        .expect("reference");
    assert_eq!(task.status, TaskStatus::Succeeded);

    let log = sim.requests().await;
    let posts = posts(&log);
    assert_eq!(posts.len(), 1);
    let mut content = vec![json!({"type": "text", "text": "all nine cats dance"})];
    for u in &urls {
        content
            .push(json!({"type": "image_url", "image_url": {"url": u}, "role": "reference_image"}));
    }
    assert_eq!(
        posts[0]["body"],
        json!({"model": "doubao-seedance-2-0-260128", "content": content, "generate_audio": true})
    );
    assert_key_hygiene(&log, &key);
}

async fn failed_and_expired_tasks(sim: &SimHandle) {
    let key = key("failed");
    let client = sim.client(&key);
    for (prompt, status, code) in [
        (
            "[fail] a forbidden scene",
            TaskStatus::Failed,
            Some("OutputVideoSensitiveContentDetected"),
        ),
        ("[expire] a forgotten scene", TaskStatus::Expired, None),
    ] {
        let req = CreateTaskRequest::text_to_video(Model::Fast, prompt);
        let seen: Seen = Arc::default();
        let err = client.generate(&req, recording(&seen)).await.unwrap_err();
        let created = seen.lock().unwrap()[0].clone();
        match &err {
            Error::TaskFailed { task } => {
                assert_eq!(task.status, status);
                assert_eq!(created, format!("created:{}", task.id));
                if let Some(code) = code {
                    assert_eq!(task.error.as_ref().unwrap().code, code);
                }
            }
            other => panic!("expected a failed task, got {other:?}"),
        }
        assert_eq!(err.code(), code);
        assert!(err.task_id().is_some());
    }
    assert_key_hygiene(&sim.requests().await, &key);
}

async fn cancel_a_queued_task_and_refuse_a_running_one(sim: &SimHandle) {
    let key = key("cancel");
    let client = sim.client(&key);
    let queued = client
        .create_task(&CreateTaskRequest::text_to_video(
            Model::Fast,
            "[queued] waits forever",
        ))
        .await
        .unwrap();
    client
        .delete_task(&queued.id)
        .await
        .expect("cancel a queued task");
    let err = client
        .wait(&queued.id, WaitOptions::new().policy(fast_policy()))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::TaskFailed { task } if task.status == TaskStatus::Cancelled),
        "{err:?}"
    );

    let slow = client
        .create_task(&CreateTaskRequest::text_to_video(
            Model::Fast,
            "[slow] takes its time",
        ))
        .await
        .unwrap();
    loop {
        if client.get_task(&slow.id).await.unwrap().status == TaskStatus::Running {
            break;
        }
        pause(100).await;
    }
    let err = client.delete_task(&slow.id).await.unwrap_err();
    match &err {
        Error::NotCancellable { task_id, status } => {
            assert_eq!(task_id, &slow.id);
            assert_eq!(*status, TaskStatus::Running);
        }
        other => panic!("expected NotCancellable, got {other:?}"),
    }
    assert!(err.to_string().contains("finished and billed"), "{err}");
    let log = sim.requests().await;
    let deletes: Vec<&Value> = log.iter().filter(|e| method(e) == "DELETE").collect();
    assert_eq!(deletes.len(), 2);
    assert_key_hygiene(&log, &key);
}

async fn rate_limits_honour_retry_after(sim: &SimHandle) {
    let key = key("ratelimit");
    let client = sim.client(&key);
    sim.faults(json!(["429=1,times=2,on=create", "429=1,times=3,on=task"]))
        .await;
    let req = CreateTaskRequest::text_to_video(Model::Fast, "rain on a tin roof");
    let task = client
        .generate(&req, WaitOptions::new().policy(fast_policy()))
        .await
        .expect("generate through 429s");
    sim.clear_faults().await;
    assert_eq!(task.status, TaskStatus::Succeeded);

    let log = sim.requests().await;
    let posts = posts(&log);
    assert_eq!(
        posts.len(),
        3,
        "two refused creates, then one that made the task"
    );
    assert_eq!(posts.iter().filter(|e| e["status"] == 429).count(), 2);
    let created = sim
        .tasks()
        .await
        .iter()
        .filter(|t| t["id"].as_str().is_some())
        .count();
    assert!(created >= 1);
    // Each request after a 429 came no sooner than the Retry-After hint (1 s).
    let api: Vec<&Value> = log.iter().filter(|e| is_api(e)).collect();
    let mut checked = 0;
    for pair in api.windows(2) {
        if pair[0]["status"] == 429 {
            let gap = pair[1]["time_ms"].as_u64().unwrap() - pair[0]["time_ms"].as_u64().unwrap();
            assert!(
                gap >= 1000,
                "retried {gap} ms after a 429 that asked for 1000 ms"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 5, "every 429 was followed by a retry");
    assert_key_hygiene(&log, &key);
}

async fn server_errors_and_dropped_connections_on_get_are_retried(sim: &SimHandle) {
    let key = key("flaky");
    let client = sim.client(&key);
    // Five failed polls in a row, as many as `max_retries`: every one is retried.
    sim.faults(json!([
        "malformed,times=1,on=task",
        "503,times=2,on=task",
        "502,times=1,on=task",
        "drop,times=1,on=task"
    ]))
    .await;
    let req = CreateTaskRequest::text_to_video(Model::Fast, "a lighthouse in a storm");
    let seen: Seen = Arc::default();
    let task = client.generate(&req, recording(&seen)).await.unwrap();
    sim.clear_faults().await;
    assert_eq!(task.status, TaskStatus::Succeeded);
    let log = sim.requests().await;
    let faults: Vec<&str> = gets_of(&log, &task.id)
        .iter()
        .filter_map(|e| e["fault"].as_str())
        .collect();
    assert_eq!(
        faults.len(),
        5,
        "malformed, 503, 503, 502 and drop each hit once: {faults:?}"
    );
    let seen = seen.lock().unwrap().clone();
    let errors = seen.iter().filter(|s| *s == "error").count();
    // Natively and in Node every fault reaches the client. A browser silently retries a
    // GET whose keep-alive connection was closed unanswered, so there the dropped
    // connection may never surface; the other answers always do.
    #[cfg(not(target_arch = "wasm32"))]
    assert_eq!(
        errors, 5,
        "every failed poll reported and retried: {seen:?}"
    );
    #[cfg(target_arch = "wasm32")]
    assert!(
        (4..=5).contains(&errors),
        "the failed polls were retried: {seen:?}"
    );

    // One failure more than `max_retries` ends the wait, with the task id kept; the same
    // task can be waited on again once the server recovers.
    sim.faults(json!(["500,on=task"])).await;
    let req = CreateTaskRequest::text_to_video(Model::Fast, "a second lighthouse");
    let err = client
        .generate(&req, WaitOptions::new().policy(fast_policy()))
        .await
        .unwrap_err();
    sim.clear_faults().await;
    assert_eq!(err.http_status(), Some(500), "{err:?}");
    let task_id = err.task_id().expect("the id is kept").to_owned();
    assert_eq!(
        gets_of(&sim.requests().await, &task_id).len(),
        6,
        "the first GET and five retries"
    );
    let task = client
        .wait(&task_id, WaitOptions::new().policy(fast_policy()))
        .await
        .unwrap();
    assert_eq!(task.status, TaskStatus::Succeeded);
    assert_eq!(
        posts(&sim.requests().await).len(),
        2,
        "nothing was created twice"
    );
    assert_key_hygiene(&sim.requests().await, &key);
}

async fn ambiguous_create_is_reported_once_and_found_again(sim: &SimHandle) {
    let key = key("ambiguous");
    // The create reaches the server and makes a task, but its answer comes after the
    // client's timeout: the client can't know, and must neither resend nor lose it.
    let client = sim
        .client(&key)
        .with_request_timeout(std::time::Duration::from_millis(1500));
    sim.faults(json!(["slow=4000,times=1,on=create"])).await;
    let req = CreateTaskRequest::text_to_video(Model::Fast, "a create whose answer is late");
    let err = client
        .generate(&req, WaitOptions::new().policy(fast_policy()))
        .await
        .unwrap_err();
    sim.clear_faults().await;
    match &err {
        Error::OutcomeUnknown {
            model,
            sent_at,
            reason,
            ..
        } => {
            assert_eq!(model.as_deref(), Some("doubao-seedance-2-0-fast-260128"));
            assert!(sent_at.is_some());
            assert!(reason.contains("timed out"), "{reason}");
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
    assert!(
        err.to_string().contains("A task may exist and be billed"),
        "{err}"
    );
    assert!(!err.is_retryable());
    assert_eq!(posts(&sim.requests().await).len(), 1, "never resent");

    let filter = RecentFilter::for_outcome(&err).unwrap();
    let found = client.find_recent(&filter).await.expect("find_recent");
    assert_eq!(found.len(), 1, "the task is found: {found:?}");
    let task = client
        .wait(&found[0].id, WaitOptions::new().policy(fast_policy()))
        .await
        .unwrap();
    assert_eq!(task.status, TaskStatus::Succeeded);
    assert_key_hygiene(&sim.requests().await, &key);
}

async fn lost_create_answer(sim: &SimHandle) {
    let key = key("lostcreate");
    let client = sim.client(&key);
    sim.faults(json!(["lost-create,times=1"])).await;
    let req = CreateTaskRequest::text_to_video(Model::Fast, "a create whose connection drops");
    let result = client.create_task(&req).await;
    sim.clear_faults().await;
    let log = sim.requests().await;
    if in_browser() {
        // Chromium (page or worker) re-sends a request, POST included, when a reused keep-alive connection
        // closes before any answer: the page never sees the failure, and the server gets
        // two creates (two bills). Our code can't stop it; an Idempotency-Key honoured by a
        // proxy (the Worker) can. This pins the behaviour so a change is noticed.
        let created = result.expect("the browser's resend succeeded");
        assert_eq!(posts(&log).len(), 2, "the browser resent the create");
        assert_eq!(
            log.iter().filter(|e| e["fault"] == "lost-create").count(),
            1
        );
        assert!(created.id.starts_with("cgt-"));
    } else {
        let err = result.unwrap_err();
        assert!(matches!(err, Error::OutcomeUnknown { .. }), "{err:?}");
        assert_eq!(posts(&log).len(), 1, "never resent");
        let found = client
            .find_recent(&RecentFilter::for_outcome(&err).unwrap())
            .await
            .unwrap();
        assert_eq!(found.len(), 1);
    }
    assert_key_hygiene(&log, &key);
}

/// Whether requests go through a browser's network stack (a page or a Web Worker), not
/// Node's or reqwest's.
fn in_browser() -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        let get = |v: &wasm_bindgen::JsValue, k: &str| js_sys::Reflect::get(v, &k.into()).ok();
        let node = get(&js_sys::global(), "process")
            .and_then(|p| get(&p, "versions"))
            .and_then(|v| get(&v, "node"))
            .is_some_and(|n| n.is_string());
        !node
    }
    #[cfg(not(target_arch = "wasm32"))]
    false
}

async fn dropping_a_wait_stops_all_requests(sim: &SimHandle) {
    let key = key("abort");
    let client = sim.client(&key);
    let task = client
        .create_task(&CreateTaskRequest::text_to_video(
            Model::Fast,
            "[queued] never starts",
        ))
        .await
        .unwrap();
    let out = run_for(
        700,
        client.wait(&task.id, WaitOptions::new().policy(fast_policy())),
    )
    .await;
    assert!(out.is_none(), "still waiting when dropped");
    let before = gets_of(&sim.requests().await, &task.id).len();
    assert!(before >= 2, "it was polling: {before} GETs");
    // Long enough for several more polls if anything were still scheduled.
    pause(1000).await;
    let after = gets_of(&sim.requests().await, &task.id).len();
    assert_eq!(after, before, "no request after the wait was dropped");
    assert_eq!(
        client.get_task(&task.id).await.unwrap().status,
        TaskStatus::Queued,
        "nothing cancelled it"
    );
    client.delete_task(&task.id).await.unwrap();
}

async fn cancel_on_drop_deletes_a_queued_task(sim: &SimHandle) {
    let key = key("cancelondrop");
    let client = sim.client(&key);
    let req = CreateTaskRequest::text_to_video(Model::Fast, "[queued] cancel me when I leave");
    let out = run_for(
        700,
        client.generate(
            &req,
            WaitOptions::new()
                .policy(fast_policy())
                .cancel_on_drop(true),
        ),
    )
    .await;
    assert!(out.is_none());
    let id = posts(&sim.requests().await).len();
    assert_eq!(id, 1);
    let mut status = TaskStatus::Queued;
    for _ in 0..50 {
        let tasks = client.list_tasks(&Default::default()).await.unwrap();
        status = tasks.items[0].status.clone();
        if status == TaskStatus::Cancelled {
            break;
        }
        pause(100).await;
    }
    assert_eq!(status, TaskStatus::Cancelled);
    let log = sim.requests().await;
    assert_eq!(log.iter().filter(|e| method(e) == "DELETE").count(), 1);
    assert_key_hygiene(&log, &key);
}

async fn signed_urls_are_fetched_without_the_key(sim: &SimHandle) {
    let key = key("signed");
    let client = sim.client(&key);
    let task = client
        .generate(
            &CreateTaskRequest::text_to_video(Model::Fast, "clouds"),
            WaitOptions::new().policy(fast_policy()),
        )
        .await
        .unwrap();
    let url = task.video_url().unwrap();
    let expires = task
        .video_expires_at()
        .expect("the URL says when it expires");
    assert!(expires > 1_700_000_000);
    client.fetch_bytes(url).await.expect("a plain GET works");

    // An expired link is refused; a fresh GET of the task signs a new one.
    sim.config(json!({"url_ttl_secs": 0})).await;
    let stale = client.get_task(&task.id).await.unwrap();
    let err = client
        .fetch_bytes(stale.video_url().unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(403));
    sim.config(json!({"url_ttl_secs": 86400})).await;
    let fresh = client.get_task(&task.id).await.unwrap();
    client
        .fetch_bytes(fresh.video_url().unwrap())
        .await
        .expect("a fresh link works");

    let err = client.fetch_bytes("asset://x").await.unwrap_err();
    assert!(matches!(err, Error::InvalidArgument { .. }));
    let log = sim.requests().await;
    let tos: Vec<&Value> = log
        .iter()
        .filter(|e| path(e).starts_with("/tos/"))
        .collect();
    // A browser may answer the fresh link (same URL as the first, signed in the same second)
    // from its HTTP cache; the expired one always reaches the store and is refused.
    assert!(tos.len() >= 2, "{tos:?}");
    assert_eq!(tos.iter().filter(|e| e["status"] == 403).count(), 1);
    assert_key_hygiene(&log, &key);
}

async fn bad_keys_and_invalid_requests(sim: &SimHandle) {
    let req = CreateTaskRequest::text_to_video(Model::Fast, "x");
    let err = sim
        .client("not-a-valid-key")
        .create_task(&req)
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(401));
    assert_eq!(err.code(), Some("AuthenticationError"));

    let err = sim
        .client("sk-no-channel")
        .create_task(&req)
        .await
        .unwrap_err();
    match &err {
        Error::Api(e) => assert!(e.is_no_channel(), "{e}"),
        other => panic!("a refusal, not an ambiguous create: {other:?}"),
    }
    assert!(err.to_string().contains("SeeDance2 group"), "{err}");

    // Invalid input: every problem reported, nothing sent.
    let before = sim.requests().await.len();
    let bad = CreateTaskRequest::first_frame(Model::Fast, "ftp://example.com/a.png")
        .with_resolution(Resolution::P1080)
        .with_duration(30);
    let err = sim
        .client(&key("invalid"))
        .generate(&bad, WaitOptions::new())
        .await
        .unwrap_err();
    match &err {
        Error::Validation(v) => {
            let fields: Vec<&str> = v.errors().map(|i| i.field.as_str()).collect();
            assert_eq!(
                fields,
                ["resolution", "duration", "content[0].image_url.url"]
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(sim.requests().await.len(), before, "nothing was sent");
}

async fn list_get_and_unknown_statuses(sim: &SimHandle) {
    let key = key("list");
    let client = sim.client(&key);
    let a = client
        .create_task(&CreateTaskRequest::text_to_video(Model::Fast, "one"))
        .await
        .unwrap();
    let b = client
        .create_task(&CreateTaskRequest::text_to_video(
            Model::Standard,
            "[unknown-status] two",
        ))
        .await
        .unwrap();
    let seen: Seen = Arc::default();
    let s = Arc::clone(&seen);
    let task = client
        .wait(
            &b.id,
            WaitOptions::new()
                .policy(fast_policy())
                .on_progress(move |p: &Progress| {
                    if let Some(st) = &p.status {
                        s.lock().unwrap().push(st.as_str().to_owned());
                    }
                }),
        )
        .await
        .unwrap();
    assert_eq!(task.status, TaskStatus::Succeeded);
    assert!(
        seen.lock().unwrap().iter().any(|s| s == "preprocessing"),
        "an unknown status is surfaced, not fatal"
    );

    let all = client.list_tasks(&Default::default()).await.unwrap();
    assert_eq!(all.total, 2);
    assert_eq!(all.items[0].id, b.id, "newest first");
    let std_only = client
        .list_tasks(&seedance::protocol::ListQuery {
            model: Some(Model::Standard.as_str().into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(std_only.items.len(), 1);
    let by_id = client
        .list_tasks(&seedance::protocol::ListQuery {
            task_ids: vec![a.id.clone()],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(by_id.items[0].id, a.id);
    let err = client
        .get_task("cgt-20990101000000-nope0")
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(404));
    assert_eq!(err.task_id(), Some("cgt-20990101000000-nope0"));
    assert_key_hygiene(&sim.requests().await, &key);
}

async fn headers_idempotency_keys_and_proxy_mode(sim: &SimHandle) {
    let key = key("headers");
    let req = CreateTaskRequest::text_to_video(Model::Fast, "headers");
    let client = sim
        .client(&key)
        .with_header("X-Client-Id", "visitor-7")
        .unwrap()
        .with_idempotency(true);
    let a = client.create_task(&req).await.unwrap();
    client.create_task(&req).await.unwrap();
    client
        .create_task_with_key(&req, Some("my-create-1"))
        .await
        .unwrap();
    let task = client
        .wait(&a.id, WaitOptions::new().policy(fast_policy()))
        .await
        .unwrap();
    client.fetch_bytes(task.video_url().unwrap()).await.unwrap();

    let log = sim.requests().await;
    let keys: Vec<&str> = posts(&log)
        .iter()
        .map(|e| header(e, "idempotency-key").unwrap())
        .collect();
    assert_eq!(keys.len(), 3);
    assert_ne!(keys[0], keys[1], "a fresh key per create");
    assert!(
        keys[0].starts_with("seedance-") && keys[0].len() > 20,
        "{}",
        keys[0]
    );
    assert_eq!(keys[2], "my-create-1");
    for e in &log {
        let expected = if is_api(e) { Some("visitor-7") } else { None };
        assert_eq!(
            header(e, "x-client-id"),
            expected,
            "custom headers go to API routes only: {e}"
        );
    }
    assert_key_hygiene(&log, &key);

    // Behind a proxy that adds the key, the client sends none (here the simulator refuses).
    let err = sim
        .client(&key)
        .without_auth()
        .get_task(&a.id)
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(401));
    let last = sim.requests().await.pop().unwrap();
    assert_eq!(header(&last, "authorization"), None);
}

#[cfg(not(target_arch = "wasm32"))]
#[tokio::test]
async fn a_create_that_never_connects_is_not_ambiguous() {
    // A port nobody listens on: the connection is refused before any byte is sent.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = seedance::Client::new(seedance::ApiKey::new("sk-test-refused").unwrap())
        .with_base_url(&format!("http://127.0.0.1:{port}/seedance/api/v3"))
        .unwrap();
    let err = client
        .create_task(&CreateTaskRequest::text_to_video(
            Model::Fast,
            "nobody home",
        ))
        .await
        .unwrap_err();
    match &err {
        Error::Network {
            operation, message, ..
        } => {
            assert_eq!(*operation, seedance::Operation::Create);
            assert!(message.contains("no task was created"), "{message}");
        }
        other => panic!("a refused connection made nothing: {other:?}"),
    }
    assert!(
        !err.is_retryable(),
        "the caller decides whether to try again"
    );
}

async fn resuming_with_cancel_on_drop_never_deletes_a_finished_task(sim: &SimHandle) {
    let key = key("resume");
    let client = sim.client(&key);
    let req = CreateTaskRequest::text_to_video(Model::Fast, "finished long ago");
    let done = client
        .generate(&req, WaitOptions::new().policy(fast_policy()))
        .await
        .unwrap();
    // A resumed wait dropped before its first poll knows nothing of the task's status: it
    // must not DELETE, which would delete a paid result.
    let slow_first_poll = seedance::PollPolicy {
        first_delay: std::time::Duration::from_secs(5),
        ..fast_policy()
    };
    let out = run_for(
        300,
        client.wait(
            &done.id,
            WaitOptions::new()
                .policy(slow_first_poll)
                .cancel_on_drop(true),
        ),
    )
    .await;
    assert!(out.is_none());
    pause(500).await;
    let log = sim.requests().await;
    assert_eq!(log.iter().filter(|e| method(e) == "DELETE").count(), 0);
    assert_eq!(
        client.get_task(&done.id).await.unwrap().status,
        TaskStatus::Succeeded
    );
}

/// A proxy that answers every request with 502 and an error page echoing the request's
/// headers, as some misconfigured gateways do: a stand-in for a remote, not for our code.
#[cfg(not(target_arch = "wasm32"))]
#[tokio::test]
async fn a_proxy_echoing_headers_does_not_leak_the_key_into_errors() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(2) {
            let mut stream = stream.unwrap();
            let mut buf = [0u8; 8192];
            let n = stream.read(&mut buf).unwrap_or(0);
            let echoed = String::from_utf8_lossy(&buf[..n]).replace("\r\n", "<br>");
            let body = format!("<html>Bad gateway. Your request: {echoed}</html>");
            let _ = write!(
                stream,
                "HTTP/1.1 502 Bad Gateway\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    let secret = "sk-live-abcdefghijklmnopqrstuvwxyz123456";
    let client = seedance::Client::new(seedance::ApiKey::new(secret).unwrap())
        .with_base_url(&format!("http://127.0.0.1:{port}/api/v3"))
        .unwrap();
    let err = client.get_task("cgt-1").await.unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("Bad gateway"), "{shown}");
    assert!(!shown.contains(secret), "the key leaked: {shown}");
    assert!(
        shown.contains("sk-…456"),
        "the key's redacted form stands in: {shown}"
    );
    let err = client
        .create_task(&CreateTaskRequest::text_to_video(Model::Fast, "x"))
        .await
        .unwrap_err();
    assert!(!format!("{err} {err:?}").contains(secret));
}
