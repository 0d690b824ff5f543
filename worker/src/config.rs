//! The Worker's settings, read from its vars and secrets (`wrangler.toml`, `wrangler secret
//! put`). Pure: it reads through a lookup function, so it is tested natively.
//!
//! A missing var takes its default; a malformed one is an error naming the var (never its
//! value: secrets pass through here too).

use seedance::protocol::{Endpoint, DEFAULT_BASE_URL};
use seedance::{ApiKey, Limits, Resolution};

use crate::cors::Origins;
use crate::policy::Policy;
use crate::ratelimit::RateLimit;

/// The default cap on a request body: 32 MiB (a Worker isolate has 128 MB in all).
pub const DEFAULT_MAX_BODY_BYTES: usize = 32 * 1024 * 1024;
/// The default subrequest budget of one invocation (Workers free plan: 50).
pub const DEFAULT_SUBREQUESTS: u32 = 50;

/// What the per-client limits count by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitBy {
    /// The caller's IP (`CF-Connecting-IP`), or the client id where there is none: a visitor
    /// can't escape the limits by sending a new client id.
    Ip,
    /// The client id header only (for a deployment behind another proxy).
    Client,
}

/// Every setting of the Worker.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where requests go (`UPSTREAM_BASE_URL`), without the key: the upstream requests
    /// are built from it ([`crate::upstream`]).
    pub upstream: Endpoint,
    /// The path prefix the Worker serves the API under (`API_PREFIX`, default `/api/v3`).
    pub prefix: String,
    /// The owner's key (`SEEDANCE_API_KEY`, a secret); `None` answers 500 on every API call.
    pub api_key: Option<ApiKey>,
    /// The key of the task-id HMAC (`ID_SECRET`, or derived from the API key).
    pub id_secret: Vec<u8>,
    /// Origins that get CORS headers (`ALLOWED_ORIGINS`, comma-separated, `*` for any).
    pub origins: Origins,
    /// The shared secret server-to-server callers send as `X-Proxy-Token` (`PROXY_TOKEN`).
    pub proxy_token: Option<String>,
    /// Whether `GET …/tasks` (list) is forwarded (`ALLOW_LIST`, default false).
    pub allow_list: bool,
    /// The largest request body accepted (`MAX_BODY_BYTES`).
    pub max_body: usize,
    /// The spend policy (`ALLOWED_MODELS`, `ALLOWED_RESOLUTIONS`, `MAX_DURATION`,
    /// `DAILY_TOKEN_BUDGET`).
    pub policy: Policy,
    /// Creates per client per window (`RATE_LIMIT`, e.g. `5/60s`).
    pub rate: RateLimit,
    /// What the limits count by (`LIMIT_BY`: `ip` or `client`).
    pub limit_by: LimitBy,
    /// Subrequests one invocation may make (`SUBREQUEST_BUDGET`).
    pub subrequests: u32,
    /// A fixed poll interval for the generate route (`GENERATE_POLL_MS`); unset, the
    /// schedule is fitted to the request.
    pub poll_ms: Option<u64>,
    /// The validation limits (`LIMITS`, JSON of `seedance::Limits` fields).
    pub limits: Limits,
}

fn parse<T: std::str::FromStr>(name: &str, value: Option<String>, default: T) -> Result<T, String> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some(v) => v
            .parse()
            .map_err(|_| format!("{name} is not a valid value")),
    }
}

fn list(value: Option<String>) -> Option<Vec<String>> {
    let value = value?;
    let items: Vec<String> = value
        .split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    Some(items)
}

impl Config {
    /// Read the settings through `get` (a var or secret by name).
    ///
    /// Errors: a message naming the malformed var.
    ///
    /// ```
    /// let cfg = seedance_worker::Config::from_lookup(|_| None).unwrap();
    /// assert_eq!(cfg.prefix, "/api/v3");
    /// assert!(!cfg.allow_list);
    /// ```
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, String> {
        let upstream = get("UPSTREAM_BASE_URL")
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        let upstream = Endpoint::new(&upstream)
            .map_err(|_| "UPSTREAM_BASE_URL must be an absolute http(s) URL without a query")?;
        let prefix = get("API_PREFIX")
            .map(|s| s.trim().trim_end_matches('/').to_owned())
            .unwrap_or_else(|| "/api/v3".to_owned());
        if !(prefix.is_empty() || prefix.starts_with('/')) {
            return Err("API_PREFIX must start with /".into());
        }
        // The error names the var and the kind of character, never the key.
        let api_key = match get("SEEDANCE_API_KEY").filter(|k| !k.trim().is_empty()) {
            Some(k) => Some(
                ApiKey::new(k.trim())
                    .map_err(|e| format!("SEEDANCE_API_KEY is not usable: {e}"))?,
            ),
            None => None,
        };
        let id_secret = match get("ID_SECRET").filter(|s| !s.trim().is_empty()) {
            Some(s) => s.trim().as_bytes().to_vec(),
            None => crate::ids::derive_secret(api_key.as_ref().map_or("", ApiKey::expose)),
        };
        let origins = Origins::parse(&get("ALLOWED_ORIGINS").unwrap_or_default());
        let proxy_token = get("PROXY_TOKEN")
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty());
        let allow_list = parse("ALLOW_LIST", get("ALLOW_LIST"), false)?;
        let max_body = parse(
            "MAX_BODY_BYTES",
            get("MAX_BODY_BYTES"),
            DEFAULT_MAX_BODY_BYTES,
        )?;

        let mut policy = Policy::default();
        if let Some(models) = list(get("ALLOWED_MODELS")) {
            policy.models = models;
        }
        if let Some(res) = list(get("ALLOWED_RESOLUTIONS")) {
            policy.resolutions = res.into_iter().map(Resolution::from).collect();
            if let Some(bad) = policy.resolutions.iter().find(|r| !r.is_known()) {
                return Err(format!("ALLOWED_RESOLUTIONS has an unknown tier {bad}"));
            }
        }
        policy.max_duration = parse("MAX_DURATION", get("MAX_DURATION"), policy.max_duration)?;
        policy.daily_tokens = parse(
            "DAILY_TOKEN_BUDGET",
            get("DAILY_TOKEN_BUDGET"),
            policy.daily_tokens,
        )?;

        let rate = match get("RATE_LIMIT").filter(|s| !s.trim().is_empty()) {
            Some(s) => RateLimit::parse(&s).ok_or("RATE_LIMIT must look like 5/60s")?,
            None => RateLimit::default(),
        };
        let limit_by = match get("LIMIT_BY").as_deref().map(str::trim) {
            None | Some("") | Some("ip") => LimitBy::Ip,
            Some("client") => LimitBy::Client,
            Some(_) => return Err("LIMIT_BY must be ip or client".into()),
        };
        let subrequests = parse(
            "SUBREQUEST_BUDGET",
            get("SUBREQUEST_BUDGET"),
            DEFAULT_SUBREQUESTS,
        )?;
        let poll_ms = match get("GENERATE_POLL_MS").filter(|s| !s.trim().is_empty()) {
            Some(s) => Some(parse("GENERATE_POLL_MS", Some(s), 0u64)?),
            None => None,
        };
        let mut limits: Limits = match get("LIMITS").filter(|s| !s.trim().is_empty()) {
            Some(json) => {
                serde_json::from_str(&json).map_err(|e| format!("LIMITS is not valid JSON: {e}"))?
            }
            None => Limits::default(),
        };
        limits.max_body_bytes = limits.max_body_bytes.min(max_body as u64);

        Ok(Config {
            upstream,
            prefix,
            api_key,
            id_secret,
            origins,
            proxy_token,
            allow_list,
            max_body,
            policy,
            rate,
            limit_by,
            subrequests,
            poll_ms,
            limits,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn cfg(vars: &[(&str, &str)]) -> Result<Config, String> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_are_closed_and_point_at_the_reseller() {
        let c = cfg(&[]).unwrap();
        assert_eq!(c.upstream.base_url(), DEFAULT_BASE_URL);
        assert!(!c.allow_list);
        assert!(!c.origins.allows("https://example.com"));
        assert_eq!(c.max_body, 32 * 1024 * 1024);
        assert_eq!(c.limits.max_body_bytes, 32 * 1024 * 1024);
        assert_eq!(c.subrequests, 50);
        assert!(c.api_key.is_none());
    }

    #[test]
    fn vars_are_read_and_errors_name_the_var_only() {
        let c = cfg(&[
            ("UPSTREAM_BASE_URL", "http://127.0.0.1:9/seedance/api/v3/"),
            ("ALLOWED_ORIGINS", "https://a.example, https://b.example"),
            ("RATE_LIMIT", "3/10s"),
            ("MAX_BODY_BYTES", "1000"),
            ("LIMITS", r#"{"allow_http":true}"#),
            ("ALLOWED_RESOLUTIONS", "480p"),
        ])
        .unwrap();
        assert_eq!(c.upstream.base_url(), "http://127.0.0.1:9/seedance/api/v3");
        assert!(c.origins.allows("https://b.example"));
        assert_eq!((c.rate.limit, c.rate.window_ms), (3, 10_000));
        assert!(c.limits.allow_http);
        assert_eq!(c.limits.max_body_bytes, 1000);
        let err = cfg(&[("MAX_BODY_BYTES", "sk-secret")]).unwrap_err();
        assert!(
            err.contains("MAX_BODY_BYTES") && !err.contains("sk-secret"),
            "{err}"
        );
        assert!(cfg(&[("ALLOWED_RESOLUTIONS", "4k")]).is_err());
        assert!(cfg(&[("UPSTREAM_BASE_URL", "ftp://x")]).is_err());
        assert!(cfg(&[("UPSTREAM_BASE_URL", "https://x.example/v3?k=1")]).is_err());
        let err = cfg(&[("SEEDANCE_API_KEY", "sk-bad key")]).unwrap_err();
        assert!(
            err.contains("SEEDANCE_API_KEY") && !err.contains("sk-bad"),
            "{err}"
        );
    }

    #[test]
    fn the_id_secret_falls_back_to_one_derived_from_the_key() {
        let a = cfg(&[("SEEDANCE_API_KEY", "sk-a")]).unwrap().id_secret;
        let b = cfg(&[("SEEDANCE_API_KEY", "sk-b")]).unwrap().id_secret;
        assert_ne!(a, b);
        assert!(!a.windows(4).any(|w| w == b"sk-a"));
        let own = cfg(&[("ID_SECRET", "s3")]).unwrap().id_secret;
        assert_eq!(own, b"s3");
    }
}
