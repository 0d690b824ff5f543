//! The polling schedule and wait loop, driven by a fake clock and a scripted server.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use seedance::poll::{wait_for_task, Clock};
use seedance::protocol::{parse_task, HttpResponse};
use seedance::*;

const S: fn(u64) -> Duration = Duration::from_secs;

/// A clock whose sleeps return at once and move time on; every sleep is recorded.
#[derive(Default)]
struct FakeClock {
    now: Cell<Duration>,
    sleeps: RefCell<Vec<Duration>>,
}

impl Clock for FakeClock {
    fn now(&self) -> Duration {
        self.now.get()
    }
    fn sleep(&self, d: Duration) -> impl Future<Output = ()> {
        self.sleeps.borrow_mut().push(d);
        self.now.set(self.now.get() + d);
        std::future::ready(())
    }
}

/// Run a future whose every await is ready (the fake clock never pends).
fn run<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(out) => out,
        Poll::Pending => panic!("the fake runtime never pends"),
    }
}

fn task(status: &str) -> Result<Task, Error> {
    Ok(serde_json::from_value(serde_json::json!({
        "id": "cgt-1", "status": status,
        "error": if status == "failed" { serde_json::json!({"code": "OutputVideoSensitiveContentDetected", "message": "m"}) } else { serde_json::Value::Null },
    }))
    .unwrap())
}

fn http(status: u16, headers: &[(&str, &str)], body: &str) -> Result<Task, Error> {
    parse_task(
        &HttpResponse {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: body.into(),
        },
        "cgt-1",
    )
}

fn network() -> Result<Task, Error> {
    Err(Error::Network {
        operation: Operation::Get,
        message: "connection reset".into(),
        task_id: None,
    })
}

fn steady() -> PollPolicy {
    PollPolicy {
        jitter: 0.0,
        ..PollPolicy::default()
    }
}

struct Outcome {
    result: Result<Task, Error>,
    sleeps: Vec<Duration>,
    reports: Vec<Progress>,
    fetches: usize,
}

/// Wait with a scripted server: each GET takes one answer (the last one repeats) and
/// `latency` of fake time.
fn wait(policy: &PollPolicy, answers: Vec<Result<Task, Error>>, latency: Duration) -> Outcome {
    let clock = FakeClock::default();
    let answers = RefCell::new(VecDeque::from(answers));
    let fetches = Cell::new(0);
    let mut reports = Vec::new();
    let result = run(wait_for_task(
        &clock,
        "cgt-1",
        policy,
        || {
            fetches.set(fetches.get() + 1);
            clock.now.set(clock.now.get() + latency);
            let mut a = answers.borrow_mut();
            let next = if a.len() > 1 {
                a.pop_front().unwrap()
            } else {
                a.front().unwrap().clone()
            };
            std::future::ready(next)
        },
        |p: &Progress| reports.push(p.clone()),
    ));
    Outcome {
        result,
        sleeps: clock.sleeps.into_inner(),
        reports,
        fetches: fetches.get(),
    }
}

// ---- the schedule ----

#[test]
fn default_schedule_grows_to_its_cap() {
    let got: Vec<Duration> = steady().schedule("cgt-1").take(10).collect();
    let secs: Vec<f64> = got
        .iter()
        .map(|d| (d.as_secs_f64() * 1000.0).round() / 1000.0)
        .collect();
    assert_eq!(
        secs,
        [5.0, 5.0, 6.0, 7.2, 8.64, 10.368, 12.442, 14.93, 17.916, 20.0]
    );
}

#[test]
fn jitter_stays_in_bounds_and_differs_per_task() {
    let policy = PollPolicy::default();
    let a: Vec<Duration> = policy.schedule("cgt-a").take(50).collect();
    let again: Vec<Duration> = policy.schedule("cgt-a").take(50).collect();
    let b: Vec<Duration> = policy.schedule("cgt-b").take(50).collect();
    assert_eq!(a, again, "reproducible per task");
    assert_ne!(a, b, "different across tasks");
    for (d, base) in a.iter().zip(steady().schedule("cgt-a")) {
        let ratio = d.as_secs_f64() / base.as_secs_f64();
        assert!((0.9..=1.1).contains(&ratio), "{ratio}");
    }
}

#[test]
fn schedule_scales_with_the_expected_duration() {
    let p = steady().scaled(S(100));
    let got: Vec<Duration> = p.schedule("x").take(40).collect();
    assert_eq!(got[0], S(50), "half of the expected time");
    assert_eq!(got[1], S(3), "then 3 % of it");
    assert!(got[1..].windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(*got.last().unwrap(), S(15), "capped at 15 %");
    assert_eq!(
        p.deadline,
        Some(S(30 * 60)),
        "never shorter than the base deadline"
    );
    assert_eq!(steady().scaled(S(600)).deadline, Some(S(6000)));

    let short = CreateTaskRequest::text_to_video(Model::Fast, "x")
        .with_resolution(Resolution::P480)
        .with_duration(4);
    let long = CreateTaskRequest::text_to_video(Model::Standard, "x")
        .with_resolution(Resolution::P1080)
        .with_duration(15);
    let (ps, pl) = (steady().for_request(&short), steady().for_request(&long));
    assert!(
        pl.interval > 10 * ps.interval,
        "{:?} vs {:?}",
        pl.interval,
        ps.interval
    );
    assert_eq!(
        expected_generation_time(&CreateTaskRequest::text_to_video(Model::Fast, "x")),
        S(134)
    );
}

// ---- the wait loop ----

#[test]
fn waits_until_succeeded_reporting_every_poll() {
    let out = wait(
        &steady(),
        vec![
            task("queued"),
            task("running"),
            task("running"),
            task("succeeded"),
        ],
        S(0),
    );
    assert_eq!(out.result.unwrap().status, TaskStatus::Succeeded);
    assert_eq!(out.fetches, 4);
    assert_eq!(
        out.sleeps,
        steady().schedule("cgt-1").take(4).collect::<Vec<_>>()
    );
    let seen: Vec<Option<&str>> = out
        .reports
        .iter()
        .map(|r| r.status.as_ref().map(|s| s.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            Some("queued"),
            Some("running"),
            Some("running"),
            Some("succeeded")
        ]
    );
    assert_eq!(
        out.reports.iter().map(|r| r.polls).collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
    assert_eq!(out.reports[0].elapsed, S(5));
    assert_eq!(out.reports[0].next_poll_in, Some(S(5)));
    assert_eq!(
        out.reports[3].next_poll_in, None,
        "the last report says no more polls"
    );
    assert!(out
        .reports
        .iter()
        .all(|r| r.task_id == "cgt-1" && r.error.is_none()));
}

#[test]
fn ends_on_failed_expired_and_cancelled() {
    for status in ["failed", "expired", "cancelled"] {
        let out = wait(&steady(), vec![task("running"), task(status)], S(0));
        let err = out.result.unwrap_err();
        assert!(matches!(err, Error::TaskFailed { .. }), "{err:?}");
        assert_eq!(err.task_id(), Some("cgt-1"));
        assert_eq!(out.fetches, 2);
        if status == "failed" {
            assert_eq!(err.code(), Some("OutputVideoSensitiveContentDetected"));
        }
    }
}

#[test]
fn unknown_statuses_keep_polling_and_are_surfaced() {
    let out = wait(
        &steady(),
        vec![task("preprocessing"), task("succeeded")],
        S(0),
    );
    assert!(out.result.is_ok());
    assert_eq!(
        out.reports[0].status,
        Some(TaskStatus::Unknown("preprocessing".into()))
    );
}

#[test]
fn retry_after_is_honoured() {
    let limited = http(
        429,
        &[("Retry-After", "17")],
        r#"{"error":{"code":"RateLimitExceeded","message":"slow"}}"#,
    );
    let out = wait(
        &steady(),
        vec![task("running"), limited, task("succeeded")],
        S(0),
    );
    assert!(out.result.is_ok());
    assert_eq!(
        out.sleeps,
        [S(5), S(5), S(17)],
        "the wait after the 429 is the server's 17 s"
    );
    assert_eq!(out.reports[1].status, None);
    assert!(out.reports[1]
        .error
        .as_deref()
        .unwrap()
        .contains("HTTP 429"));
    assert_eq!(out.reports[1].next_poll_in, Some(S(17)));
}

#[test]
fn server_and_network_errors_back_off_then_give_up_with_the_task_id() {
    let policy = PollPolicy {
        max_retries: 3,
        ..steady()
    };
    let out = wait(
        &policy,
        vec![
            http(503, &[], "busy"),
            network(),
            http(500, &[], "x"),
            http(502, &[], "bad gateway"),
        ],
        S(0),
    );
    let err = out.result.unwrap_err();
    assert_eq!(err.http_status(), Some(502));
    assert_eq!(err.task_id(), Some("cgt-1"));
    assert_eq!(out.fetches, 4, "the first try and 3 retries");
    assert_eq!(out.sleeps, [S(5), S(1), S(2), S(4)], "backoff doubles");

    // A success resets the count.
    let out = wait(
        &policy,
        vec![
            network(),
            network(),
            task("running"),
            network(),
            network(),
            task("succeeded"),
        ],
        S(0),
    );
    assert!(out.result.is_ok());
}

#[test]
fn non_retryable_errors_end_at_once() {
    let out = wait(
        &steady(),
        vec![http(
            404,
            &[],
            r#"{"error":{"code":"ResourceNotFound","message":"no such task"}}"#,
        )],
        S(0),
    );
    let err = out.result.unwrap_err();
    assert_eq!(err.code(), Some("ResourceNotFound"));
    assert_eq!(err.task_id(), Some("cgt-1"));
    assert_eq!(out.fetches, 1);
    let out = wait(
        &steady(),
        vec![http(
            401,
            &[],
            r#"{"error":{"code":"AuthenticationError","message":"bad key"}}"#,
        )],
        S(0),
    );
    assert_eq!(out.fetches, 1);
}

#[test]
fn deadline_is_respected() {
    let policy = PollPolicy {
        deadline: Some(S(60)),
        ..steady()
    };
    let out = wait(&policy, vec![task("running")], Duration::from_millis(300));
    match out.result.unwrap_err() {
        Error::WaitTimeout {
            task_id,
            polls,
            last_status,
            elapsed,
        } => {
            assert_eq!(task_id, "cgt-1");
            assert_eq!(last_status, Some(TaskStatus::Running));
            assert_eq!(polls as usize, out.fetches);
            assert!(elapsed >= S(60) && elapsed <= S(61), "{elapsed:?}");
        }
        other => panic!("{other:?}"),
    }
    let slept: Duration = out.sleeps.iter().sum();
    assert!(slept <= S(60), "slept {slept:?} past the deadline");
    assert_eq!(out.reports.last().unwrap().next_poll_in, None);
}

#[test]
fn retry_after_past_the_deadline_gives_up_now() {
    let policy = PollPolicy {
        deadline: Some(S(30)),
        ..steady()
    };
    let limited = http(429, &[("Retry-After", "120")], "{}");
    let out = wait(&policy, vec![limited], S(0));
    assert!(matches!(out.result, Err(Error::WaitTimeout { .. })));
    assert_eq!(
        out.sleeps,
        [S(5)],
        "no sleep towards a deadline that comes first"
    );
}

#[test]
fn request_budget_is_respected() {
    let policy = PollPolicy {
        max_requests: Some(3),
        ..steady()
    };
    let out = wait(&policy, vec![task("queued")], S(0));
    assert!(matches!(
        out.result,
        Err(Error::WaitTimeout { polls: 3, .. })
    ));
    assert_eq!(out.fetches, 3);
}

#[test]
fn a_zero_deadline_still_polls_once() {
    let policy = PollPolicy {
        deadline: Some(Duration::ZERO),
        first_delay: Duration::ZERO,
        ..steady()
    };
    let out = wait(&policy, vec![task("succeeded")], S(0));
    assert!(out.result.is_ok(), "resuming a finished task returns it");
    let out = wait(&policy, vec![task("running")], S(0));
    assert!(matches!(
        out.result,
        Err(Error::WaitTimeout { polls: 1, .. })
    ));
}

#[test]
fn an_ambiguous_create_is_not_the_wait_loops_to_retry() {
    // Whatever the fetch closure returns that is not retryable ends the loop: a create that
    // may have happened is never repeated by polling.
    let ambiguous = Err(Error::OutcomeUnknown {
        reason: "timeout".into(),
        status: None,
        request_id: None,
        model: None,
        sent_at: None,
        idempotency_key: None,
    });
    let out = wait(&steady(), vec![ambiguous], S(0));
    assert!(matches!(out.result, Err(Error::OutcomeUnknown { .. })));
    assert_eq!(out.fetches, 1);
}

#[test]
fn the_poll_that_ends_the_wait_is_reported_too() {
    let out = wait(&steady(), vec![task("running"), http(404, &[], "{}")], S(0));
    assert!(out.result.is_err());
    assert_eq!(
        out.reports.len(),
        2,
        "one report per GET, the failing one included"
    );
    let last = out.reports.last().unwrap();
    assert_eq!(last.status, None);
    assert_eq!(last.next_poll_in, None);
    assert!(last.error.as_deref().unwrap().contains("HTTP 404"));

    let policy = PollPolicy {
        max_retries: 1,
        ..steady()
    };
    let out = wait(&policy, vec![network(), network()], S(0));
    assert!(matches!(out.result, Err(Error::Network { .. })));
    assert_eq!(out.reports.len(), 2);
    assert_eq!(out.reports[1].next_poll_in, None);
}

#[test]
fn odd_policies_still_end_and_never_panic() {
    // A zero budget still makes the one GET that resuming needs.
    let zero = PollPolicy {
        max_requests: Some(0),
        ..steady()
    };
    let out = wait(&zero, vec![task("succeeded")], S(0));
    assert!(out.result.is_ok());
    assert_eq!(out.fetches, 1);

    // No deadline means the longest a task can live, not forever.
    let unbounded = PollPolicy {
        deadline: None,
        max_delay: S(3600),
        interval: S(3600),
        ..steady()
    };
    let out = wait(&unbounded, vec![task("queued")], S(0));
    assert!(matches!(out.result, Err(Error::WaitTimeout { .. })));
    let slept: Duration = out.sleeps.iter().sum();
    assert!(slept <= seedance::poll::LONGEST_DEADLINE);
    assert!(slept >= S(259_200), "it waited as long as a task can live");

    // NaN or huge jitter is tamed, not a panic.
    for jitter in [f64::NAN, 7.0, -1.0] {
        let p = PollPolicy {
            jitter,
            ..PollPolicy::default()
        };
        assert!(p.schedule("x").take(20).all(|d| d <= S(30)));
    }
}
