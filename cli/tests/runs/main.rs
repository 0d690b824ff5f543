//! `seedance batch`, `generate --variations` and `seedance film` against an in-process
//! simulator: what the server received (its request log and task timeline), the files
//! written, the exit codes, and resuming after `kill -9` and Ctrl-C.

#[path = "../common/mod.rs"]
mod common;

mod batch;
mod film;
mod refusals;

use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::{Duration, Instant};

use common::*;
use seedance_sim::Sim;
use serde_json::Value;

/// A simulator whose second create makes its task but never answers, and whose list route
/// always fails: a run can't tell whether that task was made (exit 3).
fn sim_losing_the_second_create() -> Sim {
    let lost = "lost-create,every=2,times=1"
        .parse::<seedance_sim::FaultSpec>()
        .unwrap();
    let list = "500,on=list".parse::<seedance_sim::FaultSpec>().unwrap();
    sim_with(
        seedance_sim::SimConfig::fast()
            .with_fault(lost)
            .with_fault(list),
    )
}

/// The POSTs (creates) the simulator received from `key`, in order.
fn posts(sim: &Sim, key: &str) -> Vec<Value> {
    requests(sim)
        .into_iter()
        .filter(|r| {
            r["method"] == "POST" && r["headers"]["authorization"] == format!("Bearer {key}")
        })
        .collect()
}

/// The tasks `key` made, from the simulator's timeline.
fn tasks_of(sim: &Sim, key: &str) -> Vec<Value> {
    match json(
        sim.addr(),
        "GET",
        &format!("/_sim/tasks?key={key}"),
        None,
        None,
    ) {
        Value::Array(items) => items,
        other => panic!("unexpected /_sim/tasks: {other}"),
    }
}

/// Wait (polling the log) until `n` creates from `key` reached the simulator, answered or
/// not.
fn wait_for_creates(sim: &Sim, key: &str, n: usize) {
    let start = Instant::now();
    while posts(sim, key).len() < n {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "fewer than {n} creates"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// `kill -9`, and reap it (so its pid is gone when the next run looks at the lock).
fn kill_9(mut child: Child) {
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
}

/// The bytes the simulator serves for the task's video (a fresh GET signs the URL).
fn served_video(sim: &Sim, key: &str, id: &str) -> Vec<u8> {
    let task = json(sim.addr(), "GET", &format!("{TASKS}/{id}"), Some(key), None);
    let url = task["content"]["video_url"].as_str().expect("a video URL");
    let target = url
        .strip_prefix(sim.base_url())
        .expect("a URL of the simulator");
    let (status, bytes) = http(sim.addr(), "GET", target, None, None);
    assert_eq!(status, 200, "{url}");
    bytes
}

/// Write `lines` to `dir/name`.
fn write_lines(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n") + "\n").expect("batch file");
    path
}

/// Where [`scratch`] put a test's files (without emptying it).
fn scratch_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}"))
}

/// The file names in `dir` ending in `ext`, sorted.
fn files_in(dir: &Path, ext: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter(|n| n.ends_with(ext))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// The duration ffprobe reads from an MP4's container, seconds.
fn probe_duration(path: &Path) -> f64 {
    let out = std::process::Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_entries",
            "format=duration",
            "-of",
            "csv=p=0",
        ])
        .arg(path)
        .output()
        .expect("ffprobe runs (apt-get install ffmpeg)");
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim()
        .parse()
        .unwrap_or_else(|_| panic!("no duration from ffprobe: {text:?}"))
}

/// What ffmpeg says decoding the whole file (nothing when it is clean).
fn decode_errors(path: &Path) -> String {
    let out = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(path)
        .args(["-f", "null", "-"])
        .output()
        .expect("ffmpeg runs");
    String::from_utf8_lossy(&out.stderr).into_owned()
}
