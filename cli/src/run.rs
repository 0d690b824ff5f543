//! The commands.

use std::future::Future;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use seedance::protocol::{ListQuery, DEFAULT_BASE_URL};
use seedance::{
    ApiKey, Client, CostModel, Estimate, Limits, PollPolicy, Price, PriceTable, Task, TaskStatus,
    WaitOptions,
};

use crate::args::{Command, GenerateArgs, Global, ListArgs, PriceArgs, RequestArgs, WaitArgs};
use crate::failure::{from_error, Failure, Prefix, EXIT_FAILED, EXIT_INTERRUPTED};
use crate::fmt::{shell_quote, thousands, utc};
use crate::progress::Display;
use crate::request::{self, Built};

/// What every command shares: the global options.
struct Ctx {
    global: Global,
    prefix: Prefix,
}

impl Ctx {
    fn new(global: Global) -> Self {
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

    fn limits(&self) -> Limits {
        Limits {
            allow_http: self.global.allow_http,
            ..Limits::default()
        }
    }

    fn fail(&self, e: seedance::Error) -> Failure {
        from_error(e, &self.prefix)
    }

    /// [`fail`](Self::fail), printing a failed task as JSON first when `--json` asked for
    /// the final task.
    fn fail_json(&self, e: seedance::Error, json: bool) -> Failure {
        if let (true, seedance::Error::TaskFailed { task }) = (json, &e) {
            if let Err(f) = print_json(task) {
                return f;
            }
        }
        self.fail(e)
    }

    /// A client with the key from the environment and the base URL; nothing is sent yet.
    fn client(&self) -> Result<Client, Failure> {
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

/// Run a command; the exit code.
pub async fn run(global: Global, cmd: Command) -> u8 {
    let ctx = Ctx::new(global);
    let result = match cmd {
        Command::Help(topic) => {
            print!("{}", crate::help::text(topic));
            Ok(())
        }
        Command::Version => {
            println!("seedance {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        Command::Generate(a) => generate(&ctx, a).await,
        Command::Estimate {
            request,
            price,
            json,
        } => estimate(&ctx, &request, &price, json),
        Command::Validate { request, json } => validate(&ctx, &request, json),
        Command::Get { id, json } => get(&ctx, &id, json).await,
        Command::Wait { id, wait: w } => wait(&ctx, &id, &w).await,
        Command::List(a) => list(&ctx, &a).await,
        Command::Cancel { id } => cancel(&ctx, &id).await,
    };
    let _ = std::io::stdout().flush();
    match result {
        Ok(()) => 0,
        Err(f) => {
            f.print();
            f.code
        }
    }
}

// ---------------------------------------------------------------------------------------
// Requests: build, check, estimate.

/// Build and validate; print warnings; fail with every error (exit 2).
fn checked_request(ctx: &Ctx, a: &RequestArgs) -> Result<(Built, seedance::Validation), Failure> {
    let limits = ctx.limits();
    let built = request::build(a, &limits)?;
    let outcome = seedance::validate(&built.req, &limits);
    request::check(&outcome, &built.sources)?;
    Ok((built, outcome))
}

fn price_table(p: &PriceArgs) -> Option<PriceTable> {
    Some(PriceTable {
        currency: p.currency.clone()?,
        prices: vec![Price {
            per_million_tokens: p.per_million?,
            ..Price::default()
        }],
    })
}

/// `108,900 tokens (720p 16:9 = 1280×720, 5 s, doubao-…)`, plus money when priced.
fn estimate_lines(built: &Built, est: &Estimate, price: &PriceArgs) -> Vec<String> {
    let req = &built.req;
    let tokens = if est.tokens_min == est.tokens_max {
        format!("{} tokens", thousands(est.tokens_max))
    } else {
        format!(
            "{} to {} tokens",
            thousands(est.tokens_min),
            thousands(est.tokens_max)
        )
    };
    let seconds = if est.seconds_min == est.seconds_max {
        format!("{} s", est.seconds_max)
    } else {
        format!("auto: {} to {} s", est.seconds_min, est.seconds_max)
    };
    let resolution = req.resolution.as_ref().map_or("720p", |r| r.as_str());
    let ratio = req.ratio.as_ref().map_or("adaptive", |r| r.as_str());
    let size = if ratio == "adaptive" {
        "size chosen by the model".to_owned()
    } else {
        format!("{}×{}", est.width, est.height)
    };
    let mut lines = vec![format!(
        "estimate: {tokens} ({resolution} {ratio}, {size}, {seconds}, {})",
        req.model
    )];
    match (&est.price, price.per_million) {
        (Some(p), Some(per)) => {
            let money = if p.min == p.max {
                crate::fmt::money(p.max)
            } else {
                format!(
                    "{} to {}",
                    crate::fmt::money(p.min),
                    crate::fmt::money(p.max)
                )
            };
            lines.push(format!(
                "cost: about {money} {} (at {per} {} per million tokens)",
                p.currency, p.currency
            ));
        }
        _ => lines.push(
            "cost: give --price-per-million X --currency C for money (only succeeded tasks are billed)"
                .to_owned(),
        ),
    }
    if req.has_video_input() {
        lines.push(
            "note: a reference video may add its own length to the bill (not counted here)"
                .to_owned(),
        );
    }
    lines
}

fn estimate(ctx: &Ctx, a: &RequestArgs, price: &PriceArgs, json: bool) -> Result<(), Failure> {
    // The prompt does not change the cost: without any content, check the parameters only.
    let mut a = a.clone();
    if a.prompt.is_none()
        && a.images.is_empty()
        && a.first_frame.is_none()
        && a.last_frame.is_none()
        && a.ref_images.is_empty()
        && a.ref_videos.is_empty()
        && a.ref_audios.is_empty()
    {
        a.prompt = Some("(any prompt)".to_owned());
    }
    let (built, _) = checked_request(ctx, &a)?;
    let table = price_table(price);
    let est = CostModel::default().estimate(&built.req, table.as_ref());
    if json {
        print_json(&est)?;
    } else {
        for line in estimate_lines(&built, &est, price) {
            println!("{line}");
        }
    }
    Ok(())
}

fn validate(ctx: &Ctx, a: &RequestArgs, json: bool) -> Result<(), Failure> {
    let limits = ctx.limits();
    let built = request::build(a, &limits)?;
    let outcome = seedance::validate(&built.req, &limits);
    if json {
        print_json(&outcome)?;
    }
    request::check(&outcome, &built.sources)?;
    if !json {
        println!(
            "ok: a valid {} request for {}; nothing was sent",
            request::mode_name(&outcome),
            built.req.model
        );
    }
    Ok(())
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::new(EXIT_FAILED, format!("can't print JSON: {e}")))?;
    println!("{text}");
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Waiting, with Ctrl-C and a ticking display.

/// Run `fut` while redrawing the display each second; `None` on Ctrl-C (the future is
/// dropped, which stops its request and timer).
async fn interruptible<F: Future>(fut: F, display: &Display) -> Option<F::Output> {
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
fn policy(w: &WaitArgs, base: PollPolicy) -> PollPolicy {
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

fn interrupted(ctx: &Ctx, id: &str, w: &WaitArgs) -> Failure {
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
fn check_outputs(w: &WaitArgs) -> Result<(), Failure> {
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

async fn generate(ctx: &Ctx, a: GenerateArgs) -> Result<(), Failure> {
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
fn confirm(yes: bool) -> Result<(), Failure> {
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
async fn finish(
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

fn expiry_line(what: &str, at: i64, fresh: &str) -> String {
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
fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".part");
    let tmp = std::path::PathBuf::from(tmp);
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

async fn wait(ctx: &Ctx, id: &str, w: &WaitArgs) -> Result<(), Failure> {
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

// ---------------------------------------------------------------------------------------
// get, list, cancel.

async fn get(ctx: &Ctx, id: &str, json: bool) -> Result<(), Failure> {
    let client = ctx.client()?;
    let task = client.get_task(id).await.map_err(|e| ctx.fail(e))?;
    if json {
        return print_json(&task);
    }
    let mut rows: Vec<(&str, String)> = vec![("id", task.id.clone())];
    rows.push(("status", task.status.to_string()));
    if let Some(m) = &task.model {
        rows.push(("model", m.to_string()));
    }
    if let Some(t) = task.created_at {
        rows.push(("created", utc(t)));
    }
    if let Some(t) = task.updated_at {
        rows.push(("updated", utc(t)));
    }
    let mut output = Vec::new();
    if let Some(r) = &task.resolution {
        output.push(r.to_string());
    }
    if let Some(r) = &task.ratio {
        output.push(r.to_string());
    }
    if let Some(d) = task.duration {
        output.push(format!("{d} s"));
    }
    if let Some(f) = task.framespersecond {
        output.push(format!("{f} fps"));
    }
    if let Some(a) = task.generate_audio {
        output.push(if a { "with sound" } else { "silent" }.to_owned());
    }
    if let Some(s) = task.seed {
        output.push(format!("seed {s}"));
    }
    if !output.is_empty() {
        rows.push(("output", output.join(", ")));
    }
    if let Some(t) = task.billed_tokens() {
        rows.push(("tokens", thousands(t)));
    }
    if let Some(url) = task.video_url() {
        rows.push(("video", url.to_owned()));
        if let Some(at) = task.video_expires_at() {
            rows.push(("expires", expiry_short(at)));
        }
    }
    if let Some(url) = task.last_frame_url() {
        rows.push(("last frame", url.to_owned()));
    }
    if let Some(e) = &task.error {
        rows.push(("error", format!("{}: {}", e.code, e.message)));
    }
    for (k, v) in rows {
        println!("{k:<11} {v}");
    }
    Ok(())
}

fn expiry_short(at: i64) -> String {
    let left = at - crate::fmt::now();
    if left > 0 {
        format!(
            "{} (in {})",
            utc(at),
            crate::fmt::span(Duration::from_secs(left as u64))
        )
    } else {
        format!("{} (expired; get again for a fresh link)", utc(at))
    }
}

fn short_model(m: Option<&seedance::Model>) -> String {
    match m {
        Some(seedance::Model::Fast) => "fast".to_owned(),
        Some(seedance::Model::Standard) => "standard".to_owned(),
        Some(other) => other.to_string(),
        None => "-".to_owned(),
    }
}

async fn list(ctx: &Ctx, a: &ListArgs) -> Result<(), Failure> {
    let client = ctx.client()?;
    let query = ListQuery {
        page_num: a.page,
        page_size: a.page_size,
        status: a.status.as_deref().map(TaskStatus::from),
        model: a
            .model
            .as_deref()
            .map(|m| request::model(m).as_str().to_owned()),
        task_ids: a.ids.clone(),
    };
    let page = client.list_tasks(&query).await.map_err(|e| ctx.fail(e))?;
    if a.json {
        return print_json(&page);
    }
    if page.items.is_empty() {
        println!("no tasks (total {})", page.total);
        return Ok(());
    }
    println!(
        "{:<26} {:<10} {:<9} {:<6} {:<8} {:>4}  CREATED",
        "ID", "STATUS", "MODEL", "RES", "RATIO", "DUR"
    );
    for t in &page.items {
        println!(
            "{:<26} {:<10} {:<9} {:<6} {:<8} {:>4}  {}",
            t.id,
            t.status.as_str(),
            short_model(t.model.as_ref()),
            t.resolution.as_ref().map_or("-", |r| r.as_str()),
            t.ratio.as_ref().map_or("-", |r| r.as_str()),
            t.duration.map_or("-".to_owned(), |d| format!("{d}s")),
            t.created_at.map_or("-".to_owned(), utc),
        );
    }
    let page_num = a.page.unwrap_or(1);
    println!(
        "page {page_num}: {} of {} task{}",
        page.items.len(),
        page.total,
        if page.total == 1 { "" } else { "s" }
    );
    Ok(())
}

async fn cancel(ctx: &Ctx, id: &str) -> Result<(), Failure> {
    let client = ctx.client()?;
    // Look first, to say what the delete will do (cancel, or delete a finished record).
    let before = client.get_task(id).await.map_err(|e| ctx.fail(e))?;
    if before.status == TaskStatus::Cancelled {
        println!("task {id} is already cancelled");
        return Ok(());
    }
    client.delete_task(id).await.map_err(|e| ctx.fail(e))?;
    match before.status {
        TaskStatus::Queued => println!("cancelled task {id} (it was queued; it is not billed)"),
        s if s.is_terminal() => println!("deleted the record of task {id} (it had {s})"),
        s => println!("deleted task {id} (it was {s})"),
    }
    Ok(())
}
