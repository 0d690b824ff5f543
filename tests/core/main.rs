//! The pure core's tests, one binary (one link instead of eight): validation rules and
//! properties, cost, data URLs, the sans-IO protocol, task decoding, the polling schedule, the job engine,
//! and the parsers' fuzzing. No network and no simulator.

#[path = "../common/mod.rs"]
mod common;

mod cost;
mod dataurl;
mod jobs;
mod parse_fuzz;
mod poll;
mod protocol;
mod task_decode;
mod validate_props;
mod validate_rules;
