//! `client.batch()` and `client.film()`: the job engine for JavaScript callers. The
//! journal goes to `onJournal` after every change (awaited when it returns a Promise, so
//! IndexedDB or a file can hold it), results to `onResult` or into the answer; passing the
//! last journal back as `journal` resumes without creating a job twice.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

use js_sys::{Array, Function, Object, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::abort::{run_abortable_held, signal_of, Hold};
use super::convert::{from_js, get, get_fn, get_ms, set, to_js};
use super::errors::to_js_error;
use super::held::HeldApi;
use crate::client::Client;
use crate::error::Error;
use crate::jobs::codec::{
    decode_film, decode_journal, write_job_failure, write_job_state, write_journal,
};
use crate::jobs::{
    check_budget, run_jobs, Batch, BatchJob, Film, JobPlan, JobState, JobStore, Journal,
    ReconcileOptions, RunEvent, RunLimits, RunOptions,
};
use crate::json::{read, Json};
use crate::types::codec::request::decode_request;
use crate::types::codec::task::write_task;
use crate::types::{Task, TaskStatus};
use crate::validate::{Issue, Validation};

/// What `batch` and `film` read from their options.
struct JobOptions {
    run: RunOptions,
    max_tokens: Option<u64>,
    reconcile: ReconcileOptions,
    journal: Option<Journal>,
    on_progress: Option<Function>,
    on_journal: Option<Function>,
    on_result: Option<Function>,
    cancel_queued: bool,
}

impl JobOptions {
    fn read(client: &Client, options: &JsValue) -> Result<Self, Error> {
        let defaults = RunLimits::default();
        let count = |key: &str, default: usize| -> Result<usize, Error> {
            Ok(get_ms(options, key)?.map_or(default, |n| (n as usize).max(1)))
        };
        let journal = get(options, "journal");
        Ok(JobOptions {
            run: RunOptions {
                limits: RunLimits {
                    concurrency: count("concurrency", defaults.concurrency)?,
                    rate_per_minute: count("rate", defaults.rate_per_minute)?,
                },
                poll: client.poll_policy().clone(),
                fixed_interval: get_ms(options, "pollIntervalMs")?
                    .map(|n| Duration::from_secs_f64(n / 1000.0)),
            },
            max_tokens: get_ms(options, "maxTokens")?.map(|n| n as u64),
            reconcile: ReconcileOptions {
                retry_failed: get(options, "retryFailed").as_bool() == Some(true),
                recreate_unknown: get(options, "recreateUnknown").as_bool() == Some(true),
            },
            journal: (!journal.is_undefined() && !journal.is_null())
                .then(|| from_js(&journal, "journal", decode_journal))
                .transpose()?,
            on_progress: get_fn(options, "onProgress")?,
            on_journal: get_fn(options, "onJournal")?,
            on_result: get_fn(options, "onResult")?,
            cancel_queued: get(options, "cancelQueued").as_bool() == Some(true),
        })
    }
}

/// Keeps the journal where the caller says and the results in memory or with `onResult`.
struct JsStore {
    last: Rc<RefCell<Option<Journal>>>,
    hold: Rc<Hold>,
    on_journal: Option<Function>,
    on_result: Option<Function>,
    kept: Rc<RefCell<Kept>>,
}

/// Results kept in memory (no `onResult`): video and last frame by job key.
type Kept = BTreeMap<String, (Uint8Array, Option<Uint8Array>)>;

/// Call a caller's function and wait for the Promise it may return.
async fn call_and_wait(f: &Function, arg: &JsValue) -> Result<(), String> {
    let out = f
        .call1(&JsValue::UNDEFINED, arg)
        .map_err(|e| js_message(&e))?;
    if let Some(p) = out.dyn_ref::<Promise>() {
        JsFuture::from(p.clone())
            .await
            .map_err(|e| js_message(&e))?;
    }
    Ok(())
}

fn js_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the callback threw".to_owned())
}

impl JobStore for JsStore {
    async fn save_journal(&mut self, journal: &Journal) -> Result<(), String> {
        *self.last.borrow_mut() = Some(journal.clone());
        match &self.on_journal {
            Some(f) => {
                self.hold.saving.set(true);
                let saved = call_and_wait(f, &to_js(|w| write_journal(w, journal))).await;
                self.hold.saving.set(false);
                saved
            }
            None => Ok(()),
        }
    }

    async fn save_result(
        &mut self,
        key: &str,
        task: &Task,
        video: Vec<u8>,
        frame: Option<Vec<u8>>,
    ) -> Result<(String, Option<String>), String> {
        let video = Uint8Array::from(video.as_slice());
        let frame = frame.map(|f| Uint8Array::from(f.as_slice()));
        let frame_key = frame.as_ref().map(|_| format!("{key}.png"));
        match &self.on_result {
            Some(f) => {
                let o = Object::new();
                set(&o, "key", key);
                set(&o, "task", to_js(|w| write_task(w, task)));
                set(&o, "video", video);
                set(&o, "lastFrame", frame.map_or(JsValue::NULL, JsValue::from));
                call_and_wait(f, &o).await?;
            }
            None => {
                self.kept
                    .borrow_mut()
                    .insert(key.to_owned(), (video, frame));
            }
        }
        Ok((key.to_owned(), frame_key))
    }
}

/// Run a plan as a Promise of one result per job.
pub(super) fn run_plan(
    client: Client,
    kind: &'static str,
    plan: Result<(JobPlan, Vec<Option<String>>), Error>,
    options: JsValue,
) -> Promise {
    let signal = signal_of(&options);
    let read = JobOptions::read(&client, &options);
    future_to_promise(async move {
        let (plan, names) = plan.map_err(to_js_error)?;
        let opts = read.map_err(to_js_error)?;
        let signal = signal.map_err(to_js_error)?;
        let mut journal = Journal::reconcile(&plan, opts.journal.clone(), kind, opts.reconcile)
            .map_err(|e| to_js_error(Error::invalid_argument("journal", e.to_string())))?;
        check_budget(&plan, &journal, opts.max_tokens)
            .map_err(|e| to_js_error(Error::invalid_argument("maxTokens", e.to_string())))?;
        let last = Rc::new(RefCell::new(None));
        let kept = Rc::default();
        let hold = Rc::new(Hold::default());
        let mut store = JsStore {
            last: Rc::clone(&last),
            hold: Rc::clone(&hold),
            on_journal: opts.on_journal.clone(),
            on_result: opts.on_result.clone(),
            kept: Rc::clone(&kept),
        };
        let seen: Rc<RefCell<BTreeMap<usize, Task>>> = Rc::default();
        let work = {
            let (plan, seen, hold) = (&plan, Rc::clone(&seen), &*hold);
            let client = client.clone();
            let on_progress = opts.on_progress.clone();
            let last = Rc::clone(&last);
            let run = &opts.run;
            async move {
                let mut on_event = |e: &RunEvent| {
                    if let RunEvent::Status { job, task } = e {
                        seen.borrow_mut().insert(*job, (**task).clone());
                    }
                    if let Some(f) = &on_progress {
                        let counts = last.borrow().as_ref().map(counts_js);
                        let _ = f.call1(&JsValue::UNDEFINED, &event_js(plan, e, counts));
                    }
                };
                let api = HeldApi {
                    client: &client,
                    hold,
                };
                run_jobs(plan, &mut journal, &api, &mut store, run, &mut on_event)
                    .await
                    .map(|report| (report, journal))
                    .map_err(to_js_error)
            }
        };
        match run_abortable_held(signal, &hold, work).await {
            Ok((report, journal)) => {
                let out = results_js(&plan, &journal, &names, &seen.borrow(), &kept.borrow());
                set(&out, "exitCode", report.exit_code(&journal));
                if let Some(reason) = &report.stopped {
                    set(&out, "stopped", reason.as_str());
                }
                Ok(out.into())
            }
            Err(e) => {
                if opts.cancel_queued {
                    let journal = last.borrow().clone();
                    if let Some(j) = journal {
                        cancel_queued(&client, &j).await;
                    }
                }
                Err(e)
            }
        }
    })
}

/// DELETE the journal's tasks that are still queued (free); running ones finish and bill.
async fn cancel_queued(client: &Client, journal: &Journal) {
    for rec in journal.jobs.iter().filter(|r| r.state == JobState::Running) {
        let Some(id) = &rec.task_id else { continue };
        if let Ok(task) = client.get_task(id).await {
            if task.status == TaskStatus::Queued {
                let _ = client.delete_task(id).await;
            }
        }
    }
}

fn counts_js(journal: &Journal) -> JsValue {
    let o = Object::new();
    set(&o, "total", journal.jobs.len() as u32);
    set(&o, "done", journal.count(JobState::Downloaded) as u32);
    let running = journal.jobs.iter().filter(|r| r.state.holds_slot()).count();
    set(&o, "running", running as u32);
    let failed = journal.count(JobState::Failed) + journal.count(JobState::Blocked);
    set(&o, "failed", failed as u32);
    o.into()
}

fn event_js(plan: &JobPlan, e: &RunEvent, counts: Option<JsValue>) -> JsValue {
    let o = Object::new();
    let job = |o: &Object, i: usize| {
        set(o, "job", i as u32);
        set(o, "key", plan.jobs[i].key.as_str());
    };
    match e {
        RunEvent::Creating { job: i } => {
            set(&o, "kind", "creating");
            job(&o, *i);
        }
        RunEvent::Created { job: i, task_id } => {
            set(&o, "kind", "created");
            job(&o, *i);
            set(&o, "taskId", task_id.as_str());
        }
        RunEvent::Status { job: i, task } => {
            set(&o, "kind", "status");
            job(&o, *i);
            set(&o, "taskId", task.id.as_str());
            set(&o, "status", task.status.as_str());
        }
        RunEvent::Downloaded { job: i, .. } => {
            set(&o, "kind", "downloaded");
            job(&o, *i);
        }
        RunEvent::Problem { job: i, message } => {
            set(&o, "kind", "problem");
            job(&o, *i);
            set(&o, "message", message.as_str());
        }
        RunEvent::CreateDelayed {
            job: i,
            wait,
            reason,
        } => {
            set(&o, "kind", "delayed");
            job(&o, *i);
            set(&o, "waitMs", wait.as_millis() as f64);
            set(&o, "message", reason.as_str());
        }
        RunEvent::Waiting { duration } => {
            set(&o, "kind", "waiting");
            set(&o, "waitMs", duration.as_millis() as f64);
        }
        RunEvent::StoppedCreating { reason } => {
            set(&o, "kind", "stopped");
            set(&o, "message", reason.as_str());
        }
    }
    if let Some(c) = counts {
        set(&o, "counts", c);
    }
    o.into()
}

fn results_js(
    plan: &JobPlan,
    journal: &Journal,
    names: &[Option<String>],
    seen: &BTreeMap<usize, Task>,
    kept: &Kept,
) -> Array {
    let out = Array::new();
    for (i, (job, rec)) in plan.jobs.iter().zip(&journal.jobs).enumerate() {
        let o = Object::new();
        set(&o, "key", job.key.as_str());
        if let Some(Some(name)) = names.get(i) {
            set(&o, "name", name.as_str());
        }
        set(&o, "state", to_js(|w| write_job_state(w, rec.state)));
        set(
            &o,
            "taskId",
            rec.task_id.as_deref().map_or(JsValue::NULL, JsValue::from),
        );
        set(
            &o,
            "task",
            seen.get(&i)
                .map_or(JsValue::NULL, |t| to_js(|w| write_task(w, t))),
        );
        if let Some(e) = &rec.error {
            set(&o, "error", to_js(|w| write_job_failure(w, e)));
        }
        if let Some((video, frame)) = kept.get(&job.key) {
            set(&o, "video", video.clone());
            set(
                &o,
                "lastFrame",
                frame.clone().map_or(JsValue::NULL, JsValue::from),
            );
        }
        out.push(&o);
    }
    out
}

/// A validation outcome that blocks as a `SeedanceValidationError`.
fn checked(v: Validation) -> Result<(), Error> {
    v.into_result().map(|_: Vec<Issue>| ()).map_err(Error::from)
}

/// Read `requests` (create bodies, each optionally with a `name` that is never sent).
pub(super) fn batch_plan(
    requests: &JsValue,
    client: &Client,
) -> Result<(JobPlan, Vec<Option<String>>), Error> {
    let list = from_js(requests, "requests", |v| read::seq(v, Ok))?;
    let mut jobs = Vec::with_capacity(list.len());
    for (i, value) in list.into_iter().enumerate() {
        // `name` is never sent: take it out (a request ignores unknown fields anyway).
        let (name, value) = match value {
            Json::Obj(mut entries) => {
                let name = entries
                    .iter()
                    .position(|(k, _)| k == "name")
                    .map(|p| entries.remove(p).1);
                let name = match name {
                    Some(Json::Str(s)) => Some(s),
                    _ => None,
                };
                (name, Json::Obj(entries))
            }
            other => (None, other),
        };
        let request = decode_request(value)
            .map_err(|e| Error::invalid_argument(&format!("requests[{i}]"), e))?;
        jobs.push(BatchJob { name, request });
    }
    let batch = Batch { jobs };
    checked(batch.validate(client.limits()))?;
    let names = batch.jobs.iter().map(|j| j.name.clone()).collect();
    Ok((batch.plan(), names))
}

/// Read a film plan (images as URLs or `data:` URLs).
pub(super) fn film_plan(
    plan: &JsValue,
    client: &Client,
) -> Result<(JobPlan, Vec<Option<String>>), Error> {
    let film: Film = from_js(plan, "plan", decode_film)?;
    checked(film.validate(client.limits()))?;
    let plan = film.plan();
    let names = vec![None; plan.jobs.len()];
    Ok((plan, names))
}
