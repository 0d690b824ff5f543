//! `POST {prefix}/generate`: the create admission of the task route, then the crate's
//! `Client` creates and waits inside the Worker, streaming server-sent events; the poll
//! budget is what the subrequest budget leaves ([`crate::plan`]).

use std::rc::Rc;

use js_sys::{Promise, Uint8Array};
use seedance::{Client, WaitOptions};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::future_to_promise;
use web_sys::{Request, Response, TransformStream, WritableStreamDefaultWriter};

use crate::admission::create::Admitted;
use crate::plan::{self, Spend};
use crate::settle::{self, Outcome};
use crate::{refusals, sse};

use super::call::Call;
use super::js::{console_log, ExecutionContext};
use super::respond;

/// Writes events to the stream; a visitor who went away makes writes fail, which is
/// ignored (the wait then ends on its own budget).
struct Events {
    writer: WritableStreamDefaultWriter,
    ignore: Closure<dyn FnMut(JsValue)>,
}

impl Events {
    fn send(&self, event: &str) {
        let chunk = Uint8Array::from(event.as_bytes());
        let _ = self.writer.write_with_chunk(&chunk).catch(&self.ignore);
    }

    fn close(&self) {
        let _ = self.writer.close().catch(&self.ignore);
    }
}

pub async fn generate(
    call: Call,
    request: Request,
    ctx: JsValue,
    origin: Option<&str>,
) -> Response {
    // A replay makes no create: it waits for the task the key made.
    let (req, key, tokens, replay) = match call.admit(&request).await {
        Err(r) => return respond::refusal(&r, origin),
        Ok(Admitted::Go {
            checked,
            idempotency_key,
        }) => (Some(checked.req), idempotency_key, checked.tokens, None),
        Ok(Admitted::Replay(id)) => (None, None, 0, Some(id)),
    };
    let spend = Spend {
        before: call.remote_calls(),
        after: u32::from(key.is_some() && call.store.is_remote()),
    };
    let cfg = &call.caller.cfg;
    let policy = match plan::for_generate(req.as_ref(), cfg.subrequests, spend, cfg.poll_ms) {
        Ok(policy) => policy,
        Err(r) => {
            let ops = settle::record(&call.caller, key.as_deref(), tokens, &Outcome::Refused);
            call.apply(ops).await;
            return respond::refusal(&r, origin);
        }
    };
    let upstream = &call.caller.upstream;
    let client = match Client::new(upstream.key().clone()).with_base_url(upstream.base_url()) {
        Ok(c) => c
            .with_limits(cfg.limits.clone())
            .with_poll_policy(policy.clone()),
        Err(_) => return respond::refusal(&refusals::unusable_client(), origin),
    };

    let stream = TransformStream::new().expect("TransformStream");
    let events = Rc::new(Events {
        writer: stream.writable().get_writer().expect("writer"),
        ignore: Closure::new(|_: JsValue| {}),
    });
    let budget_polls = policy.max_requests.unwrap_or(u32::MAX);
    let prefix = cfg.prefix.clone();
    let work = async move {
        let raw = match (replay, req) {
            (Some(id), _) => id,
            (None, Some(req)) => {
                let created = client.create_task(&req).await;
                let outcome = Outcome::of(&created);
                let ops = settle::record(&call.caller, key.as_deref(), tokens, &outcome);
                call.apply(ops).await;
                match created {
                    Ok(created) => created.id,
                    Err(e) => {
                        events.send(&sse::error(&e, None, budget_polls, ""));
                        events.close();
                        let code = e.code().unwrap_or("-");
                        console_log(&format!("generate create-failed {code}"));
                        return Ok(JsValue::UNDEFINED);
                    }
                }
            }
            (None, None) => unreachable!("a create has a request"),
        };
        let wrapped = call.caller.wrap(&raw);
        events.send(&sse::event(
            "created",
            &serde_json::json!({ "id": wrapped }),
        ));
        let progress = Rc::clone(&events);
        let shown = wrapped.clone();
        let options = WaitOptions::new()
            .policy(policy)
            .on_progress(move |p| progress.send(&sse::progress(p, &shown)));
        let get_url = format!("{prefix}{}/{wrapped}", seedance::protocol::TASKS_PATH);
        let outcome = match client.wait(&raw, options).await {
            Ok(task) => {
                events.send(&sse::done(&task, &wrapped));
                "done".to_owned()
            }
            Err(e) => {
                let ids = Some((raw.as_str(), wrapped.as_str()));
                events.send(&sse::error(&e, ids, budget_polls, &get_url));
                format!("error {}", e.code().unwrap_or("-"))
            }
        };
        events.close();
        console_log(&format!("generate {outcome}"));
        Ok(JsValue::UNDEFINED)
    };
    let promise: Promise = future_to_promise(work);
    let _ = ctx.unchecked_ref::<ExecutionContext>().wait_until(&promise);
    respond::event_stream(&stream.readable(), origin)
}
