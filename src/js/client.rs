//! `SeedanceClient`: the Rust [`Client`] behind a Promise API with `AbortSignal`s and
//! callbacks. Its TypeScript declaration is hand-written in `seedance.d.ts`.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::AbortSignal;

use super::abort::{run_abortable, signal_of};
use super::convert::{from_js, from_js_or_default, get, get_fn, get_ms, get_string, set, to_js};
use super::errors::to_js_error;
use crate::client::{Client, RecentFilter, WaitOptions};
use crate::error::Error;
use crate::json::read;
use crate::poll::{PollPolicy, Progress};
use crate::protocol::ListQuery;
use crate::secret::ApiKey;
use crate::types::codec::request::decode_request;
use crate::types::codec::task::{write_created_task, write_task, write_task_list, write_tasks};
use crate::types::{CreateTaskRequest, TaskStatus};
use crate::validate::codec::decode_limits;
use crate::validate::Limits;

/// A Seedance API client for JavaScript.
#[wasm_bindgen(skip_typescript)]
pub struct SeedanceClient {
    inner: Client,
    /// The `poll` options given to the constructor: they apply as given (`generate` then
    /// does not scale its schedule to the request).
    poll: Option<PollPolicy>,
}

fn ms(n: f64) -> Duration {
    Duration::from_secs_f64(n / 1000.0)
}

/// Read `PollOptions` over a base policy.
fn poll_options(base: &PollPolicy, options: &JsValue) -> Result<PollPolicy, Error> {
    let mut p = base.clone();
    if options.is_undefined() || options.is_null() {
        return Ok(p);
    }
    if let Some(v) = get_ms(options, "firstDelayMs")? {
        p.first_delay = ms(v);
    }
    if let Some(v) = get_ms(options, "intervalMs")? {
        p.interval = ms(v);
    }
    if let Some(v) = get_ms(options, "maxDelayMs")? {
        p.max_delay = ms(v);
    }
    if let Some(v) = get_ms(options, "deadlineMs")? {
        p.deadline = Some(ms(v));
    }
    if let Some(v) = get_ms(options, "retryBaseMs")? {
        p.retry_base = ms(v);
    }
    if let Some(v) = get_ms(options, "growth")? {
        p.growth = v;
    }
    if let Some(v) = get_ms(options, "jitter")? {
        p.jitter = v;
    }
    if let Some(v) = get_ms(options, "maxRequests")? {
        p.max_requests = Some(v as u32);
    }
    if let Some(v) = get_ms(options, "maxRetries")? {
        p.max_retries = v as u32;
    }
    Ok(p)
}

fn progress_js(p: &Progress) -> JsValue {
    let o = js_sys::Object::new();
    set(&o, "taskId", p.task_id.as_str());
    set(
        &o,
        "status",
        p.status
            .as_ref()
            .map_or(JsValue::NULL, |s| s.as_str().into()),
    );
    set(&o, "polls", p.polls);
    set(&o, "elapsedMs", p.elapsed.as_millis() as f64);
    set(
        &o,
        "nextPollInMs",
        p.next_poll_in
            .map_or(JsValue::NULL, |d| (d.as_millis() as f64).into()),
    );
    set(
        &o,
        "error",
        p.error.as_deref().map_or(JsValue::NULL, JsValue::from),
    );
    o.into()
}

/// What `waitForTask` and `generate` take from their options object.
struct WaitJs {
    policy: Option<PollPolicy>,
    on_progress: Option<Function>,
    on_created: Option<Function>,
    cancel_on_abort: bool,
}

impl WaitJs {
    fn read(client: &SeedanceClient, options: &JsValue) -> Result<Self, Error> {
        let poll = get(options, "poll");
        let mut policy = (!poll.is_undefined() && !poll.is_null())
            .then(|| poll_options(client.inner.poll_policy(), &poll))
            .transpose()?
            .or_else(|| client.poll.clone());
        let client = &client.inner;
        if let Some(t) = get_ms(options, "timeoutMs")? {
            let p = policy.get_or_insert_with(|| client.poll_policy().clone());
            p.deadline = Some(ms(t));
        }
        Ok(WaitJs {
            policy,
            on_progress: get_fn(options, "onProgress")?,
            on_created: get_fn(options, "onTaskCreated")?,
            cancel_on_abort: get(options, "cancelOnAbort").as_bool().unwrap_or(false),
        })
    }

    /// The Rust wait options; callbacks that throw are ignored (a UI bug must not stop
    /// the wait of a paid task).
    fn options(&self, created: Rc<RefCell<Option<String>>>) -> WaitOptions<'static> {
        let mut o = WaitOptions::new().cancel_on_drop(self.cancel_on_abort);
        if let Some(p) = &self.policy {
            o = o.policy(p.clone());
        }
        if let Some(f) = self.on_progress.clone() {
            o = o.on_progress(move |p| {
                let _ = f.call1(&JsValue::UNDEFINED, &progress_js(p));
            });
        }
        let f = self.on_created.clone();
        o.on_created(move |id| {
            *created.borrow_mut() = Some(id.to_owned());
            if let Some(f) = &f {
                let _ = f.call1(&JsValue::UNDEFINED, &id.into());
            }
        })
    }
}

/// Run a call as a Promise under the options' `AbortSignal`. Argument errors reject too
/// (a call never throws synchronously). `task` names the task an `AbortError` concerns;
/// `generate` fills it in once the task exists.
fn call(
    options: &JsValue,
    task: Rc<RefCell<Option<String>>>,
    work: impl core::future::Future<Output = Result<JsValue, Error>> + 'static,
) -> Promise {
    run(signal_of(options), task, Box::pin(work))
}

/// One copy of the promise and abort plumbing for every method: the work arrives boxed,
/// so this (and `future_to_promise` under it) is compiled once, not once per method.
fn run(
    signal: Result<Option<AbortSignal>, Error>,
    task: Rc<RefCell<Option<String>>>,
    work: Work,
) -> Promise {
    future_to_promise(async move {
        let signal = signal.map_err(to_js_error)?;
        run_abortable(signal, task, async move { work.await.map_err(to_js_error) }).await
    })
}

type Work = core::pin::Pin<Box<dyn core::future::Future<Output = Result<JsValue, Error>>>>;

fn known(id: &str) -> Rc<RefCell<Option<String>>> {
    Rc::new(RefCell::new(Some(id.to_owned())))
}

#[wasm_bindgen]
impl SeedanceClient {
    /// Create a client (see `ClientOptions` in the TypeScript declaration).
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<SeedanceClient, JsValue> {
        Self::build(&options).map_err(to_js_error)
    }

    fn build(options: &JsValue) -> Result<SeedanceClient, Error> {
        let key = get_string(options, "apiKey")?;
        let mut client = match &key {
            Some(k) => Client::new(ApiKey::new(k.as_str())?),
            // A proxy (the Worker) adds the key: no Authorization header at all.
            None => Client::new(ApiKey::new("unused")?).without_auth(),
        };
        if let Some(url) = get_string(options, "baseUrl")? {
            client = client.with_base_url(&url)?;
        }
        let poll = get(options, "poll");
        let pinned = if poll.is_undefined() || poll.is_null() {
            None
        } else {
            let policy = poll_options(client.poll_policy(), &poll)?;
            client = client.with_poll_policy(policy.clone());
            Some(policy)
        };
        if let Some(t) = get_ms(options, "timeoutMs")? {
            client = client.with_request_timeout(ms(t));
        }
        let headers = get(options, "headers");
        if !headers.is_undefined() && !headers.is_null() {
            let map = from_js(&headers, "headers", read::string_map)?;
            for (k, v) in map {
                client = client.with_header(&k, &v)?;
            }
        }
        let mut limits: Limits =
            from_js_or_default(&get(options, "limits"), "limits", decode_limits)?;
        if get(options, "allowHttp").as_bool() == Some(true) {
            limits.allow_http = true;
        }
        client = client.with_limits(limits);
        if get(options, "idempotency").as_bool() == Some(true) {
            client = client.with_idempotency(true);
        }
        Ok(SeedanceClient {
            inner: client,
            poll: pinned,
        })
    }

    /// Validate, then create a task (spends money). Resolves to `{ id }`.
    #[wasm_bindgen(js_name = createTask)]
    pub fn create_task(&self, request: JsValue, options: JsValue) -> Promise {
        let client = self.inner.clone();
        let key = get_string(&options, "idempotencyKey");
        call(&options, Rc::default(), async move {
            let req: CreateTaskRequest = from_js(&request, "request", decode_request)?;
            let created = match key? {
                Some(k) => client.create_task_with_key(&req, Some(&k)).await,
                None => client.create_task(&req).await,
            };
            created.map(|c| to_js(|w| write_created_task(w, &c)))
        })
    }

    /// Get a task by id.
    #[wasm_bindgen(js_name = getTask)]
    pub fn get_task(&self, id: String, options: JsValue) -> Promise {
        let client = self.inner.clone();
        call(&options, known(&id), async move {
            client
                .get_task(&id)
                .await
                .map(|t| to_js(|w| write_task(w, &t)))
        })
    }

    /// List tasks (`ListQuery`), newest first.
    #[wasm_bindgen(js_name = listTasks)]
    pub fn list_tasks(&self, query: JsValue, options: JsValue) -> Promise {
        let client = self.inner.clone();
        call(&options, Rc::default(), async move {
            let q = list_query(&query)?;
            client
                .list_tasks(&q)
                .await
                .map(|l| to_js(|w| write_task_list(w, &l)))
        })
    }

    /// Cancel a queued task, or delete a finished one's record.
    #[wasm_bindgen(js_name = deleteTask)]
    pub fn delete_task(&self, id: String, options: JsValue) -> Promise {
        let client = self.inner.clone();
        call(&options, known(&id), async move {
            client.delete_task(&id).await.map(|()| JsValue::UNDEFINED)
        })
    }

    /// Poll a task until it ends.
    #[wasm_bindgen(js_name = waitForTask)]
    pub fn wait_for_task(&self, id: String, options: JsValue) -> Promise {
        let wait = WaitJs::read(self, &options);
        let client = self.inner.clone();
        let task = known(&id);
        let created = Rc::clone(&task);
        call(&options, task, async move {
            let opts = wait?.options(created);
            client
                .wait(&id, opts)
                .await
                .map(|t| to_js(|w| write_task(w, &t)))
        })
    }

    /// Create a task and wait for it (spends money).
    pub fn generate(&self, request: JsValue, options: JsValue) -> Promise {
        let wait = WaitJs::read(self, &options);
        let client = self.inner.clone();
        let task: Rc<RefCell<Option<String>>> = Rc::default();
        let created = Rc::clone(&task);
        call(&options, task, async move {
            let req: CreateTaskRequest = from_js(&request, "request", decode_request)?;
            let opts = wait?.options(created);
            client
                .generate(&req, opts)
                .await
                .map(|t| to_js(|w| write_task(w, &t)))
        })
    }

    /// Download a signed result URL with a plain GET (no key, no cookies).
    #[wasm_bindgen(js_name = fetchBytes)]
    pub fn fetch_bytes(&self, url: String, options: JsValue) -> Promise {
        let client = self.inner.clone();
        call(&options, Rc::default(), async move {
            let bytes = client.fetch_bytes(&url).await?;
            Ok(js_sys::Uint8Array::from(bytes.as_slice()).into())
        })
    }

    /// Run many create requests within the account's limits, with a journal (spends
    /// money). Resolves to one result per job; one failed job never rejects it.
    #[cfg(feature = "js")]
    pub fn batch(&self, requests: JsValue, options: JsValue) -> Promise {
        let plan = super::jobs::batch_plan(&requests, &self.inner);
        super::jobs::run_plan(self.inner.clone(), "batch", plan, options)
    }

    /// Run a film plan: shots chained by their last frame (spends money). Resolves to one
    /// result per shot, in order; join their videos with `concatMp4` from `seedance/mp4`.
    #[cfg(feature = "js")]
    pub fn film(&self, plan: JsValue, options: JsValue) -> Promise {
        let plan = super::jobs::film_plan(&plan, &self.inner);
        super::jobs::run_plan(self.inner.clone(), "film", plan, options)
    }

    /// Find recent tasks (e.g. after `SeedanceOutcomeUnknownError`), newest first.
    #[wasm_bindgen(js_name = findRecent)]
    pub fn find_recent(&self, filter: JsValue, options: JsValue) -> Promise {
        let client = self.inner.clone();
        call(&options, Rc::default(), async move {
            let f = recent_filter(&filter)?;
            client
                .find_recent(&f)
                .await
                .map(|tasks| to_js(|w| write_tasks(w, &tasks)))
        })
    }
}

fn list_query(v: &JsValue) -> Result<ListQuery, Error> {
    let num = |k: &str| get_ms(v, k).map(|o| o.map(|n| n as u32));
    let ids = get(v, "taskIds");
    let task_ids = from_js_or_default(&ids, "taskIds", read::strings)?;
    Ok(ListQuery {
        page_num: num("pageNum")?,
        page_size: num("pageSize")?,
        status: get_string(v, "status")?.map(TaskStatus::from),
        model: get_string(v, "model")?,
        task_ids,
    })
}

fn recent_filter(v: &JsValue) -> Result<RecentFilter, Error> {
    let defaults = RecentFilter::default();
    Ok(RecentFilter {
        model: get_string(v, "model")?,
        // A `SeedanceOutcomeUnknownError` carries `sentAt`: allow a minute of clock skew.
        created_after: get_ms(v, "createdAfter")?
            .or(get_ms(v, "sentAt")?.map(|t| t - 60.0))
            .map(|t| t as i64),
        status: get_string(v, "status")?.map(TaskStatus::from),
        max_pages: get_ms(v, "maxPages")?.map_or(defaults.max_pages, |n| n as u32),
        page_size: get_ms(v, "pageSize")?.map_or(defaults.page_size, |n| n as u32),
    })
}
