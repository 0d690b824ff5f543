//! One admitted caller's invocation: the caller, where its records are kept, and the
//! drivers that run what admission and settlement ask of the records.

use std::cell::Cell;

use wasm_bindgen::JsValue;
use web_sys::Request;

use crate::admission::create::{Admitted, CreateAdmission, Input, Step};
use crate::admission::Caller;
use crate::answers::Refusal;
use crate::records::{Op, Reply};

use super::request::read_capped;
use super::store::{rate_limiter, Store};

/// What one invocation knows about its caller.
pub struct Call {
    /// The caller, as admission let it in.
    pub caller: Caller,
    /// Where the caller's records are kept.
    pub store: Store,
    /// The invocation's `env` (bindings).
    pub env: JsValue,
    /// Calls to the records made so far that cost a subrequest.
    remote_calls: Cell<u32>,
}

impl Call {
    pub fn new(caller: Caller, store: Store, env: JsValue) -> Call {
        Call {
            caller,
            store,
            env,
            remote_calls: Cell::new(0),
        }
    }

    /// Calls to the records made so far that cost a subrequest.
    pub fn remote_calls(&self) -> u32 {
        self.remote_calls.get()
    }

    /// Run `op` on the records of `instance`.
    async fn run(&self, instance: &str, op: &Op) -> Result<Reply, String> {
        if self.store.is_remote() {
            self.remote_calls.set(self.remote_calls.get() + 1);
        }
        self.store.run(instance, op).await
    }

    /// Run operations that follow a decision, in order; their failures are ignored (a held
    /// `Idempotency-Key` then lapses on its own).
    pub async fn apply(&self, ops: Vec<(String, Op)>) {
        for (instance, op) in ops {
            let _ = self.run(&instance, &op).await;
        }
    }

    /// Take a create through admission, doing each step it asks for.
    pub async fn admit(&self, request: &Request) -> Result<Admitted, Refusal> {
        let mut admission = CreateAdmission::new(&self.caller);
        let mut step = admission.start();
        loop {
            let input = match step {
                Step::Done(done) => return done,
                Step::ReadBody { cap } => Input::Body(read_capped(request, cap).await),
                Step::Store { instance, op } => Input::Stored(self.run(&instance, &op).await),
                Step::AskLimiter { key } => Input::Limiter(rate_limiter(&self.env, &key).await),
            };
            step = admission.resume(input);
        }
    }
}
