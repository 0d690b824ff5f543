//! Films, batches and the job engine against a scripted server on a fake clock: plan
//! validation, estimates, the journal's round trip, the account's limits, and — for every
//! point at which a run can die — that resuming never creates a job twice.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use seedance::jobs::*;
use seedance::*;
use serde_json::json;

/// Where the scripted server or store stops answering (the process "dies" there).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Die {
    Never,
    /// The journal says `creating`; the POST never leaves.
    BeforePost,
    /// The server made the task; its answer never arrives.
    AfterPost,
    /// The task id was saved in the journal; nothing after.
    AfterId,
    /// A result download never finishes.
    MidDownload,
}

struct ServerTask {
    model: String,
    prompt: String,
    created_ms: u64,
    fail: bool,
    first_frame: Option<String>,
    deleted: bool,
}

/// The remote API, scripted: tasks run `run_ms` after their create, `[fail]` in a prompt
/// fails, creates above `rate_limit_after` get one 429 with `Retry-After: 2`.
struct Server {
    now: Cell<u64>,
    tasks: RefCell<BTreeMap<String, ServerTask>>,
    creates: Cell<u32>,
    run_ms: u64,
    die: Cell<Die>,
    dead: Cell<bool>,
    refuse_create_number: Cell<Option<u32>>,
    create_times: RefCell<Vec<u64>>,
    max_unfinished: Cell<usize>,
}

impl Server {
    fn new(run_ms: u64) -> Self {
        Server {
            now: Cell::new(1_780_000_000_000),
            tasks: RefCell::new(BTreeMap::new()),
            creates: Cell::new(0),
            run_ms,
            die: Cell::new(Die::Never),
            dead: Cell::new(false),
            refuse_create_number: Cell::new(None),
            create_times: RefCell::new(Vec::new()),
            max_unfinished: Cell::new(0),
        }
    }

    fn status(&self, t: &ServerTask) -> &'static str {
        if t.deleted {
            "cancelled"
        } else if self.now.get() < t.created_ms + self.run_ms {
            if self.now.get() < t.created_ms + self.run_ms / 2 {
                "queued"
            } else {
                "running"
            }
        } else if t.fail {
            "failed"
        } else {
            "succeeded"
        }
    }

    fn task_json(&self, id: &str, t: &ServerTask) -> Task {
        let status = self.status(t);
        serde_json::from_value(json!({
            "id": id, "model": t.model, "status": status,
            "created_at": t.created_ms / 1000,
            "resolution": "720p", "ratio": "16:9", "duration": 5, "generate_audio": false,
            "content": if status == "succeeded" { json!({
                "video_url": format!("https://results.example/{id}.mp4"),
                "last_frame_url": format!("https://results.example/{id}.png?signed={}", self.now.get()),
            }) } else { json!(null) },
            "usage": if status == "succeeded" { json!({"completion_tokens": 108_900, "total_tokens": 108_900}) } else { json!(null) },
            "error": if status == "failed" { json!({"code": "OutputVideoSensitiveContentDetected", "message": "the output was refused"}) } else { json!(null) },
        }))
        .unwrap()
    }

    fn unfinished(&self) -> usize {
        let tasks = self.tasks.borrow();
        tasks
            .values()
            .filter(|t| matches!(self.status(t), "queued" | "running"))
            .count()
    }

    fn hang<T>(&self) -> impl Future<Output = T> {
        self.dead.set(true);
        std::future::pending()
    }

    fn prompts(&self) -> Vec<String> {
        self.tasks
            .borrow()
            .values()
            .map(|t| t.prompt.clone())
            .collect()
    }
}

impl JobApi for Server {
    async fn create(&self, request: &CreateTaskRequest) -> Result<CreatedTask, Error> {
        if self.die.get() == Die::BeforePost {
            return self.hang().await;
        }
        let n = self.creates.get() + 1;
        if self.refuse_create_number.get() == Some(n) {
            self.refuse_create_number.set(None);
            let mut e = seedance::protocol::api_error(
                &seedance::protocol::HttpResponse {
                    status: 429,
                    headers: vec![("Retry-After".into(), "2".into())],
                    body: br#"{"error":{"code":"RateLimitExceeded.EndpointRPM","message":"slow down"}}"#.to_vec(),
                },
                Operation::Create,
                None,
            );
            e.retry_after = Some(Duration::from_secs(2));
            return Err(Error::Api(Box::new(e)));
        }
        self.creates.set(n);
        self.create_times.borrow_mut().push(self.now.get());
        let id = format!("cgt-{:05}", n);
        let first_frame = request.content.iter().find_map(|c| match c.media() {
            Some((_, url, Some(Role::FirstFrame))) => Some(url.to_owned()),
            _ => None,
        });
        let prompt = request.prompt().unwrap_or("").to_owned();
        self.tasks.borrow_mut().insert(
            id.clone(),
            ServerTask {
                model: request.model.as_str().to_owned(),
                fail: prompt.contains("[fail]"),
                prompt,
                created_ms: self.now.get(),
                first_frame,
                deleted: false,
            },
        );
        self.max_unfinished
            .set(self.max_unfinished.get().max(self.unfinished()));
        if self.die.get() == Die::AfterPost {
            return self.hang().await;
        }
        Ok(CreatedTask { id })
    }

    async fn get(&self, task_id: &str) -> Result<Task, Error> {
        let tasks = self.tasks.borrow();
        Ok(self.task_json(task_id, &tasks[task_id]))
    }

    async fn recent(&self, model: &str, created_after: i64) -> Result<Vec<Task>, Error> {
        let tasks = self.tasks.borrow();
        Ok(tasks
            .iter()
            .filter(|(_, t)| t.model == model && (t.created_ms / 1000) as i64 >= created_after)
            .map(|(id, t)| self.task_json(id, t))
            .collect())
    }

    async fn download(&self, url: &str) -> Result<Vec<u8>, Error> {
        if self.die.get() == Die::MidDownload {
            return self.hang().await;
        }
        Ok(url.as_bytes().to_vec())
    }

    async fn sleep(&self, duration: Duration) {
        self.max_unfinished
            .set(self.max_unfinished.get().max(self.unfinished()));
        self.now.set(self.now.get() + duration.as_millis() as u64);
    }

    fn now_ms(&self) -> u64 {
        self.now.get()
    }
}

/// The scripted server, with `refuse` answering a create in its place when it says so.
struct Hooked<F> {
    server: Server,
    refuse: F,
}

impl<F: Fn(&Server) -> Option<Error>> JobApi for Hooked<F> {
    async fn create(&self, r: &CreateTaskRequest) -> Result<CreatedTask, Error> {
        match (self.refuse)(&self.server) {
            Some(e) => Err(e),
            None => self.server.create(r).await,
        }
    }
    async fn get(&self, id: &str) -> Result<Task, Error> {
        self.server.get(id).await
    }
    async fn recent(&self, m: &str, a: i64) -> Result<Vec<Task>, Error> {
        self.server.recent(m, a).await
    }
    async fn download(&self, u: &str) -> Result<Vec<u8>, Error> {
        self.server.download(u).await
    }
    async fn sleep(&self, d: Duration) {
        self.server.sleep(d).await
    }
    fn now_ms(&self) -> u64 {
        self.server.now_ms()
    }
}

/// Keeps the last saved journal (as JSON, as a file would) and the results.
#[derive(Default)]
struct Store {
    saved: Option<String>,
    results: BTreeMap<String, Vec<u8>>,
    die_after_id: bool,
}

impl JobStore for Store {
    async fn save_journal(&mut self, journal: &Journal) -> Result<(), String> {
        self.saved = Some(serde_json::to_string(journal).unwrap());
        if self.die_after_id && journal.jobs.iter().any(|j| j.task_id.is_some()) {
            std::future::pending::<()>().await;
        }
        Ok(())
    }

    async fn save_result(
        &mut self,
        key: &str,
        task: &Task,
        video: Vec<u8>,
        _frame: Option<Vec<u8>>,
    ) -> Result<(String, Option<String>), String> {
        let file = format!("{key}-{}.mp4", task.id);
        self.results.insert(file.clone(), video);
        Ok((file, None))
    }
}

/// Drive a run until it ends or hangs (the process died); `None` when it died.
fn drive<F: Future>(f: F) -> Option<F::Output> {
    let mut f = pin!(f);
    for _ in 0..100_000 {
        if let Poll::Ready(out) = f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            return Some(out);
        }
    }
    None
}

fn options() -> RunOptions {
    RunOptions {
        fixed_interval: Some(Duration::from_secs(1)),
        ..RunOptions::default()
    }
}

/// One run of `plan` resuming from the store's last saved journal.
fn run_once(
    plan: &JobPlan,
    server: &Server,
    store: &mut Store,
    kind: &str,
    reconcile: ReconcileOptions,
    events: &mut Vec<RunEvent>,
) -> Option<(RunReport, Journal)> {
    let saved: Option<Journal> = store
        .saved
        .as_deref()
        .map(|s| serde_json::from_str(s).unwrap());
    let mut journal = Journal::reconcile(plan, saved, kind, reconcile).unwrap();
    let opts = options();
    let mut on_event = |e: &RunEvent| events.push(e.clone());
    let report = drive(run_jobs(
        plan,
        &mut journal,
        server,
        store,
        &opts,
        &mut on_event,
    ))?;
    Some((report.unwrap(), journal))
}

/// A fresh run of `plan` (a batch, no saved journal) to its end or its first error; the
/// journal as the run left it.
fn run_fresh<A: JobApi>(
    plan: &JobPlan,
    api: &A,
    store: &mut Store,
    opts: &RunOptions,
    events: &mut Vec<RunEvent>,
) -> (Result<RunReport, Error>, Journal) {
    let mut journal = Journal::reconcile(plan, None, "batch", ReconcileOptions::default()).unwrap();
    let out = drive(run_jobs(plan, &mut journal, api, store, opts, &mut |e| {
        events.push(e.clone())
    }))
    .expect("the run ends");
    (out, journal)
}

fn film_json(middle: &str) -> Film {
    serde_json::from_value(json!({
        "model": "doubao-seedance-2-0-fast-260128", "resolution": "720p", "ratio": "16:9",
        "generate_audio": false,
        "shots": [
            { "prompt": "a fox wakes in its den", "duration": 5 },
            { "prompt": middle, "duration": 5 },
            { "prompt": "an owl on a pine, at night", "duration": 5, "cut": true },
        ]
    }))
    .unwrap()
}

#[test]
fn a_film_chains_last_frames_and_keeps_every_clip() {
    let film = film_json("it steps out into the snow");
    let plan = film.plan();
    let server = Server::new(10_000);
    let mut store = Store::default();
    let mut events = Vec::new();
    let (report, journal) = run_once(
        &plan,
        &server,
        &mut store,
        "film",
        ReconcileOptions::default(),
        &mut events,
    )
    .unwrap();
    assert_eq!(report.exit_code(&journal), 0, "{events:?}");
    assert_eq!(server.creates.get(), 3);
    assert_eq!(store.results.len(), 3);
    // The continued shot started from the first shot's latest last-frame URL.
    let tasks = server.tasks.borrow();
    let first = journal.jobs[0].task_id.clone().unwrap();
    let second = &tasks[journal.jobs[1].task_id.as_deref().unwrap()];
    let frame = second.first_frame.as_deref().unwrap();
    assert!(
        frame.starts_with(&format!("https://results.example/{first}.png")),
        "{frame}"
    );
    assert!(tasks[journal.jobs[2].task_id.as_deref().unwrap()]
        .first_frame
        .is_none());
    assert_eq!(journal.jobs[1].from_task.as_deref(), Some(first.as_str()));
    // The cut did not wait for the chain.
    assert!(
        tasks
            .values()
            .filter(|t| t.created_ms == tasks.values().next().unwrap().created_ms)
            .count()
            >= 2
    );
}

#[test]
fn a_failed_shot_stops_what_continues_from_it_and_a_rerun_creates_only_the_edited_one() {
    let server = Server::new(10_000);
    let mut store = Store::default();
    let mut events = Vec::new();
    let failing = film_json("it steps out [fail]");
    let (report, journal) = run_once(
        &failing.plan(),
        &server,
        &mut store,
        "film",
        ReconcileOptions::default(),
        &mut events,
    )
    .unwrap();
    assert_eq!(report.exit_code(&journal), 1);
    assert_eq!(journal.jobs[1].state, JobState::Failed);
    assert_eq!(
        journal.jobs[2].state,
        JobState::Downloaded,
        "the cut after it still ran"
    );
    assert!(
        events.iter().any(
            |e| matches!(e, RunEvent::Problem { job: 1, message } if message.contains("shots[1]"))
        ),
        "{events:?}"
    );
    assert_eq!(server.creates.get(), 3);

    // Unchanged: nothing is created again.
    let (_, journal) = run_once(
        &failing.plan(),
        &server,
        &mut store,
        "film",
        ReconcileOptions::default(),
        &mut events,
    )
    .unwrap();
    assert_eq!(server.creates.get(), 3);
    assert_eq!(journal.jobs[1].state, JobState::Failed);

    // Edited: only that shot.
    let fixed = film_json("it steps out into the snow");
    let (report, journal) = run_once(
        &fixed.plan(),
        &server,
        &mut store,
        "film",
        ReconcileOptions::default(),
        &mut events,
    )
    .unwrap();
    assert_eq!(report.exit_code(&journal), 0);
    assert_eq!(server.creates.get(), 4);
    assert_eq!(
        server.prompts().last().unwrap(),
        "it steps out into the snow"
    );
}

#[test]
fn an_edited_shot_recreates_the_shots_that_continue_from_it() {
    let film: Film = serde_json::from_value(json!({
        "model": "doubao-seedance-2-0-fast-260128", "resolution": "720p", "ratio": "16:9",
        "generate_audio": false,
        "shots": [ { "prompt": "one", "duration": 4 }, { "prompt": "two", "duration": 4 }, { "prompt": "three", "duration": 4 } ]
    })).unwrap();
    let server = Server::new(5_000);
    let mut store = Store::default();
    let mut events = Vec::new();
    run_once(
        &film.plan(),
        &server,
        &mut store,
        "film",
        ReconcileOptions::default(),
        &mut events,
    )
    .unwrap();
    assert_eq!(server.creates.get(), 3);
    let mut edited = film.clone();
    edited.shots[1].prompt = "two, at dusk".into();
    let (report, journal) = run_once(
        &edited.plan(),
        &server,
        &mut store,
        "film",
        ReconcileOptions::default(),
        &mut events,
    )
    .unwrap();
    assert_eq!(report.exit_code(&journal), 0);
    assert_eq!(
        server.creates.get(),
        5,
        "shots[1] and shots[2], which continues from it"
    );
    assert_eq!(journal.jobs[2].from_task, journal.jobs[1].task_id);
}

fn batch(n: usize) -> JobPlan {
    let req = CreateTaskRequest::text_to_video(Model::Fast, "waves")
        .with_resolution(Resolution::P720)
        .with_ratio(Ratio::R16x9)
        .with_duration(5)
        .with_audio(false);
    Batch::new((0..n).map(|i| req.clone().with_prompt(format!("waves, take {i}")))).plan()
}

#[test]
fn resuming_after_a_death_at_any_point_never_creates_a_job_twice() {
    for die in [
        Die::AfterPost,
        Die::AfterId,
        Die::MidDownload,
        Die::BeforePost,
    ] {
        let plan = batch(4);
        let server = Server::new(3_000);
        let mut store = Store {
            die_after_id: die == Die::AfterId,
            ..Store::default()
        };
        server.die.set(die);
        let mut events = Vec::new();
        assert!(
            run_once(
                &plan,
                &server,
                &mut store,
                "batch",
                ReconcileOptions::default(),
                &mut events
            )
            .is_none(),
            "{die:?}: the run should have died"
        );
        assert!(server.dead.get() || die == Die::AfterId, "{die:?}");
        let before = server.creates.get();
        server.die.set(Die::Never);
        store.die_after_id = false;
        let (report, journal) = run_once(
            &plan,
            &server,
            &mut store,
            "batch",
            ReconcileOptions::default(),
            &mut events,
        )
        .unwrap();
        let journal = if die == Die::BeforePost {
            // The POST never left: the list can't find it, so it is reported, not re-sent.
            assert_eq!(before, 0);
            assert_eq!(report.exit_code(&journal), 3, "{events:?}");
            assert_eq!(journal.jobs[0].state, JobState::Unknown);
            assert_eq!(server.creates.get(), 3);
            let (report, journal) = run_once(
                &plan,
                &server,
                &mut store,
                "batch",
                ReconcileOptions {
                    recreate_unknown: true,
                    ..Default::default()
                },
                &mut events,
            )
            .unwrap();
            assert_eq!(report.exit_code(&journal), 0);
            journal
        } else {
            assert_eq!(report.exit_code(&journal), 0, "{die:?}: {events:?}");
            journal
        };
        assert_eq!(
            server.creates.get(),
            4,
            "{die:?}: exactly one create per job"
        );
        let ids: Vec<_> = journal
            .jobs
            .iter()
            .map(|j| j.task_id.clone().unwrap())
            .collect();
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 4, "{die:?}: {ids:?}");
        assert_eq!(store.results.len(), 4, "{die:?}");
    }
}

#[test]
fn a_batch_keeps_to_the_concurrency_and_meets_a_429_with_its_retry_after() {
    let plan = batch(12);
    let server = Server::new(20_000);
    server.refuse_create_number.set(Some(5));
    let mut store = Store::default();
    let mut events = Vec::new();
    let (report, journal) = run_once(
        &plan,
        &server,
        &mut store,
        "batch",
        ReconcileOptions::default(),
        &mut events,
    )
    .unwrap();
    assert_eq!(report.exit_code(&journal), 0, "{events:?}");
    assert_eq!(server.creates.get(), 12);
    assert!(
        server.max_unfinished.get() <= 3,
        "{}",
        server.max_unfinished.get()
    );
    assert_eq!(server.max_unfinished.get(), 3);
    // The create after the 429 waited at least its Retry-After.
    let times = server.create_times.borrow();
    let refused_at = times[3];
    assert!(times[4] >= refused_at + 2_000, "{times:?}");
    // …and the run said so, with the wait.
    let delayed = events.iter().find_map(|e| match e {
        RunEvent::CreateDelayed { wait, reason, .. } => Some((*wait, reason.clone())),
        _ => None,
    });
    let (wait, reason) = delayed.expect("a CreateDelayed event");
    assert_eq!(wait, Duration::from_secs(2));
    assert!(reason.contains("429"), "{reason}");
    // Wall time near the ideal: 12 jobs × 20 s ÷ 3 = 80 s (+ polls and the 2 s wait).
    let total = times.last().unwrap() + 20_000 - times[0];
    assert!(total <= 80_000 * 11 / 10, "{total} ms");
}

#[test]
fn a_batch_keeps_to_the_create_rate_in_every_minute() {
    // Short tasks and room for all at once: only the rate holds the creates back.
    let plan = batch(7);
    let server = Server::new(1_000);
    let opts = RunOptions {
        limits: RunLimits {
            concurrency: 10,
            rate_per_minute: 3,
        },
        ..options()
    };
    let (report, journal) = run_fresh(
        &plan,
        &server,
        &mut Store::default(),
        &opts,
        &mut Vec::new(),
    );
    let report = report.unwrap();
    assert_eq!(report.exit_code(&journal), 0);
    let times = server.create_times.borrow();
    assert_eq!(times.len(), 7);
    // No 60 s window holds more than 3 creates: the 4th after any create comes ≥ 60 s later…
    for w in times.windows(4) {
        assert!(w[3] >= w[0] + 60_000, "{times:?}");
    }
    // …and the run does not wait longer than it must: 7 creates at 3 a minute take two
    // minutes and a little.
    let span = times[6] - times[0];
    assert!((120_000..=126_000).contains(&span), "{span} ms: {times:?}");
}

#[test]
fn a_quota_429_stops_creating_and_keeps_what_was_made() {
    let refuse = |server: &Server| {
        (server.creates.get() >= 2).then(|| {
            Error::Api(Box::new(seedance::protocol::api_error(
                &seedance::protocol::HttpResponse {
                    status: 429,
                    headers: vec![("Retry-After".into(), "5".into())],
                    body: br#"{"error":{"code":"DailyBudgetExceeded","message":"budget spent"}}"#
                        .to_vec(),
                },
                Operation::Create,
                None,
            )))
        })
    };
    let plan = batch(5);
    let api = Hooked {
        server: Server::new(3_000),
        refuse,
    };
    let (report, journal) = run_fresh(
        &plan,
        &api,
        &mut Store::default(),
        &options(),
        &mut Vec::new(),
    );
    let report = report.unwrap();
    assert!(
        report
            .stopped
            .as_deref()
            .unwrap()
            .contains("DailyBudgetExceeded")
            || report.stopped.as_deref().unwrap().contains("budget"),
        "{report:?}"
    );
    assert_eq!(report.exit_code(&journal), 1);
    assert_eq!(journal.count(JobState::Downloaded), 2);
    assert_eq!(journal.count(JobState::Pending), 3);
}

#[test]
fn a_create_the_api_did_not_send_stays_to_create_and_a_resume_creates_it_once() {
    // An API that sends nothing once the caller aborted (the npm face does this while a
    // create of its own is answered): the job is back to pending in the saved journal, not
    // `creating`, so the resume creates it instead of looking for a task never made.
    let refuse =
        |server: &Server| (server.creates.get() >= 2).then_some(Error::Aborted { task_id: None });
    let plan = batch(4);
    let api = Hooked {
        server: Server::new(3_000),
        refuse,
    };
    let mut store = Store::default();
    let (out, _) = run_fresh(&plan, &api, &mut store, &options(), &mut Vec::new());
    assert!(matches!(out, Err(Error::Aborted { .. })), "{out:?}");
    let saved: Journal = serde_json::from_str(store.saved.as_deref().unwrap()).unwrap();
    assert_eq!(saved.count(JobState::Creating), 0, "{saved:?}");
    assert_eq!(saved.count(JobState::Pending), 2);
    let mut events = Vec::new();
    let (report, journal) = run_once(
        &plan,
        &api.server,
        &mut store,
        "batch",
        ReconcileOptions::default(),
        &mut events,
    )
    .unwrap();
    assert_eq!(report.exit_code(&journal), 0);
    assert_eq!(journal.count(JobState::Downloaded), 4);
    assert_eq!(api.server.creates.get(), 4, "one create per job in all");
}

#[test]
fn film_validation_reports_every_problem_with_shot_paths() {
    let film: Film = serde_json::from_value(json!({
        "model": "doubao-seedance-2-0-fast-260128", "resolution": "1080p", "ratio": "16:9",
        "generate_audio": true,
        "shots": [
            { "prompt": "", "duration": 3 },
            { "prompt": "then", "duration": 20, "image": "https://example.com/a.png" },
            { "prompt": "later", "duration": 5, "cut": true, "image": "ftp://x" },
        ]
    }))
    .unwrap();
    let v = film.validate(&Limits::default());
    let fields: Vec<&str> = v.errors().map(|i| i.field.as_str()).collect();
    for f in [
        "resolution",
        "shots[0].duration",
        "shots[0]",
        "shots[1].duration",
        "shots[1].image",
        "shots[2].image",
    ] {
        assert!(fields.contains(&f), "{f} missing in {fields:?}");
    }
    assert_eq!(
        fields.iter().filter(|f| **f == "resolution").count(),
        1,
        "shared settings once"
    );
    let durations = fields.iter().filter(|f| **f == "shots[1].duration").count();
    assert_eq!(durations, 1, "each problem once");
    let unknown = serde_json::from_value::<Film>(json!({
        "model": "m", "resolution": "720p", "ratio": "16:9", "generate_audio": false,
        "shots": [{ "prompt": "x", "duration": 5, "camera": "dolly" }]
    }))
    .unwrap_err();
    assert!(
        unknown.to_string().contains("unknown field `camera`"),
        "{unknown}"
    );
}

#[test]
fn adaptive_ratio_needs_images_of_one_ratio() {
    let png = |w, h| crate::common::png_url(w, h);
    let film = |a: String, b: Option<String>| -> Film {
        serde_json::from_value(json!({
            "model": "doubao-seedance-2-0-fast-260128", "resolution": "720p", "ratio": "adaptive",
            "generate_audio": false,
            "shots": [
                { "prompt": "a", "duration": 5, "image": a },
                { "prompt": "b", "duration": 5, "cut": true, "image": b },
            ]
        }))
        .unwrap()
    };
    assert!(film(png(1280, 720), Some(png(640, 360)))
        .validate(&Limits::default())
        .is_ok());
    let v = film(png(1280, 720), Some(png(720, 1280))).validate(&Limits::default());
    let issue = v
        .errors()
        .find(|i| i.field == "shots[1].image")
        .expect("refused");
    assert!(
        issue.given.contains("9:16") && issue.given.contains("16:9"),
        "{issue:?}"
    );
    let v = film(png(1280, 720), None).validate(&Limits::default());
    assert!(v
        .errors()
        .any(|i| i.field == "shots[1].image" && i.allowed.contains("fixed ratio")));
}

#[test]
fn estimates_add_up_and_the_cap_counts_what_was_spent() {
    let film = film_json("x");
    let plan = film.plan();
    let each: u64 = plan
        .jobs
        .iter()
        .map(|j| estimate(&j.request, None).tokens_max)
        .sum();
    assert_eq!(film.estimate(None).tokens_max, each);
    assert_eq!(each, 3 * 108_900);
    let server = Server::new(1_000);
    let mut store = Store::default();
    let (_, journal) = run_once(
        &plan,
        &server,
        &mut store,
        "film",
        ReconcileOptions::default(),
        &mut Vec::new(),
    )
    .unwrap();
    assert_eq!(journal.spent(), 3 * 108_900);
    assert!(
        check_budget(&plan, &journal, Some(1)).is_err(),
        "spent already passes a cap of 1"
    );
    let fresh = Journal::reconcile(&plan, None, "film", ReconcileOptions::default()).unwrap();
    let err = check_budget(&plan, &fresh, Some(300_000)).unwrap_err();
    assert_eq!((err.spent, err.remaining, err.cap), (0, 326_700, 300_000));
    assert!(err.to_string().contains("326,700"), "{err}");
}

#[test]
fn journals_round_trip_and_refuse_another_kind() {
    let plan = batch(2);
    let server = Server::new(1_000);
    let mut store = Store::default();
    let (_, journal) = run_once(
        &plan,
        &server,
        &mut store,
        "batch",
        ReconcileOptions::default(),
        &mut Vec::new(),
    )
    .unwrap();
    let text = serde_json::to_string_pretty(&journal).unwrap();
    let back: Journal = serde_json::from_str(&text).unwrap();
    assert_eq!(back, journal);
    assert!(text.contains("\"state\": \"downloaded\""), "{text}");
    let err =
        Journal::reconcile(&plan, Some(back), "film", ReconcileOptions::default()).unwrap_err();
    assert!(err.to_string().contains("for a batch"), "{err}");
}

#[test]
fn variations_and_batches_validate_with_job_paths() {
    let req = CreateTaskRequest::text_to_video(Model::Fast, "x").with_seed(4_294_967_295);
    let b = Batch::variations(&req, 3, 0);
    let seeds: Vec<i64> = b.jobs.iter().map(|j| j.request.seed.unwrap()).collect();
    assert_eq!(seeds, [4_294_967_295, 0, 1], "seeds wrap within 0..2^32");
    let mut b = Batch::new([
        CreateTaskRequest::text_to_video(Model::Fast, "ok"),
        CreateTaskRequest::text_to_video(Model::Fast, "").with_duration(99),
    ]);
    b.jobs[0].name = Some("same".into());
    b.jobs[1].name = Some("same".into());
    let v = b.validate(&Limits::default());
    let fields: Vec<&str> = v.errors().map(|i| i.field.as_str()).collect();
    assert!(fields.contains(&"jobs[1].name"), "{fields:?}");
    assert!(fields.contains(&"jobs[1].duration"), "{fields:?}");
    assert!(
        fields.iter().any(|f| f.starts_with("jobs[1].content")),
        "{fields:?}"
    );
}
