//! `Task` and what carries tasks (`TaskList`, `CreatedTask`): decoded as serde reads them
//! (leniently: a known field of another shape is `None`), written as serde_json writes them.

use crate::json::read::{boolean, i64_, option, or_default, seq, string, text_enum, u32_, u64_};
use crate::json::read::{Read, Seq, Shape};
#[cfg(any(test, all(target_arch = "wasm32", feature = "js-core")))]
use crate::json::write::{self, Writer};
use crate::json::Json;
use crate::types::{
    CreatedTask, Model, Ratio, Resolution, Task, TaskContent, TaskError, TaskList, TaskStatus,
    Usage,
};

/// `Task` (types/task.rs): `id` and `status` required, every other known field `lenient`
/// (`None` when null or of another shape), unknown fields kept in `extra` (`flatten`, so
/// no array form).
pub(crate) fn decode_task(v: Json) -> Read<Task> {
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
            Some(3) => t.content = decode_task_content(v).ok(),
            Some(4) => t.usage = decode_usage(v).ok(),
            Some(5) => t.error = decode_task_error(v).ok(),
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
fn decode_task_content(v: Json) -> Read<TaskContent> {
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
fn decode_usage(v: Json) -> Read<Usage> {
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
fn decode_task_error(v: Json) -> Read<TaskError> {
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
pub(crate) fn decode_task_list(v: Json) -> Read<TaskList> {
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
            Some(1) => l.items = or_default(v, |v| seq(v, decode_task))?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(l)
}

/// `CreatedTask` (types/task.rs): the id.
pub(crate) fn decode_created_task(v: Json) -> Read<CreatedTask> {
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

/// `Task` (types/task.rs): optional fields only when set, then `extra` (`flatten`).
#[cfg(any(test, all(target_arch = "wasm32", feature = "js-core")))]
pub(crate) fn write_task(w: &mut Writer, t: &Task) {
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
        write_code_message(w, &e.code, &e.message);
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
        write::value(w, v);
    }
    w.close();
}

/// `{"code": …, "message": …}` (`TaskError`, and `jobs::JobFailure`, which has its shape).
#[cfg(any(test, all(target_arch = "wasm32", feature = "js-core")))]
pub(crate) fn write_code_message(w: &mut Writer, code: &str, message: &str) {
    w.open();
    w.key("code");
    w.str(code);
    w.key("message");
    w.str(message);
    w.close();
}

/// `Vec<Task>`.
#[cfg(any(test, all(target_arch = "wasm32", feature = "js-core")))]
pub(crate) fn write_tasks(w: &mut Writer, tasks: &[Task]) {
    w.open_list();
    for t in tasks {
        write_task(w, t);
    }
    w.close_list();
}

/// `TaskList` (types/task.rs).
#[cfg(any(test, all(target_arch = "wasm32", feature = "js-core")))]
pub(crate) fn write_task_list(w: &mut Writer, l: &TaskList) {
    w.open();
    w.key("total");
    w.u64(l.total);
    w.key("items");
    write_tasks(w, &l.items);
    w.close();
}

/// `CreatedTask` (types/task.rs).
#[cfg(any(test, all(target_arch = "wasm32", feature = "js-core")))]
pub(crate) fn write_created_task(w: &mut Writer, c: &CreatedTask) {
    w.open();
    w.key("id");
    w.str(&c.id);
    w.close();
}
