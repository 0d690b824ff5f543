//! A client for ByteDance's Seedance 2.0 video-generation API, for Rust and WebAssembly.
//!
//! Seedance is an async task API: you create a task (prompt, optional images, video or
//! audio, resolution, ratio, duration, sound…), poll it through
//! `queued → running → succeeded | failed | expired`, then download a signed video URL that
//! lives for 24 hours. Every task costs money, so this crate checks every documented rule
//! before anything is sent, estimates the cost, never retries a create on its own, and never
//! loses a task id once the server handed one out.
//!
//! The core is plain Rust and serde, with no I/O:
//! - [`types`]: the request ([`CreateTaskRequest`], built per mode), [`Task`], [`TaskStatus`].
//! - [`validate()`]: every problem at once, each with its field, the value and what is allowed.
//! - [`cost`]: tokens and money before ([`estimate`]) and after ([`actual_cost`]).
//! - [`protocol`]: requests to `{method, url, headers, body}` and answers to tasks or errors.
//! - [`poll`]: the polling schedule and a runtime-agnostic wait loop.
//! - [`dataurl`]: images and audio as `data:` URLs, with format and size sniffing.
//! - [`jobs`]: films, batches and variations as one run, with a journal that survives
//!   crashes, the account's limits and a token cap.
//! - [`numfmt`], [`datetime`]: numbers and times for messages, shared by the faces.
//!
//! ```
//! use seedance::{CreateTaskRequest, Limits, Model, Ratio, Resolution, validate, estimate};
//!
//! let req = CreateTaskRequest::text_to_video(Model::Fast, "A drone shot over an autumn valley")
//!     .with_resolution(Resolution::P720)
//!     .with_ratio(Ratio::R16x9)
//!     .with_duration(5)
//!     .with_audio(false);
//! assert!(validate(&req, &Limits::default()).is_ok());
//! assert_eq!(estimate(&req, None).tokens_max, 108_900);
//! ```

#![warn(missing_docs)]

#[cfg(any(target_arch = "wasm32", feature = "native"))]
mod client;
pub mod cost;
pub mod dataurl;
pub mod datetime;
mod error;
pub mod jobs;
#[cfg(all(feature = "js-core", target_arch = "wasm32"))]
mod js;

/// The wasm's allocator (feature `talc`: the npm package, the playground): talc, about 6 KB
/// smaller in the wasm than dlmalloc (single-threaded wasm; memory grows as dlmalloc's does
/// and is reused alike).
#[cfg(all(
    feature = "talc",
    target_arch = "wasm32",
    not(target_feature = "atomics")
))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
mod json;
pub mod numfmt;
pub mod poll;
pub mod protocol;
mod secret;
mod text;
pub mod types;
pub mod validate;

#[cfg(any(target_arch = "wasm32", feature = "native"))]
pub use client::{Client, CreatedFn, ProgressFn, RecentFilter, WaitOptions};
pub use cost::{actual_cost, estimate, CostModel, Estimate, Price, PriceEstimate, PriceTable};
pub use error::{ApiError, Error, Operation};
pub use json::parse_json;
pub use poll::{expected_generation_time, PollPolicy, Progress};
pub use protocol::ListQuery;
pub use secret::ApiKey;
pub use types::{
    ContentItem, CreateTaskRequest, CreatedTask, MediaKind, MediaUrl, Model, Ratio, References,
    Resolution, Role, Task, TaskContent, TaskError, TaskList, TaskStatus, Usage, DURATION_AUTO,
};
pub use validate::{validate, Issue, Limits, Mode, Severity, Validation, ValidationError};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
