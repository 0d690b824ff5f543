//! The API key: one type that never prints itself.

use core::fmt;

use crate::error::Error;

/// A Seedance API key. `Debug` and `Display` show only its shape (`sk-…xyz`), so logging a
/// client, a request or an error never leaks it.
///
/// Errors: an empty key, or one with whitespace or control characters (which would break or
/// inject into the `Authorization` header), is rejected with [`Error::InvalidArgument`].
///
/// ```
/// let key = seedance::ApiKey::new("sk-abcdefghijklmnopqrstuvwxyz").unwrap();
/// assert_eq!(format!("{key}"), "sk-…xyz");
/// assert_eq!(format!("{key:?}"), "ApiKey(sk-…xyz)");
/// assert!(seedance::ApiKey::new("sk-bad key").is_err());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wrap a key after checking it can go into a header.
    pub fn new(key: impl Into<String>) -> Result<Self, Error> {
        let key = key.into();
        if key.is_empty() {
            return Err(Error::invalid_argument("api_key", "the API key is empty"));
        }
        if let Some(c) = key.chars().find(|c| !c.is_ascii_graphic()) {
            let what = if c.is_whitespace() || c.is_control() {
                "whitespace or a control character (copied with a newline?)".to_owned()
            } else {
                format!(
                    "the non-ASCII character U+{:04X} (pasted through a word processor?)",
                    c as u32
                )
            };
            return Err(Error::invalid_argument(
                "api_key",
                format!("the API key contains {what}; keys are printable ASCII"),
            ));
        }
        Ok(ApiKey(key))
    }

    /// Read the key from the `SEEDANCE_API_KEY` environment variable.
    ///
    /// Errors: [`Error::InvalidArgument`] when the variable is unset or not a valid key.
    pub fn from_env() -> Result<Self, Error> {
        match std::env::var("SEEDANCE_API_KEY") {
            Ok(key) => Self::new(key.trim()),
            Err(_) => Err(Error::invalid_argument(
                "SEEDANCE_API_KEY",
                "the environment variable is not set",
            )),
        }
    }

    /// The key itself, for the `Authorization` header. Keep it out of logs and URLs.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The `Authorization` header value: `Bearer <key>`.
    pub fn bearer(&self) -> String {
        format!("Bearer {}", self.0)
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Show a short prefix such as `sk-` when there is one, and the last three
        // characters only when the key is long enough that they give nothing away.
        let prefix = match self.0.find('-') {
            Some(i) if i <= 4 => &self.0[..=i],
            _ => "",
        };
        let n = self.0.chars().count();
        if n >= 16 {
            let tail: String = self.0.chars().skip(n - 3).collect();
            write!(f, "{prefix}…{tail}")
        } else {
            write!(f, "{prefix}…")
        }
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKey({self})")
    }
}

impl core::str::FromStr for ApiKey {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        ApiKey::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_keys_show_no_tail() {
        assert_eq!(ApiKey::new("sk-123").unwrap().to_string(), "sk-…");
        assert_eq!(ApiKey::new("abcdefgh").unwrap().to_string(), "…");
    }

    #[test]
    fn keys_are_printable_ascii() {
        for bad in [
            "",
            "sk-a b",
            "sk-ab\n",
            "sk-abc\u{2013}def",
            "\u{feff}sk-abc",
            "sk-\u{200b}x",
        ] {
            let err = ApiKey::new(bad).unwrap_err().to_string();
            assert!(err.contains("api_key"), "{bad:?}: {err}");
            assert!(!err.contains("sk-a"), "the key is not echoed: {err}");
        }
    }

    #[test]
    fn key_is_not_in_debug_of_wrappers() {
        let key = ApiKey::new("sk-secret-secret-secret-1234").unwrap();
        let shown = format!("{:?}", Some(key));
        assert!(!shown.contains("secret"), "{shown}");
    }
}
