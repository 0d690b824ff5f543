//! How the `generate` route fits in one invocation's subrequest budget (50 on the Workers
//! free plan): every fetch counts, the Durable Object calls too, so the poll schedule gets
//! what is left and the wait says when it stops on it.

use core::time::Duration;

use seedance::{CreateTaskRequest, PollPolicy};

/// Failed GETs in a row the wait retries, and 429s the create retries: each one is a
/// subrequest, so they are few.
pub const RETRIES: u32 = 2;

/// The subrequests a `generate` spends around its polls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spend {
    /// Already made before the create (calls to the records' Durable Object).
    pub before: u32,
    /// Still to come after the create whatever happens (recording the idempotency key).
    pub after: u32,
}

/// The poll policy of a `generate`: fitted to the request (or a fixed interval, for tests),
/// with `max_requests` set so that create, retries, Durable Object calls and polls together stay
/// within `budget`. `None` when not even one poll fits.
///
/// ```
/// use seedance::{CreateTaskRequest, Model};
/// use seedance_worker::plan::{poll_policy, Spend, RETRIES};
/// let req = CreateTaskRequest::text_to_video(Model::Fast, "x");
/// let p = poll_policy(&req, 50, Spend { before: 2, after: 1 }, None).unwrap();
/// assert_eq!(p.max_requests, Some(50 - 2 - 1 - (1 + RETRIES)));
/// ```
pub fn poll_policy(
    req: &CreateTaskRequest,
    budget: u32,
    spend: Spend,
    fixed_ms: Option<u64>,
) -> Option<PollPolicy> {
    let creates = 1 + RETRIES;
    let polls = budget.checked_sub(spend.before + spend.after + creates)?;
    if polls == 0 {
        return None;
    }
    let base = PollPolicy {
        max_retries: RETRIES,
        ..PollPolicy::default()
    };
    let mut policy = match fixed_ms {
        Some(ms) => {
            let d = Duration::from_millis(ms.max(1));
            PollPolicy {
                first_delay: d,
                interval: d,
                max_delay: d,
                growth: 1.0,
                jitter: 0.0,
                retry_base: d,
                ..base
            }
        }
        None => base.for_request(req),
    };
    policy.max_requests = Some(polls);
    Some(policy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use seedance::{Model, Resolution};

    #[test]
    fn the_whole_run_fits_the_budget() {
        for budget in [10, 50, 1000] {
            for before in 0..4 {
                let req = CreateTaskRequest::text_to_video(Model::Standard, "x")
                    .with_resolution(Resolution::P1080)
                    .with_duration(15);
                let spend = Spend { before, after: 1 };
                let p = poll_policy(&req, budget, spend, None).unwrap();
                let total = before + 1 + (1 + p.max_retries) + p.max_requests.unwrap();
                assert!(total <= budget, "{budget} {before}: {total}");
            }
        }
        let req = CreateTaskRequest::text_to_video(Model::Fast, "x");
        assert!(poll_policy(
            &req,
            4,
            Spend {
                before: 0,
                after: 1
            },
            None
        )
        .is_none());
    }

    #[test]
    fn a_fixed_interval_is_used_as_given() {
        let req = CreateTaskRequest::text_to_video(Model::Fast, "x");
        let p = poll_policy(
            &req,
            50,
            Spend {
                before: 0,
                after: 0,
            },
            Some(100),
        )
        .unwrap();
        let first: Vec<_> = p.schedule("t").take(3).collect();
        assert_eq!(first, [Duration::from_millis(100); 3]);
    }
}
