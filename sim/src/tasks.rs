//! The task store: every task of a run, owned by the key that created it, with the list
//! filters and the DELETE rules (a queued task is cancelled, a finished one removed).
//!
//! `lifecycle` is the state machine that says a task's status at a given time; `view`
//! renders a task as the API shows it.

use std::collections::HashMap;

mod lifecycle;
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
    }
}
