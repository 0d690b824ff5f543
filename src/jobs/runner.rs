//! The run loop: asks the engine for the next step, does it through a [`JobApi`], records
//! what happened in the journal and saves it (before every POST, and after every change)
//! through a [`JobStore`]. Generic over both, so it runs on the `Client` natively and in
//! wasm, and is tested with a scripted server.
//!
//! Steps run one at a time: a create or a GET takes well under a second, and one at a time
//! is what keeps "journal written before the POST" simple and true. Dropping the future
//! stops the run anywhere; the journal then says where each job stands, and a rerun resumes.

use core::time::Duration;

use super::engine::{next_step, Action, Next, RunState};
use super::io::{JobApi, JobStore};
use super::journal::{JobState, Journal};
use super::lookup::lookup;
use super::plan::JobPlan;
use super::report::{RunEvent, RunOptions, RunReport};
use crate::error::Error;
use crate::poll::expected_generation_time;
use crate::types::{ContentItem, Role};

/// After a 429, longer waits than this stop creating (the run ends; a rerun resumes).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Error codes of a 429 that no wait within a run fixes: stop creating at once.
const QUOTA_CODES: &[&str] = &[
    "QuotaExceeded",
    "DailyBudgetExceeded",
    "AccountOverdueError",
];

/// Run `plan` to its end (or until the future is dropped), recording every step in
/// `journal` and saving it through `store`.
///
/// Errors: [`Error::Storage`] when the journal can't be saved (the run stops before any
/// create it could not record). Every other problem is a job's state in the journal and a
/// [`RunEvent`]; see [`RunReport::exit_code`].
pub async fn run_jobs<A: JobApi, S: JobStore>(
    plan: &JobPlan,
    journal: &mut Journal,
    api: &A,
    store: &mut S,
    options: &RunOptions,
    on_event: &mut dyn FnMut(&RunEvent),
) -> Result<RunReport, Error> {
    let mut run = Runner {
        plan,
        api,
        options,
        state: RunState::new(plan.jobs.len()),
        polls: vec![0; plan.jobs.len()],
        failures: vec![0; plan.jobs.len()],
        create_failures: 0,
        report: RunReport::default(),
    };
    journal.settle(plan);
    save(store, journal).await?;
    loop {
        let now = api.now_ms();
        match next_step(plan, journal, &run.state, &options.limits, now) {
            Next::Finished => break,
            Next::WaitUntil(t) => {
                let duration = Duration::from_millis(t.saturating_sub(now).max(1));
                on_event(&RunEvent::Waiting { duration });
                api.sleep(duration).await;
            }
            Next::Act(action) => {
                run.act(action, journal, store, on_event).await?;
                journal.settle(plan);
                save(store, journal).await?;
            }
        }
    }
    Ok(run.report)
}

async fn save<S: JobStore>(store: &mut S, journal: &Journal) -> Result<(), Error> {
    store
        .save_journal(journal)
        .await
        .map_err(|message| Error::Storage {
            what: "journal".to_owned(),
            message,
        })
}

struct Runner<'a, A> {
    plan: &'a JobPlan,
    api: &'a A,
    options: &'a RunOptions,
    state: RunState,
    polls: Vec<u32>,
    failures: Vec<u32>,
    create_failures: u32,
    report: RunReport,
}

impl<A: JobApi> Runner<'_, A> {
    async fn act<S: JobStore>(
        &mut self,
        action: Action,
        journal: &mut Journal,
        store: &mut S,
        on_event: &mut dyn FnMut(&RunEvent),
    ) -> Result<(), Error> {
        match action {
            Action::Create(i) => self.create(i, journal, store, on_event).await,
            Action::Resolve(i) => {
                self.resolve(i, journal, on_event).await;
                Ok(())
            }
            Action::Poll(i) => {
                self.poll(i, journal, on_event).await;
                Ok(())
            }
            Action::Download(i) => self.download(i, journal, store, on_event).await,
        }
    }

    async fn create<S: JobStore>(
        &mut self,
        i: usize,
        journal: &mut Journal,
        store: &mut S,
        on_event: &mut dyn FnMut(&RunEvent),
    ) -> Result<(), Error> {
        let job = &self.plan.jobs[i];
        let mut request = job.request.clone();
        let mut from_task = None;
        if let Some(p) = job.continues {
            // The latest signed URL of the frame: an old one may have expired.
            let source = journal.jobs[p].task_id.clone().unwrap_or_default();
            let frame = match self.api.get(&source).await {
                Ok(task) => task.last_frame_url().map(str::to_owned),
                Err(e) if e.is_retryable() => {
                    // Creating waits as a whole: the next create is this one, later.
                    self.retry_later(i, &e, on_event);
                    journal.no_create_before = self.state.poll_due[i].take();
                    return Ok(());
                }
                Err(e) => {
                    let message = format!("{} could not be read: {e}", self.plan.jobs[p].key);
                    journal.refused(i, "PredecessorUnavailable", &message, self.api.now_ms());
                    on_event(&RunEvent::Problem { job: i, message });
                    return Ok(());
                }
            };
            let Some(url) = frame else {
                let message = format!(
                    "{}'s task {source} returned no last frame to continue from",
                    self.plan.jobs[p].key
                );
                journal.refused(i, "NoLastFrame", &message, self.api.now_ms());
                on_event(&RunEvent::Problem { job: i, message });
                return Ok(());
            };
            request
                .content
                .push(ContentItem::image(url, Some(Role::FirstFrame)));
            from_task = Some(source);
        }
        journal.begin_create(i, from_task, self.api.now_ms());
        save(store, journal).await?;
        on_event(&RunEvent::Creating { job: i });
        let result = self.api.create(&request).await;
        let now = self.api.now_ms();
        match result {
            Ok(created) => {
                self.create_failures = 0;
                journal.created(i, &created.id, now);
                self.state.poll_due[i] = Some(now + self.delay(i, 0).as_millis() as u64);
                on_event(&RunEvent::Created {
                    job: i,
                    task_id: created.id,
                });
            }
            // Still `creating`: the next step looks it up.
            Err(Error::OutcomeUnknown { .. }) => {}
            // The API said it sent nothing (see [`JobApi::create`]): not `creating` then,
            // or a resume would look for a task that was never made.
            Err(Error::Aborted { .. }) => {
                journal.not_created(i);
                save(store, journal).await?;
                return Err(Error::Aborted { task_id: None });
            }
            Err(e) if e.http_status() == Some(429) => {
                journal.not_created(i);
                let wait = e.retry_after().unwrap_or(Duration::from_secs(1));
                let quota = e
                    .code()
                    .is_some_and(|c| QUOTA_CODES.iter().any(|q| c.starts_with(q)));
                if quota || wait > MAX_RETRY_AFTER {
                    let when = match e.retry_after() {
                        Some(after) if !quota => {
                            format!("for {}", crate::numfmt::duration(after))
                        }
                        _ => "for now".to_owned(),
                    };
                    self.stop(
                        format!("the server refuses more creates {when} ({e})"),
                        on_event,
                    );
                } else {
                    journal.no_create_before = Some(now + wait.as_millis() as u64);
                    on_event(&RunEvent::CreateDelayed {
                        job: i,
                        wait,
                        reason: e.to_string(),
                    });
                }
            }
            Err(e @ (Error::Network { .. } | Error::Timeout { .. })) => {
                // Never connected: nothing was created; try again a few times.
                journal.not_created(i);
                self.create_failures += 1;
                if self.create_failures >= 3 {
                    self.stop(format!("creates keep failing ({e})"), on_event);
                } else {
                    let backoff = self.options.poll.backoff(self.create_failures);
                    journal.no_create_before = Some(now + backoff.as_millis() as u64);
                    on_event(&RunEvent::CreateDelayed {
                        job: i,
                        wait: backoff,
                        reason: e.to_string(),
                    });
                }
            }
            Err(e) => {
                let code = e.code().unwrap_or("CreateRefused").to_owned();
                journal.refused(i, &code, &e.to_string(), now);
                on_event(&RunEvent::Problem {
                    job: i,
                    message: e.to_string(),
                });
                if matches!(e.http_status(), Some(401 | 403)) {
                    self.stop(format!("the server refuses this key ({e})"), on_event);
                }
            }
        }
        Ok(())
    }

    fn stop(&mut self, reason: String, on_event: &mut dyn FnMut(&RunEvent)) {
        if self.state.stop_creating.is_none() {
            on_event(&RunEvent::StoppedCreating {
                reason: reason.clone(),
            });
            self.report.stopped = Some(reason.clone());
            self.state.stop_creating = Some(reason);
        }
    }

    async fn resolve(
        &mut self,
        i: usize,
        journal: &mut Journal,
        on_event: &mut dyn FnMut(&RunEvent),
    ) {
        let found = lookup(self.api, &self.plan.jobs[i], journal, i).await;
        let now = self.api.now_ms();
        match found {
            Ok(task) => {
                journal.observed(i, &task, now);
                self.state.poll_due[i] = None;
                on_event(&RunEvent::Created {
                    job: i,
                    task_id: task.id,
                });
            }
            Err(why) => {
                journal.unknown(i);
                on_event(&RunEvent::Problem {
                    job: i,
                    message: format!(
                        "{}: the create may or may not have made a task, and {why}; it is not created again (check the provider's console; rerun with --recreate-unknown to create it anyway)",
                        self.plan.jobs[i].key
                    ),
                });
            }
        }
    }

    async fn poll(&mut self, i: usize, journal: &mut Journal, on_event: &mut dyn FnMut(&RunEvent)) {
        let task_id = journal.jobs[i].task_id.clone().unwrap_or_default();
        match self.api.get(&task_id).await {
            Ok(task) => {
                self.failures[i] = 0;
                self.polls[i] += 1;
                let now = self.api.now_ms();
                journal.observed(i, &task, now);
                let n = self.polls[i];
                self.state.poll_due[i] = Some(now + self.delay(i, n).as_millis() as u64);
                if let (JobState::Failed, Some(e)) = (journal.jobs[i].state, &journal.jobs[i].error)
                {
                    let message = format!(
                        "{} ({task_id}): {} {}",
                        self.plan.jobs[i].key, e.code, e.message
                    );
                    on_event(&RunEvent::Problem { job: i, message });
                }
                on_event(&RunEvent::Status {
                    job: i,
                    task: Box::new(task),
                });
            }
            Err(e) if e.is_retryable() => self.retry_later(i, &e, on_event),
            Err(e) => {
                let now = self.api.now_ms();
                let code = e.code().unwrap_or("TaskUnavailable").to_owned();
                journal.refused(i, &code, &e.to_string(), now);
                on_event(&RunEvent::Problem {
                    job: i,
                    message: format!("{} ({task_id}): {e}", self.plan.jobs[i].key),
                });
            }
        }
    }

    async fn download<S: JobStore>(
        &mut self,
        i: usize,
        journal: &mut Journal,
        store: &mut S,
        on_event: &mut dyn FnMut(&RunEvent),
    ) -> Result<(), Error> {
        let task_id = journal.jobs[i].task_id.clone().unwrap_or_default();
        // A fresh GET signs fresh URLs: the one seen at `succeeded` may be a day old.
        let fetched = async {
            let task = self.api.get(&task_id).await?;
            // Through a key-holding proxy, its media links (a page can read those bytes).
            let video_url = task.proxy_url("video_url").or(task.video_url());
            let video = self.api.download(video_url.unwrap_or_default()).await?;
            let frame_url = task.proxy_url("last_frame_url").or(task.last_frame_url());
            let frame = match frame_url {
                Some(u) => self.api.download(u).await.ok(),
                None => None,
            };
            Ok::<_, Error>((task, video, frame))
        }
        .await;
        match fetched {
            Ok((task, video, frame)) => {
                let key = &self.plan.jobs[i].key;
                let (file, frame_file) = store
                    .save_result(key, &task, video, frame)
                    .await
                    .map_err(|message| Error::Storage {
                        what: format!("result of {key}"),
                        message,
                    })?;
                journal.downloaded(i, file.clone(), frame_file);
                on_event(&RunEvent::Downloaded { job: i, file });
            }
            Err(e) => self.retry_later(i, &e, on_event),
        }
        Ok(())
    }

    /// A GET or download failed: try again after a backoff, or give up on the job for this
    /// run after the policy's retries (the journal keeps where it stands).
    fn retry_later(&mut self, i: usize, e: &Error, on_event: &mut dyn FnMut(&RunEvent)) {
        self.failures[i] += 1;
        let n = self.failures[i];
        if n > self.options.poll.max_retries {
            self.state.given_up[i] = true;
            let message = format!(
                "{}: gave up after {n} errors in a row ({e}); rerun to go on",
                self.plan.jobs[i].key
            );
            self.report.given_up.push((i, e.to_string()));
            on_event(&RunEvent::Problem { job: i, message });
        } else {
            let wait = e
                .retry_after()
                .unwrap_or_default()
                .max(self.options.poll.backoff(n));
            self.state.poll_due[i] = Some(self.api.now_ms() + wait.as_millis() as u64);
        }
    }

    /// The wait before GET number `n` (0-based) of job `i`.
    fn delay(&self, i: usize, n: u32) -> Duration {
        if let Some(fixed) = self.options.fixed_interval {
            return fixed;
        }
        let request = &self.plan.jobs[i].request;
        self.options
            .poll
            .scaled(expected_generation_time(request))
            .schedule(&self.plan.jobs[i].key)
            .nth(n as usize)
            .unwrap_or(self.options.poll.max_delay)
    }
}
