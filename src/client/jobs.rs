//! The `Client` as the API of a job run ([`run_jobs`](crate::jobs::run_jobs)): films,
//! batches and variations over the same transport as single tasks.

use core::time::Duration;

use crate::error::Error;
use crate::jobs::JobApi;
use crate::types::{CreateTaskRequest, CreatedTask, Task};

use super::{rt, Client, RecentFilter};

/// A run decides about 429s itself (it holds every create until `Retry-After` passes, and
/// stops on quotas), so its creates are sent once, never retried inside.
///
/// ```no_run
/// # async fn demo() -> Result<(), seedance::Error> {
/// use seedance::jobs::{run_jobs, Batch, JobStore, Journal, ReconcileOptions, RunOptions};
/// use seedance::{ApiKey, Client, CreateTaskRequest, Model, Task};
///
/// struct Files;
/// impl JobStore for Files {
///     async fn save_journal(&mut self, j: &Journal) -> Result<(), String> {
///         let text = serde_json::to_string(j).map_err(|e| e.to_string())?;
///         std::fs::write("journal.tmp", text).and_then(|_| std::fs::rename("journal.tmp", "journal.json")).map_err(|e| e.to_string())
///     }
///     async fn save_result(&mut self, key: &str, task: &Task, video: Vec<u8>, _frame: Option<Vec<u8>>) -> Result<(String, Option<String>), String> {
///         let file = format!("{key}-{}.mp4", task.id);
///         std::fs::write(&file, video).map_err(|e| e.to_string())?;
///         Ok((file, None))
///     }
/// }
///
/// let client = Client::new(ApiKey::from_env()?);
/// let req = CreateTaskRequest::text_to_video(Model::Fast, "a lighthouse in a storm").with_audio(false);
/// let plan = Batch::variations(&req, 4, 7).plan();
/// let saved = std::fs::read_to_string("journal.json").ok().and_then(|t| serde_json::from_str(&t).ok());
/// let mut journal = Journal::reconcile(&plan, saved, "variations", ReconcileOptions::default()).expect("journal");
/// let report = run_jobs(&plan, &mut journal, &client, &mut Files, &RunOptions::default(), &mut |e| eprintln!("{e:?}")).await?;
/// std::process::exit(report.exit_code(&journal));
/// # }
/// ```
impl JobApi for Client {
    async fn create(&self, request: &CreateTaskRequest) -> Result<CreatedTask, Error> {
        let key = self
            .inner
            .idempotency
            .then(super::calls::new_idempotency_key);
        self.create_inner(request, key.as_deref(), 0).await
    }

    async fn get(&self, task_id: &str) -> Result<Task, Error> {
        self.get_task(task_id).await
    }

    async fn recent(&self, model: &str, created_after: i64) -> Result<Vec<Task>, Error> {
        self.find_recent(&RecentFilter {
            model: Some(model.to_owned()),
            created_after: Some(created_after),
            ..RecentFilter::default()
        })
        .await
    }

    async fn download(&self, url: &str) -> Result<Vec<u8>, Error> {
        self.fetch_bytes(url).await
    }

    async fn sleep(&self, duration: Duration) {
        rt::sleep(duration).await
    }

    fn now_ms(&self) -> u64 {
        rt::unix_now_ms()
    }
}
