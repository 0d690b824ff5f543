//! Batch benchmark: a 12-job batch (concurrency 3) through the job engine and the real
//! `Client` against seedance-sim with a fixed task time — wall time against the ideal
//! (jobs × time ÷ concurrency) — and the GETs each job cost, against a naive loop that keeps
//! three tasks going and polls each every 5 s. The fitted schedule is measured with tasks
//! that take as long as it expects (real ones take about that); a short fixed time shows the
//! engine's own overhead. Prints Markdown; `scripts/bench` puts it in BENCHMARKS.md.
//!
//! ```text
//! cargo run --release --example batch_bench
//! ```

// Native only: it runs the simulator in-process (the wasm32 build of examples compiles an
// empty main).
#[cfg(not(target_arch = "wasm32"))]
mod bench {
    use std::time::{Duration, Instant};

    use seedance::jobs::{
        run_jobs, Batch, JobStore, Journal, ReconcileOptions, RunLimits, RunOptions,
    };
    use seedance::{ApiKey, Client, CreateTaskRequest, Limits, Model, Ratio, Resolution, Task};
    use seedance_sim::{Sim, SimConfig, Timings};

    const JOBS: usize = 12;
    const CONCURRENCY: usize = 3;

    /// Keeps nothing but counts: the benchmark is about scheduling, not disks.
    struct Null;

    impl JobStore for Null {
        async fn save_journal(&mut self, _: &Journal) -> Result<(), String> {
            Ok(())
        }
        async fn save_result(
            &mut self,
            key: &str,
            _: &Task,
            _: Vec<u8>,
            _: Option<Vec<u8>>,
        ) -> Result<(String, Option<String>), String> {
            Ok((key.to_owned(), None))
        }
    }

    fn request(i: usize) -> CreateTaskRequest {
        CreateTaskRequest::text_to_video(Model::Fast, format!("waves, take {i}"))
            .with_resolution(Resolution::P480)
            .with_ratio(Ratio::R16x9)
            .with_duration(4)
            .with_audio(false)
    }

    async fn sim(task: Duration) -> Sim {
        let timings = Timings {
            queued: Duration::ZERO,
            running: task,
            ..Timings::fast()
        };
        Sim::spawn(SimConfig::fast().with_timings(timings))
            .await
            .expect("start seedance-sim")
    }

    fn client(sim: &Sim, key: &str) -> Client {
        Client::new(ApiKey::new(key).unwrap())
            .with_base_url(&sim.api_url())
            .unwrap()
            .with_limits(Limits {
                allow_http: true,
                ..Limits::default()
            })
    }

    /// GETs of a task (not of result files) in the simulator's log.
    async fn task_gets(sim: &Sim) -> usize {
        let body = reqwest::get(format!("{}/_sim/requests", sim.base_url()))
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let log: serde_json::Value = serde_json::from_slice(&body).unwrap();
        log.as_array()
            .unwrap()
            .iter()
            .filter(|e| {
                e["method"] == "GET" && e["path"].as_str().unwrap_or("").contains("/tasks/")
            })
            .count()
    }

    /// Ours: the engine with a fixed poll interval, or the schedule fitted to each request.
    async fn ours(task: Duration, interval: Option<Duration>) -> (Duration, f64) {
        let sim = sim(task).await;
        let client = client(&sim, "sk-bench-ours");
        let plan = Batch::new((0..JOBS).map(request)).plan();
        let mut journal =
            Journal::reconcile(&plan, None, "batch", ReconcileOptions::default()).unwrap();
        let options = RunOptions {
            limits: RunLimits {
                concurrency: CONCURRENCY,
                ..RunLimits::default()
            },
            fixed_interval: interval,
            ..RunOptions::default()
        };
        let start = Instant::now();
        let report = run_jobs(
            &plan,
            &mut journal,
            &client,
            &mut Null,
            &options,
            &mut |_| {},
        )
        .await
        .unwrap();
        let wall = start.elapsed();
        assert_eq!(report.exit_code(&journal), 0, "{report:?}");
        // Each job's download GETs its task once more for fresh URLs: count only polls.
        let gets = task_gets(&sim).await.saturating_sub(JOBS);
        (wall, gets as f64 / JOBS as f64)
    }

    /// A naive loop: keep three tasks going, poll each every 5 s.
    async fn naive(task: Duration) -> (Duration, f64) {
        let sim = sim(task).await;
        let client = client(&sim, "sk-bench-naive");
        let start = Instant::now();
        let mut next = 0;
        let mut running: Vec<String> = Vec::new();
        while next < JOBS || !running.is_empty() {
            while running.len() < CONCURRENCY && next < JOBS {
                running.push(client.create_task(&request(next)).await.unwrap().id);
                next += 1;
            }
            tokio::time::sleep(Duration::from_secs(5)).await;
            let mut still = Vec::new();
            for id in running {
                let t = client.get_task(&id).await.unwrap();
                if !t.is_terminal() {
                    still.push(id);
                }
            }
            running = still;
        }
        (start.elapsed(), task_gets(&sim).await as f64 / JOBS as f64)
    }

    #[tokio::main(flavor = "current_thread")]
    pub async fn main() {
        // What the fitted schedule expects of this request: real tasks take about this long.
        let expected = seedance::expected_generation_time(&request(0));
        let expected = Duration::from_secs(expected.as_secs());
        let short = Duration::from_secs(3);
        let rows = [
            (
                "ours, polling every 0.25 s (the tests' setting)",
                short,
                ours(short, Some(Duration::from_millis(250))).await,
            ),
            (
                "ours, schedule fitted to the request",
                expected,
                ours(expected, None).await,
            ),
            ("naive: poll every 5 s", expected, naive(expected).await),
        ];
        println!("| runner | task time | wall time | ideal | over ideal | GETs per job |");
        println!("|---|---:|---:|---:|---:|---:|");
        for (name, task, (wall, gets)) in rows {
            let ideal = task * (JOBS / CONCURRENCY) as u32;
            let over = (wall.as_secs_f64() / ideal.as_secs_f64() - 1.0) * 100.0;
            println!(
                "| {name} | {} s | {:.1} s | {} s | {over:+.1} % | {gets:.1} |",
                task.as_secs(),
                wall.as_secs_f64(),
                ideal.as_secs()
            );
        }
    }
}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    bench::main();
}
