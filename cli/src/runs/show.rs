//! What a run prints on stderr as it goes: one line per job event (created, a status change,
//! saved, a problem) and the overall line `3/12 done · 3 running · 1 failed`, redrawn in
//! place on a terminal and printed when it changes otherwise.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use seedance::jobs::{JobState, Journal, RunEvent};
use seedance::numfmt::group;
use seedance::TaskStatus;

use crate::fmt::span;

pub struct Show {
    tty: bool,
    drawn: bool,
    overall: String,
    /// Per job, as people read it (`jobs[4] (line 5)`, `shots[1]`, `seed-42`).
    labels: Vec<String>,
    /// Per job, the last status printed.
    statuses: Vec<Option<TaskStatus>>,
    /// Results are named relative to this directory in the journal.
    base: PathBuf,
}

impl Show {
    pub fn new(labels: Vec<String>, base: PathBuf, journal: &Journal) -> Self {
        Show {
            tty: std::io::stderr().is_terminal(),
            drawn: false,
            overall: String::new(),
            statuses: journal.jobs.iter().map(|r| r.status.clone()).collect(),
            labels,
            base,
        }
    }

    fn label(&self, job: usize) -> &str {
        self.labels.get(job).map_or("?", String::as_str)
    }

    /// Print a line, keeping the overall line below it on a terminal.
    pub fn say(&mut self, msg: &str) {
        let mut err = std::io::stderr().lock();
        if self.drawn {
            let _ = write!(err, "\r\x1b[2K");
        }
        let _ = writeln!(err, "{msg}");
        if self.tty && !self.overall.is_empty() {
            let _ = write!(err, "{}", self.overall);
            self.drawn = true;
        } else {
            self.drawn = false;
        }
        let _ = err.flush();
    }

    /// The overall line from the journal just saved.
    pub fn counts(&mut self, journal: &Journal) {
        let line = overall(journal);
        if line == self.overall {
            return;
        }
        self.overall = line;
        let mut err = std::io::stderr().lock();
        if self.tty {
            let _ = write!(err, "\r\x1b[2K{}", self.overall);
            self.drawn = true;
        } else {
            let _ = writeln!(err, "{}", self.overall);
        }
        let _ = err.flush();
    }

    /// Clear the overall line (terminal), before the final messages.
    pub fn finish(&mut self) {
        if self.drawn {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
            self.drawn = false;
        }
    }

    pub fn event(&mut self, e: &RunEvent) {
        match e {
            RunEvent::Created { job, task_id } => {
                self.statuses[*job] = Some(TaskStatus::Queued);
                let msg = format!("{}: task {task_id} created", self.label(*job));
                self.say(&msg);
            }
            RunEvent::Status { job, task } => {
                if self.statuses[*job].as_ref() == Some(&task.status) {
                    return;
                }
                self.statuses[*job] = Some(task.status.clone());
                // A task that ends without a video is told by its `Problem`.
                if task.is_terminal() && task.status != TaskStatus::Succeeded {
                    return;
                }
                let mut msg = format!("{}: {} {}", self.label(*job), task.id, task.status);
                if let Some(tokens) = task.billed_tokens() {
                    msg.push_str(&format!(" · {} tokens", group(tokens)));
                }
                self.say(&msg);
            }
            RunEvent::Downloaded { job, file } => {
                let path = super::store::resolve_in(&self.base, file);
                let msg = format!("{}: saved {}", self.label(*job), path.display());
                self.say(&msg);
            }
            RunEvent::Problem { message, .. } => self.say(&format!("problem: {message}")),
            RunEvent::StoppedCreating { reason } => {
                self.say(&format!("stopped creating: {reason}"))
            }
            RunEvent::CreateDelayed { job, wait, reason } => {
                let msg = format!(
                    "{}: not created yet ({reason}); the next create waits {}",
                    self.label(*job),
                    span(*wait)
                );
                self.say(&msg);
            }
            RunEvent::Creating { .. } | RunEvent::Waiting { .. } => {}
        }
    }
}

/// `3/12 done · 3 running · 1 failed` (blocked and unknown jobs when there are any).
pub fn overall(journal: &Journal) -> String {
    let n = |s: JobState| journal.count(s);
    // A job being created is not counted until its task exists.
    let running = n(JobState::Running) + n(JobState::Succeeded);
    let mut line = format!(
        "{}/{} done · {running} running · {} failed",
        n(JobState::Downloaded),
        journal.jobs.len(),
        n(JobState::Failed)
    );
    for (state, word) in [
        (JobState::Blocked, "blocked"),
        (JobState::Unknown, "unknown"),
    ] {
        if n(state) > 0 {
            line.push_str(&format!(" · {} {word}", n(state)));
        }
    }
    line
}
