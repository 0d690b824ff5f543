//! One video: compose (connection, mode, prompt, images, parameters, spend guard, prices,
//! curl) beside the task (status, result, chain, lookup, history). The run and its result
//! are the jobs app's ([`crate::pages::task`]), loaded the first time it is needed:
//! Generate, Look up and a past task's Open hand it the request or the id through the
//! bridge; it keeps the history, listed here.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsValue;

use seedance::numfmt::group;

use crate::bridge::{self, BridgeState};
use crate::check::Control;
use crate::fields::Problems;
use crate::history;
use crate::history::History;
use crate::mode::{self, Mode};
use crate::nav::GLOBAL;
use crate::panels::connection::ConnectionPanel;
use crate::panels::curl::CurlBox;
use crate::panels::history::HistoryPanel;
use crate::panels::lookup::Lookup;
use crate::panels::mode_tabs::ModeTabs;
use crate::panels::parameters::Parameters;
use crate::panels::picker::ImagePicker;
use crate::panels::prices::PricesBox;
use crate::panels::prompt::Prompt;
use crate::panels::references::References;
use crate::panels::spend_guard::SpendGuard;
use crate::shared::Shared;
use crate::store;
use crate::web::{confirm, lazy, scroll_to};
use crate::words::estimate_text;
use crate::write::to_json;

/// What the task side says until it is loaded, and when it could not be.
const IDLE: &str = "Nothing running. Compose a request and press Generate.";
const STARTING: &str = "Starting…";
const LOAD_FAILED: &str =
    "The task view could not be loaded (check the connection): nothing was sent. Press Generate or Look up to try again.";
const CREATING: &str = "A task is being created: look another up once its id shows.";

/// The page for one video.
#[component]
pub fn VideoPage(shared: Shared) -> impl IntoView {
    let Shared {
        conn,
        limits,
        prices,
        guard,
        form,
        task_busy,
        jobs_failed,
        now,
        ..
    } = shared;
    let attempted = RwSignal::new(false);
    let checked = Memo::new(move |_| {
        let table = prices.with(|p| p.table());
        limits.with(|l| form.with(|f| f.check(l, table.as_ref())))
    });

    // `extend`: the new task goes on from the last result ("Continue from last frame").
    let generate = move |extend: bool| {
        attempted.set(true);
        let c = checked.get_untracked();
        if !c.ok() || task_busy.get_untracked() {
            return;
        }
        let why = guard.with_untracked(|g| g.reasons(&c));
        if !why.is_empty() {
            let msg = format!(
                "This task costs up to {} tokens, and {}.\n\nCreate it anyway?",
                group(c.estimate.tokens_max),
                why.join("; ")
            );
            if !confirm(&msg) {
                return;
            }
        }
        // The state as it is now goes with the request: history keeps this form.
        let sent = conn.with_untracked(|cn| {
            form.with_untracked(|f| guard.with_untracked(|g| BridgeState::of(cn, f, g)))
        });
        let args: [JsValue; 4] = [
            to_json(&sent).into(),
            c.request.to_json().into(),
            (c.estimate.tokens_max as f64).into(),
            extend.into(),
        ];
        task_busy.set(true);
        scroll_to("run-h");
        spawn_local(async move {
            let started = lazy::call("start", &args).await.is_some();
            jobs_failed.set(!started);
            if !started {
                task_busy.set(false);
            }
        });
    };
    bridge::export(
        GLOBAL,
        "generate",
        Closure::<dyn Fn(bool)>::new(generate).into_js_value(),
    );
    // A pointer on Generate (or focus) is a click about to come: start loading the task side
    // then, not at the click (a first visit that never gets there downloads none of it).
    let warm_up = move || {
        spawn_local(async move {
            if lazy::jobs().await.is_ok() {
                jobs_failed.set(false);
            }
        })
    };
    // Look up and a past task's Open: the task side watches the task (Generate waits
    // meanwhile, as for a task it made); `true` when it does.
    let lookup_error = RwSignal::new(None::<String>);
    let watch_id = move |id: String| async move {
        let was_busy = task_busy.get_untracked();
        task_busy.set(true);
        scroll_to("run-h");
        let answer = lazy::call("watch", &[id.into()]).await;
        jobs_failed.set(answer.is_none());
        let Some(answer) = answer else {
            task_busy.set(was_busy);
            return false;
        };
        let watching = answer.as_bool() == Some(true);
        if !watching {
            lookup_error.set(Some(CREATING.into()));
        }
        watching
    };
    let watch = move |id: String| {
        spawn_local(async move {
            watch_id(id).await;
        })
    };
    let idle = move || if task_busy.get() { STARTING } else { IDLE };
    // Past tasks: kept by the task side as its runs go, listed here.
    let past = RwSignal::new(store::load::<History>());
    bridge::export(
        GLOBAL,
        "historyChanged",
        Closure::<dyn Fn()>::new(move || past.set(store::load())).into_js_value(),
    );
    // Open: watch it again (as Look up does) and, if it is watched, put its form back.
    let open = move |id: String| {
        spawn_local(async move {
            if watch_id(id.clone()).await {
                if let Some(f) = history::reopen(&id).await {
                    form.set(f);
                }
            }
        });
    };

    // The mode's own inputs, made again only when the mode changes.
    let mode = Memo::new(move |_| form.with(|f| f.mode));
    let inputs = move || match mode.get() {
        Mode::TextToVideo => ().into_any(),
        Mode::FirstFrame => view! {
            <ImagePicker form checked attempted limits label="First frame" id="first"
                control=Control::First get=|f| &f.first get_mut=|f| &mut f.first />
        }
        .into_any(),
        Mode::FirstLastFrame => view! {
            <div class="pair">
                <ImagePicker form checked attempted limits label="First frame" id="first"
                    control=Control::First get=|f| &f.first get_mut=|f| &mut f.first />
                <ImagePicker form checked attempted limits label="Last frame" id="last"
                    control=Control::Last get=|f| &f.last get_mut=|f| &mut f.last />
            </div>
        }
        .into_any(),
        Mode::Reference => view! { <References form checked attempted limits /> }.into_any(),
    };

    view! {
        <main class="layout">
            <section class="compose" aria-labelledby="compose-h">
                <h2 id="compose-h">"Compose"</h2>
                <ConnectionPanel conn />
                <ModeTabs form />
                <div role="tabpanel" aria-labelledby=move || format!("tab-{}", mode::key(mode.get()))>
                    <Prompt form checked attempted />
                    {inputs}
                    <Parameters form checked attempted />
                </div>
                <Problems checked control=Control::General attempted id="general-problems" />
                <SpendGuard guard />
                <PricesBox prices />
                <CurlBox conn checked />
                <div class="send">
                    <p class="estimate" aria-live="polite">
                        "Estimate: " {move || checked.with(|c| estimate_text(&c.estimate))}
                    </p>
                    <button
                        type="button"
                        class="primary"
                        disabled=move || task_busy.get()
                        on:click=move |_| generate(false)
                        on:pointerenter=move |_| warm_up()
                        on:focus=move |_| warm_up()
                    >
                        "Generate"
                    </button>
                </div>
            </section>
            <section class="run" aria-labelledby="run-h">
                <h2 id="run-h">"Task"</h2>
                // Until the jobs app draws the task side here (it removes these notes).
                <div id="task-root">
                    <p class="idle" id="task-idle" role="status">{idle}</p>
                </div>
                {move || jobs_failed.get().then(|| view! { <p class="problem error" role="alert">{LOAD_FAILED}</p> })}
                <Lookup conn watch error=lookup_error />
                <HistoryPanel past now open />
            </section>
        </main>
    }
}
