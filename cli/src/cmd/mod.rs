//! The command line: [`Cli`] (global options and one [`Command`]) and the dispatch.
//!
//! One module per command, each with its options (a clap `Args` struct whose doc comments
//! and `before_help` are its `--help`) and its `run`. Adding a command is a module here and
//! a variant of [`Command`] with its arm in [`Cli::run`]. Commands import the shared
//! plumbing (`ctx`, `request`, `cost`, `waiting`, `runs`, `join`, `fmt`, `failure`), never each other.

mod batch;
mod cancel;
mod completions;
mod concat;
mod estimate;
mod film;
mod generate;
mod get;
mod list;
mod validate;
mod wait;

use std::ffi::OsString;
use std::io::Write;

use clap::{Parser, Subcommand};

use crate::ctx::{Ctx, Global};

/// create, watch and download Seedance 2.0 videos
#[derive(Parser, Debug)]
#[command(
    name = "seedance",
    version,
    help_template = help_template("seedance"),
    mut_subcommands = house_style,
    args_override_self = true,
    after_help = AFTER_HELP
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// The commands, in the order `--help` lists them.
#[derive(Subcommand, Debug)]
pub enum Command {
    Generate(generate::Args),
    Batch(batch::Args),
    Film(film::Args),
    Concat(concat::Args),
    Get(get::Args),
    Wait(wait::Args),
    List(list::Args),
    Cancel(cancel::Args),
    Estimate(estimate::Args),
    Validate(validate::Args),
    Completions(completions::Args),
}

const AFTER_HELP: &str = "\
The API key is read from SEEDANCE_API_KEY; it is never taken as an argument (it would
land in your shell history) and never printed.

Exit codes: 0 ok · 1 the API or the task failed · 2 usage or validation error (nothing was
sent) · 3 outcome unknown (a create whose answer was lost, or waiting timed out: the
message says how to look the task up) · 130 interrupted (Ctrl-C; the task id and how to
resume are printed).

Example:
  export SEEDANCE_API_KEY=sk-...
  seedance generate -p \"A drone shot over an autumn valley\" -r 720p --ratio 16:9 -d 5 \\
      --no-audio --out valley.mp4";

/// The layout of every `--help`: `seedance generate — what it does`, the usage, the
/// command's description (`before_help`), the options, then notes and examples.
fn help_template(bin: &str) -> String {
    format!(
        "{bin} — {{about-with-newline}}\n{{usage-heading}} {{usage}}\n\n\
         {{before-help}}{{all-args}}{{after-help}}"
    )
}

/// What every command gets: the help layout, and a repeated option's last value wins.
fn house_style(cmd: clap::Command) -> clap::Command {
    let template = help_template(&format!("seedance {}", cmd.get_name()));
    cmd.help_template(template).args_override_self(true)
}

/// Parse the whole command line (with the program name first).
pub fn try_parse(args: impl IntoIterator<Item = OsString>) -> Result<Cli, clap::Error> {
    Cli::try_parse_from(args).map_err(crate::usage::explain)
}

impl Cli {
    /// Run the command; the exit code.
    pub async fn run(self) -> u8 {
        let ctx = Ctx::new(self.global);
        let result = match self.command {
            Command::Generate(a) => generate::run(&ctx, a).await,
            Command::Batch(a) => batch::run(&ctx, a).await,
            Command::Film(a) => film::run(&ctx, a).await,
            Command::Concat(a) => concat::run(&ctx, a).await,
            Command::Get(a) => get::run(&ctx, a).await,
            Command::Wait(a) => wait::run(&ctx, a).await,
            Command::List(a) => list::run(&ctx, a).await,
            Command::Cancel(a) => cancel::run(&ctx, a).await,
            Command::Estimate(a) => estimate::run(&ctx, a).await,
            Command::Validate(a) => validate::run(&ctx, a).await,
            Command::Completions(a) => completions::run(a).await,
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
}

#[cfg(test)]
mod tests;
