//! Cross-origin rules: which page origins may call the Worker, and the headers they get.
//!
//! An origin not on the list gets no CORS headers at all, and its requests are refused
//! before anything is forwarded (a `text/plain` POST needs no preflight, so leaving the
//! headers out alone would still let another site spend the owner's balance).

/// Request headers a page may send (the client's `with_header` / `with_idempotency`, and
/// `Range` for media).
pub const ALLOW_HEADERS: &str =
    "Content-Type, Accept, X-Client-Id, Idempotency-Key, X-Proxy-Token, Range";
/// Methods of the task and media routes.
pub const ALLOW_METHODS: &str = "GET, HEAD, POST, DELETE, OPTIONS";
/// Answer headers a page may read (the last three: a media answer's, for ranges).
pub const EXPOSE_HEADERS: &str =
    "Retry-After, X-Request-Id, Idempotent-Replayed, Content-Length, Content-Range, Accept-Ranges";
/// How long a browser may cache a preflight, seconds.
pub const MAX_AGE: &str = "600";

/// The allowlist of page origins.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Origins {
    any: bool,
    list: Vec<String>,
}

impl Origins {
    /// Parse `ALLOWED_ORIGINS`: comma-separated origins (`https://app.example`), or `*`.
    ///
    /// ```
    /// let o = seedance_worker::cors::Origins::parse("https://a.example, http://localhost:8080/");
    /// assert!(o.allows("http://localhost:8080"));
    /// assert!(!o.allows("https://evil.example"));
    /// ```
    pub fn parse(value: &str) -> Origins {
        let mut origins = Origins::default();
        for item in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if item == "*" {
                origins.any = true;
            } else {
                origins
                    .list
                    .push(item.trim_end_matches('/').to_ascii_lowercase());
            }
        }
        origins
    }

    /// Whether a page on `origin` may call the Worker.
    pub fn allows(&self, origin: &str) -> bool {
        let origin = origin.trim().to_ascii_lowercase();
        if origin.is_empty() || origin == "null" {
            return false;
        }
        self.any || self.list.contains(&origin)
    }
}

/// The CORS headers of an answer to an allowed origin.
pub fn answer_headers(origin: &str) -> Vec<(&'static str, String)> {
    vec![
        ("Access-Control-Allow-Origin", origin.to_owned()),
        ("Access-Control-Expose-Headers", EXPOSE_HEADERS.to_owned()),
        ("Vary", "Origin".to_owned()),
    ]
}

/// The headers of a preflight answer to an allowed origin.
pub fn preflight_headers(origin: &str) -> Vec<(&'static str, String)> {
    let mut h = answer_headers(origin);
    h.push(("Access-Control-Allow-Methods", ALLOW_METHODS.to_owned()));
    h.push(("Access-Control-Allow-Headers", ALLOW_HEADERS.to_owned()));
    h.push(("Access-Control-Max-Age", MAX_AGE.to_owned()));
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_origins_are_allowed() {
        let o = Origins::parse("https://App.example");
        assert!(o.allows("https://app.example"));
        assert!(!o.allows("https://app.example.evil"));
        assert!(!o.allows("null"));
        assert!(!Origins::parse("").allows("https://app.example"));
        assert!(Origins::parse("*").allows("https://any.example"));
        assert!(!Origins::parse("*").allows("null"));
    }
}
