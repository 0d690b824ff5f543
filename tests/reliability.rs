//! The reliability suite: every fault the simulator can inject, against one `generate`.
//!
//! For each fault the caller must see the expected outcome, the server must receive at
//! most one create it processed (a 429 is a refusal, so a retry after it is no second
//! create), and every task the server created must have reached the caller: through
//! `on_created`, the error's task id, or — when the create's answer was lost —
//! `find_recent`, the documented way back. The matrix is printed as a Markdown table
//! (`cargo test --test reliability -- --nocapture`).
#![cfg(not(target_arch = "wasm32"))]

mod sim_support;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use seedance::{CreateTaskRequest, Error, Model, RecentFilter, TaskStatus, WaitOptions};
use serde_json::{json, Value};
use sim_support::{fast_policy, SimHandle};

/// One row of the matrix.
struct Case {
    name: &'static str,
    faults: Value,
    /// What the caller must see: `succeeded`, or the error's kind.
    expect: &'static str,
}

fn cases() -> Vec<Case> {
    let case = |name, faults, expect| Case {
        name,
        faults,
        expect,
    };
    vec![
        case("no fault", json!([]), "succeeded"),
        case(
            "429 storm on create (3 × Retry-After 1 s)",
            json!(["429=1,times=3,on=create"]),
            "succeeded",
        ),
        case(
            "429 storm on polls (4 ×)",
            json!(["429=1,times=4,on=get"]),
            "succeeded",
        ),
        case("500 on polls (3 ×)", json!(["500,times=3"]), "succeeded"),
        case(
            "502 HTML page on polls (2 ×)",
            json!(["502,times=2"]),
            "succeeded",
        ),
        case("503 on polls (2 ×)", json!(["503,times=2"]), "succeeded"),
        case(
            "503 on create",
            json!(["503,times=1,on=create"]),
            "outcome unknown",
        ),
        case(
            "500 on create",
            json!(["500,times=1,on=create"]),
            "outcome unknown",
        ),
        case(
            "dropped connection on polls (2 ×)",
            json!(["drop,times=2,on=get"]),
            "succeeded",
        ),
        case(
            "dropped connection on create",
            json!(["drop,times=1,on=create"]),
            "outcome unknown",
        ),
        case(
            "slow answers on polls (300 ms)",
            json!(["slow=300,on=get"]),
            "succeeded",
        ),
        case(
            "slow create answer past the timeout",
            json!(["slow=3000,times=1,on=create"]),
            "outcome unknown",
        ),
        case(
            "malformed bodies on polls (2 ×)",
            json!(["malformed,times=2"]),
            "succeeded",
        ),
        case(
            "unknown statuses on polls (3 ×)",
            json!(["unknown-status,times=3"]),
            "succeeded",
        ),
        case(
            "lost create answer (task made, connection closed)",
            json!(["lost-create,times=1"]),
            "outcome unknown",
        ),
        case(
            "expired result link (URL lifetime 0)",
            json!("expire-link"),
            "succeeded; expired link refused (403)",
        ),
        case("every poll fails (500)", json!(["500"]), "api 500"),
    ]
}

/// What happened in one row.
struct Row {
    outcome: String,
    /// Creates the server processed (answered other than 429, or created a task unanswered).
    processed_posts: usize,
    posts: usize,
    created: BTreeSet<String>,
    reached: BTreeSet<String>,
}

fn kind(e: &Error) -> String {
    match e {
        Error::OutcomeUnknown { .. } => "outcome unknown".into(),
        Error::Api(a) => format!("api {}", a.status),
        Error::WaitTimeout { .. } | Error::Network { .. } | Error::Decode { .. } => {
            "gave up".into()
        }
        other => format!("{other:?}"),
    }
}

async fn run(index: usize, case: &Case) -> Row {
    let sim = SimHandle::start().await;
    let key = sim_support::test_key(&format!("reliability-{index}"));
    let client = sim
        .client(&key)
        .with_request_timeout(Duration::from_millis(1500));
    // "expire-link" is no fault: the simulator signs result links that are dead at once.
    let expire_link = case.faults == "expire-link";
    if expire_link {
        sim.config(json!({ "url_ttl_secs": 0 })).await;
    } else {
        sim.faults(case.faults.clone()).await;
    }
    let seen = Arc::new(Mutex::new(BTreeSet::new()));
    let on_created = Arc::clone(&seen);
    let req = CreateTaskRequest::text_to_video(Model::Fast, "a lighthouse in a storm");
    let policy = seedance::PollPolicy {
        max_retries: 4,
        ..fast_policy()
    };
    let result = client
        .generate(
            &req,
            WaitOptions::new().policy(policy).on_created(move |id| {
                on_created.lock().unwrap().insert(id.to_owned());
            }),
        )
        .await;
    sim.clear_faults().await;
    let mut reached = seen.lock().unwrap().clone();
    let outcome = match &result {
        Ok(task) => {
            reached.insert(task.id.clone());
            assert_eq!(task.status, TaskStatus::Succeeded);
            if expire_link {
                let err = client
                    .fetch_bytes(task.video_url().expect("a video URL"))
                    .await
                    .expect_err("an expired link is refused");
                format!(
                    "succeeded; expired link refused ({})",
                    kind(&err).trim_start_matches("api ")
                )
            } else {
                "succeeded".to_owned()
            }
        }
        Err(e) => {
            if let Some(id) = e.task_id() {
                reached.insert(id.to_owned());
            }
            if let Some(filter) = RecentFilter::for_outcome(e) {
                for task in client.find_recent(&filter).await.expect("find_recent") {
                    reached.insert(task.id);
                }
            }
            save_error(index, e);
            kind(e)
        }
    };
    sim.save_log(&format!("reliability-{index}")).await;
    let log = sim.requests().await;
    let posts: Vec<&Value> = log
        .iter()
        .filter(|e| e["method"] == "POST" && e["path"].as_str().unwrap_or("").ends_with("/tasks"))
        .collect();
    let processed_posts = posts.iter().filter(|e| e["status"] != 429).count();
    let created = sim
        .tasks()
        .await
        .iter()
        .filter_map(|t| t["id"].as_str().map(str::to_owned))
        .collect();
    Row {
        outcome,
        processed_posts,
        posts: posts.len(),
        created,
        reached,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_matrix() {
    let cases = cases();
    // Side by side: each row has its own simulator and mostly waits on timers.
    let mut set = tokio::task::JoinSet::new();
    for (i, case) in self::cases().into_iter().enumerate() {
        set.spawn(async move { (i, run(i, &case).await) });
    }
    let mut rows: Vec<(usize, Row)> = set.join_all().await;
    rows.sort_by_key(|(i, _)| *i);
    let rows: Vec<Row> = rows.into_iter().map(|(_, r)| r).collect();
    let mut table = String::from(
        "| fault | outcome | POSTs (processed) | tasks created | ids that reached the caller |\n|---|---|---:|---:|---|\n",
    );
    let mut failures = Vec::new();
    for (case, row) in cases.iter().zip(&rows) {
        let lost: Vec<_> = row.created.difference(&row.reached).collect();
        table.push_str(&format!(
            "| {} | {} | {} ({}) | {} | {} |\n",
            case.name,
            row.outcome,
            row.posts,
            row.processed_posts,
            row.created.len(),
            if lost.is_empty() {
                "all".to_owned()
            } else {
                format!("**lost {lost:?}**")
            },
        ));
        if row.outcome != case.expect {
            failures.push(format!(
                "{}: expected {}, got {}",
                case.name, case.expect, row.outcome
            ));
        }
        if row.processed_posts > 1 || row.created.len() > 1 {
            failures.push(format!(
                "{}: {} creates processed, {} tasks",
                case.name,
                row.processed_posts,
                row.created.len()
            ));
        }
        if !lost.is_empty() {
            failures.push(format!(
                "{}: task ids never reached the caller: {lost:?}",
                case.name
            ));
        }
    }
    println!("{table}");
    assert!(failures.is_empty(), "{table}\n{}", failures.join("\n"));
}

/// Under `scripts/test`, keep every error's message (Display and Debug) in the run's logs:
/// the secret scan checks that no message carries the key.
fn save_error(index: usize, e: &Error) {
    if let Some(dir) = std::env::var_os("SEEDANCE_LOG_DIR") {
        let path = std::path::Path::new(&dir).join(format!("reliability-{index}-error.log"));
        std::fs::write(path, format!("{e}\n{e:?}\n")).expect("write the error log");
    }
}
