//! Opaque task ids: what a visitor sees instead of the account's ids.
//!
//! A wrapped id is `cgt-<base64url(id)>.<base64url(HMAC-SHA256(secret, client ‖ id))[..16 bytes]>`:
//! it names the task and proves that this client id created it. The Worker hands out only
//! wrapped ids and accepts only wrapped ids that verify for the caller's client id, so a
//! visitor can't read or delete another's task, and no storage is needed. Every character
//! is URL-unreserved, so clients send it unencoded.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

const MAC_BYTES: usize = 16;
const DOMAIN: &[u8] = b"seedance-worker/task-id/v1\0";

/// The id-wrapping key when `ID_SECRET` is unset: an HMAC of a fixed label under the API
/// key (so ids stay valid as long as the key does, and the key itself is never the MAC key).
pub fn derive_secret(api_key: &str) -> Vec<u8> {
    let mut mac = HmacSha256::new_from_slice(api_key.as_bytes()).expect("any key length");
    mac.update(b"seedance-worker id secret");
    mac.finalize().into_bytes().to_vec()
}

fn mac(secret: &[u8], client: &str, id: &str) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret).expect("any key length");
    mac.update(DOMAIN);
    mac.update(&(client.len() as u64).to_be_bytes());
    mac.update(client.as_bytes());
    mac.update(id.as_bytes());
    mac
}

/// Wrap a task id for a client.
///
/// ```
/// use seedance_worker::ids::{unwrap, wrap};
/// let w = wrap(b"secret", "client-a", "cgt-20260606160057-6bbjd");
/// assert!(w.starts_with("cgt-"));
/// assert_eq!(unwrap(b"secret", "client-a", &w).as_deref(), Some("cgt-20260606160057-6bbjd"));
/// assert_eq!(unwrap(b"secret", "client-b", &w), None);
/// ```
pub fn wrap(secret: &[u8], client: &str, id: &str) -> String {
    let tag = mac(secret, client, id).finalize().into_bytes();
    format!(
        "cgt-{}.{}",
        B64.encode(id.as_bytes()),
        B64.encode(&tag[..MAC_BYTES])
    )
}

/// The task id inside a wrapped id, if it was wrapped for this client under this secret.
pub fn unwrap(secret: &[u8], client: &str, wrapped: &str) -> Option<String> {
    let (id, tag) = split(wrapped)?;
    if tag.len() != MAC_BYTES {
        return None;
    }
    mac(secret, client, &id)
        .verify_truncated_left(&tag)
        .ok()
        .map(|()| id)
}

/// The task id inside a wrapped id, **unverified**: only for a wrapped id whose origin is
/// proven otherwise (a media link's signature covers the whole wrapped id).
///
/// ```
/// use seedance_worker::ids::{unverified, wrap};
/// assert_eq!(unverified(&wrap(b"k", "client-a", "cgt-1")).as_deref(), Some("cgt-1"));
/// assert_eq!(unverified("cgt-1"), None);
/// ```
pub fn unverified(wrapped: &str) -> Option<String> {
    split(wrapped).map(|(id, _)| id)
}

/// The task id and the tag of a wrapped id.
fn split(wrapped: &str) -> Option<(String, Vec<u8>)> {
    let (id, tag) = wrapped.strip_prefix("cgt-")?.split_once('.')?;
    let id = String::from_utf8(B64.decode(id).ok()?).ok()?;
    Some((id, B64.decode(tag).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_bound_to_client_and_secret() {
        let w = wrap(b"k", "alice-0001", "cgt-1");
        assert_eq!(unwrap(b"k", "alice-0001", &w).as_deref(), Some("cgt-1"));
        assert_eq!(unwrap(b"k2", "alice-0001", &w), None);
        assert_eq!(unwrap(b"k", "bob-0000001", &w), None);
        // The raw id, a tampered id and a truncated tag are all refused.
        assert_eq!(unwrap(b"k", "alice-0001", "cgt-1"), None);
        let other = wrap(b"k", "alice-0001", "cgt-2");
        let (_, tag2) = other.split_once('.').unwrap();
        let (head, _) = w.split_once('.').unwrap();
        assert_eq!(unwrap(b"k", "alice-0001", &format!("{head}.{tag2}")), None);
        assert_eq!(unwrap(b"k", "alice-0001", &w[..w.len() - 2]), None);
    }

    #[test]
    fn wrapped_ids_are_url_safe() {
        let w = wrap(b"k", "c", "cgt-20260606160057-6bbjd/../?x");
        assert!(w
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b)));
        assert_eq!(
            unwrap(b"k", "c", &w).as_deref(),
            Some("cgt-20260606160057-6bbjd/../?x")
        );
    }

    #[test]
    fn client_and_id_boundaries_cannot_be_shifted() {
        // ("ab", "c") and ("a", "bc") must not share a tag.
        let a = wrap(b"k", "ab", "c");
        let (_, tag) = a.split_once('.').unwrap();
        let forged = format!("cgt-{}.{tag}", B64.encode("bc"));
        assert_eq!(unwrap(b"k", "a", &forged), None);
    }
}
