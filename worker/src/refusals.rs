//! Every refusal the Worker answers, one function each: status, code, message, and the
//! headers a client acts on (`Retry-After`, `Allow`). Bodies are shaped like the API's
//! errors ([`Refusal`]), so every client reads them as it reads the server's.
//!
//! Only what each refusal says lives here; which one a request gets is decided in
//! [`crate::admission`] and [`crate::settle`], whose tests cover every one.

use seedance::protocol::snippet;
use seedance::Validation;

use crate::answers::Refusal;
use crate::policy::Breach;
use crate::ratelimit::RateLimit;
use crate::visitor::CLIENT_ID_HEADER;

/// 500: a var or secret is missing or malformed (the message names the var only).
pub fn misconfigured(message: impl Into<String>) -> Refusal {
    Refusal::new(500, "ProxyMisconfigured", message)
}

/// 403: a page on an origin not in `ALLOWED_ORIGINS` (answered without CORS headers).
pub fn origin_not_allowed() -> Refusal {
    Refusal::new(
        403,
        "OriginNotAllowed",
        "this origin may not use the proxy (ALLOWED_ORIGINS)",
    )
}

/// 404: a path the proxy does not serve.
pub fn no_such_route() -> Refusal {
    Refusal::new(404, "NotFound", "no such route on this proxy")
}

/// 405: a route that exists, with another method (`Allow` lists the methods).
pub fn method_not_allowed(allow: &'static str) -> Refusal {
    Refusal::new(405, "MethodNotAllowed", "method not allowed on this route").header("Allow", allow)
}

/// 401: a caller without `Origin` (a server) did not send the right `X-Proxy-Token`.
pub fn proxy_token_required() -> Refusal {
    Refusal::new(401, "ProxyTokenRequired", "send the proxy's X-Proxy-Token")
}

/// 400: no usable client id.
pub fn client_id_required() -> Refusal {
    Refusal::new(
        400,
        "ClientIdRequired",
        format!(
            "send a random client id of 16..=128 characters (A-Z a-z 0-9 - _ .) in {CLIENT_ID_HEADER}"
        ),
    )
    .param(CLIENT_ID_HEADER)
}

/// 405: listing is off (`ALLOW_LIST`), because the account's list holds every visitor's tasks.
pub fn list_disabled() -> Refusal {
    Refusal::new(
        405,
        "ListDisabled",
        "listing tasks is off on this proxy: the account's list holds every visitor's tasks (ALLOW_LIST)",
    )
    .header("Allow", "POST, OPTIONS")
}

/// 404: a task id that was not wrapped for this client (or no task id at all).
pub fn task_not_found() -> Refusal {
    Refusal::new(
        404,
        "ResourceNotFound",
        "the task does not exist or was not created by this client",
    )
    .param("id")
}

/// 413: a body over `MAX_BODY_BYTES` (`size`: declared, or read so far).
pub fn body_too_large(size: u64, cap: usize) -> Refusal {
    Refusal::new(
        413,
        "RequestBodyTooLarge",
        format!(
            "the body ({size} bytes) is over this proxy's cap of {cap} bytes: send large media as https:// or asset:// URLs"
        ),
    )
}

/// 400: the body's stream failed.
pub fn body_broken(message: impl Into<String>) -> Refusal {
    Refusal::new(400, "InvalidBody", message)
}

/// 400: the body is not a create request (not JSON, wrong shape, or not UTF-8).
pub fn not_a_create(why: &str) -> Refusal {
    Refusal::new(
        400,
        "InvalidParameter",
        format!(
            "the body is not a create request: {}",
            snippet(why.as_bytes(), 300)
        ),
    )
}

/// 400: the crate's `validate` found problems: every issue, the first error's field as
/// `param`.
pub fn invalid(outcome: Validation) -> Refusal {
    let param = outcome
        .errors()
        .next()
        .map(|i| i.field.clone())
        .unwrap_or_default();
    let issues = outcome.issues.clone();
    let message = match outcome.into_result() {
        Err(e) => e.to_string(),
        Ok(_) => "invalid request".to_owned(),
    };
    Refusal::new(400, "InvalidParameter", message)
        .param(&param)
        .issues(&issues)
}

/// 403: outside the spend policy: every breach, the first one's field as `param`.
pub fn policy(breaches: &[Breach]) -> Refusal {
    let lines: Vec<String> = breaches
        .iter()
        .map(|b| format!("{}: given {}; allowed: {}", b.field, b.given, b.allowed))
        .collect();
    Refusal::new(
        403,
        "PolicyViolation",
        format!(
            "this proxy's spend policy refuses the request: {}",
            lines.join("; ")
        ),
    )
    .param(breaches.first().map_or("", |b| b.field))
    .issues(&breaches)
}

/// 400: an `Idempotency-Key` that can't be one.
pub fn bad_idempotency_key() -> Refusal {
    Refusal::new(
        400,
        "InvalidParameter",
        "Idempotency-Key must be 1..=255 printable ASCII characters without spaces",
    )
    .param("Idempotency-Key")
}

/// 409: a create with this key is still in flight.
pub fn idempotency_key_in_use() -> Refusal {
    Refusal::new(
        409,
        "IdempotencyKeyInUse",
        "a create with this Idempotency-Key is still in flight: ask again shortly",
    )
    .retry_after_ms(1000)
}

/// 409: a create with this key failed ambiguously (a 5xx, or a lost answer); nothing is
/// sent again.
pub fn idempotency_outcome_unknown() -> Refusal {
    Refusal::new(
        409,
        "IdempotencyOutcomeUnknown",
        "an earlier create with this Idempotency-Key may have made a task (the \
         server failed or its answer was lost); nothing was sent again",
    )
}

/// 429: Cloudflare's rate-limiting binding said no (it tells no wait: 10 s).
pub fn rate_limited_by_binding() -> Refusal {
    Refusal::new(
        429,
        "RateLimitExceeded",
        "too many creates from this client: wait a little",
    )
    .retry_after_ms(10_000)
}

/// 503: Cloudflare's rate-limiting binding failed.
pub fn rate_limiter_unavailable(message: impl Into<String>) -> Refusal {
    Refusal::new(503, "RateLimiterUnavailable", message).retry_after_ms(1000)
}

/// 429: over `RATE_LIMIT` (counted in the client's records).
pub fn rate_limited(rate: &RateLimit, retry_after_ms: u64) -> Refusal {
    Refusal::new(
        429,
        "RateLimitExceeded",
        format!(
            "too many creates from this client (at most {} per {} s)",
            rate.limit,
            rate.window_ms as f64 / 1000.0
        ),
    )
    .retry_after_ms(retry_after_ms)
}

/// 429: the create would pass the daily token budget; `Retry-After` is UTC midnight.
pub fn over_budget(used: u64, budget: u64, tokens: u64, retry_after_ms: u64) -> Refusal {
    Refusal::new(
        429,
        "DailyBudgetExceeded",
        format!(
            "this client's daily budget of {budget} tokens would be exceeded ({used} used, this request needs up to {tokens}); it resets at 00:00 UTC"
        ),
    )
    .retry_after_ms(retry_after_ms)
}

/// 503: the store of the clients' records failed. The code keeps the records' old name
/// (`Gate`): clients may match on it.
pub fn records_unavailable(message: &str) -> Refusal {
    Refusal::new(
        503,
        "GateUnavailable",
        format!("the proxy's state store failed: {message}"),
    )
    .retry_after_ms(1000)
}

/// 500: `SUBREQUEST_BUDGET` leaves no room for a `generate` to poll.
pub fn no_room_to_poll() -> Refusal {
    misconfigured("SUBREQUEST_BUDGET leaves no room for a single poll")
}

/// 500: the crate's `Client` refused the key or the base URL.
pub fn unusable_client() -> Refusal {
    misconfigured("SEEDANCE_API_KEY or UPSTREAM_BASE_URL is not usable")
}

/// 502: the fetch upstream failed without an answer. For a create, the task may exist.
pub fn upstream_unreachable(message: &str, create: bool) -> Refusal {
    let may = if create {
        "; the create may or may not have made a task"
    } else {
        ""
    };
    Refusal::new(
        502,
        "UpstreamUnreachable",
        format!(
            "the API could not be reached ({}){may}",
            snippet(message.as_bytes(), 200)
        ),
    )
}
