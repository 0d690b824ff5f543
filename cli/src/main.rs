//! `seedance`: create, watch and download Seedance 2.0 videos from the command line, on the
//! `seedance` crate's native client. See `seedance --help`.

mod args;
mod ctx;
mod failure;
mod fmt;
mod help;
mod offline;
mod progress;
mod request;
mod run;
mod tasks;
mod waiting;

use std::process::ExitCode;

fn main() -> ExitCode {
    let (global, command) = match args::parse(std::env::args_os().skip(1)) {
        Ok(parsed) => parsed,
        Err(e) => {
            eprintln!("error: {}", e.message);
            match e.command {
                Some(c) => eprintln!("  hint: see `seedance {c} --help`"),
                None => eprintln!("  hint: see `seedance --help`"),
            }
            return ExitCode::from(failure::EXIT_USAGE);
        }
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
    ExitCode::from(runtime.block_on(run::run(global, command)))
}
