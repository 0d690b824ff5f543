//! What every view of the app shares: where requests go, the prices, the session's spend
//! guard and a clock. Made once by `App`, kept in the browser where it is kept.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use seedance::Limits;

use crate::connection::{probe_sim, Connection};
use crate::guard::Guard;
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
}

impl Shared {
    /// Load what was kept, save it as it changes, look for a simulator beside the page and
    /// start the clock.
    pub fn new() -> Self {
        let conn = RwSignal::new(Connection::load());
        Effect::new(move |_| conn.with(Connection::save));
        spawn_local(async move {
            let up = probe_sim().await;
            conn.update(|c| c.sim = Some(up));
        });
        let prices = RwSignal::new(store::load::<Prices>());
        Effect::new(move |_| prices.with(store::save));
        let now = RwSignal::new(now_ms());
        set_interval(move || now.set(now_ms()), Duration::from_millis(250));
        Shared {
            conn,
            limits: Memo::new(move |_| conn.with(Connection::limits)),
            prices,
            guard: RwSignal::new(Guard::default()),
            now,
        }
    }
}

impl Default for Shared {
    fn default() -> Self {
        Self::new()
    }
}
