//! What to send: the endpoint (base URL, key, headers) and the request it builds per call.

use core::fmt;

use serde::Serialize;

use crate::error::{Error, Operation};
use crate::secret::ApiKey;
use crate::types::{CreateTaskRequest, TaskStatus};

use super::{DEFAULT_BASE_URL, TASKS_PATH};

/// An HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// DELETE.
    Delete,
}

impl Method {
    /// The method name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// A request ready to send. Its `Debug` hides the `Authorization` value.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The call it makes.
    pub operation: Operation,
    /// The method.
    pub method: Method,
    /// The absolute URL.
    pub url: String,
    /// The headers, `Authorization` included when the endpoint has a key.
    pub headers: Vec<(String, String)>,
    /// The JSON body, for a create.
    pub body: Option<String>,
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| {
                let shown = if k.eq_ignore_ascii_case("authorization") {
                    "<redacted>"
                } else {
                    v
                };
                (k.as_str(), shown)
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body_len", &self.body.as_ref().map(String::len))
            .finish()
    }
}

/// Where and how to reach the API: base URL, key, extra headers.
///
/// ```
/// use seedance::protocol::{Endpoint, Method};
/// use seedance::ApiKey;
/// let ep = Endpoint::new("http://127.0.0.1:8787/seedance/api/v3/").unwrap()
///     .with_key(ApiKey::new("sk-test").unwrap());
/// let req = ep.get("cgt-20260606160057-6bbjd").unwrap();
/// assert_eq!(req.method, Method::Get);
/// assert_eq!(req.url, "http://127.0.0.1:8787/seedance/api/v3/contents/generations/tasks/cgt-20260606160057-6bbjd");
/// assert!(!format!("{req:?}").contains("sk-test"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    base_url: String,
    key: Option<ApiKey>,
    headers: Vec<(String, String)>,
}

impl Default for Endpoint {
    fn default() -> Self {
        Endpoint {
            base_url: DEFAULT_BASE_URL.to_owned(),
            key: None,
            headers: Vec::new(),
        }
    }
}

/// Filters and paging for listing tasks.
///
/// ```
/// use seedance::{protocol::ListQuery, TaskStatus};
/// let q = ListQuery { status: Some(TaskStatus::Succeeded), page_size: Some(20), ..Default::default() };
/// # let _ = q;
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// Page number, from 1.
    pub page_num: Option<u32>,
    /// Tasks per page, 1..=500.
    pub page_size: Option<u32>,
    /// Only tasks with this status.
    pub status: Option<TaskStatus>,
    /// Only tasks of this model.
    pub model: Option<String>,
    /// Only these task ids.
    pub task_ids: Vec<String>,
}

impl Endpoint {
    /// An endpoint at `base_url` (e.g. [`DEFAULT_BASE_URL`], [`ARK_BASE_URL`](super::ARK_BASE_URL), a proxy, or
    /// the simulator), without a key.
    ///
    /// Errors: [`Error::InvalidArgument`] unless it is an absolute `http(s)://` URL without a
    /// query or fragment.
    pub fn new(base_url: &str) -> Result<Self, Error> {
        let trimmed = base_url.trim().trim_end_matches('/');
        let lower = trimmed.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"));
        let ok = rest.is_some_and(authority_ok)
            && trimmed.bytes().all(|b| b.is_ascii_graphic())
            && !trimmed.contains(['?', '#']);
        if !ok {
            return Err(Error::invalid_argument(
                "base_url",
                format!("{base_url:?} is not an absolute http(s) URL without query, e.g. {DEFAULT_BASE_URL}"),
            ));
        }
        Ok(Endpoint {
            base_url: trimmed.to_owned(),
            ..Endpoint::default()
        })
    }

    /// Send `Authorization: Bearer <key>`.
    pub fn with_key(mut self, key: ApiKey) -> Self {
        self.key = Some(key);
        self
    }

    /// Send no `Authorization` header (for a proxy that adds the key itself).
    pub fn without_key(mut self) -> Self {
        self.key = None;
        self
    }

    /// Add a header to every request (e.g. a client id a proxy needs).
    ///
    /// Errors: [`Error::InvalidArgument`] for an empty or malformed name or a value with
    /// anything but printable ASCII, and for `Authorization` (use [`with_key`](Self::with_key)).
    pub fn with_header(mut self, name: &str, value: &str) -> Result<Self, Error> {
        let name_ok = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !name_ok {
            return Err(Error::invalid_argument(
                "header",
                format!("{name:?} is not a valid header name"),
            ));
        }
        if name.eq_ignore_ascii_case("authorization") {
            return Err(Error::invalid_argument(
                "header",
                "set the key with with_key, not as a header",
            ));
        }
        if let Some(b) = value
            .bytes()
            .find(|&b| !(b == b' ' || b == b'\t' || b.is_ascii_graphic()))
        {
            return Err(Error::invalid_argument(
                "header",
                format!(
                    "the value of {name} has byte 0x{b:02X}; header values are printable ASCII"
                ),
            ));
        }
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.to_owned()));
        Ok(self)
    }

    /// The same key and headers at another base URL (already checked by [`Endpoint::new`]).
    #[cfg(any(target_arch = "wasm32", feature = "native"))] // the client's only
    pub(crate) fn rebase(self, base_url: &str) -> Self {
        Endpoint {
            base_url: base_url.to_owned(),
            ..self
        }
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Replace the key wherever it appears in `text` (a proxy's error page may echo the
    /// request's headers back).
    #[cfg(any(target_arch = "wasm32", feature = "native"))] // the client's only
    pub(crate) fn scrub(&self, text: &mut String) {
        if let Some(key) = &self.key {
            if let Some(scrubbed) = crate::text::replace(text, key.expose(), &key.to_string()) {
                *text = scrubbed;
            }
        }
    }

    /// Whether requests carry a key.
    pub fn has_key(&self) -> bool {
        self.key.is_some()
    }

    fn request(
        &self,
        operation: Operation,
        method: Method,
        path: &str,
        body: Option<String>,
    ) -> HttpRequest {
        let mut headers = Vec::with_capacity(self.headers.len() + 3);
        headers.push(("Accept".to_owned(), "application/json".to_owned()));
        if body.is_some() {
            headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
        }
        if let Some(key) = &self.key {
            headers.push(("Authorization".to_owned(), key.bearer()));
        }
        headers.extend(self.headers.iter().cloned());
        HttpRequest {
            operation,
            method,
            url: format!("{}{path}", self.base_url),
            headers,
            body,
        }
    }

    /// `POST …/tasks`. It does not validate: call [`validate`](crate::validate()) first.
    /// `idempotency_key`, when given, is sent as `Idempotency-Key` (a proxy may honour it).
    pub fn create(
        &self,
        req: &CreateTaskRequest,
        idempotency_key: Option<&str>,
    ) -> Result<HttpRequest, Error> {
        let body = crate::types::codec::request::request_text(req);
        let mut http = self.request(Operation::Create, Method::Post, TASKS_PATH, Some(body));
        if let Some(key) = idempotency_key {
            if key.is_empty() || key.bytes().any(|b| !(0x21..0x7f).contains(&b)) {
                return Err(Error::invalid_argument(
                    "idempotency_key",
                    "must be non-empty printable ASCII without spaces",
                ));
            }
            http.headers
                .push(("Idempotency-Key".to_owned(), key.to_owned()));
        }
        Ok(http)
    }

    /// `GET …/tasks/{id}`. Errors: [`Error::InvalidArgument`] for an empty id.
    pub fn get(&self, task_id: &str) -> Result<HttpRequest, Error> {
        let path = format!("{TASKS_PATH}/{}", task_segment(task_id)?);
        Ok(self.request(Operation::Get, Method::Get, &path, None))
    }

    /// `DELETE …/tasks/{id}`. Errors: [`Error::InvalidArgument`] for an empty id.
    pub fn delete(&self, task_id: &str) -> Result<HttpRequest, Error> {
        let path = format!("{TASKS_PATH}/{}", task_segment(task_id)?);
        Ok(self.request(Operation::Delete, Method::Delete, &path, None))
    }

    /// `GET …/tasks?…`. Errors: [`Error::InvalidArgument`] for a page size outside 1..=500
    /// or a page number of 0.
    ///
    /// ```
    /// use seedance::protocol::{Endpoint, ListQuery};
    /// let q = ListQuery { page_size: Some(10), task_ids: vec!["cgt-a".into(), "cgt-b".into()], ..Default::default() };
    /// let req = Endpoint::default().list(&q).unwrap();
    /// assert!(req.url.ends_with("/tasks?page_size=10&filter.task_ids=cgt-a&filter.task_ids=cgt-b"));
    /// ```
    pub fn list(&self, query: &ListQuery) -> Result<HttpRequest, Error> {
        if let Some(size) = query.page_size.filter(|s| !(1..=500).contains(s)) {
            return Err(Error::invalid_argument(
                "page_size",
                format!("given {size}; allowed 1..=500"),
            ));
        }
        if query.page_num == Some(0) {
            return Err(Error::invalid_argument(
                "page_num",
                "given 0; pages count from 1",
            ));
        }
        let mut params: Vec<(&str, String)> = Vec::new();
        if let Some(n) = query.page_num {
            params.push(("page_num", n.to_string()));
        }
        if let Some(n) = query.page_size {
            params.push(("page_size", n.to_string()));
        }
        if let Some(s) = &query.status {
            params.push(("filter.status", s.as_str().to_owned()));
        }
        if let Some(m) = &query.model {
            params.push(("filter.model", m.clone()));
        }
        for id in &query.task_ids {
            params.push(("filter.task_ids", id.clone()));
        }
        let mut path = TASKS_PATH.to_owned();
        for (i, (k, v)) in params.iter().enumerate() {
            path.push(if i == 0 { '?' } else { '&' });
            path.push_str(k);
            path.push('=');
            path.push_str(&percent_encode(v));
        }
        Ok(self.request(Operation::List, Method::Get, &path, None))
    }
}

/// Whether `host[:port]/…` has a plausible host and, if any, a port in 1..=65535.
fn authority_ok(rest: &str) -> bool {
    let authority = rest.split('/').next().unwrap_or("");
    let (host, port) = match authority.strip_prefix('[') {
        // An IPv6 literal: [::1]:8787
        Some(v6) => match v6.split_once(']') {
            Some((addr, tail)) if !addr.is_empty() => (addr, tail.strip_prefix(':')),
            _ => return false,
        },
        None => match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        },
    };
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._:".contains(&b));
    let port_ok = port.is_none_or(|p| {
        p.bytes().all(|b| b.is_ascii_digit()) && matches!(p.parse::<u32>(), Ok(1..=65535))
    });
    host_ok && port_ok
}

fn task_segment(task_id: &str) -> Result<String, Error> {
    let id = task_id.trim();
    if id.is_empty() {
        return Err(Error::invalid_argument("task_id", "the task id is empty"));
    }
    // URL parsers collapse `.` and `..` segments: `tasks/..` would address another route.
    if id == "." || id == ".." {
        return Err(Error::invalid_argument(
            "task_id",
            format!("{id:?} is not a task id"),
        ));
    }
    Ok(percent_encode(id))
}

/// Percent-encode everything but RFC 3986 unreserved characters, so an id or filter value
/// can never change the path or add a parameter.
///
/// ```
/// assert_eq!(seedance::protocol::percent_encode("cgt-1/../x?y"), "cgt-1%2F..%2Fx%3Fy");
/// ```
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
