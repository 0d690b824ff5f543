//! One function per type: what its serde derive and attributes decode from a serde_json
//! `Value`, with the same result and the same message (checked by `tests.rs`). Each names
//! the attributes it mirrors; the field lists are in declaration order, as serde reads an
//! array.

use super::read::{
    boolean, f64_, i64_, invalid_type, map, missing_field, option, pair, seq, string, u32_, u64_,
    unit_variant, unknown_variant, usize_, Read, Seq, Shape,
};
use super::Json;
use crate::cost::{Price, PriceTable};
use crate::jobs::{Film, JobFailure, JobRecord, JobState, Journal, Shot};
use crate::types::{
    ContentItem, CreateTaskRequest, CreatedTask, MediaUrl, Model, Ratio, Resolution, Role, Task,
    TaskContent, TaskError, TaskList, TaskStatus, Usage,
};
use crate::validate::Limits;

/// Any of the string enums (`Model`, `Ratio`, `TaskStatus`, …): a string, kept when unknown.
fn text_enum<T: From<String>>(v: Json) -> Read<T> {
    string(v).map(T::from)
}

/// `#[serde(default, deserialize_with = "null_as_default")]`: `null` is the default.
fn or_default<T: Default>(v: Json, read: impl FnOnce(Json) -> Read<T>) -> Read<T> {
    option(v, read).map(Option::unwrap_or_default)
}

/// `CreateTaskRequest` (types/request.rs).
pub(crate) fn request(v: Json) -> Read<CreateTaskRequest> {
    const SHAPE: Shape = Shape {
        expecting: "struct CreateTaskRequest",
        fields: &[
            "model",
            "content",
            "resolution",
            "ratio",
            "duration",
            "generate_audio",
            "watermark",
            "seed",
            "return_last_frame",
            "execution_expires_after",
            "callback_url",
        ],
        deny_unknown: false,
        seq: Seq::Value,
    };
    let (mut model, mut content) = (None, None);
    let mut r = CreateTaskRequest::text_to_video(Model::Fast, "");
    let given = SHAPE.read(v, |i, _, v| {
        match i {
            Some(0) => model = Some(text_enum(v)?),
            Some(1) => content = Some(seq(v, content_item)?),
            Some(2) => r.resolution = option(v, text_enum)?,
            Some(3) => r.ratio = option(v, text_enum)?,
            Some(4) => r.duration = option(v, i64_)?,
            // `null_as_true`
            Some(5) => r.generate_audio = option(v, boolean)?.unwrap_or(true),
            Some(6) => r.watermark = option(v, boolean)?,
            Some(7) => r.seed = option(v, i64_)?,
            Some(8) => r.return_last_frame = option(v, boolean)?,
            Some(9) => r.execution_expires_after = option(v, i64_)?,
            Some(10) => r.callback_url = option(v, string)?,
            _ => {}
        }
        Ok(())
    })?;
    r.model = SHAPE.required(&given, model, 0)?;
    r.content = SHAPE.required(&given, content, 1)?;
    Ok(r)
}

/// `ContentItem` (types/content.rs): internally tagged by `type`, variants in snake_case.
/// serde reads the tag where it finds it and buffers the other entries, then reads the
/// variant from them.
fn content_item(v: Json) -> Read<ContentItem> {
    const VARIANTS: &[&str] = &["text", "image_url", "video_url", "audio_url"];
    let tag = |v: Json| match v {
        Json::Str(s) => VARIANTS
            .iter()
            .position(|n| *n == s)
            .ok_or_else(|| unknown_variant(&s, VARIANTS)),
        other => Err(invalid_type(&other, "variant identifier")),
    };
    let (variant, rest) = match v {
        Json::Obj(entries) => {
            let mut variant = None;
            let mut rest = Vec::with_capacity(entries.len());
            for (k, v) in entries {
                if k == "type" {
                    variant = Some(tag(v)?);
                } else {
                    rest.push((k, v));
                }
            }
            (variant, Json::Obj(rest))
        }
        Json::Arr(items) => {
            let mut it = items.into_iter();
            let variant = it.next().map(tag).transpose()?;
            (variant, Json::Arr(it.collect()))
        }
        other => return Err(invalid_type(&other, "internally tagged enum ContentItem")),
    };
    match variant {
        None => Err(missing_field("type")),
        Some(0) => {
            const SHAPE: Shape = Shape {
                expecting: "struct variant ContentItem::Text",
                fields: &["text"],
                deny_unknown: false,
                seq: Seq::Content,
            };
            let mut text = None;
            let given = SHAPE.read(rest, |i, _, v| {
                if i == Some(0) {
                    text = Some(string(v)?);
                }
                Ok(())
            })?;
            Ok(ContentItem::Text {
                text: SHAPE.required(&given, text, 0)?,
            })
        }
        Some(k) => {
            // `{ <kind>_url: MediaUrl, #[serde(default)] role: Option<Role> }`
            const SHAPES: [Shape; 3] = [
                Shape {
                    expecting: "struct variant ContentItem::ImageUrl",
                    fields: &["image_url", "role"],
                    deny_unknown: false,
                    seq: Seq::Content,
                },
                Shape {
                    expecting: "struct variant ContentItem::VideoUrl",
                    fields: &["video_url", "role"],
                    deny_unknown: false,
                    seq: Seq::Content,
                },
                Shape {
                    expecting: "struct variant ContentItem::AudioUrl",
                    fields: &["audio_url", "role"],
                    deny_unknown: false,
                    seq: Seq::Content,
                },
            ];
            let shape = &SHAPES[k - 1];
            let (mut url, mut role) = (None, None);
            let given = shape.read(rest, |i, _, v| {
                match i {
                    Some(0) => url = Some(media_url(v)?),
                    Some(1) => role = option(v, text_enum::<Role>)?,
                    _ => {}
                }
                Ok(())
            })?;
            let url = shape.required(&given, url, 0)?;
            Ok(match k {
                1 => ContentItem::ImageUrl {
                    image_url: url,
                    role,
                },
                2 => ContentItem::VideoUrl {
                    video_url: url,
                    role,
                },
                _ => ContentItem::AudioUrl {
                    audio_url: url,
                    role,
                },
            })
        }
    }
}

/// `MediaUrl` (types/content.rs), inside a content item (serde's buffered content).
fn media_url(v: Json) -> Read<MediaUrl> {
    const SHAPE: Shape = Shape {
        expecting: "struct MediaUrl",
        fields: &["url"],
        deny_unknown: false,
        seq: Seq::Content,
    };
    let mut url = None;
    let given = SHAPE.read(v, |i, _, v| {
        if i == Some(0) {
            url = Some(string(v)?);
        }
        Ok(())
    })?;
    Ok(MediaUrl {
        url: SHAPE.required(&given, url, 0)?,
    })
}

/// `Task` (types/task.rs): `id` and `status` required, every other known field `lenient`
/// (`None` when null or of another shape), unknown fields kept in `extra` (`flatten`, so
/// no array form).
pub(crate) fn task(v: Json) -> Read<Task> {
    const SHAPE: Shape = Shape {
        expecting: "struct Task",
        fields: &[
            "id",
            "model",
            "status",
            "content",
            "usage",
            "error",
            "created_at",
            "updated_at",
            "seed",
            "resolution",
            "ratio",
            "duration",
            "framespersecond",
            "generate_audio",
            "draft",
            "return_last_frame",
            "execution_expires_after",
        ],
        deny_unknown: false,
        seq: Seq::No,
    };
    let (mut id, mut status) = (None, None);
    let mut t = Task {
        id: String::new(),
        model: None,
        status: TaskStatus::Queued,
        content: None,
        usage: None,
        error: None,
        created_at: None,
        updated_at: None,
        seed: None,
        resolution: None,
        ratio: None,
        duration: None,
        framespersecond: None,
        generate_audio: None,
        draft: None,
        return_last_frame: None,
        execution_expires_after: None,
        extra: serde_json::Map::new(),
    };
    let given = SHAPE.read(v, |i, k, v| {
        match i {
            Some(0) => id = Some(string(v)?),
            Some(1) => t.model = text_enum::<Model>(v).ok(),
            Some(2) => status = Some(text_enum(v)?),
            Some(3) => t.content = task_content(v).ok(),
            Some(4) => t.usage = usage(v).ok(),
            Some(5) => t.error = task_error(v).ok(),
            Some(6) => t.created_at = i64_(v).ok(),
            Some(7) => t.updated_at = i64_(v).ok(),
            Some(8) => t.seed = i64_(v).ok(),
            Some(9) => t.resolution = text_enum::<Resolution>(v).ok(),
            Some(10) => t.ratio = text_enum::<Ratio>(v).ok(),
            Some(11) => t.duration = i64_(v).ok(),
            Some(12) => t.framespersecond = u32_(v).ok(),
            Some(13) => t.generate_audio = boolean(v).ok(),
            Some(14) => t.draft = boolean(v).ok(),
            Some(15) => t.return_last_frame = boolean(v).ok(),
            Some(16) => t.execution_expires_after = i64_(v).ok(),
            _ => {
                t.extra.insert(k, v.into_value());
            }
        }
        Ok(())
    })?;
    t.id = SHAPE.required(&given, id, 0)?;
    t.status = SHAPE.required(&given, status, 2)?;
    Ok(t)
}

/// `TaskContent` (types/task.rs): two optional URLs.
fn task_content(v: Json) -> Read<TaskContent> {
    const SHAPE: Shape = Shape {
        expecting: "struct TaskContent",
        fields: &["video_url", "last_frame_url"],
        deny_unknown: false,
        seq: Seq::Value,
    };
    let mut c = TaskContent::default();
    SHAPE.read(v, |i, _, v| {
        match i {
            Some(0) => c.video_url = option(v, string)?,
            Some(1) => c.last_frame_url = option(v, string)?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(c)
}

/// `Usage` (types/task.rs): two counts, `null_as_default`.
fn usage(v: Json) -> Read<Usage> {
    const SHAPE: Shape = Shape {
        expecting: "struct Usage",
        fields: &["completion_tokens", "total_tokens"],
        deny_unknown: false,
        seq: Seq::Value,
    };
    let mut u = Usage::default();
    SHAPE.read(v, |i, _, v| {
        match i {
            Some(0) => u.completion_tokens = or_default(v, u64_)?,
            Some(1) => u.total_tokens = or_default(v, u64_)?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(u)
}

/// `TaskError` (types/task.rs): code and message, `null_as_default`.
fn task_error(v: Json) -> Read<TaskError> {
    const SHAPE: Shape = Shape {
        expecting: "struct TaskError",
        fields: &["code", "message"],
        deny_unknown: false,
        seq: Seq::Value,
    };
    let mut e = TaskError::default();
    SHAPE.read(v, |i, _, v| {
        match i {
            Some(0) => e.code = or_default(v, string)?,
            Some(1) => e.message = or_default(v, string)?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(e)
}

/// `TaskList` (types/task.rs): `total` and `items`, `null_as_default`.
pub(crate) fn task_list(v: Json) -> Read<TaskList> {
    const SHAPE: Shape = Shape {
        expecting: "struct TaskList",
        fields: &["total", "items"],
        deny_unknown: false,
        seq: Seq::Value,
    };
    let mut l = TaskList::default();
    SHAPE.read(v, |i, _, v| {
        match i {
            Some(0) => l.total = or_default(v, u64_)?,
            Some(1) => l.items = or_default(v, |v| seq(v, task))?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(l)
}

/// `CreatedTask` (types/task.rs): the id.
pub(crate) fn created_task(v: Json) -> Read<CreatedTask> {
    const SHAPE: Shape = Shape {
        expecting: "struct CreatedTask",
        fields: &["id"],
        deny_unknown: false,
        seq: Seq::Value,
    };
    let mut id = None;
    let given = SHAPE.read(v, |i, _, v| {
        if i == Some(0) {
            id = Some(string(v)?);
        }
        Ok(())
    })?;
    Ok(CreatedTask {
        id: SHAPE.required(&given, id, 0)?,
    })
}

/// `Limits` (validate/limits.rs): `#[serde(default)]`, so every field may be left out.
pub(crate) fn limits(v: Json) -> Read<Limits> {
    const SHAPE: Shape = Shape {
        expecting: "struct Limits",
        fields: &[
            "max_images",
            "max_videos",
            "max_audios",
            "min_image_side",
            "max_image_side",
            "min_aspect",
            "max_aspect",
            "max_image_bytes",
            "max_video_bytes",
            "max_audio_bytes",
            "audio_seconds",
            "max_total_audio_seconds",
            "max_body_bytes",
            "allow_http",
            "allow_video_data_urls",
        ],
        deny_unknown: false,
        seq: Seq::Value,
    };
    let mut l = Limits::default();
    SHAPE.read(v, |i, _, v| {
        match i {
            Some(0) => l.max_images = usize_(v)?,
            Some(1) => l.max_videos = usize_(v)?,
            Some(2) => l.max_audios = usize_(v)?,
            Some(3) => l.min_image_side = u32_(v)?,
            Some(4) => l.max_image_side = u32_(v)?,
            Some(5) => l.min_aspect = f64_(v)?,
            Some(6) => l.max_aspect = f64_(v)?,
            Some(7) => l.max_image_bytes = u64_(v)?,
            Some(8) => l.max_video_bytes = u64_(v)?,
            Some(9) => l.max_audio_bytes = u64_(v)?,
            Some(10) => l.audio_seconds = pair(v, f64_)?,
            Some(11) => l.max_total_audio_seconds = f64_(v)?,
            Some(12) => l.max_body_bytes = u64_(v)?,
            Some(13) => l.allow_http = boolean(v)?,
            Some(14) => l.allow_video_data_urls = boolean(v)?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(l)
}

/// `PriceTable` (cost.rs): currency and prices, both required.
pub(crate) fn price_table(v: Json) -> Read<PriceTable> {
    const SHAPE: Shape = Shape {
        expecting: "struct PriceTable",
        fields: &["currency", "prices"],
        deny_unknown: false,
        seq: Seq::Value,
    };
    let (mut currency, mut prices) = (None, None);
    let given = SHAPE.read(v, |i, _, v| {
        match i {
            Some(0) => currency = Some(string(v)?),
            Some(1) => prices = Some(seq(v, price)?),
            _ => {}
        }
        Ok(())
    })?;
    Ok(PriceTable {
        currency: SHAPE.required(&given, currency, 0)?,
        prices: SHAPE.required(&given, prices, 1)?,
    })
}

/// `Price` (cost.rs): `#[serde(default)]`.
fn price(v: Json) -> Read<Price> {
    const SHAPE: Shape = Shape {
        expecting: "struct Price",
        fields: &[
            "model",
            "resolution",
            "with_video_input",
            "per_million_tokens",
        ],
        deny_unknown: false,
        seq: Seq::Value,
    };
    let mut p = Price::default();
    SHAPE.read(v, |i, _, v| {
        match i {
            Some(0) => p.model = option(v, string)?,
            Some(1) => p.resolution = option(v, text_enum)?,
            Some(2) => p.with_video_input = option(v, boolean)?,
            Some(3) => p.per_million_tokens = f64_(v)?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(p)
}

/// `Journal` (jobs/journal.rs).
pub(crate) fn journal(v: Json) -> Read<Journal> {
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
            Some(2) => jobs = Some(seq(v, job_record)?),
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
pub(crate) const JOB_STATES: &[&str] = &[
    "pending",
    "creating",
    "unknown",
    "running",
    "succeeded",
    "downloaded",
    "failed",
    "blocked",
];

fn job_state(v: Json) -> Read<JobState> {
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
fn job_record(v: Json) -> Read<JobRecord> {
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
            Some(2) => state = Some(job_state(v)?),
            Some(3) => r.task_id = option(v, string)?,
            Some(4) => r.status = option(v, text_enum)?,
            Some(5) => r.from_task = option(v, string)?,
            Some(6) => r.creating_at = option(v, u64_)?,
            Some(7) => r.created_at = option(v, u64_)?,
            Some(8) => r.finished_at = option(v, u64_)?,
            Some(9) => r.tokens = option(v, u64_)?,
            Some(10) => r.error = option(v, job_failure)?,
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
fn job_failure(v: Json) -> Read<JobFailure> {
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
pub(crate) fn film(v: Json) -> Read<Film> {
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
            Some(6) => shots = Some(seq(v, shot)?),
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
fn shot(v: Json) -> Read<Shot> {
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

/// A list of strings (`taskIds`, `images`).
pub(crate) fn strings(v: Json) -> Read<Vec<String>> {
    seq(v, string)
}

/// A map of strings (`headers`).
pub(crate) fn string_map(v: Json) -> Read<std::collections::BTreeMap<String, String>> {
    map(v, string)
}
