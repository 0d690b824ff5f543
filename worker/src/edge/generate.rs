//! `POST {prefix}/generate`: the create pipeline of the task route, then the crate's
//! `Client` creates and waits inside the Worker, streaming server-sent events; the poll
//! budget is what the subrequest budget leaves ([`crate::plan`]).

use std::rc::Rc;

use js_sys::{Promise, Uint8Array};
use seedance::{ApiKey, Client, Error, WaitOptions};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::future_to_promise;
use web_sys::{Request, Response, ResponseInit, TransformStream, WritableStreamDefaultWriter};

use crate::answers::{rewrite_ids, Refusal};
use crate::plan::{poll_policy, Spend};
use crate::sse;

use super::handler::{admit, refusal, Admission, Call};
use super::js::{console_log, ExecutionContext};

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
    mut call: Call,
    request: Request,
    ctx: JsValue,
    origin: Option<&str>,
) -> Response {
    let (req, idem, tokens, replay) = match admit(&mut call, &request).await {
        Err(r) => return refusal(&r, origin),
        Ok(Admission::Go(a)) => {
            drop(a.body);
            (Some(a.req), a.idem, a.tokens, None)
        }
        Ok(Admission::Replay(id)) => (None, None, 0, Some(id)),
    };
    let spend = Spend {
        before: call.remote_calls,
        after: u32::from(idem.is_some() && call.store.is_remote()),
    };
    let policy = match &req {
        Some(r) => poll_policy(r, call.cfg.subrequests, spend, call.cfg.poll_ms),
        // A replay makes no create: the polls get its share too.
        None => {
            let probe = seedance::CreateTaskRequest::text_to_video(seedance::Model::Fast, "-");
            poll_policy(&probe, call.cfg.subrequests, spend, call.cfg.poll_ms)
        }
    };
    let Some(policy) = policy else {
        call.finish(idem.as_deref(), None, false).await;
        call.refund(tokens).await;
        let r = Refusal::new(
            500,
            "ProxyMisconfigured",
            "SUBREQUEST_BUDGET leaves no room for a single poll",
        );
        return refusal(&r, origin);
    };
    let client = match ApiKey::new(call.key.clone())
        .and_then(|k| Client::new(k).with_base_url(&call.cfg.upstream))
    {
        Ok(c) => c
            .with_limits(call.cfg.limits.clone())
            .with_poll_policy(policy.clone()),
        Err(_) => {
            let r = Refusal::new(
                500,
                "ProxyMisconfigured",
                "SEEDANCE_API_KEY or UPSTREAM_BASE_URL is not usable",
            );
            return refusal(&r, origin);
        }
    };

    let stream = TransformStream::new().expect("TransformStream");
    let events = Rc::new(Events {
        writer: stream.writable().get_writer().expect("writer"),
        ignore: Closure::new(|_: JsValue| {}),
    });
    let budget_polls = policy.max_requests.unwrap_or(u32::MAX);
    let prefix = call.cfg.prefix.clone();
    let work = async move {
        let raw = match (replay, req) {
            (Some(id), _) => id,
            (None, Some(req)) => match client.create_task(&req).await {
                Ok(created) => {
                    call.finish(idem.as_deref(), Some(created.id.clone()), false)
                        .await;
                    created.id
                }
                Err(e) => {
                    let refused = matches!(e.http_status(), Some(400..=499))
                        && !matches!(e, Error::OutcomeUnknown { .. });
                    if refused {
                        call.refund(tokens).await;
                    }
                    call.finish(idem.as_deref(), None, !refused).await;
                    events.send(&sse::error(&e, None, budget_polls, ""));
                    events.close();
                    console_log(&format!(
                        "generate create-failed {}",
                        e.code().unwrap_or("-")
                    ));
                    return Ok(JsValue::UNDEFINED);
                }
            },
            (None, None) => unreachable!("a create has a request"),
        };
        let wrapped = call.wrap(&raw);
        events.send(&sse::event(
            "created",
            &serde_json::json!({ "id": wrapped }),
        ));
        let progress = Rc::clone(&events);
        let shown = wrapped.clone();
        let options = WaitOptions::new()
            .policy(policy)
            .on_progress(move |p| progress.send(&sse::progress(p, &shown)));
        let get_url = format!("{prefix}/contents/generations/tasks/{wrapped}");
        let outcome = match client.wait(&raw, options).await {
            Ok(task) => {
                let json = serde_json::to_vec(&task).unwrap_or_default();
                let json = rewrite_ids(&json, |_| wrapped.clone()).unwrap_or(json);
                let task: serde_json::Value = serde_json::from_slice(&json).unwrap_or_default();
                events.send(&sse::event("done", &task));
                "done".to_owned()
            }
            Err(e) => {
                events.send(&sse::error(
                    &e,
                    Some((&raw, &wrapped)),
                    budget_polls,
                    &get_url,
                ));
                format!("error {}", e.code().unwrap_or("-"))
            }
        };
        events.close();
        console_log(&format!("generate {outcome}"));
        Ok(JsValue::UNDEFINED)
    };
    let promise: Promise = future_to_promise(work);
    let _ = ctx.unchecked_ref::<ExecutionContext>().wait_until(&promise);

    let headers = web_sys::Headers::new().expect("Headers");
    let _ = headers.set("Content-Type", "text/event-stream; charset=utf-8");
    let _ = headers.set("Cache-Control", "no-cache, no-transform");
    let _ = headers.set("X-Accel-Buffering", "no");
    if let Some(o) = origin {
        for (k, v) in crate::cors::answer_headers(o) {
            let _ = headers.set(k, &v);
        }
    }
    let init = ResponseInit::new();
    init.set_status(200);
    init.set_headers(&headers);
    Response::new_with_opt_readable_stream_and_init(Some(&stream.readable()), &init)
        .expect("Response")
}
