//! What the server says about a task: `Task`, its status, lists of tasks.

use serde::{Deserialize, Deserializer, Serialize};

use super::model::{Model, Ratio, Resolution};
use super::string_enum::string_enum;

string_enum! {
    /// Where a task is in `queued → running → succeeded | failed | expired` (or `cancelled`).
    ///
    /// An unknown value decodes into `Unknown` and counts as not finished, so polling goes on
    /// (within its deadline) instead of failing on a status the server adds later.
    ///
    /// ```
    /// use seedance::TaskStatus;
    /// assert!(TaskStatus::Succeeded.is_terminal());
    /// assert!(!TaskStatus::from("preprocessing").is_terminal());
    /// ```
    pub enum TaskStatus {
        /// Waiting for capacity.
        Queued => "queued",
        /// Generating.
        Running => "running",
        /// Done: the video URL is in `content.video_url`; the task is billed.
        Succeeded => "succeeded",
        /// Ended with `error`; not billed.
        Failed => "failed",
        /// Did not finish within `execution_expires_after`.
        Expired => "expired",
        /// Cancelled by a DELETE while queued.
        Cancelled => "cancelled",
        ..
        /// A status this client does not know yet.
        Unknown(String),
    }
}

impl TaskStatus {
    /// Whether the task will not change any more.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            TaskStatus::Succeeded
                | TaskStatus::Failed
                | TaskStatus::Expired
                | TaskStatus::Cancelled
        )
    }
}

/// The answer to a create: the new task's id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedTask {
    /// The task id (`cgt-…`), kept by the server for 7 days.
    pub id: String,
}

/// A task as `GET /contents/generations/tasks/{id}` returns it.
///
/// Only `id` and `status` are required; every other field is optional, and unknown fields
/// are kept in `extra`, so new server fields never break decoding and are never lost.
///
/// ```
/// let task: seedance::Task = serde_json::from_str(
///     r#"{"id":"cgt-1","status":"succeeded","content":{"video_url":"https://x/v.mp4"}}"#,
/// ).unwrap();
/// assert_eq!(task.video_url(), Some("https://x/v.mp4"));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// The task id.
    pub id: String,
    /// The model that runs it.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub model: Option<Model>,
    /// Where the task is.
    pub status: TaskStatus,
    /// The results, once `succeeded`.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub content: Option<TaskContent>,
    /// Billed tokens, once `succeeded`.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub usage: Option<Usage>,
    /// Why it failed, when `failed`.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub error: Option<TaskError>,
    /// Creation time, Unix seconds.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<i64>,
    /// Last update time, Unix seconds.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated_at: Option<i64>,
    /// The seed used (the real one when the request asked for a random seed).
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub seed: Option<i64>,
    /// The output resolution.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub resolution: Option<Resolution>,
    /// The output ratio (the real one when the request said `adaptive`).
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub ratio: Option<Ratio>,
    /// The output length in seconds (the real one when the request said -1).
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub duration: Option<i64>,
    /// Frames per second of the output (24).
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub framespersecond: Option<u32>,
    /// Whether the video has sound.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub generate_audio: Option<bool>,
    /// Whether this was a draft.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub draft: Option<bool>,
    /// Whether a last frame was asked for.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub return_last_frame: Option<bool>,
    /// The task's expiry threshold in seconds.
    #[serde(
        default,
        deserialize_with = "lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub execution_expires_after: Option<i64>,
    /// Fields this crate does not know yet, kept so that re-encoding a task (e.g. for JSON
    /// output) loses nothing the server said.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// The results of a succeeded task: signed URLs valid for about 24 hours.
///
/// Fetch them with a plain GET and never send `Authorization` to them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskContent {
    /// The MP4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub video_url: Option<String>,
    /// The last frame as a PNG, when `return_last_frame` was set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_frame_url: Option<String>,
}

/// Billed tokens.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// Tokens of the generated video: what is billed.
    #[serde(default, deserialize_with = "null_as_default")]
    pub completion_tokens: u64,
    /// All tokens.
    #[serde(default, deserialize_with = "null_as_default")]
    pub total_tokens: u64,
}

/// Why a task failed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskError {
    /// A machine-readable code such as `OutputVideoSensitiveContentDetected`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub code: String,
    /// A human-readable message.
    #[serde(default, deserialize_with = "null_as_default")]
    pub message: String,
}

/// One page of `GET /contents/generations/tasks`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskList {
    /// How many tasks match the filter, over all pages.
    #[serde(default, deserialize_with = "null_as_default")]
    pub total: u64,
    /// The tasks on this page.
    #[serde(default, deserialize_with = "null_as_default")]
    pub items: Vec<Task>,
}

/// `null` means the default (servers send `"code": null`).
fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// An optional field that decodes to `None` when it is `null` or of an unexpected type, so
/// one odd field never makes a paid task unreadable (only `id` and `status` must decode).
fn lenient<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let value = serde_json::Value::deserialize(d)?;
    Ok(serde_json::from_value(value).ok())
}

impl Task {
    /// Whether the task will not change any more.
    pub fn is_terminal(&self) -> bool {
        self.status.is_terminal()
    }

    /// The signed video URL, once succeeded.
    pub fn video_url(&self) -> Option<&str> {
        self.content.as_ref()?.video_url.as_deref()
    }

    /// The signed last-frame PNG URL, when asked for.
    pub fn last_frame_url(&self) -> Option<&str> {
        self.content.as_ref()?.last_frame_url.as_deref()
    }

    /// A link through a key-holding proxy (the Worker's `proxy` object) to this task's
    /// `video_url` or `last_frame_url` (`kind`), when the task came through one: a page on
    /// another origin can read the bytes there, where the result host may send no CORS.
    ///
    /// ```
    /// let task: seedance::Task = serde_json::from_str(r#"{"id":"cgt-1","status":"succeeded",
    ///   "proxy":{"video_url":"https://w.example/api/v3/media/cgt-x/video?exp=1&sig=s"}}"#).unwrap();
    /// assert!(task.proxy_url("video_url").unwrap().contains("/media/"));
    /// assert_eq!(task.proxy_url("last_frame_url"), None);
    /// ```
    pub fn proxy_url(&self, kind: &str) -> Option<&str> {
        self.extra.get("proxy")?.get(kind)?.as_str()
    }

    /// The billed tokens, once succeeded.
    pub fn billed_tokens(&self) -> Option<u64> {
        self.usage.map(|u| u.completion_tokens)
    }

    /// When the video URL stops working, in Unix seconds, read from its signature
    /// (`X-Tos-Date` + `X-Tos-Expires`); `None` when the URL does not say.
    ///
    /// ```
    /// let task: seedance::Task = serde_json::from_str(r#"{"id":"cgt-1","status":"succeeded",
    ///   "content":{"video_url":"https://h/v.mp4?X-Tos-Date=20260606T160311Z&X-Tos-Expires=86400"}}"#).unwrap();
    /// assert_eq!(task.video_expires_at(), Some(1_780_848_191));
    /// ```
    pub fn video_expires_at(&self) -> Option<i64> {
        signed_url_expires_at(self.video_url()?)
    }
}

/// When a signed object-store URL expires (Unix seconds), from `X-Tos-Date` and
/// `X-Tos-Expires`; `None` if either is missing or malformed.
pub fn signed_url_expires_at(url: &str) -> Option<i64> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    let mut date = None;
    let mut expires = None;
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if key.eq_ignore_ascii_case("X-Tos-Date") {
            date = crate::datetime::parse_basic_iso8601(value);
        } else if key.eq_ignore_ascii_case("X-Tos-Expires") {
            expires = value.parse::<i64>().ok().filter(|s| *s >= 0);
        }
    }
    date?.checked_add(expires?)
}
