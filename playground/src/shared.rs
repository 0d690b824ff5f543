//! What every view of the app shares: where requests go, the prices, the session's spend
//! guard, a clock, the compose form and which view shows. The first app makes it
//! ([`Shared::new`]); the jobs app (films, batches, variations, loaded on first use) makes
//! its own from the first app's through the bridge ([`Shared::for_jobs`]).

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use seedance::Limits;

use crate::bridge::{self, BridgeState};
use crate::connection::{probe_sim, Connection};
use crate::form::{Form, ImageSlot};
use crate::guard::Guard;
use crate::mode::Mode;
use crate::nav::view_index;
use crate::prices::Prices;
use crate::store;
use crate::web::now_ms;

/// The app's shared state (signals: `Copy`).
#[derive(Clone, Copy)]
pub struct Shared {
    /// Where requests go (saved on every change).
    pub conn: RwSignal<Connection>,
    /// The limits to validate with, from the connection.
    pub limits: Memo<Limits>,
    /// The user's prices (saved on every change).
    pub prices: RwSignal<Prices>,
    /// The session's token budget and what was asked for so far.
    pub guard: RwSignal<Guard>,
    /// Now, in ms since the epoch, four times a second (elapsed times, link expiries).
    pub now: RwSignal<f64>,
    /// The compose form: one video's request, and the settings of films, batches and
    /// variations.
    pub form: RwSignal<Form>,
    /// The view shown (an index into [`crate::nav::VIEWS`]).
    pub view: RwSignal<usize>,
    /// Runs of many tasks keep to an enterprise account's limits (10 at once) rather than
    /// an individual one's (3).
    pub enterprise: RwSignal<bool>,
    /// A one-video task is on its way or running (the jobs app drives it and says so): the
    /// first app's Generate waits.
    pub task_busy: RwSignal<bool>,
    /// The jobs app could not be loaded the last time it was needed (the next need tries
    /// again).
    pub jobs_failed: RwSignal<bool>,
    /// This is the jobs app: the first app owns the form, the guard and the nav.
    pub jobs_app: bool,
}

impl Shared {
    fn with(conn: Connection, form: Form, guard: Guard, jobs_app: bool) -> Self {
        let conn = RwSignal::new(conn);
        let prices = RwSignal::new(store::load::<Prices>());
        let now = RwSignal::new(now_ms());
        set_interval(move || now.set(now_ms()), Duration::from_millis(250));
        Shared {
            conn,
            limits: Memo::new(move |_| conn.with(Connection::limits)),
            prices,
            guard: RwSignal::new(guard),
            now,
            form: RwSignal::new(form),
            view: RwSignal::new(0),
            enterprise: RwSignal::new(false),
            task_busy: RwSignal::new(false),
            jobs_failed: RwSignal::new(false),
            jobs_app,
        }
    }

    /// The first app's: load what was kept, save it as it changes, look for a simulator
    /// beside the page, and start the clock.
    pub fn new() -> Self {
        let shared = Shared::with(Connection::load(), Form::default(), Guard::default(), false);
        let (conn, prices) = (shared.conn, shared.prices);
        Effect::new(move |_| conn.with(Connection::save));
        Effect::new(move |_| prices.with(store::save));
        spawn_local(async move {
            let up = probe_sim().await;
            conn.update(|c| c.sim = Some(up));
        });
        shared
    }

    /// The jobs app's: the first app's state, through the bridge.
    pub fn for_jobs() -> Self {
        let s = bridge::state();
        Shared::with(s.connection(), s.form(), s.guard(), true)
    }

    /// The jobs app: take the first app's state again (it may have changed while another
    /// view showed).
    pub fn refresh(self) {
        self.take(bridge::state());
    }

    /// The jobs app: take `s`, the first app's state as it handed it over.
    pub fn take(self, s: BridgeState) {
        self.conn.set(s.connection());
        self.form.set(s.form());
        self.guard.set(s.guard());
        self.prices.set(store::load::<Prices>());
    }

    /// Show the view named `label`.
    pub fn show(self, label: &str) {
        if self.jobs_app {
            bridge::show(label);
        } else {
            self.view.set(view_index(label));
        }
    }

    /// Count `tokens` asked for in the session's spend guard.
    pub fn spend(self, tokens: u64) {
        self.guard.update(|g| g.spent += tokens);
        if self.jobs_app {
            bridge::spend(tokens);
        }
    }

    /// Put `frame` into the compose form as the first frame (its last frame returned, to
    /// go on from the next one too) and show the form.
    pub fn continue_from(self, frame: String) {
        if self.jobs_app {
            bridge::continue_from(&frame);
            return;
        }
        self.form.update(|f| {
            f.mode = Mode::FirstFrame;
            f.first = ImageSlot::from_url(frame);
            f.last_frame = true;
        });
        self.show("One video");
    }
}

impl Default for Shared {
    fn default() -> Self {
        Self::new()
    }
}
