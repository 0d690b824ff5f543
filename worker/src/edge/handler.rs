//! The Worker's `fetch`: read the head, let admission decide, apply the decision (one
//! function per route), and log one line.

use wasm_bindgen::prelude::*;
use web_sys::{Request, Response};

use crate::admission::{decide, Then, Work};
use crate::config::Config;

use super::call::Call;
use super::js::{console_log, env_string};
use super::request::head;
use super::store::Store;
use super::{generate, respond, tasks};

/// The Worker's `fetch`: every request goes through here.
#[wasm_bindgen]
pub async fn handle(request: Request, env: JsValue, ctx: JsValue) -> Response {
    let started = js_sys::Date::now();
    let method = request.method();
    let decision = decide(
        Config::from_lookup(|k| env_string(&env, k)),
        &head(&request),
    );
    let store = Store::from_env(&env);
    // The log's name for the store is `gate` as it always was: log queries match on it.
    let gate = if store.is_remote() {
        "durable-object"
    } else {
        "memory"
    };
    let origin = decision.cors.as_deref();
    let resp = match decision.then {
        Then::Refuse(r) => respond::refusal(&r, origin),
        Then::Preflight => respond::preflight(origin),
        Then::Serve(caller, work) => {
            let call = Call::new(*caller, store, env);
            match work {
                Work::Create => tasks::create(&call, &request, origin).await,
                Work::Generate => generate::generate(call, request, ctx, origin).await,
                Work::Forward { request, wrap_ids } => {
                    tasks::forward(&call, &request, wrap_ids, origin).await
                }
            }
        }
    };
    // The log names the route, never an id, a body, a header value or the key.
    console_log(&format!(
        "{method} {} {} {}ms client={} gate={gate}",
        decision.route,
        resp.status(),
        (js_sys::Date::now() - started) as u64,
        decision.tag,
    ));
    resp
}
