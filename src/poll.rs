//! When to ask again: the polling schedule, and a wait loop that is generic over how to
//! fetch a task and how to sleep, so it runs on any runtime and is tested with a fake clock.
//!
//! The loop retries failed GETs (429, 5xx, network errors) with backoff, honours
//! `Retry-After`, reports every poll, and always ends: on a terminal status, on a
//! non-retryable error, or at its deadline / request budget with the task id in the error.
//! It only ever GETs: creating is not its business, so it can never create twice.

use core::future::Future;
use core::time::Duration;

use serde::Serialize;

use crate::cost::CostModel;
use crate::error::Error;
use crate::types::{CreateTaskRequest, Model, Task, TaskStatus};

/// How often to poll, how long to keep trying, and how to back off on errors.
///
/// The `n`-th GET waits `first_delay` (n = 1), then `interval × growth^(n-2)` capped at
/// `max_delay`, each spread by ±`jitter` so many clients don't poll in step.
///
/// ```
/// use std::time::Duration;
/// use seedance::PollPolicy;
/// let policy = PollPolicy { jitter: 0.0, ..PollPolicy::default() };
/// let first: Vec<_> = policy.schedule("cgt-x").take(3).collect();
/// assert_eq!(first, [Duration::from_secs(5), Duration::from_secs(5), Duration::from_secs(6)]);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PollPolicy {
    /// Wait before the first GET.
    pub first_delay: Duration,
    /// Wait after the first GET.
    pub interval: Duration,
    /// Each later wait is this many times the one before (≥ 1).
    pub growth: f64,
    /// The longest wait between GETs.
    pub max_delay: Duration,
    /// Spread each wait by up to this fraction either way (0 = none; at most 0.5).
    pub jitter: f64,
    /// Stop waiting after this long (the task goes on on the server). `None` means
    /// [`LONGEST_DEADLINE`] (3 days and an hour), since a task can sit queued that long.
    pub deadline: Option<Duration>,
    /// Stop waiting after this many GETs (failed ones included).
    pub max_requests: Option<u32>,
    /// How many failed GETs in a row to retry before giving up.
    pub max_retries: u32,
    /// The first backoff after a failed GET; it doubles with each failure in a row, up to
    /// one minute, and is never shorter than the server's `Retry-After`.
    pub retry_base: Duration,
}

impl Default for PollPolicy {
    /// 5 s, 5 s, then ×1.2 up to 20 s; ±10 % jitter; a 30-minute deadline; 5 retries.
    fn default() -> Self {
        PollPolicy {
            first_delay: Duration::from_secs(5),
            interval: Duration::from_secs(5),
            growth: 1.2,
            max_delay: Duration::from_secs(20),
            jitter: 0.1,
            deadline: Some(Duration::from_secs(30 * 60)),
            max_requests: None,
            max_retries: 5,
            retry_base: Duration::from_secs(1),
        }
    }
}

const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// The deadline when a policy sets none: a task can't outlive its longest
/// `execution_expires_after` (3 days), plus an hour of margin. Waiting never runs forever.
pub const LONGEST_DEADLINE: Duration = Duration::from_secs(259_200 + 3600);

/// How long a request is expected to take to generate: 134 s for the real sample (fast,
/// 720p, 16:9, 5 s = 108,900 tokens), scaled by tokens, and ×1.5 for the standard model
/// (a guess: the vendor says only that fast is faster). At least 20 s.
///
/// ```
/// # use seedance::*;
/// let short = CreateTaskRequest::text_to_video(Model::Fast, "x").with_resolution(Resolution::P480).with_duration(4);
/// let long = CreateTaskRequest::text_to_video(Model::Standard, "x").with_resolution(Resolution::P1080).with_duration(15);
/// assert!(expected_generation_time(&long) > 10 * expected_generation_time(&short));
/// ```
pub fn expected_generation_time(req: &CreateTaskRequest) -> Duration {
    let tokens = CostModel::default().estimate(req, None).tokens_max as f64;
    let model_factor = if req.model == Model::Fast { 1.0 } else { 1.5 };
    Duration::from_secs_f64((134.0 * tokens / 108_900.0 * model_factor).max(20.0))
}

impl PollPolicy {
    /// The wait after the `n`-th failed request in a row (n ≥ 1): `retry_base` doubling,
    /// at most a minute.
    pub fn backoff(&self, n: u32) -> Duration {
        self.retry_base
            .saturating_mul(1 << n.saturating_sub(1).min(16))
            .min(MAX_BACKOFF)
    }

    /// A schedule fitted to a task expected to take `expected`: the first GET at half of
    /// it, then waits of 3 % of it growing by 8 % each up to 15 %, so polls are densest
    /// where the task is likely to end and a wait stays near a tenth of the time already
    /// spent. With the estimate off by up to 2× either way this sees a finished task
    /// within ~3.5 % of its duration on average, in at most ~23 GETs (`scripts/bench`'s
    /// polling table). The deadline becomes 10× the expected time, but never less than
    /// this policy's.
    pub fn scaled(&self, expected: Duration) -> PollPolicy {
        let at_least_1s = |d: Duration| d.max(Duration::from_secs(1));
        PollPolicy {
            // A task rarely ends before half its estimate; until then a GET mostly repeats
            // what the create's answer said (queued), and the GET budget is better spent
            // near the end.
            first_delay: at_least_1s(expected / 2),
            interval: at_least_1s(expected.mul_f64(0.03)),
            growth: 1.08,
            max_delay: at_least_1s(expected.mul_f64(0.15)),
            deadline: self.deadline.map(|d| d.max(expected * 10)),
            ..self.clone()
        }
    }

    /// [`scaled`](Self::scaled) by [`expected_generation_time`] of a request.
    pub fn for_request(&self, req: &CreateTaskRequest) -> PollPolicy {
        self.scaled(expected_generation_time(req))
    }

    /// The waits between GETs, forever (the deadline and budget are the loop's business).
    /// The jitter is drawn from a generator seeded by the task id: reproducible per task,
    /// different across tasks.
    pub fn schedule(&self, task_id: &str) -> Schedule {
        Schedule {
            policy: self.clone(),
            next: 0,
            rng: seed_from(task_id),
        }
    }
}

/// The delays of a [`PollPolicy`], as an iterator.
#[derive(Clone, Debug)]
pub struct Schedule {
    policy: PollPolicy,
    next: u32,
    rng: u64,
}

impl Iterator for Schedule {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        let p = &self.policy;
        let base = if self.next == 0 {
            p.first_delay
        } else {
            let factor = p.growth.max(1.0).powi(self.next as i32 - 1);
            let secs = (p.interval.as_secs_f64() * factor).min(p.max_delay.as_secs_f64());
            Duration::from_secs_f64(secs)
        };
        self.next = self.next.saturating_add(1);
        // NaN would make the delay panic; treat it like no jitter.
        if p.jitter.is_nan() || p.jitter <= 0.0 {
            return Some(base);
        }
        let jitter = p.jitter.min(0.5);
        let u = next_unit(&mut self.rng) * 2.0 - 1.0;
        Some(base.mul_f64(1.0 + jitter * u))
    }
}

fn seed_from(s: &str) -> u64 {
    // FNV-1a: tiny and good enough to decorrelate tasks.
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

fn next_unit(state: &mut u64) -> f64 {
    // splitmix64
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

/// What one poll saw, reported to the progress callback after every GET.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Progress {
    /// The task.
    pub task_id: String,
    /// The status this poll saw; `None` when the GET failed (see `error`).
    pub status: Option<TaskStatus>,
    /// GETs so far, this one included.
    pub polls: u32,
    /// Time since waiting began.
    pub elapsed: Duration,
    /// When the next GET is due; `None` when this was the last.
    pub next_poll_in: Option<Duration>,
    /// Why this GET failed, when it did (it will be retried if `next_poll_in` is set).
    pub error: Option<String>,
}

/// A clock and a timer: what the wait loop needs from its runtime.
pub trait Clock {
    /// Time since an arbitrary fixed origin; must not go backwards.
    fn now(&self) -> Duration;
    /// Resolve after `duration`.
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()>;
}

/// Poll a task until it ends, with `fetch` doing one GET.
///
/// Ends with `Ok(task)` on `succeeded`; [`Error::TaskFailed`] on `failed`, `expired` or
/// `cancelled`; [`Error::WaitTimeout`] at the deadline or request budget (at least one GET is
/// always made, so waiting on a finished task returns at once after `first_delay`); or the
/// first non-retryable error of `fetch` (or the last retryable one once retries run out),
/// given the task id. Every GET is reported to `on_progress`, the last one included.
/// Unknown statuses count as not finished. Dropping the future stops it (no further GET).
pub async fn wait_for_task<C, F, Fut, P>(
    clock: &C,
    task_id: &str,
    policy: &PollPolicy,
    mut fetch: F,
    mut on_progress: P,
) -> Result<Task, Error>
where
    C: Clock,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Task, Error>>,
    P: FnMut(&Progress),
{
    let start = clock.now();
    let mut schedule = policy.schedule(task_id);
    let mut polls = 0u32;
    let mut failures = 0u32;
    let mut last_status: Option<TaskStatus> = None;
    let timeout = |polls, last_status: Option<TaskStatus>, elapsed| Error::WaitTimeout {
        task_id: task_id.to_owned(),
        elapsed,
        polls,
        last_status,
    };

    // The first wait: nothing polled yet, so a zero deadline still allows one GET.
    let mut wait = plan(
        policy,
        schedule.next().unwrap_or_default(),
        Duration::ZERO,
        Duration::ZERO,
        0,
    );
    loop {
        let Some(delay) = wait else {
            return Err(timeout(
                polls,
                last_status,
                clock.now().saturating_sub(start),
            ));
        };
        clock.sleep(delay).await;
        polls += 1;
        let result = fetch().await;
        let elapsed = clock.now().saturating_sub(start);
        let mut report = Progress {
            task_id: task_id.to_owned(),
            status: None,
            polls,
            elapsed,
            next_poll_in: None,
            error: None,
        };
        match result {
            Ok(task) => {
                failures = 0;
                report.status = Some(task.status.clone());
                last_status = Some(task.status.clone());
                if task.is_terminal() {
                    on_progress(&report);
                    return if task.status == TaskStatus::Succeeded {
                        Ok(task)
                    } else {
                        Err(Error::TaskFailed {
                            task: Box::new(task),
                        })
                    };
                }
                let next = schedule.next().unwrap_or(policy.max_delay);
                wait = plan(policy, next, Duration::ZERO, elapsed, polls);
            }
            Err(e) if e.is_retryable() && failures < policy.max_retries => {
                failures += 1;
                let at_least = e.retry_after().unwrap_or_default();
                report.error = Some(e.to_string());
                let delay = policy.backoff(failures).max(at_least);
                wait = plan(policy, delay, at_least, elapsed, polls);
            }
            Err(e) => {
                // The last poll is reported too, then the error ends the wait.
                let e = e.with_task_id(task_id);
                report.error = Some(e.to_string());
                on_progress(&report);
                return Err(e);
            }
        }
        report.next_poll_in = wait;
        on_progress(&report);
    }
}

/// The wait before the next GET, or `None` when the deadline or budget ends the loop.
/// `at_least` is a wait the server demanded (`Retry-After`): if the deadline comes first,
/// give up now rather than sleep to it.
fn plan(
    policy: &PollPolicy,
    delay: Duration,
    at_least: Duration,
    elapsed: Duration,
    polls: u32,
) -> Option<Duration> {
    // At least one GET is always made, whatever the budget.
    if polls > 0 && policy.max_requests.is_some_and(|max| polls >= max) {
        return None;
    }
    let deadline = policy.deadline.unwrap_or(LONGEST_DEADLINE);
    let remaining = deadline.saturating_sub(elapsed);
    if polls > 0 && (remaining.is_zero() || at_least > remaining) {
        return None;
    }
    Some(delay.min(remaining))
}
