//! The one-video view's task side: the run (status, Cancel, what ended it) and its result
//! (and the chain it ends). The jobs app draws it into the first app's page (`#task-root`),
//! creates and watches the tasks the first app's Generate, Look up and history's Open ask
//! for, and keeps the history (the first app lists it); the first app keeps the form and its
//! checks, so its first load carries no task driver or result view.

use leptos::prelude::*;

use seedance::CreateTaskRequest;

use crate::bridge::{self, BridgeState};
use crate::chain::{Chain, Clip};
use crate::errors::Shown;
use crate::form::Form;
use crate::history::{self, History};
use crate::panels::result::ResultPanel;
use crate::panels::run::RunPanel;
use crate::run::{Phase, RunState};
use crate::runner::Runner;
use crate::shared::Shared;
use crate::store;

/// The task side's state (signals: `Copy`).
#[derive(Clone, Copy)]
pub struct TaskSide {
    shared: Shared,
    runner: Runner,
    chain: RwSignal<Chain>,
    /// The form as it was when Generate was pressed (history keeps it with the task).
    sent_form: StoredValue<Option<Form>>,
    /// The clip the next task goes on from, set by "Continue from last frame".
    from: StoredValue<Option<Clip>>,
}

impl TaskSide {
    /// The task side with nothing running: it keeps the history as runs go (and tells the
    /// first app, which lists it), resumes the task left running (once the backend is
    /// known) and tells the first app when a task runs.
    pub fn new(shared: Shared) -> Self {
        let runner = Runner::new();
        let sent_form = StoredValue::new(None::<Form>);
        let chain = RwSignal::new(Chain::default());
        Effect::new(move |_| {
            let noted = sent_form
                .with_value(|sent| runner.state.with(|s| history::record(s, sent.as_ref())));
            if noted.is_some() {
                bridge::history_changed();
            }
        });
        let conn = shared.conn;
        Effect::new(move |resumed: Option<bool>| {
            if resumed == Some(true) || conn.with(|c| c.sim.is_none()) {
                return resumed.unwrap_or(false);
            }
            let past = store::load::<History>();
            let unfinished = past
                .0
                .first()
                .filter(|r| r.unfinished())
                .map(|r| r.id.clone());
            if let (Some(id), Ok(client)) = (unfinished, conn.get_untracked().client()) {
                runner.resume(client, id);
            }
            true
        });
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
        // On every change, not only when it flips: the first app set itself busy when it
        // asked for the run, and a run that fails at once (no connection) must free it.
        Effect::new(move |_| bridge::busy(runner.state.with(RunState::busy)));
        TaskSide {
            shared,
            runner,
            chain,
            sent_form,
            from: StoredValue::new(None),
        }
    }

    /// Create `req` and watch it: the first app's Generate, its checks and spend guard
    /// passed, with its state (`sent`) as it was then and the request's most tokens.
    /// `extend`: it goes on from the clip "Continue from last frame" was pressed on.
    /// Refused (`false`, nothing sent) while a task is on its way or watched: the first app's
    /// Generate waits for that, but a reload may have resumed one it did not know of yet.
    /// **This spends money.**
    pub fn start(
        self,
        sent: BridgeState,
        req: CreateTaskRequest,
        tokens: u64,
        extend: bool,
    ) -> bool {
        let from = self.from.try_update_value(Option::take).flatten();
        if self.runner.state.with_untracked(RunState::busy) {
            return false;
        }
        // The state handed over with the request: no second copy of its images.
        let conn = sent.connection();
        let form = sent.form();
        self.shared.take(sent);
        match conn.client() {
            Ok(client) => {
                self.shared.spend(tokens);
                self.sent_form.set_value(Some(form));
                self.chain.update(|ch| match from.filter(|_| extend) {
                    Some(prev) => ch.continue_from(prev),
                    None => ch.reset(),
                });
                self.runner.start(client, req, conn.scale_polls());
            }
            Err(msg) => self.fail("Connection not set up", msg),
        }
        true
    }

    /// Watch a task by id (the first app's Look up), instead of the one watched now;
    /// refused (`false`) while a create is on its way (its task would be made unseen).
    pub fn watch(self, id: String) -> bool {
        if self
            .runner
            .state
            .with_untracked(|s| matches!(s.phase, Phase::Creating))
        {
            return false;
        }
        self.shared.refresh();
        match self.shared.conn.get_untracked().client() {
            Ok(client) => self.runner.resume(client, id),
            Err(msg) => self.fail("Connection not set up", msg),
        }
        true
    }

    /// End the run here with `title` and `detail` (nothing was sent).
    pub fn fail(self, title: &str, detail: String) {
        self.runner.state.set(RunState {
            phase: Phase::Failed(Shown::plain(title, detail)),
            ..RunState::default()
        });
    }
}

/// The run and its result (`#task-root`).
#[component]
pub fn TaskRun(task: TaskSide) -> impl IntoView {
    let TaskSide {
        shared,
        runner,
        chain,
        from,
        ..
    } = task;
    let now = shared.now;
    // The first app puts the last frame into its form and generates from it (its checks
    // and guard first); the new task extends this clip's chain.
    let continue_from = move |prev: Clip, frame: String| {
        from.set_value(Some(prev));
        shared.continue_from(frame);
        bridge::generate(true);
    };
    view! {
        <RunPanel runner now />
        <ResultPanel runner now chain continue_from />
    }
}
