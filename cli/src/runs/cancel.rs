//! `--cancel`: the queued tasks a journal holds are cancelled (DELETE; not billed), the
//! running ones named (they can't be cancelled: they finish and are billed). Creates nothing;
//! the journal records what it found, so a rerun leaves cancelled jobs alone (unless
//! `--retry-failed`).

use seedance::jobs::{JobApi, JobState};
use seedance::{Client, TaskStatus};

use super::session::Session;
use crate::failure::{Failure, EXIT_FAILED};

impl Session {
    pub async fn cancel(&mut self, client: &Client) -> Result<(), Failure> {
        let (mut cancelled, mut running, mut errors) = (0, Vec::new(), Vec::new());
        for i in 0..self.journal.jobs.len() {
            let rec = &self.journal.jobs[i];
            let label = self.spec.labels[i].clone();
            if matches!(rec.state, JobState::Creating | JobState::Unknown) && rec.task_id.is_none()
            {
                println!(
                    "unknown: {label}: its create's outcome is unknown (look with `seedance list`)"
                );
                continue;
            }
            let Some(id) = rec.task_id.clone() else {
                continue;
            };
            if !rec.state.holds_slot() {
                continue;
            }
            let task = match client.get_task(&id).await {
                Ok(t) => t,
                Err(e) => {
                    errors.push(format!("{label} ({id}): {e}"));
                    continue;
                }
            };
            if task.status == TaskStatus::Queued {
                match client.delete_task(&id).await {
                    Ok(()) => {
                        let mut gone = task.clone();
                        gone.status = TaskStatus::Cancelled;
                        self.journal.observed(i, &gone, client.now_ms());
                        cancelled += 1;
                        println!("cancelled: {label} (task {id}) was queued; it is not billed");
                    }
                    Err(e) => errors.push(format!("{label} ({id}): {e}")),
                }
            } else {
                self.journal.observed(i, &task, client.now_ms());
                if !task.is_terminal() {
                    println!(
                        "running: {label} (task {id}) is {}: it can't be cancelled; it finishes and is billed",
                        task.status
                    );
                    running.push(label);
                }
            }
        }
        self.store
            .save_now(&self.journal)
            .map_err(|e| Failure::new(EXIT_FAILED, e))?;
        let tasks = |n: usize| if n == 1 { "task" } else { "tasks" };
        eprintln!(
            "cancelled {cancelled} queued {}; {} still running (billed when they finish); journal {}",
            tasks(cancelled),
            running.len(),
            self.spec.journal.display()
        );
        if !errors.is_empty() {
            return Err(Failure::new(
                EXIT_FAILED,
                format!("could not cancel: {}", errors.join("; ")),
            ));
        }
        Ok(())
    }
}
