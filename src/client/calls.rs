//! One method per API call: create, get, list, delete, download, and finding recent tasks.

use core::time::Duration;

use crate::error::{Error, Operation};
use crate::protocol::{self, HttpRequest, HttpResponse, ListQuery, Method};
use crate::types::{CreateTaskRequest, CreatedTask, Task, TaskList, TaskStatus};
use crate::validate::validate;

use super::{rt, Client, TransportError};

const MAX_CREATE_WAIT: Duration = Duration::from_secs(60);

impl Client {
    /// Keep the key out of errors built from what the server sent.
    fn scrub(&self, e: Error) -> Error {
        e.map_server_text(|text| self.inner.endpoint.scrub(text))
    }

    /// Send one request; a transport failure becomes a network or timeout error of `op`.
    async fn send(&self, req: &HttpRequest, task_id: Option<&str>) -> Result<HttpResponse, Error> {
        let timeout = self.inner.timeout;
        self.inner
            .transport
            .send(req, timeout)
            .await
            .map_err(|e| match e {
                TransportError::Timeout => Error::Timeout {
                    operation: req.operation,
                    after: timeout,
                    task_id: task_id.map(str::to_owned),
                },
                TransportError::Network(message) | TransportError::NotSent(message) => {
                    Error::Network {
                        operation: req.operation,
                        message,
                        task_id: task_id.map(str::to_owned),
                    }
                }
            })
    }

    /// Create a task: validate, then POST once. **This spends money.**
    ///
    /// Dropping this future while the POST is in flight aborts it, but the server may
    /// already have the task: after a cancelled create, look with
    /// [`find_recent`](Self::find_recent) before creating again.
    ///
    /// Errors: [`Error::Validation`] (nothing sent); [`Error::OutcomeUnknown`] when the POST
    /// may have made a task (timeout, dropped connection, 5xx): it is never resent, look
    /// for the task with [`find_recent`](Self::find_recent); [`Error::Api`] otherwise. A 429
    /// is retried per the poll policy's `max_retries`, honouring `Retry-After` (up to a
    /// minute).
    pub async fn create_task(&self, req: &CreateTaskRequest) -> Result<CreatedTask, Error> {
        let key = self.inner.idempotency.then(new_idempotency_key);
        self.create_task_with_key(req, key.as_deref()).await
    }

    /// [`create_task`](Self::create_task) with your own `Idempotency-Key` (`None` for none),
    /// to keep one key across your own retries of one logical create.
    pub async fn create_task_with_key(
        &self,
        req: &CreateTaskRequest,
        idempotency_key: Option<&str>,
    ) -> Result<CreatedTask, Error> {
        self.create_inner(req, idempotency_key, self.inner.poll.max_retries)
            .await
    }

    /// Validate, then POST; retry a 429 up to `max_refusals` times.
    pub(super) async fn create_inner(
        &self,
        req: &CreateTaskRequest,
        idempotency_key: Option<&str>,
        max_refusals: u32,
    ) -> Result<CreatedTask, Error> {
        validate(req, &self.inner.limits).into_result()?;
        let http = self.inner.endpoint.create(req, idempotency_key)?;
        let policy = &self.inner.poll;
        let mut refusals = 0;
        loop {
            let sent_at = rt::unix_now();
            let ambiguous = |reason: String, status, request_id| Error::OutcomeUnknown {
                reason,
                status,
                request_id,
                model: Some(req.model.as_str().to_owned()),
                sent_at: Some(sent_at),
                idempotency_key: idempotency_key.map(str::to_owned),
            };
            let resp = match self.inner.transport.send(&http, self.inner.timeout).await {
                Ok(resp) => resp,
                // Never connected: nothing was created, so say so plainly.
                Err(TransportError::NotSent(message)) => {
                    return Err(Error::Network {
                        operation: Operation::Create,
                        message: format!(
                            "{message} (the request was not sent: no task was created)"
                        ),
                        task_id: None,
                    })
                }
                Err(TransportError::Timeout) => {
                    let after = self.inner.timeout;
                    return Err(ambiguous(
                        format!(
                            "no answer within {} (timed out)",
                            crate::numfmt::duration(after)
                        ),
                        None,
                        None,
                    ));
                }
                Err(TransportError::Network(message)) => {
                    return Err(ambiguous(
                        format!("the connection failed: {message}"),
                        None,
                        None,
                    ))
                }
            };
            match protocol::parse_create(&resp).map_err(|e| self.scrub(e)) {
                Ok(created) => return Ok(created),
                Err(Error::OutcomeUnknown {
                    reason,
                    status,
                    request_id,
                    ..
                }) => return Err(ambiguous(reason, status, request_id)),
                Err(e) if e.http_status() == Some(429) && refusals < max_refusals => {
                    refusals += 1;
                    let backoff = policy.backoff(refusals);
                    let wait = e.retry_after().unwrap_or_default().max(backoff);
                    if wait > MAX_CREATE_WAIT {
                        return Err(e);
                    }
                    rt::sleep(wait).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Get a task by id (any task of the account, not only ones this client made).
    ///
    /// Errors: [`Error::Api`] (404 for an unknown or deleted id), [`Error::Network`],
    /// [`Error::Timeout`], [`Error::Decode`]; all carry the id.
    pub async fn get_task(&self, task_id: &str) -> Result<Task, Error> {
        let http = self.inner.endpoint.get(task_id)?;
        let resp = self.send(&http, Some(task_id)).await?;
        protocol::parse_task(&resp, task_id).map_err(|e| self.scrub(e))
    }

    /// List tasks, newest first, with filters and paging.
    ///
    /// Errors: [`Error::Unsupported`] where the server has no list route (the reseller may
    /// not), [`Error::InvalidArgument`] for a page size outside 1..=500.
    pub async fn list_tasks(&self, query: &ListQuery) -> Result<TaskList, Error> {
        let http = self.inner.endpoint.list(query)?;
        let resp = self.send(&http, None).await?;
        protocol::parse_list(&resp).map_err(|e| self.scrub(e))
    }

    /// Delete a task: cancels a queued one (it becomes `cancelled`, nothing is billed) and
    /// removes the record of a finished one.
    ///
    /// Errors: [`Error::NotCancellable`] for a running task (the server finishes and bills
    /// it); [`Error::Unsupported`] where the server has no delete route.
    pub async fn delete_task(&self, task_id: &str) -> Result<(), Error> {
        let http = self.inner.endpoint.delete(task_id)?;
        let resp = self.send(&http, Some(task_id)).await?;
        let err = match protocol::parse_delete(&resp, task_id) {
            Ok(()) => return Ok(()),
            Err(e) => self.scrub(e),
        };
        // A refused delete of a task that exists is most likely a running task: say so
        // plainly instead of passing on the server's terse code.
        let refused = matches!(err.http_status(), Some(400 | 409 | 412 | 422));
        if refused {
            if let Ok(task) = self.get_task(task_id).await {
                if matches!(task.status, TaskStatus::Running | TaskStatus::Unknown(_)) {
                    return Err(Error::NotCancellable {
                        task_id: task_id.to_owned(),
                        status: task.status,
                    });
                }
            }
        }
        Err(err)
    }

    /// Download a signed result URL (the video or the last frame) with a plain GET: no
    /// `Authorization`, no cookies — a signed URL refuses a second auth mechanism, and the
    /// key must never leave for another host.
    ///
    /// Errors: [`Error::InvalidArgument`] for a URL that is not http(s); [`Error::Api`] with
    /// the store's status (403 once the link expired: get the task again for a fresh one).
    pub async fn fetch_bytes(&self, url: &str) -> Result<Vec<u8>, Error> {
        let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) {
            return Err(Error::invalid_argument(
                "url",
                format!("{url:?} is not an http(s) URL"),
            ));
        }
        let http = HttpRequest {
            operation: Operation::Download,
            method: Method::Get,
            url: url.to_owned(),
            headers: Vec::new(),
            body: None,
        };
        let resp = self.send(&http, None).await?;
        if (200..300).contains(&resp.status) {
            Ok(resp.body)
        } else {
            Err(protocol::api_error(&resp, Operation::Download, None).into())
        }
    }

    /// Find recent tasks, newest first: to reconcile a create whose outcome is unknown
    /// ([`RecentFilter::for_outcome`]), or to resume work after a restart.
    ///
    /// Errors: [`Error::Unsupported`] where the server has no list route: then the only way
    /// to recover a lost id is the provider's console.
    pub async fn find_recent(&self, filter: &RecentFilter) -> Result<Vec<Task>, Error> {
        let page_size = filter.page_size.clamp(1, 500);
        let mut found = Vec::new();
        for page in 1..=filter.max_pages.max(1) {
            let list = self
                .list_tasks(&ListQuery {
                    page_num: Some(page),
                    page_size: Some(page_size),
                    status: filter.status.clone(),
                    model: filter.model.clone(),
                    task_ids: Vec::new(),
                })
                .await?;
            let n = list.items.len();
            let mut older_seen = false;
            for task in list.items {
                match (filter.created_after, task.created_at) {
                    (Some(after), Some(at)) if at < after => older_seen = true,
                    _ => found.push(task),
                }
            }
            // Pages are newest first: one older task means the rest are older too.
            if older_seen || (n as u32) < page_size {
                break;
            }
        }
        // Newest first, stable: an insertion sort, near-linear on pages that come newest
        // first (a library sort costs the wasm about 3 KB).
        for i in 1..found.len() {
            let mut j = i;
            while j > 0 && found[j - 1].created_at < found[j].created_at {
                found.swap(j - 1, j);
                j -= 1;
            }
        }
        Ok(found)
    }
}

/// Which recent tasks [`Client::find_recent`] looks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecentFilter {
    /// Only this model.
    pub model: Option<String>,
    /// Only tasks created at or after this Unix time.
    pub created_after: Option<i64>,
    /// Only this status.
    pub status: Option<TaskStatus>,
    /// Pages to read at most (default 3).
    pub max_pages: u32,
    /// Tasks per page (default 50, at most 500).
    pub page_size: u32,
}

impl Default for RecentFilter {
    fn default() -> Self {
        RecentFilter {
            model: None,
            created_after: None,
            status: None,
            max_pages: 3,
            page_size: 50,
        }
    }
}

impl RecentFilter {
    /// The tasks an [`Error::OutcomeUnknown`] may have made: same model, created from a
    /// minute before the create was sent (server and client clocks differ). `None` for
    /// other errors.
    ///
    /// ```
    /// # use seedance::{Error, RecentFilter};
    /// let err = Error::OutcomeUnknown {
    ///     reason: "timeout".into(), status: None, request_id: None,
    ///     model: Some("doubao-seedance-2-0-fast-260128".into()), sent_at: Some(1_780_732_857),
    ///     idempotency_key: None,
    /// };
    /// let filter = RecentFilter::for_outcome(&err).unwrap();
    /// assert_eq!(filter.created_after, Some(1_780_732_797));
    /// ```
    pub fn for_outcome(err: &Error) -> Option<Self> {
        match err {
            Error::OutcomeUnknown { model, sent_at, .. } => Some(RecentFilter {
                model: model.clone(),
                created_after: sent_at.map(|t| t - 60),
                ..RecentFilter::default()
            }),
            _ => None,
        }
    }
}

pub(super) fn new_idempotency_key() -> String {
    format!(
        "seedance-{:016x}{:016x}",
        rt::random_u64(),
        rt::random_u64()
    )
}
