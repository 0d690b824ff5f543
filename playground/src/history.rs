//! Past tasks: small records in localStorage (prompt, the form without images, status, ids,
//! link and its expiry), their image payloads in IndexedDB under the task id (a data URL
//! can be 30 MB; localStorage holds ~5 MB in all). Never the key.

use serde::{Deserialize, Serialize};

use seedance::types::signed_url_expires_at;

use crate::form::{Form, Payloads};
use crate::run::{Phase, RunState};
use serde_json::Value;

use crate::read::{float, int, lenient, opt, string, Fields, Read};
use crate::store::{self, Stored};
use crate::words::model_label;
use crate::write::{Obj, Write};

/// Records kept at most (the oldest go, with their images).
pub const MAX: usize = 50;

/// One past task.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
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
    /// The form it was made from, without image payloads (those are in IndexedDB); a form
    /// that can't be read is left out, the record kept.
    #[serde(deserialize_with = "store::lenient")]
    pub form: Option<Form>,
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

/// The records, newest first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct History(pub Vec<Record>);

impl Stored for History {
    const KEY: &'static str = store::HISTORY;
}

impl Write for History {
    fn write(&self, out: &mut String) {
        self.0.write(out);
    }
}

impl Write for Record {
    fn write(&self, out: &mut String) {
        Obj::new(out)
            .field("id", &self.id)
            .field("prompt", &self.prompt)
            .field("params", &self.params)
            .field("status", &self.status)
            .field("started_ms", &self.started_ms)
            .field("video_url", &self.video_url)
            .field("expires_at", &self.expires_at)
            .field("error_code", &self.error_code)
            .field("form", &self.form)
            .end();
    }
}

impl Read for History {
    fn read(v: &Value) -> Option<Self> {
        Vec::<Record>::read(v).map(History)
    }
}

impl Read for Record {
    fn read(v: &Value) -> Option<Self> {
        const NAMES: &[&str] = &[
            "id",
            "prompt",
            "params",
            "status",
            "started_ms",
            "video_url",
            "expires_at",
            "error_code",
            "form",
        ];
        let f = Fields::of(v, NAMES)?;
        let mut r = Record::default();
        f.get("id", &mut r.id, string)?;
        f.get("prompt", &mut r.prompt, string)?;
        f.get("params", &mut r.params, string)?;
        f.get("status", &mut r.status, string)?;
        f.get("started_ms", &mut r.started_ms, float)?;
        f.get("video_url", &mut r.video_url, opt(string))?;
        f.get("expires_at", &mut r.expires_at, opt(int))?;
        f.get("error_code", &mut r.error_code, opt(string))?;
        f.get("form", &mut r.form, lenient(opt(Form::read)))?;
        Some(r)
    }
}

/// What [`History::note`] leaves to storage besides the records.
#[derive(Debug, Default, PartialEq)]
pub struct Noted {
    /// A new record's image payloads, to keep under its id.
    pub payloads: Option<(String, Payloads)>,
    /// Records pushed out (their payloads go too).
    pub dropped: Vec<String>,
}

impl History {
    /// Put what a run shows into its record (created or updated) and move it to the top.
    /// `sent` is the form the run's create was made from: a new record keeps it, its
    /// images left to the caller to keep. `None` when the run has no task id yet.
    pub fn note(&mut self, state: &RunState, sent: Option<&Form>) -> Option<Noted> {
        let id = state.task_id.clone()?;
        let mut noted = Noted::default();
        let records = &mut self.0;
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
                rec.form = Some(light);
                if !payloads.is_empty() {
                    noted.payloads = Some((id.clone(), payloads));
                }
            }
            rec
        });
        if let Some(req) = &state.request {
            rec.prompt = req.prompt().unwrap_or_default().chars().take(300).collect();
            rec.params = format!(
                "{} · {} · {} · {}",
                model_label(&req.model),
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
        noted.dropped = records
            .drain(MAX.min(records.len())..)
            .map(|r| r.id)
            .collect();
        Some(noted)
    }

    /// The record of a task.
    pub fn find(&self, id: &str) -> Option<&Record> {
        self.0.iter().find(|r| r.id == id)
    }
}

#[cfg(target_arch = "wasm32")]
pub use browser::*;

/// The records in localStorage, their images in IndexedDB.
#[cfg(target_arch = "wasm32")]
mod browser {
    use leptos::task::spawn_local;

    use super::{History, Record};
    use crate::form::{Form, Payloads};
    use crate::run::RunState;
    use crate::store;
    use crate::web::idb;
    use crate::write::to_json;

    /// Note a run in the stored history (see [`History::note`]) and return the history.
    pub fn record(state: &RunState, sent: Option<&Form>) -> Option<History> {
        let mut history: History = store::load();
        let noted = history.note(state, sent)?;
        for id in noted.dropped {
            spawn_local(async move {
                let _ = idb::delete(&id).await;
            });
        }
        if let Some((id, payloads)) = noted.payloads {
            spawn_local(async move {
                if let Err(e) = idb::put(&id, &to_json(&payloads)).await {
                    web_sys::console::warn_2(&"history: images not kept".into(), &e);
                }
            });
        }
        store::save(&history);
        Some(history)
    }

    /// The newest past task, if it was still running when last seen (a reload resumes it).
    pub fn running() -> Option<String> {
        store::load::<History>()
            .0
            .into_iter()
            .next()
            .filter(Record::unfinished)
            .map(|r| r.id)
    }

    /// The form a record was made from, with its images, when the record kept one.
    pub async fn reopen(id: &str) -> Option<Form> {
        let history: History = store::load();
        let form = history.find(id)?.form.clone()?;
        let payloads: Payloads = store::decode(idb::get(id).await.as_deref());
        Some(form.with_payloads(payloads))
    }

    /// Forget every record and its images (only theirs: the IndexedDB store also keeps the
    /// jobs app's runs).
    pub fn clear() {
        let ids: Vec<String> = store::load::<History>()
            .0
            .into_iter()
            .map(|r| r.id)
            .collect();
        store::forget::<History>();
        spawn_local(async move {
            for id in ids {
                let _ = idb::delete(&id).await;
            }
        });
    }
}
