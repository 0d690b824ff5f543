//! The task store and the task state machine.
//!
//! A task's timeline is fixed when it is created (a [`Plan`]) and its status is computed
//! from the clock when asked, so no background timers run and a test's reads see a
//! consistent history: `queued → [preprocessing →] running → succeeded | failed | expired`,
//! or `cancelled` once a queued task is deleted. Per-task faults are prompt markers:
//! `[fail]`, `[expire]`, `[slow]`, `[queued]` (stays queued until deleted or expired) and
//! `[unknown-status]` (an undocumented `preprocessing` status between queued and running).

use std::collections::HashMap;

use serde_json::{json, Value};

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
        }
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
}

impl Task {
    /// Status at `now_ms` and since when (unix ms) the task has had it.
    pub fn status_at(&self, now_ms: u64) -> (Status, u64) {
        if let Some(at) = self.cancelled_ms {
            return (Status::Cancelled, at);
        }
        let t0 = self.created_ms;
        let deadline = t0 + self.request.execution_expires_after * 1000;
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
        let t0 = self.created_ms;
        let deadline = t0 + self.request.execution_expires_after * 1000;
        let phases = if p.hold {
            vec![]
        } else {
            let t1 = t0 + p.queued_ms;
            let t2 = t1 + p.preprocessing_ms;
            vec![t1, t2, t2 + p.running_ms]
        };
        phases
            .into_iter()
            .chain(std::iter::once(deadline))
            .find(|t| *t > now_ms)
    }

    fn planned_at(&self, now_ms: u64) -> (Status, u64) {
        let p = &self.plan;
        let t0 = self.created_ms;
        if p.hold {
            return (Status::Queued, t0);
        }
        let t1 = t0 + p.queued_ms;
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

/// Links the task JSON needs; made by the caller, which knows how to sign them.
#[derive(Debug, Clone)]
pub struct ResultLinks {
    /// Signed MP4 URL.
    pub video_url: String,
    /// Signed PNG URL.
    pub last_frame_url: String,
}

/// The task as the API shows it (shape of the real sample in SPEC.md).
pub fn task_json(task: &Task, now_ms: u64, links: &ResultLinks) -> Value {
    let (status, since) = task.status_at(now_ms);
    let r = &task.request;
    let mut v = json!({
        "id": task.id,
        "model": r.model,
        "status": status.as_str(),
        "created_at": task.created_ms / 1000,
        "updated_at": since / 1000,
        "seed": task.seed,
        "resolution": r.resolution,
        "ratio": task.ratio,
        "duration": task.duration,
        "framespersecond": crate::tokens::FPS,
        "generate_audio": r.generate_audio,
        "draft": false,
        "execution_expires_after": r.execution_expires_after,
        "return_last_frame": r.return_last_frame,
    });
    match status {
        Status::Succeeded => {
            let mut content = json!({"video_url": links.video_url});
            if r.return_last_frame {
                content["last_frame_url"] = json!(links.last_frame_url);
            }
            v["content"] = content;
            let tokens =
                crate::tokens::completion_tokens(&r.resolution, &task.ratio, task.duration)
                    .unwrap_or(0);
            v["usage"] = json!({"completion_tokens": tokens, "total_tokens": tokens});
        }
        Status::Failed => {
            v["error"] = json!({
                "code": "OutputVideoSensitiveContentDetected",
                "message": "The generated video may contain sensitive content and was blocked. Try a different prompt.",
            });
        }
        _ => {}
    }
    v
}

/// Filters of `GET …/tasks`.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// `filter.status`.
    pub status: Option<String>,
    /// `filter.model`.
    pub model: Option<String>,
    /// `filter.task_ids` (repeatable); empty means all.
    pub task_ids: Vec<String>,
}

/// What DELETE did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deleted {
    /// A queued task is now `cancelled`.
    Cancelled,
    /// A finished task's record is gone.
    Removed,
}

/// Why DELETE was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeleteError {
    /// No such task for this owner.
    NotFound,
    /// The status forbids it (running, preprocessing, cancelled).
    Refused(Status),
}

/// All tasks of a run.
#[derive(Debug, Default)]
pub struct Store {
    tasks: HashMap<String, Task>,
    next_seq: u64,
}

impl Store {
    /// Add a task; fills in its `seq`.
    pub fn insert(&mut self, mut task: Task) {
        self.next_seq += 1;
        task.seq = self.next_seq;
        self.tasks.insert(task.id.clone(), task);
    }

    /// Whether an id is taken (ids are random: a clash must be re-rolled).
    pub fn contains(&self, id: &str) -> bool {
        self.tasks.contains_key(id)
    }

    /// The task `id` if `owner` may see it.
    pub fn get(&self, id: &str, owner: &str) -> Option<&Task> {
        self.tasks.get(id).filter(|t| t.owner == owner)
    }

    /// The owner's tasks matching `filter`, newest first.
    pub fn list(&self, owner: &str, filter: &ListFilter, now_ms: u64) -> Vec<&Task> {
        let mut out: Vec<&Task> = self
            .tasks
            .values()
            .filter(|t| t.owner == owner)
            .filter(|t| filter.model.as_ref().is_none_or(|m| &t.request.model == m))
            .filter(|t| filter.task_ids.is_empty() || filter.task_ids.contains(&t.id))
            .filter(|t| {
                filter
                    .status
                    .as_ref()
                    .is_none_or(|s| t.status_at(now_ms).0.as_str() == s)
            })
            .collect();
        out.sort_by_key(|t| std::cmp::Reverse((t.created_ms, t.seq)));
        out
    }

    /// Cancel a queued task or remove a finished one.
    pub fn delete(&mut self, id: &str, owner: &str, now_ms: u64) -> Result<Deleted, DeleteError> {
        let task = self
            .tasks
            .get_mut(id)
            .filter(|t| t.owner == owner)
            .ok_or(DeleteError::NotFound)?;
        match task.status_at(now_ms).0 {
            Status::Queued => {
                task.cancelled_ms = Some(now_ms);
                Ok(Deleted::Cancelled)
            }
            Status::Succeeded | Status::Failed | Status::Expired => {
                self.tasks.remove(id);
                Ok(Deleted::Removed)
            }
            other => Err(DeleteError::Refused(other)),
        }
    }

    /// Every task, oldest first (for the control API).
    pub fn all(&self) -> Vec<&Task> {
        let mut v: Vec<&Task> = self.tasks.values().collect();
        v.sort_by_key(|t| t.seq);
        v
    }

    /// Forget every task.
    pub fn clear(&mut self) {
        self.tasks.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn request(prompt: &str) -> CreateRequest {
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

    fn task(prompt: &str) -> Task {
        let timings = Timings {
            queued: Duration::from_millis(100),
            preprocessing: Duration::from_millis(50),
            running: Duration::from_millis(200),
            slow_factor: 3,
        };
        Task {
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
        }
    }

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

    #[test]
    fn delete_rules() {
        let mut s = Store::default();
        let mut t = task("[queued]");
        s.insert(t.clone());
        assert_eq!(
            s.delete(&t.id, "sk-other", 1_000_000),
            Err(DeleteError::NotFound)
        );
        assert_eq!(s.delete(&t.id, "sk-a", 1_000_500), Ok(Deleted::Cancelled));
        assert_eq!(
            s.delete(&t.id, "sk-a", 1_000_600),
            Err(DeleteError::Refused(Status::Cancelled))
        );
        t.id = "cgt-20260606160057-bbbbb".into();
        t.plan.hold = false;
        s.insert(t.clone());
        assert_eq!(
            s.delete(&t.id, "sk-a", 1_000_150),
            Err(DeleteError::Refused(Status::Running))
        );
        assert_eq!(s.delete(&t.id, "sk-a", 1_000_400), Ok(Deleted::Removed));
        assert!(s.get(&t.id, "sk-a").is_none());
    }
}
