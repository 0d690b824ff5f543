//! Command line and environment of the `seedance-sim` binary, declared once with clap.
//!
//! Every flag has its environment variable where one exists; a flag given on the command
//! line wins over its variable (clap's `env`). `--help` is generated from the doc comments
//! below.

use std::net::IpAddr;

use clap::builder::FalseyValueParser;
use clap::{Parser, ValueEnum};

use crate::config::{AccountLimits, SimConfig, Timings};
use crate::faults::FaultSpec;

const FAULT_HELP: &str = "\
Faults (--fault, SEEDANCE_SIM_FAULTS separated by `;`):
  SPEC  = KIND[=VALUE][,on=SCOPE][,times=N][,every=N]
  KIND  = 429[=retry-after], 500, 502, 503, drop, slow[=ms], malformed,
          unknown-status[=value], lost-create
  SCOPE = any, api, get, post, create, task, list, delete, tos

Account limits (per key and model; off unless asked for):
  --account individual = --max-running 3 --create-rate 180/60
  --account enterprise = --max-running 10 --create-rate 600/60
  Tasks over the cap stay queued until a slot frees; creates over the rate get 429 with
  Retry-After. 0 turns a limit off.

Flags win over environment variables.";

/// seedance-sim: a local server that behaves like the Seedance 2.0 task API
#[derive(Debug, Parser)]
#[command(name = "seedance-sim", version, after_help = FAULT_HELP)]
pub struct Cli {
    /// Port to listen on (0 picks a free one)
    #[arg(
        long,
        value_name = "N",
        env = "SEEDANCE_SIM_PORT",
        default_value_t = 8787
    )]
    port: u16,

    /// Address to bind
    #[arg(
        long,
        value_name = "IP",
        env = "SEEDANCE_SIM_HOST",
        default_value = "127.0.0.1"
    )]
    host: IpAddr,

    /// Tasks finish in about a second
    #[arg(
        long,
        env = "SEEDANCE_SIM_FAST",
        value_parser = FalseyValueParser::new()
    )]
    fast: bool,

    /// Tasks take tens of seconds (default; overrides --fast and SEEDANCE_SIM_FAST)
    #[arg(long)]
    realistic: bool,

    /// No CORS headers on API routes (like the reseller)
    #[arg(long, env = "SEEDANCE_SIM_NO_CORS", value_parser = FalseyValueParser::new())]
    no_cors: bool,

    /// Accept only these keys, comma-separated (default: any `sk-…` key)
    #[arg(long, value_name = "K1,K2", env = "SEEDANCE_SIM_KEYS")]
    keys: Option<String>,

    /// Key that gets `no available channel` (repeatable)
    #[arg(
        long = "no-channel-key",
        value_name = "K",
        default_value = "sk-no-channel"
    )]
    no_channel_keys: Vec<String>,

    /// Per-run fault, repeatable (see below)
    #[arg(
        long = "fault",
        value_name = "SPEC",
        env = "SEEDANCE_SIM_FAULTS",
        value_delimiter = ';',
        value_parser = parse_fault
    )]
    faults: Vec<Option<FaultSpec>>,

    /// X-Tos-Expires of result URLs, seconds
    #[arg(
        long,
        value_name = "SECS",
        env = "SEEDANCE_SIM_URL_TTL",
        default_value_t = 86_400
    )]
    url_ttl: u64,

    /// Base of result URLs (default http://<bound address>)
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,

    /// No per-request log lines
    #[arg(long)]
    quiet: bool,

    /// Account limits of an individual or enterprise account (see below)
    #[arg(long, value_name = "KIND", env = "SEEDANCE_SIM_ACCOUNT")]
    account: Option<Account>,

    /// Tasks running at once per key and model; more wait `queued`
    #[arg(long, value_name = "N", env = "SEEDANCE_SIM_MAX_RUNNING")]
    max_running: Option<u32>,

    /// Creates per key and model per window (default 60 s); more get 429
    #[arg(long, value_name = "N[/SECS]", env = "SEEDANCE_SIM_CREATE_RATE", value_parser = parse_rate)]
    create_rate: Option<(u32, u64)>,
}

/// An account kind and its limits (docs/API.md, "Account limits").
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Account {
    /// 3 running tasks, 180 creates a minute.
    Individual,
    /// 10 running tasks, 600 creates a minute.
    Enterprise,
}

/// `N` or `N/SECS`: N creates per SECS seconds (60 when omitted).
fn parse_rate(s: &str) -> Result<(u32, u64), String> {
    let (n, secs) = s.split_once('/').unwrap_or((s, "60"));
    let n = n
        .trim()
        .parse()
        .map_err(|_| format!("`{n}` is not a whole number of creates"))?;
    let secs = secs
        .trim()
        .parse()
        .ok()
        .filter(|s| *s > 0)
        .ok_or_else(|| format!("`{secs}` is not a whole number of seconds above 0"))?;
    Ok((n, secs))
}

/// Parse one fault; blanks between `;` in the environment variable are skipped by
/// [`Cli::into_config`], so an empty spec is accepted here and dropped there.
fn parse_fault(s: &str) -> Result<Option<FaultSpec>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse().map(Some)
}

impl Cli {
    /// The configuration these flags describe (the binary's defaults: port 8787,
    /// realistic timings, one line per request).
    pub fn into_config(self) -> SimConfig {
        let mut c = SimConfig::realistic();
        c.host = self.host;
        c.port = self.port;
        if self.fast && !self.realistic {
            c.timings = Timings::fast();
        }
        c.cors = !self.no_cors;
        c.keys = self.keys.as_deref().map(split_list);
        c.no_channel_keys = self.no_channel_keys;
        c.faults = self.faults.into_iter().flatten().collect();
        c.url_ttl_secs = self.url_ttl;
        c.media_base_url = self.public_url;
        c.log_requests = !self.quiet;
        c.account = match self.account {
            None => AccountLimits::default(),
            Some(Account::Individual) => AccountLimits::individual(),
            Some(Account::Enterprise) => AccountLimits::enterprise(),
        };
        let on = |n: u32| (n > 0).then_some(n);
        if let Some(n) = self.max_running {
            c.account.max_running = on(n);
        }
        if let Some((n, secs)) = self.create_rate {
            c.account.create_rate = on(n);
            c.account.create_window_secs = secs;
        }
        c
    }
}

fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::faults::{FaultKind, Scope};

    fn run(args: &[&str]) -> SimConfig {
        let argv = std::iter::once("seedance-sim").chain(args.iter().copied());
        Cli::try_parse_from(argv).unwrap().into_config()
    }

    #[test]
    fn defaults() {
        let c = run(&[]);
        assert_eq!(
            (c.port, c.cors, c.timings, c.url_ttl_secs, c.log_requests),
            (8787, true, Timings::realistic(), 86_400, true)
        );
        assert_eq!(c.host.to_string(), "127.0.0.1");
        assert_eq!(c.no_channel_keys, ["sk-no-channel"]);
        assert!(c.keys.is_none() && c.faults.is_empty());
        assert_eq!(c.account, AccountLimits::default(), "no account limits");
    }

    #[test]
    fn flags() {
        let c = run(&[
            "--port",
            "0",
            "--fast",
            "--no-cors",
            "--keys=k1, k2,",
            "--fault",
            "429=3,times=2",
            "--fault=drop,every=2",
            "--url-ttl",
            "5",
            "--no-channel-key",
            "sk-a",
            "--no-channel-key",
            "sk-b",
            "--quiet",
        ]);
        assert_eq!((c.port, c.cors, c.url_ttl_secs), (0, false, 5));
        assert_eq!(c.timings, Timings::fast());
        assert_eq!(c.keys.unwrap(), ["k1", "k2"]);
        assert_eq!(c.no_channel_keys, ["sk-a", "sk-b"]);
        assert!(!c.log_requests);
        let kinds: Vec<_> = c.faults.iter().map(|f| f.kind.clone()).collect();
        assert_eq!(
            kinds,
            [FaultKind::RateLimit { retry_after: 3 }, FaultKind::Drop]
        );
        assert_eq!(c.faults[0].on, Scope::Api);
    }

    #[test]
    fn account_limits() {
        assert_eq!(
            run(&["--account", "individual"]).account,
            AccountLimits::individual()
        );
        let c = run(&[
            "--account=enterprise",
            "--max-running",
            "2",
            "--create-rate",
            "5/2",
        ]);
        assert_eq!(
            c.account,
            AccountLimits {
                max_running: Some(2),
                create_rate: Some(5),
                create_window_secs: 2
            }
        );
        let c = run(&[
            "--account",
            "individual",
            "--max-running",
            "0",
            "--create-rate=7",
        ]);
        assert_eq!(
            (c.account.max_running, c.account.create_rate),
            (None, Some(7))
        );
        assert_eq!(c.account.create_window_secs, 60);
    }

    #[test]
    fn realistic_overrides_fast() {
        assert_eq!(
            run(&["--fast", "--realistic"]).timings,
            Timings::realistic()
        );
        assert_eq!(
            run(&["--realistic", "--fast"]).timings,
            Timings::realistic()
        );
    }

    #[test]
    fn errors() {
        for bad in [
            &["--port"][..],
            &["--port", "x"],
            &["--host", "localhost"],
            &["--bogus"],
            &["--fault", "nope"],
            &["--account", "premium"],
            &["--create-rate", "5/0"],
            &["--create-rate", "five"],
        ] {
            let argv = std::iter::once("seedance-sim").chain(bad.iter().copied());
            assert!(Cli::try_parse_from(argv).is_err(), "{bad:?}");
        }
    }
}
