//! The task store: every task of a run, owned by the key that created it, with the list
//! filters and the DELETE rules (a queued task is cancelled, a finished one removed).
//!
//! `lifecycle` is the state machine that says a task's status at a given time, `slots`
//! when each task leaves the queue under the account's cap on running tasks, and `view`
//! renders a task as the API shows it.

use std::collections::HashMap;

mod lifecycle;
mod slots;
mod view;

pub use lifecycle::{Outcome, Plan, Status, Task};
pub use view::{task_json, ResultLinks};

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
    /// Add a task; fills in its `seq` and when it (and its account's other tasks on that
    /// model) leave the queue.
    pub fn insert(&mut self, mut task: Task) {
        self.next_seq += 1;
        task.seq = self.next_seq;
        let (owner, model) = (task.owner.clone(), task.request.model.clone());
        self.tasks.insert(task.id.clone(), task);
        self.reschedule(&owner, &model);
    }

    /// Recompute the start times of one account's tasks on one model (see `slots`).
    fn reschedule(&mut self, owner: &str, model: &str) {
        let mut group: Vec<&mut Task> = self
            .tasks
            .values_mut()
            .filter(|t| t.owner == owner && t.request.model == model)
            .collect();
        group.sort_by_key(|t| t.seq);
        let entries: Vec<slots::Entry> = group
            .iter()
            .map(|t| slots::Entry {
                ready_ms: t.plan.ready_ms(t.created_ms),
                busy_ms: t.plan.busy_ms(),
                cap: t.plan.max_running,
                cancelled_ms: t.cancelled_ms,
                deadline_ms: t.deadline_ms(),
            })
            .collect();
        for (task, start) in group.into_iter().zip(slots::schedule(&entries)) {
            task.start_ms = start;
        }
    }

    fn visible(&self, id: &str, owner: &str) -> Option<&Task> {
        self.tasks
            .get(id)
            .filter(|t| t.owner == owner && t.deleted_ms.is_none())
    }

    /// Whether an id is taken (ids are random: a clash must be re-rolled).
    pub fn contains(&self, id: &str) -> bool {
        self.tasks.contains_key(id)
    }

    /// The task `id` if `owner` may see it.
    pub fn get(&self, id: &str, owner: &str) -> Option<&Task> {
        self.visible(id, owner)
    }

    /// The owner's tasks matching `filter`, newest first.
    pub fn list(&self, owner: &str, filter: &ListFilter, now_ms: u64) -> Vec<&Task> {
        let mut out: Vec<&Task> = self
            .tasks
            .values()
            .filter(|t| t.owner == owner && t.deleted_ms.is_none())
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
        self.visible(id, owner).ok_or(DeleteError::NotFound)?;
        let task = self.tasks.get_mut(id).ok_or(DeleteError::NotFound)?;
        match task.status_at(now_ms).0 {
            Status::Queued => {
                task.cancelled_ms = Some(now_ms);
                let model = task.request.model.clone();
                self.reschedule(owner, &model);
                Ok(Deleted::Cancelled)
            }
            Status::Succeeded | Status::Failed | Status::Expired => {
                // Hidden, not forgotten: the slot it held is part of its account's history.
                task.deleted_ms = Some(now_ms);
                Ok(Deleted::Removed)
            }
            other => Err(DeleteError::Refused(other)),
        }
    }

    /// Every task, oldest first, deleted records included (for the control API).
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
    use super::lifecycle::testing::task;
    use super::*;

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
        assert_eq!(
            s.delete(&t.id, "sk-a", 1_000_500),
            Err(DeleteError::NotFound),
            "a deleted record is gone for the API"
        );
    }

    #[test]
    fn a_cap_keeps_tasks_queued_until_a_slot_frees() {
        // Each task: 100 ms queued, 200 ms running; the account may run one at a time.
        let mut s = Store::default();
        let mut ids = Vec::new();
        for (i, prompt) in ["a", "b", "c"].into_iter().enumerate() {
            let mut t = task(prompt);
            t.id = format!("cgt-20260606160057-aaaa{i}");
            t.created_ms += i as u64; // created a millisecond apart
            t.plan.max_running = Some(1);
            ids.push(t.id.clone());
            s.insert(t);
        }
        let status = |s: &Store, i: usize, at: u64| s.get(&ids[i], "sk-a").unwrap().status_at(at);
        assert_eq!(status(&s, 0, 1_000_100), (Status::Running, 1_000_100));
        assert_eq!(status(&s, 1, 1_000_250).0, Status::Queued);
        assert_eq!(status(&s, 1, 1_000_300), (Status::Running, 1_000_300));
        // Cancelling the waiting third task leaves the others as they were.
        assert_eq!(s.delete(&ids[2], "sk-a", 1_000_350), Ok(Deleted::Cancelled));
        assert_eq!(status(&s, 1, 1_000_500), (Status::Succeeded, 1_000_500));
        assert_eq!(status(&s, 2, 1_000_600), (Status::Cancelled, 1_000_350));
        // Deleting a finished record keeps its slot in the history: replaying the account
        // for a new task still has the first task running until 1_000_300.
        assert_eq!(s.delete(&ids[0], "sk-a", 1_000_600), Ok(Deleted::Removed));
        let mut later = task("e");
        later.id = "cgt-20260606160057-ccccc".into();
        later.created_ms = 1_000_600;
        later.plan.max_running = Some(1);
        s.insert(later);
        assert_eq!(status(&s, 1, 1_000_400), (Status::Running, 1_000_300));
        // Another key's tasks have slots of their own.
        let mut other = task("d");
        other.id = "cgt-20260606160057-bbbbb".into();
        other.owner = "sk-b".into();
        other.plan.max_running = Some(1);
        s.insert(other);
        let t = s.get("cgt-20260606160057-bbbbb", "sk-b").unwrap();
        assert_eq!(t.status_at(1_000_100), (Status::Running, 1_000_100));
    }
}
