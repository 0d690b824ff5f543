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
        let mut why = Vec::new();
        let e = &checked.estimate;
        if let Ok(budget) = self.budget.trim().replace(',', "").parse::<u64>() {
            if self.spent + e.tokens_max > budget {
                why.push(format!(
                    "it may pass your session budget: {} spent + up to {} > {}",
                    group(self.spent),
                    group(e.tokens_max),
                    group(budget)
                ));
            }
        }
        if checked.request.resolution == Some(Resolution::P1080) {
            why.push("it is 1080p (the most expensive tier)".into());
        }
        if e.seconds_max > LONG_TASK_SECS {
            why.push(format!(
                "it may run up to {} s (longer than {LONG_TASK_SECS} s)",
                e.seconds_max
            ));
        }
        why
    }
}
