//! JSON without serde for the jobs' types (see `crate::json`): the journal decoded as serde
//! reads it and written as serde_json writes it (the JS caller keeps it, the playground
//! stores it), a film plan decoded. `crate::json::tests` checks every function against
//! serde: whoever edits a serde attribute of these types edits its function here too.

#![cfg_attr(not(all(target_arch = "wasm32", feature = "js")), allow(dead_code))]

use super::{Film, JobFailure, JobRecord, JobState, Journal, Shot};
use crate::json::read::{
    boolean, i64_, option, seq, string, text_enum, u32_, u64_, unit_variant, Read, Seq, Shape,
};
#[cfg(any(test, all(target_arch = "wasm32", feature = "js-core")))]
use crate::json::write::Writer;
use crate::json::Json;
#[cfg(any(test, all(target_arch = "wasm32", feature = "js-core")))]
use crate::types::codec::task::write_code_message;

/// `Journal` (jobs/journal.rs).
pub(crate) fn decode_journal(v: Json) -> Read<Journal> {
    const SHAPE: Shape = Shape {
        expecting: "struct Journal",
        fields: &["version", "kind", "jobs", "creates", "no_create_before"],
        deny_unknown: false,
        seq: Seq::Value,
    };
    let (mut version, mut kind, mut jobs) = (None, None, None);
    let (mut creates, mut no_create_before) = (Vec::new(), None);
    let given = SHAPE.read(v, |i, _, v| {
        match i {
            Some(0) => version = Some(u32_(v)?),
            Some(1) => kind = Some(string(v)?),
            Some(2) => jobs = Some(seq(v, decode_job_record)?),
            Some(3) => creates = seq(v, u64_)?,
            Some(4) => no_create_before = option(v, u64_)?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(Journal {
        version: SHAPE.required(&given, version, 0)?,
        kind: SHAPE.required(&given, kind, 1)?,
        jobs: SHAPE.required(&given, jobs, 2)?,
        creates,
        no_create_before,
    })
}

/// `JobState` (jobs/journal.rs), snake_case.
const JOB_STATES: &[&str] = &[
    "pending",
    "creating",
    "unknown",
    "running",
    "succeeded",
    "downloaded",
    "failed",
    "blocked",
];

fn decode_job_state(v: Json) -> Read<JobState> {
    const ALL: [JobState; 8] = [
        JobState::Pending,
        JobState::Creating,
        JobState::Unknown,
        JobState::Running,
        JobState::Succeeded,
        JobState::Downloaded,
        JobState::Failed,
        JobState::Blocked,
    ];
    unit_variant(v, JOB_STATES).map(|i| ALL[i])
}

/// `JobRecord` (jobs/journal.rs).
fn decode_job_record(v: Json) -> Read<JobRecord> {
    const SHAPE: Shape = Shape {
        expecting: "struct JobRecord",
        fields: &[
            "key",
            "fingerprint",
            "state",
            "task_id",
            "status",
            "from_task",
            "creating_at",
            "created_at",
            "finished_at",
            "tokens",
            "error",
            "file",
            "frame_file",
        ],
        deny_unknown: false,
        seq: Seq::Value,
    };
    let (mut key, mut state) = (None, None);
    let mut r = JobRecord::pending("", "");
    let given = SHAPE.read(v, |i, _, v| {
        match i {
            Some(0) => key = Some(string(v)?),
            Some(1) => r.fingerprint = string(v)?,
            Some(2) => state = Some(decode_job_state(v)?),
            Some(3) => r.task_id = option(v, string)?,
            Some(4) => r.status = option(v, text_enum)?,
            Some(5) => r.from_task = option(v, string)?,
            Some(6) => r.creating_at = option(v, u64_)?,
            Some(7) => r.created_at = option(v, u64_)?,
            Some(8) => r.finished_at = option(v, u64_)?,
            Some(9) => r.tokens = option(v, u64_)?,
            Some(10) => r.error = option(v, decode_job_failure)?,
            Some(11) => r.file = option(v, string)?,
            Some(12) => r.frame_file = option(v, string)?,
            _ => {}
        }
        Ok(())
    })?;
    r.key = SHAPE.required(&given, key, 0)?;
    r.state = SHAPE.required(&given, state, 2)?;
    Ok(r)
}

/// `JobFailure` (jobs/journal.rs): both fields `#[serde(default)]`.
fn decode_job_failure(v: Json) -> Read<JobFailure> {
    const SHAPE: Shape = Shape {
        expecting: "struct JobFailure",
        fields: &["code", "message"],
        deny_unknown: false,
        seq: Seq::Value,
    };
    let mut f = JobFailure {
        code: String::new(),
        message: String::new(),
    };
    SHAPE.read(v, |i, _, v| {
        match i {
            Some(0) => f.code = string(v)?,
            Some(1) => f.message = string(v)?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(f)
}

/// `Film` (jobs/film.rs): `deny_unknown_fields`.
pub(crate) fn decode_film(v: Json) -> Read<Film> {
    const SHAPE: Shape = Shape {
        expecting: "struct Film",
        fields: &[
            "model",
            "resolution",
            "ratio",
            "generate_audio",
            "seed",
            "watermark",
            "shots",
        ],
        deny_unknown: true,
        seq: Seq::Value,
    };
    let (mut model, mut resolution, mut ratio, mut audio, mut shots) =
        (None, None, None, None, None);
    let (mut seed, mut watermark) = (None, None);
    let given = SHAPE.read(v, |i, _, v| {
        match i {
            Some(0) => model = Some(text_enum(v)?),
            Some(1) => resolution = Some(text_enum(v)?),
            Some(2) => ratio = Some(text_enum(v)?),
            Some(3) => audio = Some(boolean(v)?),
            Some(4) => seed = option(v, i64_)?,
            Some(5) => watermark = option(v, boolean)?,
            Some(6) => shots = Some(seq(v, decode_shot)?),
            _ => {}
        }
        Ok(())
    })?;
    Ok(Film {
        model: SHAPE.required(&given, model, 0)?,
        resolution: SHAPE.required(&given, resolution, 1)?,
        ratio: SHAPE.required(&given, ratio, 2)?,
        generate_audio: SHAPE.required(&given, audio, 3)?,
        seed,
        watermark,
        shots: SHAPE.required(&given, shots, 6)?,
    })
}

/// `Shot` (jobs/film.rs): `deny_unknown_fields`.
fn decode_shot(v: Json) -> Read<Shot> {
    const SHAPE: Shape = Shape {
        expecting: "struct Shot",
        fields: &["prompt", "duration", "cut", "image"],
        deny_unknown: true,
        seq: Seq::Value,
    };
    let mut duration = None;
    let mut s = Shot::new("", 0);
    let given = SHAPE.read(v, |i, _, v| {
        match i {
            Some(0) => s.prompt = string(v)?,
            Some(1) => duration = Some(i64_(v)?),
            Some(2) => s.cut = boolean(v)?,
            Some(3) => s.image = option(v, string)?,
            _ => {}
        }
        Ok(())
    })?;
    s.duration = SHAPE.required(&given, duration, 1)?;
    Ok(s)
}

/// `JobState` (jobs/journal.rs), snake_case.
#[cfg(any(test, all(target_arch = "wasm32", feature = "js-core")))]
pub(crate) fn write_job_state(w: &mut Writer, s: JobState) {
    w.str(JOB_STATES[s as usize]);
}

/// `JobFailure` (jobs/journal.rs).
#[cfg(any(test, all(target_arch = "wasm32", feature = "js-core")))]
pub(crate) fn write_job_failure(w: &mut Writer, f: &JobFailure) {
    write_code_message(w, &f.code, &f.message);
}

/// `Journal` (jobs/journal.rs): `creates` only when not empty.
#[cfg(any(test, all(target_arch = "wasm32", feature = "js-core")))]
pub(crate) fn write_journal(w: &mut Writer, j: &Journal) {
    w.open();
    w.key("version");
    w.u64(j.version.into());
    w.key("kind");
    w.str(&j.kind);
    w.key("jobs");
    w.open_list();
    for r in &j.jobs {
        write_job_record(w, r);
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
#[cfg(any(test, all(target_arch = "wasm32", feature = "js-core")))]
fn write_job_record(w: &mut Writer, r: &JobRecord) {
    w.open();
    w.key("key");
    w.str(&r.key);
    w.key("fingerprint");
    w.str(&r.fingerprint);
    w.key("state");
    write_job_state(w, r.state);
    w.opt_str("task_id", r.task_id.as_deref());
    w.opt_str("status", r.status.as_ref().map(|s| s.as_str()));
    w.opt_str("from_task", r.from_task.as_deref());
    w.opt_u64("creating_at", r.creating_at);
    w.opt_u64("created_at", r.created_at);
    w.opt_u64("finished_at", r.finished_at);
    w.opt_u64("tokens", r.tokens);
    if let Some(e) = &r.error {
        w.key("error");
        write_job_failure(w, e);
    }
    w.opt_str("file", r.file.as_deref());
    w.opt_str("frame_file", r.frame_file.as_deref());
    w.close();
}
