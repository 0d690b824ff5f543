//! Many tasks as one run: films (shots chained by their last frame), batches and variations.
//!
//! A plan ([`Film`], [`Batch`]) becomes a [`JobPlan`]; [`next_step`] decides, from the
//! [`Journal`] and the clock, what to do next within the account's [`RunLimits`];
//! [`run_jobs`] does it through a [`JobApi`] (the `Client`) and keeps the journal through a
//! [`JobStore`] (a file, IndexedDB, a JS object), so a crash loses nothing and a rerun never
//! creates a job twice. [`check_budget`] refuses a run whose worst case passes a token cap.
//!
//! ```
//! use seedance::jobs::{check_budget, Batch, Journal, ReconcileOptions};
//! use seedance::{CreateTaskRequest, Model, Ratio, Resolution};
//! let req = CreateTaskRequest::text_to_video(Model::Fast, "a kite over dunes")
//!     .with_resolution(Resolution::P720).with_ratio(Ratio::R16x9).with_duration(5);
//! let plan = Batch::variations(&req, 3, 42).plan();
//! let journal = Journal::reconcile(&plan, None, "variations", ReconcileOptions::default()).unwrap();
//! assert!(check_budget(&plan, &journal, Some(400_000)).is_ok());
//! let err = check_budget(&plan, &journal, Some(300_000)).unwrap_err();
//! assert_eq!(err.worst_case, 326_700);
//! ```

mod batch;
mod budget;
pub(crate) mod codec;
mod engine;
mod film;
mod io;
mod journal;
mod lookup;
mod plan;
mod report;
mod runner;

pub use batch::{Batch, BatchJob};
pub use budget::{check_budget, BudgetError};
pub use engine::{next_step, Action, Next, RunLimits, RunState};
pub use film::{Film, Shot};
pub use io::{JobApi, JobStore};
pub use journal::{
    JobFailure, JobRecord, JobState, Journal, JournalError, ReconcileOptions, JOURNAL_VERSION,
};
pub use plan::{sum_estimates, Job, JobPlan};
pub use report::{RunEvent, RunOptions, RunReport};
pub use runner::{run_jobs, MAX_RETRY_AFTER};
