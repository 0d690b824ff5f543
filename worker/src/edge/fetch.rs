//! The one way out: send a request [`crate::upstream`] built (URL, the crate's headers
//! with the key, a create's body as the visitor sent it) and read back only the status,
//! the body and [`PASSED_HEADERS`].

use js_sys::Uint8Array;
use seedance::protocol::{HttpRequest, HttpResponse};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestInit, Response};

use crate::answers::PASSED_HEADERS;

use super::js::{fetch_request, message};

/// Send `request` upstream.
///
/// Errors: the fetch failed (no answer): the message, with the key never in it.
pub async fn send(request: &HttpRequest) -> Result<HttpResponse, String> {
    let headers = Headers::new().map_err(|e| message(&e))?;
    for (name, value) in &request.headers {
        // The error would name the value: the key.
        headers
            .set(name, value)
            .map_err(|_| format!("the header {name} can't be sent"))?;
    }
    let init = RequestInit::new();
    init.set_method(request.method.as_str());
    if let Some(body) = &request.body {
        // The one copy out of wasm memory; the JS Request owns it from here.
        init.set_body(&Uint8Array::from(body.as_bytes()));
    }
    init.set_headers(&headers);
    let req = Request::new_with_str_and_init(&request.url, &init).map_err(|e| message(&e))?;
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
