//! The one way out: a request to the upstream API with the owner's key. Only the headers
//! the API needs go out; only status, body, `Retry-After` and `X-Request-Id` come back.

use js_sys::Uint8Array;
use seedance::protocol::HttpResponse;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestInit, Response};

use super::js::{fetch_request, message};

/// The upstream answer headers passed back to the visitor.
pub const PASSED_HEADERS: [&str; 4] = [
    "content-type",
    "retry-after",
    "retry-after-ms",
    "x-request-id",
];

/// Send `method path` (path under the base URL, query included) with the key.
///
/// Errors: the fetch failed (no answer): the message, with the key never in it.
pub async fn send(
    base: &str,
    key: &str,
    method: &str,
    path: &str,
    body: Option<&[u8]>,
) -> Result<HttpResponse, String> {
    let headers = Headers::new().map_err(|e| message(&e))?;
    let _ = headers.set("Accept", "application/json");
    headers
        .set("Authorization", &format!("Bearer {key}"))
        .map_err(|_| "the API key can't go into a header".to_owned())?;
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        let _ = headers.set("Content-Type", "application/json");
        // The one copy out of wasm memory; the JS Request owns it from here.
        init.set_body(&Uint8Array::from(body));
    }
    init.set_headers(&headers);
    let url = format!("{base}{path}");
    let req = Request::new_with_str_and_init(&url, &init).map_err(|e| message(&e))?;
    let resp: Response = JsFuture::from(fetch_request(&req))
        .await
        .map_err(|e| message(&e))?
        .unchecked_into();
    let mut out = HttpResponse {
        status: resp.status(),
        ..HttpResponse::default()
    };
    for name in PASSED_HEADERS {
        if let Ok(Some(v)) = resp.headers().get(name) {
            out.headers.push((name.to_owned(), v));
        }
    }
    let buf = JsFuture::from(resp.array_buffer().map_err(|e| message(&e))?)
        .await
        .map_err(|e| message(&e))?;
    out.body = Uint8Array::new(&buf).to_vec();
    Ok(out)
}
