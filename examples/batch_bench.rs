//! Batch benchmark (issue 14): a 12-job batch (concurrency 3) through the job engine and the
//! real `Client` against seedance-sim with a fixed task time: wall time against the ideal
//! (jobs × task time ÷ concurrency) and the GETs each job cost, against a naive loop that
//! keeps three tasks going and polls each every 5 s. Settings:
//!
//! - *fast*: 3 s tasks, the engine polling every 0.25 s (the tests' setting): the engine's
//!   own overhead, with polling lag made negligible;
//! - *realistic*: the simulator's `--realistic` timings (5 s queued + 35 s running) for a
//!   480p 4 s request, the engine on its real schedule, which expects 50 s of it;
//! - *as expected*: tasks that take exactly what the schedule expects: 50 s for 480p 4 s,
//!   134 s for the API's defaults (720p 5 s).
//!
//! GETs and detection lag come from the simulator's own records: its request log
//! (`/_sim/requests`) and each task's `finished_at_ms` (`/_sim/tasks`). A job's *polls* are
//! the GETs of its task up to the first one at or after the task finished; the engine's one
//! further GET (fresh result URLs for the download) is counted apart. Prints Markdown;
//! `scripts/bench` puts it in BENCHMARKS.md.
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
    use serde_json::Value;

    const JOBS: usize = 12;
    const CONCURRENCY: usize = 3;
    /// Goal: wall time within this much of the ideal.
    const GOAL_OVER_IDEAL: f64 = 0.10;

    /// Keeps nothing: the benchmark is about scheduling, not disks.
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

    /// What each job asks for (Fast, 16:9, no audio): the cheap request most runs use
    /// (480p, 4 s), or the API's defaults (720p, 5 s).
    #[derive(Clone, Copy)]
    enum Shape {
        Small,
        Defaults,
    }

    fn request(shape: Shape, i: usize) -> CreateTaskRequest {
        let (resolution, seconds) = match shape {
            Shape::Small => (Resolution::P480, 4),
            Shape::Defaults => (Resolution::P720, 5),
        };
        CreateTaskRequest::text_to_video(Model::Fast, format!("waves, take {i}"))
            .with_resolution(resolution)
            .with_ratio(Ratio::R16x9)
            .with_duration(seconds)
            .with_audio(false)
    }

    /// What the engine's real schedule expects of a shape (`expected_generation_time`), to
    /// the millisecond (the simulator's unit).
    fn expected(shape: Shape) -> Duration {
        let t = seedance::expected_generation_time(&request(shape, 0));
        Duration::from_millis(t.as_millis() as u64)
    }

    /// Fixed timings: `queued` then `running`, the same for every task.
    fn timings(queued: Duration, running: Duration) -> Timings {
        Timings {
            queued,
            running,
            ..Timings::fast()
        }
    }

    async fn sim(timings: Timings) -> Sim {
        Sim::spawn(SimConfig::fast().with_timings(timings))
            .await
            .expect("start seedance-sim")
    }

    fn client(sim: &Sim) -> Client {
        Client::new(ApiKey::new("sk-bench").unwrap())
            .with_base_url(&sim.api_url())
            .unwrap()
            .with_limits(Limits {
                allow_http: true,
                ..Limits::default()
            })
    }

    async fn control(sim: &Sim, what: &str) -> Vec<Value> {
        let body = reqwest::get(format!("{}/_sim/{what}", sim.base_url()))
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        match serde_json::from_slice(&body).unwrap() {
            Value::Array(a) => a,
            other => panic!("/_sim/{what}: {other}"),
        }
    }

    /// What the simulator saw of one run.
    struct Seen {
        /// Polls per job (GETs of its task up to the one that saw it finished).
        polls: Vec<usize>,
        /// Other GETs of a task after that (the engine's fresh URLs for the download).
        after: usize,
        /// Per job: from the task's finish to the GET that saw it.
        lag: Vec<Duration>,
    }

    async fn seen(sim: &Sim) -> Seen {
        let log = control(sim, "requests").await;
        let tasks = control(sim, "tasks").await;
        assert_eq!(tasks.len(), JOBS, "one task per job");
        let mut out = Seen {
            polls: vec![],
            after: 0,
            lag: vec![],
        };
        for t in &tasks {
            let id = t["id"].as_str().unwrap();
            let done = t["finished_at_ms"].as_u64().expect("every task finished");
            let suffix = format!("/tasks/{id}");
            let gets: Vec<u64> = log
                .iter()
                .filter(|e| e["method"] == "GET" && e["path"].as_str().unwrap().ends_with(&suffix))
                .map(|e| e["time_ms"].as_u64().unwrap())
                .collect();
            let seen_at = gets
                .iter()
                .position(|&at| at >= done)
                .expect("a GET saw it");
            out.polls.push(seen_at + 1);
            out.after += gets.len() - seen_at - 1;
            out.lag.push(Duration::from_millis(gets[seen_at] - done));
        }
        out
    }

    struct Row {
        runner: &'static str,
        setting: String,
        task: Duration,
        wall: Duration,
        seen: Seen,
    }

    /// Ours: the engine with a fixed poll interval, or the schedule fitted to each request.
    async fn ours(shape: Shape, t: Timings, interval: Option<Duration>) -> (Duration, Seen) {
        let sim = sim(t).await;
        let client = client(&sim);
        let plan = Batch::new((0..JOBS).map(|i| request(shape, i))).plan();
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
        (wall, seen(&sim).await)
    }

    /// A naive loop: keep three tasks going, sleep 5 s, poll each running task, repeat.
    async fn naive(shape: Shape, t: Timings) -> (Duration, Seen) {
        let sim = sim(t).await;
        let client = client(&sim);
        let start = Instant::now();
        let mut next = 0;
        let mut running: Vec<String> = Vec::new();
        while next < JOBS || !running.is_empty() {
            while running.len() < CONCURRENCY && next < JOBS {
                running.push(client.create_task(&request(shape, next)).await.unwrap().id);
                next += 1;
            }
            tokio::time::sleep(Duration::from_secs(5)).await;
            let mut still = Vec::new();
            for id in running {
                if !client.get_task(&id).await.unwrap().is_terminal() {
                    still.push(id);
                }
            }
            running = still;
        }
        (start.elapsed(), seen(&sim).await)
    }

    fn mean(xs: impl Iterator<Item = f64>) -> f64 {
        let v: Vec<f64> = xs.collect();
        v.iter().sum::<f64>() / v.len() as f64
    }

    #[tokio::main(flavor = "current_thread")]
    pub async fn main() {
        let (small, defaults) = (expected(Shape::Small), expected(Shape::Defaults));
        let fast = timings(Duration::ZERO, Duration::from_secs(3));
        let realistic = Timings::realistic();
        let as_small = timings(Duration::ZERO, small);
        let as_defaults = timings(Duration::ZERO, defaults);

        // The fast run alone (its figure is the engine's overhead); the long runs at once
        // (each has its own simulator and mostly sleeps), ~4 × the longest task.
        let fast_run = ours(Shape::Small, fast, Some(Duration::from_millis(250))).await;
        let (r_ours, r_naive, s_ours, s_naive, d_ours, d_naive) = tokio::join!(
            ours(Shape::Small, realistic, None),
            naive(Shape::Small, realistic),
            ours(Shape::Small, as_small, None),
            naive(Shape::Small, as_small),
            ours(Shape::Defaults, as_defaults, None),
            naive(Shape::Defaults, as_defaults),
        );
        let secs = |d: Duration| format!("{:.1} s", d.as_secs_f64());
        let fast_name = "fast: 480p 4 s, 3 s running".to_owned();
        let real = format!(
            "realistic: 480p 4 s, `--realistic` ({} queued + {} running)",
            secs(realistic.queued),
            secs(realistic.running)
        );
        let small_name = format!("as expected: 480p 4 s, {} running", secs(small));
        let defaults_name = format!("as expected: 720p 5 s, {} running", secs(defaults));
        let total = |t: Timings| t.queued + t.running;
        let ours_ = "ours, real schedule";
        let naive_ = "naive, every 5 s";
        let rows = [
            ("ours, every 0.25 s", fast_name, total(fast), fast_run),
            (ours_, real.clone(), total(realistic), r_ours),
            (naive_, real, total(realistic), r_naive),
            (ours_, small_name.clone(), small, s_ours),
            (naive_, small_name, small, s_naive),
            (ours_, defaults_name.clone(), defaults, d_ours),
            (naive_, defaults_name, defaults, d_naive),
        ]
        .map(|(runner, setting, task, (wall, seen))| Row {
            runner,
            setting,
            task,
            wall,
            seen,
        });

        println!(
            "| setting | runner | task time | wall time | ideal | over ideal (goal ≤ +10 %) | polls per job (mean, most) | mean detection lag | other task GETs per job |"
        );
        println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for r in &rows {
            let ideal = r.task * (JOBS / CONCURRENCY) as u32;
            let over = r.wall.as_secs_f64() / ideal.as_secs_f64() - 1.0;
            let verdict = if over <= GOAL_OVER_IDEAL {
                "met"
            } else {
                "**missed**"
            };
            let polls = mean(r.seen.polls.iter().map(|&n| n as f64));
            let most = r.seen.polls.iter().max().unwrap();
            let lag = mean(r.seen.lag.iter().map(Duration::as_secs_f64));
            println!(
                "| {} | {} | {} | {} | {} | {:+.1} % ({verdict}) | {polls:.1}, {most} | {lag:.2} s | {:.1} |",
                r.setting,
                r.runner,
                secs(r.task),
                secs(r.wall),
                secs(ideal),
                over * 100.0,
                r.seen.after as f64 / JOBS as f64,
            );
        }
    }
}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    bench::main();
}
