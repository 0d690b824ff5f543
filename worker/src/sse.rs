//! Server-sent events of the `generate` route: `created`, `progress`, then `done` with the
//! task or `error` with what went wrong and, once a task exists, its id.

use serde::Serialize;
use serde_json::{json, Value};

use seedance::{Error, Progress, Task};

use crate::answers::rewrite_ids;

/// One event in the `text/event-stream` format (`data` is one line of JSON).
///
/// ```
/// let e = seedance_worker::sse::event("created", &serde_json::json!({"id": "cgt-x"}));
/// assert_eq!(e, "event: created\ndata: {\"id\":\"cgt-x\"}\n\n");
/// ```
pub fn event(name: &str, data: &impl Serialize) -> String {
    let data = serde_json::to_string(data).expect("plain data");
    format!("event: {name}\ndata: {data}\n\n")
}

/// The `progress` event of one poll (the task id is the visitor's wrapped one).
pub fn progress(p: &Progress, wrapped_id: &str) -> String {
    event(
        "progress",
        &json!({
            "id": wrapped_id,
            "status": p.status.as_ref().map(|s| s.as_str()),
            "polls": p.polls,
            "elapsed_ms": p.elapsed.as_millis() as u64,
            "next_poll_in_ms": p.next_poll_in.map(|d| d.as_millis() as u64),
            "error": p.error,
        }),
    )
}

/// The `done` event: the finished task, with the visitor's id in place of the account's.
pub fn done(task: &Task, wrapped_id: &str) -> String {
    let json = serde_json::to_vec(task).expect("plain data");
    let json = rewrite_ids(&json, |_| wrapped_id.to_owned()).unwrap_or(json);
    format!("event: done\ndata: {}\n\n", String::from_utf8_lossy(&json))
}

/// The `error` event: a code, a message, and the wrapped task id once one exists
/// (`ids` = the account's id and the visitor's; the account's never appears).
/// `budget_polls` is the poll budget, named in the message when the wait stopped on it.
pub fn error(err: &Error, ids: Option<(&str, &str)>, budget_polls: u32, get_url: &str) -> String {
    let (code, message) = match err {
        Error::WaitTimeout { polls, .. } if *polls >= budget_polls => (
            "SubrequestBudgetExhausted".to_owned(),
            format!(
                "stopped waiting after {polls} polls to stay within the Worker's subrequest \
                 budget; the task goes on: poll GET {get_url}"
            ),
        ),
        Error::WaitTimeout { .. } => (
            "WaitTimeout".to_owned(),
            format!("stopped waiting at the deadline; the task goes on: poll GET {get_url}"),
        ),
        Error::TaskFailed { task } => (
            task.error
                .as_ref()
                .map(|e| e.code.clone())
                .filter(|c| !c.is_empty())
                .unwrap_or_else(|| format!("Task{}", task.status.as_str())),
            err.to_string(),
        ),
        other => (
            other
                .code()
                .map(str::to_owned)
                .unwrap_or_else(|| "Error".to_owned()),
            other.to_string(),
        ),
    };
    let message = match ids {
        Some((raw, wrapped)) => message.replace(raw, wrapped),
        None => message,
    };
    let mut data = json!({ "code": code, "message": message, "id": ids.map(|(_, w)| w) });
    if let Some(status) = err.http_status() {
        data["status"] = Value::from(status);
    }
    event("error", &data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::time::Duration;

    #[test]
    fn done_shows_the_visitors_id() {
        let task: Task = serde_json::from_str(
            r#"{"id":"cgt-raw","model":"m","status":"succeeded","content":{"video_url":"https://v.example/x.mp4"}}"#,
        )
        .unwrap();
        let e = done(&task, "cgt-w.x");
        assert!(e.starts_with("event: done\n"), "{e}");
        assert!(
            e.contains("\"id\":\"cgt-w.x\"") && e.contains("x.mp4"),
            "{e}"
        );
        assert!(!e.contains("cgt-raw"), "{e}");
    }

    #[test]
    fn budget_exhaustion_names_the_task() {
        let err = Error::WaitTimeout {
            task_id: "cgt-raw".into(),
            elapsed: Duration::from_secs(9),
            polls: 44,
            last_status: None,
        };
        let e = error(
            &err,
            Some(("cgt-raw", "cgt-w.x")),
            44,
            "/api/v3/contents/generations/tasks/cgt-w.x",
        );
        assert!(e.starts_with("event: error\n"), "{e}");
        assert!(e.contains("SubrequestBudgetExhausted"), "{e}");
        assert!(e.contains("\"id\":\"cgt-w.x\""), "{e}");
        assert!(!e.contains("cgt-raw"), "the account's id is not shown: {e}");
    }
}
