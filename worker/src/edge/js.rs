//! The few JS functions the Worker calls that web-sys does not bind for workerd: the
//! global `fetch` (workerd's global scope is neither a `Window` nor a
//! `WorkerGlobalScope`), `console.log`, `ctx.waitUntil`, and reading the `env` object.

use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    pub fn fetch_request(request: &web_sys::Request) -> Promise;

    #[wasm_bindgen(js_namespace = console, js_name = log)]
    pub fn console_log(line: &str);

    /// The invocation's `ctx`.
    pub type ExecutionContext;
    #[wasm_bindgen(method, catch, js_name = waitUntil)]
    pub fn wait_until(this: &ExecutionContext, promise: &Promise) -> Result<(), JsValue>;
}

/// A var or secret of `env`, when it is a string.
pub fn env_string(env: &JsValue, name: &str) -> Option<String> {
    Reflect::get(env, &JsValue::from_str(name))
        .ok()
        .and_then(|v| v.as_string())
}

/// A binding of `env` (an object), when bound.
pub fn env_binding(env: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(env, &JsValue::from_str(name))
        .ok()
        .filter(|v| v.is_object())
}

/// The message of a thrown JS value.
pub fn message(value: &JsValue) -> String {
    if let Some(s) = value.as_string() {
        return s;
    }
    Reflect::get(value, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| "unknown JS error".to_owned())
}
