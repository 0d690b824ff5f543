//! Each client's records, the Worker's only shared state, and the operations on them, one
//! stored record each: admitting a create (rate limit + daily token budget), refunding a
//! refused one, and the `Idempotency-Key` records.
//!
//! Pure: [`run`] maps (operation, stored record, now) to (what to store, the reply). The
//! same code runs inside the Durable Object (one instance per client, so operations on a
//! client's records are serialised) and over the isolate's memory when none is bound
//! (`edge::store` does the storing). Formerly `gate`: the Durable Object class is still
//! exported as `SeedanceGate` and bound as `GATE`, because renaming a deployed Durable
//! Object class needs a migration.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::idempotency::{self, Record};
use crate::ratelimit::{Log, RateLimit};

const DAY_MS: u64 = 86_400_000;

/// One operation on a client's records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// Count a create against the rate limit (unless `limit` is 0, e.g. when Cloudflare's
    /// rate-limiting binding does that job) and charge `tokens` to today's budget.
    Admit {
        /// Creates per window (0: not checked here).
        limit: u32,
        /// The window, ms.
        window_ms: u64,
        /// The create's estimated tokens.
        tokens: u64,
        /// Tokens per UTC day.
        budget: u64,
    },
    /// Give back the tokens of a create the server refused.
    Refund {
        /// The tokens charged by `Admit`.
        tokens: u64,
    },
    /// Start a create with an idempotency key.
    IdemBegin {
        /// The key, as the visitor sent it.
        key: String,
    },
    /// Record how a create with an idempotency key ended.
    IdemFinish {
        /// The key.
        key: String,
        /// The upstream task id; `None` when the server refused (the key is freed).
        id: Option<String>,
        /// The outcome is unknown (5xx, lost answer): repeats must not create.
        unknown: bool,
    },
}

/// The answer to an [`Op`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Reply {
    /// The create may go ahead (and was counted).
    Admitted,
    /// Too many creates: try again in `retry_after_ms`.
    RateLimited {
        /// Until the next create is allowed.
        retry_after_ms: u64,
    },
    /// Today's tokens are spent.
    OverBudget {
        /// Tokens charged today.
        used: u64,
        /// The daily budget.
        budget: u64,
        /// Until the budget resets (UTC midnight).
        retry_after_ms: u64,
    },
    /// The key was free and is now held by this create.
    Begun,
    /// An earlier create with this key decides the answer.
    Existing {
        /// What is known about it.
        record: Record,
    },
    /// Done.
    Done,
}

/// What to do with the stored record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Leave it.
    Keep,
    /// Store this JSON.
    Put(String),
    /// Remove it.
    Delete,
}

#[derive(Default, Serialize, Deserialize)]
struct Admission {
    #[serde(default)]
    log: Log,
    #[serde(default)]
    day: u64,
    #[serde(default)]
    used: u64,
}

impl Op {
    /// The storage key of the record this operation reads and writes.
    pub fn storage_key(&self) -> String {
        match self {
            Op::Admit { .. } | Op::Refund { .. } => "admit".to_owned(),
            Op::IdemBegin { key } | Op::IdemFinish { key, .. } => format!("idem:{key}"),
        }
    }
}

fn put(value: &impl Serialize) -> Change {
    Change::Put(serde_json::to_string(value).expect("plain data"))
}

/// Apply `op` to the stored record `state` (JSON, `None` when absent) at `now_ms`.
///
/// ```
/// use seedance_worker::records::{run, Change, Op, Reply};
/// let op = Op::Admit { limit: 1, window_ms: 1000, tokens: 10, budget: 100 };
/// let (change, reply) = run(&op, None, 0);
/// assert_eq!(reply, Reply::Admitted);
/// let Change::Put(state) = change else { panic!() };
/// let (_, reply) = run(&op, Some(&state), 10);
/// assert_eq!(reply, Reply::RateLimited { retry_after_ms: 990 });
/// ```
pub fn run(op: &Op, state: Option<&str>, now_ms: u64) -> (Change, Reply) {
    match op {
        Op::Admit {
            limit,
            window_ms,
            tokens,
            budget,
        } => {
            let mut a: Admission = state
                .and_then(|s| serde_json::from_str(s).ok())
                .unwrap_or_default();
            let today = now_ms / DAY_MS;
            if a.day != today {
                a.day = today;
                a.used = 0;
            }
            if a.used.saturating_add(*tokens) > *budget {
                let retry_after_ms = (today + 1) * DAY_MS - now_ms;
                let reply = Reply::OverBudget {
                    used: a.used,
                    budget: *budget,
                    retry_after_ms,
                };
                return (Change::Keep, reply);
            }
            let rate = RateLimit {
                limit: *limit,
                window_ms: (*window_ms).max(1),
            };
            if let Err(retry_after_ms) = a.log.hit(&rate, now_ms) {
                return (Change::Keep, Reply::RateLimited { retry_after_ms });
            }
            a.used += tokens;
            (put(&a), Reply::Admitted)
        }
        Op::Refund { tokens } => {
            let Some(mut a) = state.and_then(|s| serde_json::from_str::<Admission>(s).ok()) else {
                return (Change::Keep, Reply::Done);
            };
            if a.day == now_ms / DAY_MS {
                a.used = a.used.saturating_sub(*tokens);
            }
            (put(&a), Reply::Done)
        }
        Op::IdemBegin { .. } => {
            let existing: Option<Record> = state.and_then(|s| serde_json::from_str(s).ok());
            match idempotency::begin(existing.as_ref(), now_ms) {
                Ok(pending) => (put(&pending), Reply::Begun),
                Err(record) => (Change::Keep, Reply::Existing { record }),
            }
        }
        Op::IdemFinish { id, unknown, .. } => {
            let change = match (id, unknown) {
                (Some(id), _) => put(&Record::Created {
                    id: id.clone(),
                    at: now_ms,
                }),
                (None, true) => put(&Record::Unknown { at: now_ms }),
                (None, false) => Change::Delete,
            };
            (change, Reply::Done)
        }
    }
}

/// Records kept in a map: the isolate's memory when no Durable Object is bound (a
/// fallback, not a store), and the native tests'.
#[derive(Clone, Debug, Default)]
pub struct Memory {
    map: HashMap<String, String>,
    cap: usize,
}

impl Memory {
    /// At most `cap` records; past it the map starts over (0: no cap).
    pub fn new(cap: usize) -> Memory {
        Memory {
            map: HashMap::new(),
            cap,
        }
    }

    /// [`run`] `op` on the records of `instance` (a client's name) at `now_ms`.
    pub fn run(&mut self, instance: &str, op: &Op, now_ms: u64) -> Reply {
        let key = format!("{instance}\u{0}{}", op.storage_key());
        let (change, reply) = run(op, self.map.get(&key).map(String::as_str), now_ms);
        match change {
            Change::Keep => {}
            Change::Put(v) => {
                if self.cap > 0 && self.map.len() >= self.cap {
                    self.map.clear();
                }
                self.map.insert(key, v);
            }
            Change::Delete => {
                self.map.remove(&key);
            }
        }
        reply
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(store: &mut Memory, op: &Op, now: u64) -> Reply {
        store.run("client:c", op, now)
    }

    #[test]
    fn the_budget_is_per_day_and_refunds_give_back() {
        let mut s = Memory::default();
        let op = |tokens| Op::Admit {
            limit: 0,
            window_ms: 1,
            tokens,
            budget: 100,
        };
        assert_eq!(apply(&mut s, &op(60), 1000), Reply::Admitted);
        let over = apply(&mut s, &op(60), 2000);
        assert_eq!(
            over,
            Reply::OverBudget {
                used: 60,
                budget: 100,
                retry_after_ms: DAY_MS - 2000
            }
        );
        assert_eq!(apply(&mut s, &Op::Refund { tokens: 60 }, 3000), Reply::Done);
        assert_eq!(apply(&mut s, &op(60), 4000), Reply::Admitted);
        // A new UTC day starts from zero.
        assert_eq!(apply(&mut s, &op(100), DAY_MS), Reply::Admitted);
    }

    #[test]
    fn a_refused_admission_counts_nothing() {
        let mut s = Memory::default();
        let op = Op::Admit {
            limit: 1,
            window_ms: 1000,
            tokens: 10,
            budget: 15,
        };
        assert_eq!(apply(&mut s, &op, 0), Reply::Admitted);
        assert!(matches!(
            apply(&mut s, &op, 1),
            Reply::OverBudget { used: 10, .. }
        ));
        let op = Op::Admit {
            limit: 1,
            window_ms: 1000,
            tokens: 1,
            budget: 15,
        };
        assert!(matches!(apply(&mut s, &op, 2), Reply::RateLimited { .. }));
        assert_eq!(apply(&mut s, &op, 1000), Reply::Admitted);
    }

    #[test]
    fn idempotency_keys_hold_their_task() {
        let mut s = Memory::default();
        let begin = Op::IdemBegin { key: "k".into() };
        assert_eq!(apply(&mut s, &begin, 0), Reply::Begun);
        assert!(matches!(
            apply(&mut s, &begin, 1),
            Reply::Existing {
                record: Record::Pending { .. }
            }
        ));
        let finish = Op::IdemFinish {
            key: "k".into(),
            id: Some("cgt-1".into()),
            unknown: false,
        };
        apply(&mut s, &finish, 2);
        assert_eq!(
            apply(&mut s, &begin, 3),
            Reply::Existing {
                record: Record::Created {
                    id: "cgt-1".into(),
                    at: 2
                }
            }
        );
        // A refusal frees the key.
        let mut s = Memory::default();
        apply(&mut s, &begin, 0);
        let refused = Op::IdemFinish {
            key: "k".into(),
            id: None,
            unknown: false,
        };
        apply(&mut s, &refused, 1);
        assert_eq!(apply(&mut s, &begin, 2), Reply::Begun);
        assert_eq!(begin.storage_key(), "idem:k");
    }

    #[test]
    fn memory_starts_over_past_its_cap() {
        let mut m = Memory::new(2);
        let begin = |key: &str| Op::IdemBegin { key: key.into() };
        assert_eq!(m.run("a", &begin("k"), 0), Reply::Begun);
        assert_eq!(
            m.run("b", &begin("k"), 0),
            Reply::Begun,
            "instances are apart"
        );
        assert!(matches!(m.run("a", &begin("k"), 1), Reply::Existing { .. }));
        assert_eq!(m.run("c", &begin("k"), 2), Reply::Begun);
        assert_eq!(m.run("a", &begin("k"), 3), Reply::Begun, "forgotten");
    }
}
