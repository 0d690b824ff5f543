//! Command line and environment parsing for the `seedance-sim` binary (no clap: it would
//! double the build time of this crate for a dozen flags).

use std::net::IpAddr;

use crate::config::{SimConfig, Timings};
use crate::faults::FaultSpec;

/// Usage text for `--help`.
pub const USAGE: &str = "\
seedance-sim: a local server that behaves like the Seedance 2.0 task API

USAGE: seedance-sim [OPTIONS]

  --port N              port to listen on (default 8787; 0 picks a free one)   env SEEDANCE_SIM_PORT
  --host IP             address to bind (default 127.0.0.1)                    env SEEDANCE_SIM_HOST
  --fast                tasks finish in about a second                         env SEEDANCE_SIM_FAST=1
  --realistic           tasks take tens of seconds (default)
  --no-cors             no CORS headers on API routes (like the reseller)      env SEEDANCE_SIM_NO_CORS=1
  --keys K1,K2          accept only these keys (default: any `sk-…` key)       env SEEDANCE_SIM_KEYS
  --no-channel-key K    key that gets `no available channel` (default sk-no-channel; repeatable)
  --fault SPEC          per-run fault, repeatable (env SEEDANCE_SIM_FAULTS, `;`-separated)
                        SPEC = KIND[=VALUE][,on=SCOPE][,times=N][,every=N]
                        KIND: 429[=retry-after], 500, 502, 503, drop, slow[=ms], malformed,
                              unknown-status[=value], lost-create
                        SCOPE: any, api, get, post, create, task, list, delete, tos
  --url-ttl SECS        X-Tos-Expires of result URLs (default 86400)            env SEEDANCE_SIM_URL_TTL
  --public-url URL      base of result URLs (default http://<bound address>)
  --quiet               no per-request log lines
  -h, --help            this text
";

/// What the command line asks for.
#[derive(Debug)]
pub enum Command {
    /// Run with this configuration.
    Run(Box<SimConfig>),
    /// Print usage.
    Help,
}

/// Parse `args` (without the program name) over the environment read through `env`.
/// Flags win over environment variables.
pub fn parse(args: &[String], env: &dyn Fn(&str) -> Option<String>) -> Result<Command, String> {
    let mut c = SimConfig::realistic();
    c.port = 8787;
    c.log_requests = true;
    let truthy =
        |v: Option<String>| v.is_some_and(|v| !matches!(v.as_str(), "" | "0" | "false" | "no"));

    if let Some(p) = env("SEEDANCE_SIM_PORT") {
        c.port = p
            .parse()
            .map_err(|_| format!("SEEDANCE_SIM_PORT: `{p}` is not a port"))?;
    }
    if let Some(h) = env("SEEDANCE_SIM_HOST") {
        c.host = h
            .parse()
            .map_err(|_| format!("SEEDANCE_SIM_HOST: `{h}` is not an IP address"))?;
    }
    if truthy(env("SEEDANCE_SIM_FAST")) {
        c.timings = Timings::fast();
    }
    if truthy(env("SEEDANCE_SIM_NO_CORS")) {
        c.cors = false;
    }
    if let Some(k) = env("SEEDANCE_SIM_KEYS") {
        c.keys = Some(split_list(&k));
    }
    if let Some(t) = env("SEEDANCE_SIM_URL_TTL") {
        c.url_ttl_secs = t
            .parse()
            .map_err(|_| format!("SEEDANCE_SIM_URL_TTL: `{t}` is not a number"))?;
    }
    if let Some(f) = env("SEEDANCE_SIM_FAULTS") {
        for spec in f.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            c.faults.push(
                spec.parse::<FaultSpec>()
                    .map_err(|e| format!("SEEDANCE_SIM_FAULTS: {e}"))?,
            );
        }
    }

    let mut no_channel: Option<Vec<String>> = None;
    let mut it = args.iter().map(String::as_str);
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (arg, None),
        };
        let mut value = || -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next().map(str::to_owned))
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag {
            "-h" | "--help" => return Ok(Command::Help),
            "--port" => {
                let v = value()?;
                c.port = v
                    .parse()
                    .map_err(|_| format!("--port: `{v}` is not a port"))?;
            }
            "--host" => {
                let v = value()?;
                c.host = v
                    .parse::<IpAddr>()
                    .map_err(|_| format!("--host: `{v}` is not an IP address"))?;
            }
            "--fast" => c.timings = Timings::fast(),
            "--realistic" => c.timings = Timings::realistic(),
            "--no-cors" => c.cors = false,
            "--keys" => c.keys = Some(split_list(&value()?)),
            "--no-channel-key" => no_channel.get_or_insert_with(Vec::new).push(value()?),
            "--fault" => c.faults.push(value()?.parse()?),
            "--url-ttl" => {
                let v = value()?;
                c.url_ttl_secs = v
                    .parse()
                    .map_err(|_| format!("--url-ttl: `{v}` is not a number"))?;
            }
            "--public-url" => c.media_base_url = Some(value()?),
            "--quiet" => c.log_requests = false,
            other => return Err(format!("unknown argument `{other}` (see --help)")),
        }
    }
    if let Some(k) = no_channel {
        c.no_channel_keys = k;
    }
    Ok(Command::Run(Box::new(c)))
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

    fn run(args: &[&str], env: &[(&str, &str)]) -> SimConfig {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let get = move |k: &str| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        match parse(&args, &get).unwrap() {
            Command::Run(c) => *c,
            Command::Help => panic!("help"),
        }
    }

    #[test]
    fn defaults() {
        let c = run(&[], &[]);
        assert_eq!(
            (c.port, c.cors, c.timings),
            (8787, true, Timings::realistic())
        );
        assert_eq!(c.host.to_string(), "127.0.0.1");
        assert_eq!(c.no_channel_keys, ["sk-no-channel"]);
    }

    #[test]
    fn flags_and_env() {
        let c = run(
            &[
                "--port",
                "0",
                "--fast",
                "--no-cors",
                "--keys=k1,k2",
                "--fault",
                "429=3,times=2",
                "--url-ttl",
                "5",
            ],
            &[
                ("SEEDANCE_SIM_PORT", "9000"),
                ("SEEDANCE_SIM_FAULTS", "drop,every=2; slow=10"),
            ],
        );
        assert_eq!((c.port, c.cors, c.url_ttl_secs), (0, false, 5));
        assert_eq!(c.timings, Timings::fast());
        assert_eq!(
            c.keys.as_deref(),
            Some(&["k1".to_string(), "k2".to_string()][..])
        );
        let kinds: Vec<_> = c.faults.iter().map(|f| f.kind.clone()).collect();
        assert_eq!(
            kinds,
            [
                FaultKind::Drop,
                FaultKind::Slow { ms: 10 },
                FaultKind::RateLimit { retry_after: 3 }
            ]
        );
        assert_eq!(c.faults[2].on, Scope::Api);
        let c = run(
            &[],
            &[("SEEDANCE_SIM_FAST", "1"), ("SEEDANCE_SIM_PORT", "9000")],
        );
        assert_eq!((c.port, c.timings), (9000, Timings::fast()));
    }

    #[test]
    fn errors() {
        let get = |_: &str| None;
        for bad in [
            &["--port"][..],
            &["--port", "x"],
            &["--bogus"],
            &["--fault", "nope"],
        ] {
            let args: Vec<String> = bad.iter().map(|s| s.to_string()).collect();
            assert!(parse(&args, &get).is_err(), "{bad:?}");
        }
    }
}
