//! Run the real `seedance` binary against an in-process simulator, and read what the
//! simulator received from its request log over plain HTTP/1.1 (no client of ours involved).

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use seedance_sim::{Sim, SimConfig};
use serde_json::Value;

pub const FAST: &str = "doubao-seedance-2-0-fast-260128";
pub const STANDARD: &str = "doubao-seedance-2-0-260128";
pub const TASKS: &str = "/seedance/api/v3/contents/generations/tasks";
/// How long any one run of the binary may take before the test fails.
const RUN_LIMIT: Duration = Duration::from_secs(60);

pub fn sim() -> Sim {
    Sim::start(SimConfig::fast()).expect("simulator starts")
}

pub fn sim_with(config: SimConfig) -> Sim {
    Sim::start(config).expect("simulator starts")
}

/// A fresh directory for one test's files.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// A path as an argument of the binary.
pub fn arg(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// `tests/fixtures/frame-480x320.png`.
pub fn frame_png() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/frame-480x320.png")
}

/// Whether `bytes` holds `text` (a task id stamped into a file).
pub fn holds(bytes: &[u8], text: &str) -> bool {
    bytes.windows(text.len()).any(|w| w == text.as_bytes())
}

/// A downloaded video: an MP4 (its `ftyp` box first) with the task id the simulator stamps in.
#[track_caller]
pub fn assert_video_of(path: &Path, id: &str) {
    let mp4 = std::fs::read(path).expect("video written");
    assert_eq!(&mp4[4..8], b"ftyp", "an MP4 starts with its ftyp box");
    assert!(holds(&mp4, id), "task id in the MP4");
}

/// What a run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn assert_stderr_has(&self, text: &str) -> &Self {
        assert!(
            self.stderr.contains(text),
            "stderr lacks {text:?}\n--- stderr\n{}",
            self.stderr
        );
        self
    }

    /// stdout, parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e})\n--- stdout\n{}\n--- stderr\n{}",
                self.stdout, self.stderr
            )
        })
    }

    #[track_caller]
    pub fn assert_stdout_has(&self, text: &str) -> &Self {
        assert!(
            self.stdout.contains(text),
            "stdout lacks {text:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }
}

/// The binary with a clean environment: no key, no base URL, no proxy; stdin is not a
/// terminal. With a simulator, `--base-url <sim> --allow-http` come first.
pub fn command(sim: Option<&Sim>, key: Option<&str>, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_seedance"));
    for var in [
        "SEEDANCE_API_KEY",
        "SEEDANCE_BASE_URL",
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ] {
        cmd.env_remove(var);
    }
    if let Some(key) = key {
        cmd.env("SEEDANCE_API_KEY", key);
    }
    if let Some(sim) = sim {
        cmd.args(["--base-url", &sim.api_url(), "--allow-http"]);
    }
    cmd.args(args).stdin(Stdio::null());
    cmd
}

pub fn seedance(sim: Option<&Sim>, key: Option<&str>, args: &[&str]) -> Run {
    finish(spawn(&mut command(sim, key, args)))
}

/// The binary with neither a simulator nor a key: what needs no server.
pub fn offline(args: &[&str]) -> Run {
    seedance(None, None, args)
}

/// `seedance generate ARGS… --yes` against the simulator.
pub fn generate(sim: &Sim, key: &str, args: &[&str]) -> Run {
    let args: Vec<&str> = std::iter::once("generate")
        .chain(args.iter().copied())
        .chain(["--yes"])
        .collect();
    seedance(Some(sim), Some(key), &args)
}

/// Start a prepared [`command`] with stdout and stderr piped.
pub fn spawn(cmd: &mut Command) -> Child {
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts")
}

/// Read both pipes to the end and wait, within [`RUN_LIMIT`].
pub fn finish(mut child: Child) -> Run {
    let read = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            let _ = r.read_to_string(&mut s);
            s
        })
    };
    let out = child.stdout.take().map(|s| read(Box::new(s)));
    let err = child.stderr.take().map(|s| read(Box::new(s)));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > RUN_LIMIT {
            let _ = child.kill();
            panic!("seedance ran longer than {RUN_LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: out.map(|h| h.join().unwrap()).unwrap_or_default(),
        stderr: err.map(|h| h.join().unwrap()).unwrap_or_default(),
    }
}

/// Lines of a child's stderr as they come.
pub fn stderr_lines(child: &mut Child) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let mut err = child.stderr.take().expect("piped stderr");
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let mut byte = [0u8; 1];
        while let Ok(1) = err.read(&mut byte) {
            if byte[0] == b'\n' {
                let _ = tx.send(String::from_utf8_lossy(&buf).into_owned());
                buf.clear();
            } else {
                buf.push(byte[0]);
            }
        }
        if !buf.is_empty() {
            let _ = tx.send(String::from_utf8_lossy(&buf).into_owned());
        }
    });
    rx
}

/// stderr lines until one satisfies `last` (within 30 s); all of them, that one included.
pub fn read_until(stderr: &mpsc::Receiver<String>, last: impl Fn(&str) -> bool) -> Vec<String> {
    let mut seen = Vec::new();
    let start = Instant::now();
    loop {
        let left = Duration::from_secs(30).saturating_sub(start.elapsed());
        let line = stderr
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no such line within 30 s; saw {seen:#?}"));
        let done = last(&line);
        seen.push(line);
        if done {
            return seen;
        }
    }
}

/// Ctrl-C (SIGINT through the shell's `kill` builtin: no procps needed, no unsafe), then
/// what the run did and the stderr lines that came after the ones already read.
#[cfg(unix)]
pub fn interrupt(child: Child, stderr: &mpsc::Receiver<String>) -> (Run, String) {
    let status = Command::new("sh")
        .args(["-c", &format!("kill -INT {}", child.id())])
        .status()
        .expect("sh runs");
    assert!(status.success(), "kill -INT failed");
    let run = finish(child);
    // The reader ends at the end of the pipe, which the exit closed.
    let rest = stderr.iter().collect::<Vec<_>>().join("\n");
    (run, rest)
}

/// One HTTP/1.1 request, `Connection: close`; the status and the body.
pub fn http(
    addr: SocketAddr,
    method: &str,
    target: &str,
    key: Option<&str>,
    body: Option<&Value>,
) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(addr).expect("connect to the simulator");
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut req = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(key) = key {
        req.push_str(&format!("Authorization: Bearer {key}\r\n"));
    }
    if !body.is_empty() {
        req.push_str("Content-Type: application/json\r\n");
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("an HTTP head");
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let status = head[9..12].parse().expect("a status code");
    let mut body = raw[split + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        body = unchunk(&body);
    }
    (status, body)
}

fn unchunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = b.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&b[..line_end]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[line_end + 2..line_end + 2 + size]);
        b = &b[line_end + 2 + size + 2..];
    }
}

pub fn json(
    addr: SocketAddr,
    method: &str,
    target: &str,
    key: Option<&str>,
    body: Option<&Value>,
) -> Value {
    let (status, bytes) = http(addr, method, target, key, body);
    let v: Value = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
        panic!(
            "{method} {target}: HTTP {status}, not JSON ({e}): {}",
            String::from_utf8_lossy(&bytes)
        )
    });
    v
}

/// Everything the simulator received (API and `/tos/` requests), in order.
pub fn requests(sim: &Sim) -> Vec<Value> {
    match json(sim.addr(), "GET", "/_sim/requests", None, None) {
        Value::Array(items) => items,
        other => panic!("request log is not an array: {other}"),
    }
}

/// How many requests with this method the simulator received.
pub fn count(sim: &Sim, method: &str) -> usize {
    requests(sim)
        .iter()
        .filter(|r| r["method"] == method)
        .count()
}

/// The simulator's stored tasks (control API).
pub fn sim_tasks(sim: &Sim) -> Vec<Value> {
    match json(sim.addr(), "GET", "/_sim/tasks", None, None) {
        Value::Array(items) => items,
        Value::Object(mut o) => match o.remove("tasks") {
            Some(Value::Array(items)) => items,
            other => panic!("unexpected /_sim/tasks: {other:?}"),
        },
        other => panic!("unexpected /_sim/tasks: {other}"),
    }
}

/// Create a task straight over HTTP (not through our client); its id.
pub fn create_task(sim: &Sim, key: &str, prompt: &str) -> String {
    let body = serde_json::json!({
        "model": FAST,
        "content": [{"type": "text", "text": prompt}],
        "generate_audio": false,
    });
    let v = json(sim.addr(), "POST", TASKS, Some(key), Some(&body));
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {v}"))
        .to_owned()
}

/// A task's status, straight over HTTP.
pub fn status(sim: &Sim, key: &str, id: &str) -> String {
    let v = json(sim.addr(), "GET", &format!("{TASKS}/{id}"), Some(key), None);
    v["status"].as_str().unwrap_or_default().to_owned()
}

/// Poll (over HTTP) until the task has this status.
pub fn wait_for_status(sim: &Sim, key: &str, id: &str, wanted: &str) {
    let start = Instant::now();
    loop {
        let s = status(sim, key, id);
        if s == wanted {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "task {id} never became {wanted} (last: {s})"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
