//! The jobs app: the Film, Variations and Batch views (the job engine, its journal in
//! IndexedDB, the muxer worker's client) and the one-video view's task side (the run and its
//! result: [`crate::pages::task`]), a second wasm loaded the first time one
//! of them is needed, so the first load carries none of it. It mounts into the first app's
//! `#jobs-root` and `#task-root`, takes the shared state through the
//! bridge each time one of its views is shown, and sets up `window.__seedanceJobs`:
//! `show(label)`, `start(stateJson, requestJson, tokens, extend)`, `watch(taskId)` (both
//! `false` when refused) and `sync()` (take the shared state again).

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use seedance::CreateTaskRequest;

use crate::bridge::{self, BridgeState};
use crate::nav::{view_index, JOBS_GLOBAL};
use crate::pages::batch::BatchPage;
use crate::pages::film::FilmPage;
use crate::pages::task::{TaskRun, TaskSide};
use crate::pages::variations::VariationsPage;
use crate::shared::Shared;
use crate::web::lazy;

/// One view of the jobs app.
pub struct Page {
    /// Its name in the nav ([`crate::nav::VIEWS`]).
    pub label: &'static str,
    /// Where its run is kept in IndexedDB (`JobRun::new`'s prefix).
    pub journal: &'static str,
    /// The view, given the shared state.
    pub view: fn(Shared) -> AnyView,
}

/// The jobs app's views. Adding one: a file in `pages/`, a `pub mod` line, an entry here
/// and its name in `nav::VIEWS`.
pub const PAGES: [Page; 3] = [
    Page {
        label: "Film",
        journal: "film",
        view: |shared| view! { <FilmPage shared /> }.into_any(),
    },
    Page {
        label: "Variations",
        journal: "variations",
        view: |shared| view! { <VariationsPage shared /> }.into_any(),
    },
    Page {
        label: "Batch",
        journal: "batch",
        view: |shared| view! { <BatchPage shared /> }.into_any(),
    },
];

/// The jobs app's views, the one shown chosen by the first app's nav. Each is built the
/// first time it is shown, or as the app loads when a run of it is kept (it restores that
/// run, and resumes it if unfinished, before the user opens it and types); then it stays,
/// hidden when another shows (its run goes on). A first Generate builds none of them.
#[component]
pub fn JobsApp(shared: Shared) -> impl IntoView {
    let current = shared.view;
    PAGES
        .iter()
        .map(|page| {
            let i = view_index(page.label);
            // Set once: a set notifies even when the value is the same, which would build
            // the view again and lose what it shows.
            let built = RwSignal::new(false);
            let build = move || {
                if !built.get_untracked() {
                    built.set(true);
                }
            };
            Effect::new(move |_| {
                if current.get() == i {
                    build();
                }
            });
            let journal = page.journal;
            spawn_local(async move {
                if lazy::kept(journal).await {
                    build();
                }
            });
            let make = page.view;
            let view = move || built.get().then(|| make(shared));
            view! { <div class="view" hidden=move || current.get() != i>{view}</div> }
        })
        .collect_view()
}

/// Set up `window.__seedanceJobs` for the first app.
fn expose(shared: Shared, task: TaskSide) {
    let show = Closure::<dyn Fn(String)>::new(move |label: String| {
        shared.refresh();
        shared.view.set(view_index(&label));
    });
    let start = Closure::<dyn Fn(String, String, f64, bool) -> bool>::new(
        move |state: String, request: String, tokens: f64, extend: bool| {
            let sent = serde_json::from_str::<BridgeState>(&state);
            match serde_json::from_str::<CreateTaskRequest>(&request) {
                Ok(req) => task.start(sent.unwrap_or_default(), req, tokens as u64, extend),
                Err(e) => {
                    task.fail("The request could not be read", e.to_string());
                    true
                }
            }
        },
    );
    let watch = Closure::<dyn Fn(String) -> bool>::new(move |id: String| task.watch(id));
    let sync = Closure::<dyn Fn()>::new(move || shared.refresh());
    for (name, f) in [
        ("show", show.into_js_value()),
        ("start", start.into_js_value()),
        ("watch", watch.into_js_value()),
        ("sync", sync.into_js_value()),
    ] {
        bridge::export(JOBS_GLOBAL, name, f);
    }
}

/// The element `#id`, its placeholder `#placeholder` (the first app's note) removed.
fn root(id: &str, placeholder: &str) -> Option<web_sys::HtmlElement> {
    let document = web_sys::window()?.document()?;
    if let Some(note) = document.get_element_by_id(placeholder) {
        note.remove();
    }
    Some(document.get_element_by_id(id)?.unchecked_into())
}

/// Mount the jobs app: its views into `#jobs-root` (their "Loading…" note goes), the task
/// side into `#task-root`.
pub fn mount() {
    let Some(jobs) = root("jobs-root", "jobs-loading") else {
        return;
    };
    leptos::mount::mount_to(jobs, || {
        let shared = Shared::for_jobs();
        let task = TaskSide::new(shared);
        expose(shared, task);
        // Inside this mount: the task side's owner is a child of the app's.
        if let Some(el) = root("task-root", "task-idle") {
            leptos::mount::mount_to(el, move || view! { <TaskRun task /> }).forget();
        }
        view! { <JobsApp shared /> }
    })
    .forget();
}
