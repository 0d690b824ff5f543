//! Dispatch a parsed command line to its command; the exit code.

use std::io::Write;

use crate::args::{Command, Global};
use crate::ctx::Ctx;
use crate::failure::{Failure, EXIT_FAILED};
use crate::{offline, tasks, waiting};

/// Run a command; the exit code.
pub async fn run(global: Global, cmd: Command) -> u8 {
    let ctx = Ctx::new(global);
    let result = match cmd {
        Command::Help(topic) => {
            print!("{}", crate::help::text(topic));
            Ok(())
        }
        Command::Version => {
            println!("seedance {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        Command::Generate(a) => waiting::generate(&ctx, a).await,
        Command::Estimate {
            request,
            price,
            json,
        } => offline::estimate(&ctx, &request, &price, json),
        Command::Validate { request, json } => offline::validate(&ctx, &request, json),
        Command::Get { id, json } => tasks::get(&ctx, &id, json).await,
        Command::Wait { id, wait: w } => waiting::wait(&ctx, &id, &w).await,
        Command::List(a) => tasks::list(&ctx, &a).await,
        Command::Cancel { id } => tasks::cancel(&ctx, &id).await,
    };
    let _ = std::io::stdout().flush();
    match result {
        Ok(()) => 0,
        Err(f) => {
            f.print();
            f.code
        }
    }
}

/// Print a value as pretty JSON on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::new(EXIT_FAILED, format!("can't print JSON: {e}")))?;
    println!("{text}");
    Ok(())
}
