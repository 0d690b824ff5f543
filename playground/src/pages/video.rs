//! One video, start to finish: compose (connection, mode, prompt, images, parameters, spend
//! guard, prices, curl) beside the task (status, result, chain, lookup, history).

use leptos::prelude::*;

use seedance::numfmt::group;

use crate::chain::{Chain, Clip};
use crate::check::Control;
use crate::errors::Shown;
use crate::fields::Problems;
use crate::form::{Form, ImageSlot};
use crate::history::{self, History};
use crate::mode::{self, Mode};
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
use crate::panels::result::ResultPanel;
use crate::panels::run::RunPanel;
use crate::panels::spend_guard::SpendGuard;
use crate::run::{Phase, RunState};
use crate::runner::Runner;
use crate::shared::Shared;
use crate::store;
use crate::web::{confirm, scroll_to};
use crate::words::estimate_text;

/// The page for one video.
#[component]
pub fn VideoPage(shared: Shared) -> impl IntoView {
    let Shared {
        conn,
        limits,
        prices,
        guard,
        now,
        form,
        ..
    } = shared;
    let attempted = RwSignal::new(false);
    let runner = Runner::new();
    let checked = Memo::new(move |_| {
        let table = prices.with(|p| p.table());
        limits.with(|l| form.with(|f| f.check(l, table.as_ref())))
    });

    let past = RwSignal::new(store::load::<History>());
    // The form as it was when Generate was pressed (history keeps it with the task).
    let sent_form = StoredValue::new(None::<Form>);
    Effect::new(move |_| {
        let list =
            sent_form.with_value(|sent| runner.state.with(|s| history::record(s, sent.as_ref())));
        if let Some(list) = list {
            past.set(list);
        }
    });
    // Reopening the page resumes the task that was still running, once the backend is
    // known (the page looks for a simulator first).
    Effect::new(move |resumed: Option<bool>| {
        if resumed == Some(true) || conn.with(|c| c.sim.is_none()) {
            return resumed.unwrap_or(false);
        }
        let unfinished =
            past.with_untracked(|p| p.0.first().filter(|r| r.unfinished()).map(|r| r.id.clone()));
        if let (Some(id), Ok(client)) = (unfinished, conn.get_untracked().client()) {
            runner.resume(client, id);
        }
        true
    });

    let chain = RwSignal::new(Chain::default());
    Effect::new(move |_| {
        let done = runner.state.with(|s| match &s.phase {
            Phase::Succeeded(t) => t.video_url().map(|u| Clip {
                id: t.id.clone(),
                url: u.to_owned(),
            }),
            _ => None,
        });
        if let Some(clip) = done {
            chain.update(|c| c.succeeded(clip));
        }
    });
    // `from`: the clip whose last frame the new task starts from (it extends the chain).
    let generate = move |from: Option<Clip>| {
        attempted.set(true);
        let c = checked.get_untracked();
        if !c.ok() {
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
        let settings = conn.get_untracked();
        match settings.client() {
            Ok(client) => {
                guard.update(|g| g.spent += c.estimate.tokens_max);
                sent_form.set_value(Some(form.get_untracked()));
                chain.update(|ch| match from {
                    Some(prev) => ch.continue_from(prev),
                    None => ch.reset(),
                });
                runner.start(client, c.request, settings.scale_polls());
                scroll_to("run-h");
            }
            Err(msg) => runner.state.set(RunState {
                phase: Phase::Failed(Shown::plain("Connection not set up", msg)),
                ..RunState::default()
            }),
        }
    };

    let continue_from = move |prev: Clip, frame: String| {
        form.update(|f| {
            f.mode = Mode::FirstFrame;
            f.first = ImageSlot::from_url(frame);
            f.last_frame = true;
        });
        generate(Some(prev));
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
                        disabled=move || runner.state.with(RunState::busy)
                        on:click=move |_| generate(None)
                    >
                        "Generate"
                    </button>
                </div>
            </section>
            <section class="run" aria-labelledby="run-h">
                <h2 id="run-h">"Task"</h2>
                <RunPanel runner now />
                <ResultPanel runner now chain continue_from />
                <Lookup conn runner />
                <HistoryPanel past conn runner now form />
            </section>
        </main>
    }
}
