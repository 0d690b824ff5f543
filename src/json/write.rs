//! JSON text exactly as `serde_json::to_string` writes the crate's types (compact, fields in
//! declaration order, `skip_serializing_if` fields left out), without serde: one function
//! per type, each naming the attributes it mirrors. `tests.rs` compares them byte for byte.

use super::{float_text, i64_text, u64_text};
use crate::types::{ContentItem, CreateTaskRequest};

/// Writes JSON text, or only counts its bytes (a create body with data URLs can be 60 MB:
/// validation measures it without building it).
pub(crate) struct Writer {
    out: String,
    len: u64,
    count_only: bool,
    /// Whether the next value or key needs a `,` before it.
    comma: bool,
}

impl Writer {
    /// A writer that builds the text.
    pub(crate) fn new() -> Self {
        Writer {
            out: String::new(),
            len: 0,
            count_only: false,
            comma: false,
        }
    }

    /// A writer that only counts bytes.
    pub(crate) fn counter() -> Self {
        Writer {
            count_only: true,
            ..Writer::new()
        }
    }

    /// The text written.
    pub(crate) fn finish(self) -> String {
        self.out
    }

    /// The bytes written (or counted).
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    fn raw(&mut self, s: &str) {
        self.len += s.len() as u64;
        if !self.count_only {
            self.out.push_str(s);
        }
    }

    fn sep(&mut self) {
        if self.comma {
            self.raw(",");
        }
    }

    /// `{`
    pub(crate) fn open(&mut self) {
        self.sep();
        self.raw("{");
        self.comma = false;
    }

    /// `}`
    pub(crate) fn close(&mut self) {
        self.raw("}");
        self.comma = true;
    }

    /// `[`
    pub(crate) fn open_list(&mut self) {
        self.sep();
        self.raw("[");
        self.comma = false;
    }

    /// `]`
    pub(crate) fn close_list(&mut self) {
        self.raw("]");
        self.comma = true;
    }

    /// `"key":`
    pub(crate) fn key(&mut self, key: &str) {
        self.sep();
        self.quoted(key);
        self.raw(":");
        self.comma = false;
    }

    /// A string value.
    pub(crate) fn str(&mut self, s: &str) {
        self.sep();
        self.quoted(s);
        self.comma = true;
    }

    fn scalar(&mut self, text: &str) {
        self.sep();
        self.raw(text);
        self.comma = true;
    }

    /// `null`
    pub(crate) fn null(&mut self) {
        self.scalar("null");
    }

    /// `true` or `false`.
    pub(crate) fn bool(&mut self, b: bool) {
        self.scalar(if b { "true" } else { "false" });
    }

    /// An unsigned integer.
    pub(crate) fn u64(&mut self, n: u64) {
        self.scalar(&u64_text(n));
    }

    /// A signed integer.
    pub(crate) fn i64(&mut self, n: i64) {
        self.scalar(&i64_text(n));
    }

    /// A float (`null` when not finite, as serde_json writes it).
    pub(crate) fn f64(&mut self, x: f64) {
        self.scalar(&float_text(x));
    }

    /// `"key":"value"` when `value` is set (`skip_serializing_if = "Option::is_none"`).
    pub(crate) fn opt_str(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.key(key);
            self.str(v);
        }
    }

    /// `"key":n` when `n` is set.
    pub(crate) fn opt_i64(&mut self, key: &str, n: Option<i64>) {
        if let Some(n) = n {
            self.key(key);
            self.i64(n);
        }
    }

    /// `"key":n` when `n` is set.
    pub(crate) fn opt_u64(&mut self, key: &str, n: Option<u64>) {
        if let Some(n) = n {
            self.key(key);
            self.u64(n);
        }
    }

    /// `"key":b` when `b` is set.
    pub(crate) fn opt_bool(&mut self, key: &str, b: Option<bool>) {
        if let Some(b) = b {
            self.key(key);
            self.bool(b);
        }
    }

    /// A string in quotes with serde_json's escapes: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`,
    /// `\t`, other control characters as `\u00xx`; everything else as is.
    fn quoted(&mut self, s: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.raw("\"");
        let mut start = 0;
        for (i, b) in s.bytes().enumerate() {
            let esc: &str = match b {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                0x08 => "\\b",
                0x0c => "\\f",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0..=0x1f => "",
                _ => continue,
            };
            self.raw(&s[start..i]);
            if esc.is_empty() {
                let u = [
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[(b >> 4) as usize],
                    HEX[(b & 15) as usize],
                ];
                self.raw(core::str::from_utf8(&u).unwrap_or_default());
            } else {
                self.raw(esc);
            }
            start = i + 1;
        }
        self.raw(&s[start..]);
        self.raw("\"");
    }
}

/// A create request's JSON, as the server receives it.
pub(crate) fn request_text(r: &CreateTaskRequest) -> String {
    let mut w = Writer::new();
    request(&mut w, r);
    w.finish()
}

/// `CreateTaskRequest` (types/request.rs): optional fields only when set, `generate_audio`
/// always.
pub(crate) fn request(w: &mut Writer, r: &CreateTaskRequest) {
    w.open();
    w.key("model");
    w.str(r.model.as_str());
    w.key("content");
    w.open_list();
    for item in &r.content {
        content_item(w, item);
    }
    w.close_list();
    w.opt_str("resolution", r.resolution.as_ref().map(|x| x.as_str()));
    w.opt_str("ratio", r.ratio.as_ref().map(|x| x.as_str()));
    w.opt_i64("duration", r.duration);
    w.key("generate_audio");
    w.bool(r.generate_audio);
    w.opt_bool("watermark", r.watermark);
    w.opt_i64("seed", r.seed);
    w.opt_bool("return_last_frame", r.return_last_frame);
    w.opt_i64("execution_expires_after", r.execution_expires_after);
    w.opt_str("callback_url", r.callback_url.as_deref());
    w.close();
}

/// `ContentItem` (types/content.rs): `{"type": …}` first, then the variant's fields.
fn content_item(w: &mut Writer, item: &ContentItem) {
    w.open();
    w.key("type");
    match item {
        ContentItem::Text { text } => {
            w.str("text");
            w.key("text");
            w.str(text);
        }
        _ => {
            let Some((kind, url, role)) = item.media() else {
                return;
            };
            w.str(kind.field());
            w.key(kind.field());
            w.open();
            w.key("url");
            w.str(url);
            w.close();
            w.opt_str("role", role.map(|r| r.as_str()));
        }
    }
    w.close();
}

#[cfg(any(test, all(target_arch = "wasm32", feature = "js-core")))]
pub(crate) use outputs::*;

/// What the JS API hands back (wasm32 with `js-core`, and the tests).
#[cfg(any(test, all(target_arch = "wasm32", feature = "js-core")))]
mod outputs {
    use super::Writer;
    use crate::cost::Estimate;
    use crate::jobs::{JobFailure, JobRecord, JobState, Journal};
    use crate::types::{CreatedTask, Task, TaskList};
    use crate::validate::{Issue, Mode, Severity, Validation};

    /// `serde_json::Value`, entries in the map's order.
    pub(crate) fn value(w: &mut Writer, v: &serde_json::Value) {
        use serde_json::Value;
        match v {
            Value::Null => w.null(),
            Value::Bool(b) => w.bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => w.u64(u),
                (_, Some(i), _) => w.i64(i),
                (_, _, Some(x)) => w.f64(x),
                _ => w.null(),
            },
            Value::String(s) => w.str(s),
            Value::Array(items) => {
                w.open_list();
                for item in items {
                    value(w, item);
                }
                w.close_list();
            }
            Value::Object(map) => {
                w.open();
                for (k, v) in map {
                    w.key(k);
                    value(w, v);
                }
                w.close();
            }
        }
    }

    /// `Task` (types/task.rs): optional fields only when set, then `extra` (`flatten`).
    pub(crate) fn task(w: &mut Writer, t: &Task) {
        w.open();
        w.key("id");
        w.str(&t.id);
        w.opt_str("model", t.model.as_ref().map(|m| m.as_str()));
        w.key("status");
        w.str(t.status.as_str());
        if let Some(c) = &t.content {
            w.key("content");
            w.open();
            w.opt_str("video_url", c.video_url.as_deref());
            w.opt_str("last_frame_url", c.last_frame_url.as_deref());
            w.close();
        }
        if let Some(u) = &t.usage {
            w.key("usage");
            w.open();
            w.key("completion_tokens");
            w.u64(u.completion_tokens);
            w.key("total_tokens");
            w.u64(u.total_tokens);
            w.close();
        }
        if let Some(e) = &t.error {
            w.key("error");
            code_message(w, &e.code, &e.message);
        }
        w.opt_i64("created_at", t.created_at);
        w.opt_i64("updated_at", t.updated_at);
        w.opt_i64("seed", t.seed);
        w.opt_str("resolution", t.resolution.as_ref().map(|r| r.as_str()));
        w.opt_str("ratio", t.ratio.as_ref().map(|r| r.as_str()));
        w.opt_i64("duration", t.duration);
        w.opt_u64("framespersecond", t.framespersecond.map(u64::from));
        w.opt_bool("generate_audio", t.generate_audio);
        w.opt_bool("draft", t.draft);
        w.opt_bool("return_last_frame", t.return_last_frame);
        w.opt_i64("execution_expires_after", t.execution_expires_after);
        for (k, v) in &t.extra {
            w.key(k);
            value(w, v);
        }
        w.close();
    }

    /// `{"code": …, "message": …}` (`TaskError`, `JobFailure`).
    fn code_message(w: &mut Writer, code: &str, message: &str) {
        w.open();
        w.key("code");
        w.str(code);
        w.key("message");
        w.str(message);
        w.close();
    }

    /// `Vec<Task>`.
    pub(crate) fn tasks(w: &mut Writer, tasks: &[Task]) {
        w.open_list();
        for t in tasks {
            task(w, t);
        }
        w.close_list();
    }

    /// `TaskList` (types/task.rs).
    pub(crate) fn task_list(w: &mut Writer, l: &TaskList) {
        w.open();
        w.key("total");
        w.u64(l.total);
        w.key("items");
        tasks(w, &l.items);
        w.close();
    }

    /// `CreatedTask` (types/task.rs).
    pub(crate) fn created_task(w: &mut Writer, c: &CreatedTask) {
        w.open();
        w.key("id");
        w.str(&c.id);
        w.close();
    }

    /// `Vec<Issue>` (validate/issue.rs).
    pub(crate) fn issues(w: &mut Writer, issues: &[Issue]) {
        w.open_list();
        for i in issues {
            w.open();
            w.key("field");
            w.str(&i.field);
            w.key("rule");
            w.str(&i.rule);
            w.key("given");
            w.str(&i.given);
            w.key("allowed");
            w.str(&i.allowed);
            w.key("severity");
            w.str(match i.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            });
            w.close();
        }
        w.close_list();
    }

    /// `Validation` (validate/issue.rs): `mode` is `null` when content selects none.
    pub(crate) fn validation(w: &mut Writer, v: &Validation) {
        w.open();
        w.key("mode");
        match v.mode {
            None => w.null(),
            Some(m) => w.str(match m {
                Mode::TextToVideo => "text_to_video",
                Mode::FirstFrame => "first_frame",
                Mode::FirstLastFrame => "first_last_frame",
                Mode::Reference => "reference",
            }),
        }
        w.key("issues");
        issues(w, &v.issues);
        w.close();
    }

    /// `Estimate` (cost.rs): `price` is `null` without prices.
    pub(crate) fn estimate(w: &mut Writer, e: &Estimate) {
        w.open();
        for (k, n) in [
            ("tokens_min", e.tokens_min),
            ("tokens_max", e.tokens_max),
            ("seconds_min", e.seconds_min.into()),
            ("seconds_max", e.seconds_max.into()),
            ("width", e.width.into()),
            ("height", e.height.into()),
        ] {
            w.key(k);
            w.u64(n);
        }
        w.key("price");
        match &e.price {
            None => w.null(),
            Some(p) => {
                w.open();
                w.key("min");
                w.f64(p.min);
                w.key("max");
                w.f64(p.max);
                w.key("currency");
                w.str(&p.currency);
                w.close();
            }
        }
        w.close();
    }

    /// `JobState` (jobs/journal.rs), snake_case.
    pub(crate) fn job_state(w: &mut Writer, s: JobState) {
        w.str(crate::json::decode::JOB_STATES[s as usize]);
    }

    /// `JobFailure` (jobs/journal.rs).
    pub(crate) fn job_failure(w: &mut Writer, f: &JobFailure) {
        code_message(w, &f.code, &f.message);
    }

    /// `Journal` (jobs/journal.rs): `creates` only when not empty.
    pub(crate) fn journal(w: &mut Writer, j: &Journal) {
        w.open();
        w.key("version");
        w.u64(j.version.into());
        w.key("kind");
        w.str(&j.kind);
        w.key("jobs");
        w.open_list();
        for r in &j.jobs {
            job_record(w, r);
        }
        w.close_list();
        if !j.creates.is_empty() {
            w.key("creates");
            w.open_list();
            for &t in &j.creates {
                w.u64(t);
            }
            w.close_list();
        }
        w.opt_u64("no_create_before", j.no_create_before);
        w.close();
    }

    /// `JobRecord` (jobs/journal.rs): optional fields only when set.
    fn job_record(w: &mut Writer, r: &JobRecord) {
        w.open();
        w.key("key");
        w.str(&r.key);
        w.key("fingerprint");
        w.str(&r.fingerprint);
        w.key("state");
        job_state(w, r.state);
        w.opt_str("task_id", r.task_id.as_deref());
        w.opt_str("status", r.status.as_ref().map(|s| s.as_str()));
        w.opt_str("from_task", r.from_task.as_deref());
        w.opt_u64("creating_at", r.creating_at);
        w.opt_u64("created_at", r.created_at);
        w.opt_u64("finished_at", r.finished_at);
        w.opt_u64("tokens", r.tokens);
        if let Some(e) = &r.error {
            w.key("error");
            job_failure(w, e);
        }
        w.opt_str("file", r.file.as_deref());
        w.opt_str("frame_file", r.frame_file.as_deref());
        w.close();
    }
}
