//! The request log the control API serves: what the server received, in order.
//!
//! Entries are recorded when a request arrives (so a request whose connection is then
//! dropped by a fault is still in the log) and completed with the answer's status.

use std::collections::BTreeMap;
use std::time::Instant;

use axum::http::request::Parts;
use serde::Serialize;
use serde_json::Value;

/// One received request.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// 1-based position since the last reset.
    pub seq: u64,
    /// HTTP method.
    pub method: String,
    /// Path without the query.
    pub path: String,
    /// Raw query string (`""` when none).
    pub query: String,
    /// Headers with lower-case names; repeated headers joined with `, `.
    pub headers: BTreeMap<String, String>,
    /// The body parsed as JSON, `null` when empty or not JSON.
    pub body: Value,
    /// Arrival time, unix milliseconds.
    pub time_ms: u64,
    /// Status of the answer; `null` when no answer was sent (dropped connection).
    pub status: Option<u16>,
    /// The per-run fault applied, if any (e.g. `429=2`, `drop`, `lost-create`).
    pub fault: Option<String>,
}

impl Entry {
    /// An entry for a request that just arrived.
    pub fn new(parts: &Parts, body: &[u8], time_ms: u64) -> Self {
        let mut headers: BTreeMap<String, String> = BTreeMap::new();
        for (name, value) in &parts.headers {
            let v = String::from_utf8_lossy(value.as_bytes()).into_owned();
            headers
                .entry(name.as_str().to_owned())
                .and_modify(|e| {
                    e.push_str(", ");
                    e.push_str(&v);
                })
                .or_insert(v);
        }
        Self {
            seq: 0,
            method: parts.method.to_string(),
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().unwrap_or("").to_owned(),
            headers,
            body: serde_json::from_slice(body).unwrap_or(Value::Null),
            time_ms,
            status: None,
            fault: None,
        }
    }
}

/// The log since the last reset.
#[derive(Debug, Default)]
pub struct RequestLog {
    entries: Vec<Entry>,
    next_seq: u64,
}

impl RequestLog {
    /// Record an arrival; returns its `seq`.
    pub fn push(&mut self, mut entry: Entry) -> u64 {
        self.next_seq += 1;
        entry.seq = self.next_seq;
        self.entries.push(entry);
        self.next_seq
    }

    /// Complete entry `seq` with the answer.
    pub fn finish(&mut self, seq: u64, status: Option<u16>, fault: Option<String>) {
        if let Some(e) = self.entries.iter_mut().rev().find(|e| e.seq == seq) {
            e.status = status;
            e.fault = fault;
        }
    }

    /// All entries, oldest first.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Forget everything.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.next_seq = 0;
    }
}

/// Per-request facts the intake layer hands to inner layers (request extension).
#[derive(Debug, Clone)]
pub struct Trace {
    /// The `X-Request-Id` of this request.
    pub request_id: String,
    /// Log entry, `None` for control requests (they are not logged).
    pub seq: Option<u64>,
    /// Arrival.
    pub start: Instant,
    /// Method, for the stdout line.
    pub method: String,
    /// Path, for the stdout line (never the query: it may hold a signature).
    pub path: String,
}

/// Marks a response shaped by a fault (response extension), for the log.
#[derive(Debug, Clone)]
pub struct FaultNote(pub String);
