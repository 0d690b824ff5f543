//! Who is calling: the visitor's client id (a random value the page sends as
//! `X-Client-Id`, with the client's `with_header`), and the key the limits count by.

use crate::config::LimitBy;

/// The header that carries the client id.
pub const CLIENT_ID_HEADER: &str = "X-Client-Id";

/// Whether a client id is usable: 16..=128 characters of `A-Z a-z 0-9 - _ .`, so that a
/// guessable one (`1`, `test`) is refused and it is safe to hash, log by digest and use
/// as a storage name.
///
/// ```
/// use seedance_worker::visitor::client_id_ok;
/// assert!(client_id_ok("c-3f9a1b2c4d5e6f708192a3b4"));
/// assert!(!client_id_ok("alice"));
/// ```
pub fn client_id_ok(id: &str) -> bool {
    (16..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

/// The name the rate limit and the daily budget count under.
pub fn limit_key(by: LimitBy, client: &str, ip: Option<&str>) -> String {
    match (by, ip.map(str::trim).filter(|ip| !ip.is_empty())) {
        (LimitBy::Ip, Some(ip)) => format!("ip:{ip}"),
        _ => format!("client:{client}"),
    }
}

/// A short digest of a client id for log lines (the id itself is a bearer of the
/// visitor's tasks, so it is not logged).
pub fn log_tag(client: &str) -> String {
    // FNV-1a, 32 bits: enough to tell visitors apart in a log.
    let h = client.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ b as u32).wrapping_mul(0x0100_0193)
    });
    format!("{h:08x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_count_by_ip_where_there_is_one() {
        let c = "0123456789abcdef";
        assert_eq!(
            limit_key(LimitBy::Ip, c, Some("203.0.113.9")),
            "ip:203.0.113.9"
        );
        assert_eq!(limit_key(LimitBy::Ip, c, None), format!("client:{c}"));
        assert_eq!(
            limit_key(LimitBy::Client, c, Some("203.0.113.9")),
            format!("client:{c}")
        );
        assert_eq!(log_tag(c).len(), 8);
        assert!(!client_id_ok("0123456789abcde/"));
    }
}
