//! A deliberately plain HTTP/1.1 client (one request per connection, `Connection: close`)
//! so tests see exactly what went over the wire — including a connection closed with no
//! answer — plus helpers to start a simulator and drive tasks.

#![allow(dead_code)]

use std::time::{Duration, Instant};

use seedance_sim::{Sim, SimConfig, Timings};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const KEY: &str = "sk-test-key";
pub const API: &str = "/seedance/api/v3";
pub const TASKS: &str = "/seedance/api/v3/contents/generations/tasks";
pub const FAST: &str = "doubao-seedance-2-0-fast-260128";
pub const STANDARD: &str = "doubao-seedance-2-0-260128";

/// An answer as received.
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "status {} body is not JSON ({e}): {}",
                self.status,
                self.text()
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Assert an Ark error answer and return it.
    #[track_caller]
    pub fn ark_error(&self, status: u16, code: &str, param: &str) -> Value {
        assert_eq!(self.status, status, "body: {}", self.text());
        let v = self.json();
        let e = &v["error"];
        assert_eq!(e["code"], code, "body: {v}");
        assert_eq!(e["param"], param, "body: {v}");
        assert!(
            e["message"].as_str().is_some_and(|m| !m.is_empty()),
            "body: {v}"
        );
        assert!(e["type"].is_string(), "body: {v}");
        assert!(self.header("x-request-id").is_some(), "no X-Request-Id");
        v
    }
}

/// A started simulator and a client for it.
pub struct Harness {
    pub sim: Sim,
}

pub async fn start(config: SimConfig) -> Harness {
    Harness {
        sim: Sim::spawn(config).await.expect("simulator starts"),
    }
}

/// Default test setup: fast timings.
pub async fn fast() -> Harness {
    start(SimConfig::fast()).await
}

/// Timings with these phase lengths in milliseconds (queued, preprocessing, running) and
/// no `[slow]` factor.
pub fn phases(queued: u64, preprocessing: u64, running: u64) -> Timings {
    Timings {
        queued: Duration::from_millis(queued),
        preprocessing: Duration::from_millis(preprocessing),
        running: Duration::from_millis(running),
        slow_factor: 1,
    }
}

/// Tasks finish the moment they are created.
pub async fn instant() -> Harness {
    start(SimConfig::fast().with_timings(Timings::instant())).await
}

impl Harness {
    pub fn base(&self) -> &str {
        self.sim.base_url()
    }

    /// Send one request; `Err` when the connection closed without a complete answer.
    pub async fn try_send(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> std::io::Result<Resp> {
        raw(self.sim.addr(), method, target, headers, body).await
    }

    pub async fn send(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Resp {
        self.try_send(method, target, headers, body)
            .await
            .unwrap_or_else(|e| panic!("{method} {target}: {e}"))
    }

    /// A request with the test key.
    pub async fn api(&self, method: &str, target: &str, body: Option<&Value>) -> Resp {
        self.api_as(KEY, method, target, body).await
    }

    /// A request with `Authorization: Bearer {key}` (and a JSON body, if any).
    pub async fn api_as(
        &self,
        key: &str,
        method: &str,
        target: &str,
        body: Option<&Value>,
    ) -> Resp {
        let bytes = body.map(|b| b.to_string().into_bytes());
        self.try_api_raw(key, method, target, bytes.as_deref())
            .await
            .unwrap_or_else(|e| panic!("{method} {target}: {e}"))
    }

    /// A request with the key and a raw body; `Err` when the connection closed unanswered.
    pub async fn try_api_raw(
        &self,
        key: &str,
        method: &str,
        target: &str,
        body: Option<&[u8]>,
    ) -> std::io::Result<Resp> {
        let auth = format!("Bearer {key}");
        let mut headers = vec![("Authorization", auth.as_str())];
        if body.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        self.try_send(method, target, &headers, body).await
    }

    /// POST a create body given as raw text (for the validation tests).
    pub async fn create_raw(&self, body: &str) -> Resp {
        self.try_create_raw(body)
            .await
            .unwrap_or_else(|e| panic!("POST {TASKS}: {e}"))
    }

    /// POST a create body given as raw text; `Err` when the connection closed unanswered.
    pub async fn try_create_raw(&self, body: &str) -> std::io::Result<Resp> {
        self.try_api_raw(KEY, "POST", TASKS, Some(body.as_bytes()))
            .await
    }

    /// Create a text-to-video task with `prompt`; returns its id.
    pub async fn create(&self, prompt: &str) -> String {
        self.create_with(json!({"model": FAST, "content": [{"type": "text", "text": prompt}]}))
            .await
    }

    pub async fn create_with(&self, body: Value) -> String {
        let r = self.api("POST", TASKS, Some(&body)).await;
        assert_eq!(r.status, 200, "create: {}", r.text());
        r.json()["id"].as_str().expect("id").to_owned()
    }

    pub async fn get_task(&self, id: &str) -> Value {
        let r = self.api("GET", &format!("{TASKS}/{id}"), None).await;
        assert_eq!(r.status, 200, "get: {}", r.text());
        r.json()
    }

    /// Poll until the task reaches `status` (fails after 20 s).
    pub async fn wait_for(&self, id: &str, status: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let t = self.get_task(id).await;
            if t["status"] == status {
                return t;
            }
            assert!(Instant::now() < deadline, "task never became {status}: {t}");
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Path and query of a finished task's signed video URL.
    pub async fn video_target(&self, id: &str) -> String {
        let task = self.get_task(id).await;
        let url = task["content"]["video_url"]
            .as_str()
            .unwrap_or_else(|| panic!("no video_url: {task}"));
        self.target_of(url)
    }

    /// Control API GET/POST.
    pub async fn control(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let bytes = body.map(|b| b.to_string().into_bytes());
        let r = self
            .send(method, &format!("/_sim{path}"), &[], bytes.as_deref())
            .await;
        assert_eq!(r.status, 200, "{method} /_sim{path}: {}", r.text());
        r.json()
    }

    /// Every stored task (`GET /_sim/tasks`), oldest first.
    pub async fn tasks(&self) -> Vec<Value> {
        self.control("GET", "/tasks", None)
            .await
            .as_array()
            .cloned()
            .expect("array")
    }

    pub async fn requests(&self) -> Vec<Value> {
        self.control("GET", "/requests", None)
            .await
            .as_array()
            .cloned()
            .expect("array")
    }

    pub async fn set_faults(&self, faults: Value) -> Value {
        self.control("POST", "/faults", Some(json!({ "faults": faults })))
            .await
    }

    /// Path and query of a URL on this simulator.
    pub fn target_of(&self, url: &str) -> String {
        url.strip_prefix(self.base())
            .unwrap_or_else(|| panic!("{url} is not on {}", self.base()))
            .to_owned()
    }
}

/// Raw HTTP/1.1 exchange with `Connection: close`, reading to EOF.
pub async fn raw(
    addr: std::net::SocketAddr,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> std::io::Result<Resp> {
    let mut stream = TcpStream::connect(addr).await?;
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(b) = body {
        head.push_str(&format!("Content-Length: {}\r\n", b.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    if let Some(b) = body {
        stream.write_all(b).await?;
    }
    let mut buf = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut buf))
        .await
        .map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::TimedOut, "no answer within 30 s")
        })??;
    parse(&buf, method == "HEAD")
}

fn parse(buf: &[u8], head_only: bool) -> std::io::Result<Resp> {
    let eof = |m: &str| std::io::Error::new(std::io::ErrorKind::UnexpectedEof, m.to_owned());
    if buf.is_empty() {
        return Err(eof("connection closed without an answer"));
    }
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| eof("incomplete head"))?;
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| eof("bad status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let rest = &buf[split + 4..];
    let get = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    let body = if head_only {
        Vec::new()
    } else if get("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        dechunk(rest).ok_or_else(|| eof("bad chunked body"))?
    } else if let Some(len) = get("content-length").and_then(|v| v.parse::<usize>().ok()) {
        if rest.len() < len {
            return Err(eof("body shorter than Content-Length"));
        }
        rest[..len].to_vec()
    } else {
        rest.to_vec()
    };
    Ok(Resp {
        status,
        headers,
        body,
    })
}

fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = b.windows(2).position(|w| w == b"\r\n")?;
        let size_str = std::str::from_utf8(&b[..line_end]).ok()?;
        let size = usize::from_str_radix(size_str.split(';').next()?.trim(), 16).ok()?;
        b = &b[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(b.get(..size)?);
        b = b.get(size + 2..)?;
    }
}

/// A PNG header (signature + IHDR) of the given size: enough for the header checks.
pub fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    v.extend_from_slice(&w.to_be_bytes());
    v.extend_from_slice(&h.to_be_bytes());
    v.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    v
}

/// A JPEG header (SOI + APP0 + SOF0) of the given size.
pub fn jpeg_header(w: u16, h: u16) -> Vec<u8> {
    let mut v = vec![
        0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08,
    ];
    v.extend_from_slice(&h.to_be_bytes());
    v.extend_from_slice(&w.to_be_bytes());
    v.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    v
}

pub fn data_url(mime: &str, bytes: &[u8]) -> String {
    use base64::Engine as _;
    let payload = base64::engine::general_purpose::STANDARD.encode(bytes);
    format!("data:{mime};base64,{payload}")
}

/// A `data:image/png` URL whose header says `w`×`h`.
pub fn png_url(w: u32, h: u32) -> String {
    data_url("image/png", &png_header(w, h))
}
