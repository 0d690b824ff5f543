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
        // Under a second: milliseconds fit a u64 (u128's formatter costs the wasm 1.5 KB).
        format!("{} ms", d.as_millis() as u64)
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

/// `s` as `f64`, as `str::parse::<f64>` reads it (`5`, `-1.5`, `.5`, `2e3`, `inf`, `NaN`;
/// no spaces). On wasm32 the JS engine converts the digits once Rust's grammar has
/// checked them (both round correctly, so the values are equal): core's float parser and
/// its tables cost the wasm about 12 KB.
///
/// ```
/// use seedance::numfmt::parse_f64;
/// assert_eq!(parse_f64("2.5"), Some(2.5));
/// assert_eq!(parse_f64(".5e1"), Some(5.0));
/// assert_eq!(parse_f64("1,5"), None);
/// ```
pub fn parse_f64(s: &str) -> Option<f64> {
    #[cfg(target_arch = "wasm32")]
    {
        let body = s.strip_prefix(['+', '-']).unwrap_or(s);
        let negative = s.starts_with('-');
        let special = match body.to_ascii_lowercase().as_str() {
            "inf" | "infinity" => Some(f64::INFINITY),
            "nan" => Some(f64::NAN),
            _ => None,
        };
        if let Some(x) = special {
            return Some(if negative { -x } else { x });
        }
        is_decimal(body).then(|| js_sys::Number::parse_float(s))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        s.parse().ok()
    }
}

/// Whether `s` is `digits[.digits][e[+-]digits]` with a digit before or after the point
/// (Rust's float grammar without sign and specials).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn is_decimal(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let int = digits(0);
    let mut at = int;
    let mut frac = 0;
    if b.get(at) == Some(&b'.') {
        frac = digits(at + 1);
        at += 1 + frac;
    }
    if int + frac == 0 {
        return false;
    }
    if matches!(b.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(b.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let exp = digits(at);
        if exp == 0 {
            return false;
        }
        at += exp;
    }
    at == b.len()
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

    /// The grammar wasm32 checks before handing the digits to the JS engine accepts
    /// exactly what Rust's parser accepts (signs and `inf`/`nan` aside, handled apart).
    #[test]
    #[cfg(not(target_arch = "wasm32"))] // proptest needs OS randomness
    fn decimal_grammar_is_rusts() {
        use proptest::prelude::*;
        let mut runner = proptest::test_runner::TestRunner::default();
        let text = prop_oneof![
            "[0-9.eE+-]{0,8}",
            "[0-9]{0,3}(\\.[0-9]{0,3})?([eE][+-]?[0-9]{0,3})?",
            "[ 0-9a-z.+_-]{0,6}",
        ];
        runner
            .run(&text, |s| {
                let body = s.strip_prefix(['+', '-']).unwrap_or(&s);
                let special =
                    ["inf", "infinity", "nan"].contains(&body.to_ascii_lowercase().as_str());
                let rust = s.parse::<f64>().is_ok();
                prop_assert_eq!(special || is_decimal(body), rust, "{:?}", s);
                Ok(())
            })
            .unwrap();
    }
}
