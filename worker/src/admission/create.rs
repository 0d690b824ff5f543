//! A create's admission (the task route's and `generate`'s), one step at a time: the
//! edge does what each [`Step`] asks (read the body, run an operation on the client's
//! records, ask Cloudflare's rate limiter) and hands back what came of it, until
//! [`Step::Done`]. Sans-IO, like the core's `poll`: every path is tested natively.
//!
//! The cheapest refusal comes first: cap, JSON, validation, spend policy, then the
//! `Idempotency-Key` (a repeat is answered from the records), the rate limit and the
//! daily budget. Nothing goes upstream unless all pass, and a refusal that comes after the
//! key was taken frees it first.

use seedance::{validate, CreateTaskRequest};

use crate::answers::Refusal;
use crate::idempotency::{self, Record};
use crate::policy::Policy;
use crate::records::{Op, Reply};
use crate::refusals;

use super::Caller;

/// Why a body could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyError {
    /// Over the cap (the size seen so far, or declared).
    TooLarge(u64),
    /// The stream failed.
    Broken(String),
}

/// A create that passed the checks of its body.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The parsed request (for the spend estimate and `generate`'s `Client`).
    pub req: CreateTaskRequest,
    /// The body as the visitor sent it (UTF-8 JSON).
    pub body: String,
    /// The tokens charged against the daily budget.
    pub tokens: u64,
}

/// A create admitted.
#[derive(Clone, Debug)]
pub enum Admitted {
    /// Forward it: its tokens are charged, and its `Idempotency-Key`, if any, is held for
    /// it (record how it ends with [`crate::settle::record`]).
    Go {
        /// The create.
        checked: Box<Checked>,
        /// The key held.
        idempotency_key: Option<String>,
    },
    /// An earlier create with the same key made this task (the account's id): answer it,
    /// create nothing.
    Replay(String),
}

/// What the edge must do next.
#[derive(Debug)]
pub enum Step {
    /// Read the body, at most `cap` bytes; hand back [`Input::Body`].
    ReadBody {
        /// The cap.
        cap: usize,
    },
    /// Run `op` on the records of `instance`; hand back [`Input::Stored`].
    Store {
        /// The records' name.
        instance: String,
        /// The operation.
        op: Op,
    },
    /// Ask Cloudflare's rate-limiting binding about `key`; hand back [`Input::Limiter`].
    AskLimiter {
        /// The name the limit counts under.
        key: String,
    },
    /// Admission is over.
    Done(Result<Admitted, Refusal>),
}

/// What came of a [`Step`].
#[derive(Debug)]
pub enum Input {
    /// The body, or why it could not be read.
    Body(Result<Vec<u8>, BodyError>),
    /// The records' reply, or why the store failed.
    Stored(Result<Reply, String>),
    /// The binding's verdict (`true`: allowed); `None` when no binding is bound.
    Limiter(Option<Result<bool, String>>),
}

#[derive(Debug)]
enum Stage {
    Reading,
    Beginning,
    Limiting,
    Admitting,
    Freeing(Refusal),
    Done,
}

/// One create's way through admission.
///
/// ```
/// use seedance_worker::admission::create::{CreateAdmission, Step};
/// use seedance_worker::admission::{decide, Head, Then, Work};
/// use seedance_worker::Config;
/// let cfg = Config::from_lookup(|k| (k == "SEEDANCE_API_KEY").then(|| "sk-x".into()));
/// let head = Head {
///     method: "POST".into(),
///     path: "/api/v3/contents/generations/tasks".into(),
///     client_id: Some("c-0123456789abcdef".into()),
///     ..Head::default()
/// };
/// let Then::Serve(caller, Work::Create) = decide(cfg, &head).then else { panic!() };
/// let mut admission = CreateAdmission::new(&caller);
/// assert!(matches!(admission.start(), Step::ReadBody { cap: 33_554_432 }));
/// ```
#[derive(Debug)]
pub struct CreateAdmission<'a> {
    caller: &'a Caller,
    checked: Option<Checked>,
    stage: Stage,
}

impl<'a> CreateAdmission<'a> {
    /// Admission of a create by `caller` (with the `Idempotency-Key` it sent, if any).
    pub fn new(caller: &'a Caller) -> Self {
        CreateAdmission {
            caller,
            checked: None,
            stage: Stage::Reading,
        }
    }

    /// The first step: read the body under the cap.
    pub fn start(&mut self) -> Step {
        self.stage = Stage::Reading;
        Step::ReadBody {
            cap: self.caller.cfg.max_body,
        }
    }

    /// The next step, from what came of the last one.
    ///
    /// Panics when `input` does not answer the last step (a bug in the driver).
    pub fn resume(&mut self, input: Input) -> Step {
        let stage = std::mem::replace(&mut self.stage, Stage::Done);
        match (stage, input) {
            (Stage::Reading, Input::Body(body)) => match self.check(body) {
                Err(refusal) => Step::Done(Err(refusal)),
                Ok(checked) => {
                    self.checked = Some(checked);
                    match self.caller.idempotency_key.clone() {
                        Some(key) => {
                            self.stage = Stage::Beginning;
                            Step::Store {
                                instance: self.caller.idempotency_instance(),
                                op: Op::IdemBegin { key },
                            }
                        }
                        None => self.ask_limiter(),
                    }
                }
            },
            (Stage::Beginning, Input::Stored(reply)) => match reply {
                // The key was not taken: nothing to free.
                Err(e) => Step::Done(Err(refusals::records_unavailable(&e))),
                Ok(Reply::Existing { record }) => Step::Done(match record {
                    Record::Created { id, .. } => Ok(Admitted::Replay(id)),
                    Record::Pending { .. } => Err(refusals::idempotency_key_in_use()),
                    Record::Unknown { .. } => Err(refusals::idempotency_outcome_unknown()),
                }),
                Ok(_) => self.ask_limiter(),
            },
            (Stage::Limiting, Input::Limiter(verdict)) => match verdict {
                // No binding: the records count the rate too.
                None => self.admit(self.caller.cfg.rate.limit),
                Some(Ok(true)) => self.admit(0),
                Some(Ok(false)) => self.refuse(refusals::rate_limited_by_binding()),
                Some(Err(e)) => self.refuse(refusals::rate_limiter_unavailable(e)),
            },
            (Stage::Admitting, Input::Stored(reply)) => match reply {
                Ok(Reply::RateLimited { retry_after_ms }) => self.refuse(refusals::rate_limited(
                    &self.caller.cfg.rate,
                    retry_after_ms,
                )),
                Ok(Reply::OverBudget {
                    used,
                    budget,
                    retry_after_ms,
                }) => {
                    let tokens = self.checked.as_ref().map_or(0, |c| c.tokens);
                    self.refuse(refusals::over_budget(used, budget, tokens, retry_after_ms))
                }
                Ok(_) => Step::Done(Ok(Admitted::Go {
                    checked: Box::new(self.checked.take().expect("checked before admitting")),
                    idempotency_key: self.caller.idempotency_key.clone(),
                })),
                Err(e) => self.refuse(refusals::records_unavailable(&e)),
            },
            // Freeing the key may fail: the pending record then lapses on its own.
            (Stage::Freeing(refusal), Input::Stored(_)) => Step::Done(Err(refusal)),
            // A bug in the driver; no `Debug` of the values, which would cost bundle size.
            _ => panic!("create admission: the input does not answer the last step"),
        }
    }

    /// Cap, JSON, validation, spend policy and the key's form, in that order.
    fn check(&self, body: Result<Vec<u8>, BodyError>) -> Result<Checked, Refusal> {
        let cfg = &self.caller.cfg;
        let body = body.map_err(|e| match e {
            BodyError::TooLarge(n) => refusals::body_too_large(n, cfg.max_body),
            BodyError::Broken(m) => refusals::body_broken(m),
        })?;
        let req: CreateTaskRequest =
            serde_json::from_slice(&body).map_err(|e| refusals::not_a_create(&e.to_string()))?;
        // JSON is UTF-8, but a parser skipping unknown fields need not check all of it.
        let body = String::from_utf8(body).map_err(|e| refusals::not_a_create(&e.to_string()))?;
        let outcome = validate(&req, &cfg.limits);
        if !outcome.is_ok() {
            return Err(refusals::invalid(outcome));
        }
        let breaches = cfg.policy.check(&req);
        if !breaches.is_empty() {
            return Err(refusals::policy(&breaches));
        }
        if let Some(key) = &self.caller.idempotency_key {
            if !idempotency::key_ok(key) {
                return Err(refusals::bad_idempotency_key());
            }
        }
        let tokens = Policy::tokens(&req);
        Ok(Checked { req, body, tokens })
    }

    fn ask_limiter(&mut self) -> Step {
        self.stage = Stage::Limiting;
        Step::AskLimiter {
            key: self.caller.limit_key.clone(),
        }
    }

    /// Count the create (`limit` 0: the binding counted it) and charge its tokens.
    fn admit(&mut self, limit: u32) -> Step {
        let cfg = &self.caller.cfg;
        self.stage = Stage::Admitting;
        Step::Store {
            instance: self.caller.limit_key.clone(),
            op: Op::Admit {
                limit,
                window_ms: cfg.rate.window_ms,
                tokens: self.checked.as_ref().map_or(0, |c| c.tokens),
                budget: cfg.policy.daily_tokens,
            },
        }
    }

    /// Refuse, freeing the key first when this create holds one.
    fn refuse(&mut self, refusal: Refusal) -> Step {
        match self.caller.idempotency_key.clone() {
            Some(key) => {
                self.stage = Stage::Freeing(refusal);
                Step::Store {
                    instance: self.caller.idempotency_instance(),
                    op: Op::IdemFinish {
                        key,
                        id: None,
                        unknown: false,
                    },
                }
            }
            None => Step::Done(Err(refusal)),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::admission::testkit::{admit, caller, shape, t2v, Records};

    fn refused(r: Result<Admitted, Refusal>) -> Refusal {
        r.expect_err("refused")
    }

    #[test]
    fn a_body_over_the_cap_or_broken_is_refused_unread() {
        let c = caller(&[("MAX_BODY_BYTES", "4096")], None);
        let mut records = Records::default();
        let r = refused(admit(
            &c,
            Err(BodyError::TooLarge(5000)),
            &mut records,
            None,
        ));
        assert_eq!(shape(&r), (413, "RequestBodyTooLarge", None));
        let message = r.body["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("5000") && message.contains("4096"),
            "{message}"
        );
        let r = refused(admit(
            &c,
            Err(BodyError::Broken("reset".into())),
            &mut records,
            None,
        ));
        assert_eq!(shape(&r), (400, "InvalidBody", None));
        assert!(records.ops.is_empty(), "nothing was counted");
    }

    #[test]
    fn a_body_that_is_not_a_create_is_refused() {
        let c = caller(&[], None);
        let mut records = Records::default();
        for body in [
            b"{not json".to_vec(),
            br#"{"model":"m"}"#.to_vec(),
            // Invalid UTF-8 in a field the parser skips.
            [
                &t2v(json!({}))[..1],
                b"\"x\":\"\xff\",",
                &t2v(json!({}))[1..],
            ]
            .concat(),
        ] {
            let r = refused(admit(&c, Ok(body), &mut records, None));
            assert_eq!(shape(&r), (400, "InvalidParameter", None));
        }
        assert!(records.ops.is_empty());
    }

    #[test]
    fn an_invalid_create_gets_every_issue() {
        let c = caller(&[], None);
        let body = t2v(json!({"duration": 20, "resolution": "1080p"}));
        let r = refused(admit(&c, Ok(body), &mut Records::default(), None));
        assert_eq!(shape(&r), (400, "InvalidParameter", None));
        let mut fields: Vec<&str> = r.body["issues"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["severity"] == "error")
            .map(|i| i["field"].as_str().unwrap())
            .collect();
        fields.sort();
        assert_eq!(fields, ["duration", "resolution"]);
        assert!(fields.contains(&r.body["error"]["param"].as_str().unwrap()));
    }

    #[test]
    fn a_create_outside_the_spend_policy_is_refused() {
        let vars = [
            ("ALLOWED_MODELS", "doubao-seedance-2-0-fast-260128"),
            ("ALLOWED_RESOLUTIONS", "480p"),
            ("MAX_DURATION", "5"),
        ];
        let c = caller(&vars, None);
        for (extra, field) in [
            (json!({"model": "doubao-seedance-2-0-260128"}), "model"),
            (json!({"resolution": "720p"}), "resolution"),
            (json!({"duration": 8}), "duration"),
            (json!({"duration": -1}), "duration"),
        ] {
            let r = refused(admit(&c, Ok(t2v(extra)), &mut Records::default(), None));
            assert_eq!(shape(&r), (403, "PolicyViolation", None), "{field}");
            assert_eq!(r.body["error"]["param"], field);
            assert!(r.body["issues"][0]["allowed"].is_string());
        }
    }

    #[test]
    fn a_malformed_idempotency_key_is_refused_before_it_is_stored() {
        let c = caller(&[], Some("a b"));
        let mut records = Records::default();
        let r = refused(admit(&c, Ok(t2v(json!({}))), &mut records, None));
        assert_eq!(shape(&r), (400, "InvalidParameter", None));
        assert_eq!(r.body["error"]["param"], "Idempotency-Key");
        assert!(records.ops.is_empty());
    }

    #[test]
    fn an_admitted_create_is_charged_its_estimate() {
        let c = caller(&[], None);
        let mut records = Records::default();
        let Ok(Admitted::Go {
            checked,
            idempotency_key,
        }) = admit(&c, Ok(t2v(json!({}))), &mut records, None)
        else {
            panic!("admitted")
        };
        assert_eq!(checked.body.as_bytes(), t2v(json!({})), "the bytes as sent");
        assert_eq!(checked.tokens, 40_594);
        assert_eq!(idempotency_key, None);
        assert!(matches!(
            records.ops[..],
            [Op::Admit {
                limit: 0,
                tokens: 40_594,
                budget: 1_000_000,
                ..
            }]
        ));
    }

    #[test]
    fn a_repeated_key_is_answered_from_the_records() {
        let c = caller(&[], Some("seedance-0123"));
        let mut records = Records::default();
        let body = || Ok(t2v(json!({})));
        assert!(matches!(
            admit(&c, body(), &mut records, None),
            Ok(Admitted::Go {
                idempotency_key: Some(_),
                ..
            })
        ));
        // Still in flight.
        let r = refused(admit(&c, body(), &mut records, None));
        assert_eq!(shape(&r), (409, "IdempotencyKeyInUse", Some("1")));
        // Made a task: the same task, and nothing new is charged.
        let finish = |id: Option<&str>, unknown| Op::IdemFinish {
            key: "seedance-0123".into(),
            id: id.map(str::to_owned),
            unknown,
        };
        records.apply(vec![(
            c.idempotency_instance(),
            finish(Some("cgt-1"), false),
        )]);
        let ops = records.ops.len();
        let replay = admit(&c, body(), &mut records, None);
        assert!(matches!(replay, Ok(Admitted::Replay(ref id)) if id == "cgt-1"));
        assert_eq!(records.ops.len(), ops + 1, "only the key was looked up");
        // Failed ambiguously: nothing is sent again.
        let mut records = Records::default();
        admit(&c, body(), &mut records, None).unwrap();
        records.apply(vec![(c.idempotency_instance(), finish(None, true))]);
        let r = refused(admit(&c, body(), &mut records, None));
        assert_eq!(shape(&r), (409, "IdempotencyOutcomeUnknown", None));
        // Refused: the key is free again.
        let mut records = Records::default();
        admit(&c, body(), &mut records, None).unwrap();
        records.apply(vec![(c.idempotency_instance(), finish(None, false))]);
        assert!(matches!(
            admit(&c, body(), &mut records, None),
            Ok(Admitted::Go { .. })
        ));
    }

    #[test]
    fn the_rate_limit_refuses_and_frees_the_key() {
        let c = caller(&[("RATE_LIMIT", "1/60s")], Some("k-1"));
        let mut records = Records::default();
        let body = || Ok(t2v(json!({})));
        assert!(admit(&c, body(), &mut records, None).is_ok());
        let other = caller(&[("RATE_LIMIT", "1/60s")], Some("k-2"));
        records.now = 1000;
        let r = refused(admit(&other, body(), &mut records, None));
        assert_eq!(shape(&r), (429, "RateLimitExceeded", Some("59")));
        assert!(r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("at most 1 per 60 s"));
        assert!(matches!(
            records.ops.last(),
            Some(Op::IdemFinish {
                id: None,
                unknown: false,
                ..
            })
        ));
        records.now = 60_000;
        assert!(
            admit(&other, body(), &mut records, None).is_ok(),
            "k-2 is free"
        );
    }

    #[test]
    fn cloudflares_binding_does_the_rate_limit_when_bound() {
        let c = caller(&[("RATE_LIMIT", "1/60s")], Some("k"));
        let body = || Ok(t2v(json!({})));
        let mut records = Records::default();
        assert!(admit(&c, body(), &mut records, Some(Ok(true))).is_ok());
        assert!(matches!(records.ops[1], Op::Admit { limit: 0, .. }));
        let r = refused(admit(&c, body(), &mut Records::default(), Some(Ok(false))));
        assert_eq!(shape(&r), (429, "RateLimitExceeded", Some("10")));
        let mut records = Records::default();
        let r = refused(admit(&c, body(), &mut records, Some(Err("down".into()))));
        assert_eq!(shape(&r), (503, "RateLimiterUnavailable", Some("1")));
        assert!(matches!(records.ops.last(), Some(Op::IdemFinish { .. })));
    }

    #[test]
    fn the_daily_budget_refuses_until_midnight() {
        // 480p 4 s = 40,594 tokens: a budget of 100,000 allows two.
        let c = caller(&[("DAILY_TOKEN_BUDGET", "100000")], None);
        let mut records = Records::default();
        let body = || Ok(t2v(json!({})));
        assert!(admit(&c, body(), &mut records, None).is_ok());
        assert!(admit(&c, body(), &mut records, None).is_ok());
        records.now = 86_400_000 - 1500;
        let r = refused(admit(&c, body(), &mut records, None));
        assert_eq!(shape(&r), (429, "DailyBudgetExceeded", Some("2")));
        let message = r.body["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("81188 used") && message.contains("40594"),
            "{message}"
        );
    }

    #[test]
    fn a_store_that_fails_refuses_with_503() {
        let body = || Ok(t2v(json!({})));
        // At the key: it was never taken, so nothing is freed.
        let c = caller(&[], Some("k"));
        let mut records = Records::default();
        records.down = true;
        let r = refused(admit(&c, body(), &mut records, None));
        assert_eq!(shape(&r), (503, "GateUnavailable", Some("1")));
        assert_eq!(records.ops.len(), 1);
        // At the count, without a key.
        let c = caller(&[], None);
        let r = refused(admit(&c, body(), &mut records, None));
        assert_eq!(shape(&r), (503, "GateUnavailable", Some("1")));
    }

    #[test]
    #[should_panic(expected = "does not answer")]
    fn a_driver_out_of_order_is_a_bug() {
        let c = caller(&[], None);
        let mut admission = CreateAdmission::new(&c);
        admission.start();
        admission.resume(Input::Limiter(None));
    }
}
