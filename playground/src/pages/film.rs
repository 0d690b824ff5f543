//! A film: a storyboard of shots (added, removed, reordered, each continuing from the one
//! before or cut), checked as it is typed, estimated as a whole, run by the core's engine
//! (journal and clips in IndexedDB: a reload resumes), the finished shots played back to
//! back while the others come, then joined in the muxer worker into one film.mp4.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::chain::Clip;
use crate::jobrun::JobRun;
use crate::launch::{launch, resume_on_load};
use crate::panels::chain::ChainPlayer;
use crate::panels::run_controls::{status_badge, task_id, RunControls};
use crate::panels::shot::ShotCard;
use crate::runs::{settings_summary, RunSource};
use crate::shared::Shared;
use crate::storyboard::Storyboard;
use crate::web::{blob_url, idb, muxer};
use crate::words::{count, estimate_text};

/// The Film view.
#[component]
pub fn FilmPage(shared: Shared) -> impl IntoView {
    let Shared {
        form,
        limits,
        prices,
        ..
    } = shared;
    let board = RwSignal::new(Storyboard::default());
    let attempted = RwSignal::new(false);
    let run = JobRun::new("film");
    let check = Memo::new(move |_| {
        let table = prices.with(|p| p.table());
        board.with(|b| form.with(|f| limits.with(|l| b.check(f, l, table.as_ref()))))
    });
    resume_on_load(shared, run, move |source| {
        if let RunSource::Film { board: b, .. } = source {
            board.set(b.clone());
        }
    });
    // The joined film: its blob URL, or why it could not be made.
    let film = RwSignal::new(None::<Result<String, String>>);
    let joining = RwSignal::new(false);
    let start = move || {
        attempted.set(true);
        let c = check.get_untracked();
        if !c.ok() {
            return;
        }
        if let Some(Ok(url)) = film.get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
        film.set(None);
        let source = RunSource::Film {
            film: c.film.clone(),
            board: board.get_untracked(),
        };
        launch(shared, run, source, &c.estimate);
    };
    // Every shot kept: join them (once per run) in the muxer worker.
    Effect::new(move |_| {
        let files = run.journal.with(|j| {
            let j = j.as_ref()?;
            let all: Option<Vec<String>> = j.jobs.iter().map(|r| r.file.clone()).collect();
            all.filter(|f| !f.is_empty())
        });
        let (Some(files), false) = (files, joining.get_untracked()) else {
            return;
        };
        if film.with_untracked(Option::is_some) {
            return;
        }
        joining.set(true);
        spawn_local(async move {
            let r = join(files).await;
            joining.set(false);
            film.set(Some(r));
        });
    });

    let ids = move || board.with(|b| b.shots.iter().map(|s| s.id).collect::<Vec<_>>());
    let locked = Signal::derive(move || run.busy.get());
    let estimate = Signal::derive(move || {
        check.with(|c| {
            format!(
                "{}, {} s in all · estimate {} (worst case)",
                count(c.film.shots.len() as u64, "shot", "shots"),
                c.film.shots.iter().map(|s| s.duration.max(0)).sum::<i64>(),
                estimate_text(&c.estimate)
            )
        })
    });
    let ok = Signal::derive(move || !attempted.get() || check.with(|c| c.ok()));
    let general = move || {
        check
            .with(|c| c.at(None))
            .into_iter()
            .map(|p| view! { <li class="problem error"><code>{p.path}</code>" " {p.message}</li> })
            .collect_view()
    };
    view! {
        <main class="layout">
            <section class="compose" aria-labelledby="film-h">
                <h2 id="film-h">"Film"</h2>
                <p class="note">
                    "Each shot continues from the last frame of the one before, unless it is a cut. Settings for every shot, from the One video form: "
                    <strong>{move || form.with(settings_summary)}</strong>" "
                    <button type="button" class="small" on:click=move |_| shared.show("One video")>"Change them"</button>
                </p>
                <ol class="shots">
                    <For each=ids key=|id| *id let(id)>
                        <ShotCard id board check limits attempted locked />
                    </For>
                </ol>
                <button
                    type="button"
                    disabled=move || locked.get()
                    on:click=move |_| {
                        board.update(|b| {
                            b.add();
                        });
                    }
                >
                    "Add shot"
                </button>
                <ul class="problems" id="film-problems" aria-live="polite">{general}</ul>
                <RunControls shared run label="Run film" ok estimate on_run=start />
            </section>
            <section class="run" aria-labelledby="film-run-h">
                <h2 id="film-run-h">"Shots"</h2>
                <FilmProgress run film joining />
            </section>
        </main>
    }
}

/// Each shot's status and last frame, the finished shots back to back, then the film.
#[component]
fn FilmProgress(
    run: JobRun,
    film: RwSignal<Option<Result<String, String>>>,
    joining: RwSignal<bool>,
) -> impl IntoView {
    let count = Memo::new(move |_| run.journal.with(|j| j.as_ref().map_or(0, |j| j.jobs.len())));
    let rows = move || {
        (0..count.get())
            .map(|i| {
                let frame = move || {
                    run.media_of(i).1.map(|src| {
                        view! { <img class="frame" src=src alt=format!("Last frame of shot {}", i + 1) /> }
                    })
                };
                view! {
                    <li class="job">
                        <span class="job-name">{format!("Shot {}", i + 1)}</span>" "
                        {status_badge(run, i)}" "
                        {task_id(run, i)}
                        {frame}
                    </li>
                }
            })
            .collect_view()
    };
    let clips = Memo::new(move |_| {
        (0..count.get())
            .filter_map(|i| {
                run.media_of(i).0.map(|url| Clip {
                    id: format!("shots[{i}]"),
                    url,
                })
            })
            .collect::<Vec<_>>()
    });
    let showing = Memo::new(move |_| clips.with(|c| !c.is_empty()) && film.with(Option::is_none));
    view! {
        {move || (count.get() == 0).then(|| view! {
            <p class="idle">"Nothing running. Write the shots and press Run film."</p>
        })}
        <ol class="jobs">{rows}</ol>
        // One player for the whole run: it follows the clips as shots finish (re-creating it
        // would restart whatever the user is watching).
        {move || showing.get().then(|| view! { <ChainPlayer clips /> })}
        {move || joining.get().then(|| view! { <p class="note" role="status">"Joining the clips into one film…"</p> })}
        {move || film.get().map(|r| match r {
            Ok(url) => view! {
                <div class="result">
                    <h3>"The film"</h3>
                    <video controls=true playsinline=true preload="auto" src=url.clone() aria-label="Film"></video>
                    <p class="links">
                        <a class="button primary" href=url download="film.mp4">"Download film.mp4"</a>
                    </p>
                </div>
            }.into_any(),
            Err(e) => view! { <p class="problem error" role="alert">{format!("The film could not be joined: {e}")}</p> }.into_any(),
        })}
    }
}

/// The kept clips (IndexedDB keys, in order) joined into one film, as a blob URL.
async fn join(files: Vec<String>) -> Result<String, String> {
    let mut clips = Vec::with_capacity(files.len());
    for f in &files {
        let bytes = idb::get_value(f)
            .await
            .ok_or("a clip is no longer in this browser's storage")?;
        clips.push(bytes.unchecked_into::<js_sys::Uint8Array>());
    }
    let film = muxer::concat(clips).await?;
    blob_url(&film.into(), "video/mp4")
        .ok_or_else(|| "the browser could not hold the film".to_owned())
}
