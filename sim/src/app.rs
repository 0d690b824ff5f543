//! The router: the API, media and control routes wrapped in the layers.
//!
//! Layer order, outermost first: `intake` (request id, body, request log, stdout line) →
//! `cors` → `inject` (per-run faults) → routes (API routes add `auth`).

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use axum::Router;

use crate::shared::AppState;
use crate::{auth, control, cors, inject, intake, routes, tos};

/// The whole application.
pub fn router(state: Arc<AppState>) -> Router {
    let api =
        routes::api_router().route_layer(from_fn_with_state(state.clone(), auth::require_key));
    Router::new()
        .nest("/seedance/api/v3", api.clone())
        .nest("/api/v3", api)
        .route("/tos/{file}", get(tos::serve))
        .nest("/_sim", control::router())
        .fallback(routes::no_route)
        .layer(from_fn_with_state(state.clone(), inject::inject))
        .layer(from_fn_with_state(state.clone(), cors::cors))
        .layer(from_fn_with_state(state.clone(), intake::intake))
        .layer(DefaultBodyLimit::disable())
        .with_state(state)
}
