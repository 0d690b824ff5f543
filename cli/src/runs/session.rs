//! One run, from its journal to its end: take the lock, read the journal and bring it in
//! line with the plan, check the budget, print the estimate, confirm, run.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::Rc;
use std::time::Duration;

use seedance::jobs::{check_budget, JobPlan, JobState, Journal, RunOptions};
use seedance::numfmt::group;
use seedance::{Client, CostModel};

use super::args::RunArgs;
use super::drive::{drive, Ended};
use super::lock::Lock;
use super::show::Show;
use super::store::FileStore;
use crate::cost::{self, PriceArgs};
use crate::failure::Failure;
use crate::fmt::money;

/// What a command hands over: the plan and how its jobs are named and kept.
pub struct Spec {
    /// The journal's kind: `batch`, `film`, `variations`.
    pub kind: &'static str,
    /// What a job is called, singular and plural: `("shot", "shots")`.
    pub noun: (&'static str, &'static str),
    pub plan: JobPlan,
    /// Per job, for people: `jobs[4] (line 5)`, `shots[1]`.
    pub labels: Vec<String>,
    /// Per job, its name in the `--json` summary.
    pub names: Vec<Option<String>>,
    /// Per job, the start of its result's file name (`3`, `fox`, `shots-0`).
    pub stems: Vec<String>,
    pub journal: PathBuf,
    /// The directory the results go to.
    pub results: PathBuf,
}

impl Spec {
    /// `12 jobs`, `1 shot`.
    pub fn count(&self, n: usize) -> String {
        format!("{n} {}", if n == 1 { self.noun.0 } else { self.noun.1 })
    }
}

/// A run with its journal, locked for this process.
pub struct Session {
    pub spec: Spec,
    pub journal: Journal,
    pub store: FileStore,
    /// The journal existed before this run.
    pub resumed: bool,
    _lock: Lock,
}

impl Session {
    /// Lock the journal and read it; `reconcile` brings it in line with the plan (a run),
    /// `None` keeps it as it is (`--cancel`). Exit 2 when the journal is locked, unreadable
    /// or belongs to another plan.
    pub fn open(spec: Spec, run: Option<&RunArgs>) -> Result<Session, Failure> {
        if run.is_none() && !spec.journal.is_file() {
            return Err(Failure::usage(format!(
                "no journal at {}: this run has created nothing",
                spec.journal.display()
            )));
        }
        std::fs::create_dir_all(&spec.results)
            .map_err(|e| Failure::usage(format!("can't create {}: {e}", spec.results.display())))?;
        let lock = Lock::take(&spec.journal)?;
        let stems: HashMap<String, String> = spec
            .plan
            .jobs
            .iter()
            .zip(&spec.stems)
            .map(|(j, s)| (j.key.clone(), s.clone()))
            .collect();
        let store = FileStore::new(spec.journal.clone(), spec.results.clone(), stems);
        let existing = store.load()?;
        let resumed = existing.is_some();
        let journal = match (run, existing) {
            (None, Some(journal)) => journal,
            (None, None) => {
                return Err(Failure::usage(format!(
                    "{} went away while it was being read",
                    spec.journal.display()
                )))
            }
            (Some(run), existing) => {
                let dropped = forgotten(&spec.plan, existing.as_ref());
                let mut journal =
                    Journal::reconcile(&spec.plan, existing, spec.kind, run.reconcile()).map_err(
                        |e| {
                            Failure::usage(format!("{}: {e}", spec.journal.display()))
                                .hint("nothing was sent")
                        },
                    )?;
                for (key, task) in dropped {
                    eprintln!(
                        "warning: {key} (task {task}) is no longer in the plan; the journal forgets it"
                    );
                }
                // A result deleted since: download it again.
                for rec in &mut journal.jobs {
                    let kept = rec
                        .file
                        .as_ref()
                        .is_some_and(|f| store.resolve(f).is_file());
                    if rec.state == JobState::Downloaded && !kept {
                        rec.state = JobState::Succeeded;
                        rec.file = None;
                    }
                }
                journal
            }
        };
        Ok(Session {
            spec,
            journal,
            store,
            resumed,
            _lock: lock,
        })
    }

    /// Jobs still to create.
    pub fn to_create(&self) -> usize {
        self.journal
            .jobs
            .iter()
            .filter(|r| matches!(r.state, JobState::Pending | JobState::Blocked))
            .count()
    }

    /// Refuse (exit 2, nothing sent) when spent plus the worst case passes `--max-tokens`.
    pub fn check_budget(&self, max_tokens: Option<u64>) -> Result<(), Failure> {
        check_budget(&self.spec.plan, &self.journal, max_tokens)
            .map_err(|e| Failure::usage(e.to_string()))
    }

    /// The most the jobs not yet done can be billed (running ones included).
    fn remaining_max(&self) -> u64 {
        let costs = CostModel::default();
        self.spec
            .plan
            .jobs
            .iter()
            .zip(&self.journal.jobs)
            .filter(|(_, r)| {
                !matches!(
                    r.state,
                    JobState::Succeeded | JobState::Downloaded | JobState::Failed
                )
            })
            .map(|(j, _)| costs.estimate(&j.request, None).tokens_max)
            .sum()
    }

    /// Print where a resumed run stands, the estimate and the worst case (stderr).
    pub fn print_estimate(&self, price: &PriceArgs) {
        let j = &self.journal;
        if self.resumed {
            let n = |s: JobState| j.count(s);
            // A create in flight when the run stopped, or whose outcome was unknown: this
            // run looks for its task among the recent ones before anything else.
            let lost = n(JobState::Creating) + n(JobState::Unknown);
            eprintln!(
                "resuming {}: {} done, {} running, {} failed, {}{} to create",
                self.spec.journal.display(),
                n(JobState::Downloaded),
                n(JobState::Running) + n(JobState::Succeeded),
                n(JobState::Failed),
                if lost > 0 {
                    format!("{lost} to look for, ")
                } else {
                    String::new()
                },
                self.to_create()
            );
        }
        let table = cost::price_table(price);
        let est = self.spec.plan.estimate(table.as_ref());
        let range = |a: u64, b: u64, unit: &str| {
            if a == b {
                format!("{} {unit}", group(b))
            } else {
                format!("{} to {} {unit}", group(a), group(b))
            }
        };
        eprintln!(
            "estimate: {}, {} of video, {}",
            self.spec.count(j.jobs.len()),
            range(u64::from(est.seconds_min), u64::from(est.seconds_max), "s"),
            range(est.tokens_min, est.tokens_max, "tokens")
        );
        let (spent, remaining) = (j.spent(), self.remaining_max());
        let worst = spent + remaining;
        if spent > 0 {
            eprintln!(
                "worst case: {} tokens ({} already billed + at most {} for what remains)",
                group(worst),
                group(spent),
                group(remaining)
            );
        } else {
            eprintln!("worst case: {} tokens", group(worst));
        }
        if let (Some(p), Some(per)) = (&est.price, price.per_million) {
            let cur = &p.currency;
            eprintln!(
                "cost: about {} {cur}, at most {} {cur} for this run (at {per} {cur} per million tokens; only succeeded tasks are billed)",
                money(p.max),
                money(worst as f64 * per / 1_000_000.0)
            );
        }
    }

    /// Ask before creating (unless `--yes`); nothing to ask when nothing is to be created.
    pub fn confirm(&self, yes: bool, command: &str) -> Result<(), Failure> {
        let n = self.to_create();
        if n == 0 {
            return Ok(());
        }
        let tasks = if n == 1 { "task" } else { "tasks" };
        cost::confirm(
            yes,
            &format!("{command} creates {n} billed {tasks}"),
            &format!("create {n} {tasks}?"),
        )
    }

    /// Run to the end, or until Ctrl-C; progress on stderr.
    pub async fn run(&mut self, client: &Client, run: &RunArgs, every: Option<Duration>) -> Ended {
        let base = self.store.base().to_path_buf();
        let show = Rc::new(RefCell::new(Show::new(
            self.spec.labels.clone(),
            base,
            &self.journal,
        )));
        let counts = show.clone();
        self.store.on_save(move |j| counts.borrow_mut().counts(j));
        let options = RunOptions {
            limits: run.limits(),
            poll: client.poll_policy().clone(),
            fixed_interval: every,
        };
        show.borrow_mut().say(&format!(
            "running {} on {} (journal {})",
            self.spec.count(self.journal.jobs.len()),
            client.base_url(),
            self.spec.journal.display()
        ));
        let ended = drive(
            &self.spec.plan,
            &mut self.journal,
            client,
            &mut self.store,
            &options,
            &mut |e| show.borrow_mut().event(e),
            &mut || {
                show.borrow_mut().say(
                    "interrupted: creating and waiting stop (a create already sent gets its answer first; Ctrl-C again stops at once)",
                )
            },
        )
        .await;
        show.borrow_mut().finish();
        self.store.on_save(|_| {});
        ended
    }

    /// Whether every job's result is kept.
    pub fn all_done(&self) -> bool {
        self.journal
            .jobs
            .iter()
            .all(|r| r.state == JobState::Downloaded)
    }

    /// Per job, its result's path from here, once kept.
    pub fn files(&self) -> Vec<Option<PathBuf>> {
        self.journal
            .jobs
            .iter()
            .map(|r| r.file.as_ref().map(|f| self.store.resolve(f)))
            .collect()
    }
}

/// Records of `existing` whose key the plan no longer has, with their task.
fn forgotten(plan: &JobPlan, existing: Option<&Journal>) -> Vec<(String, String)> {
    let Some(journal) = existing else {
        return Vec::new();
    };
    journal
        .jobs
        .iter()
        .filter(|r| !plan.jobs.iter().any(|j| j.key == r.key))
        .filter_map(|r| Some((r.key.clone(), r.task_id.clone()?)))
        .collect()
}

/// The command line as typed, to run again: `seedance batch jobs.txt --out-dir out`.
pub fn same_command() -> String {
    let args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| crate::fmt::shell_quote(&a.to_string_lossy()))
        .collect();
    format!("seedance {}", args.join(" "))
}
