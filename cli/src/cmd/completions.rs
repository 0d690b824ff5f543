//! `completions SHELL`: a completion script for bash, zsh, fish, elvish or PowerShell,
//! generated from the same declarations as `--help`.

use clap::CommandFactory;
use clap_complete::Shell;

use crate::failure::{Failure, EXIT_FAILED};

/// print a shell completion script
#[derive(clap::Args, Debug)]
#[command(after_help = "\
Examples:
  seedance completions bash > ~/.local/share/bash-completion/completions/seedance
  seedance completions zsh > ~/.zfunc/_seedance     # with fpath+=~/.zfunc before compinit
  seedance completions fish > ~/.config/fish/completions/seedance.fish")]
pub struct Args {
    /// the shell
    #[arg(value_name = "SHELL")]
    pub shell: Shell,
}

pub async fn run(a: Args) -> Result<(), Failure> {
    let mut cmd = super::Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "seedance", &mut out);
    use std::io::Write;
    std::io::stdout()
        .write_all(&out)
        .map_err(|e| Failure::new(EXIT_FAILED, format!("can't write the script: {e}")))
}
