//! Numbers and names for people: sizes, money, the estimate, times, model names. Decimals
//! come from `seedance::numfmt` (integer arithmetic: the float formatter costs ~10 KB of
//! wasm), so a number reads the same here as in the CLI.

use seedance::numfmt::{fixed, group};
use seedance::{Estimate, Model, PriceEstimate, Resolution};

/// `n` things, the noun as many as `n` says: "1 shot", "3 shots", "1,234 characters".
///
/// ```
/// use seedance_playground::words::count;
/// assert_eq!(count(1, "shot", "shots"), "1 shot");
/// assert_eq!(count(1234, "character", "characters"), "1,234 characters");
/// ```
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", group(n), if n == 1 { one } else { many })
}

/// Bytes for people: "47.1 KB".
pub fn human_bytes(n: u64) -> String {
    match n {
        0..1024 => format!("{n} B"),
        1024..1_048_576 => format!("{} KB", fixed(n as f64 / 1024.0, 1)),
        _ => format!("{} MB", fixed(n as f64 / 1_048_576.0, 1)),
    }
}

/// An amount with two decimals, rounded half up, thousands grouped: 1234.5 → "1,234.50".
pub fn two_decimals(x: f64) -> String {
    let cents = (x * 100.0 + 0.5) as u64;
    format!("{}.{:02}", group(cents / 100), cents % 100)
}

/// The money estimate in words: "≈ 4.03 USD" or "3.50 – 13.20 USD".
pub fn money_text(p: &PriceEstimate) -> String {
    let unit = if p.currency.is_empty() {
        String::new()
    } else {
        format!(" {}", p.currency)
    };
    let (min, max) = (two_decimals(p.min), two_decimals(p.max));
    if min == max {
        format!("≈ {max}{unit}")
    } else {
        format!("{min} – {max}{unit}")
    }
}

/// The estimate in words, with money when a price applies.
pub fn estimate_text(e: &Estimate) -> String {
    let tokens = if e.tokens_min == e.tokens_max {
        format!("≈ {} tokens", group(e.tokens_max))
    } else {
        format!(
            "{} – {} tokens (the model picks {}–{} s)",
            group(e.tokens_min),
            group(e.tokens_max),
            e.seconds_min,
            e.seconds_max
        )
    };
    match &e.price {
        Some(p) => format!("{tokens} · {}", money_text(p)),
        None => tokens,
    }
}

/// A model's name for people.
pub fn model_label(model: &Model) -> String {
    match model {
        Model::Standard => "2.0 standard".to_owned(),
        Model::Fast => "2.0 fast".to_owned(),
        Model::Other(id) => id.clone(),
    }
}

/// Why a resolution is not offered for a model, if it is not.
pub fn resolution_note(model: &Model, resolution: &Resolution) -> Option<String> {
    (!model.resolutions().contains(resolution)).then(|| {
        format!(
            "{} renders up to 720p: 1080p needs the standard model",
            model_label(model)
        )
    })
}

/// Elapsed milliseconds as a clock: "4.2 s" (tenths, cut not rounded), then "1:05".
pub fn secs(ms: f64) -> String {
    let s = (ms / 1000.0).max(0.0);
    if s < 60.0 {
        format!("{} s", fixed((s * 10.0).floor() / 10.0, 1))
    } else {
        format!("{}:{:02}", (s / 60.0) as u64, (s as u64) % 60)
    }
}

/// A time left: "2 h 5 min", "3 min 20 s", "45 s", or "expired".
pub fn duration_words(secs: i64) -> String {
    if secs <= 0 {
        return "expired".into();
    }
    let (h, m) = (secs / 3600, (secs % 3600) / 60);
    if h > 0 {
        format!("{h} h {m} min")
    } else if m > 0 {
        format!("{m} min {} s", secs % 60)
    } else {
        format!("{secs} s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_with_one_rounded_decimal() {
        assert_eq!(human_bytes(900), "900 B");
        assert_eq!(human_bytes(48_230), "47.1 KB");
        assert_eq!(human_bytes(1_048_576 * 30 - 1), "30.0 MB");
    }

    #[test]
    fn clocks_and_times_left() {
        assert_eq!(secs(4_290.0), "4.2 s");
        assert_eq!(secs(300.0), "0.3 s");
        assert_eq!(secs(-5.0), "0.0 s");
        assert_eq!(secs(65_000.0), "1:05");
        assert_eq!(duration_words(0), "expired");
        assert_eq!(duration_words(45), "45 s");
        assert_eq!(duration_words(200), "3 min 20 s");
        assert_eq!(duration_words(7_500), "2 h 5 min");
    }
}
