//! What every command shares: the global options, the key, the client, hints' prefix.

use seedance::protocol::DEFAULT_BASE_URL;
use seedance::{ApiKey, Client, Limits};

use crate::args::Global;
use crate::failure::{from_error, Failure, Prefix};
use crate::fmt::shell_quote;
use crate::run::print_json;

/// What every command shares: the global options.
pub struct Ctx {
    pub global: Global,
    pub prefix: Prefix,
}

impl Ctx {
    pub fn new(global: Global) -> Self {
        let mut prefix = String::from("seedance");
        if let Some(url) = &global.base_url {
            prefix.push_str(&format!(" --base-url {}", shell_quote(url)));
        }
        if let Some(name) = &global.api_key_env {
            prefix.push_str(&format!(" --api-key-env {}", shell_quote(name)));
        }
        if global.allow_http {
            prefix.push_str(" --allow-http");
        }
        Ctx {
            global,
            prefix: Prefix(prefix),
        }
    }

    pub fn limits(&self) -> Limits {
        Limits {
            allow_http: self.global.allow_http,
            ..Limits::default()
        }
    }

    pub fn fail(&self, e: seedance::Error) -> Failure {
        from_error(e, &self.prefix)
    }

    /// [`fail`](Self::fail), printing a failed task as JSON first when `--json` asked for
    /// the final task.
    pub fn fail_json(&self, e: seedance::Error, json: bool) -> Failure {
        if let (true, seedance::Error::TaskFailed { task }) = (json, &e) {
            if let Err(f) = print_json(task) {
                return f;
            }
        }
        self.fail(e)
    }

    /// A client with the key from the environment and the base URL; nothing is sent yet.
    pub fn client(&self) -> Result<Client, Failure> {
        let var = self
            .global
            .api_key_env
            .as_deref()
            .unwrap_or("SEEDANCE_API_KEY");
        let raw = match std::env::var(var) {
            Ok(v) if !v.trim().is_empty() => v,
            Ok(_) => return Err(Failure::usage(format!("{var} is empty: no API key"))),
            Err(std::env::VarError::NotPresent) => {
                return Err(
                    Failure::usage(format!("no API key: {var} is not set")).hint(format!(
                        "export {var}=sk-… (the key is never taken as an argument)"
                    )),
                )
            }
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(Failure::usage(format!("{var} is not valid text")))
            }
        };
        let key = ApiKey::new(raw.trim())
            .map_err(|_| Failure::usage(format!("{var} has whitespace or control characters inside the key (copied with a line break?)")))?;

        let (base, from) = match (&self.global.base_url, std::env::var("SEEDANCE_BASE_URL")) {
            (Some(url), _) => (url.clone(), "--base-url"),
            (None, Ok(url)) if !url.trim().is_empty() => (url, "SEEDANCE_BASE_URL"),
            _ => (DEFAULT_BASE_URL.to_owned(), "the default"),
        };
        if base.trim().to_ascii_lowercase().starts_with("http://") && !self.global.allow_http {
            return Err(Failure::usage(format!(
                "{from} {base} is plain http: the API key would travel unencrypted"
            ))
            .hint("for a local simulator add --allow-http"));
        }
        let client = Client::new(key)
            .with_base_url(&base)
            .map_err(|e| Failure::usage(format!("{from}: {e}")))?
            .with_limits(self.limits());
        Ok(client)
    }
}
