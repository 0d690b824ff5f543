//! The session's token budget, and what has been asked for so far.

use leptos::prelude::*;

use seedance::numfmt::group;

use crate::fields::TextField;
use crate::guard::{Guard, LONG_TASK_SECS};

/// The session's token budget.
#[component]
pub fn SpendGuard(guard: RwSignal<Guard>) -> impl IntoView {
    view! {
        <div class="field guard">
            <TextField
                state=guard
                id="budget"
                label="Session token budget"
                get=|g| &g.budget
                set=|g, v| g.budget = v
                inputmode="numeric"
                placeholder="none"
                describedby="budget-note"
            />
            <p class="note" id="budget-note">
                {move || format!(
                    "Asked for so far: {} tokens. A create past the budget, at 1080p, or longer than {LONG_TASK_SECS} s asks first.",
                    group(guard.with(|g| g.spent)),
                )}
            </p>
        </div>
    }
}
