//! The one error type of the crate, and the HTTP error shape it carries.
//!
//! Every error that happens after the server handed out a task id carries that id
//! ([`Error::task_id`]), so a caller never loses a task it is paying for.

use core::fmt;
use core::time::Duration;

use serde::Serialize;

use crate::dataurl::DataUrlError;
use crate::types::{Task, TaskStatus};
use crate::validate::ValidationError;

/// Which API call an error belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// `POST /contents/generations/tasks`: spends money.
    Create,
    /// `GET /contents/generations/tasks/{id}`.
    Get,
    /// `GET /contents/generations/tasks`.
    List,
    /// `DELETE /contents/generations/tasks/{id}`.
    Delete,
    /// A GET of a signed result URL.
    Download,
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Operation::Create => "create",
            Operation::Get => "get",
            Operation::List => "list",
            Operation::Delete => "delete",
            Operation::Download => "download",
        })
    }
}

/// An error answer from the server (HTTP status ≥ 400), Ark-shaped or not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiError {
    /// The call that got this answer.
    pub operation: Operation,
    /// The HTTP status.
    pub status: u16,
    /// The Ark error code (`InvalidParameter`, `RateLimitExceeded`, …) when there is one.
    pub code: Option<String>,
    /// The server's message, or a summary of a body that is not Ark-shaped.
    pub message: String,
    /// The request field the server blames, when it names one.
    pub param: Option<String>,
    /// The Ark error `type`, when given.
    pub error_type: Option<String>,
    /// The `X-Request-Id` header: quote it to support.
    pub request_id: Option<String>,
    /// How long the server asks to wait (`Retry-After`).
    pub retry_after: Option<Duration>,
    /// The body as received when it is not Ark-shaped (plain text, HTML from a proxy, …),
    /// cut to 4 KiB.
    pub raw_body: Option<String>,
    /// The task the call was about.
    pub task_id: Option<String>,
}

impl ApiError {
    /// Whether this is the reseller's "no available channel for this model": the key lacks
    /// the SeeDance2 group, or the model is not open to it.
    pub fn is_no_channel(&self) -> bool {
        crate::text::find(&self.message.to_ascii_lowercase(), "no available channel").is_some()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed with HTTP {}", self.operation, self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if let Some(param) = self.param.as_deref().filter(|p| !p.is_empty()) {
            write!(f, " (param `{param}`)")?;
        }
        write!(f, ": {}", self.message)?;
        if self.is_no_channel() {
            f.write_str(" — the API key needs the SeeDance2 group enabled for this model")?;
        }
        if let Some(id) = &self.task_id {
            write!(f, " [task {id}]")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

/// Everything that can go wrong, as one `Send + Sync` enum with predicates.
///
/// ```
/// use seedance::{CreateTaskRequest, Model, Resolution, validate, Limits};
/// let req = CreateTaskRequest::text_to_video(Model::Fast, "x").with_resolution(Resolution::P1080);
/// let err = seedance::Error::from(validate(&req, &Limits::default()).into_result().unwrap_err());
/// assert!(!err.is_retryable());
/// assert!(err.to_string().contains("resolution"));
/// ```
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request breaks documented rules; nothing was sent.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// An argument is unusable (an empty task id, a bad base URL, a malformed key…);
    /// nothing was sent.
    #[error("invalid {field}: {message}")]
    InvalidArgument {
        /// The argument.
        field: String,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// The server answered with an error status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The task ended without a video: `failed`, `expired` or `cancelled`.
    #[error("{}", task_ended_message(task))]
    TaskFailed {
        /// The task as last seen, with its `error` when the server gave one.
        task: Box<Task>,
    },
    /// A create may or may not have made a task (timeout, dropped connection, 5xx, or an
    /// unreadable success answer). It is never retried automatically, because a second
    /// create is a second bill: look the task up first (list recent tasks).
    #[error("create outcome unknown: {reason}. A task may exist and be billed: look for it among recent tasks{} before creating again", recent_hint(model, sent_at))]
    OutcomeUnknown {
        /// What happened.
        reason: String,
        /// The HTTP status, if an answer arrived.
        status: Option<u16>,
        /// The `X-Request-Id`, if an answer arrived.
        request_id: Option<String>,
        /// The model of the create, to look the task up by.
        model: Option<String>,
        /// When the create was sent (Unix seconds), to look the task up by.
        sent_at: Option<i64>,
        /// The `Idempotency-Key` sent, if any: send the same key again so a proxy that honours
        /// it answers with the same task.
        idempotency_key: Option<String>,
    },
    /// The request did not get an answer (connection refused or dropped, DNS, CORS…).
    #[error("network error during {operation}: {message}{}", task_suffix(task_id))]
    Network {
        /// The call.
        operation: Operation,
        /// What the transport said.
        message: String,
        /// The task the call was about.
        task_id: Option<String>,
    },
    /// One request took longer than the request timeout.
    #[error(
        "{operation} request timed out after {}{}",
        crate::numfmt::duration(*after),
        task_suffix(task_id)
    )]
    Timeout {
        /// The call.
        operation: Operation,
        /// The timeout that passed.
        after: Duration,
        /// The task the call was about.
        task_id: Option<String>,
    },
    /// Waiting ran past its deadline or request budget; the task goes on on the server.
    #[error("stopped waiting for task {task_id} after {} and {polls} polls (last status: {}); it may still finish: wait on it again later", crate::numfmt::duration(*elapsed), last_status.as_ref().map_or("unknown", |s| s.as_str()))]
    WaitTimeout {
        /// The task, still alive on the server.
        task_id: String,
        /// Time spent waiting.
        elapsed: Duration,
        /// GETs made.
        polls: u32,
        /// The last status seen.
        last_status: Option<TaskStatus>,
    },
    /// A success status with a body that could not be read.
    #[error(
        "unreadable answer to {operation} (HTTP {status}): {message}{}",
        task_suffix(task_id)
    )]
    Decode {
        /// The call.
        operation: Operation,
        /// The HTTP status.
        status: u16,
        /// What could not be read.
        message: String,
        /// The start of the body.
        body: String,
        /// The task the call was about.
        task_id: Option<String>,
    },
    /// The server has no such route (the reseller may lack list and delete).
    #[error("{operation} is not supported by this server (HTTP {status})")]
    Unsupported {
        /// The call.
        operation: Operation,
        /// The HTTP status (404 or 405).
        status: u16,
    },
    /// A delete of a task that is running: it can't be cancelled; the server finishes it and
    /// bills it.
    #[error("task {task_id} is {status}: only a queued task can be cancelled; a running task is finished and billed by the server")]
    NotCancellable {
        /// The task.
        task_id: String,
        /// Its status when the delete was refused.
        status: TaskStatus,
    },
    /// A run's journal or a result could not be saved: the run stopped, because creating
    /// without a record could create a task twice.
    #[error("could not save the {what}: {message}")]
    Storage {
        /// What: `journal`, `result of shots[2]`, ….
        what: String,
        /// Why.
        message: String,
    },
    /// The caller cancelled (dropped the future or aborted the signal).
    #[error("cancelled{}", task_suffix(task_id))]
    Aborted {
        /// The task, if one had been created: it goes on on the server.
        task_id: Option<String>,
    },
}

fn recent_hint(model: &Option<String>, sent_at: &Option<i64>) -> String {
    match (model, sent_at) {
        (Some(m), Some(t)) => format!(" (model {m}, created at or after {t})"),
        (Some(m), None) => format!(" (model {m})"),
        (None, Some(t)) => format!(" (created at or after {t})"),
        (None, None) => String::new(),
    }
}

fn task_suffix(task_id: &Option<String>) -> String {
    task_id
        .as_deref()
        .map(|id| format!(" [task {id}]"))
        .unwrap_or_default()
}

fn task_ended_message(task: &Task) -> String {
    let mut msg = format!("task {} ended {}", task.id, task.status);
    if let Some(e) = &task.error {
        msg.push_str(&format!(": {} {}", e.code, e.message));
    }
    msg
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(Box::new(e))
    }
}

/// A data URL that can't be read, or bytes that can't become one, is an unusable argument:
/// field `bytes` for [`encode_sniffed`](crate::dataurl::encode_sniffed)'s errors, `url` for
/// [`parse`](crate::dataurl::parse)'s.
impl From<DataUrlError> for Error {
    fn from(e: DataUrlError) -> Self {
        let field = if e.is_about_bytes() { "bytes" } else { "url" };
        Error::invalid_argument(field, e.to_string())
    }
}

impl Error {
    pub(crate) fn invalid_argument(field: &str, message: impl Into<String>) -> Self {
        Error::InvalidArgument {
            field: field.to_owned(),
            message: message.into(),
        }
    }

    /// Whether the same call may succeed if made again later: 429s, and for calls that
    /// do not create (get, list, delete, download) 5xx answers, network errors, timeouts
    /// and unreadable answers (a body cut short by a proxy or a dropped connection).
    /// A create is never retryable except on 429, which the server refused before any work.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => {
                e.status == 429
                    || (e.operation != Operation::Create && (e.status >= 500 || e.status == 408))
            }
            Error::Network { operation, .. }
            | Error::Timeout { operation, .. }
            | Error::Decode { operation, .. } => *operation != Operation::Create,
            _ => false,
        }
    }

    /// How long the server asked to wait before the next call, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api(e) => e.retry_after,
            _ => None,
        }
    }

    /// The task this error concerns, whenever the server had created one.
    pub fn task_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.task_id.as_deref(),
            Error::TaskFailed { task } => Some(&task.id),
            Error::WaitTimeout { task_id, .. } | Error::NotCancellable { task_id, .. } => {
                Some(task_id)
            }
            Error::Network { task_id, .. }
            | Error::Timeout { task_id, .. }
            | Error::Decode { task_id, .. }
            | Error::Aborted { task_id } => task_id.as_deref(),
            _ => None,
        }
    }

    /// The HTTP status of the answer behind this error, if one arrived.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode { status, .. } | Error::Unsupported { status, .. } => Some(*status),
            Error::OutcomeUnknown { status, .. } => *status,
            _ => None,
        }
    }

    /// The server's error code: the Ark code of an error answer, or the `error.code` of a
    /// failed task.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.code.as_deref(),
            Error::TaskFailed { task } => task.error.as_ref().map(|e| e.code.as_str()),
            _ => None,
        }
    }

    /// Apply `f` to every text in the error that came from the server.
    #[cfg(any(target_arch = "wasm32", feature = "native"))] // the client's only
    pub(crate) fn map_server_text(mut self, mut f: impl FnMut(&mut String)) -> Self {
        match &mut self {
            Error::Api(e) => {
                f(&mut e.message);
                if let Some(raw) = &mut e.raw_body {
                    f(raw);
                }
            }
            Error::Decode { message, body, .. } => {
                f(message);
                f(body);
            }
            Error::OutcomeUnknown { reason, .. } => f(reason),
            _ => {}
        }
        self
    }

    /// Attach a task id to an error that concerns a task but was made without knowing it.
    pub fn with_task_id(mut self, id: &str) -> Self {
        let slot = match &mut self {
            Error::Api(e) => &mut e.task_id,
            Error::Network { task_id, .. }
            | Error::Timeout { task_id, .. }
            | Error::Decode { task_id, .. }
            | Error::Aborted { task_id } => task_id,
            _ => return self,
        };
        if slot.is_none() {
            *slot = Some(id.to_owned());
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync + 'static>() {}

    #[test]
    fn error_is_send_sync() {
        assert_send_sync::<Error>();
    }
}
