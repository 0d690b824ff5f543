//! Applies the per-run faults of `faults.rs` to real HTTP exchanges.
//!
//! Before handling: `slow` (delay, applied just before answering), then the first firing of
//! `429`, `500`/`502`/`503` or `drop`. After a 2xx answer: `lost-create` (the task is stored,
//! the connection closes unanswered), `malformed` (body cut in half), `unknown-status`
//! (task statuses rewritten). A dropped connection is real: the socket closes with no bytes.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::ark::ArkError;
use crate::faults::FaultKind;
use crate::reqlog::{FaultNote, Trace};
use crate::routes;
use crate::shared::ConnKill;
use crate::shared::{lock, AppState};

/// The HTML a gateway (nginx) sends for a 502: not JSON, on purpose.
const BAD_GATEWAY_HTML: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/// See the module doc.
pub async fn inject(State(st): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let Some(route) = routes::classify(req.method(), req.uri().path()) else {
        return next.run(req).await;
    };
    if req.method() == Method::OPTIONS {
        return next.run(req).await;
    }
    let trace = req.extensions().get::<Trace>().cloned();
    let kill = req.extensions().get::<ConnKill>().cloned();
    let before = lock(&st.faults).before(route);
    let delay = Duration::from_millis(before.delay_ms);

    let mut resp = match before.terminal {
        Some(FaultKind::Drop) => return drop_connection(&st, trace, kill, "drop").await,
        Some(kind) => noted(fault_answer(&kind), kind.name()),
        None => {
            let resp = next.run(req).await;
            let after = if resp.status().is_success() {
                lock(&st.faults).after(route)
            } else {
                None
            };
            match after {
                Some(FaultKind::LostCreate) => {
                    return drop_connection(&st, trace, kill, "lost-create").await;
                }
                Some(FaultKind::Malformed) => noted(malformed(resp).await, "malformed".into()),
                Some(FaultKind::UnknownStatus(s)) => {
                    noted(restatus(resp, &s).await, format!("unknown-status={s}"))
                }
                _ => resp,
            }
        }
    };
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
        let note = resp.extensions().get::<FaultNote>().map(|n| n.0.clone());
        let slow = format!("slow={}", before.delay_ms);
        let note = note.map_or(slow.clone(), |n| format!("{n},{slow}"));
        resp.extensions_mut().insert(FaultNote(note));
    }
    resp
}

fn noted(mut resp: Response, name: String) -> Response {
    resp.extensions_mut().insert(FaultNote(name));
    resp
}

/// The answer a terminal fault gives instead of handling the request.
fn fault_answer(kind: &FaultKind) -> Response {
    match kind {
        FaultKind::RateLimit { retry_after } => ArkError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "RateLimitExceeded.EndpointRPMExceeded",
            "",
            "The request rate has exceeded the limit of your account. Please retry later.",
        )
        .with_header("retry-after", retry_after.to_string())
        .into_response(),
        FaultKind::Status(502) => {
            let mut r = (StatusCode::BAD_GATEWAY, BAD_GATEWAY_HTML).into_response();
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            r
        }
        FaultKind::Status(503) => ArkError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "ServiceUnavailable",
            "",
            "The service is temporarily unavailable. Please retry later.",
        )
        .into_response(),
        _ => ArkError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServiceError",
            "",
            "The service encountered an unexpected internal error.",
        )
        .into_response(),
    }
}

/// Record the request as unanswered, close its connection, and never answer.
async fn drop_connection(
    st: &AppState,
    trace: Option<Trace>,
    kill: Option<ConnKill>,
    name: &str,
) -> Response {
    if let Some(t) = &trace {
        st.finish(t, None, Some(name.to_owned()));
    }
    match kill {
        Some(k) => {
            k.kill();
            // The connection task drops this future together with the socket.
            std::future::pending::<Response>().await
        }
        // Only reachable when the router is driven without our accept loop.
        None => noted(
            StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            name.to_owned(),
        ),
    }
}

async fn body_of(resp: Response) -> (axum::http::response::Parts, Vec<u8>) {
    let (parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    (parts, bytes.to_vec())
}

fn rebuild(mut parts: axum::http::response::Parts, body: Vec<u8>) -> Response {
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}

/// Cut a JSON body in half: still `application/json`, no longer parseable.
async fn malformed(resp: Response) -> Response {
    let (parts, mut body) = body_of(resp).await;
    body.truncate(body.len() / 2);
    rebuild(parts, body)
}

/// Replace `status` of the task (or of every listed task) with `status`.
async fn restatus(resp: Response, status: &str) -> Response {
    let (parts, body) = body_of(resp).await;
    let Ok(mut v) = serde_json::from_slice::<Value>(&body) else {
        return rebuild(parts, body);
    };
    if v.get("status").is_some() {
        v["status"] = Value::String(status.to_owned());
    }
    if let Some(items) = v.get_mut("items").and_then(Value::as_array_mut) {
        for item in items {
            item["status"] = Value::String(status.to_owned());
        }
    }
    rebuild(parts, v.to_string().into_bytes())
}
