//! Following a task to its end (`generate`, `wait`): the result options, the poll policy,
//! Ctrl-C, printing the result and downloading it. Imports no command.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::pin;
use std::time::Duration;

use clap::Args;
use seedance::datetime::utc;
use seedance::numfmt::group;
use seedance::{Client, PollPolicy, Task};

use crate::ctx::Ctx;
use crate::failure::{Failure, EXIT_FAILED, EXIT_INTERRUPTED};
use crate::fmt::{print_json, shell_quote, span, time_left};
use crate::progress::Display;
use crate::values::{self, Check};

/// How to wait and what to do with the result.
#[derive(Args, Clone, Debug, Default)]
#[command(next_help_heading = "Result options")]
pub struct WaitArgs {
    /// download the video to FILE (plain GET of the signed link, no key)
    #[arg(short, long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// download the last frame (PNG) to FILE
    #[arg(long, value_name = "FILE")]
    pub last_frame_out: Option<PathBuf>,
    /// print the final task as JSON on stdout
    #[arg(long)]
    pub json: bool,
    /// stop waiting after this long (the task goes on)
    /// [default: 30 min, longer for long videos]
    #[arg(
        verbatim_doc_comment,
        long,
        value_name = "SECS",
        allow_negative_numbers = true,
        value_parser = Check(|v: &str, f: &str| values::seconds(v, f, 1.0))
    )]
    pub timeout: Option<Duration>,
    /// poll at this fixed interval instead of the fitted schedule
    #[arg(
        long,
        value_name = "SECS",
        allow_negative_numbers = true,
        value_parser = Check(|v: &str, f: &str| values::seconds(v, f, 0.1))
    )]
    pub poll_interval: Option<Duration>,
}

/// Run `fut` while redrawing the display each second; `None` on Ctrl-C (the future is
/// dropped, which stops its request and timer).
pub async fn interruptible<F: Future>(fut: F, display: &Display) -> Option<F::Output> {
    let mut fut = pin!(fut);
    let mut ctrl_c = pin!(tokio::signal::ctrl_c());
    let mut signals = true;
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            biased;
            r = &mut ctrl_c, if signals => match r {
                Ok(()) => return None,
                Err(_) => signals = false,
            },
            out = &mut fut => return Some(out),
            _ = tick.tick(), if display.is_live() => display.tick(),
        }
    }
}

/// The poll policy: a fixed interval when asked, else `base`; the deadline from `--timeout`.
pub fn policy(w: &WaitArgs, base: PollPolicy) -> PollPolicy {
    let mut p = match w.poll_interval {
        Some(every) => PollPolicy {
            first_delay: every,
            interval: every,
            growth: 1.0,
            max_delay: every,
            ..base
        },
        None => base,
    };
    if let Some(t) = w.timeout {
        p.deadline = Some(t);
    }
    p
}

pub fn interrupted(ctx: &Ctx, id: &str, w: &WaitArgs) -> Failure {
    Failure::new(
        EXIT_INTERRUPTED,
        format!("interrupted: stopped waiting; task {id} goes on on the server"),
    )
    .hint(format!(
        "resume: {}",
        ctx.prefix.cmd(&format!("wait {id}{}", out_args(w)))
    ))
    .hint(format!(
        "cancel it while it is still queued: {}",
        ctx.prefix.cmd(&format!("cancel {id}"))
    ))
}

fn out_args(w: &WaitArgs) -> String {
    let mut s = String::new();
    if let Some(p) = &w.out {
        s.push_str(&format!(" --out {}", shell_quote(&p.to_string_lossy())));
    }
    if let Some(p) = &w.last_frame_out {
        s.push_str(&format!(
            " --last-frame-out {}",
            shell_quote(&p.to_string_lossy())
        ));
    }
    s
}

/// Refuse, before anything is spent, an output path whose directory does not exist.
pub fn check_outputs(w: &WaitArgs) -> Result<(), Failure> {
    for (flag, path) in [("--out", &w.out), ("--last-frame-out", &w.last_frame_out)] {
        let Some(path) = path else { continue };
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        if path.is_dir() {
            return Err(Failure::usage(format!(
                "{flag} {}: is a directory; give a file name",
                path.display()
            )));
        }
        if !dir.is_dir() {
            return Err(Failure::usage(format!(
                "{flag} {}: the directory {} does not exist; nothing was sent",
                path.display(),
                dir.display()
            )));
        }
    }
    Ok(())
}

/// A task that succeeded: print the URL (or JSON), download what was asked for.
pub async fn finish(
    ctx: &Ctx,
    client: &Client,
    task: Task,
    w: &WaitArgs,
    display: &Display,
) -> Result<(), Failure> {
    let id = task.id.clone();
    let mut summary = format!("task {id} succeeded after {}", span(display.elapsed()));
    if let Some(tokens) = task.billed_tokens() {
        summary.push_str(&format!(" · {} tokens billed", group(tokens)));
    }
    eprintln!("{summary}");
    let Some(url) = task.video_url().map(str::to_owned) else {
        return Err(Failure::new(
            EXIT_FAILED,
            format!("task {id} succeeded but carries no video URL"),
        )
        .hint(format!(
            "look again: {}",
            ctx.prefix.cmd(&format!("get {id}"))
        )));
    };
    if w.json {
        print_json(&task)?;
    } else {
        println!("{url}");
    }
    if let Some(at) = task.video_expires_at() {
        let fresh = ctx.prefix.cmd(&format!("get {id}"));
        eprintln!("{}", expiry_line("video link", at, &fresh));
    }
    let downloads = [
        (w.out.as_deref(), Some(url.as_str()), "video"),
        (
            w.last_frame_out.as_deref(),
            task.last_frame_url(),
            "last frame",
        ),
    ];
    for (path, url, what) in downloads {
        let Some(path) = path else { continue };
        let again = || {
            format!(
                "download with a fresh link: {}",
                ctx.prefix.cmd(&format!("wait {id}{}", out_args(w)))
            )
        };
        let Some(url) = url else {
            return Err(Failure::new(
                EXIT_FAILED,
                format!("task {id} has no {what} URL (was it created with --return-last-frame?)"),
            ));
        };
        let bytes = match interruptible(client.fetch_bytes(url), display).await {
            Some(Ok(b)) => b,
            Some(Err(e)) => {
                return Err(Failure::new(
                    EXIT_FAILED,
                    format!("task {id} succeeded but the {what} download failed: {e}"),
                )
                .hint(again()))
            }
            None => {
                return Err(Failure::new(
                    EXIT_INTERRUPTED,
                    format!("interrupted while downloading the {what} of task {id}"),
                )
                .hint(again()))
            }
        };
        write_file(path, &bytes).map_err(|e| {
            Failure::new(
                EXIT_FAILED,
                format!("can't write the {what} to {}: {e}", path.display()),
            )
            .hint(again())
        })?;
        eprintln!(
            "saved the {what} to {} ({})",
            path.display(),
            crate::fmt::bytes(bytes.len())
        );
    }
    Ok(())
}

fn expiry_line(what: &str, at: i64, fresh: &str) -> String {
    match time_left(at) {
        Some(left) => format!(
            "{what} valid until {} (in {}); `{fresh}` signs a fresh one",
            utc(at),
            span(left)
        ),
        None => format!("{what} expired at {}; `{fresh}` signs a fresh one", utc(at)),
    }
}

/// Write through a temporary file beside the target, so a failed or interrupted download
/// never leaves a truncated file under the real name.
fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".part");
    let tmp = std::path::PathBuf::from(tmp);
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
