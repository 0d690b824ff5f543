//! `Idempotency-Key` on creates: the first create with a key is forwarded and its task id
//! kept; a repeat gets the same task instead of a new paid one. This is also how a visitor
//! recovers the id of a create whose answer was lost.
//!
//! Pure: the records live in [`crate::records`] (a Durable Object, or the isolate's memory).

use serde::{Deserialize, Serialize};

/// How long a finished record is kept: a day (task ids live 7 days upstream).
pub const KEEP_MS: u64 = 24 * 3600 * 1000;
/// How long a create in flight holds its key before a repeat may try again (a create
/// that never finished, e.g. an isolate that died mid-request).
pub const PENDING_MS: u64 = 120 * 1000;

/// What is known about one key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Record {
    /// A create with this key is in flight.
    Pending {
        /// When it started, ms.
        at: u64,
    },
    /// The create made this task (the account's id, never shown as such).
    Created {
        /// The upstream task id.
        id: String,
        /// When, ms.
        at: u64,
    },
    /// The create may or may not have made a task (a 5xx or a lost answer): a repeat must
    /// not create again.
    Unknown {
        /// When, ms.
        at: u64,
    },
}

impl Record {
    fn at(&self) -> u64 {
        match self {
            Record::Pending { at } | Record::Created { at, .. } | Record::Unknown { at } => *at,
        }
    }

    /// Whether the record still holds at `now_ms`.
    pub fn live(&self, now_ms: u64) -> bool {
        let keep = match self {
            Record::Pending { .. } => PENDING_MS,
            _ => KEEP_MS,
        };
        now_ms < self.at().saturating_add(keep)
    }
}

/// Start a create with a key: `Ok(pending record to store)` when it may go ahead, or
/// `Err(the live record)` when an earlier create with this key decides the answer.
///
/// ```
/// use seedance_worker::idempotency::{begin, Record};
/// let first = begin(None, 0).unwrap();
/// assert_eq!(begin(Some(&first), 10), Err(first.clone()));
/// let done = Record::Created { id: "cgt-1".into(), at: 20 };
/// assert_eq!(begin(Some(&done), 30), Err(done.clone()));
/// ```
pub fn begin(existing: Option<&Record>, now_ms: u64) -> Result<Record, Record> {
    match existing {
        Some(r) if r.live(now_ms) => Err(r.clone()),
        _ => Ok(Record::Pending { at: now_ms }),
    }
}

/// Whether an `Idempotency-Key` value is usable: 1..=255 printable ASCII, no spaces.
pub fn key_ok(key: &str) -> bool {
    (1..=255).contains(&key.len()) && key.bytes().all(|b| (0x21..0x7f).contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_expire() {
        let pending = begin(None, 0).unwrap();
        assert!(begin(Some(&pending), PENDING_MS - 1).is_err());
        assert!(begin(Some(&pending), PENDING_MS).is_ok());
        let unknown = Record::Unknown { at: 0 };
        assert!(begin(Some(&unknown), KEEP_MS - 1).is_err());
        assert!(begin(Some(&unknown), KEEP_MS).is_ok());
    }

    #[test]
    fn keys_are_printable_ascii() {
        assert!(key_ok("seedance-0123abcd"));
        assert!(!key_ok(""));
        assert!(!key_ok("a b"));
        assert!(!key_ok(&"x".repeat(256)));
    }
}
