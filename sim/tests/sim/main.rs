//! Integration tests: a real simulator on a free loopback port, driven over raw HTTP/1.1.
//!
//! One test binary (modules below) to keep link time down on small machines.

mod common;

mod api;
mod callbacks;
mod cli;
mod clips;
mod control;
mod cors;
mod faults;
mod limits;
mod media;
mod validation;
