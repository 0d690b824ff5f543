//! The API's data: the create request, content items, tasks and their enumerated values.
//!
//! Plain serde types with no HTTP in them, so they serve the client, the Worker, the npm
//! package and anyone who brings their own HTTP stack.

pub(crate) mod codec;
mod content;
mod model;
mod request;
mod string_enum;
mod task;

pub use content::{ContentItem, MediaKind, MediaUrl};
pub use model::{Model, Ratio, Resolution, Role};
pub use request::{CreateTaskRequest, References, DURATION_AUTO};
pub use task::{
    signed_url_expires_at, CreatedTask, Task, TaskContent, TaskError, TaskList, TaskStatus, Usage,
};
