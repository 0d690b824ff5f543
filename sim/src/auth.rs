//! Bearer-key checks for the API routes, and the reseller's "no channel" refusal.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::ark::{self, ArkError};
use crate::shared::AppState;

/// The authenticated API key (request extension); tasks belong to it.
#[derive(Debug, Clone)]
pub struct Caller(pub String);

/// Accept a valid `Authorization: Bearer <key>`; answer 401 otherwise.
pub async fn require_key(
    State(st): State<Arc<AppState>>,
    mut req: Request,
    next: Next,
) -> Response {
    let key = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_owned);
    let Some(key) = key else {
        return ArkError::authentication().into_response();
    };
    if st.config.no_channel_keys.contains(&key) {
        return no_channel(&req);
    }
    let valid = match &st.config.keys {
        Some(keys) => keys.contains(&key),
        None => key.starts_with("sk-"),
    };
    if !valid {
        return ArkError::authentication().into_response();
    }
    req.extensions_mut().insert(Caller(key));
    next.run(req).await
}

/// The reseller (a one-api/new-api style gateway) refuses a key whose group has no channel
/// for the model with a 503 and its own error shape, before Ark sees the request.
fn no_channel(req: &Request) -> Response {
    let request_id = req
        .extensions()
        .get::<crate::reqlog::Trace>()
        .map(|t| t.request_id.clone())
        .unwrap_or_default();
    let body = json!({"error": {
        "message": format!("no available channel for this model under group default (request id: {request_id})"),
        "type": "new_api_error",
        "param": "",
        "code": "model_not_found",
    }});
    ark::json_response(StatusCode::SERVICE_UNAVAILABLE, &body)
}
