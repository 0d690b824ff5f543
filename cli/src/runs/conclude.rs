//! How a run ends: each job that did not make it named on stderr, the results on stdout
//! (their paths, or the `--json` summary), and the exit code with what to do next.

use std::path::{Path, PathBuf};

use seedance::jobs::{JobFailure, JobState};
use seedance::numfmt::group;
use serde::Serialize;

use super::drive::Ended;
use super::session::{same_command, Session};
use crate::failure::{Failure, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_UNKNOWN};
use crate::fmt::print_json;

/// One job in the `--json` summary.
#[derive(Serialize)]
struct JobLine<'a> {
    key: &'a str,
    name: Option<&'a str>,
    task_id: Option<&'a str>,
    state: JobState,
    file: Option<PathBuf>,
    error: Option<&'a JobFailure>,
}

/// The `--json` summary.
#[derive(Serialize)]
struct Summary<'a> {
    journal: &'a Path,
    #[serde(skip_serializing_if = "Option::is_none")]
    film: Option<&'a Path>,
    exit_code: u8,
    tokens: u64,
    stopped: Option<&'a str>,
    interrupted: bool,
    jobs: Vec<JobLine<'a>>,
}

/// What a film adds: its file, and whether it was written (`None`: not tried, since not
/// every shot's clip is kept).
pub struct FilmOut<'a> {
    pub path: &'a Path,
    pub written: Option<Result<(), Failure>>,
}

impl Session {
    /// Print the end of the run and answer its exit: `Ok` when every job's result is kept
    /// (and the film, if any, written).
    pub fn conclude(
        &self,
        ended: Ended,
        json: bool,
        film: Option<FilmOut<'_>>,
    ) -> Result<(), Failure> {
        let j = &self.journal;
        let label = |i: usize| self.spec.labels[i].as_str();
        for (i, rec) in j.jobs.iter().enumerate() {
            let task = rec
                .task_id
                .as_deref()
                .map(|t| format!(", task {t}"))
                .unwrap_or_default();
            match (rec.state, &rec.error) {
                (JobState::Failed, Some(e)) => {
                    eprintln!("failed: {}{task}: {}: {}", label(i), e.code, e.message)
                }
                (JobState::Failed, None) => eprintln!("failed: {}{task}", label(i)),
                (JobState::Blocked, _) => {
                    let from = self.spec.plan.jobs[i].continues.map_or("?", label);
                    eprintln!(
                        "blocked: {}: not created, since {from} did not succeed",
                        label(i)
                    )
                }
                (JobState::Unknown, _) => eprintln!(
                    "unknown: {}: its create may or may not have made a task",
                    label(i)
                ),
                _ => {}
            }
        }
        let (failure, stopped) = self.failure(&ended);
        let mut failure = failure;
        let is_film = film.is_some();
        let mut film_written: Option<&Path> = None;
        if let Some(f) = film {
            match (failure.take(), f.written) {
                (None, Some(Ok(()))) => film_written = Some(f.path),
                (None, Some(Err(e))) => failure = Some(e),
                (earlier, _) => {
                    // Every job ended well, yet the film was not tried: say so.
                    let mut e = earlier.unwrap_or_else(|| {
                        Failure::new(EXIT_FAILED, "not every clip is kept".to_owned())
                    });
                    e.message
                        .push_str(&format!("; {} was not written", f.path.display()));
                    failure = Some(e);
                }
            }
        }
        if failure.is_none() {
            let saved = j.count(JobState::Downloaded);
            eprintln!(
                "done: {} saved in {} · {} tokens billed",
                self.spec.count(saved),
                self.spec.results.display(),
                group(j.spent())
            );
        }
        let code = failure.as_ref().map_or(0, |f| f.code);
        if json {
            let files = self.files();
            let summary = Summary {
                journal: &self.spec.journal,
                film: film_written,
                exit_code: code,
                tokens: j.spent(),
                stopped: stopped.as_deref(),
                interrupted: matches!(ended, Ended::Interrupted),
                jobs: j
                    .jobs
                    .iter()
                    .zip(files)
                    .enumerate()
                    .map(|(i, (r, file))| JobLine {
                        key: &r.key,
                        name: self.spec.names[i].as_deref(),
                        task_id: r.task_id.as_deref(),
                        state: r.state,
                        file,
                        error: r.error.as_ref(),
                    })
                    .collect(),
            };
            print_json(&summary)?;
        } else if let Some(path) = film_written {
            println!("{}", path.display());
        } else if !is_film {
            for file in self.files().into_iter().flatten() {
                println!("{}", file.display());
            }
        }
        match failure {
            Some(f) => Err(f),
            None => Ok(()),
        }
    }

    /// The failure the run ends with, if any, and why creating stopped.
    fn failure(&self, ended: &Ended) -> (Option<Failure>, Option<String>) {
        let j = &self.journal;
        let again = same_command();
        let report = match ended {
            Ended::Interrupted => {
                let live = j.jobs.iter().filter(|r| r.state.holds_slot()).count();
                let f = Failure::new(
                    EXIT_INTERRUPTED,
                    format!(
                        "interrupted: {} of this run {} on on the server; {} keeps every task",
                        self.spec.count(live),
                        if live == 1 { "goes" } else { "go" },
                        self.spec.journal.display()
                    ),
                )
                .hint(format!("resume (nothing is created twice): {again}"))
                .hint(format!("cancel the queued tasks: {again} --cancel"));
                return (Some(f), None);
            }
            Ended::Storage(e) => {
                let f = Failure::new(EXIT_FAILED, format!("{e}; the run stopped"))
                    .hint(format!("resume once it can be written: {again}"));
                return (Some(f), None);
            }
            Ended::Finished(report) => report,
        };
        let stopped = report.stopped.clone();
        let names = |state: JobState| -> Vec<&str> {
            (0..j.jobs.len())
                .filter(|&i| j.jobs[i].state == state)
                .map(|i| self.spec.labels[i].as_str())
                .collect()
        };
        let total = j.jobs.len();
        let f = match report.exit_code(j) {
            0 => return (None, stopped),
            3 => {
                let unknown = names(JobState::Unknown);
                let models: Vec<String> = (0..total)
                    .filter(|&i| j.jobs[i].state == JobState::Unknown)
                    .map(|i| self.spec.plan.jobs[i].request.model.to_string())
                    .collect();
                Failure::new(
                    EXIT_UNKNOWN,
                    format!(
                        "the outcome of {} is unknown: {}",
                        self.spec.count(unknown.len()),
                        unknown.join(", ")
                    ),
                )
                .hint(format!(
                    "look for the tasks: seedance list --model {}",
                    models.first().map_or("", String::as_str)
                ))
                .hint(format!(
                    "to create them anyway (a lost create may be billed): {again} --recreate-unknown"
                ))
            }
            _ => {
                let failed = names(JobState::Failed);
                let blocked = names(JobState::Blocked);
                let mut parts = Vec::new();
                if !failed.is_empty() {
                    parts.push(format!(
                        "{} of {total} {} failed ({})",
                        failed.len(),
                        self.spec.noun.1,
                        failed.join(", ")
                    ));
                }
                if !blocked.is_empty() {
                    parts.push(format!("{} blocked", self.spec.count(blocked.len())));
                }
                if let Some(reason) = &stopped {
                    let pending = j.count(JobState::Pending);
                    parts.push(format!(
                        "creating stopped with {} not created: {reason}",
                        self.spec.count(pending)
                    ));
                }
                if !report.given_up.is_empty() {
                    parts.push(format!(
                        "{} gave up after repeated errors",
                        self.spec.count(report.given_up.len())
                    ));
                }
                if parts.is_empty() {
                    parts.push(format!(
                        "{} of {total} {} were not saved",
                        total - j.count(JobState::Downloaded),
                        self.spec.noun.1
                    ));
                }
                let mut f = Failure::new(EXIT_FAILED, parts.join("; "));
                if stopped.is_some() || !report.given_up.is_empty() {
                    f = f.hint(format!("resume later (nothing is created twice): {again}"));
                }
                if !failed.is_empty() {
                    f = f.hint(format!(
                        "edit a failed one and rerun: only what changed is created again ({again}); or create them again as they are: {again} --retry-failed"
                    ));
                }
                f
            }
        };
        (Some(f), stopped)
    }
}
