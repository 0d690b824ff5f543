//! What a command line that does not parse ends with: help and version on stdout (exit 0);
//! a usage error on stderr, clap's message with a hint naming the command's `--help`
//! (exit 2, nothing sent). Imports no command.

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::failure::EXIT_USAGE;

/// Flags someone may try for the key. Not declared (completions would offer them): clap
/// refuses them as unknown, without their value, and we add why.
const KEY_FLAGS: [&str; 3] = ["--api-key", "--key", "--token"];

/// Clap's parse error, with a word about keys for anyone who tried to pass one.
pub fn explain(mut e: clap::Error) -> clap::Error {
    let key_flag = e.kind() == ErrorKind::UnknownArgument
        && matches!(
            e.get(ContextKind::InvalidArg),
            Some(ContextValue::String(flag)) if KEY_FLAGS.contains(&flag.as_str())
        );
    if key_flag {
        let why = "the API key is never taken as an argument (it would land in your shell \
                   history); set SEEDANCE_API_KEY, or name another variable with \
                   --api-key-env NAME";
        e.insert(
            ContextKind::Suggested,
            ContextValue::StyledStrs(vec![why.into()]),
        );
    }
    e
}

/// Print what clap has to say; the exit code.
pub fn report(e: &clap::Error) -> u8 {
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return 0;
    }
    if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        let _ = e.print();
        return EXIT_USAGE;
    }
    eprint!("{}", render(e));
    EXIT_USAGE
}

/// A usage error as it is printed (plain text).
pub fn render(e: &clap::Error) -> String {
    with_hint(&e.render().to_string())
}

/// Clap's `For more information, try '--help'.` leaves open where `--help` goes; an error
/// in a command says `hint: see `seedance generate --help``.
fn with_hint(text: &str) -> String {
    const TRY_HELP: &str = "For more information, try '--help'.";
    let command = text
        .lines()
        .find_map(|l| l.strip_prefix("Usage: seedance "))
        .and_then(|rest| rest.split_whitespace().next())
        .filter(|word| !word.starts_with(['[', '<', '-']));
    match command {
        Some(c) => text.replace(TRY_HELP, &format!("hint: see `seedance {c} --help`")),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hint_names_the_command() {
        let clap = "error: x\n\nUsage: seedance get [OPTIONS] <ID>\n\n\
                    For more information, try '--help'.\n";
        assert_eq!(
            with_hint(clap),
            "error: x\n\nUsage: seedance get [OPTIONS] <ID>\n\nhint: see `seedance get --help`\n"
        );
        let top = "error: y\n\nUsage: seedance [OPTIONS] <COMMAND>\n\n\
                   For more information, try '--help'.\n";
        assert_eq!(
            with_hint(top),
            top,
            "top-level errors stay as clap says them"
        );
    }
}
