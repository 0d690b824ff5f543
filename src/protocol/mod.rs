//! The wire protocol without I/O: requests in, `{method, url, headers, body}` out; and
//! `(status, headers, body)` in, typed tasks or errors out.
//!
//! Every transport (fetch in wasm, reqwest natively, a Worker's `fetch`) only moves bytes;
//! everything the server can answer is decided here and tested without a network.
//!
//! `request.rs` builds what to send ([`Endpoint`], [`HttpRequest`]); `response.rs` reads what
//! came back ([`HttpResponse`], [`parse_task`], [`api_error`], …). Both are re-exported here.

mod request;
mod response;

pub use request::{percent_encode, Endpoint, HttpRequest, ListQuery, Method};
pub use response::{
    api_error, parse_create, parse_delete, parse_list, parse_task, snippet, HttpResponse,
};

/// The reseller's base URL (the default).
pub const DEFAULT_BASE_URL: &str = "https://api.apiyi.com/seedance/api/v3";
/// The official Volcengine Ark base URL (Beijing region).
pub const ARK_BASE_URL: &str = "https://ark.cn-beijing.volces.com/api/v3";

/// The task routes' path under the API prefix: `POST` creates, `GET` lists, and
/// `{TASKS_PATH}/{id}` gets or deletes one task.
pub const TASKS_PATH: &str = "/contents/generations/tasks";
