//! The API types' JSON without serde, for the wasm32 build (see `crate::json`): per type,
//! what its serde derive and attributes decode from a serde_json `Value` (the same value or
//! the same message), and the text `serde_json::to_string` writes. Each function names the
//! attributes it mirrors; field lists are in declaration order, as serde reads an array.
//! `crate::json::tests` checks every function against serde: whoever edits a serde
//! attribute of a type edits its function here too.
//!
//! - `request`: the create request and its content items. Its writer serves every target
//!   (the create body, a job's fingerprint, validation's body size).
//! - `task`: a task, a task list, the create answer.

// Which functions a build uses depends on the target and features (the native build
// writes requests; the JS API and the property tests use everything).
#![cfg_attr(not(all(target_arch = "wasm32", feature = "js")), allow(dead_code))]

pub(crate) mod request;
pub(crate) mod task;
