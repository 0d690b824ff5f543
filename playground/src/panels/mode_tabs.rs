//! The mode tabs: text, first frame, first + last frame, reference.

use leptos::prelude::*;

use crate::form::Form;
use crate::mode::{self, MODES};

/// The mode tabs.
#[component]
pub fn ModeTabs(form: RwSignal<Form>) -> impl IntoView {
    view! {
        <div class="tabs" role="tablist" aria-label="Mode">
            {MODES
                .into_iter()
                .map(|m| {
                    view! {
                        <button
                            type="button"
                            role="tab"
                            id=format!("tab-{}", mode::key(m))
                            aria-selected=move || form.with(|f| f.mode == m).to_string()
                            on:click=move |_| form.update(|f| f.mode = m)
                        >
                            {mode::label(m)}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
