//! The app: the shared state, the header, and the views. Adding a view is one file in
//! `pages/` and one entry in [`PAGES`].

use leptos::prelude::*;

use crate::pages::video::VideoPage;
use crate::shared::Shared;

/// One view of the app, as the nav lists it.
pub struct Page {
    /// Its name in the nav.
    pub label: &'static str,
    /// The view, given the shared state.
    pub view: fn(Shared) -> AnyView,
}

/// The views, in the nav's order; the first is shown at start.
pub const PAGES: [Page; 1] = [Page {
    label: "One video",
    view: |shared| view! { <VideoPage shared /> }.into_any(),
}];

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let shared = Shared::new();
    let current = RwSignal::new(0usize);
    // A nav once there is more than one view.
    let nav = (PAGES.len() > 1).then(|| {
        let items = PAGES
            .iter()
            .enumerate()
            .map(|(i, page)| {
                view! {
                    <button
                        type="button"
                        aria-current=move || (current.get() == i).then_some("page")
                        on:click=move |_| current.set(i)
                    >
                        {page.label}
                    </button>
                }
            })
            .collect_view();
        view! { <nav class="views" aria-label="Views">{items}</nav> }
    });
    // Every view stays mounted, the others hidden: a task running in one goes on (and is
    // shown) while the user looks at another.
    let views = PAGES
        .iter()
        .enumerate()
        .map(|(i, page)| {
            let view = (page.view)(shared);
            if PAGES.len() == 1 {
                view
            } else {
                view! { <div class="view" hidden=move || current.get() != i>{view}</div> }
                    .into_any()
            }
        })
        .collect_view();
    view! {
        <header class="top">
            <h1>"Seedance playground"</h1>
            <p class="tagline">"Compose a video, check it before paying, watch it render."</p>
            {nav}
        </header>
        {views}
    }
}
