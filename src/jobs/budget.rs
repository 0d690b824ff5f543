//! The token cap: refuse to start when what the journal has spent plus the worst case of
//! what remains passes it.

use super::journal::{JobState, Journal};
use super::plan::JobPlan;
use crate::cost::estimate;
use crate::numfmt::group;

/// A run that could spend more than its cap; nothing was sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("this run could spend {} tokens ({} spent + {} at most for what remains), over the cap of {}: nothing was sent; raise --max-tokens or run fewer jobs", group(*worst_case), group(*spent), group(*remaining), group(*cap))]
pub struct BudgetError {
    /// Tokens the journal's succeeded tasks were billed.
    pub spent: u64,
    /// The most the jobs still to run (or running) can be billed.
    pub remaining: u64,
    /// `spent + remaining`.
    pub worst_case: u64,
    /// The cap.
    pub cap: u64,
}

/// `Ok` when `max_tokens` is `None` or spent-so-far plus the worst case of every job not yet
/// succeeded (running ones included; failed ones are not created again) stays within it.
pub fn check_budget(
    plan: &JobPlan,
    journal: &Journal,
    max_tokens: Option<u64>,
) -> Result<(), BudgetError> {
    let Some(cap) = max_tokens else { return Ok(()) };
    let spent = journal.spent();
    let remaining: u64 = plan
        .jobs
        .iter()
        .zip(&journal.jobs)
        .filter(|(_, r)| {
            !matches!(
                r.state,
                JobState::Succeeded | JobState::Downloaded | JobState::Failed
            )
        })
        .map(|(j, _)| estimate(&j.request, None).tokens_max)
        .sum();
    let worst_case = spent + remaining;
    if worst_case > cap {
        Err(BudgetError {
            spent,
            remaining,
            worst_case,
            cap,
        })
    } else {
        Ok(())
    }
}
