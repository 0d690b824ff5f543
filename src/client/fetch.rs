//! The wasm32 transport: the global `fetch` (through web-sys) and `setTimeout` (through
//! gloo-timers), so the same code runs in a page, a Web Worker, Node and workerd.
//!
//! Every request carries an `AbortController` that is aborted when the request future is
//! dropped or times out, so a cancelled call leaves no fetch running and no timer pending.

use core::future::Future;
use core::pin::pin;
use core::task::Poll;
use core::time::Duration;

use gloo_timers::future::TimeoutFuture;
use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestCredentials, RequestInit};

use crate::poll::Clock;
use crate::protocol::{HttpRequest, HttpResponse};

#[wasm_bindgen]
extern "C" {
    // The global `fetch` (window, worker, Node and workerd alike), not `window.fetch`.
    #[wasm_bindgen(js_name = fetch)]
    fn fetch_with_request(request: &web_sys::Request) -> Promise;
}

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
        // No cookies or HTTP auth entries: API calls carry a Bearer key, signed URLs nothing.
        // web_sys::Headers reports a bad header as an error instead of throwing.
        let headers =
            web_sys::Headers::new().map_err(|e| TransportError::NotSent(js_message(&e)))?;
        for (name, value) in &req.headers {
            headers.set(name, value).map_err(|e| {
                TransportError::NotSent(format!("header {name}: {}", js_message(&e)))
            })?;
        }
        let init = RequestInit::new();
        init.set_method(req.method.as_str());
        init.set_credentials(RequestCredentials::Omit);
        init.set_headers(&headers);
        init.set_signal(Some(&signal));
        if let Some(body) = &req.body {
            init.set_body(&JsValue::from_str(body));
        }
        let request =
            web_sys::Request::new_with_str_and_init(&query_as_gloo_sent_it(&req.url), &init)
                .map_err(|e| TransportError::NotSent(js_text(&e)))?;

        let exchange = async {
            let resp: web_sys::Response = JsFuture::from(fetch_with_request(&request))
                .await?
                .unchecked_into();
            let status = resp.status();
            // `Array.from(headers)`: its `[name, value]` pairs.
            let headers = Array::from(&resp.headers())
                .iter()
                .map(|pair| {
                    let pair: Array = pair.unchecked_into();
                    let text = |i| pair.get(i).as_string().unwrap_or_default();
                    (text(0), text(1))
                })
                .collect();
            let body = JsFuture::from(resp.array_buffer()?).await?;
            Ok::<_, JsValue>(HttpResponse {
                status,
                headers,
                body: Uint8Array::new(&body).to_vec(),
            })
        };
        match race(exchange, sleep(timeout)).await {
            Either::Left(result) => result.map_err(|e| TransportError::Network(js_text(&e))),
            Either::Right(()) => Err(TransportError::Timeout),
        }
    }
}

/// The URL as gloo-net (this transport's former fetch wrapper) sent it: it set the query
/// again as `<query>&`, so a URL with a query went out with a trailing `&`. Kept so that
/// servers and proxies see the same URLs as before.
fn query_as_gloo_sent_it(url: &str) -> String {
    let (head, hash) = match url.split_once('#') {
        Some((head, hash)) => (head, Some(hash)),
        None => (url, None),
    };
    let mut out = head.to_owned();
    if head.split_once('?').is_some_and(|(_, q)| !q.is_empty()) {
        out.push('&');
    }
    if let Some(hash) = hash {
        out.push('#');
        out.push_str(hash);
    }
    out
}

/// What a rejected fetch says: an error's `toString()`, e.g. `TypeError: Failed to fetch`.
fn js_text(value: &JsValue) -> String {
    match value.dyn_ref::<js_sys::Error>() {
        Some(e) => String::from(e.to_string()),
        None => js_message(value),
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
