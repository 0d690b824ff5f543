//! The command line: global options, one command, its options. Parsed with lexopt; the
//! help texts are written by hand (in `help.rs`) so they read like a manual, not a dump.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use lexopt::prelude::*;
use lexopt::Parser;

/// Options every command takes, before or after the command name.
#[derive(Clone, Debug, Default)]
pub struct Global {
    /// `--base-url`; else `SEEDANCE_BASE_URL`; else the crate's default.
    pub base_url: Option<String>,
    /// `--api-key-env NAME`: read the key from this variable instead of `SEEDANCE_API_KEY`.
    pub api_key_env: Option<String>,
    /// `--allow-http`: plain-http base URL and media URLs (a local simulator).
    pub allow_http: bool,
}

/// Everything that describes a create request.
#[derive(Clone, Debug)]
pub struct RequestArgs {
    pub prompt: Option<String>,
    pub images: Vec<String>,
    pub first_frame: Option<String>,
    pub last_frame: Option<String>,
    pub ref_images: Vec<String>,
    pub ref_videos: Vec<String>,
    pub ref_audios: Vec<String>,
    pub model: String,
    pub resolution: Option<String>,
    pub ratio: Option<String>,
    pub duration: Option<i64>,
    pub audio: Option<bool>,
    pub seed: Option<i64>,
    pub watermark: Option<bool>,
    pub return_last_frame: bool,
    pub expires_after: Option<i64>,
    pub callback_url: Option<String>,
}

impl Default for RequestArgs {
    fn default() -> Self {
        RequestArgs {
            prompt: None,
            images: Vec::new(),
            first_frame: None,
            last_frame: None,
            ref_images: Vec::new(),
            ref_videos: Vec::new(),
            ref_audios: Vec::new(),
            model: "fast".to_owned(),
            resolution: None,
            ratio: None,
            duration: None,
            audio: None,
            seed: None,
            watermark: None,
            return_last_frame: false,
            expires_after: None,
            callback_url: None,
        }
    }
}

/// A price for the money estimate.
#[derive(Clone, Debug, Default)]
pub struct PriceArgs {
    pub per_million: Option<f64>,
    pub currency: Option<String>,
}

/// How to wait and what to do with the result.
#[derive(Clone, Debug, Default)]
pub struct WaitArgs {
    pub out: Option<PathBuf>,
    pub last_frame_out: Option<PathBuf>,
    pub json: bool,
    pub timeout: Option<Duration>,
    pub poll_interval: Option<Duration>,
}

#[derive(Clone, Debug)]
pub struct GenerateArgs {
    pub request: RequestArgs,
    pub price: PriceArgs,
    pub wait: WaitArgs,
    pub yes: bool,
}

#[derive(Clone, Debug, Default)]
pub struct ListArgs {
    pub status: Option<String>,
    pub model: Option<String>,
    pub page: Option<u32>,
    pub page_size: Option<u32>,
    pub ids: Vec<String>,
    pub json: bool,
}

#[derive(Clone, Debug)]
pub enum Command {
    /// `--help` / `help [COMMAND]`: the help of this command (`None` = overview).
    Help(Option<&'static str>),
    Version,
    Generate(GenerateArgs),
    Estimate {
        request: RequestArgs,
        price: PriceArgs,
        json: bool,
    },
    Validate {
        request: RequestArgs,
        json: bool,
    },
    Get {
        id: String,
        json: bool,
    },
    Wait {
        id: String,
        wait: WaitArgs,
    },
    List(ListArgs),
    Cancel {
        id: String,
    },
}

/// A usage error: the message, and the command whose help explains it.
#[derive(Debug)]
pub struct UsageError {
    pub message: String,
    pub command: Option<&'static str>,
}

pub const COMMANDS: &[&str] = &[
    "generate", "get", "wait", "list", "cancel", "estimate", "validate",
];

type Res<T> = Result<T, lexopt::Error>;

/// An argument with its borrow of the parser ended: an option (`-p`, `--prompt`) or a value.
enum Tok {
    Opt(String),
    Val(OsString),
}

fn next(p: &mut Parser) -> Res<Option<Tok>> {
    Ok(p.next()?.map(|arg| match arg {
        Short(c) => Tok::Opt(format!("-{c}")),
        Long(l) => Tok::Opt(format!("--{l}")),
        Value(v) => Tok::Val(v),
    }))
}

/// An option, or an error for a stray value.
fn option(tok: Tok) -> Res<String> {
    match tok {
        Tok::Opt(o) => Ok(o),
        Tok::Val(v) => Err(format!("unexpected argument {:?}", v.to_string_lossy()).into()),
    }
}

fn unknown(option: &str) -> lexopt::Error {
    format!("unknown option {option}").into()
}

/// Parse the whole command line (without the program name).
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<(Global, Command), UsageError> {
    let mut p = Parser::from_args(args);
    let mut global = Global::default();
    let mut command: Option<&'static str> = None;
    let result = (|| -> Res<Command> {
        // Global options, then the command name.
        let name = loop {
            let arg = match next(&mut p)? {
                None => return Err("no command given (try `seedance --help`)".into()),
                Some(Tok::Val(v)) => break v.string()?,
                Some(Tok::Opt(o)) => o,
            };
            if global_option(&arg, &mut p, &mut global)? {
                continue;
            }
            match arg.as_str() {
                "-h" | "--help" => return Ok(Command::Help(None)),
                "-V" | "--version" => return Ok(Command::Version),
                _ => return Err(unknown(&arg)),
            }
        };
        if name == "help" {
            let topic = match next(&mut p)? {
                Some(Tok::Val(v)) => Some(command_name(&v.string()?)?),
                None => None,
                Some(Tok::Opt(o)) => return Err(unknown(&o)),
            };
            return Ok(Command::Help(topic));
        }
        let name = command_name(&name)?;
        command = Some(name);
        match name {
            "generate" => parse_generate(&mut p, &mut global),
            "estimate" => parse_estimate(&mut p, &mut global),
            "validate" => parse_validate(&mut p, &mut global),
            "get" => parse_get(&mut p, &mut global),
            "wait" => parse_wait(&mut p, &mut global),
            "list" => parse_list(&mut p, &mut global),
            "cancel" => parse_cancel(&mut p, &mut global),
            _ => unreachable!("command_name returns known names"),
        }
    })();
    match result {
        Ok(cmd) => Ok((global, cmd)),
        Err(e) => Err(UsageError {
            message: usage_message(e),
            command,
        }),
    }
}

fn command_name(name: &str) -> Res<&'static str> {
    COMMANDS
        .iter()
        .find(|c| **c == name)
        .copied()
        .ok_or_else(|| {
            format!(
                "unknown command {name:?}; the commands are: {}",
                COMMANDS.join(", ")
            )
            .into()
        })
}

/// lexopt's messages, with a word about keys for anyone who tries to pass one as a flag.
fn usage_message(e: lexopt::Error) -> String {
    let msg = e.to_string();
    let lower = msg.to_ascii_lowercase();
    let key_flag = ["--api-key", "--key", "--token"]
        .iter()
        .any(|f| lower.ends_with(&format!("option {f}")));
    if key_flag {
        return format!(
            "{msg}: the API key is never taken as an argument (it would land in your shell \
             history); set SEEDANCE_API_KEY, or name another variable with --api-key-env NAME"
        );
    }
    msg
}

/// Handle a global option; `Ok(false)` when `arg` is not one.
fn global_option(arg: &str, p: &mut Parser, g: &mut Global) -> Res<bool> {
    match arg {
        "--base-url" => g.base_url = Some(p.value()?.string()?),
        "--api-key-env" => {
            let name = p.value()?.string()?;
            if name.is_empty() || name.contains('=') {
                return Err(format!(
                    "--api-key-env takes the NAME of an environment variable, such as MY_SEEDANCE_KEY (got {name:?})"
                )
                .into());
            }
            g.api_key_env = Some(name);
        }
        "--allow-http" => g.allow_http = true,
        _ => return Ok(false),
    }
    Ok(true)
}

fn request_option(arg: &str, p: &mut Parser, r: &mut RequestArgs) -> Res<bool> {
    match arg {
        "-p" | "--prompt" => r.prompt = Some(p.value()?.string()?),
        "-i" | "--image" => r.images.push(p.value()?.string()?),
        "--first-frame" => r.first_frame = Some(p.value()?.string()?),
        "--last-frame" => r.last_frame = Some(p.value()?.string()?),
        "--ref-image" => r.ref_images.push(p.value()?.string()?),
        "--ref-video" => r.ref_videos.push(p.value()?.string()?),
        "--ref-audio" => r.ref_audios.push(p.value()?.string()?),
        "-m" | "--model" => r.model = p.value()?.string()?,
        "-r" | "--resolution" => r.resolution = Some(p.value()?.string()?),
        "--ratio" => r.ratio = Some(p.value()?.string()?),
        "-d" | "--duration" => {
            let v = p.value()?.string()?;
            r.duration = Some(if v.eq_ignore_ascii_case("auto") {
                seedance::DURATION_AUTO
            } else {
                v.parse().map_err(|_| {
                    format!("--duration takes whole seconds (4 to 15) or `auto`, not {v:?}")
                })?
            });
        }
        "--audio" => r.audio = Some(true),
        "--no-audio" => r.audio = Some(false),
        "--seed" => r.seed = Some(number(p, "--seed")?),
        "--watermark" => r.watermark = Some(true),
        "--no-watermark" => r.watermark = Some(false),
        "--return-last-frame" => r.return_last_frame = true,
        "--expires-after" => r.expires_after = Some(number(p, "--expires-after")?),
        "--callback-url" => r.callback_url = Some(p.value()?.string()?),
        _ => return Ok(false),
    }
    Ok(true)
}

fn price_option(arg: &str, p: &mut Parser, pr: &mut PriceArgs) -> Res<bool> {
    match arg {
        "--price-per-million" => {
            let v: f64 = number(p, "--price-per-million")?;
            if !(v.is_finite() && v >= 0.0) {
                return Err("--price-per-million takes a price of at least 0".into());
            }
            pr.per_million = Some(v);
        }
        "--currency" => pr.currency = Some(p.value()?.string()?),
        _ => return Ok(false),
    }
    Ok(true)
}

fn wait_option(arg: &str, p: &mut Parser, w: &mut WaitArgs) -> Res<bool> {
    match arg {
        "-o" | "--out" => w.out = Some(p.value()?.into()),
        "--last-frame-out" => w.last_frame_out = Some(p.value()?.into()),
        "--json" => w.json = true,
        "--timeout" => w.timeout = Some(seconds(p, "--timeout", 1.0)?),
        "--poll-interval" => w.poll_interval = Some(seconds(p, "--poll-interval", 0.1)?),
        _ => return Ok(false),
    }
    Ok(true)
}

fn number<T: std::str::FromStr>(p: &mut Parser, flag: &str) -> Res<T> {
    let v = p.value()?.string()?;
    v.parse()
        .map_err(|_| format!("{flag} takes a number, not {v:?}").into())
}

fn seconds(p: &mut Parser, flag: &str, min: f64) -> Res<Duration> {
    let v: f64 = number(p, flag)?;
    if !(v.is_finite() && v >= min && v <= 30.0 * 86_400.0) {
        return Err(format!("{flag} takes seconds, at least {min}").into());
    }
    Ok(Duration::from_secs_f64(v))
}

fn finish_price(price: &PriceArgs) -> Res<()> {
    if price.per_million.is_some() != price.currency.is_some() {
        return Err("--price-per-million and --currency go together".into());
    }
    Ok(())
}

fn parse_generate(p: &mut Parser, g: &mut Global) -> Res<Command> {
    let mut a = GenerateArgs {
        request: RequestArgs::default(),
        price: PriceArgs::default(),
        wait: WaitArgs::default(),
        yes: false,
    };
    while let Some(tok) = next(p)? {
        let arg = option(tok)?;
        if global_option(&arg, p, g)?
            || request_option(&arg, p, &mut a.request)?
            || price_option(&arg, p, &mut a.price)?
            || wait_option(&arg, p, &mut a.wait)?
        {
            continue;
        }
        match arg.as_str() {
            "-y" | "--yes" => a.yes = true,
            "-h" | "--help" => return Ok(Command::Help(Some("generate"))),
            _ => return Err(unknown(&arg)),
        }
    }
    finish_price(&a.price)?;
    if a.wait.last_frame_out.is_some() {
        a.request.return_last_frame = true;
    }
    Ok(Command::Generate(a))
}

fn parse_estimate(p: &mut Parser, g: &mut Global) -> Res<Command> {
    let mut request = RequestArgs::default();
    let mut price = PriceArgs::default();
    let mut json = false;
    while let Some(tok) = next(p)? {
        let arg = option(tok)?;
        if global_option(&arg, p, g)?
            || request_option(&arg, p, &mut request)?
            || price_option(&arg, p, &mut price)?
        {
            continue;
        }
        match arg.as_str() {
            "--json" => json = true,
            "-h" | "--help" => return Ok(Command::Help(Some("estimate"))),
            _ => return Err(unknown(&arg)),
        }
    }
    finish_price(&price)?;
    Ok(Command::Estimate {
        request,
        price,
        json,
    })
}

fn parse_validate(p: &mut Parser, g: &mut Global) -> Res<Command> {
    let mut request = RequestArgs::default();
    let mut json = false;
    while let Some(tok) = next(p)? {
        let arg = option(tok)?;
        if global_option(&arg, p, g)? || request_option(&arg, p, &mut request)? {
            continue;
        }
        match arg.as_str() {
            "--json" => json = true,
            "-h" | "--help" => return Ok(Command::Help(Some("validate"))),
            _ => return Err(unknown(&arg)),
        }
    }
    Ok(Command::Validate { request, json })
}

/// The task id argument: exactly one.
fn take_id(id: &mut Option<String>, v: OsString) -> Res<()> {
    let v = v.string()?;
    if id.is_some() {
        return Err(format!("unexpected argument {v:?}: give one task id").into());
    }
    if v.trim().is_empty() {
        return Err("the task id is empty".into());
    }
    *id = Some(v);
    Ok(())
}

fn need_id(id: Option<String>, cmd: &str) -> Res<String> {
    id.ok_or_else(|| format!("missing the task id: seedance {cmd} ID").into())
}

fn parse_get(p: &mut Parser, g: &mut Global) -> Res<Command> {
    let mut id = None;
    let mut json = false;
    while let Some(tok) = next(p)? {
        let arg = match tok {
            Tok::Val(v) => {
                take_id(&mut id, v)?;
                continue;
            }
            Tok::Opt(o) => o,
        };
        if global_option(&arg, p, g)? {
            continue;
        }
        match arg.as_str() {
            "--json" => json = true,
            "-h" | "--help" => return Ok(Command::Help(Some("get"))),
            _ => return Err(unknown(&arg)),
        }
    }
    Ok(Command::Get {
        id: need_id(id, "get")?,
        json,
    })
}

fn parse_wait(p: &mut Parser, g: &mut Global) -> Res<Command> {
    let mut id = None;
    let mut wait = WaitArgs::default();
    while let Some(tok) = next(p)? {
        let arg = match tok {
            Tok::Val(v) => {
                take_id(&mut id, v)?;
                continue;
            }
            Tok::Opt(o) => o,
        };
        if global_option(&arg, p, g)? || wait_option(&arg, p, &mut wait)? {
            continue;
        }
        match arg.as_str() {
            "-h" | "--help" => return Ok(Command::Help(Some("wait"))),
            _ => return Err(unknown(&arg)),
        }
    }
    Ok(Command::Wait {
        id: need_id(id, "wait")?,
        wait,
    })
}

fn parse_list(p: &mut Parser, g: &mut Global) -> Res<Command> {
    let mut a = ListArgs::default();
    while let Some(tok) = next(p)? {
        let arg = option(tok)?;
        if global_option(&arg, p, g)? {
            continue;
        }
        match arg.as_str() {
            "--status" => a.status = Some(p.value()?.string()?),
            "-m" | "--model" => a.model = Some(p.value()?.string()?),
            "--page" => {
                let n: u32 = number(p, "--page")?;
                if n == 0 {
                    return Err("--page counts from 1".into());
                }
                a.page = Some(n);
            }
            "--page-size" => {
                let n: u32 = number(p, "--page-size")?;
                if !(1..=500).contains(&n) {
                    return Err(format!("--page-size takes 1 to 500, not {n}").into());
                }
                a.page_size = Some(n);
            }
            "--id" => a.ids.push(p.value()?.string()?),
            "--json" => a.json = true,
            "-h" | "--help" => return Ok(Command::Help(Some("list"))),
            _ => return Err(unknown(&arg)),
        }
    }
    Ok(Command::List(a))
}

fn parse_cancel(p: &mut Parser, g: &mut Global) -> Res<Command> {
    let mut id = None;
    while let Some(tok) = next(p)? {
        let arg = match tok {
            Tok::Val(v) => {
                take_id(&mut id, v)?;
                continue;
            }
            Tok::Opt(o) => o,
        };
        if global_option(&arg, p, g)? {
            continue;
        }
        match arg.as_str() {
            "-h" | "--help" => return Ok(Command::Help(Some("cancel"))),
            _ => return Err(unknown(&arg)),
        }
    }
    Ok(Command::Cancel {
        id: need_id(id, "cancel")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(s: &str) -> Result<(Global, Command), UsageError> {
        parse(s.split_whitespace().map(OsString::from))
    }

    #[test]
    fn global_options_go_before_or_after_the_command() {
        let (g, cmd) =
            parse_str("--base-url http://x get cgt-1 --allow-http --api-key-env K").unwrap();
        assert_eq!(g.base_url.as_deref(), Some("http://x"));
        assert!(g.allow_http);
        assert_eq!(g.api_key_env.as_deref(), Some("K"));
        assert!(matches!(cmd, Command::Get { id, json: false } if id == "cgt-1"));
    }

    #[test]
    fn generate_collects_everything() {
        let (_, cmd) = parse_str(
            "generate -p hi --image a.png --image b.png --model standard -r 1080p --ratio 9:16 \
             -d auto --no-audio --seed 7 --watermark --last-frame-out f.png -o v.mp4 --yes \
             --json --timeout 60 --poll-interval 0.5 --price-per-million 46 --currency CNY",
        )
        .unwrap();
        let Command::Generate(a) = cmd else {
            panic!("not generate")
        };
        assert_eq!(a.request.images, ["a.png", "b.png"]);
        assert_eq!(a.request.duration, Some(-1));
        assert_eq!(a.request.audio, Some(false));
        assert!(
            a.request.return_last_frame,
            "--last-frame-out asks for the frame"
        );
        assert!(a.yes && a.wait.json);
        assert_eq!(a.wait.poll_interval, Some(Duration::from_millis(500)));
        assert_eq!(a.price.per_million, Some(46.0));
    }

    #[test]
    fn usage_errors_are_specific() {
        let msg = |s: &str| parse_str(s).unwrap_err().message;
        assert!(msg("generate --duration five").contains("--duration"));
        assert!(msg("frobnicate").contains("unknown command"));
        assert!(msg("get").contains("missing the task id"));
        assert!(msg("get a b").contains("one task id"));
        assert!(msg("generate --api-key sk-x").contains("SEEDANCE_API_KEY"));
        assert!(msg("estimate --currency CNY").contains("go together"));
        assert!(msg("list --page-size 501").contains("1 to 500"));
        assert!(msg("wait x --poll-interval 0.01").contains("at least 0.1"));
    }

    #[test]
    fn help_everywhere() {
        assert!(matches!(
            parse_str("--help").unwrap().1,
            Command::Help(None)
        ));
        assert!(matches!(
            parse_str("help list").unwrap().1,
            Command::Help(Some("list"))
        ));
        for c in COMMANDS {
            let (_, cmd) = parse_str(&format!("{c} --help")).unwrap();
            assert!(matches!(cmd, Command::Help(Some(n)) if n == *c), "{c}");
        }
    }
}
