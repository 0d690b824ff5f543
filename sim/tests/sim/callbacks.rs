//! `callback_url`: the simulator POSTs the task on every status change.

use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

use crate::common::*;

/// A tiny receiver: answers 200 to every POST and forwards (path, JSON body).
async fn receiver() -> (String, mpsc::UnboundedReceiver<(String, Value)>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let (path, body) = loop {
                    let n = s.read(&mut chunk).await.unwrap();
                    assert!(n > 0, "request cut short");
                    buf.extend_from_slice(&chunk[..n]);
                    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                        continue;
                    };
                    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                    let len: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    if buf.len() >= end + 4 + len {
                        let path = head.split(' ').nth(1).unwrap_or("").to_owned();
                        break (
                            path,
                            serde_json::from_slice(&buf[end + 4..end + 4 + len]).unwrap(),
                        );
                    }
                };
                s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .await
                    .unwrap();
                let _ = tx.send((path, body));
            });
        }
    });
    (url, rx)
}

async fn next(rx: &mut mpsc::UnboundedReceiver<(String, Value)>) -> (String, Value) {
    tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("a callback in time")
        .expect("receiver alive")
}

#[tokio::test]
async fn every_status_change_is_posted_to_the_callback_url() {
    // Phases long enough that a loaded machine still posts each one.
    let h = start(seedance_sim::SimConfig::fast().with_timings(phases(1000, 0, 1000))).await;
    let (url, mut rx) = receiver().await;
    let id = h
        .create_with(json!({"model": FAST, "content": [{"type": "text", "text": "x"}], "callback_url": format!("{url}/hook?k=1")}))
        .await;
    let mut statuses = Vec::new();
    loop {
        let (path, task) = next(&mut rx).await;
        assert_eq!(path, "/hook?k=1");
        assert_eq!(task["id"], id.as_str());
        statuses.push(task["status"].as_str().unwrap().to_owned());
        if task["status"] == "succeeded" {
            assert_eq!(task["usage"]["completion_tokens"], 108_900);
            assert!(task["content"]["video_url"].is_string());
            break;
        }
    }
    assert_eq!(statuses, ["queued", "running", "succeeded"]);
    let log = h.control("GET", "/callbacks", None).await;
    let codes: Vec<_> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["http_status"].clone())
        .collect();
    assert_eq!(codes, [json!(200), json!(200), json!(200)]);
}

#[tokio::test]
async fn a_cancellation_is_posted_too() {
    let h = fast().await;
    let (url, mut rx) = receiver().await;
    let id = h
        .create_with(json!({"model": FAST, "content": [{"type": "text", "text": "[queued]"}], "callback_url": url}))
        .await;
    assert_eq!(next(&mut rx).await.1["status"], "queued");
    assert_eq!(
        h.api("DELETE", &format!("{TASKS}/{id}"), None).await.status,
        200
    );
    let (_, task) = next(&mut rx).await;
    assert_eq!(
        (task["id"].as_str(), task["status"].as_str()),
        (Some(id.as_str()), Some("cancelled"))
    );
}

#[tokio::test]
async fn undeliverable_callbacks_are_recorded() {
    let h = instant().await;
    h.create_with(json!({"model": FAST, "content": [{"type": "text", "text": "x"}], "callback_url": "https://example.invalid/cb"}))
        .await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let log = loop {
        let log = h.control("GET", "/callbacks", None).await;
        if !log.as_array().unwrap().is_empty() {
            break log;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no delivery attempt recorded"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(log[0]["status"], "succeeded");
    assert_eq!(log[0]["http_status"], json!(null));
    assert!(
        log[0]["error"].as_str().unwrap().contains("http://"),
        "{log}"
    );
}
