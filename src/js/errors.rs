//! Errors become JS `Error`s once, here: a `name` to tell them apart and the fields a
//! caller acts on (`code`, `status`, `taskId`, `requestId`, `issues`).

use js_sys::Object;
use wasm_bindgen::JsValue;

use super::convert::{set, to_js};
use crate::error::Error;
use crate::types::codec::task::write_task;
use crate::validate::codec::write_issues;

/// An `AbortError`, as `fetch` and the web platform raise it.
pub(crate) fn abort_error(task_id: Option<&str>) -> JsValue {
    let err = js_sys::Error::new(match task_id {
        Some(_) => "the operation was aborted; the task goes on on the server",
        None => "the operation was aborted",
    });
    err.set_name("AbortError");
    if let Some(id) = task_id {
        set(&err, "taskId", id);
    }
    err.into()
}

/// Convert a crate error into a JS `Error` with a `name` and fields.
pub(crate) fn to_js_error(e: Error) -> JsValue {
    if let Error::Aborted { task_id } = &e {
        return abort_error(task_id.as_deref());
    }
    let err = js_sys::Error::new(&e.to_string());
    let obj: &JsValue = err.as_ref();
    let name = match &e {
        Error::Validation(v) => {
            set(obj, "issues", to_js(|w| write_issues(w, &v.issues)));
            "SeedanceValidationError"
        }
        Error::InvalidArgument { field, message } => {
            let issue = Object::new();
            set(&issue, "field", field.as_str());
            set(&issue, "rule", "argument");
            set(&issue, "given", "");
            set(&issue, "allowed", message.as_str());
            set(&issue, "severity", "error");
            set(obj, "issues", js_sys::Array::of1(&issue));
            "SeedanceValidationError"
        }
        Error::Api(a) => {
            set(obj, "status", a.status);
            if let Some(p) = &a.param {
                set(obj, "param", p.as_str());
            }
            if let Some(t) = &a.error_type {
                set(obj, "type", t.as_str());
            }
            if let Some(r) = a.retry_after {
                set(obj, "retryAfterMs", r.as_millis() as f64);
            }
            if let Some(raw) = &a.raw_body {
                set(obj, "rawBody", raw.as_str());
            }
            "SeedanceApiError"
        }
        Error::TaskFailed { task } => {
            set(obj, "task", to_js(|w| write_task(w, task)));
            set(obj, "taskStatus", task.status.as_str());
            "SeedanceTaskFailedError"
        }
        Error::WaitTimeout { elapsed, polls, .. } => {
            set(obj, "elapsedMs", elapsed.as_millis() as f64);
            set(obj, "polls", *polls);
            "SeedanceTimeoutError"
        }
        Error::Timeout { after, .. } => {
            set(obj, "elapsedMs", after.as_millis() as f64);
            "SeedanceTimeoutError"
        }
        Error::OutcomeUnknown {
            model,
            sent_at,
            idempotency_key,
            ..
        } => {
            if let Some(m) = model {
                set(obj, "model", m.as_str());
            }
            if let Some(t) = sent_at {
                set(obj, "sentAt", *t as f64);
            }
            if let Some(k) = idempotency_key {
                set(obj, "idempotencyKey", k.as_str());
            }
            "SeedanceOutcomeUnknownError"
        }
        Error::Network { .. } => "SeedanceNetworkError",
        Error::Decode { body, .. } => {
            set(obj, "rawBody", body.as_str());
            "SeedanceApiError"
        }
        Error::Unsupported { .. } => "SeedanceUnsupportedError",
        Error::NotCancellable { status, .. } => {
            set(obj, "taskStatus", status.as_str());
            "SeedanceNotCancellableError"
        }
        _ => "SeedanceError",
    };
    err.set_name(name);
    if let Some(code) = e.code() {
        set(obj, "code", code);
    }
    if let (Some(status), false) = (e.http_status(), matches!(e, Error::Api(_))) {
        set(obj, "status", status);
    }
    if let Some(id) = e.task_id() {
        set(obj, "taskId", id);
    }
    let request_id = match &e {
        Error::Api(a) => a.request_id.as_deref(),
        Error::OutcomeUnknown { request_id, .. } => request_id.as_deref(),
        _ => None,
    };
    if let Some(r) = request_id {
        set(obj, "requestId", r);
    }
    set(obj, "retryable", e.is_retryable());
    err.into()
}
