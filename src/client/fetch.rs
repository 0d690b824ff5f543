//! The wasm32 transport: the global `fetch` (through gloo-net) and `setTimeout` (through
//! gloo-timers), so the same code runs in a page, a Web Worker, Node and workerd.
//!
//! Every request carries an `AbortController` that is aborted when the request future is
//! dropped or times out, so a cancelled call leaves no fetch running and no timer pending.

use core::future::Future;
use core::pin::pin;
use core::task::Poll;
use core::time::Duration;

use gloo_net::http::{Method as FetchMethod, RequestBuilder};
use gloo_timers::future::TimeoutFuture;
use web_sys::{AbortController, RequestCredentials};

use crate::poll::Clock;
use crate::protocol::{HttpRequest, HttpResponse, Method};

use super::TransportError;

/// Aborts its controller when dropped: on completion it is a no-op, on cancellation or
/// timeout it stops the fetch.
struct AbortOnDrop(AbortController);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The fetch transport. Stateless: the browser (or runtime) pools connections itself.
#[derive(Clone, Debug, Default)]
pub(crate) struct Transport;

impl Transport {
    pub(crate) fn new() -> Self {
        Transport
    }

    /// Send one request and read the whole answer, within `timeout`.
    pub(crate) async fn send(
        &self,
        req: &HttpRequest,
        timeout: Duration,
    ) -> Result<HttpResponse, TransportError> {
        // Everything before `send` fails without a request leaving: report it as not sent.
        let controller =
            AbortController::new().map_err(|e| TransportError::NotSent(js_message(&e)))?;
        let signal = controller.signal();
        let _abort = AbortOnDrop(controller);
        let method = match req.method {
            Method::Get => FetchMethod::GET,
            Method::Post => FetchMethod::POST,
            Method::Delete => FetchMethod::DELETE,
        };
        // No cookies or HTTP auth entries: API calls carry a Bearer key, signed URLs nothing.
        // web_sys::Headers reports a bad header as an error; gloo-net's own setter would
        // throw through the wasm frames instead.
        let headers =
            web_sys::Headers::new().map_err(|e| TransportError::NotSent(js_message(&e)))?;
        for (name, value) in &req.headers {
            headers.set(name, value).map_err(|e| {
                TransportError::NotSent(format!("header {name}: {}", js_message(&e)))
            })?;
        }
        let builder = RequestBuilder::new(&req.url)
            .method(method)
            .credentials(RequestCredentials::Omit)
            .headers(gloo_net::http::Headers::from_raw(headers))
            .abort_signal(Some(&signal));
        let request = match &req.body {
            Some(body) => builder.body(body.as_str()),
            None => builder.build(),
        }
        .map_err(|e| TransportError::NotSent(e.to_string()))?;

        let exchange = async {
            let resp = request.send().await?;
            let status = resp.status();
            let headers = resp.headers().entries().collect();
            let body = resp.binary().await?;
            Ok::<_, gloo_net::Error>(HttpResponse {
                status,
                headers,
                body,
            })
        };
        match race(exchange, sleep(timeout)).await {
            Either::Left(result) => result.map_err(|e| TransportError::Network(e.to_string())),
            Either::Right(()) => Err(TransportError::Timeout),
        }
    }
}

fn js_message(value: &wasm_bindgen::JsValue) -> String {
    if let Some(s) = value.as_string() {
        return s;
    }
    js_sys::Reflect::get(value, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}

enum Either<A, B> {
    Left(A),
    Right(B),
}

/// The first of two futures to finish; the other is dropped (which cancels it).
async fn race<A: Future, B: Future>(a: A, b: B) -> Either<A::Output, B::Output> {
    let (mut a, mut b) = (pin!(a), pin!(b));
    core::future::poll_fn(|cx| {
        if let Poll::Ready(out) = a.as_mut().poll(cx) {
            return Poll::Ready(Either::Left(out));
        }
        if let Poll::Ready(out) = b.as_mut().poll(cx) {
            return Poll::Ready(Either::Right(out));
        }
        Poll::Pending
    })
    .await
}

/// Sleep with `setTimeout`; dropping the future clears the timer.
pub(crate) fn sleep(duration: Duration) -> TimeoutFuture {
    // setTimeout takes a signed 32-bit delay (about 24.8 days); longer ones would fire at once.
    TimeoutFuture::new(duration.as_millis().min(i32::MAX as u128) as u32)
}

/// Time from `Date.now()`, available in every JS runtime.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct RuntimeClock;

impl RuntimeClock {
    pub(crate) fn new() -> Self {
        RuntimeClock
    }
}

impl Clock for RuntimeClock {
    fn now(&self) -> Duration {
        Duration::from_secs_f64(js_sys::Date::now().max(0.0) / 1000.0)
    }

    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> {
        sleep(duration)
    }
}

/// Seconds since the Unix epoch.
pub(crate) fn unix_now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Milliseconds since the Unix epoch.
pub(crate) fn unix_now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// 64 random bits, for idempotency keys (uniqueness, not secrecy).
pub(crate) fn random_u64() -> u64 {
    let hi = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    let lo = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    (hi << 32) | lo
}

/// Run a future to completion in the background.
pub(crate) fn spawn_detached(fut: impl Future<Output = ()> + 'static) {
    wasm_bindgen_futures::spawn_local(fut);
}
