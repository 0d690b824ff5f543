//! Wall-clock helpers: unix time and the civil-date formats that ids and signed URLs use.
//!
//! Hand-rolled (Howard Hinnant's civil-from-days) to avoid a date crate for four formats.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the unix epoch.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Seconds since the unix epoch.
pub fn now_secs() -> u64 {
    now_ms() / 1000
}

/// A calendar date and time of day (no time zone attached).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    /// Full year, e.g. 2026.
    pub year: i64,
    /// 1..=12.
    pub month: u32,
    /// 1..=31.
    pub day: u32,
    /// 0..=23.
    pub hour: u32,
    /// 0..=59.
    pub minute: u32,
    /// 0..=59.
    pub second: u32,
}

/// Convert unix seconds (already shifted into the wanted zone) to a civil date.
pub fn civil(secs: i64) -> Civil {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400) as u32;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    Civil {
        year,
        month,
        day,
        hour: rem / 3600,
        minute: rem / 60 % 60,
        second: rem % 60,
    }
}

/// Convert a civil date (UTC) back to unix seconds.
pub fn unix_from_civil(c: Civil) -> i64 {
    let y = c.year - i64::from(c.month <= 2);
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(c.month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(c.day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400 + i64::from(c.hour) * 3600 + i64::from(c.minute) * 60 + i64::from(c.second)
}

/// `YYYYMMDDHHMMSS` in UTC+8: the real task ids carry Beijing time
/// (`cgt-20260606160057-…` was created at 08:00:57 UTC).
pub fn beijing_compact(unix_secs: u64) -> String {
    let c = civil(unix_secs as i64 + 8 * 3600);
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// `YYYYMMDDTHHMMSSZ` in UTC, the `X-Tos-Date` format.
pub fn tos_date(unix_secs: u64) -> String {
    let c = civil(unix_secs as i64);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// Parse an `X-Tos-Date` value back to unix seconds; `None` when malformed.
pub fn parse_tos_date(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let c = Civil {
        year: i64::from(digits(0..4)?),
        month: digits(4..6)?,
        day: digits(6..8)?,
        hour: digits(9..11)?,
        minute: digits(11..13)?,
        second: digits(13..15)?,
    };
    if !(1..=12).contains(&c.month)
        || !(1..=31).contains(&c.day)
        || c.hour > 23
        || c.minute > 59
        || c.second > 60
    {
        return None;
    }
    u64::try_from(unix_from_civil(c)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_sample_id_time_is_beijing_time() {
        // The real sample: id cgt-20260606160057-6bbjd, created_at 1780732857.
        assert_eq!(beijing_compact(1_780_732_857), "20260606160057");
    }

    #[test]
    fn tos_date_round_trips() {
        for t in [0u64, 951_782_400, 1_780_732_857, 4_102_444_799] {
            assert_eq!(parse_tos_date(&tos_date(t)), Some(t), "{t}");
        }
        assert_eq!(tos_date(1_780_732_857), "20260606T080057Z");
        assert_eq!(parse_tos_date("20260606T080057"), None);
        assert_eq!(parse_tos_date("2026-606T080057Z"), None);
    }
}
