//! What a batch or a film refuses before anything is sent: each problem by its message,
//! exit 2, and an empty request log.

use serde_json::Value;

use super::*;

/// Run `args` against a fresh simulator: the run, and that nothing reached the server.
fn refused(args: &[&str]) -> Run {
    let sim = sim();
    let run = seedance(Some(&sim), Some("sk-refusals"), args);
    run.assert_code(2);
    assert_eq!(requests(&sim), Vec::<Value>::new(), "{}", run.stderr);
    run
}

#[test]
fn a_batch_file_is_checked_line_by_line_all_at_once() {
    let dir = scratch("refuse-jsonl");
    let lines = [
        r#"{"content": [{"type": "text", "text": "fine"}], "duration": 5}"#,
        "",
        r#"{"content": [{"type": "text", "text": "fine"}], "duration": 5"#,
        r#"["not", "an", "object"]"#,
        r#"{"content": [{"type": "text", "text": "x"}], "durration": 5}"#,
        r#"{"content": [{"type": "text", "text": "x"}], "duration": 30}"#,
    ]
    .map(String::from);
    let file = write_lines(&dir, "jobs.jsonl", &lines);
    let out = dir.join("out");
    let run = refused(&["batch", arg(&file), "--out-dir", arg(&out), "--yes"]);
    run.assert_stderr_has("invalid batch ")
        .assert_stderr_has("(4 problems); nothing was sent")
        .assert_stderr_has("  - line 3: not JSON: EOF while parsing an object (column 61)")
        .assert_stderr_has("  - line 4: a JSON object (a create body) expected, not an array")
        .assert_stderr_has("  - jobs[3].durration (line 5): not a field of a create request")
        .assert_stderr_has("  - jobs[4].duration (line 6): given 30; allowed: ");
    assert!(!out.exists(), "nothing was made for a refused batch");

    // Once every line parses, each request is checked: `jobs[i]` is 0-based, blank lines
    // are skipped, and each issue names its line.
    let mut lines = vec![r#"{"content": [{"type": "text", "text": "fine"}]}"#.to_owned(); 8];
    lines[7] = r#"{"content": [{"type": "text", "text": "   "}]}"#.to_owned();
    lines.insert(1, String::new());
    let file = write_lines(&dir, "eight.jsonl", &lines);
    refused(&["batch", arg(&file), "--out-dir", arg(&out), "--yes"])
        .assert_stderr_has("(1 problem); nothing was sent")
        .assert_stderr_has("  - jobs[7].content[0].text (line 9): given \"   \"");
}

#[test]
fn two_jobs_with_one_name_are_refused_also_once_made_safe() {
    let dir = scratch("refuse-names");
    let line = |name: &str| {
        format!(r#"{{"name": {name:?}, "content": [{{"type": "text", "text": "x"}}]}}"#)
    };
    let file = write_lines(
        &dir,
        "jobs.jsonl",
        &[line("fox"), line("fox"), line("a/b"), line("a:b")],
    );
    let out = dir.join("out");
    refused(&["batch", arg(&file), "--out-dir", arg(&out), "--yes"])
        .assert_stderr_has("(2 problems); nothing was sent")
        .assert_stderr_has("jobs[1].name (line 2): given \"fox\", already the name of jobs[0]")
        .assert_stderr_has(
            "jobs[3] (line 4): its results would be named a_b-…, like those of jobs[2] (line 3)",
        );
}

#[test]
fn a_batch_file_must_say_what_it_holds() {
    let dir = scratch("refuse-ext");
    let file = write_lines(&dir, "jobs.csv", &["a".to_owned()]);
    let out = dir.join("out");
    refused(&["batch", arg(&file), "--out-dir", arg(&out), "--yes"]).assert_stderr_has(
        "a batch file is .jsonl (one create body a line) or .txt (one prompt a line)",
    );
}

#[test]
fn a_journal_in_use_is_refused() {
    let dir = scratch("refuse-lock");
    let file = write_lines(&dir, "p.txt", &["waves".to_owned()]);
    let out = dir.join("out");
    std::fs::create_dir_all(&out).unwrap();
    // Process 1 is alive wherever this runs.
    std::fs::write(out.join("journal.json.lock"), "1\n").unwrap();
    refused(&["batch", arg(&file), "--out-dir", arg(&out), "--yes"])
        .assert_stderr_has("another run uses this journal: ")
        .assert_stderr_has("(process 1 holds ");
}

#[test]
fn a_film_plan_with_an_unknown_field_is_refused_by_name() {
    let dir = scratch("refuse-plan");
    let plan = dir.join("plan.json");
    std::fs::write(
        &plan,
        r#"{"model": "doubao-seedance-2-0-fast-260128", "resolution": "720p", "ratio": "16:9",
            "generate_audio": false,
            "shots": [{"prompt": "a", "duration": 5, "transition": "fade"}]}"#,
    )
    .unwrap();
    let out = dir.join("film.mp4");
    refused(&["film", arg(&plan), "--out", arg(&out), "--yes"])
        .assert_stderr_has("unknown field `transition`, expected one of ")
        .assert_stderr_has("nothing was sent");
    assert!(!dir.join("film.mp4.shots").exists());
}

#[test]
fn a_film_plan_is_checked_shot_by_shot_and_its_images_read() {
    let dir = scratch("refuse-shots");
    let plan = dir.join("plan.json");
    std::fs::write(
        &plan,
        r#"{"model": "doubao-seedance-2-0-fast-260128", "resolution": "720p", "ratio": "16:9",
            "generate_audio": false,
            "shots": [{"prompt": "a", "duration": 5},
                      {"prompt": "b", "duration": 20, "image": "https://example.com/x.png"}]}"#,
    )
    .unwrap();
    let out = dir.join("film.mp4");
    refused(&["film", arg(&plan), "--out", arg(&out), "--yes"])
        .assert_stderr_has("invalid film plan ")
        .assert_stderr_has("(2 problems); nothing was sent")
        .assert_stderr_has("shots[1].duration: given 20")
        .assert_stderr_has("shots[1].image: given an image on a shot that continues");
    std::fs::write(
        &plan,
        r#"{"model": "doubao-seedance-2-0-fast-260128", "resolution": "720p", "ratio": "16:9",
            "generate_audio": false, "shots": [{"prompt": "a", "duration": 5, "image": "den.png"}]}"#,
    )
    .unwrap();
    refused(&["film", arg(&plan), "--out", arg(&out), "--yes"])
        .assert_stderr_has("shots[0].image: den.png: can't read the file: no such file");
}

#[test]
fn run_options_on_a_single_generate_are_refused() {
    refused(&["generate", "-p", "waves", "--max-tokens", "5", "--yes"]).assert_stderr_has(
        "--concurrency, --rate, --max-tokens, --retry-failed and --recreate-unknown are for a run: add --variations N --out-dir DIR",
    );
}
