//! The binary: the first stdout line, per-request log lines without secrets, env faults.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::common::*;

/// The running binary; killed on drop.
struct Bin {
    child: Child,
    lines: tokio::io::Lines<BufReader<tokio::process::ChildStdout>>,
    addr: std::net::SocketAddr,
}

async fn run_bin(args: &[&str], env: &[(&str, &str)]) -> Bin {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_seedance-sim"));
    cmd.args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("binary starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
        .await
        .expect("first line in time")
        .unwrap()
        .expect("a first line");
    let url = first
        .strip_prefix("seedance-sim listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected first line: {first:?}"));
    let port: u16 = url.parse().expect("a port");
    assert_ne!(port, 0);
    Bin {
        child,
        lines,
        addr: ([127, 0, 0, 1], port).into(),
    }
}

impl Bin {
    async fn next_line(&mut self) -> String {
        tokio::time::timeout(Duration::from_secs(10), self.lines.next_line())
            .await
            .expect("a log line in time")
            .unwrap()
            .expect("stdout open")
    }
}

#[tokio::test]
async fn binary_prints_its_address_then_one_line_per_request_without_the_key() {
    let mut bin = run_bin(&["--port", "0", "--fast"], &[]).await;
    let secret = "sk-very-secret-key-123";
    let body = format!(r#"{{"model":"{FAST}","content":[{{"type":"text","text":"x"}}]}}"#);
    let auth = format!("Bearer {secret}");
    let r = raw(
        bin.addr,
        "POST",
        TASKS,
        &[("Authorization", &auth)],
        Some(body.as_bytes()),
    )
    .await
    .unwrap();
    assert_eq!(r.status, 200);
    let line = bin.next_line().await;
    assert!(
        line.starts_with(&format!("POST {TASKS} 200 ")) && line.ends_with("ms"),
        "{line:?}"
    );
    assert!(!line.contains(secret) && !line.contains("Bearer"), "{line}");

    let id = r.json()["id"].as_str().unwrap().to_owned();
    let r = raw(
        bin.addr,
        "GET",
        &format!("{TASKS}/{id}"),
        &[("Authorization", &auth)],
        None,
    )
    .await
    .unwrap();
    assert_eq!(r.status, 200);
    let line = bin.next_line().await;
    assert!(
        line.starts_with(&format!("GET {TASKS}/{id} 200 ")),
        "{line}"
    );
    bin.child.kill().await.unwrap();
}

#[tokio::test]
async fn binary_reads_faults_and_fast_mode_from_the_environment() {
    let mut bin = run_bin(
        &["--port", "0"],
        &[
            ("SEEDANCE_SIM_FAST", "1"),
            ("SEEDANCE_SIM_FAULTS", "429=9,times=1;503,on=list,times=1"),
        ],
    )
    .await;
    let auth = format!("Bearer {KEY}");
    let r = raw(bin.addr, "GET", TASKS, &[("Authorization", &auth)], None)
        .await
        .unwrap();
    assert_eq!((r.status, r.header("retry-after")), (429, Some("9")));
    assert!(bin.next_line().await.contains(" 429 "));
    let r = raw(bin.addr, "GET", TASKS, &[("Authorization", &auth)], None)
        .await
        .unwrap();
    assert_eq!(r.status, 503);
    let r = raw(bin.addr, "GET", "/_sim/config", &[], None)
        .await
        .unwrap();
    assert_eq!(r.json()["timings"]["running_ms"], 700, "fast mode");
    bin.child.kill().await.unwrap();
}

#[tokio::test]
async fn binary_rejects_bad_arguments() {
    let out = Command::new(env!("CARGO_BIN_EXE_seedance-sim"))
        .args(["--fault", "explode"])
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown fault"));
    let out = Command::new(env!("CARGO_BIN_EXE_seedance-sim"))
        .arg("--help")
        .output()
        .await
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("--no-cors"));
}

#[tokio::test]
async fn flags_win_over_environment_variables() {
    let bin = run_bin(
        &[
            "--port",
            "0",
            "--realistic",
            "--url-ttl",
            "7",
            "--fault",
            "500,on=list,times=1",
            "--max-running",
            "4",
        ],
        &[
            ("SEEDANCE_SIM_ACCOUNT", "enterprise"),
            // Never read: each has its flag on the command line.
            ("SEEDANCE_SIM_MAX_RUNNING", "9"),
            ("SEEDANCE_SIM_PORT", "not-a-port"),
            ("SEEDANCE_SIM_URL_TTL", "5"),
            ("SEEDANCE_SIM_FAULTS", "503,on=list"),
            ("SEEDANCE_SIM_FAST", "1"),
        ],
    )
    .await;
    let config = raw(bin.addr, "GET", "/_sim/config", &[], None)
        .await
        .unwrap()
        .json();
    assert_eq!(config["url_ttl_secs"], 7);
    assert_eq!(config["timings"]["running_ms"], 35_000, "--realistic wins");
    assert_eq!(
        config["account"],
        serde_json::json!({"max_running": 4, "create_rate": 600, "create_window_secs": 60}),
        "the enterprise account, with the flag's cap"
    );
    let auth = format!("Bearer {KEY}");
    let headers = [("Authorization", auth.as_str())];
    let first = raw(bin.addr, "GET", TASKS, &headers, None).await.unwrap();
    assert_eq!(first.status, 500, "the flag's fault");
    let second = raw(bin.addr, "GET", TASKS, &headers, None).await.unwrap();
    assert_eq!(second.status, 200, "the variable's 503 is not active");
}
