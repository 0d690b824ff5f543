//! The task as the API shows it: the JSON of `GET …/tasks/{id}`, list items and callbacks.

use serde_json::{json, Value};

use super::{Status, Task};

/// Links the task JSON needs; made by the caller, which knows how to sign them.
#[derive(Debug, Clone)]
pub struct ResultLinks {
    /// Signed MP4 URL.
    pub video_url: String,
    /// Signed PNG URL.
    pub last_frame_url: String,
}

/// The task as the API shows it (shape of the real sample in docs/API.md, "Task").
pub fn task_json(task: &Task, now_ms: u64, links: &ResultLinks) -> Value {
    let (status, since) = task.status_at(now_ms);
    let r = &task.request;
    let mut v = json!({
        "id": task.id,
        "model": r.model,
        "status": status.as_str(),
        "created_at": task.created_ms / 1000,
        "updated_at": since / 1000,
        "seed": task.seed,
        "resolution": r.resolution,
        "ratio": task.ratio,
        "duration": task.duration,
        "framespersecond": crate::tokens::FPS,
        "generate_audio": r.generate_audio,
        "draft": false,
        "execution_expires_after": r.execution_expires_after,
        "return_last_frame": r.return_last_frame,
    });
    match status {
        Status::Succeeded => {
            let mut content = json!({"video_url": links.video_url});
            if r.return_last_frame {
                content["last_frame_url"] = json!(links.last_frame_url);
            }
            v["content"] = content;
            let tokens =
                crate::tokens::completion_tokens(&r.resolution, &task.ratio, task.duration)
                    .unwrap_or(0);
            v["usage"] = json!({"completion_tokens": tokens, "total_tokens": tokens});
        }
        Status::Failed => {
            v["error"] = json!({
                "code": "OutputVideoSensitiveContentDetected",
                "message": "The generated video may contain sensitive content and was blocked. Try a different prompt.",
            });
        }
        _ => {}
    }
    v
}
