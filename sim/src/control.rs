//! The control API under `/_sim` (no auth, not logged): what tests use to look inside.
//!
//! - `GET /_sim/health` → `{"status":"ok"}`
//! - `GET /_sim/requests[?since=SEQ][&key=API_KEY]` → the request log since the last reset
//!   (see `reqlog::Entry`); `since` keeps entries after that `seq`, `key` those sent with
//!   `Authorization: Bearer API_KEY` (tests sharing one simulator each use their own key)
//! - `POST /_sim/reset` → forget requests, tasks and faults
//! - `GET /_sim/faults`, `POST /_sim/faults` (`{"faults":[…]}` or `[…]`, replaces all),
//!   `DELETE /_sim/faults`
//! - `GET /_sim/tasks[?key=API_KEY]` → every stored task (deleted records too) with its
//!   current status and timeline: `created_at_ms`, `running_at_ms` (when it left `queued`),
//!   `finished_at_ms`, and a digest of its key (never the key)
//! - `GET /_sim/callbacks` → every `callback_url` delivery attempt
//! - `GET /_sim/config`, `POST /_sim/config` (`{"url_ttl_secs":…, "cors":…,
//!   "timings":{"queued_ms":…,"preprocessing_ms":…,"running_ms":…,"slow_factor":…},
//!   "account":{"max_running":…,"create_rate":…,"create_window_secs":…}}`; `null` turns a
//!   limit off)

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};

use crate::ark::json_response;
use crate::clock;
use crate::faults::{FaultJson, FaultSpec};
use crate::shared::{lock, AppState, Runtime};

/// The `/_sim` routes.
pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/health", get(health))
        .route("/requests", get(requests))
        .route("/reset", post(reset))
        .route("/faults", get(faults).post(set_faults).delete(clear_faults))
        .route("/tasks", get(tasks))
        .route("/callbacks", get(callbacks))
        .route("/config", get(config).post(set_config))
}

fn ok(v: Value) -> Response {
    json_response(StatusCode::OK, &v)
}

fn bad(message: impl Into<String>) -> Response {
    json_response(StatusCode::BAD_REQUEST, &json!({"error": message.into()}))
}

async fn health(State(st): State<Arc<AppState>>) -> Response {
    ok(json!({"status": "ok", "media_base": st.media_base}))
}

async fn requests(State(st): State<Arc<AppState>>, RawQuery(query): RawQuery) -> Response {
    let mut since = 0u64;
    let mut key: Option<String> = None;
    for (k, v) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match k.as_ref() {
            "since" => match v.parse() {
                Ok(n) => since = n,
                Err(_) => return bad("`since` must be a whole number"),
            },
            "key" => key = Some(format!("Bearer {v}")),
            _ => {}
        }
    }
    let log = lock(&st.log);
    let entries: Vec<&crate::reqlog::Entry> = log
        .entries()
        .iter()
        .filter(|e| e.seq > since)
        .filter(|e| {
            key.as_ref()
                .is_none_or(|k| e.headers.get("authorization") == Some(k))
        })
        .collect();
    ok(serde_json::to_value(entries).unwrap_or(Value::Null))
}

async fn reset(State(st): State<Arc<AppState>>) -> Response {
    lock(&st.log).clear();
    lock(&st.store).clear();
    lock(&st.creates).clear();
    lock(&st.faults).replace(&[]);
    lock(&st.callbacks).clear();
    ok(json!({"reset": true}))
}

async fn callbacks(State(st): State<Arc<AppState>>) -> Response {
    ok(Value::Array(lock(&st.callbacks).clone()))
}

async fn faults(State(st): State<Arc<AppState>>) -> Response {
    ok(lock(&st.faults).describe())
}

async fn set_faults(State(st): State<Arc<AppState>>, body: Bytes) -> Response {
    let parsed: Result<Vec<FaultJson>, _> = serde_json::from_slice::<Value>(&body)
        .map_err(|e| e.to_string())
        .and_then(|v| {
            let list = match v {
                Value::Object(mut o) => o.remove("faults").unwrap_or(Value::Array(vec![])),
                other => other,
            };
            serde_json::from_value(list).map_err(|e| e.to_string())
        });
    let specs: Result<Vec<FaultSpec>, String> = match parsed {
        Ok(list) => list.into_iter().map(FaultJson::into_spec).collect(),
        Err(e) => Err(format!("expected {{\"faults\":[…]}}: {e}")),
    };
    match specs {
        Ok(specs) => {
            let mut f = lock(&st.faults);
            f.replace(&specs);
            ok(f.describe())
        }
        Err(e) => bad(e),
    }
}

async fn clear_faults(State(st): State<Arc<AppState>>) -> Response {
    lock(&st.faults).replace(&[]);
    ok(json!([]))
}

async fn tasks(State(st): State<Arc<AppState>>, RawQuery(query): RawQuery) -> Response {
    let key = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "key")
        .map(|(_, v)| v.into_owned());
    let now = clock::now_ms();
    let store = lock(&st.store);
    let list: Vec<Value> = store
        .all()
        .into_iter()
        .filter(|t| key.as_ref().is_none_or(|k| &t.owner == k))
        .map(|t| {
            let (status, since) = t.status_at(now);
            json!({
                "id": t.id,
                "owner": mask(&t.owner),
                "key_digest": digest(&t.owner),
                "model": t.request.model,
                "prompt": t.request.prompt,
                "status": status.as_str(),
                "status_since_ms": since,
                "created_at_ms": t.created_ms,
                "running_at_ms": t.start_ms.filter(|s| *s <= now && t.cancelled_ms.is_none()),
                "finished_at_ms": t.finished_at(now),
                "deleted": t.deleted_ms.is_some(),
                "seed": t.seed,
                "resolution": t.request.resolution,
                "ratio": t.ratio,
                "duration": t.duration,
                "generate_audio": t.request.generate_audio,
                "watermark": t.request.watermark,
                "return_last_frame": t.request.return_last_frame,
                "callback_url": t.request.callback_url,
                "plan": {
                    "queued_ms": t.plan.queued_ms,
                    "preprocessing_ms": t.plan.preprocessing_ms,
                    "running_ms": t.plan.running_ms,
                    "outcome": format!("{:?}", t.plan.outcome).to_lowercase(),
                    "hold": t.plan.hold,
                    "max_running": t.plan.max_running,
                },
            })
        })
        .collect();
    ok(Value::Array(list))
}

/// The first 16 hex digits of the key's SHA-256: tells keys apart, reveals nothing.
fn digest(key: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(key.as_bytes())[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `sk-…wxyz`: enough to tell keys apart, never the key.
fn mask(key: &str) -> String {
    let tail: String = key
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{}…{tail}", key.chars().take(3).collect::<String>())
}

fn runtime_json(r: &Runtime) -> Value {
    json!({
        "url_ttl_secs": r.url_ttl_secs,
        "cors": r.cors,
        "timings": {
            "queued_ms": r.timings.queued.as_millis() as u64,
            "preprocessing_ms": r.timings.preprocessing.as_millis() as u64,
            "running_ms": r.timings.running.as_millis() as u64,
            "slow_factor": r.timings.slow_factor,
        },
        "account": {
            "max_running": r.account.max_running,
            "create_rate": r.account.create_rate,
            "create_window_secs": r.account.create_window_secs,
        },
    })
}

async fn config(State(st): State<Arc<AppState>>) -> Response {
    ok(runtime_json(&st.runtime()))
}

async fn set_config(State(st): State<Arc<AppState>>, body: Bytes) -> Response {
    let Ok(v) = serde_json::from_slice::<Value>(&body) else {
        return bad("expected a JSON object");
    };
    let mut r = st.runtime();
    let num = |v: &Value, k: &str| v.get(k).and_then(Value::as_u64);
    if let Some(n) = num(&v, "url_ttl_secs") {
        r.url_ttl_secs = n;
    }
    if let Some(b) = v.get("cors").and_then(Value::as_bool) {
        r.cors = b;
    }
    if let Some(t) = v.get("timings") {
        let ms = Duration::from_millis;
        if let Some(n) = num(t, "queued_ms") {
            r.timings.queued = ms(n);
        }
        if let Some(n) = num(t, "preprocessing_ms") {
            r.timings.preprocessing = ms(n);
        }
        if let Some(n) = num(t, "running_ms") {
            r.timings.running = ms(n);
        }
        if let Some(n) = num(t, "slow_factor") {
            r.timings.slow_factor = u32::try_from(n).unwrap_or(u32::MAX).max(1);
        }
    }
    if let Some(a) = v.get("account") {
        // A number sets a limit, `null` (or 0) turns it off, an absent key keeps it.
        let limit = |k: &str| {
            a.get(k).map(|x| {
                x.as_u64()
                    .filter(|n| *n > 0)
                    .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
            })
        };
        if let Some(n) = limit("max_running") {
            r.account.max_running = n;
        }
        if let Some(n) = limit("create_rate") {
            r.account.create_rate = n;
        }
        if let Some(n) = num(a, "create_window_secs") {
            r.account.create_window_secs = n.max(1);
        }
    }
    *lock(&st.runtime) = r;
    ok(runtime_json(&r))
}
