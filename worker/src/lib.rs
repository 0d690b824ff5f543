//! A Cloudflare Worker that stands between visitors and the Seedance API: it holds the
//! owner's key and forwards **only** the four task routes, so a public page (the
//! playground's "Your proxy" mode) can generate videos without ever seeing the key.
//!
//! What it adds on the way:
//! - [`routes`]: create, get, list (off by default), delete and an edge `generate`; every
//!   other path is 404, every other method 405.
//! - [`cors`]: CORS for an allowlist of origins; other origins are refused, headerless.
//! - [`ids`]: visitors get opaque task ids bound to their client id, so nobody can read or
//!   delete another's task.
//! - [`policy`], [`ratelimit`], [`records`]: allowed models, tiers and lengths, a daily token
//!   budget and a create rate per client, kept in a Durable Object when bound.
//! - [`idempotency`]: a repeated `Idempotency-Key` gets the same task, not a new paid one.
//! - [`plan`], [`sse`]: `generate` creates and waits inside the subrequest budget,
//!   streaming progress as server-sent events.
//! - [`config`]: the vars and secrets; [`answers`]: refusals shaped like the API's errors.
//!
//! Everything above is plain Rust, tested natively; `edge` (wasm32 only) moves the bytes.
//! Log lines carry the route, the status and a digest of the client id: never the key,
//! a body or a data URL.

pub mod answers;
pub mod config;
pub mod cors;
pub mod idempotency;
pub mod ids;
pub mod plan;
pub mod policy;
pub mod ratelimit;
pub mod records;
pub mod routes;
pub mod sse;
pub mod visitor;

#[cfg(target_arch = "wasm32")]
mod edge;

pub use config::Config;
pub use routes::{route, Route};
