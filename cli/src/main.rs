//! `seedance`: create, watch and download Seedance 2.0 videos from the command line, on the
//! `seedance` crate's native client. See `seedance --help`.
//!
//! `cmd/` is the command line: one module per command. The other modules are the plumbing
//! the commands share, and import no command: `ctx` (global options, key, base URL,
//! client), `request` (request options → request), `media` (files → `data:` URLs), `cost`
//! (price options, estimates, confirmation), `waiting` (result options, following a task,
//! downloads), `runs` (many tasks as one run: journal, progress, Ctrl-C), `join` (clips into one MP4), `progress`, `fmt` (how results look), `failure` (exit codes), `usage`
//! (parse errors), `values` (checked option values).

mod cmd;
mod cost;
mod ctx;
mod failure;
mod fmt;
mod join;
mod media;
mod progress;
mod request;
mod runs;
mod usage;
mod values;
mod waiting;

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match cmd::try_parse(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => return ExitCode::from(usage::report(&e)),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: can't start the async runtime: {e}");
            return ExitCode::from(failure::EXIT_FAILED);
        }
    };
    ExitCode::from(runtime.block_on(cli.run()))
}
