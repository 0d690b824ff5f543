//! `generate` and `wait`: create, poll with a progress line, survive Ctrl-C, download.

use std::future::Future;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use seedance::{Client, CostModel, PollPolicy, Task, TaskStatus, WaitOptions};

use crate::args::{GenerateArgs, WaitArgs};
use crate::ctx::Ctx;
use crate::failure::{Failure, EXIT_FAILED, EXIT_INTERRUPTED};
use crate::fmt::{shell_quote, thousands, utc};
use crate::offline::{checked_request, estimate_lines, price_table};
use crate::progress::Display;
use crate::run::print_json;

/// Run `fut` while redrawing the display each second; `None` on Ctrl-C (the future is
/// dropped, which stops its request and timer).
pub(crate) async fn interruptible<F: Future>(fut: F, display: &Display) -> Option<F::Output> {
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
pub(crate) fn policy(w: &WaitArgs, base: PollPolicy) -> PollPolicy {
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

pub(crate) fn interrupted(ctx: &Ctx, id: &str, w: &WaitArgs) -> Failure {
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

pub(crate) fn out_args(w: &WaitArgs) -> String {
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
pub(crate) fn check_outputs(w: &WaitArgs) -> Result<(), Failure> {
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

pub(crate) async fn generate(ctx: &Ctx, a: GenerateArgs) -> Result<(), Failure> {
    let (built, _) = checked_request(ctx, &a.request)?;
    check_outputs(&a.wait)?;
    let client = ctx.client()?;
    let req = &built.req;
    let table = price_table(&a.price);
    let est = CostModel::default().estimate(req, table.as_ref());
    for line in estimate_lines(&built, &est, &a.price) {
        eprintln!("{line}");
    }
    confirm(a.yes)?;

    let display = Arc::new(Display::new());
    let created: Arc<Mutex<Option<String>>> = Arc::default();
    let base_policy = client.poll_policy().for_request(req);
    let options = WaitOptions::new()
        .policy(policy(&a.wait, base_policy))
        .on_created({
            let (display, created, prefix) = (display.clone(), created.clone(), ctx.prefix.clone());
            move |id: &str| {
                if let Ok(mut slot) = created.lock() {
                    *slot = Some(id.to_owned());
                }
                display.set_status("created");
                display.say(&format!(
                    "task {id} created (if this stops, resume with: {})",
                    prefix.cmd(&format!("wait {id}"))
                ));
            }
        })
        .on_progress({
            let display = display.clone();
            move |p| display.update(p)
        });
    display.set_status("creating");
    display.say(&format!("creating the task on {} …", client.base_url()));
    let outcome = interruptible(client.generate(req, options), &display).await;
    display.finish();
    let task_id = created.lock().ok().and_then(|s| s.clone());
    let task = match (outcome, task_id) {
        (Some(result), _) => result.map_err(|e| ctx.fail_json(e, a.wait.json))?,
        (None, Some(id)) => return Err(interrupted(ctx, &id, &a.wait)),
        (None, None) => {
            return Err(Failure::new(
                EXIT_INTERRUPTED,
                "interrupted while the create was in flight: a task may exist and be billed",
            )
            .hint(format!(
                "look for it: {}",
                ctx.prefix.cmd(&format!("list --model {}", req.model))
            )))
        }
    };
    finish(ctx, &client, task, &a.wait, &display).await
}

/// Ask before spending, unless `--yes`. Without a terminal to ask on, `--yes` is required.
pub(crate) fn confirm(yes: bool) -> Result<(), Failure> {
    if yes {
        return Ok(());
    }
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(Failure::usage(
            "generate creates a billed task: pass --yes to confirm (no terminal to ask on); nothing was sent",
        ));
    }
    eprint!("create this task? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().read_line(&mut answer);
    match answer.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Ok(()),
        _ => Err(Failure::usage("not confirmed; nothing was sent")),
    }
}

/// A task that succeeded: print the URL (or JSON), download what was asked for.
pub(crate) async fn finish(
    ctx: &Ctx,
    client: &Client,
    task: Task,
    w: &WaitArgs,
    display: &Display,
) -> Result<(), Failure> {
    let id = task.id.clone();
    let mut summary = format!(
        "task {id} succeeded after {}",
        crate::fmt::span(display.elapsed())
    );
    if let Some(tokens) = task.billed_tokens() {
        summary.push_str(&format!(" · {} tokens billed", thousands(tokens)));
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

pub(crate) fn expiry_line(what: &str, at: i64, fresh: &str) -> String {
    let left = at - crate::fmt::now();
    if left > 0 {
        format!(
            "{what} valid until {} (in {}); `{fresh}` signs a fresh one",
            utc(at),
            crate::fmt::span(Duration::from_secs(left as u64))
        )
    } else {
        format!("{what} expired at {}; `{fresh}` signs a fresh one", utc(at))
    }
}

/// Write through a temporary file beside the target, so a failed or interrupted download
/// never leaves a truncated file under the real name.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".part");
    let tmp = std::path::PathBuf::from(tmp);
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

pub(crate) async fn wait(ctx: &Ctx, id: &str, w: &WaitArgs) -> Result<(), Failure> {
    check_outputs(w)?;
    let client = ctx.client()?;
    let display = Display::new();
    // One GET first: a finished task is answered at once, without the first poll delay.
    let first = match interruptible(client.get_task(id), &display).await {
        Some(r) => r.map_err(|e| ctx.fail(e))?,
        None => return Err(interrupted(ctx, id, w)),
    };
    let task = if first.is_terminal() {
        first
    } else {
        display.set_status(first.status.as_str());
        display.say(&format!("task {id} is {}; waiting", first.status));
        let options = WaitOptions::new()
            .policy(policy(w, client.poll_policy().clone()))
            .on_progress(|p| display.update(p));
        let outcome = interruptible(client.wait(id, options), &display).await;
        display.finish();
        match outcome {
            Some(r) => r.map_err(|e| ctx.fail_json(e, w.json))?,
            None => return Err(interrupted(ctx, id, w)),
        }
    };
    if task.status != TaskStatus::Succeeded {
        let e = seedance::Error::TaskFailed {
            task: Box::new(task),
        };
        return Err(ctx.fail_json(e, w.json));
    }
    finish(ctx, &client, task, w, &display).await
}
