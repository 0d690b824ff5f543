//! Identifier shapes: task ids like the real service's and request ids for `X-Request-Id`.

use crate::clock;

const ALNUM_LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// A task id `cgt-YYYYMMDDHHMMSS-xxxxx` (Beijing time, 5 lowercase alphanumerics).
pub fn task_id(unix_secs: u64) -> String {
    let suffix: String = (0..5)
        .map(|_| ALNUM_LOWER[fastrand::usize(..ALNUM_LOWER.len())] as char)
        .collect();
    format!("cgt-{}-{}", clock::beijing_compact(unix_secs), suffix)
}

/// Whether `s` has the shape of a task id this simulator hands out.
pub fn is_task_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 24
        && s.starts_with("cgt-")
        && b[4..18].iter().all(u8::is_ascii_digit)
        && b[18] == b'-'
        && b[19..]
            .iter()
            .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase())
}

/// A request id: UTC timestamp plus random hex, the way Ark's ids read.
pub fn request_id() -> String {
    let now = clock::now_secs();
    let d = clock::tos_date(now);
    let stamp: String = d.chars().filter(char::is_ascii_digit).collect();
    format!("{stamp}{:016x}", fastrand::u64(..))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_ids_have_the_real_shape() {
        let id = task_id(1_780_732_857);
        assert!(id.starts_with("cgt-20260606160057-"), "{id}");
        assert!(is_task_id(&id), "{id}");
        assert!(is_task_id("cgt-20260606160057-6bbjd"));
        assert!(!is_task_id("cgt-20260606160057-6BBJD"));
        assert!(!is_task_id("cgt-2026060616005-6bbjd0"));
    }
}
