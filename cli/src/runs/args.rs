//! The options of a run of many tasks: the account's limits, the token cap, what a rerun
//! does with failed and unknown jobs (`RunArgs`, also on `generate --variations`), and the
//! flags `batch` and `film` add (`RunFlags`).

use std::time::Duration;

use clap::Args;
use seedance::jobs::{ReconcileOptions, RunLimits};

use crate::values::{self, Check};

/// How a run keeps to the account's limits and the budget.
#[derive(Args, Clone, Debug, Default)]
#[command(next_help_heading = "Run options")]
pub struct RunArgs {
    /// tasks of this run between create and a final status at once, queued ones included
    /// [default: 3, the limit of individual accounts; enterprise accounts have 10]
    #[arg(
        verbatim_doc_comment,
        long,
        value_name = "N",
        value_parser = Check(|v: &str, f: &str| values::count(v, f, 1, 100))
    )]
    pub concurrency: Option<usize>,
    /// creates per minute at most [default: 180; enterprise accounts have 600]
    #[arg(
        long,
        value_name = "N",
        value_parser = Check(|v: &str, f: &str| values::count(v, f, 1, 10_000))
    )]
    pub rate: Option<usize>,
    /// refuse to start (nothing is sent) when the tokens already billed plus the worst case
    /// of what remains pass N
    #[arg(
        verbatim_doc_comment,
        long,
        value_name = "N",
        value_parser = Check(values::number::<u64>)
    )]
    pub max_tokens: Option<u64>,
    /// create jobs that failed (or were cancelled) again, their request unchanged
    #[arg(long)]
    pub retry_failed: bool,
    /// create again jobs whose create's outcome stayed unknown (look with `seedance list`
    /// first: the lost create may have made a billed task)
    #[arg(verbatim_doc_comment, long)]
    pub recreate_unknown: bool,
}

impl RunArgs {
    /// Whether any of these options was given (they need a run to apply to).
    pub fn any(&self) -> bool {
        self.concurrency.is_some()
            || self.rate.is_some()
            || self.max_tokens.is_some()
            || self.retry_failed
            || self.recreate_unknown
    }

    pub fn limits(&self) -> RunLimits {
        let default = RunLimits::default();
        RunLimits {
            concurrency: self.concurrency.unwrap_or(default.concurrency),
            rate_per_minute: self.rate.unwrap_or(default.rate_per_minute),
        }
    }

    pub fn reconcile(&self) -> ReconcileOptions {
        ReconcileOptions {
            retry_failed: self.retry_failed,
            recreate_unknown: self.recreate_unknown,
        }
    }
}

/// What `batch` and `film` take besides the run options (`generate` has its own).
#[derive(Args, Clone, Debug, Default)]
#[command(next_help_heading = "Run options")]
pub struct RunFlags {
    /// create without asking
    #[arg(short, long)]
    pub yes: bool,
    /// print a JSON summary on stdout at the end (every job: key, name, task_id, state,
    /// file, error)
    #[arg(verbatim_doc_comment, long)]
    pub json: bool,
    /// poll each task at this fixed interval instead of the fitted schedule
    #[arg(
        long,
        value_name = "SECS",
        value_parser = Check(|v: &str, f: &str| values::seconds(v, f, 0.1))
    )]
    pub poll_interval: Option<Duration>,
    /// cancel the queued tasks the journal holds (not billed) and name the running ones
    /// (they can't be cancelled: they finish and are billed); creates nothing
    #[arg(verbatim_doc_comment, long)]
    pub cancel: bool,
}
