//! Option values that need more than a type: each check says, in the flag's own words, what
//! the flag takes. A failed check is a usage error of the command it was given to (exit 2,
//! nothing sent).

use std::ffi::OsStr;
use std::time::Duration;

use clap::builder::TypedValueParser;
use clap::error::ErrorKind;

/// A clap value parser from a check `(value, "--flag") -> value or why`. The error is the
/// check's message alone (`--duration takes whole seconds (4 to 15) or `auto`, not "x"`),
/// as a clap error of the command, so the usage line and the hint follow; clap's own
/// `invalid value 'x' for '--duration <N|auto>':` frame would say it all twice.
#[derive(Clone)]
pub struct Check<F>(pub F);

impl<T, F> TypedValueParser for Check<F>
where
    T: Clone + Send + Sync + 'static,
    F: Fn(&str, &str) -> Result<T, String> + Clone + Send + Sync + 'static,
{
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let flag = arg
            .and_then(clap::Arg::get_long)
            .map(|long| format!("--{long}"))
            .unwrap_or_default();
        let fail = |why: String| cmd.clone().error(ErrorKind::ValueValidation, why);
        let text = value
            .to_str()
            .ok_or_else(|| fail(format!("{flag} takes text (UTF-8)")))?;
        (self.0)(text, &flag).map_err(fail)
    }
}

/// Any number type: `--seed takes a number, not "x"`.
pub fn number<T: std::str::FromStr>(v: &str, flag: &str) -> Result<T, String> {
    v.parse()
        .map_err(|_| format!("{flag} takes a number, not {v:?}"))
}

/// `--duration`: whole seconds, or `auto` (the model chooses).
pub fn duration(v: &str, flag: &str) -> Result<i64, String> {
    if v.eq_ignore_ascii_case("auto") {
        return Ok(seedance::DURATION_AUTO);
    }
    let (min, max) = seedance::validate::DURATION_RANGE.into_inner();
    v.parse()
        .map_err(|_| format!("{flag} takes whole seconds ({min} to {max}) or `auto`, not {v:?}"))
}

/// Seconds as a [`Duration`], at least `min`, at most 30 days.
pub fn seconds(v: &str, flag: &str, min: f64) -> Result<Duration, String> {
    let s: f64 = number(v, flag)?;
    if !(s.is_finite() && s >= min && s <= 30.0 * 86_400.0) {
        return Err(format!("{flag} takes seconds, at least {min}"));
    }
    Ok(Duration::from_secs_f64(s))
}

/// A price per million tokens: a number, at least 0.
pub fn price(v: &str, flag: &str) -> Result<f64, String> {
    let p: f64 = number(v, flag)?;
    if !(p.is_finite() && p >= 0.0) {
        return Err(format!("{flag} takes a price of at least 0"));
    }
    Ok(p)
}

/// A whole number in `min..=max`: `--concurrency takes 1 to 100, not 0`.
pub fn count(v: &str, flag: &str, min: usize, max: usize) -> Result<usize, String> {
    let n: usize = number(v, flag)?;
    if !(min..=max).contains(&n) {
        return Err(format!("{flag} takes {min} to {max}, not {n}"));
    }
    Ok(n)
}

/// A page number, from 1.
pub fn page(v: &str, flag: &str) -> Result<u32, String> {
    match number(v, flag)? {
        0 => Err(format!("{flag} counts from 1")),
        n => Ok(n),
    }
}

/// Tasks per page, 1 to 500.
pub fn page_size(v: &str, flag: &str) -> Result<u32, String> {
    let n: u32 = number(v, flag)?;
    if !(1..=500).contains(&n) {
        return Err(format!("{flag} takes 1 to 500, not {n}"));
    }
    Ok(n)
}

/// A task id: not empty.
pub fn task_id(v: &str, _flag: &str) -> Result<String, String> {
    if v.trim().is_empty() {
        return Err("the task id is empty".to_owned());
    }
    Ok(v.to_owned())
}

/// `--api-key-env`: the name of a variable, not its value.
pub fn env_name(v: &str, flag: &str) -> Result<String, String> {
    if v.is_empty() || v.contains('=') {
        return Err(format!(
            "{flag} takes the NAME of an environment variable, such as MY_SEEDANCE_KEY (got {v:?})"
        ));
    }
    Ok(v.to_owned())
}
