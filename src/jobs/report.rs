//! What a run is told (options), tells as it goes (events) and answers at the end (report).

use core::time::Duration;

use super::engine::RunLimits;
use super::journal::{JobState, Journal};
use crate::poll::PollPolicy;
use crate::types::Task;

/// How a run polls and what it keeps to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunOptions {
    /// The account's limits.
    pub limits: RunLimits,
    /// How to poll each task; its delays are fitted to each request's expected time
    /// unless `fixed_interval` is set.
    pub poll: PollPolicy,
    /// Poll every this often instead (tests, `--poll-interval`).
    pub fixed_interval: Option<Duration>,
}

/// What happened, for progress lines and views.
#[derive(Clone, Debug, PartialEq)]
pub enum RunEvent {
    /// The journal says `creating` and the POST goes now.
    Creating {
        /// The job's index.
        job: usize,
    },
    /// The task exists.
    Created {
        /// The job's index.
        job: usize,
        /// Its task.
        task_id: String,
    },
    /// A GET saw a status (every poll).
    Status {
        /// The job's index.
        job: usize,
        /// The task as seen.
        task: Box<Task>,
    },
    /// The result is kept.
    Downloaded {
        /// The job's index.
        job: usize,
        /// Where.
        file: String,
    },
    /// The job failed, was refused, or its create's outcome stays unknown.
    Problem {
        /// The job's index.
        job: usize,
        /// What to tell the user.
        message: String,
    },
    /// A create was refused for now (a 429, or it could not connect): no task was made, and
    /// no create goes out before `wait` has passed.
    CreateDelayed {
        /// The job's index (it is created later, maybe after another).
        job: usize,
        /// How long creating waits: the server's `Retry-After`, or a backoff.
        wait: Duration,
        /// What the server said.
        reason: String,
    },
    /// Nothing to do until then (a poll, the create rate, a `Retry-After`).
    Waiting {
        /// How long.
        duration: Duration,
    },
    /// This run creates nothing more.
    StoppedCreating {
        /// Why, and how to go on.
        reason: String,
    },
}

/// How a run ended; the journal holds each job's state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Why creating stopped early, if it did.
    pub stopped: Option<String>,
    /// Jobs this run gave up on (repeated errors), with the last error.
    pub given_up: Vec<(usize, String)>,
}

impl RunReport {
    /// The exit code a face reports: 0 every job's result is kept; 3 some create's outcome
    /// is unknown; 1 otherwise (a job failed or is blocked, creating stopped, a download or
    /// an API call kept failing).
    pub fn exit_code(&self, journal: &Journal) -> i32 {
        if journal.count(JobState::Unknown) > 0 {
            3
        } else if journal.jobs.iter().all(|r| r.state == JobState::Downloaded) {
            0
        } else {
            1
        }
    }
}
