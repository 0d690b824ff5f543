//! The per-account create rate: at most N creates per key and model in any sliding window.
//!
//! Each accepted create is remembered (key, model, time); a create that would make N + 1 in
//! the last window is refused with the number of whole seconds until the oldest one that
//! matters leaves the window, so a create retried after `Retry-After` succeeds (unless
//! other creates took the place in between). Refused creates are not counted.

use std::collections::{HashMap, VecDeque};

/// Accepted creates per (key, model), oldest first.
#[derive(Debug, Default)]
pub struct CreateRate {
    log: HashMap<(String, String), VecDeque<u64>>,
}

impl CreateRate {
    /// Admit a create by `key` on `model` at `now_ms` under `limit` creates per `window_ms`
    /// (`None`: no limit), or say after how many seconds one would be admitted.
    pub fn admit(
        &mut self,
        key: &str,
        model: &str,
        now_ms: u64,
        limit: Option<u32>,
        window_ms: u64,
    ) -> Result<(), u64> {
        let log = self
            .log
            .entry((key.to_owned(), model.to_owned()))
            .or_default();
        // Entries at or before now - window are out of the window.
        while log.front().is_some_and(|&t| t + window_ms <= now_ms) {
            log.pop_front();
        }
        if let Some(limit) = limit {
            let limit = limit as usize;
            if log.len() >= limit {
                // Admitted once all but limit - 1 entries have left: when entry
                // `len - limit` (0-based) leaves.
                let frees_at = log[log.len() - limit] + window_ms;
                return Err((frees_at - now_ms).div_ceil(1000).max(1));
            }
        }
        log.push_back(now_ms);
        Ok(())
    }

    /// Forget every create.
    pub fn clear(&mut self) {
        self.log.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sliding_window_per_key_and_model() {
        let mut r = CreateRate::default();
        let at = |r: &mut CreateRate, key, model, t| r.admit(key, model, t, Some(2), 60_000);
        assert_eq!(at(&mut r, "k", "m", 1_000), Ok(()));
        assert_eq!(at(&mut r, "k", "m", 30_500), Ok(()));
        // The third within the minute waits until the first leaves at 61_000.
        assert_eq!(at(&mut r, "k", "m", 40_000), Err(21));
        assert_eq!(at(&mut r, "k", "m", 60_999), Err(1));
        assert_eq!(at(&mut r, "k", "other-model", 40_000), Ok(()));
        assert_eq!(at(&mut r, "other-key", "m", 40_000), Ok(()));
        assert_eq!(at(&mut r, "k", "m", 61_000), Ok(()));
        // Now 30_500 and 61_000 are in the window: the next place frees at 90_500.
        assert_eq!(at(&mut r, "k", "m", 61_001), Err(30));
        assert_eq!(r.admit("k", "m", 61_002, None, 60_000), Ok(()), "no limit");
    }
}
