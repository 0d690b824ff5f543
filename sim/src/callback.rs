//! Delivers task updates to a task's `callback_url`, as the service does: a POST of the task
//! JSON (the GET answer) on every status change, from `queued` to the final status.
//!
//! Only `http://` URLs are delivered (the simulator speaks no TLS); every attempt, delivered
//! or not, is recorded for `GET /_sim/callbacks`. Deliveries are not retried.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::clock;
use crate::shared::{lock, AppState};
use crate::tasks;

/// Longest sleep between checks: a cancellation (DELETE) can't be foreseen from the plan.
const RECHECK: Duration = Duration::from_millis(200);

/// Watch task `id` and POST each new status to `url` until the task is final or gone.
pub fn spawn(st: Arc<AppState>, id: String, owner: String, url: String) {
    tokio::spawn(async move {
        let mut stop = st.stop.clone();
        let mut last: Option<&'static str> = None;
        loop {
            let now = clock::now_ms();
            let snapshot = {
                let store = lock(&st.store);
                store.get(&id, &owner).map(|t| {
                    let status = t.status_at(now).0;
                    (
                        tasks::task_json(t, now, &st.links(&id)),
                        status,
                        t.next_change_after(now),
                    )
                })
            };
            let Some((body, status, next)) = snapshot else {
                return; // deleted
            };
            if last != Some(status.as_str()) {
                last = Some(status.as_str());
                let outcome = post(&url, &body).await;
                let record = match outcome {
                    Ok(code) => {
                        json!({"task_id": id, "url": url, "status": status.as_str(), "http_status": code, "error": null, "time_ms": clock::now_ms()})
                    }
                    Err(e) => {
                        json!({"task_id": id, "url": url, "status": status.as_str(), "http_status": null, "error": e, "time_ms": clock::now_ms()})
                    }
                };
                lock(&st.callbacks).push(record);
            }
            if status.is_terminal() {
                return;
            }
            let wait = next.map_or(RECHECK, |t| {
                Duration::from_millis(t.saturating_sub(clock::now_ms())).min(RECHECK)
            });
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = stop.wait_for(|s| *s) => return,
            }
        }
    });
}

/// POST `body` to an `http://host[:port]/path` URL; the answer's status code.
async fn post(url: &str, body: &Value) -> Result<u16, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or("only http:// callback URLs are delivered by the simulator")?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let addr = if authority.contains(':') {
        authority.to_owned()
    } else {
        format!("{authority}:80")
    };
    let payload = body.to_string();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\nUser-Agent: seedance-sim\r\n\r\n{payload}",
        payload.len()
    );
    let exchange = async {
        let mut s = TcpStream::connect(&addr).await.map_err(|e| e.to_string())?;
        s.write_all(request.as_bytes())
            .await
            .map_err(|e| e.to_string())?;
        let mut head = Vec::new();
        let mut buf = [0u8; 512];
        while !head.windows(2).any(|w| w == b"\r\n") {
            let n = s.read(&mut buf).await.map_err(|e| e.to_string())?;
            if n == 0 {
                return Err("connection closed without an answer".to_owned());
            }
            head.extend_from_slice(&buf[..n]);
        }
        String::from_utf8_lossy(&head)
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| "not an HTTP answer".to_owned())
    };
    tokio::time::timeout(Duration::from_secs(5), exchange)
        .await
        .map_err(|_| "no answer within 5 s".to_owned())?
}
