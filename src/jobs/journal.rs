//! The journal: what a run has done, written before and after every step, so that a crash,
//! a `kill -9` or a closed tab loses nothing and a rerun resumes without creating a job
//! twice.
//!
//! A job is written `creating` before its POST and gets its task id the moment the answer
//! arrives; a job found `creating` by a later run is looked up through the list route,
//! never created blindly again. Plain serde JSON; each face keeps it where it lives (a file,
//! IndexedDB, an object the JS caller holds).

use serde::{Deserialize, Serialize};

use super::plan::JobPlan;
use crate::types::{Task, TaskStatus};

/// The journal format's version.
pub const JOURNAL_VERSION: u32 = 1;

/// Where a job stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Nothing sent yet.
    Pending,
    /// Written just before the POST: the task may exist although its id is not known.
    Creating,
    /// The create's outcome is unknown and the list route did not find the task.
    Unknown,
    /// Created; not final yet (`queued`, `running` or a status this client doesn't know).
    Running,
    /// Succeeded; its result is not kept yet.
    Succeeded,
    /// Succeeded and its result is kept (see [`JobRecord::file`]).
    Downloaded,
    /// Ended without a video (`failed`, `expired`, `cancelled`), or the create was refused.
    Failed,
    /// Not created because the job it continues from did not succeed.
    Blocked,
}

impl JobState {
    /// Whether the job holds one of the account's concurrent task slots (from create to a
    /// final status).
    pub fn holds_slot(self) -> bool {
        matches!(self, JobState::Creating | JobState::Running)
    }
}

/// Why a job failed: the task's error, or the create's refusal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobFailure {
    /// A machine-readable code (`OutputVideoSensitiveContentDetected`, `InvalidParameter`, …).
    #[serde(default)]
    pub code: String,
    /// What happened, for people.
    #[serde(default)]
    pub message: String,
}

/// One job's line in the journal. Times are Unix milliseconds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobRecord {
    /// The job's key (`shots[2]`, `jobs[7]`, a batch line's name).
    pub key: String,
    /// The job's [`fingerprint`](super::Job::fingerprint) when it was created: an edited
    /// job gets a new task on the next run.
    #[serde(default)]
    pub fingerprint: String,
    /// Where it stands.
    pub state: JobState,
    /// The task, once the server gave its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    /// The task's last status as seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<TaskStatus>,
    /// For a continued job: the task whose last frame it started from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_task: Option<String>,
    /// When the POST was about to be sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creating_at: Option<u64>,
    /// When the task's id arrived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<u64>,
    /// When a final status was seen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<u64>,
    /// Tokens billed (succeeded tasks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<u64>,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<JobFailure>,
    /// Where the face keeps the downloaded video (a path, an IndexedDB key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Where the face keeps the downloaded last frame, when the task returned one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frame_file: Option<String>,
}

impl JobRecord {
    /// A job with nothing sent.
    pub fn pending(key: impl Into<String>, fingerprint: impl Into<String>) -> Self {
        JobRecord {
            key: key.into(),
            fingerprint: fingerprint.into(),
            state: JobState::Pending,
            task_id: None,
            status: None,
            from_task: None,
            creating_at: None,
            created_at: None,
            finished_at: None,
            tokens: None,
            error: None,
            file: None,
            frame_file: None,
        }
    }
}

/// A run's journal: one record per job, plus the create-rate state.
///
/// ```
/// use seedance::jobs::{Batch, Journal, ReconcileOptions};
/// use seedance::{CreateTaskRequest, Model};
/// let plan = Batch::new([CreateTaskRequest::text_to_video(Model::Fast, "rain")]).plan();
/// let journal = Journal::reconcile(&plan, None, "batch", ReconcileOptions::default()).unwrap();
/// let text = serde_json::to_string(&journal).unwrap();
/// assert_eq!(serde_json::from_str::<Journal>(&text).unwrap(), journal);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Journal {
    /// [`JOURNAL_VERSION`].
    pub version: u32,
    /// What runs it: `film`, `batch`, `variations`.
    pub kind: String,
    /// One record per job, in plan order.
    pub jobs: Vec<JobRecord>,
    /// When this run's recent POSTs were sent (the last minute's, for the create rate).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub creates: Vec<u64>,
    /// No create before this time: the server's `Retry-After` after a 429.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_create_before: Option<u64>,
}

/// What a rerun does with jobs an earlier run left failed or unknown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReconcileOptions {
    /// Create failed jobs again although their request is unchanged.
    pub retry_failed: bool,
    /// Create again the jobs whose create's outcome stayed unknown (the earlier create may
    /// have made a task that is billed: only when the caller has checked it did not).
    pub recreate_unknown: bool,
}

/// Why a journal can't be used for a plan.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum JournalError {
    /// The journal was written by another kind of run or a newer format.
    #[error("the journal is for a {found} (format {version}), not a {expected}: use another journal file")]
    Mismatch {
        /// What the journal says.
        found: String,
        /// Its format version.
        version: u32,
        /// What this run is.
        expected: String,
    },
    /// A job was edited while its task is still unfinished.
    #[error("{key} was edited while its task {task_id} is unfinished: rerun with the old request to wait for it, or cancel the task first")]
    EditedWhileRunning {
        /// The job.
        key: String,
        /// Its task.
        task_id: String,
    },
}

impl Journal {
    /// The journal for `plan`: a new one, or `existing` brought in line with the plan.
    ///
    /// Jobs are matched by key. A job whose request changed gets a new task (an error if
    /// its old task is unfinished); so does a continued job whose predecessor's task
    /// changed; failed jobs only with [`ReconcileOptions::retry_failed`]; jobs left
    /// `creating` are looked up again; blocked jobs are reconsidered.
    pub fn reconcile(
        plan: &JobPlan,
        existing: Option<Journal>,
        kind: &str,
        options: ReconcileOptions,
    ) -> Result<Journal, JournalError> {
        let (mut old, creates, no_create_before) = match existing {
            None => (Vec::new(), Vec::new(), None),
            Some(j) if j.kind == kind && j.version <= JOURNAL_VERSION => {
                (j.jobs, j.creates, j.no_create_before)
            }
            Some(j) => {
                return Err(JournalError::Mismatch {
                    found: j.kind,
                    version: j.version,
                    expected: kind.to_owned(),
                })
            }
        };
        let mut jobs: Vec<JobRecord> = Vec::with_capacity(plan.jobs.len());
        for job in &plan.jobs {
            let fingerprint = job.fingerprint();
            let prev = old
                .iter()
                .position(|r| r.key == job.key)
                .map(|i| old.swap_remove(i));
            let mut rec = match prev {
                None => JobRecord::pending(&job.key, &fingerprint),
                Some(r) => r,
            };
            let predecessor_task = job.continues.and_then(|p| jobs.get(p)?.task_id.clone());
            let stale_source = job.continues.is_some()
                && rec.task_id.is_some()
                && rec.from_task != predecessor_task;
            if rec.fingerprint != fingerprint || stale_source {
                if rec.state.holds_slot() {
                    if let Some(task_id) = &rec.task_id {
                        return Err(JournalError::EditedWhileRunning {
                            key: job.key.clone(),
                            task_id: task_id.clone(),
                        });
                    }
                }
                if rec.state != JobState::Creating {
                    rec = JobRecord::pending(&job.key, &fingerprint);
                }
            }
            match rec.state {
                JobState::Failed if options.retry_failed => {
                    rec = JobRecord::pending(&job.key, &fingerprint)
                }
                JobState::Unknown if options.recreate_unknown => {
                    rec = JobRecord::pending(&job.key, &fingerprint)
                }
                // Look again: the list may know the task by now.
                JobState::Unknown => rec.state = JobState::Creating,
                JobState::Blocked => rec.state = JobState::Pending,
                _ => {}
            }
            jobs.push(rec);
        }
        Ok(Journal {
            version: JOURNAL_VERSION,
            kind: kind.to_owned(),
            jobs,
            creates,
            no_create_before,
        })
    }

    /// Mark pending jobs whose predecessor can no longer give them a frame as blocked.
    pub fn settle(&mut self, plan: &JobPlan) {
        for (i, job) in plan.jobs.iter().enumerate() {
            let Some(p) = job.continues else { continue };
            let dead = matches!(
                self.jobs[p].state,
                JobState::Failed | JobState::Blocked | JobState::Unknown
            );
            if dead && self.jobs[i].state == JobState::Pending {
                self.jobs[i].state = JobState::Blocked;
            }
        }
    }

    /// Record that job `i`'s POST is about to go (write the journal before sending).
    pub fn begin_create(&mut self, i: usize, from_task: Option<String>, now: u64) {
        let rec = &mut self.jobs[i];
        rec.state = JobState::Creating;
        rec.from_task = from_task;
        rec.creating_at = Some(now);
        rec.error = None;
        self.creates.retain(|&t| t + 60_000 > now);
        self.creates.push(now);
    }

    /// Record the task the server made for job `i`.
    pub fn created(&mut self, i: usize, task_id: &str, now: u64) {
        let rec = &mut self.jobs[i];
        rec.state = JobState::Running;
        rec.task_id = Some(task_id.to_owned());
        rec.status = Some(TaskStatus::Queued);
        rec.created_at = Some(now);
    }

    /// Record a create that certainly made no task: back to pending (to try again later).
    pub fn not_created(&mut self, i: usize) {
        let rec = &mut self.jobs[i];
        rec.state = JobState::Pending;
        rec.creating_at = None;
    }

    /// Record a create the server refused for good (no task was made).
    pub fn refused(&mut self, i: usize, code: &str, message: &str, now: u64) {
        let rec = &mut self.jobs[i];
        rec.state = JobState::Failed;
        rec.finished_at = Some(now);
        rec.error = Some(JobFailure {
            code: code.to_owned(),
            message: message.to_owned(),
        });
    }

    /// Record that job `i`'s create outcome is still unknown after looking for it.
    pub fn unknown(&mut self, i: usize) {
        self.jobs[i].state = JobState::Unknown;
    }

    /// Record what a GET of job `i`'s task said.
    pub fn observed(&mut self, i: usize, task: &Task, now: u64) {
        let rec = &mut self.jobs[i];
        if rec.task_id.is_none() {
            rec.task_id = Some(task.id.clone());
            rec.created_at = Some(now);
        }
        rec.status = Some(task.status.clone());
        match task.status {
            TaskStatus::Succeeded => {
                rec.state = JobState::Succeeded;
                rec.tokens = task.billed_tokens();
                rec.finished_at.get_or_insert(now);
            }
            TaskStatus::Failed | TaskStatus::Expired | TaskStatus::Cancelled => {
                rec.state = JobState::Failed;
                rec.finished_at.get_or_insert(now);
                let (code, message) = match &task.error {
                    Some(e) => (e.code.clone(), e.message.clone()),
                    None => (String::new(), format!("the task ended {}", task.status)),
                };
                rec.error = Some(JobFailure {
                    code: if code.is_empty() {
                        task.status.as_str().to_owned()
                    } else {
                        code
                    },
                    message,
                });
            }
            _ => rec.state = JobState::Running,
        }
    }

    /// Record that job `i`'s result is kept at `file` (and its last frame at `frame_file`).
    pub fn downloaded(&mut self, i: usize, file: String, frame_file: Option<String>) {
        let rec = &mut self.jobs[i];
        rec.state = JobState::Downloaded;
        rec.file = Some(file);
        rec.frame_file = frame_file;
    }

    /// Tokens billed so far (succeeded tasks).
    pub fn spent(&self) -> u64 {
        self.jobs.iter().filter_map(|r| r.tokens).sum()
    }

    /// Creates sent in the minute before `now`.
    pub fn creates_in_last_minute(&self, now: u64) -> usize {
        self.creates.iter().filter(|&&t| t + 60_000 > now).count()
    }

    /// How many jobs are in `state`.
    pub fn count(&self, state: JobState) -> usize {
        self.jobs.iter().filter(|r| r.state == state).count()
    }
}
