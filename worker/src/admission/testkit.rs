//! For the native tests of admission and settlement: settings from vars, a caller, and a
//! driver that runs a create's admission over the real records in memory
//! ([`crate::records::Memory`]), the way `edge` runs it over a Durable Object.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::answers::Refusal;
use crate::config::Config;
use crate::records::{Memory, Op, Reply};

use super::create::{Admitted, BodyError, CreateAdmission, Input, Step};
use super::Caller;

/// A well-formed client id.
pub const CLIENT: &str = "c-0123456789abcdef";
/// The key every test caller has.
pub const KEY: &str = "sk-testkit-0123";

/// Settings from `vars`, with a key and no rate limit unless given.
pub fn config(vars: &[(&str, &str)]) -> Config {
    let mut map: HashMap<&str, &str> = [("SEEDANCE_API_KEY", KEY), ("RATE_LIMIT", "off")].into();
    map.extend(vars.iter().copied());
    Config::from_lookup(|k| map.get(k).map(|v| v.to_string())).expect("valid vars")
}

/// A caller of [`CLIENT`] under `vars`, with `idempotency_key`.
pub fn caller(vars: &[(&str, &str)], idempotency_key: Option<&str>) -> Caller {
    let cfg = config(vars);
    let key = cfg.api_key.clone().expect("a key");
    Caller::new(cfg, key, CLIENT, None, idempotency_key.map(str::to_owned))
}

/// A valid text-to-video body (480p, 4 s) with `extra` fields merged in.
pub fn t2v(extra: Value) -> Vec<u8> {
    let mut body = json!({
        "model": "doubao-seedance-2-0-fast-260128",
        "content": [{"type": "text", "text": "a fox in the snow"}],
        "resolution": "480p",
        "duration": 4,
    });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    serde_json::to_vec(&body).unwrap()
}

/// The clients' records in memory, with every operation run on them.
#[derive(Default)]
pub struct Records {
    memory: Memory,
    /// The clock, ms.
    pub now: u64,
    /// Fail every operation from now on (a store that is down).
    pub down: bool,
    /// Every operation asked for, in order.
    pub ops: Vec<Op>,
}

impl Records {
    /// Run `op` on `instance`'s records.
    pub fn run(&mut self, instance: &str, op: &Op) -> Result<Reply, String> {
        self.ops.push(op.clone());
        if self.down {
            return Err("storage is down".into());
        }
        Ok(self.memory.run(instance, op, self.now))
    }

    /// Run each of `ops` (`(instance, op)`), ignoring failures, as the edge does.
    pub fn apply(&mut self, ops: Vec<(String, Op)>) {
        for (instance, op) in ops {
            let _ = self.run(&instance, &op);
        }
    }
}

/// Run a create's admission to its end: `body` is what reading gives, `limiter` what
/// Cloudflare's binding says (`None`: not bound).
pub fn admit(
    caller: &Caller,
    body: Result<Vec<u8>, BodyError>,
    records: &mut Records,
    limiter: Option<Result<bool, String>>,
) -> Result<Admitted, Refusal> {
    let mut admission = CreateAdmission::new(caller);
    let mut body = Some(body);
    let mut step = admission.start();
    loop {
        let input = match step {
            Step::Done(done) => return done,
            Step::ReadBody { .. } => Input::Body(body.take().expect("the body is read once")),
            Step::Store { instance, op } => Input::Stored(records.run(&instance, &op)),
            Step::AskLimiter { .. } => Input::Limiter(limiter.clone()),
        };
        step = admission.resume(input);
    }
}

/// The refusal's status, error code and `Retry-After`.
pub fn shape(r: &Refusal) -> (u16, &str, Option<&str>) {
    let retry = r
        .headers
        .iter()
        .find(|(k, _)| *k == "Retry-After")
        .map(|(_, v)| v.as_str());
    (
        r.status,
        r.body["error"]["code"].as_str().unwrap_or(""),
        retry,
    )
}
