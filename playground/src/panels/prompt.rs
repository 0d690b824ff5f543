//! The prompt, with its character count and its problems.

use leptos::prelude::*;

use crate::words::count;

use crate::check::{Checked, Control};
use crate::fields::Problems;
use crate::form::Form;
use crate::mode::Mode;

/// The prompt with its character count.
#[component]
pub fn Prompt(
    form: RwSignal<Form>,
    checked: Memo<Checked>,
    attempted: RwSignal<bool>,
) -> impl IntoView {
    let count = move || {
        let n = form.with(|f| f.prompt.chars().count());
        count(n as u64, "character", "characters")
    };
    let label = move || {
        if form.with(|f| f.mode == Mode::TextToVideo) {
            "Prompt"
        } else {
            "Prompt (optional)"
        }
    };
    view! {
        <div class="field prompt">
            <label for="prompt">{label}</label>
            <textarea
                id="prompt"
                rows="4"
                aria-describedby="prompt-count prompt-problems"
                placeholder="A drone shot over an autumn valley, cinematic"
                prop:value=move || form.with(|f| f.prompt.clone())
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    form.update(|f| f.prompt = v);
                }
            ></textarea>
            <p class="note" id="prompt-count">{count}</p>
            <Problems checked control=Control::Prompt attempted id="prompt-problems" />
        </div>
    }
}
