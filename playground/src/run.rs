//! One generation as the page shows it: the phase (creating, waiting, and how it ended),
//! the task id as soon as it exists, the polls. [`crate::runner`] drives it.

use seedance::{CreateTaskRequest, Task, TaskStatus};

use crate::errors::Shown;

/// Where a generation is.
#[derive(Clone, Debug)]
pub enum Phase {
    /// Nothing started yet.
    Idle,
    /// The create is on its way.
    Creating,
    /// The task exists; polling.
    Waiting,
    /// Done: the task with its video.
    Succeeded(Box<Task>),
    /// Ended with an error.
    Failed(Shown),
    /// Stopped by the user.
    Stopped(String),
}

/// A generation's state, as the page shows it.
#[derive(Clone, Debug)]
pub struct RunState {
    /// The phase.
    pub phase: Phase,
    /// The task id, once the server gave one.
    pub task_id: Option<String>,
    /// The last status a poll saw.
    pub status: Option<TaskStatus>,
    /// GETs so far.
    pub polls: u32,
    /// When it started (ms since the epoch).
    pub started_ms: f64,
    /// When it ended (ms since the epoch).
    pub ended_ms: Option<f64>,
    /// When the next GET is due (ms since the epoch).
    pub next_poll_ms: Option<f64>,
    /// The last poll's error, when it failed (it is retried).
    pub poll_error: Option<String>,
    /// The request as sent.
    pub request: Option<CreateTaskRequest>,
}

impl Default for RunState {
    fn default() -> Self {
        RunState {
            phase: Phase::Idle,
            task_id: None,
            status: None,
            polls: 0,
            started_ms: 0.0,
            ended_ms: None,
            next_poll_ms: None,
            poll_error: None,
            request: None,
        }
    }
}

impl RunState {
    /// Whether a generation is in flight.
    pub fn busy(&self) -> bool {
        matches!(self.phase, Phase::Creating | Phase::Waiting)
    }

    /// The status badge's word: the last status seen, or where the run is; `None` when
    /// nothing ran yet.
    pub fn label(&self) -> Option<String> {
        Some(match (&self.phase, &self.status) {
            (Phase::Idle, _) => return None,
            (Phase::Creating, _) => "creating".to_owned(),
            (_, Some(st)) => st.as_str().to_owned(),
            (Phase::Waiting, None) => "created".to_owned(),
            (Phase::Stopped(_), None) => "stopped".to_owned(),
            (_, None) => "ended".to_owned(),
        })
    }
}

impl Phase {
    /// A stable name for the page (`data-phase`).
    pub fn key(&self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Creating => "creating",
            Phase::Waiting => "waiting",
            Phase::Succeeded(_) => "succeeded",
            Phase::Failed(_) => "failed",
            Phase::Stopped(_) => "stopped",
        }
    }
}
