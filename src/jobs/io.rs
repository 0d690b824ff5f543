//! What a run needs from the outside: the API ([`JobApi`], which `Client` implements) and
//! a place for the journal and the results ([`JobStore`], one per face).

use core::time::Duration;

use super::journal::Journal;
use crate::error::Error;
use crate::types::{CreateTaskRequest, CreatedTask, Task};

/// The API calls a run makes. `Client` implements it; tests script it.
#[allow(async_fn_in_trait)] // single-threaded callers; no Send bound wanted
pub trait JobApi {
    /// POST one create, once: no retry of any kind (the run decides about 429s).
    /// [`Error::Aborted`] means nothing was sent (the run stops, the job stays to create).
    async fn create(&self, request: &CreateTaskRequest) -> Result<CreatedTask, Error>;
    /// GET one task.
    async fn get(&self, task_id: &str) -> Result<Task, Error>;
    /// Recent tasks of `model` created at or after `created_after` (Unix seconds).
    async fn recent(&self, model: &str, created_after: i64) -> Result<Vec<Task>, Error>;
    /// GET a signed result URL.
    async fn download(&self, url: &str) -> Result<Vec<u8>, Error>;
    /// Sleep.
    async fn sleep(&self, duration: Duration);
    /// Unix milliseconds now.
    fn now_ms(&self) -> u64;
}

/// Where a run keeps its journal and its results.
#[allow(async_fn_in_trait)]
pub trait JobStore {
    /// Save the journal (atomically: a crash leaves the old one or the new one).
    async fn save_journal(&mut self, journal: &Journal) -> Result<(), String>;
    /// Keep a job's video (and last frame); answer where (a path, a key) for the journal.
    async fn save_result(
        &mut self,
        key: &str,
        task: &Task,
        video: Vec<u8>,
        frame: Option<Vec<u8>>,
    ) -> Result<(String, Option<String>), String>;
}
