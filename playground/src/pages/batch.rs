//! A batch: prompts pasted one per line (blank lines skipped), each made into a request
//! with the compose form's settings; the total estimate and the worst case; the results in
//! a grid as they finish; Cancel stops creating and deletes the queued tasks.

use leptos::prelude::*;

use seedance::numfmt::group;
use seedance::validate::Severity;

use crate::check::describe;
use crate::jobrun::JobRun;
use crate::launch::{launch, resume_on_load};
use crate::panels::run_controls::{status_badge, RunControls};
use crate::runs::{batch_of, settings_summary, RunSource};
use crate::shared::Shared;
use crate::words::{count, estimate_text};

/// The Batch view.
#[component]
pub fn BatchPage(shared: Shared) -> impl IntoView {
    let Shared {
        form,
        limits,
        prices,
        ..
    } = shared;
    let text = RwSignal::new(String::new());
    let run = JobRun::new("batch");
    resume_on_load(shared, run, move |source| {
        if let RunSource::Batch { batch } = source {
            let lines: Vec<String> = batch
                .jobs
                .iter()
                .map(|j| j.request.prompt().unwrap_or_default().to_owned())
                .collect();
            text.set(lines.join("\n"));
        }
    });
    let checked = Memo::new(move |_| {
        let table = prices.with(|p| p.table());
        let batch = text.with(|t| form.with(|f| batch_of(f, t)));
        let problems: Vec<String> = limits
            .with(|l| batch.validate(l))
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .map(|i| format!("{}: {}", i.field, describe(i)))
            .collect();
        let estimate = batch.estimate(table.as_ref());
        (batch, problems, estimate)
    });
    let start = move || {
        let (batch, problems, estimate) = checked.get_untracked();
        if problems.is_empty() {
            launch(shared, run, RunSource::Batch { batch }, &estimate);
        }
    };
    let estimate = Signal::derive(move || {
        checked.with(|(b, _, e)| match b.jobs.len() {
            0 => "Paste one prompt per line.".to_owned(),
            n => format!(
                "{} · estimate {} · worst case {} tokens",
                count(n as u64, "video", "videos"),
                estimate_text(e),
                group(e.tokens_max)
            ),
        })
    });
    let ok = Signal::derive(move || checked.with(|(b, p, _)| !b.jobs.is_empty() && p.is_empty()));
    let prompts = move || {
        run.source.with(|s| match s {
            Some(RunSource::Batch { batch }) => batch
                .jobs
                .iter()
                .map(|j| j.request.prompt().unwrap_or_default().to_owned())
                .collect(),
            _ => Vec::new(),
        })
    };
    let cards = move || {
        prompts()
            .into_iter()
            .enumerate()
            .map(|(i, prompt)| {
                view! {
                    <article class="card" role="listitem" aria-label=format!("Job {}", i + 1)>
                        <h3>{format!("{}. ", i + 1)}{status_badge(run, i)}</h3>
                        <p class="card-prompt">{prompt}</p>
                        {move || run.media_of(i).0.map(|src| view! {
                            <video src=src controls=true playsinline=true preload="auto" aria-label=format!("Result {}", i + 1)></video>
                        })}
                    </article>
                }
            })
            .collect_view()
    };
    view! {
        <main class="layout">
            <section class="compose" aria-labelledby="batch-h">
                <h2 id="batch-h">"Batch"</h2>
                <label for="batch-prompts">"Prompts, one per line"</label>
                <textarea
                    id="batch-prompts"
                    rows="8"
                    placeholder="a lighthouse in a storm\na kite over dunes"
                    disabled=move || run.busy.get()
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                ></textarea>
                <p class="note">
                    "Blank lines are skipped. Each request: " {move || form.with(settings_summary)} " "
                    <button type="button" class="small" on:click=move |_| shared.show("One video")>"Change it"</button>
                </p>
                <ul class="problems" aria-live="polite">
                    {move || checked.with(|(_, p, _)| p.iter().map(|m| view! { <li class="problem error">{m.clone()}</li> }).collect_view())}
                </ul>
                <RunControls shared run label="Run batch" ok estimate on_run=start />
            </section>
            <section class="run" aria-labelledby="batch-run-h">
                <h2 id="batch-run-h">"Results"</h2>
                {move || run.journal.with(Option::is_none).then(|| view! {
                    <p class="idle">"Nothing running. Paste prompts and press Run batch."</p>
                })}
                <div class="cards" role="list" aria-label="Results">{cards}</div>
            </section>
        </main>
    }
}
