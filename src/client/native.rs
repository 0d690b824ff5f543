//! The native transport: reqwest over rustls, on the caller's Tokio runtime.
//!
//! Dropping a request future drops the connection's work, so cancellation by drop holds
//! here as in the browser.

use core::future::Future;
use core::time::Duration;

use crate::poll::Clock;
use crate::protocol::{HttpRequest, HttpResponse, Method};

use super::TransportError;

/// A pooled HTTP client.
#[derive(Clone, Debug)]
pub(crate) struct Transport {
    http: reqwest::Client,
}

impl Transport {
    pub(crate) fn new() -> Self {
        // A client without a pool-wide timeout: each call sets its own.
        let http = reqwest::Client::builder()
            .user_agent(concat!("seedance-rs/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("the TLS backend initialises (rustls with built-in roots)");
        Transport { http }
    }

    /// Send one request and read the whole answer, within `timeout`.
    pub(crate) async fn send(
        &self,
        req: &HttpRequest,
        timeout: Duration,
    ) -> Result<HttpResponse, TransportError> {
        let method = match req.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self.http.request(method, &req.url).timeout(timeout);
        for (name, value) in &req.headers {
            builder = builder.header(name, value);
        }
        if let Some(body) = &req.body {
            builder = builder.body(body.clone());
        }
        let resp = builder.send().await.map_err(map_error)?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
            .collect();
        let body = resp.bytes().await.map_err(map_error)?.to_vec();
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

fn map_error(e: reqwest::Error) -> TransportError {
    // A request that could not be built or whose connection never opened was not sent,
    // even when the connect attempt timed out.
    let not_sent = e.is_builder() || e.is_connect();
    if e.is_timeout() && !not_sent {
        return TransportError::Timeout;
    }
    // The URL may be a signed media link: keep its signature out of messages and logs.
    let e = e.without_url();
    // reqwest's own message is terse ("error sending request"); the cause says why.
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    if not_sent {
        TransportError::NotSent(message)
    } else {
        TransportError::Network(message)
    }
}

/// Time from Tokio's clock (so paused-time tests work too).
#[derive(Clone, Copy, Debug)]
pub(crate) struct RuntimeClock {
    origin: tokio::time::Instant,
}

impl RuntimeClock {
    pub(crate) fn new() -> Self {
        RuntimeClock {
            origin: tokio::time::Instant::now(),
        }
    }
}

impl Clock for RuntimeClock {
    fn now(&self) -> Duration {
        self.origin.elapsed()
    }

    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> {
        tokio::time::sleep(duration)
    }
}

/// Sleep on the Tokio timer.
pub(crate) fn sleep(duration: Duration) -> impl Future<Output = ()> {
    tokio::time::sleep(duration)
}

/// Seconds since the Unix epoch.
pub(crate) fn unix_now() -> i64 {
    (unix_now_ms() / 1000) as i64
}

/// Milliseconds since the Unix epoch.
pub(crate) fn unix_now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// 64 random bits, for idempotency keys (uniqueness, not secrecy): the standard library's
/// randomly keyed hasher gives them without another dependency.
pub(crate) fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.finish()
}

/// Run a future to completion in the background, if a Tokio runtime is running.
pub(crate) fn spawn_detached(fut: impl Future<Output = ()> + Send + 'static) {
    if let Ok(handle) = tokio::runtime::Handle::try_current() {
        handle.spawn(fut);
    }
}
