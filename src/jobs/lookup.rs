//! Finding the task of a job left `creating` (the run died, or the create's answer was
//! lost): through the list route, never by creating again.

use super::io::JobApi;
use super::journal::Journal;
use super::plan::Job;
use crate::types::Task;

/// The one listed task that job `i` could have made: same model, created from a minute
/// before its POST to three minutes after, not claimed by another job of the journal, and
/// with the settings it asked for. `Err` says why none (or several) qualify.
pub(super) async fn lookup<A: JobApi>(
    api: &A,
    job: &Job,
    journal: &Journal,
    i: usize,
) -> Result<Task, String> {
    let sent = (journal.jobs[i].creating_at.unwrap_or_else(|| api.now_ms()) / 1000) as i64;
    let claimed: Vec<&str> = journal
        .jobs
        .iter()
        .filter_map(|r| r.task_id.as_deref())
        .collect();
    let tasks = api
        .recent(job.request.model.as_str(), sent - 60)
        .await
        .map_err(|e| format!("the list route failed ({e})"))?;
    let mut candidates = tasks
        .into_iter()
        .filter(|t| !claimed.contains(&t.id.as_str()))
        .filter(|t| t.created_at.is_none_or(|at| at <= sent + 180))
        .filter(|t| job.could_have_made(t));
    match (candidates.next(), candidates.count()) {
        (Some(task), 0) => Ok(task),
        (None, _) => Err("no task of the list matches it".to_owned()),
        (Some(_), more) => Err(format!("{} tasks of the list could be it", more + 1)),
    }
}
