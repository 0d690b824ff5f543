//! The spend guard: a token budget for this session, and the thresholds above which a
//! create asks first (1080p, long tasks).

use seedance::numfmt::group;
use seedance::Resolution;

use crate::check::Checked;

/// The spend guard's settings: a token budget for this session and the thresholds above
/// which a create asks first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Guard {
    /// Tokens this session may spend (empty = no budget).
    pub budget: String,
    /// Tokens asked for so far this session (the most each create could cost).
    pub spent: u64,
}

/// Longer tasks than this ask first (seconds).
pub const LONG_TASK_SECS: u32 = 10;

impl Guard {
    /// Why this request needs a confirmation, if it does.
    pub fn reasons(&self, checked: &Checked) -> Vec<String> {
        let e = &checked.estimate;
        let p1080 = checked.request.resolution == Some(Resolution::P1080);
        self.reasons_for(e.tokens_max, p1080, e.seconds_max)
    }

    /// Why a create (or a run of many) costing up to `tokens_max`, at 1080p or not, whose
    /// longest task may run `seconds_max`, needs a confirmation.
    pub fn reasons_for(&self, tokens_max: u64, p1080: bool, seconds_max: u32) -> Vec<String> {
        let mut why = Vec::new();
        if let Ok(budget) = self.budget.trim().replace(',', "").parse::<u64>() {
            if self.spent + tokens_max > budget {
                why.push(format!(
                    "it may pass your session budget: {} spent + up to {} > {}",
                    group(self.spent),
                    group(tokens_max),
                    group(budget)
                ));
            }
        }
        if p1080 {
            why.push("it is 1080p (the most expensive tier)".into());
        }
        if seconds_max > LONG_TASK_SECS {
            why.push(format!(
                "it may run up to {seconds_max} s (longer than {LONG_TASK_SECS} s)"
            ));
        }
        why
    }
}
