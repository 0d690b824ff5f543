//! `seedance film`: shots chained by their last frames, resumed, refused.

use seedance_sim::{FaultSpec, SimConfig};
use serde_json::{json, Value};

use super::*;

/// A plan of shots `(prompt, duration, cut)` at 720p 16:9 without sound.
fn write_plan(dir: &Path, shots: &[(&str, i64, bool)]) -> PathBuf {
    let shots: Vec<Value> = shots
        .iter()
        .map(|(prompt, duration, cut)| {
            let mut shot = json!({"prompt": prompt, "duration": duration});
            if *cut {
                shot["cut"] = json!(true);
            }
            shot
        })
        .collect();
    let plan = json!({
        "model": FAST, "resolution": "720p", "ratio": "16:9", "generate_audio": false,
        "shots": shots,
    });
    let path = dir.join("plan.json");
    std::fs::write(&path, serde_json::to_string_pretty(&plan).unwrap()).unwrap();
    path
}

fn film_args<'a>(plan: &'a Path, out: &'a Path) -> Vec<&'a str> {
    vec![
        "film",
        arg(plan),
        "--out",
        arg(out),
        "--poll-interval",
        "0.2",
        "--yes",
    ]
}

/// The first frame a create's body carries, if any.
fn first_frame(post: &Value) -> Option<String> {
    post["body"]["content"]
        .as_array()?
        .iter()
        .find(|c| c["role"] == "first_frame")
        .map(|c| c["image_url"]["url"].as_str().unwrap().to_owned())
}

/// The task the simulator made for a create whose prompt is `text`.
fn task_for(tasks: &[Value], text: &str) -> String {
    tasks
        .iter()
        .find(|t| t["prompt"] == text)
        .unwrap_or_else(|| panic!("no task for {text:?}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// `X-Tos-Date` for a Unix time in ms: `YYYYMMDDTHHMMSSZ`.
fn tos_date(ms: u64) -> String {
    let secs = ms / 1000;
    let (days, rest) = ((secs / 86_400) as i64, secs % 86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

#[test]
fn each_continued_shot_starts_from_the_latest_last_frame_of_the_one_before() {
    let sim = sim();
    let key = "sk-film-chain";
    let dir = scratch("film-chain");
    let shots = [
        ("a fox wakes up in its den", 4, false),
        ("it steps out into the snow", 5, false),
        ("it trots to the frozen lake", 4, false),
        ("an owl watches from a pine", 6, true),
    ];
    let plan = write_plan(&dir, &shots);
    let out = dir.join("fox.mp4");
    let run = seedance(Some(&sim), Some(key), &film_args(&plan, &out));
    run.assert_stderr_has("estimate: 4 shots, 19 s of video, ")
        .assert_stderr_has("4/4 done · 0 running · 0 failed");
    run.assert_code(0)
        .assert_stderr_has(&format!("joined 4 clips into {}", out.display()));
    assert_eq!(run.stdout.trim(), arg(&out), "stdout is the film");
    // One MP4 as long as its shots (4 + 5 + 4 + 6 s), decoded by ffmpeg without a word.
    let seconds = probe_duration(&out);
    assert!((seconds - 19.0).abs() < 0.05, "{seconds} s");
    assert_eq!(decode_errors(&out), "");
    assert!(!dir.join("fox.mp4.part").exists());

    let log = requests(&sim);
    let creates = posts(&sim, key);
    assert_eq!(creates.len(), 4);
    let tasks = tasks_of(&sim, key);
    let ids: Vec<String> = shots.iter().map(|s| task_for(&tasks, s.0)).collect();
    for (k, (prompt, duration, cut)) in shots.iter().enumerate() {
        let post = creates
            .iter()
            .find(|p| p["body"]["content"][0]["text"] == *prompt)
            .unwrap();
        assert_eq!(post["body"]["duration"], *duration);
        // A shot another continues from asks for its last frame.
        let continued = shots.get(k + 1).is_some_and(|next| !next.2);
        assert_eq!(
            post["body"]["return_last_frame"],
            if continued { json!(true) } else { Value::Null },
            "shots[{k}]"
        );
        let frame = first_frame(post);
        if k == 0 || *cut {
            assert_eq!(frame, None, "shots[{k}] starts fresh");
            continue;
        }
        // The previous task's last frame, signed by the last GET of that task before this
        // create (a fresh URL, not one seen earlier).
        let url = frame.unwrap_or_else(|| panic!("shots[{k}] has no first frame"));
        let before = &ids[k - 1];
        let target = url.strip_prefix(sim.base_url()).unwrap();
        assert!(target.starts_with(&format!("/tos/{before}.png?")), "{url}");
        let post_at = post["time_ms"].as_u64().unwrap();
        let last_get = log
            .iter()
            .filter(|r| r["method"] == "GET" && r["path"] == format!("{TASKS}/{before}"))
            .map(|r| r["time_ms"].as_u64().unwrap())
            .filter(|&t| t <= post_at)
            .max()
            .expect("a GET of the previous task before the create");
        let signed = url.split("X-Tos-Date=").nth(1).unwrap()[..16].to_owned();
        assert!(
            signed == tos_date(last_get) || signed == tos_date(last_get + 1000),
            "signed at {signed}, the last GET was at {}",
            tos_date(last_get)
        );
        // It is the PNG kept beside the previous clip.
        let (status, png) = http(sim.addr(), "GET", target, None, None);
        assert_eq!(status, 200);
        let kept = dir
            .join("fox.mp4.shots")
            .join(format!("shots-{}-{before}.png", k - 1));
        assert_eq!(std::fs::read(&kept).expect("the last frame is kept"), png);
    }
    for (k, id) in ids.iter().enumerate() {
        let clip = dir
            .join("fox.mp4.shots")
            .join(format!("shots-{k}-{id}.mp4"));
        assert_eq!(std::fs::read(&clip).unwrap(), served_video(&sim, key, id));
    }
}

const THREE: [(&str, i64, bool); 3] = [
    ("a fox wakes up in its den", 4, false),
    ("it steps out into the snow", 5, false),
    ("an owl watches from a pine", 6, true),
];

#[test]
fn kill_9_after_the_first_create_then_the_same_command_makes_3_creates_in_all() {
    // The first create's answer is held back: the run dies with it in flight, its journal
    // saying `creating`; the next run finds the task through the list route.
    let held = "slow=1500,on=create,times=1".parse::<FaultSpec>().unwrap();
    let sim = sim_with(SimConfig::fast().with_fault(held));
    let key = "sk-film-kill";
    let dir = scratch("film-kill");
    let plan = write_plan(&dir, &THREE);
    let out = dir.join("fox.mp4");
    let args = film_args(&plan, &out);
    let child = spawn(&mut command(Some(&sim), Some(key), &args));
    let start = Instant::now();
    while posts(&sim, key).is_empty() {
        assert!(start.elapsed() < Duration::from_secs(30), "no create");
        std::thread::sleep(Duration::from_millis(5));
    }
    kill_9(child);
    let again = seedance(Some(&sim), Some(key), &args);
    again
        .assert_code(0)
        .assert_stderr_has("resuming ")
        .assert_stderr_has("3/3 done");
    assert_eq!(posts(&sim, key).len(), 3, "{}", again.stderr);
    assert!((probe_duration(&out) - 15.0).abs() < 0.05);
    assert_eq!(tasks_of(&sim, key).len(), 3);
    assert_eq!(files_in(&dir.join("fox.mp4.shots"), ".mp4").len(), 3);
}

#[test]
fn a_failed_middle_shot_is_named_and_a_rerun_after_editing_it_creates_only_that_shot() {
    let sim = sim();
    let key = "sk-film-fail";
    let dir = scratch("film-fail");
    let mut shots = THREE;
    shots[1].0 = "it steps out into the snow [fail]";
    let plan = write_plan(&dir, &shots);
    let out = dir.join("fox.mp4");
    let args = film_args(&plan, &out);
    let run = seedance(Some(&sim), Some(key), &args);
    run.assert_code(1)
        .assert_stderr_has("failed: shots[1], task cgt-")
        .assert_stderr_has(": OutputVideoSensitiveContentDetected: ")
        .assert_stderr_has("error: 1 of 3 shots failed (shots[1]); ")
        .assert_stderr_has(&format!("{} was not written", out.display()));
    assert!(!out.exists());
    let journal_path = dir.join("fox.mp4.journal.json");
    let journal: Value =
        serde_json::from_str(&std::fs::read_to_string(&journal_path).unwrap()).unwrap();
    let failed: Vec<&Value> = journal["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|j| j["state"] == "failed")
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["key"], "shots[1]");
    assert_eq!(
        failed[0]["error"]["code"],
        "OutputVideoSensitiveContentDetected"
    );
    assert_eq!(posts(&sim, key).len(), 3, "the cut after it still ran");

    // Edit that prompt: only that shot is created again, from shots[0]'s last frame.
    write_plan(&dir, &THREE);
    let again = seedance(Some(&sim), Some(key), &args);
    again.assert_code(0).assert_stderr_has("3/3 done");
    assert!((probe_duration(&out) - 15.0).abs() < 0.05);
    let creates = posts(&sim, key);
    assert_eq!(creates.len(), 4, "{}", again.stderr);
    let last = creates.last().unwrap();
    assert_eq!(last["body"]["content"][0]["text"], THREE[1].0);
    let first = task_for(&tasks_of(&sim, key), THREE[0].0);
    let frame = first_frame(last).expect("a first frame");
    assert!(frame.contains(&format!("/tos/{first}.png?")), "{frame}");
}

#[test]
fn concat_joins_clips_without_a_key_and_names_a_clip_it_cannot_join() {
    let sim = sim();
    let key = "sk-concat";
    let dir = scratch("concat");
    let mut clips = Vec::new();
    for prompt in ["dawn", "dusk"] {
        let id = create_task(&sim, key, prompt);
        wait_for_status(&sim, key, &id, "succeeded");
        let path = dir.join(format!("{prompt}.mp4"));
        std::fs::write(&path, served_video(&sim, key, &id)).unwrap();
        clips.push(path);
    }
    let out = dir.join("day.mp4");
    let run = offline(&["concat", arg(&clips[0]), arg(&clips[1]), "--out", arg(&out)]);
    run.assert_code(0).assert_stdout_has(arg(&out));
    // Two clips of the simulator's default 5 s.
    assert!((probe_duration(&out) - 10.0).abs() < 0.05);
    assert_eq!(decode_errors(&out), "");

    // A refused join writes nothing: not the film, nor any temporary file beside it. (A
    // fresh path, so a file left there could only come from this run.)
    let plan = write_plan(&dir, &THREE);
    let before = files_in(&dir, "");
    let refused = dir.join("refused.mp4");
    let bad = offline(&["concat", arg(&clips[0]), arg(&plan), "--out", arg(&refused)]);
    bad.assert_code(2)
        .assert_stderr_has("can't join the clips: clip 1 is not an MP4 file")
        .assert_stderr_has(&format!("(clip 1 is {})", plan.display()));
    assert_eq!(bad.stdout, "", "no film to name");
    assert!(!refused.exists(), "{} was written", refused.display());
    assert_eq!(files_in(&dir, ""), before, "the refused join left a file");
}

#[test]
#[cfg(unix)]
fn ctrl_c_exits_130_keeps_the_tasks_and_the_same_command_finishes_with_3_creates() {
    // The first create's answer is held back: Ctrl-C comes while it is in flight.
    let held = "slow=1500,on=create,times=1".parse::<FaultSpec>().unwrap();
    let sim = sim_with(SimConfig::fast().with_fault(held));
    let key = "sk-film-ctrl-c";
    let dir = scratch("film-ctrl-c");
    let plan = write_plan(&dir, &THREE);
    let out = dir.join("fox.mp4");
    let args = film_args(&plan, &out);
    let mut child = spawn(&mut command(Some(&sim), Some(key), &args));
    let stderr = stderr_lines(&mut child);
    wait_for_creates(&sim, key, 1);
    let (run, rest) = interrupt(child, &stderr);
    assert_eq!(run.code, 130, "{rest}");
    let journal_path = dir.join("fox.mp4.journal.json");
    // The create in flight got its answer before the run stopped, and is kept.
    assert!(rest.contains("shots[0]: task cgt-"), "{rest}");
    assert!(
        rest.contains(&format!(
            "error: interrupted: 1 shot of this run goes on on the server; {} keeps every task; {} was not written",
            journal_path.display(),
            out.display()
        )),
        "{rest}"
    );
    assert!(
        rest.contains("hint: resume (nothing is created twice): seedance "),
        "{rest}"
    );
    assert!(
        rest.contains(" film "),
        "the hint repeats the command: {rest}"
    );
    assert!(rest.contains(" --cancel"), "{rest}");
    assert!(!out.exists(), "no film from an interrupted run");
    // Every task made so far is in the journal, none cancelled.
    let made = tasks_of(&sim, key);
    assert!(!made.is_empty());
    let journal: Value =
        serde_json::from_str(&std::fs::read_to_string(&journal_path).unwrap()).unwrap();
    for t in &made {
        assert_ne!(t["status"], "cancelled", "{t}");
        assert!(
            journal["jobs"]
                .as_array()
                .unwrap()
                .iter()
                .any(|j| j["task_id"] == t["id"]),
            "task {} is not in the journal: {journal:#}",
            t["id"]
        );
    }
    assert_eq!(count(&sim, "DELETE"), 0, "Ctrl-C cancels nothing");

    let again = seedance(Some(&sim), Some(key), &args);
    again
        .assert_code(0)
        .assert_stderr_has(&format!("resuming {}: ", journal_path.display()))
        .assert_stderr_has("3/3 done");
    assert_eq!(posts(&sim, key).len(), 3, "{rest}\n{}", again.stderr);
    assert_eq!(tasks_of(&sim, key).len(), 3);
    assert!((probe_duration(&out) - 15.0).abs() < 0.05);
    assert_eq!(files_in(&dir.join("fox.mp4.shots"), ".mp4").len(), 3);
}

#[test]
fn journal_flag_puts_the_journal_there_and_a_rerun_with_it_resumes() {
    let sim = sim();
    let key = "sk-film-journal";
    let dir = scratch("film-journal");
    let plan = write_plan(&dir, &THREE);
    let out = dir.join("fox.mp4");
    let journal_path = dir.join("my-film.journal.json");
    let mut args = film_args(&plan, &out);
    args.extend(["--journal", arg(&journal_path)]);
    let run = seedance(Some(&sim), Some(key), &args);
    run.assert_code(0).assert_stderr_has("3/3 done");
    assert!(
        !dir.join("fox.mp4.journal.json").exists(),
        "the default journal was written"
    );
    let journal: Value = serde_json::from_str(
        &std::fs::read_to_string(&journal_path).expect("the journal at --journal"),
    )
    .unwrap();
    let mut ids: Vec<String> = journal["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["task_id"].as_str().expect("a task id").to_owned())
        .collect();
    let mut made: Vec<String> = tasks_of(&sim, key)
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    made.sort();
    assert_eq!(ids, made, "the journal holds the tasks made");

    // The film gone, the same command joins it again from the kept clips: no create.
    std::fs::remove_file(&out).unwrap();
    let again = seedance(Some(&sim), Some(key), &args);
    again.assert_code(0).assert_stderr_has(&format!(
        "resuming {}: 3 done, 0 running, 0 failed, 0 to create",
        journal_path.display()
    ));
    assert_eq!(posts(&sim, key).len(), 3, "{}", again.stderr);
    assert!((probe_duration(&out) - 15.0).abs() < 0.05);
    assert!(!dir.join("fox.mp4.journal.json").exists());
}

#[test]
fn a_lost_create_the_list_cannot_find_exits_3_and_recreate_unknown_finishes_the_film() {
    let sim = sim_losing_the_second_create();
    let key = "sk-film-unknown";
    let dir = scratch("film-unknown");
    let plan = write_plan(&dir, &THREE);
    let out = dir.join("fox.mp4");
    let args = film_args(&plan, &out);
    let run = seedance(Some(&sim), Some(key), &args);
    // shots[2] is a cut: its create went beside shots[0]'s, the second the server saw.
    run.assert_code(3)
        .assert_stderr_has(
            "problem: shots[2]: the create may or may not have made a task, and the list route failed (",
        )
        .assert_stderr_has("unknown: shots[2]: its create may or may not have made a task")
        .assert_stderr_has(&format!(
            "error: the outcome of 1 shot is unknown: shots[2]; {} was not written",
            out.display()
        ))
        .assert_stderr_has(&format!(
            "hint: look for the tasks: seedance list --model {FAST}"
        ))
        .assert_stderr_has(" --recreate-unknown");
    assert!(!out.exists(), "no film while a shot is unknown");
    assert_eq!(posts(&sim, key).len(), 3, "the others were made");
    assert_eq!(files_in(&dir.join("fox.mp4.shots"), ".mp4").len(), 2);
    let journal: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("fox.mp4.journal.json")).unwrap())
            .unwrap();
    assert_eq!(journal["jobs"][2]["state"], "unknown", "{journal:#}");

    // The same command looks again, creates nothing, and still exits 3.
    seedance(Some(&sim), Some(key), &args)
        .assert_code(3)
        .assert_stderr_has("2 done, 0 running, 0 failed, 1 to look for, 0 to create")
        .assert_stderr_has("error: the outcome of 1 shot is unknown: shots[2]");
    assert_eq!(posts(&sim, key).len(), 3);
    assert!(!out.exists());

    // With --recreate-unknown it is created once more, and the film is joined.
    let mut recreate = args.clone();
    recreate.push("--recreate-unknown");
    seedance(Some(&sim), Some(key), &recreate)
        .assert_code(0)
        .assert_stderr_has("3/3 done");
    let creates = posts(&sim, key);
    assert_eq!(creates.len(), 4);
    assert_eq!(creates[3]["body"]["content"][0]["text"], THREE[2].0);
    assert!((probe_duration(&out) - 15.0).abs() < 0.05);
}
