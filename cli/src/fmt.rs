//! How results look: JSON on stdout, durations, sizes, money, shell quoting. Numbers and
//! dates shared with the other faces come from the core (`seedance::numfmt`,
//! `seedance::datetime`). Imports no command.

use std::time::Duration;

use seedance::numfmt::fixed;

use crate::failure::{Failure, EXIT_FAILED};

/// Print a value as pretty JSON on stdout.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::new(EXIT_FAILED, format!("can't print JSON: {e}")))?;
    println!("{text}");
    Ok(())
}

/// A span for people: `42 s`, `3 min 5 s`, `23 h 59 min`.
pub fn span(d: Duration) -> String {
    let s = d.as_secs();
    if s < 60 {
        if d.as_millis() < 10_000 && d.subsec_millis() != 0 {
            return format!("{:.1} s", d.as_secs_f64());
        }
        format!("{s} s")
    } else if s < 3600 {
        format!("{} min {} s", s / 60, s % 60)
    } else {
        format!("{} h {} min", s / 3600, s / 60 % 60)
    }
}

/// A clock for the progress line: `0:42`, `12:05`, `1:02:03`.
pub fn clock(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// Bytes for people: `47.1 KB`.
pub fn bytes(n: usize) -> String {
    if n < 1024 {
        format!("{n} bytes")
    } else if n < 1024 * 1024 {
        format!("{} KB", fixed(n as f64 / 1024.0, 1))
    } else {
        format!("{} MB", fixed(n as f64 / 1_048_576.0, 1))
    }
}

/// Money with two decimals, or four when two would round to zero.
pub fn money(x: f64) -> String {
    fixed(x, if x != 0.0 && x.abs() < 0.01 { 4 } else { 2 })
}

/// How long until the Unix time `at`; `None` once it has passed.
pub fn time_left(at: i64) -> Option<Duration> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    (at > now).then(|| Duration::from_secs((at - now) as u64))
}

/// Quote an argument for a shell command we suggest, only when it needs it.
pub fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@%+,".contains(&b));
    if plain {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_sizes_money_quotes() {
        assert_eq!(span(Duration::from_secs(86_399)), "23 h 59 min");
        assert_eq!(span(Duration::from_secs(65)), "1 min 5 s");
        assert_eq!(span(Duration::from_millis(1_500)), "1.5 s");
        assert_eq!(clock(Duration::from_secs(3_723)), "1:02:03");
        assert_eq!(bytes(48_230), "47.1 KB");
        assert_eq!(money(5.00940), "5.01");
        assert_eq!(money(0.00421), "0.0042");
        assert_eq!(money(0.0), "0.00");
        assert_eq!(shell_quote("cgt-1"), "cgt-1");
        assert_eq!(shell_quote("my file.mp4"), "'my file.mp4'");
    }
}
