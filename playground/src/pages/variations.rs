//! Variations: 1–4 videos of the compose form's request with distinct seeds, side by side
//! on a desktop and stacked on a phone. Each plays muted until chosen, one audible at a
//! time; keep one (download), or continue from its last frame in the One video form.

use leptos::prelude::*;
use leptos::task::spawn_local;

use seedance::jobs::Batch;
use seedance::numfmt::group;

use crate::jobrun::JobRun;
use crate::launch::{launch, resume_on_load};
use crate::panels::run_controls::{status_badge, RunControls};
use crate::runs::{settings_summary, variation_request, RunSource};
use crate::shared::Shared;
use crate::web::{download, now_ms};
use crate::words::{self, estimate_text};

/// The Variations view.
#[component]
pub fn VariationsPage(shared: Shared) -> impl IntoView {
    let Shared {
        form,
        limits,
        prices,
        ..
    } = shared;
    let count = RwSignal::new(4usize);
    let run = JobRun::new("variations");
    let chosen = RwSignal::new(None::<usize>);
    resume_on_load(shared, run, |_| {});
    let batch = Memo::new(move |_| {
        let req = form.with(variation_request);
        Batch::variations(&req, count.get(), 0)
    });
    let checked = Memo::new(move |_| {
        let table = prices.with(|p| p.table());
        let b = batch.get();
        let problems: Vec<String> = limits
            .with(|l| b.validate(l))
            .issues
            .iter()
            .filter(|i| i.severity == seedance::validate::Severity::Error)
            .map(|i| format!("{}: {}", i.field, crate::check::describe(i)))
            .collect();
        (problems, b.estimate(table.as_ref()))
    });
    let start = move || {
        let (problems, estimate) = checked.get_untracked();
        if !problems.is_empty() {
            return;
        }
        let req = form.with_untracked(variation_request);
        let batch = Batch::variations(&req, count.get_untracked(), now_ms() as u64);
        chosen.set(None);
        launch(shared, run, RunSource::Variations { batch }, &estimate);
    };
    let estimate = Signal::derive(move || {
        checked.with(|(_, e)| {
            format!(
                "{} · estimate {} · worst case {} tokens",
                words::count(count.get() as u64, "video", "videos"),
                estimate_text(e),
                group(e.tokens_max)
            )
        })
    });
    let ok = Signal::derive(move || checked.with(|(p, _)| p.is_empty()));
    let seeds = move || {
        run.source.with(|s| match s {
            Some(RunSource::Variations { batch }) => batch
                .jobs
                .iter()
                .map(|j| j.request.seed.unwrap_or(-1))
                .collect(),
            _ => Vec::new(),
        })
    };
    let cards = move || {
        seeds()
            .into_iter()
            .enumerate()
            .map(|(i, seed)| variation_card(run, i, seed, chosen, shared))
            .collect_view()
    };
    view! {
        <main class="stack">
            <section aria-labelledby="variations-h">
                <h2 id="variations-h">"Variations"</h2>
                <p class="note">
                    "The One video form's request with different seeds: "
                    <strong>{move || form.with(|f| if f.prompt.trim().is_empty() { "(no prompt yet)".to_owned() } else { format!("“{}”", f.prompt.trim()) })}</strong>
                    " · " {move || form.with(settings_summary)} " "
                    <button type="button" class="small" on:click=move |_| shared.show("One video")>"Change it"</button>
                </p>
                <label for="variation-count">"How many"</label>
                <select
                    id="variation-count"
                    class="narrow"
                    prop:value=move || count.get().to_string()
                    on:change=move |ev| count.set(event_target_value(&ev).parse().unwrap_or(4))
                >
                    {(1..=4).map(|n| view! { <option value=n.to_string() selected=n == 4>{n.to_string()}</option> }).collect_view()}
                </select>
                <ul class="problems" aria-live="polite">
                    {move || checked.with(|(p, _)| p.iter().map(|m| view! { <li class="problem error">{m.clone()}</li> }).collect_view())}
                </ul>
                <RunControls shared run label="Make variations" ok estimate on_run=start />
            </section>
            <div class="cards variations" role="list" aria-label="Variations">{cards}</div>
        </main>
    }
}

/// One variation: its seed, status, player (muted unless chosen), Keep, Continue.
fn variation_card(
    run: JobRun,
    i: usize,
    seed: i64,
    chosen: RwSignal<Option<usize>>,
    shared: Shared,
) -> impl IntoView {
    let video = NodeRef::<leptos::html::Video>::new();
    let listen = move |_| {
        chosen.set(Some(i));
        if let Some(v) = video.get() {
            let _ = v.play();
        }
    };
    let saved = RwSignal::new(None::<String>);
    let keep = move |_| {
        let Some(url) = run.media_of(i).0 else { return };
        spawn_local(async move {
            if let Err(e) = download::save(&url, &format!("seed-{seed}.mp4")).await {
                saved.set(Some(format!("Could not save it: {e}.")));
            }
        });
    };
    let go_on = move |_| {
        let frame = run.tasks.with_untracked(|t| {
            t.get(&i)
                .and_then(|t| t.last_frame_url().map(str::to_owned))
        });
        if let Some(frame) = frame {
            shared.continue_from(frame);
        }
    };
    let has_video = move || run.media_of(i).0.is_some();
    view! {
        <article class="card" role="listitem" aria-label=format!("Seed {seed}")>
            <h3>{format!("Seed {seed}")}" "{status_badge(run, i)}</h3>
            {move || run.media_of(i).0.map(|src| view! {
                <video
                    node_ref=video
                    src=src
                    controls=true
                    playsinline=true
                    loop=true
                    preload="auto"
                    aria-label=format!("Variation with seed {seed}")
                    prop:muted=move || chosen.get() != Some(i)
                    on:volumechange=move |ev| {
                        let v = event_target::<web_sys::HtmlMediaElement>(&ev);
                        if !v.muted() && chosen.get_untracked() != Some(i) {
                            chosen.set(Some(i));
                        }
                    }
                ></video>
            })}
            <p class="links">
                <button type="button" class="small" disabled=move || !has_video() on:click=listen
                    aria-label=format!("Listen to seed {seed}")
                    aria-pressed=move || (chosen.get() == Some(i)).to_string()>
                    {move || if chosen.get() == Some(i) { "♪ Listening" } else { "Listen" }}
                </button>
                <button type="button" class="small" disabled=move || !has_video() on:click=keep
                    aria-label=format!("Keep seed {seed}")>"Keep (download)"</button>
                <button type="button" class="small" disabled=move || !has_video() on:click=go_on
                    aria-label=format!("Continue from seed {seed}")>"Continue from last frame"</button>
            </p>
            {move || saved.get().map(|e| view! { <p class="note">{e}</p> })}
        </article>
    }
}
