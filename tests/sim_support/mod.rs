//! The simulator for client tests, natively and in wasm.
//!
//! Natively each test starts its own in-process `seedance-sim` on a free port. A wasm test
//! (Node or Chromium) can't start a server or read the environment at run time, so
//! `scripts/test` starts one simulator and compiles its address in as `SEEDANCE_SIM_URL`;
//! wasm tests run one at a time, tell their requests apart by the log's sequence numbers,
//! and own their tasks through a per-test API key.
#![allow(dead_code)]

use core::future::Future;
use core::pin::pin;
use core::task::Poll;
use std::time::Duration;

use seedance::{Client, Limits, PollPolicy};
use serde_json::Value;

/// An API key for one test: tasks belong to the key that made them, and a wasm run shares
/// its simulator with earlier runs, so the key differs per run too.
pub fn test_key(name: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    let run = js_sys::Date::now() as u64;
    #[cfg(not(target_arch = "wasm32"))]
    let run = 0u64;
    // Every test key carries the canary that scripts/secret-scan.mjs looks for in the logs.
    format!("sk-seedance-canary-{name}-{run:x}")
}

/// Polling fast enough for a simulator whose tasks take about a second.
pub fn fast_policy() -> PollPolicy {
    PollPolicy {
        first_delay: Duration::from_millis(100),
        interval: Duration::from_millis(100),
        growth: 1.0,
        max_delay: Duration::from_millis(200),
        jitter: 0.0,
        deadline: Some(Duration::from_secs(60)),
        max_requests: None,
        max_retries: 5,
        retry_base: Duration::from_millis(100),
    }
}

pub struct SimHandle {
    base: String,
    /// Log entries before this sequence number belong to earlier tests.
    mark: u64,
    #[cfg(not(target_arch = "wasm32"))]
    _sim: seedance_sim::Sim,
}

impl SimHandle {
    #[cfg(not(target_arch = "wasm32"))]
    pub async fn start() -> Self {
        let sim = seedance_sim::Sim::spawn(seedance_sim::SimConfig::fast())
            .await
            .expect("start seedance-sim");
        SimHandle {
            base: sim.base_url().to_owned(),
            mark: 0,
            _sim: sim,
        }
    }

    #[cfg(target_arch = "wasm32")]
    pub async fn start() -> Self {
        let Some(base) = option_env!("SEEDANCE_SIM_URL") else {
            panic!("SEEDANCE_SIM_URL was not set at compile time: run the wasm tests through scripts/test, which starts seedance-sim");
        };
        let base = base.trim_end_matches('/').to_owned();
        let mut sim = SimHandle { base, mark: 0 };
        sim.clear_faults().await;
        sim.mark = sim
            .all_requests()
            .await
            .last()
            .map_or(0, |e| e["seq"].as_u64().unwrap_or(0));
        sim
    }

    pub fn base_url(&self) -> &str {
        &self.base
    }

    pub fn api_url(&self) -> String {
        format!("{}/seedance/api/v3", self.base)
    }

    /// A client for this simulator with its own key, plain-http media allowed and fast polling.
    pub fn client(&self, key: &str) -> Client {
        Client::new(seedance::ApiKey::new(key).unwrap())
            .with_base_url(&self.api_url())
            .unwrap()
            .with_limits(Limits {
                allow_http: true,
                ..Limits::default()
            })
            .with_poll_policy(fast_policy())
            .with_request_timeout(Duration::from_secs(10))
    }

    async fn all_requests(&self) -> Vec<Value> {
        let v = control(&format!("{}/_sim/requests", self.base), "GET", None).await;
        v.as_array().cloned().unwrap_or_default()
    }

    /// Every request the client made during this test, in order. CORS preflights
    /// (`OPTIONS`) are left out: a browser sends them on its own, not our code.
    pub async fn requests(&self) -> Vec<Value> {
        let url = format!("{}/_sim/requests?since={}", self.base, self.mark);
        let all = control(&url, "GET", None)
            .await
            .as_array()
            .cloned()
            .unwrap_or_default();
        all.into_iter().filter(|e| method(e) != "OPTIONS").collect()
    }

    /// Under `scripts/test`, write every request this simulator received (CORS preflights
    /// included) to the run's logs as `NAME.requests.json`, for the secret scan.
    #[cfg(not(target_arch = "wasm32"))]
    pub async fn save_log(&self, name: &str) {
        let Some(dir) = std::env::var_os("SEEDANCE_LOG_DIR") else {
            return;
        };
        let log = self.all_requests().await;
        let path = std::path::Path::new(&dir).join(format!("{name}.requests.json"));
        std::fs::write(&path, Value::Array(log).to_string()).expect("write the request log");
    }

    /// Replace the simulator's faults (`["429=1,times=2,on=get", …]`).
    pub async fn faults(&self, faults: Value) {
        control(
            &format!("{}/_sim/faults", self.base),
            "POST",
            Some(serde_json::json!({ "faults": faults })),
        )
        .await;
    }

    pub async fn clear_faults(&self) {
        control(&format!("{}/_sim/faults", self.base), "DELETE", None).await;
    }

    /// Change the simulator's settings (`{"url_ttl_secs": 0}`, …).
    pub async fn config(&self, config: Value) {
        control(&format!("{}/_sim/config", self.base), "POST", Some(config)).await;
    }

    /// The simulator's own view of its tasks.
    pub async fn tasks(&self) -> Vec<Value> {
        let v = control(&format!("{}/_sim/tasks", self.base), "GET", None).await;
        v.as_array()
            .cloned()
            .or_else(|| v["tasks"].as_array().cloned())
            .unwrap_or_default()
    }
}

#[cfg(not(target_arch = "wasm32"))]
async fn control(url: &str, method: &str, body: Option<Value>) -> Value {
    let http = reqwest::Client::new();
    let mut req = http.request(method.parse().unwrap(), url);
    if let Some(body) = body {
        req = req
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let resp = req.send().await.expect("simulator control API");
    let text = resp.text().await.unwrap_or_default();
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

#[cfg(target_arch = "wasm32")]
async fn control(url: &str, method: &str, body: Option<Value>) -> Value {
    use gloo_net::http::{Method, RequestBuilder};
    let method = match method {
        "GET" => Method::GET,
        "POST" => Method::POST,
        _ => Method::DELETE,
    };
    let builder = RequestBuilder::new(url).method(method);
    let req = match body {
        Some(b) => builder
            .header("content-type", "application/json")
            .body(b.to_string())
            .unwrap(),
        None => builder.build().unwrap(),
    };
    let resp = req.send().await.expect("simulator control API");
    let text = resp.text().await.unwrap_or_default();
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// Sleep on the platform's timer.
pub async fn pause(ms: u64) {
    #[cfg(not(target_arch = "wasm32"))]
    tokio::time::sleep(Duration::from_millis(ms)).await;
    #[cfg(target_arch = "wasm32")]
    gloo_timers::future::TimeoutFuture::new(ms as u32).await;
}

/// Run `fut` for at most `ms`, then drop it (which is how a caller cancels).
pub async fn run_for<F: Future>(ms: u64, fut: F) -> Option<F::Output> {
    let (mut fut, mut timer) = (pin!(fut), pin!(pause(ms)));
    core::future::poll_fn(|cx| {
        if let Poll::Ready(out) = fut.as_mut().poll(cx) {
            return Poll::Ready(Some(out));
        }
        if timer.as_mut().poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        Poll::Pending
    })
    .await
}

// ---- reading the request log ----

pub fn path(e: &Value) -> &str {
    e["path"].as_str().unwrap_or("")
}

pub fn method(e: &Value) -> &str {
    e["method"].as_str().unwrap_or("")
}

pub fn header<'a>(e: &'a Value, name: &str) -> Option<&'a str> {
    e["headers"][name].as_str()
}

pub fn is_api(e: &Value) -> bool {
    path(e).contains("/api/v3/")
}

pub fn posts(log: &[Value]) -> Vec<&Value> {
    log.iter()
        .filter(|e| method(e) == "POST" && is_api(e))
        .collect()
}

pub fn gets_of<'a>(log: &'a [Value], task_id: &str) -> Vec<&'a Value> {
    log.iter()
        .filter(|e| method(e) == "GET" && path(e).ends_with(&format!("/tasks/{task_id}")))
        .collect()
}

/// What every request must look like: the key only in `Authorization`, only on API routes,
/// and never in a URL.
pub fn assert_key_hygiene(log: &[Value], key: &str) {
    assert!(!log.is_empty(), "the simulator saw no request");
    for e in log {
        let url = format!("{}?{}", path(e), e["query"].as_str().unwrap_or(""));
        assert!(!url.contains(key), "the key is in a URL: {url}");
        let auth = header(e, "authorization");
        if is_api(e) {
            assert_eq!(
                auth,
                Some(format!("Bearer {key}").as_str()),
                "API request without the key: {e}"
            );
        } else {
            assert_eq!(auth, None, "Authorization sent outside the API: {e}");
        }
    }
}
