//! Waiting for a task to end, and create + wait in one call.

use std::sync::{Arc, Mutex};

use crate::error::Error;
use crate::poll::{wait_for_task, PollPolicy, Progress};
use crate::types::{CreateTaskRequest, Task, TaskStatus};

use super::{rt, Client};

/// A progress callback: called after every poll.
#[cfg(not(target_arch = "wasm32"))]
pub type ProgressFn<'a> = Box<dyn FnMut(&Progress) + Send + 'a>;
/// A progress callback: called after every poll.
#[cfg(target_arch = "wasm32")]
pub type ProgressFn<'a> = Box<dyn FnMut(&Progress) + 'a>;

/// A callback given the new task id as soon as the server returns it.
#[cfg(not(target_arch = "wasm32"))]
pub type CreatedFn<'a> = Box<dyn FnMut(&str) + Send + 'a>;
/// A callback given the new task id as soon as the server returns it.
#[cfg(target_arch = "wasm32")]
pub type CreatedFn<'a> = Box<dyn FnMut(&str) + 'a>;

/// How to wait: callbacks, a policy, and whether dropping the wait cancels a queued task.
///
/// ```
/// let opts = seedance::WaitOptions::new()
///     .on_created(|id| println!("created {id}"))
///     .on_progress(|p| println!("{:?}", p.status))
///     .cancel_on_drop(true);
/// # drop(opts);
/// ```
#[derive(Default)]
pub struct WaitOptions<'a> {
    policy: Option<PollPolicy>,
    on_progress: Option<ProgressFn<'a>>,
    on_created: Option<CreatedFn<'a>>,
    cancel_on_drop: bool,
}

impl<'a> WaitOptions<'a> {
    /// The defaults: the client's policy (scaled to the request by `generate`), no
    /// callbacks, no cancel on drop.
    pub fn new() -> Self {
        Self::default()
    }

    /// Use exactly this policy.
    pub fn policy(mut self, policy: PollPolicy) -> Self {
        self.policy = Some(policy);
        self
    }

    /// Call `f` after every poll.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn on_progress(mut self, f: impl FnMut(&Progress) + Send + 'a) -> Self {
        self.on_progress = Some(Box::new(f));
        self
    }

    /// Call `f` after every poll.
    #[cfg(target_arch = "wasm32")]
    pub fn on_progress(mut self, f: impl FnMut(&Progress) + 'a) -> Self {
        self.on_progress = Some(Box::new(f));
        self
    }

    /// Call `f` with the task id as soon as the create returns it (`generate` only).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn on_created(mut self, f: impl FnMut(&str) + Send + 'a) -> Self {
        self.on_created = Some(Box::new(f));
        self
    }

    /// Call `f` with the task id as soon as the create returns it (`generate` only).
    #[cfg(target_arch = "wasm32")]
    pub fn on_created(mut self, f: impl FnMut(&str) + 'a) -> Self {
        self.on_created = Some(Box::new(f));
        self
    }

    /// When the wait is dropped before the task ends and the task was last seen queued (or,
    /// in `generate`, was just created and not polled yet), send a DELETE in the background
    /// so it is cancelled and not billed. A running task can't be cancelled: it is left to
    /// finish. A resumed task that was never seen queued is never deleted.
    pub fn cancel_on_drop(mut self, on: bool) -> Self {
        self.cancel_on_drop = on;
        self
    }
}

impl core::fmt::Debug for WaitOptions<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("WaitOptions")
            .field("policy", &self.policy)
            .field("on_progress", &self.on_progress.is_some())
            .field("on_created", &self.on_created.is_some())
            .field("cancel_on_drop", &self.cancel_on_drop)
            .finish()
    }
}

/// Sends a DELETE for a still-queued task when the wait it guards is dropped unfinished.
struct CancelGuard {
    armed: Option<(Client, String)>,
    last_status: Arc<Mutex<Option<TaskStatus>>>,
    /// Whether a task never polled counts as queued: true only right after `generate`
    /// created it. A resumed id may be long finished, and deleting a finished task deletes
    /// its paid result.
    fresh: bool,
}

impl Drop for CancelGuard {
    fn drop(&mut self) {
        let Some((client, id)) = self.armed.take() else {
            return;
        };
        let status = self.last_status.lock().map(|s| s.clone()).unwrap_or(None);
        let queued = match status {
            Some(s) => s == TaskStatus::Queued,
            None => self.fresh,
        };
        if queued {
            rt::spawn_detached(async move {
                let _ = client.delete_task(&id).await;
            });
        }
    }
}

impl Client {
    /// Poll a task until it ends, from any task id (one this process did not create too, e.g.
    /// after a page reload).
    ///
    /// Ends with `Ok(task)` on `succeeded`; [`Error::TaskFailed`] (with the task and its
    /// `error`) on `failed`, `expired` or `cancelled`; [`Error::WaitTimeout`] at the deadline
    /// or request budget (the task goes on on the server: wait again later). GETs that fail
    /// with 429, 5xx or a network error are retried with backoff. Dropping the future stops
    /// polling at once (no further request, no timer left).
    pub async fn wait(&self, task_id: &str, mut options: WaitOptions<'_>) -> Result<Task, Error> {
        let policy = options
            .policy
            .take()
            .unwrap_or_else(|| self.inner.poll.clone());
        self.wait_with(task_id, &policy, options, false).await
    }

    async fn wait_with(
        &self,
        task_id: &str,
        policy: &PollPolicy,
        options: WaitOptions<'_>,
        fresh: bool,
    ) -> Result<Task, Error> {
        let mut guard = CancelGuard {
            armed: options
                .cancel_on_drop
                .then(|| (self.clone(), task_id.to_owned())),
            last_status: Arc::new(Mutex::new(None)),
            fresh,
        };
        let last_status = Arc::clone(&guard.last_status);
        let mut user = options.on_progress;
        let clock = rt::RuntimeClock::new();
        let result = wait_for_task(
            &clock,
            task_id,
            policy,
            || self.get_task(task_id),
            |p: &Progress| {
                if let (Some(status), Ok(mut slot)) = (&p.status, last_status.lock()) {
                    *slot = Some(status.clone());
                }
                if let Some(f) = user.as_mut() {
                    f(p);
                }
            },
        )
        .await;
        // Finished (either way) while still being polled: nothing to cancel.
        guard.armed = None;
        result
    }

    /// Create a task and wait for it: [`create_task`](Self::create_task) then
    /// [`wait`](Self::wait), with the schedule scaled to the request's expected time.
    /// **This spends money.**
    ///
    /// The task id goes to `on_created` as soon as it exists, and every error after the
    /// create carries it ([`Error::task_id`]), so a caller that times out never loses it.
    pub async fn generate(
        &self,
        req: &CreateTaskRequest,
        mut options: WaitOptions<'_>,
    ) -> Result<Task, Error> {
        let created = self.create_task(req).await?;
        if let Some(f) = options.on_created.as_mut() {
            f(&created.id);
        }
        let policy = options
            .policy
            .take()
            .unwrap_or_else(|| self.inner.poll.for_request(req));
        self.wait_with(&created.id, &policy, options, true)
            .await
            .map_err(|e| e.with_task_id(&created.id))
    }
}
