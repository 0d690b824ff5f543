//! The command line through clap: what each flag parses to, and the usage errors.

use std::time::Duration;

use clap::error::ErrorKind;
use clap::CommandFactory;

use super::*;

fn parse(line: &str) -> Result<Cli, clap::Error> {
    try_parse(
        std::iter::once("seedance")
            .chain(line.split_whitespace())
            .map(OsString::from),
    )
}

#[test]
fn verify_cli() {
    Cli::command().debug_assert();
}

fn error(line: &str) -> clap::Error {
    parse(line).expect_err(line)
}

/// What a usage error prints, hint included.
fn message(line: &str) -> String {
    let e = error(line);
    assert_eq!(e.exit_code(), 2, "{line}");
    crate::usage::render(&e)
}

#[test]
fn global_options_go_before_or_after_the_command() {
    let cli = parse("--base-url http://x get cgt-1 --allow-http --api-key-env K").unwrap();
    assert_eq!(cli.global.base_url.as_deref(), Some("http://x"));
    assert!(cli.global.allow_http);
    assert_eq!(cli.global.api_key_env.as_deref(), Some("K"));
    assert!(matches!(cli.command, Command::Get(a) if a.task.id == "cgt-1" && !a.json));
}

#[test]
fn generate_collects_everything() {
    let cli = parse(
        "generate -p hi --image a.png --image b.png --model standard -r 1080p --ratio 9:16 \
         -d auto --no-audio --seed 7 --watermark --last-frame-out f.png -o v.mp4 --yes \
         --json --timeout 60 --poll-interval 0.5 --price-per-million 46 --currency CNY",
    )
    .unwrap();
    let Command::Generate(a) = cli.command else {
        panic!("not generate")
    };
    let r = &a.request;
    assert_eq!(r.prompt.as_deref(), Some("hi"));
    let s = &r.settings;
    assert_eq!(r.images, ["a.png", "b.png"]);
    assert_eq!(
        (s.model.as_str(), s.resolution.as_deref()),
        ("standard", Some("1080p"))
    );
    assert_eq!(s.ratio.as_deref(), Some("9:16"));
    assert_eq!(s.duration, Some(seedance::DURATION_AUTO));
    assert!(s.no_audio && !s.audio && r.watermark);
    assert_eq!(r.seed, Some(7));
    assert!(a.yes && a.wait.json);
    assert_eq!(a.wait.out.as_deref(), Some(std::path::Path::new("v.mp4")));
    assert_eq!(a.wait.timeout, Some(Duration::from_secs(60)));
    assert_eq!(a.wait.poll_interval, Some(Duration::from_millis(500)));
    assert_eq!(a.price.per_million, Some(46.0));
    assert_eq!(a.price.currency.as_deref(), Some("CNY"));
}

#[test]
fn defaults_repeats_and_values_that_start_with_a_dash() {
    let Command::Validate(a) = parse("validate -p -dashing --seed -1 -d -1")
        .unwrap()
        .command
    else {
        panic!("not validate")
    };
    let r = &a.request;
    assert_eq!(r.settings.model, "fast", "the default model");
    assert_eq!(r.prompt.as_deref(), Some("-dashing"));
    assert_eq!((r.seed, r.settings.duration), (Some(-1), Some(-1)));
    // The last of a repeated option wins; --image accumulates; --x/--no-x: the last one.
    let Command::Estimate(a) =
        parse("estimate -m standard -m fast -r 480p --audio --no-audio --no-watermark --watermark")
            .unwrap()
            .command
    else {
        panic!("not estimate")
    };
    let r = &a.request;
    let s = &r.settings;
    assert_eq!(
        (s.model.as_str(), s.resolution.as_deref()),
        ("fast", Some("480p"))
    );
    assert!(!s.audio && s.no_audio && r.watermark && !r.no_watermark);
}

#[test]
fn usage_errors_are_specific() {
    assert!(message("generate --duration five")
        .contains("error: --duration takes whole seconds (4 to 15) or `auto`, not \"five\""));
    assert!(message("generate --seed x").contains("--seed takes a number, not \"x\""));
    assert!(message("get").contains("<ID>"), "the missing task id");
    assert!(
        message("get a b").contains("unexpected argument 'b'"),
        "one task id"
    );
    assert!(message("get  ").contains("<ID>"));
    assert!(message("list --page-size 501").contains("--page-size takes 1 to 500, not 501"));
    assert!(message("list --page 0").contains("--page counts from 1"));
    assert!(message("wait x --poll-interval 0.01").contains("at least 0.1"));
    assert!(message("wait x --timeout 0.5").contains("--timeout takes seconds, at least 1"));
    assert!(message("--api-key-env A=B list").contains("the NAME of an environment variable"));
    // A price needs its currency and the other way round (clap's `requires`).
    for line in ["estimate --currency CNY", "generate --price-per-million 46"] {
        let e = error(line);
        assert_eq!(e.kind(), ErrorKind::MissingRequiredArgument);
        assert!(
            message(line).contains("--price-per-million <X>")
                || message(line).contains("--currency <C>")
        );
    }
    // Errors in a command point to its help; clap's suggestions stay.
    assert!(message("list --frob").contains("hint: see `seedance list --help`"));
    let typo = message("genrate");
    assert!(
        typo.contains("a similar subcommand exists: 'generate'"),
        "{typo}"
    );
    assert_eq!(error("frobnicate").kind(), ErrorKind::InvalidSubcommand);
}

#[test]
fn a_key_as_an_argument_is_refused_and_not_repeated() {
    for line in [
        "generate -p x --api-key=sk-secret-value",
        "generate -p x --api-key sk-secret-value",
        "--key sk-secret-value list",
        "get cgt-1 --token=sk-secret-value",
        "list --api-key",
    ] {
        let text = message(line);
        assert!(
            text.contains("the API key is never taken as an argument"),
            "{line}: {text}"
        );
        assert!(text.contains("SEEDANCE_API_KEY"), "{text}");
        assert!(!text.contains("sk-secret-value"), "{text}");
    }
}

#[test]
fn help_everywhere() {
    let kind = |line: &str| error(line).kind();
    assert_eq!(kind("--help"), ErrorKind::DisplayHelp);
    assert_eq!(kind("-V"), ErrorKind::DisplayVersion);
    assert_eq!(
        error("--version").to_string(),
        format!("seedance {}\n", env!("CARGO_PKG_VERSION"))
    );
    for c in Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
    {
        let by_flag = error(&format!("{c} --help"));
        assert_eq!(by_flag.kind(), ErrorKind::DisplayHelp, "{c}");
        let text = by_flag.to_string();
        assert!(text.starts_with(&format!("seedance {c} — ")), "{text}");
        assert!(text.contains(&format!("Usage: seedance {c}")), "{text}");
        assert_eq!(error(&format!("help {c}")).to_string(), text, "help {c}");
    }
}

#[test]
fn completions_for_the_usual_shells() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let cli = parse(&format!("completions {shell}")).unwrap();
        assert!(matches!(cli.command, Command::Completions(_)), "{shell}");
    }
    let mut bash = Vec::new();
    clap_complete::generate(
        clap_complete::Shell::Bash,
        &mut Cli::command(),
        "seedance",
        &mut bash,
    );
    let bash = String::from_utf8(bash).unwrap();
    for word in [
        "generate",
        "--prompt",
        "--ref-image",
        "--page-size",
        "--api-key-env",
    ] {
        assert!(bash.contains(word), "{word}");
    }
    assert!(
        !bash.contains("--api-key "),
        "a refused flag is never offered"
    );
    assert_eq!(error("completions nosh").kind(), ErrorKind::InvalidValue);
}

#[test]
fn negative_numbers_reach_their_check() {
    for (line, says) in [
        (
            "estimate --price-per-million -1 --currency C",
            "--price-per-million takes a price of at least 0",
        ),
        ("wait x --timeout -1", "--timeout takes seconds, at least 1"),
        ("list --page -1", "--page takes a number, not \"-1\""),
    ] {
        assert!(message(line).contains(says), "{line}");
    }
    let Command::Validate(a) = parse("validate --expires-after -5").unwrap().command else {
        panic!("not validate")
    };
    assert_eq!(
        a.request.expires_after,
        Some(-5),
        "left to the validation, which names the range"
    );
}

#[test]
fn runs_collect_their_options() {
    let Command::Batch(a) = parse(
        "batch jobs.jsonl --out-dir out -m standard -r 1080p --no-audio --concurrency 5 \
         --rate 60 --max-tokens 2000000 --retry-failed --yes --json --poll-interval 0.2",
    )
    .unwrap()
    .command
    else {
        panic!("not batch")
    };
    assert_eq!(a.file, std::path::Path::new("jobs.jsonl"));
    assert_eq!(a.out_dir, std::path::Path::new("out"));
    assert_eq!(a.settings.model, "standard");
    assert_eq!(a.settings.audio(), Some(false));
    let limits = a.run.limits();
    assert_eq!((limits.concurrency, limits.rate_per_minute), (5, 60));
    assert_eq!(a.run.max_tokens, Some(2_000_000));
    assert!(a.run.retry_failed && !a.run.recreate_unknown);
    assert!(a.flags.yes && a.flags.json && !a.flags.cancel);
    assert_eq!(a.flags.poll_interval, Some(Duration::from_millis(200)));
    // The defaults are the core's: 3 at once, 180 a minute.
    let Command::Film(f) = parse("film plan.json --out f.mp4").unwrap().command else {
        panic!("not film")
    };
    assert_eq!(f.run.limits(), seedance::jobs::RunLimits::default());
    assert_eq!(f.journal, None);
    let Command::Generate(g) = parse("generate -p x --variations 4 --out-dir v")
        .unwrap()
        .command
    else {
        panic!("not generate")
    };
    assert_eq!(g.variations, Some(4));
}

#[test]
fn run_usage_errors() {
    assert!(message("batch jobs.txt").contains("--out-dir <DIR>"));
    assert!(message("film plan.json").contains("--out <FILM.mp4>"));
    assert!(message("batch j.txt --out-dir o --concurrency 0")
        .contains("--concurrency takes 1 to 100, not 0"));
    assert!(message("generate -p x --variations 3").contains("--out-dir <DIR>"));
    assert!(message("generate -p x --out-dir v").contains("--variations <N>"));
    assert!(
        message("generate -p x --variations 3 --out-dir v --out a.mp4")
            .contains("cannot be used with")
    );
    assert!(message("concat --out f.mp4").contains("<CLIP.mp4>"));
}
