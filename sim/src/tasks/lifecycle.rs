//! The task state machine: a task's timeline is fixed when it is created (a [`Plan`]) and
//! its status is computed from the clock when asked, so no background timers run and a
//! test's reads see a consistent history: `queued → [preprocessing →] running → succeeded |
//! failed | expired`, or `cancelled` once a queued task is deleted. Per-task faults are
//! prompt markers: `[fail]`, `[expire]`, `[slow]`, `[queued]` (stays queued until deleted or
//! expired) and `[unknown-status]` (an undocumented `preprocessing` status between queued
//! and running).

use crate::config::Timings;
use crate::validate::CreateRequest;

/// Task statuses, including the undocumented one the `[unknown-status]` marker produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Waiting for a worker.
    Queued,
    /// Not in the documented set: a client must treat it as "not finished yet".
    Preprocessing,
    /// Generating.
    Running,
    /// Finished with a video.
    Succeeded,
    /// Finished with an error.
    Failed,
    /// Ran out of `execution_expires_after`.
    Expired,
    /// Deleted while queued.
    Cancelled,
}

impl Status {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Preprocessing => "preprocessing",
            Status::Running => "running",
            Status::Succeeded => "succeeded",
            Status::Failed => "failed",
            Status::Expired => "expired",
            Status::Cancelled => "cancelled",
        }
    }

    /// Whether the task will not change any more.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            Status::Succeeded | Status::Failed | Status::Expired | Status::Cancelled
        )
    }

    /// The documented statuses a list filter may name.
    pub const FILTERABLE: [&'static str; 6] = [
        "queued",
        "running",
        "cancelled",
        "succeeded",
        "failed",
        "expired",
    ];
}

/// How a task ends if nothing interrupts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// `succeeded`.
    Succeed,
    /// `failed` with `OutputVideoSensitiveContentDetected`.
    Fail,
    /// `expired`.
    Expire,
}

/// A task's timeline, fixed at creation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Milliseconds queued.
    pub queued_ms: u64,
    /// Milliseconds in `preprocessing` (0 unless `[unknown-status]`).
    pub preprocessing_ms: u64,
    /// Milliseconds running.
    pub running_ms: u64,
    /// The end.
    pub outcome: Outcome,
    /// Stay queued until deleted (`[queued]`).
    pub hold: bool,
    /// The account's cap on running tasks (per key and model) when the task was created.
    pub max_running: Option<u32>,
}

impl Plan {
    /// The plan for a prompt under `timings`, reading the markers.
    pub fn from_prompt(prompt: &str, timings: &Timings) -> Self {
        let p = prompt.to_ascii_lowercase();
        let has = |m: &str| p.contains(m);
        let factor = if has("[slow]") {
            u64::from(timings.slow_factor.max(1))
        } else {
            1
        };
        let ms = |d: std::time::Duration| d.as_millis() as u64 * factor;
        Self {
            queued_ms: ms(timings.queued),
            preprocessing_ms: if has("[unknown-status]") {
                ms(timings.preprocessing)
            } else {
                0
            },
            running_ms: ms(timings.running),
            outcome: if has("[fail]") {
                Outcome::Fail
            } else if has("[expire]") {
                Outcome::Expire
            } else {
                Outcome::Succeed
            },
            hold: has("[queued]"),
            max_running: None,
        }
    }

    /// When the task's own queue time ends for a task created at `created_ms`; `None` for a
    /// held task. It starts then, or later when the account has no free slot.
    pub fn ready_ms(&self, created_ms: u64) -> Option<u64> {
        (!self.hold).then_some(created_ms + self.queued_ms)
    }

    /// How long the task holds a slot once started: preprocessing and running.
    pub fn busy_ms(&self) -> u64 {
        self.preprocessing_ms + self.running_ms
    }
}

/// A stored task.
#[derive(Debug, Clone)]
pub struct Task {
    /// `cgt-…` id.
    pub id: String,
    /// The API key that created it (tasks belong to an account).
    pub owner: String,
    /// Creation time, unix ms.
    pub created_ms: u64,
    /// Order of creation, to sort tasks created in the same millisecond.
    pub seq: u64,
    /// The validated request.
    pub request: CreateRequest,
    /// Seed actually used.
    pub seed: u64,
    /// Ratio actually used (never `adaptive`).
    pub ratio: String,
    /// Duration actually produced, seconds (never -1).
    pub duration: u64,
    /// Timeline.
    pub plan: Plan,
    /// When a queued task was cancelled, unix ms.
    pub cancelled_ms: Option<u64>,
    /// When it leaves `queued` (unix ms), as the store's scheduler decides from the account's
    /// free slots; `None`: it never does (held, cancelled or expired while waiting).
    pub start_ms: Option<u64>,
    /// When a finished task's record was deleted: hidden from the API from then on, but kept
    /// so that the slot it held stays in the account's history.
    pub deleted_ms: Option<u64>,
}

impl Task {
    /// Status at `now_ms` and since when (unix ms) the task has had it.
    pub fn status_at(&self, now_ms: u64) -> (Status, u64) {
        if let Some(at) = self.cancelled_ms {
            return (Status::Cancelled, at);
        }
        let deadline = self.deadline_ms();
        let (status, since) = self.planned_at(now_ms);
        // The service gives up on a task that is still unfinished at its deadline.
        let finished_before_deadline = status.is_terminal() && since <= deadline;
        if now_ms >= deadline && !finished_before_deadline {
            return (Status::Expired, deadline);
        }
        (status, since)
    }

    /// When the status will next change after `now_ms` (unix ms); `None` once terminal.
    /// Cancellation is not foreseeable, so watchers must also re-check now and then.
    pub fn next_change_after(&self, now_ms: u64) -> Option<u64> {
        let (status, _) = self.status_at(now_ms);
        if status.is_terminal() {
            return None;
        }
        let p = &self.plan;
        let phases = match self.start_ms {
            None => vec![],
            Some(t1) => {
                let t2 = t1 + p.preprocessing_ms;
                vec![t1, t2, t2 + p.running_ms]
            }
        };
        phases
            .into_iter()
            .chain(std::iter::once(self.deadline_ms()))
            .find(|t| *t > now_ms)
    }

    /// `execution_expires_after` after creation (unix ms).
    pub fn deadline_ms(&self) -> u64 {
        self.created_ms + self.request.execution_expires_after * 1000
    }

    /// When the task reached a final status (unix ms), if it has by `now_ms`.
    pub fn finished_at(&self, now_ms: u64) -> Option<u64> {
        let (status, since) = self.status_at(now_ms);
        status.is_terminal().then_some(since)
    }

    fn planned_at(&self, now_ms: u64) -> (Status, u64) {
        let p = &self.plan;
        let t0 = self.created_ms;
        let Some(t1) = self.start_ms else {
            return (Status::Queued, t0);
        };
        let t2 = t1 + p.preprocessing_ms;
        let t3 = t2 + p.running_ms;
        if now_ms < t1 {
            (Status::Queued, t0)
        } else if now_ms < t2 {
            (Status::Preprocessing, t1)
        } else if now_ms < t3 {
            (Status::Running, t2)
        } else {
            let end = match p.outcome {
                Outcome::Succeed => Status::Succeeded,
                Outcome::Fail => Status::Failed,
                Outcome::Expire => Status::Expired,
            };
            (end, t3)
        }
    }
}

/// Builders for the unit tests of the task modules.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use std::time::Duration;

    pub(crate) fn request(prompt: &str) -> CreateRequest {
        CreateRequest {
            model: "m".into(),
            prompt: prompt.into(),
            resolution: "720p".into(),
            ratio: "16:9".into(),
            first_image_aspect: None,
            duration: 5,
            generate_audio: true,
            watermark: false,
            seed: -1,
            return_last_frame: false,
            execution_expires_after: 3600,
            callback_url: None,
        }
    }

    pub(crate) fn task(prompt: &str) -> Task {
        let timings = Timings {
            queued: Duration::from_millis(100),
            preprocessing: Duration::from_millis(50),
            running: Duration::from_millis(200),
            slow_factor: 3,
        };
        let mut t = Task {
            id: "cgt-20260606160057-aaaaa".into(),
            owner: "sk-a".into(),
            created_ms: 1_000_000,
            seq: 0,
            plan: Plan::from_prompt(prompt, &timings),
            request: request(prompt),
            seed: 1,
            ratio: "16:9".into(),
            duration: 5,
            cancelled_ms: None,
            start_ms: None,
            deleted_ms: None,
        };
        // Without a cap on running tasks, a task starts when it is ready.
        t.start_ms = t.plan.ready_ms(t.created_ms);
        t
    }
}

#[cfg(test)]
mod tests {
    use super::testing::task;
    use super::*;

    #[test]
    fn timeline() {
        let t = task("a cat");
        let at = |ms: u64| t.status_at(1_000_000 + ms);
        assert_eq!(at(0), (Status::Queued, 1_000_000));
        assert_eq!(at(99).0, Status::Queued);
        assert_eq!(at(100), (Status::Running, 1_000_100));
        assert_eq!(at(300), (Status::Succeeded, 1_000_300));
    }

    #[test]
    fn markers() {
        assert_eq!(task("[fail] x").status_at(1_000_300).0, Status::Failed);
        assert_eq!(task("x [EXPIRE]").status_at(1_000_300).0, Status::Expired);
        assert_eq!(task("[slow]").status_at(1_000_299).0, Status::Queued);
        assert_eq!(task("[slow]").status_at(1_000_900).0, Status::Succeeded);
        let u = task("[unknown-status]");
        assert_eq!(u.status_at(1_000_120).0, Status::Preprocessing);
        assert_eq!(u.status_at(1_000_160).0, Status::Running);
        let q = task("[queued]");
        assert_eq!(q.status_at(1_000_000 + 3_599_999).0, Status::Queued);
        // execution_expires_after (3600 s) ends a task that never ran.
        assert_eq!(
            q.status_at(1_000_000 + 3_600_000),
            (Status::Expired, 1_000_000 + 3_600_000)
        );
    }

    #[test]
    fn next_change() {
        let t = task("a cat");
        assert_eq!(t.next_change_after(1_000_000), Some(1_000_100));
        assert_eq!(t.next_change_after(1_000_100), Some(1_000_300));
        assert_eq!(t.next_change_after(1_000_300), None);
        assert_eq!(
            task("[queued]").next_change_after(1_000_000),
            Some(1_000_000 + 3_600_000)
        );
    }
}
