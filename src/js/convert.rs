//! Values across the boundary: JSON in and out (serde_json is already in the binary, so
//! this costs no second serializer), and typed reads of option objects.

use js_sys::{Function, Reflect, JSON};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

use crate::error::Error;

/// Decode a plain JS object shaped like the API's JSON into `T`.
///
/// Errors: a validation-style error naming `what` and serde's reason (missing field,
/// wrong type), so a bad object from JS is as specific as a bad request from Rust.
pub(crate) fn from_js<T: DeserializeOwned>(value: &JsValue, what: &str) -> Result<T, Error> {
    if value.is_undefined() || value.is_null() {
        return Err(Error::invalid_argument(what, "is missing"));
    }
    let text = JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| Error::invalid_argument(what, "is not JSON-serializable"))?;
    // from_slice, as the protocol decodes answers: one reader type, one copy of the parser.
    serde_json::from_slice(text.as_bytes())
        .map_err(|e| Error::invalid_argument(what, e.to_string()))
}

/// Decode an optional object; `undefined` and `null` give `T::default()`.
pub(crate) fn from_js_or_default<T: DeserializeOwned + Default>(
    value: &JsValue,
    what: &str,
) -> Result<T, Error> {
    if value.is_undefined() || value.is_null() {
        Ok(T::default())
    } else {
        from_js(value, what)
    }
}

/// Encode `T` as a plain JS object (snake_case, as the API's JSON).
pub(crate) fn to_js<T: Serialize>(value: &T) -> JsValue {
    serde_json::to_string(value)
        .ok()
        .and_then(|s| JSON::parse(&s).ok())
        .unwrap_or(JsValue::NULL)
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
