//! The Seedance playground: a Leptos (client-side rendered) app that makes a video from
//! start to finish against the simulator, your proxy, or the API itself. Trunk builds it
//! from the repository's `index.html`; `scripts/dev` serves it beside the simulator.
//!
//! Two halves:
//! - **Logic**, plain Rust that builds and is tested on the host (`cargo test -p
//!   seedance-playground`): the compose form ([`form`], [`mode`]), the request it makes and
//!   its problems ([`check`]), numbers and names in words ([`words`]), the curl command
//!   ([`curl`]), the spend guard ([`guard`]), prices ([`prices`]), chains ([`chain`]),
//!   image fixes ([`resize`]), errors in plain words ([`errors`]), the connection
//!   ([`connection`]), a run's state ([`run`]), history ([`history`]), films' storyboards
//!   ([`storyboard`]), runs of many tasks ([`runs`]), how all of it is stored ([`store`])
//!   and substring search without the library's searcher ([`scan`]).
//! - **The browser** (wasm32 only): the app and its views (`app`, `pages`, one file a view;
//!   `panels`, one file a panel; `fields`, the shared form fields), the state they share
//!   (`shared`), the run driver (`runner`) and the DOM glue (`web`). Two apps: the first
//!   (`app`: the one-video form, its checks and estimate) and, loaded on first use, the
//!   jobs app (`jobs_app`: films, variations, batches, and the one-video task side). Component tests run in
//!   Chromium (`tests/components.rs`); the whole page in Playwright (`e2e/`).

pub mod bridge;
pub mod chain;
pub mod check;
pub mod connection;
pub mod curl;
pub mod errors;
pub mod form;
pub mod guard;
pub mod history;
pub mod mode;
pub mod nav;
pub mod prices;
pub mod read;
pub mod resize;
pub mod run;
pub mod runs;
pub mod scan;
pub mod store;
pub mod storyboard;
pub mod words;
pub mod write;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod fields;
#[cfg(target_arch = "wasm32")]
pub mod jobrun;
#[cfg(target_arch = "wasm32")]
pub mod jobs_app;
#[cfg(target_arch = "wasm32")]
pub mod launch;
#[cfg(target_arch = "wasm32")]
pub mod pages;
#[cfg(target_arch = "wasm32")]
pub mod panels;
#[cfg(target_arch = "wasm32")]
pub mod runner;
#[cfg(target_arch = "wasm32")]
pub mod shared;
#[cfg(target_arch = "wasm32")]
pub mod web;

/// Mount the first app on `<body>`; panics go to the console.
#[cfg(target_arch = "wasm32")]
pub fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}

/// Mount the jobs app (films, variations, batches) in the first app's `#jobs-root`.
#[cfg(target_arch = "wasm32")]
pub fn jobs_main() {
    console_error_panic_hook::set_once();
    jobs_app::mount();
}
