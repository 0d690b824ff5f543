//! The wasm32 side: moving bytes between workerd and the pure modules, and applying what
//! they decide. Nothing here decides whether a request may go upstream or what a refusal
//! says ([`crate::admission`], [`crate::settle`], [`crate::refusals`] do); here are the
//! fetches, streams and storage.
//!
//! `handler` reads the head and dispatches to one function per route: `tasks::create`,
//! `tasks::forward` (get, delete, list) and `generate::generate`.

mod call;
mod fetch;
mod generate;
mod handler;
mod js;
mod request;
mod respond;
mod store;
mod tasks;
