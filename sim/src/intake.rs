//! The outermost layer (the intake): request id, whole-body read (with the size limit), request log,
//! `X-Request-Id` on every answer (and `X-Client-Request-Id` echoed), and the one stdout
//! line per request.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::ark::ArkError;
use crate::clock;
use crate::reqlog::{Entry, FaultNote, Trace};
use crate::shared::{lock, AppState};

/// See the module doc.
pub async fn intake(State(st): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let request_id = crate::ids::request_id();
    let (parts, body) = req.into_parts();
    // Ark echoes the SDKs' own request id (the official SDK reads it back from the answer).
    let client_request_id = parts.headers.get("x-client-request-id").cloned();
    // The control API is not part of what a client sends, so it stays out of the log.
    let logged = !parts.uri.path().starts_with("/_sim");
    let limit = st.config.limits.body_max_bytes;
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let bytes = if declared.is_some_and(|n| n > limit) {
        None
    } else {
        axum::body::to_bytes(body, limit).await.ok()
    };
    let seq = logged.then(|| {
        let entry = Entry::new(
            &parts,
            bytes.as_deref().unwrap_or_default(),
            clock::now_ms(),
        );
        lock(&st.log).push(entry)
    });
    let trace = Trace {
        request_id: request_id.clone(),
        seq,
        start,
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
    };

    let mut resp = match bytes {
        None => ArkError::body_too_large(limit).into_response(),
        Some(bytes) => {
            let mut req = Request::from_parts(parts, Body::from(bytes));
            req.extensions_mut().insert(trace.clone());
            next.run(req).await
        }
    };
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        resp.headers_mut().insert("x-request-id", v);
    }
    if let Some(v) = client_request_id {
        resp.headers_mut().insert("x-client-request-id", v);
    }
    let fault = resp.extensions().get::<FaultNote>().map(|n| n.0.clone());
    st.finish(&trace, Some(resp.status().as_u16()), fault);
    resp
}
