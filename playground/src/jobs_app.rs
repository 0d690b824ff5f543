//! The jobs app: the Film, Variations and Batch views (the job engine, its journal in
//! IndexedDB, the muxer worker's client), a second wasm loaded the first time one of them
//! is opened, so the first load carries none of it. It mounts into the first app's
//! `#jobs-root`, takes the shared state through the bridge each time one of its views is
//! shown, and sets up `window.__seedanceJobs.show(label)`.

use js_sys::{Object, Reflect};
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::nav::{view_index, JOBS_GLOBAL};
use crate::pages::batch::BatchPage;
use crate::pages::film::FilmPage;
use crate::pages::variations::VariationsPage;
use crate::shared::Shared;

/// One view of the jobs app.
pub struct Page {
    /// Its name in the nav ([`crate::nav::VIEWS`]).
    pub label: &'static str,
    /// The view, given the shared state.
    pub view: fn(Shared) -> AnyView,
}

/// The jobs app's views. Adding one: a file in `pages/`, a `pub mod` line, an entry here
/// and its name in `nav::VIEWS`.
pub const PAGES: [Page; 3] = [
    Page {
        label: "Film",
        view: |shared| view! { <FilmPage shared /> }.into_any(),
    },
    Page {
        label: "Variations",
        view: |shared| view! { <VariationsPage shared /> }.into_any(),
    },
    Page {
        label: "Batch",
        view: |shared| view! { <BatchPage shared /> }.into_any(),
    },
];

/// The jobs app's views, all mounted, the one shown chosen by the first app's nav.
#[component]
pub fn JobsApp() -> impl IntoView {
    let shared = Shared::for_jobs();
    let current = shared.view;
    let show = Closure::<dyn Fn(String)>::new(move |label: String| {
        shared.refresh();
        current.set(view_index(&label));
    });
    let api = Object::new();
    let _ = Reflect::set(&api, &"show".into(), &show.into_js_value());
    if let Some(w) = web_sys::window() {
        let _ = Reflect::set(&w, &JOBS_GLOBAL.into(), &api);
    }
    PAGES
        .iter()
        .map(|page| {
            let i = view_index(page.label);
            let view = (page.view)(shared);
            view! { <div class="view" hidden=move || current.get() != i>{view}</div> }
        })
        .collect_view()
}

/// Mount the jobs app into `#jobs-root` (its "Loading…" note goes).
pub fn mount() {
    let document = web_sys::window().and_then(|w| w.document());
    let Some(root) = document
        .as_ref()
        .and_then(|d| d.get_element_by_id("jobs-root"))
    else {
        return;
    };
    if let Some(note) = document.and_then(|d| d.get_element_by_id("jobs-loading")) {
        note.remove();
    }
    leptos::mount::mount_to(root.unchecked_into(), JobsApp).forget();
}
