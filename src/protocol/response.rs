//! What came back: status, headers and body read into tasks or errors.

use core::time::Duration;

use serde::de::DeserializeOwned;

use crate::error::{ApiError, Error, Operation};
use crate::json::read::Read;
use crate::json::{float_text, i64_text, u64_text, Json};
use crate::types::codec::task::{decode_created_task, decode_task, decode_task_list};
use crate::types::{CreatedTask, Task, TaskList};

/// Bodies kept in errors are cut to this many bytes.
const RAW_BODY_LIMIT: usize = 4096;

/// An HTTP answer as a transport received it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The headers (names in any case).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Read the answer to a create: the new task's id.
///
/// A 5xx, or a success whose body has no id, becomes [`Error::OutcomeUnknown`]: the task
/// may exist and be billed. A 429 is an [`Error::Api`] that [`Error::is_retryable`].
pub fn parse_create(resp: &HttpResponse) -> Result<CreatedTask, Error> {
    if resp.is_success() {
        return match read_body(&resp.body, decode_created_task) {
            Ok(created) if !created.id.is_empty() => Ok(created),
            _ => Err(Error::OutcomeUnknown {
                reason: format!(
                    "the server answered HTTP {} without a task id ({})",
                    resp.status,
                    snippet(&resp.body, 200)
                ),
                status: Some(resp.status),
                request_id: resp.header("x-request-id").map(str::to_owned),
                model: None,
                sent_at: None,
                idempotency_key: None,
            }),
        };
    }
    let err = api_error(resp, Operation::Create, None);
    // The reseller's gateway answers "no available channel" with a 5xx before the request
    // reaches the model: a refusal, not an ambiguous create.
    if resp.status >= 500 && !err.is_no_channel() {
        return Err(Error::OutcomeUnknown {
            reason: err.to_string(),
            status: Some(resp.status),
            request_id: err.request_id,
            model: None,
            sent_at: None,
            idempotency_key: None,
        });
    }
    Err(err.into())
}

/// Read the answer to a get. Errors carry `task_id`.
pub fn parse_task(resp: &HttpResponse, task_id: &str) -> Result<Task, Error> {
    if !resp.is_success() {
        return Err(api_error(resp, Operation::Get, Some(task_id)).into());
    }
    read_body(&resp.body, decode_task).map_err(|message| Error::Decode {
        operation: Operation::Get,
        status: resp.status,
        message,
        body: snippet(&resp.body, 500),
        task_id: Some(task_id.to_owned()),
    })
}

/// Read the answer to a list. A 404/405 that is not an Ark error body means the server has
/// no list route ([`Error::Unsupported`]).
pub fn parse_list(resp: &HttpResponse) -> Result<TaskList, Error> {
    if !resp.is_success() {
        return Err(missing_route(resp, Operation::List)
            .unwrap_or_else(|| api_error(resp, Operation::List, None).into()));
    }
    read_body(&resp.body, decode_task_list).map_err(|message| Error::Decode {
        operation: Operation::List,
        status: resp.status,
        message,
        body: snippet(&resp.body, 500),
        task_id: None,
    })
}

/// Read the answer to a delete. A 404/405 that is not an Ark error body means the server has
/// no delete route ([`Error::Unsupported`]); an Ark 404 means no such task.
pub fn parse_delete(resp: &HttpResponse, task_id: &str) -> Result<(), Error> {
    if resp.is_success() {
        return Ok(());
    }
    Err(missing_route(resp, Operation::Delete)
        .unwrap_or_else(|| api_error(resp, Operation::Delete, Some(task_id)).into()))
}

fn missing_route(resp: &HttpResponse, operation: Operation) -> Option<Error> {
    let route_missing =
        resp.status == 405 || (resp.status == 404 && ark_error(&resp.body).is_none());
    route_missing.then_some(Error::Unsupported {
        operation,
        status: resp.status,
    })
}

/// The fields of an Ark error body, from `{"error": {...}}`.
struct ArkFields {
    code: Option<String>,
    message: Option<String>,
    param: Option<String>,
    error_type: Option<String>,
}

/// Read a JSON body as `T`: serde natively; on wasm32 the JS engine's `JSON.parse` and the
/// hand-written decoder (the same results, see `json`), so serde_json stays out of the wasm.
fn read_body<T: DeserializeOwned>(body: &[u8], hand: fn(Json) -> Read<T>) -> Result<T, String> {
    #[cfg(target_arch = "wasm32")]
    {
        let text = core::str::from_utf8(body).map_err(|_| "invalid UTF-8".to_owned())?;
        crate::json::js::parse(text).and_then(hand)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = hand;
        serde_json::from_slice(body).map_err(|e| e.to_string())
    }
}

/// A body as a JSON value, if it is JSON.
fn json_body(body: &[u8]) -> Option<Json> {
    #[cfg(target_arch = "wasm32")]
    {
        crate::json::js::parse(core::str::from_utf8(body).ok()?).ok()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .map(Json::from)
    }
}

/// `obj[key]` of an object.
fn field<'a>(v: &'a Json, key: &str) -> Option<&'a Json> {
    match v {
        Json::Obj(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

/// A non-empty string, or a number as text.
fn as_text(v: Option<&Json>) -> Option<String> {
    match v? {
        Json::Str(s) if !s.is_empty() => Some(s.clone()),
        Json::U(n) => Some(u64_text(*n)),
        Json::I(n) => Some(i64_text(*n)),
        Json::F(x) => Some(float_text(*x)),
        _ => None,
    }
}

fn ark_error(body: &[u8]) -> Option<ArkFields> {
    let value = json_body(body)?;
    let err = field(&value, "error").filter(|e| matches!(e, Json::Obj(_)))?;
    let fields = ArkFields {
        code: as_text(field(err, "code")),
        message: as_text(field(err, "message")),
        param: as_text(field(err, "param")),
        error_type: as_text(field(err, "type")),
    };
    (fields.code.is_some() || fields.message.is_some()).then_some(fields)
}

/// Build an [`ApiError`] from any error answer: Ark-shaped, `{"message": …}`,
/// `{"error": "…"}`, plain text or HTML.
pub fn api_error(resp: &HttpResponse, operation: Operation, task_id: Option<&str>) -> ApiError {
    let mut err = ApiError {
        operation,
        status: resp.status,
        code: None,
        message: String::new(),
        param: None,
        error_type: None,
        request_id: resp.header("x-request-id").map(str::to_owned),
        retry_after: retry_after(resp),
        raw_body: None,
        task_id: task_id.map(str::to_owned),
    };
    if let Some(ark) = ark_error(&resp.body) {
        err.code = ark.code;
        err.param = ark.param;
        err.error_type = ark.error_type;
        err.message = ark.message.unwrap_or_default();
    } else {
        let other = json_body(&resp.body).and_then(|v| {
            as_text(field(&v, "message"))
                .or_else(|| as_text(field(&v, "error")))
                .or_else(|| as_text(field(&v, "msg")))
        });
        err.message = other.unwrap_or_else(|| {
            let text = snippet(&resp.body, 300);
            if text.is_empty() {
                format!("empty answer with HTTP {}", resp.status)
            } else {
                text
            }
        });
        if !resp.body.is_empty() {
            err.raw_body = Some(snippet(&resp.body, RAW_BODY_LIMIT));
        }
    }
    if err.message.is_empty() {
        err.message = format!("HTTP {}", resp.status);
    }
    err
}

/// `Retry-After` in seconds (integer or decimal), or `retry-after-ms`; HTTP dates are not
/// read (no clock here) and count as absent.
fn retry_after(resp: &HttpResponse) -> Option<Duration> {
    if let Some(ms) = resp
        .header("retry-after-ms")
        .and_then(|v| crate::numfmt::parse_f64(v.trim()))
    {
        return (ms.is_finite() && ms >= 0.0)
            .then(|| Duration::from_secs_f64(ms.min(86_400_000.0) / 1000.0));
    }
    let secs = crate::numfmt::parse_f64(resp.header("retry-after")?.trim())?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(86_400.0)))
}

/// The start of a body as text for messages: lossy UTF-8, trimmed, cut to at most `max`
/// bytes on a character boundary, with `…` when cut.
///
/// ```
/// assert_eq!(seedance::protocol::snippet(b"  <html>bad gateway</html>  ", 6), "<html>…");
/// ```
pub fn snippet(body: &[u8], max: usize) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}
