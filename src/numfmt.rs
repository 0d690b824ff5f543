//! Numbers for people without `core`'s float formatter, which costs the wasm build about
//! 15 KB: fixed decimals by integer arithmetic are all our messages need. The faces (CLI,
//! playground) use the same functions, so a number reads the same everywhere.

use core::time::Duration;

/// `value` with exactly `decimals` digits after the point (at most 6), rounded half up;
/// `?` for NaN and infinities.
///
/// ```
/// assert_eq!(seedance::numfmt::fixed(0.385, 2), "0.39");
/// ```
pub fn fixed(value: f64, decimals: u32) -> String {
    let decimals = decimals.min(6);
    if !value.is_finite() {
        return "?".to_owned();
    }
    let scale = 10u64.pow(decimals);
    let scaled = (value.abs() * scale as f64 + 0.5) as u64;
    let sign = if value < 0.0 && scaled > 0 { "-" } else { "" };
    let (int, frac) = (scaled / scale, scaled % scale);
    if decimals == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac:0width$}", width = decimals as usize)
    }
}

/// `value` with up to three decimals and no trailing zeros: `0.4`, `2.5`, `15`.
///
/// ```
/// assert_eq!(seedance::numfmt::short(2.50), "2.5");
/// ```
pub fn short(value: f64) -> String {
    let s = fixed(value, 3);
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// A duration for people: `850 ms`, `1.5 s`, `90.0 s`.
///
/// ```
/// assert_eq!(seedance::numfmt::duration(std::time::Duration::from_millis(1500)), "1.5 s");
/// ```
pub fn duration(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else {
        format!("{} s", fixed(d.as_secs_f64(), 1))
    }
}

/// Thousands separators: `108900` → `108,900`.
///
/// ```
/// assert_eq!(seedance::numfmt::group(1_234_567), "1,234,567");
/// ```
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(fixed(2.6, 2), "2.60");
        assert_eq!(fixed(0.385, 2), "0.39");
        assert_eq!(fixed(18.0, 1), "18.0");
        assert_eq!(fixed(63.99, 0), "64");
        assert_eq!(fixed(-1.25, 1), "-1.3");
        assert_eq!(fixed(f64::NAN, 1), "?");
        assert_eq!(short(0.4), "0.4");
        assert_eq!(short(15.0), "15");
        assert_eq!(short(2.5), "2.5");
        assert_eq!(duration(Duration::from_millis(850)), "850 ms");
        assert_eq!(duration(Duration::from_millis(1500)), "1.5 s");
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(108_900), "108,900");
    }
}
