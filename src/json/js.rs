//! wasm32: JSON values to and from the JS engine. Text is parsed and written by
//! `JSON.parse`/`JSON.stringify`; Rust only walks the resulting values.

use js_sys::{Array, Object, JSON};
use wasm_bindgen::{JsCast, JsValue};

use super::Json;

/// A plain JS value (as `JSON.parse` makes them) as [`Json`].
pub(crate) fn from_value(v: &JsValue) -> Json {
    if let Some(s) = v.as_string() {
        return Json::Str(s);
    }
    if let Some(x) = v.as_f64() {
        return Json::number(x);
    }
    if let Some(b) = v.as_bool() {
        return Json::Bool(b);
    }
    if let Some(a) = v.dyn_ref::<Array>() {
        return Json::Arr(a.iter().map(|item| from_value(&item)).collect());
    }
    if v.is_object() {
        let entries = Object::entries(v.unchecked_ref());
        return Json::Obj(
            entries
                .iter()
                .map(|e| {
                    let pair: Array = e.unchecked_into();
                    (
                        pair.get(0).as_string().unwrap_or_default(),
                        from_value(&pair.get(1)),
                    )
                })
                .collect(),
        );
    }
    Json::Null
}

/// A JS argument as the JSON it stands for: `JSON.stringify` first (so `toJSON`, dropped
/// functions and `undefined`, `NaN` as `null` all behave as they always did), then
/// `JSON.parse`. `None` when it can't be stringified (a cycle, a `BigInt`).
pub(crate) fn from_js(v: &JsValue) -> Option<Json> {
    let text = JSON::stringify(v).ok()?.as_string()?;
    let plain = JSON::parse(&text).ok()?;
    Some(from_value(&plain))
}

/// Parse JSON text (an HTTP body). Errors: the engine's `SyntaxError` message.
pub(crate) fn parse(text: &str) -> Result<Json, String> {
    JSON::parse(text).map(|v| from_value(&v)).map_err(|e| {
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| "invalid JSON".to_owned())
    })
}

/// A value written by `write` as a plain JS value.
#[cfg(feature = "js-core")]
pub(crate) fn to_js(write: impl FnOnce(&mut super::write::Writer)) -> JsValue {
    let mut w = super::write::Writer::new();
    write(&mut w);
    JSON::parse(&w.finish()).unwrap_or(JsValue::NULL)
}
