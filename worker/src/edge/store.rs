//! Where the clients' records ([`crate::records`]) live: the `GATE` Durable Object when
//! bound (one instance per name, so each client's operations are serialised and shared by
//! every isolate), the isolate's memory otherwise (good for one isolate; a deployment with
//! real traffic binds the Durable Object). Cloudflare's `RATE_LIMITER` binding, when bound,
//! does the rate limit instead of the records.
//!
//! The binding (`GATE`) and the class (`SeedanceGate` in `entry.mjs` and `wrangler.toml`)
//! keep their old names: renaming a deployed Durable Object class needs a migration.

use std::cell::RefCell;

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::records::{run, Change, Memory, Op, Reply};

use super::js::{env_binding, message};

/// Records kept in memory at most; past it the map starts over (a fallback, not a store).
const MEMORY_RECORDS: usize = 50_000;

thread_local! {
    static MEMORY: RefCell<Memory> = RefCell::new(Memory::new(MEMORY_RECORDS));
}

/// Where this invocation's records are kept.
pub enum Store {
    /// A `GATE` Durable Object namespace.
    Durable(JsValue),
    /// The isolate's memory.
    Memory,
}

impl Store {
    /// The Durable Object when `GATE` is bound, memory otherwise.
    pub fn from_env(env: &JsValue) -> Store {
        env_binding(env, "GATE").map_or(Store::Memory, Store::Durable)
    }

    /// Whether an operation costs a subrequest.
    pub fn is_remote(&self) -> bool {
        matches!(self, Store::Durable(_))
    }

    /// Run `op` on the records of `instance` (a client's name).
    pub async fn run(&self, instance: &str, op: &Op) -> Result<Reply, String> {
        let now = js_sys::Date::now() as u64;
        match self {
            Store::Memory => Ok(MEMORY.with(|m| m.borrow_mut().run(instance, op, now))),
            Store::Durable(ns) => {
                let js = |e: JsValue| message(&e);
                let ns: &DurableObjectNamespace = ns.unchecked_ref();
                let stub = ns
                    .get(&ns.id_from_name(instance).map_err(js)?)
                    .map_err(js)?;
                let op = serde_json::to_string(op).expect("plain data");
                let reply = JsFuture::from(stub.run(&op).map_err(js)?)
                    .await
                    .map_err(js)?;
                let reply = reply
                    .as_string()
                    .ok_or("the Durable Object answered no text")?;
                serde_json::from_str(&reply).map_err(|e| e.to_string())
            }
        }
    }
}

/// Ask Cloudflare's rate-limiting binding (`RATE_LIMITER`) whether `key` may create now;
/// `None` when it is not bound.
pub async fn rate_limiter(env: &JsValue, key: &str) -> Option<Result<bool, String>> {
    let binding: RateLimiter = env_binding(env, "RATE_LIMITER")?.unchecked_into();
    let options = Object::new();
    let _ = Reflect::set(&options, &"key".into(), &JsValue::from_str(key));
    let outcome = async {
        let outcome = JsFuture::from(binding.limit(&options)?).await?;
        Ok::<_, JsValue>(
            Reflect::get(&outcome, &"success".into())?
                .as_bool()
                .unwrap_or(false),
        )
    };
    Some(outcome.await.map_err(|e| message(&e)))
}

// Methods are called on their objects directly (`stub.run(op)`): an RPC stub's method
// taken off the object and called with `this` fails to serialise the stub.
#[wasm_bindgen]
extern "C" {
    type DurableObjectNamespace;
    #[wasm_bindgen(method, catch, js_name = idFromName)]
    fn id_from_name(this: &DurableObjectNamespace, name: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn get(this: &DurableObjectNamespace, id: &JsValue) -> Result<RecordsStub, JsValue>;

    type RecordsStub;
    #[wasm_bindgen(method, catch)]
    fn run(this: &RecordsStub, op: &str) -> Result<Promise, JsValue>;

    type RateLimiter;
    #[wasm_bindgen(method, catch)]
    fn limit(this: &RateLimiter, options: &Object) -> Result<Promise, JsValue>;

    /// A Durable Object's `ctx.storage`.
    pub type DurableObjectStorage;

    #[wasm_bindgen(method, js_name = get)]
    fn get_key(this: &DurableObjectStorage, key: &str) -> Promise;
    #[wasm_bindgen(method, js_name = put)]
    fn put_key(this: &DurableObjectStorage, key: &str, value: &str) -> Promise;
    #[wasm_bindgen(method, js_name = delete)]
    fn delete_key(this: &DurableObjectStorage, key: &str) -> Promise;
}

/// The Durable Object's side of [`Store::run`]: apply one operation (JSON) to its storage
/// and answer the reply (JSON). Only storage is awaited, so the object's input gate keeps
/// other requests out between the read and the write.
#[wasm_bindgen]
pub async fn durable_object_run(
    storage: DurableObjectStorage,
    op: String,
) -> Result<String, JsValue> {
    let op: Op = serde_json::from_str(&op).map_err(|e| JsValue::from_str(&e.to_string()))?;
    let key = op.storage_key();
    let state = JsFuture::from(storage.get_key(&key)).await?.as_string();
    let (change, reply) = run(&op, state.as_deref(), js_sys::Date::now() as u64);
    match change {
        Change::Keep => {}
        Change::Put(v) => {
            JsFuture::from(storage.put_key(&key, &v)).await?;
        }
        Change::Delete => {
            JsFuture::from(storage.delete_key(&key)).await?;
        }
    }
    Ok(serde_json::to_string(&reply).expect("plain data"))
}
