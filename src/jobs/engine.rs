//! The job engine: from the journal and the clock, the next step of a run. Pure, like
//! [`poll`](crate::poll): the runner does the I/O and tells the journal what happened.
//!
//! Rules: a job left `creating` is looked up before anything else; finished results are
//! kept as they come; tasks are polled when due; a job is created only when the job it
//! continues from has succeeded, fewer than `concurrency` of this run's tasks are between
//! create and a final status (queued ones count: a queued task still holds the account's
//! slot, and cancelling queued tasks stays cheap), fewer than `rate_per_minute` creates went
//! out in the last minute, and no `Retry-After` is pending. One create at a time.

use serde::{Deserialize, Serialize};

use super::journal::{JobState, Journal};
use super::plan::JobPlan;

/// The account's limits a run keeps to (per account and model).
///
/// ```
/// let limits = seedance::jobs::RunLimits::default();
/// assert_eq!((limits.concurrency, limits.rate_per_minute), (3, 180));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RunLimits {
    /// Tasks of this run between create and a final status, queued ones included
    /// (default 3: the documented limit of individual accounts; 10 for enterprise).
    pub concurrency: usize,
    /// Creates per minute (default 180; 600 for enterprise).
    pub rate_per_minute: usize,
}

impl Default for RunLimits {
    fn default() -> Self {
        RunLimits {
            concurrency: 3,
            rate_per_minute: 180,
        }
    }
}

impl RunLimits {
    /// The documented limits of enterprise accounts: 10 concurrent tasks, 600 creates a
    /// minute.
    pub fn enterprise() -> Self {
        RunLimits {
            concurrency: 10,
            rate_per_minute: 600,
        }
    }
}

/// One step for the runner.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Look up the task of a job left `creating` (list route), never create it blindly.
    Resolve(usize),
    /// Keep the result of a succeeded job.
    Download(usize),
    /// GET the job's task.
    Poll(usize),
    /// Create the job's task (write `creating` first).
    Create(usize),
}

/// What the runner does now, or when to ask again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Do this now.
    Act(Action),
    /// Nothing is due before this time (Unix ms).
    WaitUntil(u64),
    /// Nothing more can happen in this run.
    Finished,
}

/// What the runner knows that the journal does not: per job, when its next GET is due and
/// whether this run has given up on it (repeated errors); and whether creating stopped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunState {
    /// When each job's next GET is due (`None`: now).
    pub poll_due: Vec<Option<u64>>,
    /// Jobs this run leaves alone from now on (the journal keeps where they stand).
    pub given_up: Vec<bool>,
    /// Why this run creates nothing more (a quota, a long `Retry-After`, an interrupt).
    pub stop_creating: Option<String>,
}

impl RunState {
    /// The state at the start of a run of `jobs` jobs.
    pub fn new(jobs: usize) -> Self {
        RunState {
            poll_due: vec![None; jobs],
            given_up: vec![false; jobs],
            stop_creating: None,
        }
    }
}

/// The next step: see the module doc for the rules.
///
/// ```
/// use seedance::jobs::{next_step, Action, Batch, Journal, Next, ReconcileOptions, RunLimits, RunState};
/// use seedance::{CreateTaskRequest, Model};
/// let plan = Batch::new(vec![CreateTaskRequest::text_to_video(Model::Fast, "rain"); 5]).plan();
/// let mut journal = Journal::reconcile(&plan, None, "batch", ReconcileOptions::default()).unwrap();
/// let state = RunState::new(5);
/// let limits = RunLimits { concurrency: 2, ..RunLimits::default() };
/// assert_eq!(next_step(&plan, &journal, &state, &limits, 0), Next::Act(Action::Create(0)));
/// journal.begin_create(0, None, 0);
/// journal.created(0, "cgt-a", 1);
/// journal.begin_create(1, None, 2);
/// journal.created(1, "cgt-b", 3);
/// // Two tasks unfinished: no third create; poll what is due instead.
/// assert_eq!(next_step(&plan, &journal, &state, &limits, 4), Next::Act(Action::Poll(0)));
/// ```
pub fn next_step(
    plan: &JobPlan,
    journal: &Journal,
    state: &RunState,
    limits: &RunLimits,
    now: u64,
) -> Next {
    let live = |i: usize| !state.given_up.get(i).copied().unwrap_or(false);
    let jobs = &journal.jobs;
    if let Some(i) = (0..jobs.len()).find(|&i| live(i) && jobs[i].state == JobState::Creating) {
        return Next::Act(Action::Resolve(i));
    }
    if let Some(i) = (0..jobs.len()).find(|&i| live(i) && jobs[i].state == JobState::Succeeded) {
        return Next::Act(Action::Download(i));
    }
    let mut wake: Option<u64> = None;
    let mut wake_at = |t: u64| wake = Some(wake.map_or(t, |w| w.min(t)));
    for i in (0..jobs.len()).filter(|&i| live(i) && jobs[i].state == JobState::Running) {
        match state.poll_due.get(i).copied().flatten() {
            Some(t) if t > now => wake_at(t),
            _ => return Next::Act(Action::Poll(i)),
        }
    }
    if state.stop_creating.is_none() {
        let unfinished = jobs.iter().filter(|r| r.state.holds_slot()).count();
        let ready = (0..jobs.len()).find(|&i| {
            live(i)
                && jobs[i].state == JobState::Pending
                && plan.jobs[i].continues.is_none_or(|p| {
                    matches!(jobs[p].state, JobState::Succeeded | JobState::Downloaded)
                })
        });
        if let (Some(i), true) = (ready, unfinished < limits.concurrency.max(1)) {
            let recent = journal.creates_in_last_minute(now);
            match journal.no_create_before {
                Some(t) if t > now => wake_at(t),
                _ if recent >= limits.rate_per_minute.max(1) => {
                    let oldest = journal
                        .creates
                        .iter()
                        .filter(|&&t| t + 60_000 > now)
                        .min()
                        .copied()
                        .unwrap_or(now);
                    wake_at(oldest + 60_000);
                }
                _ => return Next::Act(Action::Create(i)),
            }
        }
    }
    match wake {
        Some(t) => Next::WaitUntil(t),
        None => Next::Finished,
    }
}
