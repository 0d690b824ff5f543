//! Drives one generation: create, the task id as soon as it exists, polling with its
//! progress, cancel, and the end (a video, an error, or a stop), into a [`RunState`] the
//! page shows.

use std::time::Duration;

use futures::future::{AbortHandle, Abortable};
use leptos::prelude::*;
use leptos::task::spawn_local;

use seedance::{Client, CreateTaskRequest, Error, Task, TaskStatus, WaitOptions};

use crate::errors::explain;
use crate::run::{Phase, RunState};
use crate::web::now_ms;

/// The controller of the current generation.
#[derive(Clone, Copy)]
pub struct Runner {
    /// The state the page shows.
    pub state: RwSignal<RunState>,
    abort: StoredValue<Option<AbortHandle>>,
    client: StoredValue<Option<Client>, LocalStorage>,
}

impl Runner {
    /// A runner with nothing running.
    pub fn new() -> Self {
        Runner {
            state: RwSignal::new(RunState::default()),
            abort: StoredValue::new(None),
            client: StoredValue::new_local(None),
        }
    }

    /// Create the task and wait for it. **This spends money.**
    pub fn start(self, client: Client, req: CreateTaskRequest, scale_polls: bool) {
        let initial = RunState {
            phase: Phase::Creating,
            started_ms: now_ms(),
            request: Some(req.clone()),
            ..RunState::default()
        };
        let state = self.state;
        let c = client.clone();
        self.run(client, initial, async move {
            let created = c.create_task(&req).await?;
            let id = created.id;
            state.update(|s| {
                s.task_id = Some(id.clone());
                s.phase = Phase::Waiting;
                // A created task is queued: say so now, not only after the first GET.
                s.status = Some(TaskStatus::Queued);
            });
            let mut options = watching(state);
            if scale_polls {
                let mut policy = c.poll_policy().for_request(&req);
                // Someone is watching: a first GET within 10 s shows the task queued or
                // running, rather than the schedule's half-estimate of silence.
                policy.first_delay = policy.first_delay.min(Duration::from_secs(10));
                options = options.policy(policy);
            }
            c.wait(&id, options).await.map_err(|e| e.with_task_id(&id))
        });
    }

    /// Resume watching a task by id (after a reload, or one typed in).
    pub fn resume(self, client: Client, id: String) {
        let initial = RunState {
            phase: Phase::Waiting,
            task_id: Some(id.clone()),
            started_ms: now_ms(),
            ..RunState::default()
        };
        let state = self.state;
        let c = client.clone();
        self.run(client, initial, async move {
            c.wait(&id, watching(state)).await
        });
    }

    /// Replace whatever runs now with `work`, shown from `initial` to its end; `cancel`
    /// aborts it.
    fn run(
        self,
        client: Client,
        initial: RunState,
        work: impl core::future::Future<Output = Result<Task, Error>> + 'static,
    ) {
        if let Some(h) = self.abort.get_value() {
            h.abort();
        }
        let (handle, registration) = AbortHandle::new_pair();
        self.abort.set_value(Some(handle));
        self.client.set_value(Some(client));
        self.state.set(initial);
        let state = self.state;
        spawn_local(async move {
            let Ok(result) = Abortable::new(work, registration).await else {
                return;
            };
            state.update(|s| {
                s.ended_ms = Some(now_ms());
                s.next_poll_ms = None;
                match result {
                    Ok(task) => {
                        s.status = Some(task.status.clone());
                        s.phase = Phase::Succeeded(Box::new(task));
                    }
                    Err(e) => {
                        if let Error::TaskFailed { task } = &e {
                            s.status = Some(task.status.clone());
                        }
                        s.phase = Phase::Failed(explain(e));
                    }
                }
            });
        });
    }

    /// The client of the last generation.
    pub fn client(self) -> Option<Client> {
        self.client.get_value()
    }

    /// Watch a task by id with the last generation's client.
    pub fn watch(self, id: String) {
        if let Some(client) = self.client() {
            self.resume(client, id);
        }
    }

    /// Stop: polling ends at once; a queued (or not yet polled) task is deleted so it is
    /// not billed; a running task goes on on the server, and the page says so.
    pub fn cancel(self) {
        if let Some(h) = self.abort.get_value() {
            h.abort();
        }
        self.abort.set_value(None);
        let snapshot = self.state.get_untracked();
        if !snapshot.busy() {
            return;
        }
        let state = self.state;
        let stop = move |msg: String| {
            state.update(|s| {
                s.phase = Phase::Stopped(msg);
                s.ended_ms = Some(now_ms());
                s.next_poll_ms = None;
            })
        };
        match (snapshot.task_id, snapshot.status) {
            (None, _) => stop(
                "Cancelled before the server answered the create. A task may still have been made: \
                 look it up among recent tasks before trying again."
                    .into(),
            ),
            (Some(id), None | Some(TaskStatus::Queued)) => {
                stop(format!("Cancelling task {id} (it was queued)…"));
                let Some(client) = self.client.get_value() else { return };
                spawn_local(async move {
                    let msg = match client.delete_task(&id).await {
                        Ok(()) => format!("Cancelled task {id} while it was queued: nothing is billed."),
                        Err(Error::NotCancellable { .. }) => format!(
                            "Stopped watching task {id}. It had already started running: the server keeps generating it and will bill it. Look it up by id later to get the video."
                        ),
                        Err(e) => format!("Stopped watching task {id}, but the cancel failed: {e}"),
                    };
                    stop(msg);
                });
            }
            (Some(id), Some(status)) => stop(format!(
                "Stopped watching task {id}. It is {status}: a running task can't be cancelled, so the server keeps generating it and will bill it. Look it up by id later to get the video."
            )),
        }
    }
}

impl Default for Runner {
    fn default() -> Self {
        Self::new()
    }
}

/// Wait options that show each poll: count, status, error, and when the next one comes.
fn watching(state: RwSignal<RunState>) -> WaitOptions<'static> {
    WaitOptions::new().on_progress(move |p| {
        let at = now_ms();
        state.update(|s| {
            s.polls = p.polls;
            if p.status.is_some() {
                s.status = p.status.clone();
            }
            s.poll_error = p.error.clone();
            s.next_poll_ms = p.next_poll_in.map(|d| at + d.as_secs_f64() * 1000.0);
        });
    })
}
