//! `seedance batch` and `generate --variations`.

use std::time::Duration;

use seedance_sim::{AccountLimits, FaultSpec, Sim, SimConfig, Timings};
use serde_json::Value;

use super::*;

const RUN: [&str; 10] = [
    "-r",
    "720p",
    "--ratio",
    "16:9",
    "-d",
    "4",
    "--no-audio",
    "--poll-interval",
    "0.2",
    "--yes",
];

/// Twelve prompts, with a blank line after the sixth (so jobs[6] is line 8).
fn twelve(dir: &Path, fail_at: Option<usize>) -> PathBuf {
    let mut lines = Vec::new();
    for i in 0..12 {
        let marker = if Some(i) == fail_at { " [fail]" } else { "" };
        lines.push(format!("prompt {i}{marker}"));
        if i == 5 {
            lines.push(String::new());
        }
    }
    write_lines(dir, "prompts.txt", &lines)
}

/// The line of job `i` in [`twelve`].
fn line_of(i: usize) -> usize {
    if i < 6 {
        i + 1
    } else {
        i + 2
    }
}

fn batch_args<'a>(file: &'a Path, out: &'a Path, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["batch", arg(file), "--out-dir", arg(out)];
    args.extend(RUN);
    args.extend(extra);
    args
}

/// At most how many of the tasks were between create and a final status at one instant.
fn most_at_once(tasks: &[Value]) -> usize {
    let mut edges: Vec<(u64, i32)> = Vec::new();
    for t in tasks {
        edges.push((t["created_at_ms"].as_u64().unwrap(), 1));
        edges.push((t["finished_at_ms"].as_u64().unwrap_or(u64::MAX), -1));
    }
    // [created, finished): an end and a start at one instant do not overlap.
    edges.sort();
    let (mut now, mut most) = (0i32, 0i32);
    for (_, d) in edges {
        now += d;
        most = most.max(now);
    }
    most as usize
}

#[test]
fn a_batch_keeps_to_its_concurrency_and_every_retry_after_and_saves_each_video() {
    let window = 2;
    let sim = sim_with(SimConfig::fast().with_account(AccountLimits {
        max_running: Some(10),
        create_rate: Some(5),
        create_window_secs: window,
    }));
    let key = "sk-batch-limits";
    let dir = scratch("batch-limits");
    let file = twelve(&dir, None);
    let out = dir.join("out");
    let run = seedance(
        Some(&sim),
        Some(key),
        &batch_args(&file, &out, &["--concurrency", "3", "--json"]),
    );
    run.assert_code(0)
        .assert_stderr_has("estimate: 12 jobs, 48 s of video, 1,047,600 tokens")
        .assert_stderr_has("12/12 done · 0 running · 0 failed")
        .assert_stderr_has("not created yet (create failed with HTTP 429");

    // Never more than 3 of our tasks between create and a final status.
    let tasks = tasks_of(&sim, key);
    assert_eq!(tasks.len(), 12);
    assert_eq!(most_at_once(&tasks), 3, "{tasks:#?}");

    // Every 429 was met with a wait of at least its Retry-After before the next create. The
    // simulator's Retry-After is the whole seconds until the oldest create that counts leaves
    // the window; here it is worked out again from the log (a few ms of slack at the edge of
    // a second, where the log's and the limiter's clock readings may fall either side).
    let log = posts(&sim, key);
    let refused: Vec<&Value> = log.iter().filter(|p| p["status"] == 429).collect();
    assert!(!refused.is_empty(), "the run met no 429: {log:#?}");
    let accepted: Vec<u64> = log
        .iter()
        .filter(|p| p["status"] == 200)
        .map(|p| p["time_ms"].as_u64().unwrap())
        .collect();
    assert_eq!(accepted.len(), 12);
    for r in &refused {
        let t = r["time_ms"].as_u64().unwrap();
        let counted: Vec<u64> = accepted
            .iter()
            .copied()
            .filter(|&a| a <= t && a + window * 1000 > t)
            .collect();
        assert!(
            counted.len() >= 5,
            "a 429 with {} creates in the window",
            counted.len()
        );
        let frees_at = counted[counted.len() - 5] + window * 1000;
        let retry_after = (frees_at.saturating_sub(t + 10)).div_ceil(1000).max(1) * 1000;
        let next = log
            .iter()
            .map(|p| p["time_ms"].as_u64().unwrap())
            .find(|&n| n > t)
            .expect("a create after the 429");
        assert!(
            next - t >= retry_after,
            "the next create came {} ms after a 429 whose Retry-After was {retry_after} ms",
            next - t
        );
    }

    // Twelve files, DIR/{line}-{task id}.mp4, each the simulator's video for its task.
    let summary = run.json();
    let jobs = summary["jobs"].as_array().unwrap();
    assert_eq!(jobs.len(), 12);
    for (i, job) in jobs.iter().enumerate() {
        assert_eq!(job["key"], format!("jobs[{i}]"));
        assert_eq!(job["state"], "downloaded");
        assert_eq!(job["error"], Value::Null);
        let id = job["task_id"].as_str().unwrap();
        let path = out.join(format!("{}-{id}.mp4", line_of(i)));
        assert_eq!(job["file"], arg(&path));
        let bytes = std::fs::read(&path).expect("the video");
        assert!(
            bytes == served_video(&sim, key, id),
            "{} differs",
            path.display()
        );
    }
    assert_eq!(files_in(&out, ".mp4").len(), 12);
    assert_eq!(files_in(&out, ".part"), Vec::<String>::new());
    assert!(
        !out.join("journal.json.lock").exists(),
        "the lock goes with the run"
    );
    // Each prompt went out once, as the request options made it.
    let mut prompts: Vec<String> = log
        .iter()
        .filter(|p| p["status"] == 200)
        .map(|p| {
            let body = &p["body"];
            assert_eq!(body["duration"], 4);
            assert_eq!(body["generate_audio"], false);
            assert_eq!(body["ratio"], "16:9");
            body["content"][0]["text"].as_str().unwrap().to_owned()
        })
        .collect();
    prompts.sort();
    prompts.dedup();
    assert_eq!(prompts.len(), 12);
}

/// A run killed or interrupted half-way, then the same command: 12 creates in all. The
/// fifth create's answer is held back `hold_ms`, and the run is stopped once that create
/// has arrived: stopped while a create is in flight, not between writing `creating` to the
/// journal and sending the POST (a job killed there is reported unknown, and created again
/// only with --recreate-unknown; Ctrl-C puts such a create back to pending itself).
fn resumes_after(
    name: &str,
    hold_ms: u64,
    stop: impl FnOnce(&Sim, std::process::Child) -> Option<Run>,
) {
    let held = format!("slow={hold_ms},on=create,every=5,times=1");
    let sim = sim_with(SimConfig::fast().with_fault(held.parse::<FaultSpec>().unwrap()));
    let key = format!("sk-batch-{name}");
    let dir = scratch(&format!("batch-{name}"));
    let file = twelve(&dir, None);
    let out = dir.join("out");
    let args = batch_args(&file, &out, &["--concurrency", "3"]);
    let child = spawn(&mut command(Some(&sim), Some(&key), &args));
    wait_for_creates(&sim, &key, 5);
    let first = stop(&sim, child);
    let again = seedance(Some(&sim), Some(&key), &args);
    again
        .assert_code(0)
        .assert_stderr_has("resuming ")
        .assert_stderr_has("12/12 done");
    let creates = posts(&sim, &key);
    assert_eq!(creates.len(), 12, "{first:?}\n{again:?}");
    assert_eq!(tasks_of(&sim, &key).len(), 12);
    assert_eq!(files_in(&out, ".mp4").len(), 12);
}

#[test]
fn kill_9_half_way_then_the_same_command_makes_12_creates_in_all() {
    resumes_after("kill", 10_000, |sim, child| {
        kill_9(child);
        // It died waiting for the fifth create's answer: the journal says `creating`.
        assert_eq!(posts(sim, "sk-batch-kill").len(), 5);
        let journal = scratch_path("batch-kill").join("out/journal.json");
        let journal: Value =
            serde_json::from_str(&std::fs::read_to_string(journal).unwrap()).unwrap();
        assert_eq!(journal["jobs"][4]["state"], "creating", "{journal:#}");
        None
    });
}

#[test]
#[cfg(unix)]
fn ctrl_c_half_way_exits_130_and_the_same_command_resumes() {
    resumes_after("ctrl-c", 1_500, |_, mut child| {
        let lines = stderr_lines(&mut child);
        let (run, rest) = interrupt(child, &lines);
        assert_eq!(run.code, 130, "{rest}");
        assert!(rest.contains("error: interrupted: "), "{rest}");
        assert!(rest.contains("keeps every task"), "{rest}");
        assert!(
            rest.contains("hint: resume (nothing is created twice): seedance "),
            "{rest}"
        );
        assert!(rest.contains(" --cancel"), "{rest}");
        // The create in flight got its answer before the run stopped.
        assert!(rest.contains("jobs[4] (line 5): task cgt-"), "{rest}");
        Some(run)
    });
}

#[test]
fn max_tokens_below_the_worst_case_sends_nothing() {
    let sim = sim();
    let key = "sk-batch-cap";
    let dir = scratch("batch-cap");
    let file = twelve(&dir, None);
    let out = dir.join("out");
    let run = seedance(
        Some(&sim),
        Some(key),
        &batch_args(&file, &out, &["--max-tokens", "1000000"]),
    );
    run.assert_code(2).assert_stderr_has(
        "this run could spend 1,047,600 tokens (0 spent + 1,047,600 at most for what remains), over the cap of 1,000,000: nothing was sent",
    );
    assert_eq!(requests(&sim), Vec::<Value>::new());
}

#[test]
fn without_a_terminal_a_batch_needs_yes() {
    let sim = sim();
    let dir = scratch("batch-yes");
    let file = twelve(&dir, None);
    let out = dir.join("out");
    let args = ["batch", arg(&file), "--out-dir", arg(&out)];
    seedance(Some(&sim), Some("sk-batch-yes"), &args)
        .assert_code(2)
        .assert_stderr_has(
            "batch creates 12 billed tasks: pass --yes to confirm (no terminal to ask on); nothing was sent",
        );
    assert_eq!(requests(&sim), Vec::<Value>::new());
}

#[test]
fn one_failing_job_exits_1_names_it_and_the_others_are_saved() {
    let sim = sim();
    let key = "sk-batch-fail";
    let dir = scratch("batch-fail");
    let file = twelve(&dir, Some(4));
    let out = dir.join("out");
    let run = seedance(
        Some(&sim),
        Some(key),
        &batch_args(&file, &out, &["--concurrency", "12", "--json"]),
    );
    run.assert_code(1)
        .assert_stderr_has("failed: jobs[4] (line 5), task cgt-")
        .assert_stderr_has(": OutputVideoSensitiveContentDetected: ")
        .assert_stderr_has("error: 1 of 12 jobs failed (jobs[4] (line 5))");
    let summary = run.json();
    assert_eq!(summary["exit_code"], 1);
    let failed: Vec<&Value> = summary["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|j| j["state"] == "failed")
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["key"], "jobs[4]");
    assert_eq!(failed[0]["file"], Value::Null);
    assert_eq!(
        failed[0]["error"]["code"],
        "OutputVideoSensitiveContentDetected"
    );
    assert_eq!(files_in(&out, ".mp4").len(), 11);
    assert_eq!(posts(&sim, key).len(), 12);
}

#[test]
#[cfg(unix)]
fn cancel_deletes_the_queued_tasks_and_names_the_running_one() {
    // Tasks run for a minute: the unmarked one is running while we cancel.
    let timings = Timings {
        queued: Duration::from_millis(100),
        running: Duration::from_secs(60),
        ..Timings::fast()
    };
    let sim = sim_with(SimConfig::fast().with_timings(timings));
    let key = "sk-batch-cancel";
    let dir = scratch("batch-cancel");
    let lines = [
        r#"{"name": "waits", "content": [{"type": "text", "text": "a harbour [queued]"}]}"#,
        r#"{"name": "runs", "content": [{"type": "text", "text": "a meadow"}]}"#,
        r#"{"name": "waits too", "content": [{"type": "text", "text": "a city [queued]"}]}"#,
    ]
    .map(String::from);
    let file = write_lines(&dir, "jobs.jsonl", &lines);
    let out = dir.join("out");
    let args = batch_args(&file, &out, &[]);
    let mut child = spawn(&mut command(Some(&sim), Some(key), &args));
    let stderr = stderr_lines(&mut child);
    read_until(&stderr, |l| l.contains(" running") && l.starts_with("runs"));
    let (run, rest) = interrupt(child, &stderr);
    assert_eq!(run.code, 130, "{rest}");
    let ids: Vec<String> = tasks_of(&sim, key)
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 3);

    let mut cancel_args = args.clone();
    cancel_args.push("--cancel");
    let cancel = seedance(Some(&sim), Some(key), &cancel_args);
    cancel.assert_code(0);
    let tasks = tasks_of(&sim, key);
    let id_of = |prompt: &str| {
        tasks.iter().find(|t| t["prompt"] == prompt).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (queued, queued_too, running) = (
        id_of("a harbour [queued]"),
        id_of("a city [queued]"),
        id_of("a meadow"),
    );
    cancel
        .assert_stdout_has(&format!("cancelled: waits (line 1) (task {queued}) was queued"))
        .assert_stdout_has(&format!("cancelled: waits too (line 3) (task {queued_too})"))
        .assert_stdout_has(&format!(
            "running: runs (line 2) (task {running}) is running: it can't be cancelled; it finishes and is billed"
        ));
    let deletes: Vec<String> = requests(&sim)
        .iter()
        .filter(|r| r["method"] == "DELETE")
        .map(|r| {
            r["path"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    let mut expected = vec![queued.clone(), queued_too.clone()];
    expected.sort();
    let mut deleted = deletes.clone();
    deleted.sort();
    assert_eq!(deleted, expected, "DELETE for the queued tasks only");
    assert_eq!(status(&sim, key, &queued), "cancelled");
    assert_eq!(status(&sim, key, &running), "running");
    // The journal says so: a rerun would not create the cancelled jobs again.
    let journal: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("journal.json")).unwrap()).unwrap();
    assert_eq!(journal["jobs"][0]["state"], "failed");
    assert_eq!(journal["jobs"][0]["status"], "cancelled");
    assert_eq!(journal["jobs"][1]["state"], "running");
}

#[test]
fn variations_make_n_seeds_counting_up_and_resume() {
    let sim = sim();
    let key = "sk-variations";
    let dir = scratch("variations");
    let out = dir.join("storm");
    let args = [
        "generate",
        "-p",
        "a lighthouse in a storm",
        "-d",
        "4",
        "--no-audio",
        "--seed",
        "41",
        "--variations",
        "3",
        "--out-dir",
        arg(&out),
        "--poll-interval",
        "0.2",
        "--yes",
    ];
    let run = seedance(Some(&sim), Some(key), &args);
    run.assert_code(0)
        .assert_stderr_has("estimate: 3 variations, 12 s of video, 261,900 tokens");
    let seeds: Vec<i64> = posts(&sim, key)
        .iter()
        .map(|p| p["body"]["seed"].as_i64().unwrap())
        .collect();
    assert_eq!(seeds, [41, 42, 43]);
    for t in tasks_of(&sim, key) {
        let (seed, id) = (&t["seed"], t["id"].as_str().unwrap());
        assert_video_of(&out.join(format!("seed-{seed}-{id}.mp4")), id);
    }
    assert!(out.join("journal.json").is_file());
    // The same command again: nothing more to create.
    seedance(Some(&sim), Some(key), &args).assert_code(0);
    assert_eq!(posts(&sim, key).len(), 3);
}

#[test]
fn a_long_retry_after_stops_creating_exits_1_and_the_same_command_resumes() {
    // The third create gets a 429 asking for two minutes: more than a run waits.
    let long = "429=120,on=create,every=3,times=1"
        .parse::<FaultSpec>()
        .unwrap();
    let sim = sim_with(SimConfig::fast().with_fault(long));
    let key = "sk-batch-stop";
    let dir = scratch("batch-stop");
    let file = write_lines(&dir, "p.txt", &["a", "b", "c", "d", "e"].map(String::from));
    let out = dir.join("out");
    let args = batch_args(&file, &out, &[]);
    let run = seedance(Some(&sim), Some(key), &args);
    run.assert_code(1)
        .assert_stderr_has("stopped creating: the server refuses more creates for 120.0 s")
        .assert_stderr_has("error: creating stopped with 3 jobs not created: ")
        .assert_stderr_has("hint: resume later (nothing is created twice): seedance ");
    assert_eq!(files_in(&out, ".mp4").len(), 2, "what was made is kept");
    seedance(Some(&sim), Some(key), &args)
        .assert_code(0)
        .assert_stderr_has("5/5 done");
    let accepted = posts(&sim, key)
        .iter()
        .filter(|p| p["status"] == 200)
        .count();
    assert_eq!(accepted, 5);
}

#[test]
fn jsonl_lines_keep_their_own_fields_the_flags_fill_the_rest_and_name_is_never_sent() {
    let sim = sim();
    let key = "sk-batch-jsonl";
    let dir = scratch("batch-jsonl");
    let text = |t: &str| format!(r#""content": [{{"type": "text", "text": "{t}"}}]"#);
    let lines = [
        // Its own resolution and duration.
        format!(
            r#"{{"name": "fox", {}, "resolution": "720p", "duration": 6}}"#,
            text("a fox in the snow")
        ),
        // Neither: both from the flags.
        format!(r#"{{{}}}"#, text("a quiet harbour")),
        String::new(),
        // Its own duration, the flags' resolution.
        format!(r#"{{"name": "owl", {}, "duration": 5}}"#, text("an owl")),
        // Its own model and resolution, the flags' duration.
        format!(
            r#"{{{}, "model": "{STANDARD}", "resolution": "720p"}}"#,
            text("a meadow")
        ),
    ];
    let file = write_lines(&dir, "jobs.jsonl", &lines);
    let out = dir.join("out");
    let args = [
        "batch",
        arg(&file),
        "--out-dir",
        arg(&out),
        "--resolution",
        "480p",
        "--duration",
        "4",
        "--poll-interval",
        "0.2",
        "--yes",
    ];
    let run = seedance(Some(&sim), Some(key), &args);
    run.assert_code(0).assert_stderr_has("4/4 done");

    // (prompt, the file's stem, model, resolution, duration) as the server must get them.
    let expected = [
        ("a fox in the snow", "fox", FAST, "720p", 6),
        ("a quiet harbour", "2", FAST, "480p", 4),
        ("an owl", "owl", FAST, "480p", 5),
        ("a meadow", "5", STANDARD, "720p", 4),
    ];
    let creates = posts(&sim, key);
    assert_eq!(creates.len(), 4);
    for post in &creates {
        let body = post["body"].as_object().expect("a JSON body");
        assert!(!body.contains_key("name"), "name was sent: {body:?}");
    }
    let tasks = tasks_of(&sim, key);
    let mut want_files = Vec::new();
    for (prompt, stem, model, resolution, duration) in expected {
        let post = creates
            .iter()
            .find(|p| p["body"]["content"][0]["text"] == prompt)
            .unwrap_or_else(|| panic!("no create for {prompt:?}"));
        let body = &post["body"];
        assert_eq!(body["model"], model, "{prompt}");
        assert_eq!(body["resolution"], resolution, "{prompt}");
        assert_eq!(body["duration"], duration, "{prompt}");
        let id = tasks
            .iter()
            .find(|t| t["prompt"] == prompt)
            .unwrap_or_else(|| panic!("no task for {prompt:?}"))["id"]
            .as_str()
            .unwrap();
        let name = format!("{stem}-{id}.mp4");
        assert_video_of(&out.join(&name), id);
        assert!(
            run.stdout.lines().any(|l| l == arg(&out.join(&name))),
            "stdout lacks {name}\n{}",
            run.stdout
        );
        want_files.push(name);
    }
    want_files.sort();
    assert_eq!(files_in(&out, ".mp4"), want_files);
}

#[test]
fn a_lost_create_the_list_cannot_find_exits_3_says_the_outcome_is_unknown_and_how_to_proceed() {
    let sim = sim_losing_the_second_create();
    let key = "sk-batch-unknown";
    let dir = scratch("batch-unknown");
    let file = write_lines(&dir, "p.txt", &["a", "b", "c"].map(String::from));
    let out = dir.join("out");
    let args = batch_args(&file, &out, &[]);
    let run = seedance(Some(&sim), Some(key), &args);
    run.assert_code(3)
        .assert_stderr_has(
            "jobs[1]: the create may or may not have made a task, and the list route failed (",
        )
        .assert_stderr_has("unknown: jobs[1] (line 2): its create may or may not have made a task")
        .assert_stderr_has("error: the outcome of 1 job is unknown: jobs[1] (line 2)")
        .assert_stderr_has(&format!(
            "hint: look for the tasks: seedance list --model {FAST}"
        ))
        .assert_stderr_has("hint: to create them anyway (a lost create may be billed): seedance ")
        .assert_stderr_has(" --recreate-unknown");
    // The server made three tasks; the lost one was looked for through the list route.
    assert_eq!(posts(&sim, key).len(), 3);
    assert_eq!(tasks_of(&sim, key).len(), 3);
    let lost: Vec<Value> = posts(&sim, key)
        .into_iter()
        .filter(|p| p["fault"] == "lost-create")
        .collect();
    assert_eq!(lost.len(), 1);
    assert_eq!(lost[0]["body"]["content"][0]["text"], "b");
    let lists: Vec<Value> = requests(&sim)
        .into_iter()
        .filter(|r| r["method"] == "GET" && r["path"] == TASKS)
        .collect();
    assert!(!lists.is_empty(), "the list route was not asked");
    assert!(lists.iter().all(|r| r["status"] == 500), "{lists:#?}");
    // The two others are saved; the unknown one has no file.
    let files = files_in(&out, ".mp4");
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(files.iter().all(|f| !f.starts_with("2-")), "{files:?}");
    let journal: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("journal.json")).unwrap()).unwrap();
    assert_eq!(journal["jobs"][1]["state"], "unknown", "{journal:#}");

    // The same command again looks again, creates nothing, and still exits 3.
    let again = seedance(Some(&sim), Some(key), &args);
    again
        .assert_code(3)
        .assert_stderr_has("error: the outcome of 1 job is unknown: jobs[1] (line 2)");
    assert_eq!(posts(&sim, key).len(), 3, "{}", again.stderr);

    // With --recreate-unknown it is created once more and saved.
    let mut recreate = args.clone();
    recreate.push("--recreate-unknown");
    seedance(Some(&sim), Some(key), &recreate)
        .assert_code(0)
        .assert_stderr_has("3/3 done");
    assert_eq!(posts(&sim, key).len(), 4);
    let files = files_in(&out, ".mp4");
    assert_eq!(files.len(), 3, "{files:?}");
    assert!(files.iter().any(|f| f.starts_with("2-")), "{files:?}");
}
