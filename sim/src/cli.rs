//! Command line and environment of the `seedance-sim` binary, declared once with clap.
//!
//! Every flag has its environment variable where one exists; a flag given on the command
//! line wins over its variable (clap's `env`). `--help` is generated from the doc comments
//! below.

use std::net::IpAddr;

use clap::builder::FalseyValueParser;
use clap::Parser;

use crate::config::{SimConfig, Timings};
use crate::faults::FaultSpec;

const FAULT_HELP: &str = "\
Faults (--fault, SEEDANCE_SIM_FAULTS separated by `;`):
  SPEC  = KIND[=VALUE][,on=SCOPE][,times=N][,every=N]
  KIND  = 429[=retry-after], 500, 502, 503, drop, slow[=ms], malformed,
          unknown-status[=value], lost-create
  SCOPE = any, api, get, post, create, task, list, delete, tos

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
        ] {
            let argv = std::iter::once("seedance-sim").chain(bad.iter().copied());
            assert!(Cli::try_parse_from(argv).is_err(), "{bad:?}");
        }
    }
}
