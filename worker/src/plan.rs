//! How the `generate` route fits in one invocation's subrequest budget (50 on the Workers
//! free plan): every fetch counts, the Durable Object calls too, so the poll schedule gets
//! what is left and the wait says when it stops on it.

use core::time::Duration;

use seedance::{CreateTaskRequest, Model, PollPolicy};

use crate::answers::Refusal;
use crate::refusals;

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

/// [`poll_policy`] for an admitted `generate`: fitted to its create, or for a replay
/// (`None`: the task exists, its request is not known here) to a default request.
///
/// Errors: 500 `ProxyMisconfigured` when `budget` leaves no room for a poll (the create's
/// tokens and key are then given back: [`crate::settle::Outcome::Refused`]).
pub fn for_generate(
    req: Option<&CreateTaskRequest>,
    budget: u32,
    spend: Spend,
    fixed_ms: Option<u64>,
) -> Result<PollPolicy, Refusal> {
    let default;
    let req = match req {
        Some(req) => req,
        None => {
            default = CreateTaskRequest::text_to_video(Model::Fast, "-");
            &default
        }
    };
    poll_policy(req, budget, spend, fixed_ms).ok_or_else(refusals::no_room_to_poll)
}

#[cfg(test)]
mod tests {
    use super::*;
    use seedance::Resolution;

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
    fn a_replay_is_fitted_to_a_default_request_and_no_room_is_refused() {
        let spend = Spend {
            before: 1,
            after: 0,
        };
        let default = CreateTaskRequest::text_to_video(Model::Fast, "-");
        assert_eq!(
            for_generate(None, 50, spend, None).ok(),
            poll_policy(&default, 50, spend, None)
        );
        let r = for_generate(Some(&default), 4, spend, None).unwrap_err();
        assert_eq!(r.status, 500);
        assert_eq!(r.body["error"]["code"], "ProxyMisconfigured");
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
