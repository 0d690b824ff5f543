//! The run itself: the core's `run_jobs` on the `Client`, with Ctrl-C. The first Ctrl-C
//! stops creating and waiting but lets a create already sent get its answer (so its task id
//! is in the journal); a create not yet sent is put back to pending. A second Ctrl-C stops
//! at once (a create in flight then stays `creating`, and the next run looks it up).

use std::cell::Cell;
use std::pin::pin;
use std::time::Duration;

use seedance::jobs::{
    run_jobs, JobApi, JobPlan, JobState, JobStore, Journal, RunEvent, RunOptions, RunReport,
};
use seedance::{Client, CreateTaskRequest, CreatedTask, Error, Task};

/// How a run ended.
pub enum Ended {
    /// The engine had nothing more to do (its report says whether creating stopped early).
    Finished(RunReport),
    /// Ctrl-C.
    Interrupted,
    /// The journal or a result could not be written.
    Storage(Error),
}

/// What the Ctrl-C handling and the API share.
#[derive(Default)]
struct Guard {
    interrupted: Cell<bool>,
    in_flight: Cell<bool>,
    /// A create was held back after Ctrl-C: its job says `creating`, but nothing was sent.
    held: Cell<bool>,
}

/// The `Client` as the run's API, holding back creates after Ctrl-C.
struct Api<'a> {
    client: &'a Client,
    guard: &'a Guard,
}

impl JobApi for Api<'_> {
    async fn create(&self, request: &CreateTaskRequest) -> Result<CreatedTask, Error> {
        if self.guard.interrupted.get() {
            self.guard.held.set(true);
            std::future::pending::<()>().await;
        }
        self.guard.in_flight.set(true);
        let created = JobApi::create(self.client, request).await;
        self.guard.in_flight.set(false);
        created
    }

    async fn get(&self, task_id: &str) -> Result<Task, Error> {
        JobApi::get(self.client, task_id).await
    }

    async fn recent(&self, model: &str, created_after: i64) -> Result<Vec<Task>, Error> {
        self.client.recent(model, created_after).await
    }

    async fn download(&self, url: &str) -> Result<Vec<u8>, Error> {
        JobApi::download(self.client, url).await
    }

    async fn sleep(&self, duration: Duration) {
        JobApi::sleep(self.client, duration).await
    }

    fn now_ms(&self) -> u64 {
        self.client.now_ms()
    }
}

/// Run `plan` until the engine is done or Ctrl-C; the journal is saved either way (after
/// an interrupt too, with a held-back create put back to pending).
pub async fn drive<S: JobStore>(
    plan: &JobPlan,
    journal: &mut Journal,
    client: &Client,
    store: &mut S,
    options: &RunOptions,
    on_event: &mut dyn FnMut(&RunEvent),
    on_interrupt: &mut dyn FnMut(),
) -> Ended {
    let guard = Guard::default();
    let api = Api {
        client,
        guard: &guard,
    };
    let mut last_creating: Option<usize> = None;
    let outcome = {
        let mut events = |e: &RunEvent| {
            if let RunEvent::Creating { job } = e {
                last_creating = Some(*job);
            }
            on_event(e);
        };
        let run = run_jobs(plan, journal, &api, store, options, &mut events);
        let mut run = pin!(run);
        let mut ctrl_c = pin!(tokio::signal::ctrl_c());
        let mut presses = 0;
        loop {
            tokio::select! {
                biased;
                r = &mut ctrl_c, if presses < 2 => {
                    match r {
                        Ok(()) => {
                            presses += 1;
                            guard.interrupted.set(true);
                            if presses == 1 {
                                on_interrupt();
                            }
                            ctrl_c.set(tokio::signal::ctrl_c());
                        }
                        // No signal handling here: run to the end.
                        Err(_) => presses = 2,
                    }
                }
                out = &mut run => break Some(out),
                _ = tokio::time::sleep(Duration::from_millis(20)), if guard.interrupted.get() => {}
            }
            if guard.interrupted.get() && (!guard.in_flight.get() || presses >= 2) {
                break None;
            }
        }
    };
    match outcome {
        Some(Ok(report)) => Ended::Finished(report),
        Some(Err(e)) => Ended::Storage(e),
        None => {
            if let (true, Some(i)) = (guard.held.get(), last_creating) {
                if journal.jobs[i].state == JobState::Creating {
                    journal.not_created(i);
                }
            }
            match store.save_journal(journal).await {
                Ok(()) => Ended::Interrupted,
                Err(message) => Ended::Storage(Error::Storage {
                    what: "journal".to_owned(),
                    message,
                }),
            }
        }
    }
}
