//! Polling benchmark on a simulated clock: requests per task and detection lag (from the
//! moment a task succeeds to the GET that sees it) for our schedule and for fixed 5 s and
//! 20 s polling, over two distributions of task durations. Prints a Markdown table;
//! `scripts/bench` puts it in BENCHMARKS.md.
//!
//! ```text
//! cargo run --release --example poll_bench
//! ```
//!
//! Our schedule is [`PollPolicy::scaled`] by the request's expected generation time. That
//! estimate is never exact, so each task's expected time is its true duration times a
//! factor drawn from 0.5..2 (the estimate off by up to 2× either way).

use std::time::Duration;

use seedance::PollPolicy;

/// The Workers free plan's subrequest budget (the edge `generate` route's limit).
const WORKER_BUDGET: u32 = 50;
const TASKS: u32 = 10_000;

struct Rng(u64);

impl Rng {
    /// A uniform draw from `lo..hi` (splitmix64).
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        lo + (hi - lo) * ((z >> 11) as f64 / (1u64 << 53) as f64)
    }
}

/// GETs until one lands at or after `duration`, and how late that one was.
fn run(policy: &PollPolicy, task_id: &str, duration: f64) -> (u32, f64) {
    let mut t = 0.0;
    for (n, wait) in policy.schedule(task_id).enumerate() {
        t += wait.as_secs_f64();
        if t >= duration {
            return (n as u32 + 1, t - duration);
        }
    }
    unreachable!("a schedule never ends")
}

#[derive(Default)]
struct Stats {
    lag_share: f64,
    lag_secs: f64,
    max_lag_share: f64,
    requests: u64,
    max_requests: u32,
}

impl Stats {
    fn add(&mut self, requests: u32, lag: f64, duration: f64) {
        self.lag_share += lag / duration;
        self.lag_secs += lag;
        self.max_lag_share = self.max_lag_share.max(lag / duration);
        self.requests += u64::from(requests);
        self.max_requests = self.max_requests.max(requests);
    }
}

fn fixed(secs: u64) -> PollPolicy {
    PollPolicy {
        first_delay: Duration::from_secs(secs),
        interval: Duration::from_secs(secs),
        growth: 1.0,
        max_delay: Duration::from_secs(secs),
        jitter: 0.0,
        ..PollPolicy::default()
    }
}

fn main() {
    let distributions = [
        ("short: 20–90 s", 20.0, 90.0),
        ("long: 60–600 s", 60.0, 600.0),
    ];
    println!("| durations | schedule | mean lag | mean lag / duration | worst lag / duration | mean GETs | most GETs | within 25 GETs | within the Worker's {WORKER_BUDGET} |");
    println!("|---|---|---:|---:|---:|---:|---:|---|---|");
    for (name, lo, hi) in distributions {
        let mut rng = Rng(0x5eed_da11ce);
        let mut ours = Stats::default();
        let mut five = Stats::default();
        let mut twenty = Stats::default();
        for i in 0..TASKS {
            let id = format!("cgt-bench-{i}");
            let duration = rng.uniform(lo, hi);
            let expected = duration * rng.uniform(0.5, 2.0);
            let policy = PollPolicy::default().scaled(Duration::from_secs_f64(expected));
            let (n, lag) = run(&policy, &id, duration);
            ours.add(n, lag, duration);
            let (n, lag) = run(&fixed(5), &id, duration);
            five.add(n, lag, duration);
            let (n, lag) = run(&fixed(20), &id, duration);
            twenty.add(n, lag, duration);
        }
        for (schedule, s) in [
            ("ours (scaled to the request)", &ours),
            ("fixed 5 s", &five),
            ("fixed 20 s (vendor SDK)", &twenty),
        ] {
            let n = f64::from(TASKS);
            println!(
                "| {name} | {schedule} | {:.1} s | {:.1} % | {:.1} % | {:.1} | {} | {} | {} |",
                s.lag_secs / n,
                100.0 * s.lag_share / n,
                100.0 * s.max_lag_share,
                s.requests as f64 / n,
                s.max_requests,
                if s.max_requests <= 25 { "yes" } else { "no" },
                if s.max_requests <= WORKER_BUDGET {
                    "yes"
                } else {
                    "no"
                },
            );
        }
    }
    println!(
        "\n{TASKS} tasks per distribution, durations uniform in the range; our schedule's \
         expected time is the true duration × 0.5..2."
    );
}
