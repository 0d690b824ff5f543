//! What every run of many tasks shows: its estimate, the account's limits, Run, Cancel,
//! Resume, Clear, what happened (notes), and a job's status badge.

use leptos::prelude::*;

use crate::jobrun::JobRun;
use crate::launch::resume;
use crate::runs;
use crate::shared::Shared;

/// The estimate, the limits toggle, Run / Cancel / Clear, and the run's notes.
#[component]
pub fn RunControls(
    shared: Shared,
    run: JobRun,
    #[prop(into)] label: String,
    #[prop(into)] ok: Signal<bool>,
    #[prop(into)] estimate: Signal<String>,
    on_run: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let enterprise = shared.enterprise;
    let busy = run.busy;
    view! {
        <div class="send">
            <p class="estimate" aria-live="polite">{estimate}</p>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || enterprise.get()
                    on:change=move |ev| enterprise.set(event_target_checked(&ev))
                />
                " Enterprise account (10 tasks at once instead of 3)"
            </label>
            <div class="links">
                <button
                    type="button"
                    class="primary"
                    disabled=move || busy.get() || !ok.get()
                    on:click=move |_| on_run()
                >
                    {label}
                </button>
                {move || busy.get().then(|| view! {
                    <button type="button" class="danger" on:click=move |_| run.cancel()>"Cancel"</button>
                })}
                {move || (!busy.get() && run.journal.with(|j| j.as_ref().is_some_and(runs::unfinished))).then(|| view! {
                    <button type="button" on:click=move |_| resume(shared, run)>"Resume"</button>
                })}
                {move || (!busy.get() && run.journal.with(Option::is_some)).then(|| view! {
                    <button type="button" class="small" on:click=move |_| run.clear()>"Clear"</button>
                })}
            </div>
        </div>
        <ul class="notes" aria-live="polite">
            {move || run.notes.get().into_iter().map(|n| view! { <li role="status">{n}</li> }).collect_view()}
        </ul>
    }
}

/// Job `i`'s status as a badge (`data-testid="job-status"`).
pub fn status_badge(run: JobRun, i: usize) -> impl IntoView {
    move || {
        let label = run.journal.with(|j| {
            j.as_ref()
                .and_then(|j| j.jobs.get(i))
                .map(runs::label)
                .unwrap_or_else(|| "waiting".to_owned())
        });
        view! { <span class=format!("badge {label}") data-testid="job-status">{label.clone()}</span> }
    }
}

/// Job `i`'s task id, once it has one.
pub fn task_id(run: JobRun, i: usize) -> impl IntoView {
    move || {
        run.journal
            .with(|j| j.as_ref().and_then(|j| j.jobs.get(i)?.task_id.clone()))
            .map(|id| view! { <code class="task-id">{id}</code> })
    }
}
