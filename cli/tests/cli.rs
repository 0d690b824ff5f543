//! The `seedance` binary, run for real against an in-process simulator: exit codes, what it
//! prints, the files it writes, and what the simulator received.

mod common;

use std::time::{Duration, Instant};

use common::*;
use seedance_sim::{FaultSpec, SimConfig};
use serde_json::json;

/// `frame-480x320.png`, base64: written out here, not produced by our encoder.
const FRAME_B64: &str = "iVBORw0KGgoAAAANSUhEUgAAAeAAAAFAAQAAAABMs5LWAAAAKklEQVR42u3BAQ0AAADCoPdPbQ43oAAAAAAAAAAAAAAAAAAAAAAAAIAXA0xAAAF+fq1VAAAAAElFTkSuQmCC";

/// The requests of a log that went to the API (not to `/tos/`).
fn api_requests(log: &[serde_json::Value]) -> Vec<&serde_json::Value> {
    log.iter()
        .filter(|r| r["path"].as_str().unwrap_or("").starts_with(TASKS))
        .collect()
}

fn task_id_from(stderr: &str) -> String {
    let at = stderr.find("task cgt-").expect("a task id on stderr") + 5;
    stderr[at..].split_whitespace().next().unwrap().to_owned()
}

#[test]
fn generate_out_writes_the_video_and_the_last_frame() {
    let sim = sim();
    let dir = scratch("generate-out");
    let video = dir.join("fox.mp4");
    let frame = dir.join("last.png");
    let key = "sk-cli-generate";
    let run = generate(
        &sim,
        key,
        &[
            "--prompt",
            "A fox in the snow",
            "--model",
            "fast",
            "--resolution",
            "720p",
            "--ratio",
            "16:9",
            "--duration",
            "5",
            "--no-audio",
            "--seed",
            "42",
            "--out",
            arg(&video),
            "--last-frame-out",
            arg(&frame),
            "--poll-interval",
            "0.2",
        ],
    );
    run.assert_code(0)
        .assert_stderr_has(
            "estimate: 108,900 tokens (720p 16:9, 1280×720, 5 s, doubao-seedance-2-0-fast-260128)",
        )
        .assert_stderr_has("108,900 tokens billed")
        .assert_stderr_has("video link valid until")
        .assert_stderr_has("saved the video to");
    let id = task_id_from(&run.stderr);
    assert_eq!(id.len(), 24, "{id}");
    // The id was printed before any progress line.
    let created_at = run.stderr.find("created (if this stops").unwrap();
    assert!(
        created_at < run.stderr.find(" elapsed · ").unwrap(),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(&format!(
        "resume with: seedance --base-url {} --allow-http wait {id}",
        sim.api_url()
    )));

    // stdout is the video URL and nothing else.
    let url = run.stdout.trim();
    assert!(
        url.starts_with(&format!("{}/tos/{id}.mp4?", sim.base_url())),
        "{url}"
    );
    assert_eq!(run.stdout.lines().count(), 1);

    // A real MP4 with the task id the simulator stamps into it; a PNG with its tEXt.
    assert_video_of(&video, &id);
    let png = std::fs::read(&frame).expect("last frame written");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(holds(&png, &id), "task id in the PNG");
    assert!(!dir.join("fox.mp4.part").exists());

    let log = requests(&sim);
    let posts: Vec<_> = log.iter().filter(|r| r["method"] == "POST").collect();
    assert_eq!(posts.len(), 1, "exactly one create: {log:#?}");
    assert_eq!(posts[0]["path"], TASKS);
    assert_eq!(
        posts[0]["body"],
        json!({
            "model": "doubao-seedance-2-0-fast-260128",
            "content": [{"type": "text", "text": "A fox in the snow"}],
            "resolution": "720p",
            "ratio": "16:9",
            "duration": 5,
            "generate_audio": false,
            "seed": 42,
            "return_last_frame": true
        })
    );
    for r in api_requests(&log) {
        assert_eq!(
            r["headers"]["authorization"],
            format!("Bearer {key}"),
            "{r}"
        );
    }
    let tos: Vec<_> = log
        .iter()
        .filter(|r| r["path"].as_str().unwrap().starts_with("/tos/"))
        .collect();
    assert_eq!(tos.len(), 2, "video and last frame: {log:#?}");
    for r in &tos {
        assert_eq!(r["method"], "GET");
        assert!(
            r["headers"].get("authorization").is_none(),
            "no key to the store: {r}"
        );
        assert_eq!(r["status"], 200, "{r}");
    }
    assert!(tos.iter().any(|r| r["path"] == format!("/tos/{id}.mp4")));
    assert!(tos.iter().any(|r| r["path"] == format!("/tos/{id}.png")));
    for r in &log {
        let line = format!("{}?{}", r["path"], r["query"]);
        assert!(!line.contains(key), "the key leaked into a URL: {line}");
    }
    assert!(!run.stderr.contains(key) && !run.stdout.contains(key));
}

#[test]
fn generate_with_a_frame_file_sends_a_data_url_and_prints_json() {
    let sim = sim();
    let frame = frame_png();
    let run = generate(
        &sim,
        "sk-cli-frame",
        &[
            "-p",
            "the camera pulls back",
            "--image",
            arg(&frame),
            "-m",
            "standard",
            "-r",
            "1080p",
            "-d",
            "4",
            "--json",
            "--poll-interval",
            "0.2",
        ],
    );
    run.assert_code(0);
    let task = run.json();
    assert_eq!(task["status"], "succeeded");
    assert_eq!(task["model"], STANDARD);
    assert!(task["content"]["video_url"]
        .as_str()
        .unwrap()
        .contains("/tos/"));
    let log = requests(&sim);
    let post = log.iter().find(|r| r["method"] == "POST").unwrap();
    assert_eq!(
        post["body"],
        json!({
            "model": "doubao-seedance-2-0-260128",
            "content": [
                {"type": "text", "text": "the camera pulls back"},
                {"type": "image_url",
                 "image_url": {"url": format!("data:image/png;base64,{FRAME_B64}")},
                 "role": "first_frame"}
            ],
            "resolution": "1080p",
            "duration": 4,
            "generate_audio": true
        })
    );
}

#[test]
fn a_key_the_server_refuses_exits_1_with_its_message() {
    let mut config = SimConfig::fast();
    config.keys = Some(vec!["sk-the-only-good-key".to_owned()]);
    let sim = sim_with(config);
    let run = generate(&sim, "sk-wrong-key", &["-p", "waves"]);
    run.assert_code(1)
        .assert_stderr_has("error: create failed with HTTP 401 AuthenticationError")
        .assert_stderr_has("The API key or AK/SK in the request is missing or invalid.")
        .assert_stderr_has("hint: check the API key in SEEDANCE_API_KEY");
    assert!(!run.stderr.contains("sk-wrong-key"), "{}", run.stderr);
    let log = requests(&sim);
    assert_eq!(log.len(), 1, "one refused create: {log:#?}");
    assert_eq!(log[0]["status"], 401);
    assert!(sim_tasks(&sim).is_empty(), "nothing created");
}

#[test]
fn a_key_without_the_channel_exits_1_with_the_resellers_message() {
    let sim = sim();
    let run = generate(&sim, "sk-no-channel", &["-p", "waves"]);
    run.assert_code(1)
        .assert_stderr_has("no available channel for this model under group default")
        .assert_stderr_has("the API key needs the SeeDance2 group");
    assert!(!run.stderr.contains("outcome unknown"), "{}", run.stderr);
    assert_eq!(requests(&sim).len(), 1, "refused once, never retried");
    assert!(sim_tasks(&sim).is_empty());
}

#[test]
fn a_text_file_as_image_exits_2_and_sends_nothing() {
    let sim = sim();
    let dir = scratch("bad-image");
    let notes = dir.join("notes.txt");
    std::fs::write(&notes, "not a picture\n").unwrap();
    let run = generate(
        &sim,
        "sk-cli-bad-image",
        &["-p", "x", "--image", arg(&notes)],
    );
    run.assert_code(2).assert_stderr_has(&format!(
        "error: --image {}: is not an image: PNG, JPEG, WebP, GIF, BMP or TIFF expected",
        notes.display()
    ));
    assert!(requests(&sim).is_empty(), "no request at all");
    assert!(run.stdout.is_empty());
}

#[test]
fn an_audio_file_as_image_is_named_for_what_it_is() {
    let dir = scratch("audio-as-image");
    let wav = dir.join("purr.wav");
    let mut bytes = b"RIFF\x24\x00\x00\x00WAVEfmt ".to_vec();
    bytes.extend_from_slice(&[0; 24]);
    std::fs::write(&wav, bytes).unwrap();
    let run = offline(&["validate", "-p", "x", "--ref-image", arg(&wav)]);
    run.assert_code(2)
        .assert_stderr_has("--ref-image")
        .assert_stderr_has("is a WAV file, not an image");
}

#[test]
fn a_missing_file_exits_2_and_sends_nothing() {
    let sim = sim();
    let dir = scratch("missing-file");
    let gone = dir.join("gone.png");
    let frame = frame_png();
    let frames = ["--first-frame", arg(&frame), "--last-frame", arg(&gone)];
    let run = generate(
        &sim,
        "sk-cli-missing",
        &[&["-p", "x"], &frames[..]].concat(),
    );
    run.assert_code(2).assert_stderr_has(&format!(
        "error: --last-frame {}: can't read the file: no such file",
        gone.display()
    ));
    assert!(requests(&sim).is_empty(), "no request at all");
}

#[test]
fn invalid_parameters_list_every_problem_and_send_nothing() {
    let sim = sim();
    let run = generate(
        &sim,
        "sk-cli-invalid",
        &[
            "-p",
            "a fox in the snow",
            "--duration",
            "20",
            "--resolution",
            "1080p",
            "--model",
            "fast",
        ],
    );
    run.assert_code(2)
        .assert_stderr_has("error: invalid request (2 problems); nothing was sent")
        .assert_stderr_has("  - resolution: given \"1080p\" on doubao-seedance-2-0-fast-260128; allowed: 480p, 720p")
        .assert_stderr_has("  - duration: given 20; allowed: whole seconds 4..=15, or -1");
    assert!(requests(&sim).is_empty(), "no request at all");
}

#[test]
fn content_problems_name_the_option_they_came_from() {
    let frame = frame_png();
    let frame = arg(&frame);
    let run = offline(&[
        "validate",
        "-p",
        "x",
        "--first-frame",
        frame,
        "--ref-image",
        frame,
    ]);
    run.assert_code(2)
        .assert_stderr_has(&format!("(from --ref-image {frame})"));
}

#[test]
fn estimate_needs_no_key_and_prints_tokens_and_money() {
    let request = ["estimate", "-r", "720p", "--ratio", "16:9", "-d", "5"];
    let run = offline(&request);
    run.assert_code(0).assert_stdout_has("108,900 tokens");
    let price = ["--price-per-million", "46", "--currency", "CNY"];
    let priced = offline(&[&request[..], &price].concat());
    priced
        .assert_code(0)
        .assert_stdout_has("cost: about 5.01 CNY (at 46 CNY per million tokens)");
    let auto = offline(&[
        "estimate", "-m", "standard", "-r", "480p", "-d", "auto", "--json",
    ]);
    auto.assert_code(0);
    let v = auto.json();
    assert_eq!(
        (v["seconds_min"].as_u64(), v["seconds_max"].as_u64()),
        (Some(4), Some(15))
    );
    // Invalid parameters are refused here too.
    offline(&["estimate", "-m", "fast", "-r", "1080p"])
        .assert_code(2)
        .assert_stderr_has("resolution");
}

#[test]
fn validate_says_which_mode() {
    let frame = frame_png();
    let run = offline(&["validate", "-p", "x", "--image", arg(&frame)]);
    run.assert_code(0)
        .assert_stdout_has("ok: a valid first-frame request for doubao-seedance-2-0-fast-260128");
    offline(&["validate"]) // no prompt, no media
        .assert_code(2)
        .assert_stderr_has("content");
}

#[test]
fn get_list_and_cancel() {
    let sim = sim();
    let key = "sk-cli-get-list";
    let done = create_task(&sim, key, "rain on a tin roof");
    let queued = create_task(&sim, key, "a lighthouse [queued]");
    wait_for_status(&sim, key, &done, "succeeded");

    let got = seedance(Some(&sim), Some(key), &["get", &done]);
    got.assert_code(0)
        .assert_stdout_has(&format!("id          {done}"))
        .assert_stdout_has("status      succeeded")
        .assert_stdout_has("model       doubao-seedance-2-0-fast-260128")
        .assert_stdout_has("tokens      ")
        .assert_stdout_has(&format!("video       {}/tos/{done}.mp4?", sim.base_url()))
        .assert_stdout_has("expires     ");
    let got_json = seedance(Some(&sim), Some(key), &["get", &queued, "--json"]);
    got_json.assert_code(0);
    let v = got_json.json();
    assert_eq!(v["status"], "queued");

    let listed = seedance(Some(&sim), Some(key), &["list"]);
    listed
        .assert_code(0)
        .assert_stdout_has("ID ")
        .assert_stdout_has(&done)
        .assert_stdout_has(&queued)
        .assert_stdout_has("page 1: 2 of 2 tasks");
    let filtered = seedance(
        Some(&sim),
        Some(key),
        &[
            "list",
            "--status",
            "queued",
            "--model",
            "fast",
            "--page-size",
            "5",
            "--json",
        ],
    );
    filtered.assert_code(0);
    let page = filtered.json();
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["id"], queued.as_str());
    let list_req = requests(&sim)
        .into_iter()
        .rfind(|r| r["method"] == "GET" && r["path"] == TASKS)
        .unwrap();
    let query = list_req["query"].as_str().unwrap();
    for part in [
        "page_size=5",
        "filter.status=queued",
        "filter.model=doubao-seedance-2-0-fast-260128",
    ] {
        assert!(query.contains(part), "{query}");
    }

    // Cancel the queued task: it becomes cancelled.
    seedance(Some(&sim), Some(key), &["cancel", &queued])
        .assert_code(0)
        .assert_stdout_has(&format!(
            "cancelled task {queued} (it was queued; it is not billed)"
        ));
    assert_eq!(status(&sim, key, &queued), "cancelled");
    seedance(Some(&sim), Some(key), &["get", &queued])
        .assert_code(0)
        .assert_stdout_has("status      cancelled");
    seedance(Some(&sim), Some(key), &["cancel", &queued])
        .assert_code(0)
        .assert_stdout_has("already cancelled");
    assert_eq!(
        count(&sim, "DELETE"),
        1,
        "no second DELETE for a cancelled task"
    );

    // Cancel a finished task: its record is deleted.
    seedance(Some(&sim), Some(key), &["cancel", &done])
        .assert_code(0)
        .assert_stdout_has(&format!(
            "deleted the record of task {done} (it had succeeded)"
        ));
    let gone = seedance(Some(&sim), Some(key), &["get", &done]);
    gone.assert_code(1)
        .assert_stderr_has("HTTP 404")
        .assert_stderr_has("hint: task ids are kept 7 days");
}

#[test]
fn cancel_of_a_running_task_says_it_cannot() {
    let sim = sim();
    let key = "sk-cli-running";
    let id = create_task(&sim, key, "a long pan [slow]");
    wait_for_status(&sim, key, &id, "running");
    let run = seedance(Some(&sim), Some(key), &["cancel", &id]);
    run.assert_code(1).assert_stderr_has(&format!(
        "error: task {id} is running: only a queued task can be cancelled"
    ));
}

#[test]
fn wait_downloads_a_task_created_elsewhere() {
    let sim = sim();
    let key = "sk-cli-wait";
    let id = create_task(&sim, key, "a paper boat");
    let dir = scratch("wait");
    let out = dir.join("boat.mp4");
    let wait = ["wait", &id, "--out", arg(&out), "--poll-interval", "0.2"];
    let run = seedance(Some(&sim), Some(key), &wait);
    run.assert_code(0)
        .assert_stdout_has(&format!("/tos/{id}.mp4?"))
        .assert_stderr_has(&format!("task {id} succeeded"));
    assert_video_of(&out, &id);
    // Waiting on a finished task answers at once.
    let again = seedance(Some(&sim), Some(key), &["wait", &id]);
    again.assert_code(0);
    assert!(!again.stderr.contains(" elapsed · "), "{}", again.stderr);
}

#[test]
fn a_failed_task_exits_1_with_its_code() {
    let sim = sim();
    let args = ["-p", "something [fail]", "--poll-interval", "0.2"];
    let run = generate(&sim, "sk-cli-fail", &args);
    run.assert_code(1)
        .assert_stderr_has("ended failed: OutputVideoSensitiveContentDetected")
        .assert_stderr_has("hint: a failed task is not billed");
    assert!(run.stdout.is_empty());
}

#[test]
fn a_lost_create_exits_3_and_says_how_to_find_the_task() {
    let config = SimConfig::fast().with_fault("lost-create,times=1".parse::<FaultSpec>().unwrap());
    let sim = sim_with(config);
    let run = generate(&sim, "sk-cli-lost", &["-p", "waves"]);
    run.assert_code(3)
        .assert_stderr_has("create outcome unknown")
        .assert_stderr_has(&format!(
            "hint: look for it before creating again: seedance --base-url {} --allow-http list --model doubao-seedance-2-0-fast-260128",
            sim.api_url()
        ));
    assert_eq!(count(&sim, "POST"), 1, "the create is never resent");
    assert_eq!(sim_tasks(&sim).len(), 1, "the task exists on the server");
}

#[test]
fn wait_timeout_exits_3_and_says_how_to_resume() {
    let sim = sim();
    let key = "sk-cli-timeout";
    let id = create_task(&sim, key, "a still pond [queued]");
    let run = seedance(
        Some(&sim),
        Some(key),
        &["wait", &id, "--timeout", "1", "--poll-interval", "0.2"],
    );
    run.assert_code(3)
        .assert_stderr_has(&format!("stopped waiting for task {id}"))
        .assert_stderr_has(&format!(
            "hint: wait again: seedance --base-url {} --allow-http wait {id}",
            sim.api_url()
        ));
}

#[test]
#[cfg(unix)]
fn ctrl_c_prints_the_task_id_and_how_to_resume() {
    let sim = sim();
    let mut child = spawn(&mut command(
        Some(&sim),
        Some("sk-cli-ctrl-c"),
        &[
            "generate",
            "-p",
            "a quiet street [queued]",
            "--poll-interval",
            "0.2",
            "--out",
            "x.mp4",
            "--yes",
        ],
    ));
    let lines = stderr_lines(&mut child);
    // Interrupt once the task exists and is being polled.
    let seen = read_until(&lines, |line| line.contains(" elapsed · "));
    let id = task_id_from(&seen.join("\n"));
    let (run, rest) = interrupt(child, &lines);
    assert_eq!(run.code, 130, "stderr after the signal: {rest}");
    assert!(
        rest.contains(&format!(
            "error: interrupted: stopped waiting; task {id} goes on on the server"
        )),
        "{rest}"
    );
    assert!(
        rest.contains(&format!(
            "hint: resume: seedance --base-url {} --allow-http wait {id} --out x.mp4",
            sim.api_url()
        )),
        "{rest}"
    );
    assert!(rest.contains(&format!("cancel {id}")), "{rest}");
    assert_eq!(
        status(&sim, "sk-cli-ctrl-c", &id),
        "queued",
        "the task goes on"
    );
}

#[test]
fn usage_errors_exit_2_and_send_nothing() {
    let sim = sim();
    // No key.
    seedance(Some(&sim), None, &["get", "cgt-x"])
        .assert_code(2)
        .assert_stderr_has("error: no API key: SEEDANCE_API_KEY is not set");
    // Another variable, named.
    let mut cmd = command(Some(&sim), None, &["--api-key-env", "MY_KEY", "list"]);
    cmd.env("MY_KEY", "sk-cli-other-var");
    let run = finish(spawn(&mut cmd));
    run.assert_code(0).assert_stdout_has("no tasks");
    let log = requests(&sim);
    assert_eq!(log.len(), 1);
    assert_eq!(
        log[0]["headers"]["authorization"],
        "Bearer sk-cli-other-var"
    );
    // A key as an argument is refused, and not echoed.
    let run = offline(&["generate", "-p", "x", "--api-key=sk-secret-value"]);
    run.assert_code(2)
        .assert_stderr_has("never taken as an argument");
    assert!(!run.stderr.contains("sk-secret-value"));
    // Plain http without --allow-http.
    let run = seedance(
        None,
        Some("sk-cli-http"),
        &["--base-url", &sim.api_url(), "get", "cgt-x"],
    );
    run.assert_code(2)
        .assert_stderr_has("plain http")
        .assert_stderr_has("--allow-http");
    // No --yes and no terminal to ask on.
    seedance(Some(&sim), Some("sk-cli-no-yes"), &["generate", "-p", "x"])
        .assert_code(2)
        .assert_stderr_has("pass --yes");
    // Bad values.
    offline(&["generate", "--duration", "five"])
        .assert_code(2)
        .assert_stderr_has("--duration takes whole seconds")
        .assert_stderr_has("hint: see `seedance generate --help`");
    offline(&["frobnicate"]).assert_code(2);
    assert_eq!(
        requests(&sim).len(),
        1,
        "only the list above reached the server"
    );
}

#[test]
fn every_command_has_help() {
    let top = offline(&["--help"]);
    top.assert_code(0).assert_stdout_has("Usage: seedance");
    for c in [
        "generate", "get", "wait", "list", "cancel", "estimate", "validate",
    ] {
        let run = offline(&[c, "--help"]);
        run.assert_code(0)
            .assert_stdout_has(&format!("seedance {c} — "))
            .assert_stdout_has("Usage:");
        let same = offline(&["help", c]);
        assert_eq!(same.stdout, run.stdout);
    }
}

#[test]
fn clap_conveniences_version_suggestions_completions() {
    offline(&["--version"])
        .assert_code(0)
        .assert_stdout_has(&format!("seedance {}", env!("CARGO_PKG_VERSION")));
    offline(&["genrate"])
        .assert_code(2)
        .assert_stderr_has("a similar subcommand exists: 'generate'");
    offline(&["completions", "bash"])
        .assert_code(0)
        .assert_stdout_has("_seedance()");
    offline(&["completions", "fish"])
        .assert_code(0)
        .assert_stdout_has("complete -c seedance");
}

#[test]
fn reference_mode_sends_every_reference_with_its_role() {
    let sim = sim();
    let dir = scratch("reference");
    // A real 3 s, 8 kHz, 8-bit mono WAV: header + 24,000 bytes of silence.
    let mut wav = Vec::new();
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36u32 + 24_000).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes()); // fmt chunk size
    wav.extend_from_slice(&1u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&1u16.to_le_bytes()); // mono
    wav.extend_from_slice(&8_000u32.to_le_bytes()); // sample rate
    wav.extend_from_slice(&8_000u32.to_le_bytes()); // byte rate
    wav.extend_from_slice(&1u16.to_le_bytes()); // block align
    wav.extend_from_slice(&8u16.to_le_bytes()); // bits per sample
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&24_000u32.to_le_bytes());
    wav.extend(std::iter::repeat_n(0x80u8, 24_000));
    let audio = dir.join("hum.wav");
    std::fs::write(&audio, &wav).unwrap();
    let frame = frame_png();
    let run = generate(
        &sim,
        "sk-cli-reference",
        &[
            "-p",
            "the cat from image 1 plays the piano",
            "--ref-image",
            arg(&frame),
            "--ref-image",
            "https://example.com/cat.png",
            "--ref-video",
            "asset://video-123",
            "--ref-audio",
            arg(&audio),
            "--poll-interval",
            "0.2",
        ],
    );
    run.assert_code(0)
        .assert_stderr_has("note: a reference video may add its own length to the bill");
    let log = requests(&sim);
    let body = &log.iter().find(|r| r["method"] == "POST").unwrap()["body"];
    let content = body["content"].as_array().unwrap();
    assert_eq!(content.len(), 5, "{body}");
    assert_eq!(
        content[0],
        json!({"type": "text", "text": "the cat from image 1 plays the piano"})
    );
    assert_eq!(
        content[1],
        json!({"type": "image_url", "image_url": {"url": format!("data:image/png;base64,{FRAME_B64}")}, "role": "reference_image"})
    );
    assert_eq!(
        content[2],
        json!({"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}, "role": "reference_image"})
    );
    assert_eq!(
        content[3],
        json!({"type": "video_url", "video_url": {"url": "asset://video-123"}, "role": "reference_video"})
    );
    assert_eq!(content[4]["type"], "audio_url");
    assert_eq!(content[4]["role"], "reference_audio");
    let url = content[4]["audio_url"]["url"].as_str().unwrap();
    // "RIFF" + its size bytes in base64, and the length base64 gives 24,044 bytes.
    assert!(
        url.starts_with("data:audio/wav;base64,UklGR"),
        "{}",
        &url[..40]
    );
    assert_eq!(
        url.len(),
        "data:audio/wav;base64,".len() + 24_044_usize.div_ceil(3) * 4
    );
}

#[test]
fn a_local_reference_video_is_refused_before_sending() {
    let run = offline(&["validate", "-p", "x", "--ref-video", "clip.mp4"]);
    run.assert_code(2)
        .assert_stderr_has("--ref-video clip.mp4: a reference video must be a URL");
}

#[test]
fn an_output_in_a_missing_directory_is_refused_before_spending() {
    let sim = sim();
    let dir = scratch("missing-out-dir");
    let out = dir.join("no/such/dir/v.mp4");
    let run = generate(&sim, "sk-cli-out-dir", &["-p", "x", "--out", arg(&out)]);
    run.assert_code(2)
        .assert_stderr_has("does not exist; nothing was sent");
    assert!(requests(&sim).is_empty());
}

#[test]
fn json_prints_a_failed_task_too() {
    let sim = sim();
    let args = ["-p", "x [expire]", "--json", "--poll-interval", "0.2"];
    let run = generate(&sim, "sk-cli-fail-json", &args);
    run.assert_code(1).assert_stderr_has("ended expired");
    let task = run.json();
    assert_eq!(task["status"], "expired");
}

#[test]
#[cfg(unix)]
fn ctrl_c_during_the_create_says_a_task_may_exist() {
    // The simulator makes the task, then holds the answer for 5 s.
    let config = SimConfig::fast().with_fault("slow=5000,on=create".parse::<FaultSpec>().unwrap());
    let sim = sim_with(config);
    let args = ["generate", "-p", "x", "--yes"];
    let mut child = spawn(&mut command(
        Some(&sim),
        Some("sk-cli-ctrl-c-create"),
        &args,
    ));
    let lines = stderr_lines(&mut child);
    read_until(&lines, |line| line.starts_with("creating the task"));
    // Interrupt once the simulator has the POST.
    let start = Instant::now();
    while requests(&sim).is_empty() {
        assert!(start.elapsed() < Duration::from_secs(30), "no POST arrived");
        std::thread::sleep(Duration::from_millis(20));
    }
    let (run, rest) = interrupt(child, &lines);
    assert_eq!(run.code, 130, "{rest}");
    assert!(
        rest.contains(
            "error: interrupted while the create was in flight: a task may exist and be billed"
        ),
        "{rest}"
    );
    assert!(
        rest.contains("list --model doubao-seedance-2-0-fast-260128"),
        "{rest}"
    );
}
