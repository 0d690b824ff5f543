//! Starting, resuming and restoring a view's run of many tasks: the client and options
//! for the connection (limits, poll interval, retries), the spend guard's questions, and
//! the resume after a reload.

use leptos::prelude::*;
use leptos::task::spawn_local;

use seedance::jobs::RunOptions;
use seedance::numfmt::group;
use seedance::{Client, Estimate};

use crate::jobrun::JobRun;
use crate::runs::{self, RunSource};
use crate::shared::Shared;
use crate::web::confirm;

/// How a view's run is made: the connection's client, the account's limits and the poll
/// interval for its backend.
fn options(shared: Shared) -> Result<(Client, RunOptions), String> {
    let conn = shared.conn.get_untracked();
    let client = conn.client()?;
    // A download the page can't read (a result host without CORS) fails like a network
    // error: give up on it within seconds, not half a minute; Resume goes on.
    let poll = seedance::PollPolicy {
        max_retries: 3,
        retry_base: std::time::Duration::from_millis(500),
        ..client.poll_policy().clone()
    };
    let options = RunOptions {
        limits: runs::limits(shared.enterprise.get_untracked()),
        poll,
        fixed_interval: conn.run_poll_interval(),
    };
    Ok((client, options))
}

/// Start a new run of `source` after the spend guard's questions (the session budget
/// against the run's worst case, 1080p, long tasks). **This spends money.**
pub fn launch(shared: Shared, run: JobRun, source: RunSource, estimate: &Estimate) {
    let plan = source.plan();
    let why = shared
        .guard
        .with_untracked(|g| runs::needs_asking(g, estimate, &plan));
    if !why.is_empty() {
        let msg = format!(
            "This run of {} task(s) costs up to {} tokens, and {}.\n\nStart it anyway?",
            plan.jobs.len(),
            group(estimate.tokens_max),
            why.join("; ")
        );
        if !confirm(&msg) {
            return;
        }
    }
    let started = options(shared).and_then(|(client, options)| {
        let journal = source.journal(None)?;
        Ok((client, options, journal))
    });
    match started {
        Ok((client, options, journal)) => {
            shared.spend(estimate.tokens_max);
            run.forget_results();
            run.notes.set(Vec::new());
            run.start(client, options, source, journal);
        }
        Err(e) => run.notes.set(vec![e]),
    }
}

/// Go on with the run the journal holds (after a stop, or jobs given up for now): nothing
/// is created twice.
pub fn resume(shared: Shared, run: JobRun) {
    let (Some(source), Some(journal)) = (run.source.get_untracked(), run.journal.get_untracked())
    else {
        return;
    };
    match options(shared).and_then(|(c, o)| Ok((c, o, source.journal(Some(journal))?))) {
        Ok((client, options, journal)) => run.start(client, options, source, journal),
        Err(e) => run.note(e),
    }
}

/// Once the backend is known (the page may look for a simulator first), show the view's
/// saved run and resume it if it has work left; `restored` puts its source back on the
/// view (the storyboard, the prompts).
pub fn resume_on_load(shared: Shared, run: JobRun, restored: impl Fn(&RunSource) + Copy + 'static) {
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) || shared.conn.with(|c| c.sim.is_none()) {
            return done.unwrap_or(false);
        }
        spawn_local(async move {
            let Some(source) = run.restore().await else {
                return;
            };
            restored(&source);
            let journal = run.journal.get_untracked();
            if let (Some(journal), Ok((client, options))) = (journal, options(shared)) {
                if runs::unfinished(&journal) {
                    run.start(client, options, source, journal);
                }
            }
        });
        true
    });
}
