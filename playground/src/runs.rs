//! Films, batches and variations as the page runs them: what is kept in IndexedDB so a
//! reload resumes ([`SavedRun`]), the request list a pasted batch makes, each job's line
//! in words, what Cancel does to the journal, and what the spend guard asks about. The
//! engine itself is the core's (`seedance::jobs`); `jobrun` drives it in the browser.

use serde::{Deserialize, Serialize};

use seedance::jobs::{
    Batch, Film, JobFailure, JobPlan, JobRecord, JobState, Journal, ReconcileOptions, RunLimits,
};
use seedance::{CreateTaskRequest, Estimate, Resolution, TaskStatus};

use crate::form::Form;
use crate::storyboard::Storyboard;

/// What a run was made from, kept to resume it after a reload.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RunSource {
    /// A film, and the storyboard it was made from.
    Film {
        /// The film as run.
        film: Film,
        /// The shots as edited (ids, picked images).
        board: Storyboard,
    },
    /// A pasted batch.
    Batch {
        /// The requests.
        batch: Batch,
    },
    /// Variations of the form.
    Variations {
        /// The requests (one per seed).
        batch: Batch,
    },
}

impl RunSource {
    /// The journal's `kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            RunSource::Film { .. } => "film",
            RunSource::Batch { .. } => "batch",
            RunSource::Variations { .. } => "variations",
        }
    }

    /// The jobs. Every shot of a film returns its last frame here (the core asks only for
    /// those another shot continues from): the view shows each shot's as a thumbnail, and
    /// a frame costs no tokens.
    pub fn plan(&self) -> JobPlan {
        match self {
            RunSource::Film { film, .. } => {
                let mut plan = film.plan();
                for job in &mut plan.jobs {
                    job.request.return_last_frame = Some(true);
                }
                plan
            }
            RunSource::Batch { batch } | RunSource::Variations { batch } => batch.plan(),
        }
    }

    /// The journal for this plan: `saved` brought in line (a reload), or a new one.
    pub fn journal(&self, saved: Option<Journal>) -> Result<Journal, String> {
        Journal::reconcile(
            &self.plan(),
            saved,
            self.kind(),
            ReconcileOptions::default(),
        )
        .map_err(|e| e.to_string())
    }
}

/// The run limits: an individual account's (3 tasks at once, 180 creates a minute), or an
/// enterprise account's (10, 600).
pub fn limits(enterprise: bool) -> RunLimits {
    if enterprise {
        RunLimits::enterprise()
    } else {
        RunLimits::default()
    }
}

/// Whether a journal still has work: a job to create, to wait for or to download.
pub fn unfinished(journal: &Journal) -> bool {
    journal.jobs.iter().any(|r| {
        matches!(
            r.state,
            JobState::Pending | JobState::Creating | JobState::Running | JobState::Succeeded
        )
    })
}

/// The prompts of a pasted batch: one per line, trimmed, blank lines skipped.
pub fn prompts(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The batch a list of prompts makes: the form's settings, each line as the prompt.
pub fn batch_of(form: &Form, text: &str) -> Batch {
    Batch::new(prompts(text).into_iter().map(|p| {
        let mut f = form.clone();
        f.prompt = p;
        f.build().0
    }))
}

/// The form's request for variations: its own seed left out (each variation draws one),
/// and its last frame always returned (to continue from the one kept).
pub fn variation_request(form: &Form) -> CreateTaskRequest {
    let mut f = form.clone();
    f.seed = String::new();
    f.build().0.with_last_frame(true)
}

/// A job's line in words: what it waits for, its task's status, or how it ended.
pub fn label(rec: &JobRecord) -> String {
    match rec.state {
        JobState::Pending => "waiting".into(),
        JobState::Creating => "creating".into(),
        JobState::Unknown => "outcome unknown".into(),
        JobState::Running => rec
            .status
            .as_ref()
            .map_or("created".into(), |s| s.as_str().to_owned()),
        JobState::Succeeded => "downloading".into(),
        JobState::Downloaded => "done".into(),
        JobState::Failed if is_cancelled(rec) => "cancelled".into(),
        JobState::Failed => "failed".into(),
        JobState::Blocked => "blocked".into(),
    }
}

/// A job's key in words: `jobs[0]` → "job 1", `shots[2]` → "shot 3", a name as it is.
pub fn key_words(key: &str) -> String {
    for (prefix, word) in [("jobs[", "job"), ("shots[", "shot")] {
        if let Some(n) = key
            .strip_prefix(prefix)
            .and_then(|r| r.strip_suffix(']'))
            .and_then(|n| n.parse::<usize>().ok())
        {
            return format!("{word} {}", n + 1);
        }
    }
    key.to_owned()
}

/// The code a cancelled job is written with.
pub const CANCELLED: &str = "Cancelled";

fn is_cancelled(rec: &JobRecord) -> bool {
    rec.error.as_ref().is_some_and(|e| e.code == CANCELLED)
}

/// What Cancel does: which tasks to DELETE (queued: free) and which are running (they
/// finish and are billed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CancelPlan {
    /// Queued tasks: (job, task id).
    pub delete: Vec<(usize, String)>,
    /// Running tasks' jobs, in words ("job 1", "shot 2").
    pub running: Vec<String>,
}

/// The tasks of a journal Cancel deletes or names.
pub fn cancel_plan(journal: &Journal) -> CancelPlan {
    let mut plan = CancelPlan::default();
    for (i, r) in journal.jobs.iter().enumerate() {
        if r.state != JobState::Running {
            continue;
        }
        match (&r.task_id, &r.status) {
            (Some(id), None | Some(TaskStatus::Queued)) => plan.delete.push((i, id.clone())),
            _ => plan.running.push(key_words(&r.key)),
        }
    }
    plan
}

/// Stop creating for good: every job not sent yet is written cancelled (a reload does not
/// create it either).
pub fn cancel_pending(journal: &mut Journal, now: u64) {
    for r in &mut journal.jobs {
        if matches!(r.state, JobState::Pending | JobState::Blocked) {
            cancel(r, "not created: the run was cancelled", now);
        }
    }
}

/// Job `i`'s queued task was deleted.
pub fn deleted(journal: &mut Journal, i: usize, now: u64) {
    let r = &mut journal.jobs[i];
    r.status = Some(TaskStatus::Cancelled);
    cancel(r, "cancelled while queued: nothing is billed", now);
}

fn cancel(r: &mut JobRecord, message: &str, now: u64) {
    r.state = JobState::Failed;
    r.finished_at.get_or_insert(now);
    r.error = Some(JobFailure {
        code: CANCELLED.to_owned(),
        message: message.to_owned(),
    });
}

/// Why a run needs a confirmation, like a single task's (see [`crate::guard`]): the
/// session budget against the run's worst case, 1080p, and tasks longer than 10 s.
pub fn needs_asking(
    guard: &crate::guard::Guard,
    estimate: &Estimate,
    plan: &JobPlan,
) -> Vec<String> {
    let p1080 = plan
        .jobs
        .iter()
        .any(|j| j.request.resolution == Some(Resolution::P1080));
    let longest = plan
        .jobs
        .iter()
        .map(|j| seedance::estimate(&j.request, None).seconds_max)
        .max()
        .unwrap_or(0);
    guard.reasons_for(estimate.tokens_max, p1080, longest)
}

/// The form's settings a run uses, in words: "2.0 fast · 720p · 16:9 · sound on".
pub fn settings_summary(form: &Form) -> String {
    let mut parts = vec![
        crate::words::model_label(&form.model),
        form.resolution.to_string(),
        form.ratio.to_string(),
        if form.audio { "sound on" } else { "sound off" }.to_owned(),
    ];
    if let Ok(seed) = form.seed.trim().parse::<i64>() {
        parts.push(format!("seed {seed}"));
    }
    parts.join(" · ")
}
