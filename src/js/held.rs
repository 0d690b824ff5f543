//! The `Client` as a job run's API in JavaScript: an `AbortSignal` that fires while a
//! create is on its way is held until the answer is in (see [`Hold`]).

use core::time::Duration;

use super::abort::Hold;
use crate::client::Client;
use crate::error::Error;
use crate::jobs::JobApi;
use crate::types::{CreateTaskRequest, CreatedTask, Task};

/// The client as a run's API, with an abort held while a create is on its way ([`Hold`]).
pub(super) struct HeldApi<'a> {
    pub client: &'a Client,
    pub hold: &'a Hold,
}

impl JobApi for HeldApi<'_> {
    async fn create(&self, request: &CreateTaskRequest) -> Result<CreatedTask, Error> {
        if self.hold.aborted.get() {
            return Err(Error::Aborted { task_id: None });
        }
        self.hold.sending.set(true);
        let out = JobApi::create(self.client, request).await;
        self.hold.sending.set(false);
        out
    }
    async fn get(&self, task_id: &str) -> Result<Task, Error> {
        JobApi::get(self.client, task_id).await
    }
    async fn recent(&self, model: &str, created_after: i64) -> Result<Vec<Task>, Error> {
        JobApi::recent(self.client, model, created_after).await
    }
    async fn download(&self, url: &str) -> Result<Vec<u8>, Error> {
        JobApi::download(self.client, url).await
    }
    async fn sleep(&self, duration: Duration) {
        JobApi::sleep(self.client, duration).await
    }
    fn now_ms(&self) -> u64 {
        JobApi::now_ms(self.client)
    }
}
