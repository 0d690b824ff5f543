//! Reading the visitor's request: the head admission looks at, and the body under a cap,
//! straight into wasm memory, chunk by chunk: a body over the cap is refused as soon as it
//! passes it, without being held whole.

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStreamDefaultReader, Request};

use crate::admission::create::BodyError;
use crate::admission::Head;

use super::js::message;

/// What admission reads of `request`.
pub fn head(request: &Request) -> Head {
    let headers = request.headers();
    Head::new(&request.method(), &request.url(), |name| {
        headers.get(name).ok().flatten()
    })
}

/// The whole body, at most `cap` bytes.
pub async fn read_capped(req: &Request, cap: usize) -> Result<Vec<u8>, BodyError> {
    let declared = req
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(n) = declared.filter(|&n| n > cap as u64) {
        return Err(BodyError::TooLarge(n));
    }
    let Some(stream) = req.body() else {
        return Ok(Vec::new());
    };
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut buf = Vec::with_capacity(declared.unwrap_or(0) as usize);
    loop {
        let result = JsFuture::from(reader.read())
            .await
            .map_err(|e| BodyError::Broken(message(&e)))?;
        let done = Reflect::get(&result, &JsValue::from_str("done"))
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            return Ok(buf);
        }
        let chunk: Uint8Array = Reflect::get(&result, &JsValue::from_str("value"))
            .map_err(|e| BodyError::Broken(message(&e)))?
            .unchecked_into();
        let n = chunk.length() as usize;
        if buf.len() + n > cap {
            let seen = drain(&reader, (buf.len() + n) as u64).await;
            return Err(BodyError::TooLarge(seen));
        }
        let start = buf.len();
        buf.resize(start + n, 0);
        chunk.copy_to(&mut buf[start..]);
    }
}

/// After the cap is passed, read on (discarding) up to [`DRAIN`] more bytes before the 413
/// goes out: an answer sent while the visitor is still uploading reaches many HTTP clients
/// (browsers, Node's fetch) as a broken connection instead of the 413 (servers do the same
/// "lingering" read). A larger body is cut off there. Answers how many bytes were seen.
async fn drain(reader: &ReadableStreamDefaultReader, mut seen: u64) -> u64 {
    let stop = seen.saturating_add(DRAIN);
    while seen < stop {
        let Ok(result) = JsFuture::from(reader.read()).await else {
            break;
        };
        let done = Reflect::get(&result, &JsValue::from_str("done"))
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            return seen;
        }
        let n = Reflect::get(&result, &JsValue::from_str("value"))
            .ok()
            .and_then(|v| v.dyn_into::<Uint8Array>().ok())
            .map_or(0, |c| c.length());
        seen += u64::from(n);
    }
    let _ = reader.cancel();
    seen
}

/// How much of an over-cap body is read and dropped before answering.
const DRAIN: u64 = 1 << 20;
