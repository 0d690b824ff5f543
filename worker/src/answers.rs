//! The shape of the Worker's answers: its own refusals, shaped like the API's errors
//! (`{"error":{"code","message","param","type"}}`) so every client reads them as it reads
//! the server's ([`crate::refusals`] has every one); the upstream headers passed back;
//! and the rewriting of task ids in the server's answers.

use serde::Serialize;
use serde_json::{json, Value};

/// A refusal: status, body and headers (e.g. `Retry-After`, `Allow`).
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body.
    pub body: Value,
    /// Extra headers.
    pub headers: Vec<(&'static str, String)>,
}

impl Refusal {
    /// A refusal with an Ark-shaped error body (`type` is `proxy_error`).
    ///
    /// ```
    /// let r = seedance_worker::answers::Refusal::new(404, "NotFound", "no such route");
    /// assert_eq!(r.body["error"]["code"], "NotFound");
    /// ```
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Refusal {
        Refusal {
            status,
            body: json!({"error": {
                "code": code,
                "message": message.into(),
                "param": "",
                "type": "proxy_error",
            }}),
            headers: Vec::new(),
        }
    }

    /// Name the field concerned (`error.param`).
    pub fn param(mut self, param: &str) -> Self {
        self.body["error"]["param"] = Value::from(param);
        self
    }

    /// Add the problems, one per field, beside `error` (`issues`).
    pub fn issues(mut self, issues: &impl Serialize) -> Self {
        self.body["issues"] = serde_json::to_value(issues).expect("plain data");
        self
    }

    /// Add a header.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// Add `Retry-After` in whole seconds, rounded up.
    pub fn retry_after_ms(self, ms: u64) -> Self {
        self.header("Retry-After", ms.div_ceil(1000).max(1).to_string())
    }

    /// The body as bytes.
    pub fn body_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&self.body).expect("plain data")
    }
}

/// The upstream answer headers passed back to the visitor (the others stay at the proxy).
pub const PASSED_HEADERS: [&str; 4] = [
    "content-type",
    "retry-after",
    "retry-after-ms",
    "x-request-id",
];

/// Replace the `id` of a task (or of a create's answer) with `f(id)`, and of every item of
/// a list. `None` when the body is not such JSON (it is then passed on untouched).
///
/// ```
/// let body = br#"{"id":"cgt-1","status":"queued"}"#;
/// let out = seedance_worker::answers::rewrite_ids(body, |id| format!("w-{id}")).unwrap();
/// assert_eq!(serde_json::from_slice::<serde_json::Value>(&out).unwrap()["id"], "w-cgt-1");
/// ```
pub fn rewrite_ids(body: &[u8], f: impl Fn(&str) -> String) -> Option<Vec<u8>> {
    let mut value: Value = serde_json::from_slice(body).ok()?;
    let mut swap = |v: &mut Value| {
        if let Some(Value::String(id)) = v.get_mut("id") {
            *id = f(id);
        }
    };
    if let Some(items) = value.get_mut("items").and_then(Value::as_array_mut) {
        items.iter_mut().for_each(&mut swap);
    } else if value.get("id").is_some() {
        swap(&mut value);
    } else {
        return None;
    }
    serde_json::to_vec(&value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_have_every_id_rewritten() {
        let body = br#"{"total":2,"items":[{"id":"a"},{"id":"b"}]}"#;
        let out: Value =
            serde_json::from_slice(&rewrite_ids(body, |s| s.repeat(2)).unwrap()).unwrap();
        assert_eq!(out["items"][1]["id"], "bb");
        assert_eq!(rewrite_ids(b"<html>", |s| s.into()), None);
        assert_eq!(rewrite_ids(br#"{"x":1}"#, |s| s.into()), None);
    }
}
