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

/// 429: Cloudflare's rate-limiting binding failed; nothing was sent. A 429, not a 503:
/// clients read a 5xx on create as "a task may exist" (`docs/API.md`, Errors), and a
/// batch would then never create that job again; a 429 is retried after `Retry-After`.
pub fn rate_limiter_unavailable(message: impl Into<String>) -> Refusal {
    Refusal::new(
        429,
        "RateLimiterUnavailable",
        format!(
            "the proxy's rate limiter failed ({}); nothing was sent: try again",
            message.into()
        ),
    )
    .retry_after_ms(1000)
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

/// 429: the store of the clients' records failed; nothing was sent. A 429 for the reason
/// [`rate_limiter_unavailable`] gives. The code keeps the records' old name (`Gate`):
/// clients may match on it.
pub fn records_unavailable(message: &str) -> Refusal {
    Refusal::new(
        429,
        "GateUnavailable",
        format!("the proxy's state store failed ({message}); nothing was sent: try again"),
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

/// 403: a media link whose signature is missing, malformed or not this link's (tampered,
/// another result's, another task's).
pub fn media_link_invalid() -> Refusal {
    Refusal::new(
        403,
        "MediaLinkInvalid",
        "this media link is not signed by this proxy: take the link from the task's `proxy` field",
    )
}

/// 403: a media link past its `exp`.
pub fn media_link_expired() -> Refusal {
    Refusal::new(
        403,
        "MediaLinkExpired",
        "this media link has expired: GET the task again for a fresh one",
    )
}

/// 403: a media link sent with the `X-Client-Id` of a visitor it was not signed for.
pub fn media_link_not_yours() -> Refusal {
    Refusal::new(
        403,
        "MediaLinkNotYours",
        format!("this media link was signed for another {CLIENT_ID_HEADER}"),
    )
    .param(CLIENT_ID_HEADER)
}

/// 404: the task has no result of this kind (not finished, failed, or no last frame asked
/// for); `status` is the task's.
pub fn media_not_found(field: &str, status: &str) -> Refusal {
    Refusal::new(
        404,
        "MediaNotFound",
        format!("the task has no content.{field} (its status is {status})"),
    )
    .param(field)
}

/// 429: the API refused the task lookup for now; `retry_after` as it sent it.
pub fn upstream_busy(retry_after: Option<&str>) -> Refusal {
    let wait = retry_after
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or(1);
    Refusal::new(
        429,
        "RateLimitExceeded",
        "the API is busy: try again shortly",
    )
    .retry_after_ms(wait * 1000)
}

/// 502: the API answered a lookup with an unexpected status (its body is not passed on).
pub fn upstream_failed(status: u16) -> Refusal {
    Refusal::new(
        502,
        "UpstreamError",
        format!("the API answered the task lookup with status {status}"),
    )
}

/// 502: the result host refused or failed (its body names the account's object, so it is
/// not passed on).
pub fn media_unavailable(status: u16) -> Refusal {
    Refusal::new(
        502,
        "MediaUnavailable",
        format!("the result host answered {status}"),
    )
}

#[cfg(test)]
mod tests {
    use core::time::Duration;

    use seedance::protocol::{parse_create, HttpResponse};
    use seedance::Error;

    use super::*;

    /// A refusal of a create as the core's client reads it.
    fn as_a_client_reads_it(r: &Refusal) -> Error {
        let mut headers: Vec<(String, String)> = r
            .headers
            .iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
            .collect();
        headers.push(("content-type".into(), "application/json".into()));
        let resp = HttpResponse {
            status: r.status,
            headers,
            body: r.body_bytes(),
        };
        parse_create(&resp).expect_err("a refusal")
    }

    /// The job runner (`src/jobs/runner.rs`) stops creating on a 429 whose code starts with
    /// `QuotaExceeded`, `DailyBudgetExceeded` or `AccountOverdueError`, or whose
    /// `Retry-After` is over 60 s; it waits `Retry-After` on any other 429.
    fn stops_a_batch(e: &Error) -> bool {
        let quota = [
            "QuotaExceeded",
            "DailyBudgetExceeded",
            "AccountOverdueError",
        ];
        e.code()
            .is_some_and(|c| quota.iter().any(|q| c.starts_with(q)))
            || e.retry_after().is_some_and(|d| d > Duration::from_secs(60))
    }

    #[test]
    fn a_batch_waits_out_the_rate_limit_and_a_passing_failure() {
        let rate = RateLimit {
            limit: 5,
            window_ms: 60_000,
        };
        for r in [
            rate_limited(&rate, 59_001),
            rate_limited_by_binding(),
            rate_limiter_unavailable("down"),
            records_unavailable("down"),
        ] {
            let e = as_a_client_reads_it(&r);
            assert!(
                matches!(e, Error::Api(_)),
                "a refusal, not an unknown outcome: {e:?}"
            );
            assert_eq!(e.http_status(), Some(429));
            assert!(e.retry_after().is_some_and(|d| d >= Duration::from_secs(1)));
            assert!(!stops_a_batch(&e), "{e:?}");
        }
        let e = as_a_client_reads_it(&rate_limited(&rate, 60_000));
        assert_eq!(
            (e.code(), e.retry_after()),
            (Some("RateLimitExceeded"), Some(Duration::from_secs(60)))
        );
    }

    #[test]
    fn a_batch_stops_on_the_daily_budget() {
        // Even a minute before midnight.
        for retry_after_ms in [60_000, 3_600_000] {
            let e = as_a_client_reads_it(&over_budget(900, 1000, 200, retry_after_ms));
            assert!(matches!(e, Error::Api(_)));
            assert_eq!(e.http_status(), Some(429));
            assert_eq!(e.code(), Some("DailyBudgetExceeded"));
            assert!(stops_a_batch(&e));
            assert!(e.to_string().contains("daily budget"), "{e}");
        }
    }
}
