//! What an upstream answer means, once a request was admitted and sent: for the client's
//! records (the task an `Idempotency-Key` made, the tokens of a refused create given
//! back) and for the visitor (the account's task ids swapped for the visitor's, the
//! upstream's status, body and passed headers otherwise untouched).
//!
//! Pure: the edge runs the operations and sends the answers.

use seedance::protocol::{parse_create, HttpResponse};
use seedance::{CreatedTask, Error};

use crate::admission::Caller;
use crate::answers::{rewrite_ids, Refusal};
use crate::records::Op;
use crate::refusals;

/// How a create ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It made this task (the account's id).
    Created(String),
    /// It made no task: the server refused it, or it was never sent. The tokens are given
    /// back and the `Idempotency-Key` is freed, so a repeat goes upstream again.
    Refused,
    /// A task may exist (a 5xx, a lost answer, a timeout): nothing is given back, and a
    /// repeat with the same key gets 409 `IdempotencyOutcomeUnknown`.
    Unknown,
}

impl Outcome {
    /// How a create ended, from its answer as the core reads it (`parse_create`, or the
    /// crate's `Client`). The reseller's "no available channel" 503 comes before any work
    /// and the core reads it as an API error, not an ambiguous 5xx: it is a refusal.
    ///
    /// ```
    /// use seedance::protocol::{parse_create, HttpResponse};
    /// use seedance_worker::settle::Outcome;
    /// let answer = |status, body: &str| HttpResponse { status, headers: vec![], body: body.into() };
    /// let of = |status, body| Outcome::of(&parse_create(&answer(status, body)));
    /// assert_eq!(of(200, r#"{"id":"cgt-1"}"#), Outcome::Created("cgt-1".into()));
    /// assert_eq!(of(500, r#"{"error":{"code":"InternalServiceError","message":"x"}}"#), Outcome::Unknown);
    /// assert_eq!(of(503, r#"{"error":{"message":"no available channel for this model"}}"#), Outcome::Refused);
    /// assert_eq!(of(400, r#"{"error":{"code":"InvalidParameter","message":"x"}}"#), Outcome::Refused);
    /// ```
    pub fn of(result: &Result<CreatedTask, Error>) -> Outcome {
        match result {
            Ok(created) => Outcome::Created(created.id.clone()),
            Err(Error::OutcomeUnknown { .. }) => Outcome::Unknown,
            // An error answer; or nothing sent (the client's checks, or a connection that
            // never opened, which the client reports as `Network`).
            Err(Error::Api(_))
            | Err(Error::Validation(_))
            | Err(Error::InvalidArgument { .. })
            | Err(Error::Network { .. }) => Outcome::Refused,
            Err(_) => Outcome::Unknown,
        }
    }
}

/// The operations on the client's records that follow a create admitted with `tokens`
/// and `idempotency_key`, in order, as `(instance, op)`. Their failures are ignored: a
/// held key then lapses on its own.
///
/// ```
/// use seedance::ApiKey;
/// use seedance_worker::{admission::Caller, records::Op, Config};
/// use seedance_worker::settle::{record, Outcome};
/// let cfg = Config::from_lookup(|_| None).unwrap();
/// let caller = Caller::new(cfg, ApiKey::new("sk-x").unwrap(), "c-0123456789abcdef", None, None);
/// let ops = record(&caller, Some("k"), 10, &Outcome::Refused);
/// assert!(matches!(ops[0].1, Op::Refund { tokens: 10 }));
/// assert!(matches!(&ops[1].1, Op::IdemFinish { id: None, unknown: false, .. }));
/// ```
pub fn record(
    caller: &Caller,
    idempotency_key: Option<&str>,
    tokens: u64,
    outcome: &Outcome,
) -> Vec<(String, Op)> {
    let mut ops = Vec::new();
    if *outcome == Outcome::Refused {
        ops.push((caller.limit_key.clone(), Op::Refund { tokens }));
    }
    if let Some(key) = idempotency_key {
        let (id, unknown) = match outcome {
            Outcome::Created(id) => (Some(id.clone()), false),
            Outcome::Refused => (None, false),
            Outcome::Unknown => (None, true),
        };
        let op = Op::IdemFinish {
            key: key.to_owned(),
            id,
            unknown,
        };
        ops.push((caller.idempotency_instance(), op));
    }
    ops
}

/// A forwarded create's answer to the visitor, and how the create ended. `sent` is the
/// upstream's answer, or why the fetch got none (then the create may have made a task).
pub fn create(
    caller: &Caller,
    sent: Result<HttpResponse, String>,
) -> (Outcome, Result<HttpResponse, Refusal>) {
    let resp = match sent {
        Ok(resp) => resp,
        Err(e) => {
            return (
                Outcome::Unknown,
                Err(refusals::upstream_unreachable(&e, true)),
            )
        }
    };
    let outcome = Outcome::of(&parse_create(&resp));
    let answer = match &outcome {
        Outcome::Created(id) => {
            let wrapped = caller.wrap(id);
            match rewrite_ids(&resp.body, |_| wrapped.clone()) {
                Some(body) => HttpResponse { body, ..resp },
                None => resp,
            }
        }
        Outcome::Refused | Outcome::Unknown => resp,
    };
    (outcome, Ok(answer))
}

/// A forwarded get, delete or list's answer to the visitor: on success and with
/// `wrap_ids`, every task id is swapped for the visitor's.
pub fn forwarded(
    caller: &Caller,
    sent: Result<HttpResponse, String>,
    wrap_ids: bool,
) -> Result<HttpResponse, Refusal> {
    let resp = sent.map_err(|e| refusals::upstream_unreachable(&e, false))?;
    if wrap_ids && (200..300).contains(&resp.status) {
        if let Some(body) = rewrite_ids(&resp.body, |id| caller.wrap(id)) {
            return Ok(HttpResponse { body, ..resp });
        }
    }
    Ok(resp)
}

/// The answer to a create whose `Idempotency-Key` already made task `id`: that task,
/// marked `Idempotent-Replayed: true`.
pub fn replayed(caller: &Caller, id: &str) -> HttpResponse {
    let body = serde_json::json!({ "id": caller.wrap(id) });
    HttpResponse {
        status: 200,
        headers: vec![
            ("content-type".into(), "application/json".into()),
            ("idempotent-replayed".into(), "true".into()),
        ],
        body: serde_json::to_vec(&body).expect("plain data"),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::admission::testkit::{caller, shape, Records};
    use crate::ids;

    fn answer(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![("x-request-id".into(), "req-1".into())],
            body: body.as_bytes().to_vec(),
        }
    }

    fn json(resp: &HttpResponse) -> Value {
        serde_json::from_slice(&resp.body).unwrap()
    }

    #[test]
    fn a_create_ends_created_refused_or_unknown() {
        let network = Error::Network {
            operation: seedance::Operation::Create,
            message: "refused (the request was not sent: no task was created)".into(),
            task_id: None,
        };
        assert_eq!(Outcome::of(&Err(network)), Outcome::Refused);
        let c = caller(&[], None);
        let (outcome, sent) = create(
            &c,
            Ok(answer(
                429,
                r#"{"error":{"code":"RateLimitExceeded","message":"x"}}"#,
            )),
        );
        assert_eq!(outcome, Outcome::Refused);
        assert_eq!(sent.unwrap().status, 429, "passed back as it came");
        let (outcome, _) = create(&c, Ok(answer(502, "<html>bad gateway</html>")));
        assert_eq!(outcome, Outcome::Unknown);
        let (outcome, _) = create(&c, Ok(answer(200, r#"{"status":"queued"}"#)));
        assert_eq!(
            outcome,
            Outcome::Unknown,
            "a success without an id may have made a task"
        );
    }

    #[test]
    fn a_created_task_is_shown_with_the_visitors_id() {
        let c = caller(&[], None);
        let (outcome, sent) = create(&c, Ok(answer(200, r#"{"id":"cgt-raw-1"}"#)));
        assert_eq!(outcome, Outcome::Created("cgt-raw-1".into()));
        let sent = sent.unwrap();
        let id = json(&sent)["id"].as_str().unwrap().to_owned();
        assert_eq!(
            ids::unwrap(&c.cfg.id_secret, &c.client, &id).as_deref(),
            Some("cgt-raw-1")
        );
        assert_eq!(sent.header("x-request-id"), Some("req-1"));
    }

    #[test]
    fn a_create_without_an_answer_is_502_and_unknown() {
        let c = caller(&[], None);
        let (outcome, sent) = create(&c, Err("connection reset".into()));
        assert_eq!(outcome, Outcome::Unknown);
        let r = sent.unwrap_err();
        assert_eq!(shape(&r), (502, "UpstreamUnreachable", None));
        assert!(r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("may or may not"));
    }

    #[test]
    fn records_follow_the_outcome() {
        let c = caller(&[], Some("k"));
        let kinds = |outcome| -> Vec<Op> {
            record(&c, Some("k"), 7, &outcome)
                .into_iter()
                .map(|(_, op)| op)
                .collect()
        };
        let finish = |id: Option<&str>, unknown| Op::IdemFinish {
            key: "k".into(),
            id: id.map(str::to_owned),
            unknown,
        };
        assert_eq!(
            kinds(Outcome::Created("cgt-1".into())),
            [finish(Some("cgt-1"), false)]
        );
        assert_eq!(kinds(Outcome::Unknown), [finish(None, true)]);
        assert_eq!(
            kinds(Outcome::Refused),
            [Op::Refund { tokens: 7 }, finish(None, false)]
        );
        let ops = record(&c, None, 7, &Outcome::Refused);
        assert_eq!(ops, [(c.limit_key.clone(), Op::Refund { tokens: 7 })]);
        assert!(record(&c, None, 7, &Outcome::Unknown).is_empty());
        // Run for real: a refused create's tokens come back.
        let mut records = Records::default();
        let admit = Op::Admit {
            limit: 0,
            window_ms: 1,
            tokens: 7,
            budget: 7,
        };
        records.run(&c.limit_key, &admit).unwrap();
        records.apply(record(&c, None, 7, &Outcome::Refused));
        assert_eq!(
            records.run(&c.limit_key, &admit),
            Ok(crate::records::Reply::Admitted)
        );
    }

    #[test]
    fn forwarded_answers_show_the_visitors_ids_on_success_only() {
        let c = caller(&[], None);
        let list = r#"{"total":1,"items":[{"id":"cgt-raw-2"}]}"#;
        let got = forwarded(&c, Ok(answer(200, list)), true).unwrap();
        let id = json(&got)["items"][0]["id"].as_str().unwrap().to_owned();
        assert_eq!(
            ids::unwrap(&c.cfg.id_secret, &c.client, &id).as_deref(),
            Some("cgt-raw-2")
        );
        let error = r#"{"error":{"code":"x","message":"y"},"id":"cgt-raw-2"}"#;
        let got = forwarded(&c, Ok(answer(404, error)), true).unwrap();
        assert_eq!(got.body, error.as_bytes());
        let got = forwarded(&c, Ok(answer(200, r#"{"id":"cgt-raw-2"}"#)), false).unwrap();
        assert_eq!(
            json(&got)["id"],
            "cgt-raw-2",
            "a delete's answer is passed as is"
        );
        let r = forwarded(&c, Err("dns".into()), true).unwrap_err();
        assert_eq!(shape(&r), (502, "UpstreamUnreachable", None));
        assert!(!r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("may or may not"));
    }

    #[test]
    fn a_replay_answers_the_same_task() {
        let c = caller(&[], None);
        let resp = replayed(&c, "cgt-raw-3");
        assert_eq!(
            (resp.status, resp.header("idempotent-replayed")),
            (200, Some("true"))
        );
        assert_eq!(json(&resp)["id"], c.wrap("cgt-raw-3"));
    }
}
