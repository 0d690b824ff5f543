//! The panels the views are made of, one file each.

pub mod chain;
pub mod connection;
pub mod curl;
pub mod drop_zone;
pub mod history;
pub mod lookup;
pub mod mode_tabs;
pub mod parameters;
pub mod picker;
pub mod prices;
pub mod prompt;
pub mod references;
pub mod result;
pub mod run;
pub mod run_controls;
pub mod shot;
pub mod spend_guard;
