//! What every command shares: the global options, the key, the client, hints' prefix.
//! Imports no command.

use clap::Args;
use seedance::protocol::DEFAULT_BASE_URL;
use seedance::{ApiKey, Client, Limits};

use crate::failure::{from_error, Failure, Prefix};
use crate::fmt::{print_json, shell_quote};
use crate::values::{self, Check};

/// Options every command takes, before or after the command name.
#[derive(Args, Clone, Debug, Default)]
#[command(next_help_heading = "Global options (before or after the command)")]
pub struct Global {
    // `--base-url`; else `SEEDANCE_BASE_URL`; else the crate's default (see `client`). Not
    // clap's `env`: hints repeat only what was typed, and errors say where a URL came from.
    #[arg(
        long,
        global = true,
        value_name = "URL",
        help = format!("API base URL [env: SEEDANCE_BASE_URL]\n[default: {DEFAULT_BASE_URL}]")
    )]
    pub base_url: Option<String>,
    /// read the API key from $NAME instead of $SEEDANCE_API_KEY
    #[arg(long, global = true, value_name = "NAME", value_parser = Check(values::env_name))]
    pub api_key_env: Option<String>,
    /// allow a plain-http base URL and http:// media URLs (a local simulator)
    #[arg(long, global = true)]
    pub allow_http: bool,
}

/// The task a command is about (`get`, `wait`, `cancel`): one id.
#[derive(Args, Clone, Debug)]
pub struct TaskId {
    /// the task id (cgt-…)
    #[arg(value_name = "ID", value_parser = Check(values::task_id))]
    pub id: String,
}

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
