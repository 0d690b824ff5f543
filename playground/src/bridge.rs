//! What the first app (one video) and the jobs app (films, batches, variations; loaded on
//! first use) share, as JSON through `window.__seedance`: the connection (settings, and
//! the key when one is typed: memory only, never stored), the compose form with its image
//! payloads, and the spend guard. The jobs app reads it each time one of its views is
//! shown, and calls back to count what it asks for, to put a last frame into the form, to
//! show a view and, for the one-video view's task side (which it draws), to say whether a
//! task runs, that the history changed, and to generate from the form.

use serde::{Deserialize, Serialize};

use crate::connection::{Connection, Settings};
use crate::form::{Form, Payloads};
use crate::guard::Guard;
use crate::write::{Obj, Write};

/// The shared state, as the first app hands it to the jobs app.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BridgeState {
    /// The connection's saved settings.
    pub settings: Settings,
    /// The API key typed for direct calls (memory only).
    pub key: String,
    /// Whether the simulator answered beside the page.
    pub sim: Option<bool>,
    /// The compose form without its image payloads.
    pub form: Form,
    /// Its image payloads.
    pub payloads: Payloads,
    /// The session's token budget as typed.
    pub budget: String,
    /// Tokens asked for so far this session.
    pub spent: u64,
}

impl Write for BridgeState {
    fn write(&self, out: &mut String) {
        Obj::new(out)
            .field("settings", &self.settings)
            .field("key", &self.key)
            .field("sim", &self.sim)
            .field("form", &self.form)
            .field("payloads", &self.payloads)
            .field("budget", &self.budget)
            .field("spent", &self.spent)
            .end();
    }
}

impl BridgeState {
    /// The state of the first app.
    pub fn of(conn: &Connection, form: &Form, guard: &Guard) -> Self {
        let (form, payloads) = form.split();
        BridgeState {
            settings: conn.settings.clone(),
            key: conn.key.clone(),
            sim: conn.sim,
            form,
            payloads,
            budget: guard.budget.clone(),
            spent: guard.spent,
        }
    }

    /// The connection it describes (the key is never remembered by the jobs app).
    pub fn connection(&self) -> Connection {
        Connection {
            settings: self.settings.clone(),
            key: self.key.clone(),
            remember: false,
            sim: self.sim,
        }
    }

    /// The compose form, images included.
    pub fn form(&self) -> Form {
        self.form.clone().with_payloads(self.payloads.clone())
    }

    /// The spend guard.
    pub fn guard(&self) -> Guard {
        Guard {
            budget: self.budget.clone(),
            spent: self.spent,
        }
    }
}

#[cfg(target_arch = "wasm32")]
pub use browser::*;

/// Both sides of `window.__seedance`: the first app sets it up ([`export`], which the jobs
/// app uses for its own global too), the jobs app calls into it (the other functions).
#[cfg(target_arch = "wasm32")]
mod browser {
    use js_sys::{Function, Object, Reflect};
    use wasm_bindgen::{JsCast, JsValue};

    use super::BridgeState;
    use crate::nav::GLOBAL;

    /// Set `window[global][name]` (the object made on first use) to `f`: the first app's
    /// functions under [`GLOBAL`], the jobs app's under `nav::JOBS_GLOBAL`.
    pub fn export(global: &str, name: &str, f: JsValue) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let obj = Reflect::get(&window, &global.into())
            .ok()
            .filter(JsValue::is_object)
            .unwrap_or_else(|| {
                let obj = Object::new().into();
                let _ = Reflect::set(&window, &global.into(), &obj);
                obj
            });
        let _ = Reflect::set(&obj, &name.into(), &f);
    }

    fn call(name: &str, arg: &JsValue) -> Option<JsValue> {
        let window = web_sys::window()?;
        let obj = Reflect::get(&window, &GLOBAL.into()).ok()?;
        let f: Function = Reflect::get(&obj, &name.into()).ok()?.dyn_into().ok()?;
        f.call1(&JsValue::NULL, arg).ok()
    }

    /// The first app's state now.
    pub fn state() -> BridgeState {
        call("state", &JsValue::UNDEFINED)
            .and_then(|v| v.as_string())
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    /// Count `tokens` asked for in the session's spend guard.
    pub fn spend(tokens: u64) {
        call("spend", &JsValue::from_f64(tokens as f64));
    }

    /// Show the view named `label`.
    pub fn show(label: &str) {
        call("show", &label.into());
    }

    /// Put `frame` into the compose form as the first frame (and show it).
    pub fn continue_from(frame: &str) {
        call("continueFrom", &frame.into());
    }

    /// Tell the first app whether a one-video task runs (its Generate waits meanwhile).
    pub fn busy(busy: bool) {
        call("busy", &busy.into());
    }

    /// Tell the first app the stored history changed (it lists it again).
    pub fn history_changed() {
        call("historyChanged", &JsValue::UNDEFINED);
    }

    /// Press Generate in the first app (its checks and spend guard first); `extend`: the
    /// new task goes on from the last result (its last frame is in the form now).
    pub fn generate(extend: bool) {
        call("generate", &extend.into());
    }
}
