//! Errors in plain words, with the API's code, the request id and the task id kept.

use seedance::{Error, TaskStatus};

use crate::scan::contains;

/// An error as the page shows it.
#[derive(Clone, Debug)]
pub struct Shown {
    /// One line saying what happened.
    pub title: String,
    /// What it means and what to do.
    pub detail: String,
    /// The API's error code, when there is one.
    pub code: Option<String>,
    /// The `X-Request-Id`, to quote to support.
    pub request_id: Option<String>,
    /// The task it concerns.
    pub task_id: Option<String>,
    /// A create whose outcome is unknown: offer to look for the task it may have made.
    pub find_it: Option<FindIt>,
}

/// A create whose outcome is unknown: its model and when it was sent say which recent tasks
/// may be it.
#[derive(Clone, Debug)]
pub struct FindIt(pub Box<Error>);

#[cfg(target_arch = "wasm32")]
impl FindIt {
    /// The client's filter for those tasks.
    pub fn filter(&self) -> seedance::RecentFilter {
        seedance::RecentFilter::for_outcome(&self.0).unwrap_or_default()
    }
}

impl Shown {
    /// A plain message with no codes.
    pub fn plain(title: impl Into<String>, detail: impl Into<String>) -> Self {
        Shown {
            title: title.into(),
            detail: detail.into(),
            code: None,
            request_id: None,
            task_id: None,
            find_it: None,
        }
    }
}

/// Explain an error for the page (a create whose outcome is unknown keeps the error, to
/// find its task).
pub fn explain(err: Error) -> Shown {
    let mut shown = Shown::plain("Something went wrong", err.to_string());
    shown.task_id = err.task_id().map(str::to_owned);
    shown.code = err.code().map(str::to_owned);
    match &err {
        Error::Validation(v) => {
            shown.title = "The request breaks a rule; nothing was sent".into();
            shown.detail = v
                .errors()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join("\n");
        }
        Error::InvalidArgument { field, message } => {
            shown.title = format!("Check the {}", field.replace('_', " "));
            shown.detail = format!("{message}. Nothing was sent.");
        }
        Error::Api(api) => {
            shown.request_id = api.request_id.clone();
            let code = api.code.as_deref().unwrap_or("");
            shown.title = if api.is_no_channel() {
                "This key has no channel for the model".into()
            } else if contains(code, "SensitiveContent") {
                "The content was refused by moderation".into()
            } else {
                match api.status {
                    401 => "The API key was refused".into(),
                    403 => "Access denied (account overdue or no permission)".into(),
                    404 => "Not found".into(),
                    413 => "The request is too large".into(),
                    429 => "Too many requests: the server asks to slow down".into(),
                    400..=499 => "The server refused the request".into(),
                    _ => format!("The server failed (HTTP {})", api.status),
                }
            };
            let hint = if api.is_no_channel() {
                " The key lacks the SeeDance2 group, or the model is not open to it: this is a key setting, retrying will not help."
            } else if api.status == 401 {
                " Check the key (and the connection settings)."
            } else if api.status == 429 {
                " Wait a moment and try again."
            } else {
                ""
            };
            shown.detail = format!("{}{hint}", api.message);
        }
        Error::TaskFailed { task } => {
            shown.task_id = Some(task.id.clone());
            shown.title = match &task.status {
                TaskStatus::Expired => "The task expired before it finished".into(),
                TaskStatus::Cancelled => "The task was cancelled".into(),
                _ => "The task failed".into(),
            };
            match &task.error {
                Some(e) => {
                    shown.code = Some(e.code.clone());
                    shown.detail = if contains(&e.code, "SensitiveContent") {
                        format!(
                            "Moderation stopped it: {} Nothing is billed for a failed task.",
                            e.message
                        )
                    } else {
                        format!("{} Nothing is billed for a failed task.", e.message)
                    };
                }
                None => {
                    shown.detail = format!("The task ended {}. Nothing is billed.", task.status)
                }
            }
        }
        Error::OutcomeUnknown {
            request_id, status, ..
        } => {
            shown.request_id = request_id.clone();
            shown.title = "Unknown whether a task was created".into();
            shown.detail = format!(
                "{} A task may exist and be billed: look for it before creating again.",
                status.map(|s| format!("HTTP {s}.")).unwrap_or_default()
            );
            shown.find_it = Some(FindIt(Box::new(err)));
        }
        Error::Network { .. } => {
            shown.title = "Could not reach the server".into();
            shown.detail = format!(
                "{err}. If the server does not send CORS headers to this page, use a proxy."
            );
        }
        Error::WaitTimeout { .. } => {
            shown.title = "Stopped waiting; the task goes on".into();
        }
        Error::NotCancellable { .. } => {
            shown.title = "The task is running and can't be cancelled".into();
        }
        _ => {}
    }
    shown
}
