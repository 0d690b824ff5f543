//! The JavaScript API (feature `js`, wasm32): a thin layer over the Rust client, built by
//! wasm-pack into the npm package. Values cross as the API's own JSON (snake_case), errors
//! as JS `Error`s with a `name`; its TypeScript declaration is `seedance.d.ts`, written by
//! hand so that it reads as documentation, and checked by `tsc` against usage files that
//! the Node tests also run.

mod abort;
mod client;
mod convert;
mod errors;

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use convert::{from_js, from_js_or_default, get, to_js};
use errors::to_js_error;

use crate::cost::{CostModel, PriceTable};
use crate::dataurl;
use crate::error::Error;
use crate::types::{CreateTaskRequest, Model, References};
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
    r.map(|r| to_js(&r)).map_err(to_js_error)
}

/// Check a request against every documented rule: `{ ok, mode, issues }`.
#[wasm_bindgen(js_name = validateRequest, skip_typescript)]
pub fn validate_request(request: JsValue, limits: JsValue) -> Result<JsValue, JsValue> {
    let req: CreateTaskRequest = from_js(&request, "request").map_err(to_js_error)?;
    let limits: Limits = from_js_or_default(&limits, "limits").map_err(to_js_error)?;
    let outcome = validate(&req, &limits);
    let out = to_js(&outcome);
    convert::set(&out, "ok", outcome.is_ok());
    Ok(out)
}

/// Estimate tokens (a range for `duration: -1`) and, with a price table, money.
#[wasm_bindgen(js_name = estimateCost, skip_typescript)]
pub fn estimate_cost(request: JsValue, prices: JsValue) -> Result<JsValue, JsValue> {
    let req: CreateTaskRequest = from_js(&request, "request").map_err(to_js_error)?;
    let prices: Option<PriceTable> = if prices.is_undefined() || prices.is_null() {
        None
    } else {
        Some(from_js(&prices, "prices").map_err(to_js_error)?)
    };
    Ok(to_js(&CostModel::default().estimate(&req, prices.as_ref())))
}

/// Encode bytes (`Uint8Array`, `ArrayBuffer`, `Blob` or `File`) as a `data:` URL; the MIME
/// type is sniffed from the bytes unless given.
#[wasm_bindgen(js_name = toDataUrl, skip_typescript)]
pub fn to_data_url(input: JsValue, mime: JsValue) -> Promise {
    future_to_promise(async move {
        let mime = text_of(&mime, "mime").map_err(to_js_error)?;
        let bytes: Vec<u8> = if let Some(a) = input.dyn_ref::<Uint8Array>() {
            a.to_vec()
        } else if input.is_instance_of::<js_sys::ArrayBuffer>() {
            Uint8Array::new(&input).to_vec()
        } else if let Some(blob) = input.dyn_ref::<web_sys::Blob>() {
            let buf = JsFuture::from(blob.array_buffer()).await?;
            Uint8Array::new(&buf).to_vec()
        } else {
            return Err(to_js_error(Error::invalid_argument(
                "input",
                "must be a Uint8Array, ArrayBuffer, Blob or File",
            )));
        };
        let url = match mime {
            Some(m) => dataurl::encode(&bytes, &m),
            None => dataurl::encode_sniffed(&bytes).map_err(to_js_error)?,
        };
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
            from_js_or_default(&get(&media, key), key)
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
