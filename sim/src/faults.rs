//! Per-run fault injection: what can go wrong, on which requests, how many times.
//!
//! A fault is a [`FaultSpec`]: a kind, a scope (`on`), and a count (`times`: the next N
//! matching requests; `every`: every Nth matching one; neither: every matching request).
//! Faults are tried in order; the first that fires decides a request's fate, so a test
//! can predict exactly which request fails. Per-task faults (`[fail]`, `[queued]`, …) are
//! prompt markers handled by the task store instead.
//!
//! This module holds the active faults and their counters; `spec` says what a fault is and
//! parses its text and JSON forms (CLI `--fault`, env `SEEDANCE_SIM_FAULTS` split on `;`):
//! `KIND[=VALUE][,on=SCOPE][,times=N][,every=N]`, e.g. `429=2,times=3,on=create`.

mod spec;

pub use spec::{FaultJson, FaultKind, FaultSpec, RouteKind, Scope};

use spec::scope_name;

/// What the fault layer must do before handling a request.
#[derive(Debug, Default)]
pub struct Before {
    /// Wait this long after handling, before answering.
    pub delay_ms: u64,
    /// Answer with this fault instead of handling the request.
    pub terminal: Option<FaultKind>,
}

/// A fault with its counters.
#[derive(Debug, Clone)]
struct Armed {
    spec: FaultSpec,
    seen: u64,
    fired: u32,
}

impl Armed {
    /// Count a matching request; say whether the fault fires on it.
    fn trigger(&mut self) -> bool {
        if self.spec.times.is_some_and(|t| self.fired >= t) {
            return false;
        }
        self.seen += 1;
        let fires = self
            .spec
            .every
            .is_none_or(|n| self.seen.is_multiple_of(u64::from(n)));
        if fires {
            self.fired += 1;
        }
        fires
    }
}

/// The active faults of a run, with counters.
#[derive(Debug, Default)]
pub struct Faults {
    armed: Vec<Armed>,
}

impl Faults {
    /// Start with `specs`, counters at zero.
    pub fn new(specs: &[FaultSpec]) -> Self {
        let mut f = Self::default();
        f.replace(specs);
        f
    }

    /// Replace every fault (counters restart).
    pub fn replace(&mut self, specs: &[FaultSpec]) {
        self.armed = specs
            .iter()
            .cloned()
            .map(|spec| Armed {
                spec,
                seen: 0,
                fired: 0,
            })
            .collect();
    }

    /// Decide what happens before a request to `route` is handled.
    pub fn before(&mut self, route: RouteKind) -> Before {
        let mut out = Before::default();
        for a in &mut self.armed {
            if !a.spec.on.covers(route) {
                continue;
            }
            match a.spec.kind.clone() {
                FaultKind::Slow { ms } if a.trigger() => out.delay_ms += ms,
                kind @ (FaultKind::RateLimit { .. } | FaultKind::Status(_) | FaultKind::Drop)
                    if out.terminal.is_none() && a.trigger() =>
                {
                    out.terminal = Some(kind);
                }
                _ => {}
            }
        }
        out
    }

    /// Decide what happens to a successful (2xx) answer to `route`.
    pub fn after(&mut self, route: RouteKind) -> Option<FaultKind> {
        for a in &mut self.armed {
            if !a.spec.on.covers(route) {
                continue;
            }
            let applies = match &a.spec.kind {
                FaultKind::LostCreate => route == RouteKind::Create,
                FaultKind::Malformed => matches!(route, RouteKind::Get | RouteKind::List),
                FaultKind::UnknownStatus(_) => matches!(route, RouteKind::Get | RouteKind::List),
                _ => false,
            };
            if applies && a.trigger() {
                return Some(a.spec.kind.clone());
            }
        }
        None
    }

    /// The faults and their counters, for `GET /_sim/faults`.
    pub fn describe(&self) -> serde_json::Value {
        serde_json::Value::Array(
            self.armed
                .iter()
                .map(|a| {
                    serde_json::json!({
                        "spec": a.spec.to_string(),
                        "kind": a.spec.kind.name(),
                        "on": scope_name(a.spec.on),
                        "times": a.spec.times,
                        "every": a.spec.every,
                        "matched": a.seen,
                        "fired": a.fired,
                        "remaining": a.spec.times.map(|t| t.saturating_sub(a.fired)),
                    })
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_every_count_matching_requests_only() {
        let mut f = Faults::new(&[
            "503,times=2".parse().unwrap(),
            "drop,every=3,on=delete".parse().unwrap(),
        ]);
        // A create is outside `get`: not counted.
        assert!(f.before(RouteKind::Create).terminal.is_none());
        assert_eq!(
            f.before(RouteKind::Get).terminal,
            Some(FaultKind::Status(503))
        );
        assert_eq!(
            f.before(RouteKind::List).terminal,
            Some(FaultKind::Status(503))
        );
        assert!(f.before(RouteKind::Get).terminal.is_none());
        let fired: Vec<bool> = (0..6)
            .map(|_| f.before(RouteKind::Delete).terminal.is_some())
            .collect();
        assert_eq!(fired, [false, false, true, false, false, true]);
    }

    #[test]
    fn first_firing_fault_wins() {
        let mut f = Faults::new(&[
            "429=5,times=1".parse().unwrap(),
            "500,on=api".parse().unwrap(),
        ]);
        assert_eq!(
            f.before(RouteKind::Get).terminal,
            Some(FaultKind::RateLimit { retry_after: 5 })
        );
        assert_eq!(
            f.before(RouteKind::Get).terminal,
            Some(FaultKind::Status(500))
        );
    }
}
