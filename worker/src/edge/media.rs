//! `GET`/`HEAD {prefix}/media/{id}/{kind}`: look the task up with the key, open its
//! fresh result URL with the visitor's `Range`, and stream the bytes back as they come
//! (they never pass through wasm memory). Admission decided every step
//! ([`crate::admission::media`]).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestInit, Response};

use crate::admission::media::{MediaFetch, Pull};

use super::fetch::send;
use super::js::{fetch_request, message};
use super::respond;

pub async fn serve(fetch: &MediaFetch, origin: Option<&str>) -> Response {
    let pull = match fetch.pull(send(&fetch.task).await) {
        Ok(pull) => pull,
        Err(r) => return respond::refusal(&r, origin),
    };
    let opened = open(&pull).await;
    let status = opened.as_ref().map(Response::status).map_err(Clone::clone);
    let headers = opened.as_ref().ok().map(Response::headers);
    let header = |name: &str| headers.as_ref()?.get(name).ok().flatten();
    match (fetch.relay(status, header), opened) {
        (Ok(relay), Ok(resp)) => respond::stream(relay.status, &relay.headers, resp.body(), origin),
        (Err(r), opened) => {
            // The result host's body (an error naming the account's object) is dropped.
            if let Some(body) = opened.ok().and_then(|r| r.body()) {
                let _ = body.cancel();
            }
            respond::refusal(&r, origin)
        }
        (Ok(_), Err(_)) => unreachable!("a relay needs an answer"),
    }
}

/// Open the result URL: a plain `GET` or `HEAD` with `Range` alone (never
/// `Authorization`: a signed URL refuses a second auth mechanism).
async fn open(pull: &Pull) -> Result<Response, String> {
    let headers = Headers::new().map_err(|e| message(&e))?;
    if let Some(range) = &pull.range {
        headers.set("Range", range).map_err(|e| message(&e))?;
    }
    let init = RequestInit::new();
    init.set_method(pull.method);
    init.set_headers(&headers);
    let req = Request::new_with_str_and_init(&pull.url, &init).map_err(|e| message(&e))?;
    Ok(JsFuture::from(fetch_request(&req))
        .await
        .map_err(|e| message(&e))?
        .unchecked_into())
}
