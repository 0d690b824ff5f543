//! A Cloudflare Worker that stands between visitors and the Seedance API: it holds the
//! owner's key and forwards **only** the four task routes, so a public page (the
//! playground's "Your proxy" mode) can generate videos without ever seeing the key.
//!
//! A request's way through, each step a pure module tested natively:
//! - [`admission`] decides whether and how it may go upstream, and what it gets when it
//!   may not ([`refusals`] says each refusal): the origin ([`cors`]), the route
//!   ([`routes`]: create, get, list (off by default), delete and an edge `generate`; any
//!   other path 404, any other method 405), the client id ([`visitor`]), whose task an
//!   id is ([`ids`]: opaque ids bound to the client id), and for a create the cap,
//!   validation, spend policy ([`policy`]), `Idempotency-Key` ([`idempotency`]), rate
//!   limit ([`ratelimit`]) and daily budget, kept in each client's [`records`].
//! - [`upstream`] builds what is sent, with the core's `Endpoint` and the owner's key;
//!   a create's body goes as the visitor sent it.
//! - [`settle`] says what the answer means for the records (the key's task, a refund)
//!   and for the visitor (the account's ids swapped for the visitor's, [`answers`]).
//! - [`plan`], [`sse`]: `generate` creates and waits inside the subrequest budget,
//!   streaming progress as server-sent events. [`config`]: the vars and secrets.
//!
//! `edge` (wasm32 only) moves the bytes and applies the decisions: one function per
//! route. Log lines carry the route, the status and a digest of the client id: never the
//! key, a body or a data URL.

pub mod admission;
pub mod answers;
pub mod config;
pub mod cors;
pub mod idempotency;
pub mod ids;
pub mod plan;
pub mod policy;
pub mod ratelimit;
pub mod records;
pub mod refusals;
pub mod routes;
pub mod settle;
pub mod sse;
pub mod upstream;
pub mod visitor;

#[cfg(target_arch = "wasm32")]
mod edge;

pub use config::Config;
pub use routes::{route, Route};
