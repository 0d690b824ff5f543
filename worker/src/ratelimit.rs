//! The per-client limit on creates: at most `limit` in any `window` (a sliding log of
//! the last `limit` times, so a burst at a window's edge can't double it).
//!
//! Pure: the log is kept in the client's records ([`crate::records`]: a Durable Object, or the
//! isolate's memory), or the
//! whole job is left to Cloudflare's rate-limiting binding when one is bound.

use serde::{Deserialize, Serialize};

/// Creates allowed per window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Creates per window; 0 means no limit.
    pub limit: u32,
    /// The window, milliseconds.
    pub window_ms: u64,
}

impl Default for RateLimit {
    /// 5 creates per minute.
    fn default() -> Self {
        RateLimit {
            limit: 5,
            window_ms: 60_000,
        }
    }
}

impl RateLimit {
    /// Parse `N/<duration>` with a duration in `ms`, `s`, `m` or `h` (`5/60s`, `100/1h`);
    /// `0` or `off` for none.
    ///
    /// ```
    /// use seedance_worker::ratelimit::RateLimit;
    /// assert_eq!(RateLimit::parse("3/10s"), Some(RateLimit { limit: 3, window_ms: 10_000 }));
    /// assert_eq!(RateLimit::parse("off").map(|r| r.limit), Some(0));
    /// assert_eq!(RateLimit::parse("3 per day"), None);
    /// ```
    pub fn parse(s: &str) -> Option<RateLimit> {
        let s = s.trim();
        if s == "0" || s.eq_ignore_ascii_case("off") {
            return Some(RateLimit {
                limit: 0,
                window_ms: 1,
            });
        }
        let (n, window) = s.split_once('/')?;
        let limit = n.trim().parse().ok()?;
        let window = window.trim();
        let split = window.find(|c: char| !c.is_ascii_digit())?;
        let (num, unit) = window.split_at(split);
        let num: u64 = num.parse().ok()?;
        let factor = match unit {
            "ms" => 1,
            "s" => 1000,
            "m" => 60_000,
            "h" => 3_600_000,
            _ => return None,
        };
        (num > 0).then_some(RateLimit {
            limit,
            window_ms: num * factor,
        })
    }
}

/// The times of the recent creates of one client, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Log(pub Vec<u64>);

impl Log {
    /// Record a create at `now_ms` if the limit allows it: `Ok(())`, or `Err(wait_ms)` until
    /// one is allowed again (nothing recorded).
    ///
    /// ```
    /// use seedance_worker::ratelimit::{Log, RateLimit};
    /// let rate = RateLimit { limit: 2, window_ms: 1000 };
    /// let mut log = Log::default();
    /// assert!(log.hit(&rate, 0).is_ok());
    /// assert!(log.hit(&rate, 100).is_ok());
    /// assert_eq!(log.hit(&rate, 500), Err(500));
    /// assert!(log.hit(&rate, 1000).is_ok());
    /// ```
    pub fn hit(&mut self, rate: &RateLimit, now_ms: u64) -> Result<(), u64> {
        if rate.limit == 0 {
            return Ok(());
        }
        self.0
            .retain(|&t| t + rate.window_ms > now_ms && t <= now_ms);
        if self.0.len() >= rate.limit as usize {
            let oldest = self.0[self.0.len() - rate.limit as usize];
            return Err((oldest + rate.window_ms).saturating_sub(now_ms).max(1));
        }
        self.0.push(now_ms);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trips_and_recovers() {
        let rate = RateLimit {
            limit: 3,
            window_ms: 10_000,
        };
        let mut log = Log::default();
        for t in [0, 1, 2] {
            assert!(log.hit(&rate, t).is_ok());
        }
        assert_eq!(log.hit(&rate, 5_000), Err(5_000));
        assert_eq!(log.0.len(), 3, "a refused create is not recorded");
        assert!(log.hit(&rate, 10_000).is_ok());
        assert_eq!(log.hit(&rate, 10_000), Err(1));
    }

    #[test]
    fn off_means_no_limit() {
        let rate = RateLimit::parse("0").unwrap();
        let mut log = Log::default();
        assert!((0..100).all(|t| log.hit(&rate, t).is_ok()));
        assert!(log.0.is_empty());
    }
}
