//! The task API: create, get, list, delete (mounted under `/seedance/api/v3` and `/api/v3`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use serde_json::{json, Value};

use crate::ark::{json_response, ArkError};
use crate::auth::Caller;
use crate::faults::RouteKind;
use crate::media::Clip;
use crate::shared::{lock, AppState};
use crate::tasks::{DeleteError, ListFilter, Plan, Status, Task};
use crate::{callback, clock, ids, tasks, tokens, validate};

/// The API prefixes the simulator serves.
pub const PREFIXES: [&str; 2] = ["/seedance/api/v3", "/api/v3"];
const TASKS: &str = "/contents/generations/tasks";

/// Which route a request is for; `None` when it is neither API nor media.
pub fn classify(method: &Method, path: &str) -> Option<RouteKind> {
    if path.starts_with("/tos/") {
        return Some(RouteKind::Tos);
    }
    let rest = PREFIXES.iter().find_map(|p| {
        path.strip_prefix(p)
            .filter(|r| r.is_empty() || r.starts_with('/'))
    })?;
    let one = rest
        .strip_prefix(TASKS)
        .and_then(|r| r.strip_prefix('/'))
        .is_some_and(|id| !id.is_empty() && !id.contains('/'));
    Some(match *method {
        Method::POST if rest == TASKS => RouteKind::Create,
        Method::GET if rest == TASKS => RouteKind::List,
        Method::GET if one => RouteKind::Get,
        Method::DELETE if one => RouteKind::Delete,
        _ => RouteKind::OtherApi,
    })
}

/// The API routes, relative to a prefix.
pub fn api_router() -> Router<Arc<AppState>> {
    Router::new().route(TASKS, post(create).get(list)).route(
        &format!("{TASKS}/{{id}}"),
        get(get_task).delete(delete_task),
    )
}

/// 404 for paths nothing serves.
pub async fn no_route(uri: Uri) -> ArkError {
    ArkError::no_route(uri.path())
}

async fn create(
    State(st): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Result<Response, ArkError> {
    let value: Value = serde_json::from_slice(&body)
        .map_err(|e| ArkError::invalid("", format!("The request body is not valid JSON: {e}")))?;
    let req = validate::validate(&value, &st.config.limits, &st.config.models)?;
    let now = clock::now_ms();
    let rt = st.runtime();
    let limits = rt.account;
    let window_ms = limits.create_window_secs.max(1) * 1000;
    lock(&st.creates)
        .admit(&caller.0, &req.model, now, limits.create_rate, window_ms)
        .map_err(|secs| ArkError::create_rate_exceeded(&req.model, &limits, secs))?;
    let mut plan = Plan::from_prompt(&req.prompt, &rt.timings);
    plan.max_running = limits.max_running;
    let seed = u64::try_from(req.seed).unwrap_or_else(|_| u64::from(fastrand::u32(..)));
    let ratio = if req.ratio == "adaptive" {
        // The real service fits the ratio to the input image; without one it picks 16:9.
        req.first_image_aspect
            .map_or("16:9", tokens::closest_ratio)
            .to_owned()
    } else {
        req.ratio.clone()
    };
    // -1: the model chooses a length; the task reports what it chose.
    let duration = u64::try_from(req.duration).unwrap_or_else(|_| fastrand::u64(4..=15));
    let callback = req.callback_url.clone();
    let audio = req.generate_audio;
    let ratio_of_clip = ratio.clone();
    let owner = caller.0.clone();
    let mut store = lock(&st.store);
    let id = loop {
        let id = ids::task_id(now / 1000);
        if !store.contains(&id) {
            break id;
        }
    };
    store.insert(Task {
        id: id.clone(),
        owner: caller.0,
        created_ms: now,
        seq: 0,
        request: req,
        seed,
        ratio,
        duration,
        plan,
        cancelled_ms: None,
        start_ms: None, // the store schedules it
        deleted_ms: None,
    });
    drop(store);
    // The result objects exist from the start; their URLs are handed out on success only.
    let clip = Clip::for_task(&id, &ratio_of_clip, duration as u32, audio);
    lock(&st.objects).insert(id.clone(), clip);
    if let Some(url) = callback {
        callback::spawn(st.clone(), id.clone(), owner, url);
    }
    Ok(json_response(StatusCode::OK, &json!({"id": id})))
}

async fn get_task(
    State(st): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Response, ArkError> {
    let now = clock::now_ms();
    let store = lock(&st.store);
    let task = store
        .get(&id, &caller.0)
        .ok_or_else(|| ArkError::task_not_found(&id))?;
    let body = tasks::task_json(task, now, &st.links(&id));
    Ok(json_response(StatusCode::OK, &body))
}

async fn list(
    State(st): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    RawQuery(query): RawQuery,
) -> Result<Response, ArkError> {
    let mut page_num = 1u64;
    let mut page_size = 10u64;
    let mut filter = ListFilter::default();
    for (k, v) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match k.as_ref() {
            "page_num" => {
                page_num = v.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
                    ArkError::invalid("page_num", "must be a whole number from 1")
                })?;
            }
            "page_size" => {
                page_size = v
                    .parse()
                    .ok()
                    .filter(|n| (1..=500).contains(n))
                    .ok_or_else(|| {
                        ArkError::invalid("page_size", "must be a whole number in 1..=500")
                    })?;
            }
            "filter.status" => {
                if !Status::FILTERABLE.contains(&v.as_ref()) {
                    return Err(ArkError::invalid(
                        "filter.status",
                        "must be one of queued, running, cancelled, succeeded, failed, expired",
                    ));
                }
                filter.status = Some(v.into_owned());
            }
            "filter.model" => filter.model = Some(v.into_owned()),
            "filter.task_ids" => filter.task_ids.push(v.into_owned()),
            _ => {} // unknown query parameters are ignored, as the service does
        }
    }
    let now = clock::now_ms();
    let store = lock(&st.store);
    let matching = store.list(&caller.0, &filter, now);
    let skip = usize::try_from((page_num - 1).saturating_mul(page_size)).unwrap_or(usize::MAX);
    let items: Vec<Value> = matching
        .iter()
        .skip(skip)
        .take(page_size as usize)
        .map(|t| tasks::task_json(t, now, &st.links(&t.id)))
        .collect();
    Ok(json_response(
        StatusCode::OK,
        &json!({"total": matching.len(), "items": items}),
    ))
}

async fn delete_task(
    State(st): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Response, ArkError> {
    let now = clock::now_ms();
    match lock(&st.store).delete(&id, &caller.0, now) {
        Ok(_) => Ok(json_response(StatusCode::OK, &json!({}))),
        Err(DeleteError::NotFound) => Err(ArkError::task_not_found(&id)),
        Err(DeleteError::Refused(s)) => Err(ArkError::cannot_delete(&id, s.as_str())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_routes() {
        let t = "/seedance/api/v3/contents/generations/tasks";
        assert_eq!(classify(&Method::POST, t), Some(RouteKind::Create));
        assert_eq!(
            classify(&Method::GET, "/api/v3/contents/generations/tasks"),
            Some(RouteKind::List)
        );
        assert_eq!(
            classify(&Method::GET, &format!("{t}/cgt-1")),
            Some(RouteKind::Get)
        );
        assert_eq!(
            classify(&Method::DELETE, &format!("{t}/cgt-1")),
            Some(RouteKind::Delete)
        );
        assert_eq!(classify(&Method::PUT, t), Some(RouteKind::OtherApi));
        assert_eq!(classify(&Method::GET, "/tos/x.mp4"), Some(RouteKind::Tos));
        assert_eq!(classify(&Method::GET, "/api/v3x/contents"), None);
        assert_eq!(classify(&Method::GET, "/_sim/requests"), None);
    }
}
