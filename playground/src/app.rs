//! The first app: the shared state, the header and nav, and the one-video view's form. The
//! other views (films, variations, batches) and the one-video view's task side (the run,
//! its result) are the jobs app, loaded the first time one is needed (a view opened,
//! Generate, Look up or a past task's Open pressed; at once when a run of theirs or the
//! last task was left unfinished: it resumes), into `#jobs-root` and `#task-root`; the two
//! share state through the bridge (`window.__seedance`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsValue;

use crate::bridge::{self, BridgeState};
use crate::history;
use crate::nav::{is_lazy, view_index, GLOBAL, VIEWS};
use crate::pages::video::VideoPage;
use crate::shared::Shared;
use crate::web::lazy;

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let shared = Shared::new();
    expose(shared);
    let current = shared.view;
    // A run of the jobs app left unfinished (a reload), or a one-video task still running
    // when last seen (Generate waits until the task side says whether it still does, and
    // the form is the one it was made from again): load it now, so it resumes (once the
    // backend is known: the jobs app takes it from here).
    let running = history::running();
    let resume_task = running.is_some();
    if let Some(id) = running {
        shared.task_busy.set(true);
        spawn_local(async move {
            if let Some(f) = history::reopen(&id).await {
                shared.form.set(f);
            }
        });
    }
    Effect::new(move |checked: Option<bool>| {
        if checked == Some(true) || shared.conn.with(|c| c.sim.is_none()) {
            return checked.unwrap_or(false);
        }
        spawn_local(async move {
            let resume = resume_task || lazy::unfinished_run().await;
            if resume && lazy::jobs().await.is_err() {
                shared.jobs_failed.set(true);
                shared.task_busy.set(false);
            }
        });
        true
    });
    // Opening a view of the jobs app loads it (once) and shows the view, which takes the
    // shared state again; so does the simulator probe's answer, if it comes later (a task
    // side loaded before it then learns the backend, to resume).
    let sim = Memo::new(move |_| shared.conn.with(|c| c.sim));
    Effect::new(move |_| {
        let i = current.get();
        sim.track();
        if is_lazy(i) {
            lazy::open_jobs(Some(VIEWS[i]));
        } else {
            lazy::call_loaded("sync", &[]);
        }
    });
    let nav = VIEWS
        .iter()
        .enumerate()
        .map(|(i, label)| {
            view! {
                <button
                    type="button"
                    aria-current=move || (current.get() == i).then_some("page")
                    on:click=move |_| current.set(i)
                >
                    {*label}
                </button>
            }
        })
        .collect_view();
    view! {
        <header class="top">
            <h1>"Seedance playground"</h1>
            <p class="tagline">"Compose a video, check it before paying, watch it render."</p>
            <nav class="views" aria-label="Views">{nav}</nav>
        </header>
        // Every view stays mounted, the others hidden: a task running in one goes on (and
        // is shown) while the user looks at another.
        <div class="view" hidden=move || current.get() != 0>
            <VideoPage shared />
        </div>
        <div class="view" id="jobs-root" hidden=move || !is_lazy(current.get())>
            <p class="note loading" id="jobs-loading" role="status">"Loading…"</p>
        </div>
    }
}

/// Set up `window.__seedance` for the jobs app: `state()` (JSON of [`BridgeState`]),
/// `spend(tokens)`, `show(label)`, `continueFrom(frameUrl)` and `busy(bool)` (the one-video
/// view adds `generate(extend)` and `historyChanged()`).
fn expose(shared: Shared) {
    let state = Closure::<dyn Fn() -> JsValue>::new(move || {
        let s = shared.conn.with_untracked(|c| {
            shared
                .form
                .with_untracked(|f| shared.guard.with_untracked(|g| BridgeState::of(c, f, g)))
        });
        crate::write::to_json(&s).into()
    });
    let spend = Closure::<dyn Fn(f64)>::new(move |tokens: f64| {
        shared.guard.update(|g| g.spent += tokens as u64);
    });
    let show = Closure::<dyn Fn(String)>::new(move |label: String| {
        shared.view.set(view_index(&label));
    });
    let continue_from = Closure::<dyn Fn(String)>::new(move |frame: String| {
        shared.continue_from(frame);
    });
    let busy = Closure::<dyn Fn(bool)>::new(move |busy: bool| shared.task_busy.set(busy));
    for (name, f) in [
        ("state", state.into_js_value()),
        ("spend", spend.into_js_value()),
        ("show", show.into_js_value()),
        ("continueFrom", continue_from.into_js_value()),
        ("busy", busy.into_js_value()),
    ] {
        bridge::export(GLOBAL, name, f);
    }
}
