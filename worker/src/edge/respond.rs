//! Answers to the visitor as workerd `Response`s: a refusal, an upstream answer passed
//! back, a preflight, an event stream; each with CORS headers for an allowed origin.

use seedance::protocol::HttpResponse;
use web_sys::{Headers, ReadableStream, Response, ResponseInit};

use crate::answers::Refusal;
use crate::cors;

fn headers(list: &[(&str, String)], origin: Option<&str>) -> Headers {
    let h = Headers::new().expect("Headers");
    for (k, v) in list {
        let _ = h.append(k, v);
    }
    if let Some(o) = origin {
        for (k, v) in cors::answer_headers(o) {
            let _ = h.set(k, &v);
        }
    }
    h
}

fn init(status: u16, headers: &Headers) -> ResponseInit {
    let init = ResponseInit::new();
    init.set_status(status);
    init.set_headers(headers);
    init
}

/// A response with this status, body and headers.
fn response(
    status: u16,
    body: Option<&[u8]>,
    list: &[(&str, String)],
    origin: Option<&str>,
) -> Response {
    let init = init(status, &headers(list, origin));
    let mut body = body.map(<[u8]>::to_vec);
    Response::new_with_opt_u8_array_and_init(body.as_deref_mut(), &init).expect("Response")
}

/// A refusal, as JSON.
pub fn refusal(r: &Refusal, origin: Option<&str>) -> Response {
    let mut list: Vec<(&str, String)> = vec![("Content-Type", "application/json".to_owned())];
    list.extend(r.headers.iter().map(|(k, v)| (*k, v.clone())));
    response(r.status, Some(&r.body_bytes()), &list, origin)
}

/// An upstream answer (or the proxy's own, e.g. a replay).
pub fn answer(resp: &HttpResponse, origin: Option<&str>) -> Response {
    let list: Vec<(&str, String)> = resp
        .headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    // 204 and 304 may carry no body.
    let body = (!matches!(resp.status, 204 | 304)).then_some(resp.body.as_slice());
    response(resp.status, body, &list, origin)
}

/// An answer, or the refusal that stands in its place.
pub fn either(result: &Result<HttpResponse, Refusal>, origin: Option<&str>) -> Response {
    match result {
        Ok(resp) => answer(resp, origin),
        Err(r) => refusal(r, origin),
    }
}

/// The answer to a preflight: 204, with the preflight headers for an allowed origin.
pub fn preflight(origin: Option<&str>) -> Response {
    let list = origin.map(cors::preflight_headers).unwrap_or_default();
    response(204, None, &list, None)
}

/// A `text/event-stream` of `events`.
pub fn event_stream(events: &ReadableStream, origin: Option<&str>) -> Response {
    let list = [
        (
            "Content-Type",
            "text/event-stream; charset=utf-8".to_owned(),
        ),
        ("Cache-Control", "no-cache, no-transform".to_owned()),
        ("X-Accel-Buffering", "no".to_owned()),
    ];
    let init = init(200, &headers(&list, origin));
    Response::new_with_opt_readable_stream_and_init(Some(events), &init).expect("Response")
}
