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
            let _ = reader.cancel();
            return Err(BodyError::TooLarge((buf.len() + n) as u64));
        }
        let start = buf.len();
        buf.resize(start + n, 0);
        chunk.copy_to(&mut buf[start..]);
    }
}
