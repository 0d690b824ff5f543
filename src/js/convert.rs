//! Values across the boundary: JS values in through `JSON.stringify`/`JSON.parse` and the
//! hand-written decoders of `crate::json` (serde's results and messages, without serde in
//! the wasm), out as JSON text the engine parses; and typed reads of option objects.

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::error::Error;
use crate::json::read::Read;
use crate::json::Json;

pub(crate) use crate::json::js::to_js;

/// Decode a plain JS object shaped like the API's JSON with `read` (one of
/// the codecs' `decode_*` functions).
///
/// Errors: a validation-style error naming `what` and serde's reason (missing field,
/// wrong type), so a bad object from JS is as specific as a bad request from Rust.
pub(crate) fn from_js<T>(
    value: &JsValue,
    what: &str,
    read: fn(Json) -> Read<T>,
) -> Result<T, Error> {
    if value.is_undefined() || value.is_null() {
        return Err(Error::invalid_argument(what, "is missing"));
    }
    let json = crate::json::js::from_js(value)
        .ok_or_else(|| Error::invalid_argument(what, "is not JSON-serializable"))?;
    read(json).map_err(|e| Error::invalid_argument(what, e))
}

/// Decode an optional object; `undefined` and `null` give `T::default()`.
pub(crate) fn from_js_or_default<T: Default>(
    value: &JsValue,
    what: &str,
    read: fn(Json) -> Read<T>,
) -> Result<T, Error> {
    if value.is_undefined() || value.is_null() {
        Ok(T::default())
    } else {
        from_js(value, what, read)
    }
}

/// `obj[key]`, or `undefined`.
pub(crate) fn get(obj: &JsValue, key: &str) -> JsValue {
    if obj.is_object() {
        Reflect::get(obj, &key.into()).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// `obj[key]` as a function, if it is one.
pub(crate) fn get_fn(obj: &JsValue, key: &str) -> Result<Option<Function>, Error> {
    let v = get(obj, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.dyn_into::<Function>()
        .map(Some)
        .map_err(|_| Error::invalid_argument(key, "must be a function"))
}

/// `obj[key]` as a non-negative number of milliseconds, if set.
pub(crate) fn get_ms(obj: &JsValue, key: &str) -> Result<Option<f64>, Error> {
    let v = get(obj, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if n.is_finite() && n >= 0.0 => Ok(Some(n)),
        _ => Err(Error::invalid_argument(
            key,
            "must be a finite number of milliseconds ≥ 0",
        )),
    }
}

/// `obj[key]` as a string, if set.
pub(crate) fn get_string(obj: &JsValue, key: &str) -> Result<Option<String>, Error> {
    let v = get(obj, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string()
        .map(Some)
        .ok_or_else(|| Error::invalid_argument(key, "must be a string"))
}

/// Set `obj[key] = value`.
pub(crate) fn set(obj: &JsValue, key: &str, value: impl Into<JsValue>) {
    let _ = Reflect::set(obj, &key.into(), &value.into());
}
