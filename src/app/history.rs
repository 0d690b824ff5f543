//! Past tasks: small records in localStorage (prompt, the form without images, status, ids,
//! link and its expiry), their image payloads in IndexedDB under the task id (a data URL
//! can be 30 MB; localStorage holds ~5 MB in all). Never the key.

use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use super::form::{Form, Payloads};
use super::idb;
use super::run::{Phase, RunState};
use crate::types::signed_url_expires_at;

const KEY: &str = "seedance.playground.history";
const MAX: usize = 50;

/// One past task.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The task id.
    pub id: String,
    /// The prompt (may be empty in frame modes).
    pub prompt: String,
    /// Model, resolution, ratio, duration as sent.
    pub params: String,
    /// The last status seen (`creating`, `queued`, `running`, `succeeded`, …).
    pub status: String,
    /// When it was started (ms since the epoch).
    pub started_ms: f64,
    /// The signed video link, once succeeded.
    pub video_url: Option<String>,
    /// When that link expires (Unix seconds).
    pub expires_at: Option<i64>,
    /// The error code, when it failed.
    pub error_code: Option<String>,
    /// The form it was made from ([`Form::to_json`], without image payloads: those are in
    /// IndexedDB).
    #[serde(default)]
    pub form: Option<serde_json::Value>,
}

impl Record {
    /// Whether the task may still change (reopening should resume it).
    pub fn unfinished(&self) -> bool {
        !matches!(
            self.status.as_str(),
            "succeeded" | "failed" | "expired" | "cancelled" | "stopped"
        )
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The records, newest first.
pub fn load() -> Vec<Record> {
    storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .and_then(|raw| serde_json::from_str(&raw).ok())
        .unwrap_or_default()
}

fn save(records: &[Record]) {
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(records)) {
        let _ = s.set_item(KEY, &json);
    }
}

/// Put what a run shows into its record (created or updated), and return the list. `sent`
/// is the form the run's create was made from: a new record keeps it, its images going to
/// IndexedDB.
pub fn record(state: &RunState, sent: Option<&Form>) -> Option<Vec<Record>> {
    let id = state.task_id.clone()?;
    let mut records = load();
    let pos = records.iter().position(|r| r.id == id);
    let mut rec = pos.map(|i| records.remove(i)).unwrap_or_else(|| {
        let mut rec = Record {
            id: id.clone(),
            started_ms: state.started_ms,
            ..Record::default()
        };
        // Only a create has a request; a watched or resumed task has no form of ours.
        if let (Some(form), Some(_)) = (sent, &state.request) {
            let (light, payloads) = form.split();
            rec.form = Some(light.to_json());
            if !payloads.is_empty() {
                save_payloads(id.clone(), payloads);
            }
        }
        rec
    });
    if let Some(req) = &state.request {
        rec.prompt = req.prompt().unwrap_or_default().chars().take(300).collect();
        rec.params = format!(
            "{} · {} · {} · {}",
            super::form::model_label(&req.model),
            req.resolution.as_ref().map_or("720p", |r| r.as_str()),
            req.ratio.as_ref().map_or("adaptive", |r| r.as_str()),
            match req.duration {
                Some(-1) => "auto".to_owned(),
                Some(d) => format!("{d} s"),
                None => "5 s".to_owned(),
            }
        );
    }
    if let Some(s) = &state.status {
        rec.status = s.as_str().to_owned();
    }
    match &state.phase {
        Phase::Succeeded(task) => {
            rec.video_url = task.video_url().map(str::to_owned);
            rec.expires_at = rec.video_url.as_deref().and_then(signed_url_expires_at);
        }
        Phase::Failed(shown) => {
            rec.error_code = shown.code.clone();
            if !rec.status.is_empty() && rec.unfinished() {
                rec.status = "stopped".into();
            }
        }
        Phase::Stopped(_) if rec.unfinished() => rec.status = "stopped".into(),
        _ => {}
    }
    if rec.status.is_empty() {
        rec.status = "created".into();
    }
    records.insert(0, rec);
    for old in records.drain(MAX.min(records.len())..) {
        spawn_local(async move {
            let _ = idb::delete(&old.id).await;
        });
    }
    save(&records);
    Some(records)
}

fn save_payloads(id: String, payloads: Payloads) {
    spawn_local(async move {
        if let Err(e) = idb::put(&id, &payloads.to_json().to_string()).await {
            web_sys::console::warn_2(&"history: images not kept".into(), &e);
        }
    });
}

/// The form a record was made from, with its images, when the record kept one.
pub async fn reopen(id: &str) -> Option<Form> {
    let form = Form::from_json(&load().into_iter().find(|r| r.id == id)?.form?);
    let payloads = idb::get(id)
        .await
        .and_then(|json| serde_json::from_str(&json).ok())
        .map(|v| Payloads::from_json(&v))
        .unwrap_or_default();
    Some(form.with_payloads(payloads))
}

/// Forget every record and its images.
pub fn clear() {
    if let Some(s) = storage() {
        let _ = s.remove_item(KEY);
    }
    spawn_local(async {
        let _ = idb::clear().await;
    });
}
