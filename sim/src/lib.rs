//! `seedance-sim`: a local server that behaves like the Seedance 2.0 video-generation task
//! API (ByteDance Ark, as resold under `/seedance/api/v3`), for tests and offline demos.
//!
//! It validates requests independently of the client crate, runs tasks through the real
//! state machine with configurable timings, serves signed result URLs with a real MP4 and
//! PNG, injects faults on demand, and records every request for tests to assert on.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use seedance_sim::{Sim, SimConfig};
//! let sim = Sim::spawn(SimConfig::fast()).await?; // free port on 127.0.0.1
//! let api = sim.api_url(); // point the client here
//! # drop(api); Ok(()) }
//! ```

#![warn(missing_docs)]

pub mod app;
pub mod ark;
pub mod auth;
pub mod callback;
pub mod cli;
pub mod clock;
pub mod config;
pub mod control;
pub mod cors;
pub mod faults;
pub mod ids;
pub mod image;
pub mod inject;
pub mod intake;
pub mod media;
pub mod quota;
pub mod reqlog;
pub mod routes;
pub mod server;
pub mod shared;
pub mod sign;
pub mod tasks;
pub mod tokens;
pub mod tos;
pub mod validate;

pub use config::{AccountLimits, Limits, SimConfig, Timings};
pub use faults::{FaultKind, FaultSpec, Scope};
pub use server::Sim;

/// Start a simulator on the current tokio runtime (same as [`Sim::spawn`]).
pub async fn spawn(config: SimConfig) -> std::io::Result<Sim> {
    Sim::spawn(config).await
}
