//! Signed result URLs in the style of the object store (TOS): sign and verify.
//!
//! The signature is HMAC-SHA256 over the algorithm, date, lifetime and path, keyed per run,
//! so a URL can't be forged or altered and stops working `X-Tos-Expires` seconds after
//! `X-Tos-Date`.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::clock;

/// The `X-Tos-Algorithm` value.
pub const ALGORITHM: &str = "TOS4-HMAC-SHA256";

/// Why a signed-URL request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denied {
    /// A query signature is missing or incomplete.
    Unsigned,
    /// The signature does not match the URL.
    BadSignature,
    /// `X-Tos-Date` + `X-Tos-Expires` is in the past.
    Expired,
}

/// Signs and checks media URLs with one secret key.
#[derive(Clone)]
pub struct Signer {
    key: Vec<u8>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer(…)")
    }
}

impl Signer {
    /// A signer with `key`, or a random key when `None`.
    pub fn new(key: Option<Vec<u8>>) -> Self {
        let key = key.unwrap_or_else(|| (0..32).map(|_| fastrand::u8(..)).collect());
        Self { key }
    }

    fn signature(&self, path: &str, date: &str, expires: &str) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key)
            .expect("HMAC takes any key length");
        mac.update(format!("{ALGORITHM}\n{date}\n{expires}\n{path}").as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The query string (without `?`) that signs `path` at `now_secs` for `ttl_secs`.
    pub fn query(&self, path: &str, now_secs: u64, ttl_secs: u64) -> String {
        let date = clock::tos_date(now_secs);
        let expires = ttl_secs.to_string();
        let credential = format!(
            "AKLTsimulator%2F{}%2Fcn-beijing%2Ftos%2Frequest",
            &date[..8]
        );
        format!(
            "X-Tos-Algorithm={ALGORITHM}&X-Tos-Credential={credential}&X-Tos-Date={date}&X-Tos-Expires={expires}&X-Tos-SignedHeaders=host&X-Tos-Signature={}",
            self.signature(path, &date, &expires)
        )
    }

    /// Check the query parameters of a request for `path` at `now_secs`.
    pub fn verify(
        &self,
        path: &str,
        query: &[(String, String)],
        now_secs: u64,
    ) -> Result<(), Denied> {
        let get = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        let (Some(alg), Some(date), Some(expires), Some(sig)) = (
            get("X-Tos-Algorithm"),
            get("X-Tos-Date"),
            get("X-Tos-Expires"),
            get("X-Tos-Signature"),
        ) else {
            return Err(Denied::Unsigned);
        };
        if alg != ALGORITHM
            || !constant_time_eq(
                sig.as_bytes(),
                self.signature(path, date, expires).as_bytes(),
            )
        {
            return Err(Denied::BadSignature);
        }
        let (Some(signed_at), Ok(ttl)) = (clock::parse_tos_date(date), expires.parse::<u64>())
        else {
            return Err(Denied::BadSignature);
        };
        // Valid for `ttl` whole seconds after signing: with a lifetime of 0 a URL is dead at once.
        if now_secs >= signed_at.saturating_add(ttl) {
            return Err(Denied::Expired);
        }
        Ok(())
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &str) -> Vec<(String, String)> {
        form_urlencoded::parse(q.as_bytes()).into_owned().collect()
    }

    #[test]
    fn signs_and_verifies() {
        let s = Signer::new(Some(b"k".to_vec()));
        let q = parse(&s.query("/tos/a.mp4", 1000, 60));
        assert_eq!(s.verify("/tos/a.mp4", &q, 1000), Ok(()));
        assert_eq!(s.verify("/tos/a.mp4", &q, 1059), Ok(()));
        assert_eq!(s.verify("/tos/a.mp4", &q, 1060), Err(Denied::Expired));
        assert_eq!(s.verify("/tos/b.mp4", &q, 1000), Err(Denied::BadSignature));
        assert_eq!(s.verify("/tos/a.mp4", &q[..2], 1000), Err(Denied::Unsigned));
        let other = Signer::new(Some(b"other".to_vec()));
        assert_eq!(
            other.verify("/tos/a.mp4", &q, 1000),
            Err(Denied::BadSignature)
        );
        // Stretching the lifetime breaks the signature.
        let stretched: Vec<_> = q
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    if k == "X-Tos-Expires" {
                        "999999".into()
                    } else {
                        v.clone()
                    },
                )
            })
            .collect();
        assert_eq!(
            s.verify("/tos/a.mp4", &stretched, 1000),
            Err(Denied::BadSignature)
        );
    }
}
