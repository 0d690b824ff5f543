//! The JavaScript API (feature `js`, wasm32): a thin layer over the Rust client, built by
//! wasm-pack into the npm package. Values cross as the API's own JSON (snake_case), errors
//! as JS `Error`s with a `name`; its TypeScript declaration is `seedance.d.ts`, written by
//! hand so that it reads as documentation, and checked by `tsc` against usage files that
//! the Node tests also run.

mod abort;
mod client;
mod convert;
mod errors;
// client.batch()/film(): the full build only (feature `js`); the web entry's wasm
// (`js-core`) leaves the job engine out and loads the full build for them.
#[cfg(feature = "js")]
mod held;
#[cfg(feature = "js")]
mod jobs;

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use convert::{from_js, from_js_or_default, get, to_js};
use errors::to_js_error;

use crate::cost::codec::{decode_price_table, write_estimate};
use crate::cost::{CostModel, PriceTable};
use crate::dataurl;
use crate::error::Error;
use crate::json::read;
use crate::types::codec::request::{decode_request, write_request};
use crate::types::{CreateTaskRequest, Model, References};
use crate::validate::codec::{decode_limits, write_validation};
use crate::validate::{validate, Limits};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("seedance.d.ts");

fn model_of(v: &JsValue) -> Result<Model, Error> {
    v.as_string()
        .map(Model::from)
        .ok_or_else(|| Error::invalid_argument("model", "must be a model id string"))
}

fn text_of(v: &JsValue, what: &str) -> Result<Option<String>, Error> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string()
        .map(Some)
        .ok_or_else(|| Error::invalid_argument(what, "must be a string"))
}

fn req_js(r: Result<CreateTaskRequest, Error>) -> Result<JsValue, JsValue> {
    r.map(|r| to_js(|w| write_request(w, &r)))
        .map_err(to_js_error)
}

/// Check a request against every documented rule: `{ ok, mode, issues }`.
#[wasm_bindgen(js_name = validateRequest, skip_typescript)]
pub fn validate_request(request: JsValue, limits: JsValue) -> Result<JsValue, JsValue> {
    let req: CreateTaskRequest =
        from_js(&request, "request", decode_request).map_err(to_js_error)?;
    let limits: Limits =
        from_js_or_default(&limits, "limits", decode_limits).map_err(to_js_error)?;
    let outcome = validate(&req, &limits);
    let out = to_js(|w| write_validation(w, &outcome));
    convert::set(&out, "ok", outcome.is_ok());
    Ok(out)
}

/// Estimate tokens (a range for `duration: -1`) and, with a price table, money.
#[wasm_bindgen(js_name = estimateCost, skip_typescript)]
pub fn estimate_cost(request: JsValue, prices: JsValue) -> Result<JsValue, JsValue> {
    let req: CreateTaskRequest =
        from_js(&request, "request", decode_request).map_err(to_js_error)?;
    let prices: Option<PriceTable> = if prices.is_undefined() || prices.is_null() {
        None
    } else {
        Some(from_js(&prices, "prices", decode_price_table).map_err(to_js_error)?)
    };
    let estimate = CostModel::default().estimate(&req, prices.as_ref());
    Ok(to_js(|w| write_estimate(w, &estimate)))
}

/// Bytes `toDataUrl` reads from a `Blob` at a time: few reads (each is a round trip to the
/// browser's blob store), and the input is never all in memory at once.
const READ: f64 = (3 << 21) as f64;

/// Bytes `toDataUrl` copies into wasm and encodes at a time: a multiple of 3, so the pieces'
/// base64 join with no padding between them, and small, because wasm memory never shrinks
/// once grown (a piece and its base64 take under 2 MB of it).
const PIECE: u32 = 3 << 18;

/// Where `toDataUrl` reads its bytes: a view of memory, or a `Blob` read a slice at a time.
enum Source {
    Bytes(Uint8Array),
    Blob(web_sys::Blob),
}

impl Source {
    fn len(&self) -> f64 {
        match self {
            Source::Bytes(a) => a.length().into(),
            Source::Blob(b) => b.size(),
        }
    }

    async fn read(&self, start: f64, end: f64) -> Result<Uint8Array, JsValue> {
        match self {
            Source::Bytes(a) => Ok(a.subarray(start as u32, end as u32)),
            Source::Blob(b) => {
                let slice = b.slice_with_f64_and_f64(start, end)?;
                Ok(Uint8Array::new(
                    &JsFuture::from(slice.array_buffer()).await?,
                ))
            }
        }
    }

    /// Free a chunk read from a `Blob` now rather than at the next GC: detach its buffer
    /// (`transfer(0)`, where the engine has it). A caller's own bytes are left alone.
    fn release(&self, chunk: &Uint8Array) {
        if let Source::Blob(_) = self {
            let _ = chunk.buffer().transfer_with_length(0);
        }
    }
}

/// Encode bytes (`Uint8Array`, `ArrayBuffer`, `Blob` or `File`) as a `data:` URL; the MIME
/// type is sniffed from the bytes unless given.
///
/// The input is read and encoded a few MB at a time and the URL is built from the pieces'
/// strings, so neither the whole input nor the whole URL is copied into wasm memory: it grows
/// by about 2 MB whatever the size (and wasm memory never shrinks). In Chromium a 30 MB file
/// peaks at about 2.6× its size, 3.9× once the string is first used (FileReader: 3.7×).
#[wasm_bindgen(js_name = toDataUrl, skip_typescript)]
pub fn to_data_url(input: JsValue, mime: JsValue) -> Promise {
    future_to_promise(async move {
        let mime = text_of(&mime, "mime").map_err(to_js_error)?;
        let source = if let Some(a) = input.dyn_ref::<Uint8Array>() {
            Source::Bytes(a.clone())
        } else if input.is_instance_of::<js_sys::ArrayBuffer>() {
            Source::Bytes(Uint8Array::new(&input))
        } else if let Some(blob) = input.dyn_ref::<web_sys::Blob>() {
            Source::Blob(blob.clone())
        } else {
            return Err(to_js_error(Error::invalid_argument(
                "input",
                "must be a Uint8Array, ArrayBuffer, Blob or File",
            )));
        };
        let len = source.len();
        let mut bytes = Vec::new();
        let mut text = String::new();
        let mut url = js_sys::JsString::from("");
        let mut start = 0.0;
        loop {
            let end = (start + READ).min(len);
            let chunk = source.read(start, end).await?;
            let mut at = 0;
            loop {
                let piece = chunk.subarray(at, at.saturating_add(PIECE).min(chunk.length()));
                bytes.resize(piece.length() as usize, 0);
                piece.copy_to(&mut bytes);
                text.clear();
                text.reserve(64 + bytes.len().div_ceil(3) * 4);
                if start == 0.0 && at == 0 {
                    let mime = match &mime {
                        Some(m) => m.as_str(),
                        None => dataurl::sniffed_mime(&bytes).map_err(|e| to_js_error(e.into()))?,
                    };
                    text.push_str("data:");
                    text.push_str(mime);
                    text.push_str(";base64,");
                }
                dataurl::encode_part(&bytes, &mut text);
                // String concatenation makes a rope: no copy of what came before.
                url = url.concat(&JsValue::from_str(&text));
                at = at.saturating_add(PIECE);
                if at >= chunk.length() {
                    break;
                }
            }
            source.release(&chunk);
            start = end;
            if start >= len {
                break;
            }
        }
        Ok(url.into())
    })
}

/// A text-to-video request.
#[wasm_bindgen(js_name = textToVideo, skip_typescript)]
pub fn text_to_video(model: JsValue, prompt: String) -> Result<JsValue, JsValue> {
    req_js(model_of(&model).map(|m| CreateTaskRequest::text_to_video(m, prompt)))
}

/// A first-frame request.
#[wasm_bindgen(js_name = firstFrame, skip_typescript)]
pub fn first_frame(model: JsValue, image: String, prompt: JsValue) -> Result<JsValue, JsValue> {
    req_js((|| {
        let r = CreateTaskRequest::first_frame(model_of(&model)?, image);
        Ok(match text_of(&prompt, "prompt")? {
            Some(p) => r.with_prompt(p),
            None => r,
        })
    })())
}

/// A first + last frame request.
#[wasm_bindgen(js_name = firstLastFrame, skip_typescript)]
pub fn first_last_frame(
    model: JsValue,
    first: String,
    last: String,
    prompt: JsValue,
) -> Result<JsValue, JsValue> {
    req_js((|| {
        let r = CreateTaskRequest::first_last_frame(model_of(&model)?, first, last);
        Ok(match text_of(&prompt, "prompt")? {
            Some(p) => r.with_prompt(p),
            None => r,
        })
    })())
}

/// A multi-modal reference request: `{ images, videos, audios }` URL lists.
#[wasm_bindgen(js_name = reference, skip_typescript)]
pub fn reference(model: JsValue, prompt: String, media: JsValue) -> Result<JsValue, JsValue> {
    req_js((|| {
        let list = |key: &str| -> Result<Vec<String>, Error> {
            from_js_or_default(&get(&media, key), key, read::strings)
        };
        let mut refs = References::new();
        for u in list("images")? {
            refs = refs.image(u);
        }
        for u in list("videos")? {
            refs = refs.video(u);
        }
        for u in list("audios")? {
            refs = refs.audio(u);
        }
        Ok(CreateTaskRequest::reference(
            model_of(&model)?,
            prompt,
            refs,
        ))
    })())
}
