//! When each task leaves `queued`, under the account's cap on running tasks.
//!
//! The real service runs at most N tasks at once per account and model; the others wait
//! `queued`. Statuses here are computed from the clock, not by timers, so the start times
//! are computed instead: a pure function of the tasks of one (key, model), replayed in time
//! order whenever the set changes (a create, a cancellation). A task is *ready* when its
//! own queue time has passed; at each moment a slot is free, the ready tasks take free slots
//! in creation order; a task holds its slot until it finishes (or expires). The cap is the
//! one in force when the task was created, so changing it later never rewrites the past.
//!
//! Replaying is consistent with what clients already saw: a new task is ready no earlier
//! than its creation, and a task can only be cancelled while queued, so neither changes any
//! start time before the moment it happens.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

/// One task as the scheduler sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// When its own queue time ends (unix ms); `None` never (held `[queued]`).
    pub ready_ms: Option<u64>,
    /// How long it holds a slot once started (preprocessing + running), ms.
    pub busy_ms: u64,
    /// The cap on running tasks when it was created; `None`: no cap.
    pub cap: Option<u32>,
    /// When it was cancelled (only ever while queued).
    pub cancelled_ms: Option<u64>,
    /// `execution_expires_after` from creation: a task waiting then never starts, a task
    /// running then stops (expired) and frees its slot.
    pub deadline_ms: u64,
}

impl Entry {
    /// Whether the task is out of the queue for good by `t` without having started.
    fn dropped_by(&self, t: u64) -> bool {
        self.cancelled_ms.is_some_and(|c| c <= t) || self.deadline_ms <= t
    }
}

/// Start times (unix ms) of `tasks`, given in creation order; `None`: never starts.
pub fn schedule(tasks: &[Entry]) -> Vec<Option<u64>> {
    let mut start = vec![None; tasks.len()];
    let mut by_ready: Vec<usize> = (0..tasks.len())
        .filter(|&i| tasks[i].ready_ms.is_some())
        .collect();
    by_ready.sort_by_key(|&i| (tasks[i].ready_ms, i));
    let mut next = 0; // into by_ready
    let mut waiting: BTreeSet<usize> = BTreeSet::new(); // ready, in creation order
    let mut running: BinaryHeap<Reverse<u64>> = BinaryHeap::new(); // end times
    loop {
        let next_ready = by_ready.get(next).and_then(|&i| tasks[i].ready_ms);
        let next_end = running.peek().map(|Reverse(t)| *t);
        let t = match (next_ready, next_end) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) => a,
            (None, Some(b)) if !waiting.is_empty() => b,
            _ => break,
        };
        while running.peek().is_some_and(|Reverse(end)| *end <= t) {
            running.pop();
        }
        while let Some(&i) = by_ready
            .get(next)
            .filter(|&&i| tasks[i].ready_ms <= Some(t))
        {
            waiting.insert(i);
            next += 1;
        }
        waiting.retain(|&i| !tasks[i].dropped_by(t));
        let starting: Vec<usize> = waiting
            .iter()
            .copied()
            .filter(|&i| {
                let free = tasks[i].cap.is_none_or(|cap| running.len() < cap as usize);
                if free {
                    let end = (t + tasks[i].busy_ms).min(tasks[i].deadline_ms);
                    running.push(Reverse(end));
                }
                free
            })
            .collect();
        for i in starting {
            waiting.remove(&i);
            start[i] = Some(t);
        }
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(ready: u64, busy: u64, cap: Option<u32>) -> Entry {
        Entry {
            ready_ms: Some(ready),
            busy_ms: busy,
            cap,
            cancelled_ms: None,
            deadline_ms: 1_000_000,
        }
    }

    #[test]
    fn without_a_cap_every_task_starts_when_ready() {
        let tasks = [
            entry(10, 100, None),
            entry(20, 100, None),
            entry(5, 1, None),
        ];
        assert_eq!(schedule(&tasks), [Some(10), Some(20), Some(5)]);
    }

    #[test]
    fn a_cap_makes_later_tasks_wait_for_a_free_slot_in_creation_order() {
        // Cap 2: five tasks ready at 0, each busy 100 ms (the fifth 50 ms).
        let mut tasks = vec![entry(0, 100, Some(2)); 5];
        tasks[1].busy_ms = 150;
        tasks[4].busy_ms = 50;
        assert_eq!(
            schedule(&tasks),
            [Some(0), Some(0), Some(100), Some(150), Some(200)]
        );
    }

    #[test]
    fn a_task_not_yet_ready_does_not_hold_up_a_ready_one() {
        // Cap 1: the first task is ready only at 500; the second, created later, at 0.
        let tasks = [entry(500, 100, Some(1)), entry(0, 100, Some(1))];
        assert_eq!(schedule(&tasks), [Some(500), Some(0)]);
        // Both ready at 100 while one runs until 200: creation order decides.
        let tasks = [
            entry(0, 200, Some(1)),
            entry(100, 10, Some(1)),
            entry(100, 10, Some(1)),
        ];
        assert_eq!(schedule(&tasks), [Some(0), Some(200), Some(210)]);
    }

    #[test]
    fn cancelled_held_and_expired_tasks_never_take_a_slot() {
        let mut cancelled = entry(0, 100, Some(1));
        cancelled.cancelled_ms = Some(50);
        let mut held = entry(0, 100, Some(1));
        held.ready_ms = None;
        let mut expires = entry(0, 100, Some(1));
        expires.deadline_ms = 150; // still waiting at its deadline
        let tasks = [
            entry(0, 200, Some(1)),
            cancelled,
            held,
            expires,
            entry(0, 10, Some(1)),
        ];
        assert_eq!(schedule(&tasks), [Some(0), None, None, None, Some(200)]);
        // A running task stops at its deadline and frees its slot then.
        let mut long = entry(0, 10_000, Some(1));
        long.deadline_ms = 300;
        assert_eq!(
            schedule(&[long, entry(0, 10, Some(1))]),
            [Some(0), Some(300)]
        );
    }

    #[test]
    fn each_task_keeps_the_cap_it_was_created_under() {
        // Created under cap 1, then the cap was raised to 3 for the third task.
        let tasks = [
            entry(0, 100, Some(1)),
            entry(0, 100, Some(1)),
            entry(0, 100, Some(3)),
        ];
        assert_eq!(schedule(&tasks), [Some(0), Some(100), Some(0)]);
    }
}
