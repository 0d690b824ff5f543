//! `generate`: check, estimate, confirm, create, follow the task, print and download.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use seedance::jobs::{Batch, Journal};
use seedance::WaitOptions;

use crate::cost::{self, PriceArgs};
use crate::ctx::Ctx;
use crate::failure::{Failure, EXIT_INTERRUPTED};
use crate::media;
use crate::progress::Display;
use crate::request::{self, RequestArgs};
use crate::runs::{RunArgs, Session, Spec};
use crate::values::{self, Check};
use crate::waiting::{check_outputs, finish, interrupted, interruptible, policy, WaitArgs};

/// create a task, wait for it, print (and download) the video   [spends money]
#[derive(clap::Args, Debug)]
#[command(
    before_help = "\
Checks the request first (every problem at once; nothing is sent if any), prints the
estimated tokens, asks for confirmation (or takes --yes; without a terminal --yes is
required), creates the task and prints its id at once, then shows progress until it ends.
On success the video URL goes to stdout (and its expiry to stderr); --out downloads it.
Ctrl-C stops waiting, not the task: the id and `seedance wait ID` are printed.
A create is never retried on its own: if its outcome is unknown you are told how to find
the task (exit code 3).
--variations N --out-dir DIR makes N seeds of the request as one resumable run (like
`seedance batch`): DIR/seed-<seed>-<task id>.mp4, journal DIR/journal.json; the same
command again resumes.",
    after_help = format!("{}\n\n{EXAMPLES}", media::NOTE)
)]
pub struct Args {
    /// create without asking
    #[arg(short, long)]
    pub yes: bool,
    #[command(flatten)]
    pub request: RequestArgs,
    #[command(flatten)]
    pub wait: WaitArgs,
    /// make N variations (seeds counting up from --seed, else drawn) as one run
    #[arg(
        long,
        value_name = "N",
        help_heading = "Run options",
        requires = "out_dir",
        conflicts_with_all = ["out", "last_frame_out", "timeout"],
        value_parser = Check(|v: &str, f: &str| values::count(v, f, 1, 100))
    )]
    pub variations: Option<usize>,
    /// where the variations and their journal (DIR/journal.json) go
    #[arg(
        long,
        value_name = "DIR",
        help_heading = "Run options",
        requires = "variations"
    )]
    pub out_dir: Option<PathBuf>,
    #[command(flatten)]
    pub run: RunArgs,
    #[command(flatten)]
    pub price: PriceArgs,
}

const EXAMPLES: &str = "\
Examples:
  seedance generate -p \"Waves at dusk\" --no-audio -o waves.mp4
  seedance generate -p \"the camera pulls back\" --image start.png -m standard -r 1080p -o out.mp4
  seedance generate -p \"the cat from image 1 plays the piano\" --ref-image cat.png -d auto
  seedance generate -p \"a lighthouse in a storm\" --variations 4 --out-dir storm --yes";

pub async fn run(ctx: &Ctx, mut a: Args) -> Result<(), Failure> {
    if let Some(n) = a.variations {
        return variations(ctx, a, n).await;
    }
    if a.run.any() {
        return Err(Failure::usage(
            "--concurrency, --rate, --max-tokens, --retry-failed and --recreate-unknown are for a run: add --variations N --out-dir DIR",
        ));
    }
    if a.wait.last_frame_out.is_some() {
        a.request.return_last_frame = true;
    }
    let (built, _) = request::checked(ctx, &a.request)?;
    check_outputs(&a.wait)?;
    let client = ctx.client()?;
    let req = &built.req;
    let est = cost::estimate(&built, &a.price);
    for line in cost::estimate_lines(&built, &est, &a.price) {
        eprintln!("{line}");
    }
    cost::confirm(a.yes, "generate creates a billed task", "create this task?")?;

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

/// `--variations N --out-dir DIR`: N seeds of one request, run like a batch.
async fn variations(ctx: &Ctx, a: Args, n: usize) -> Result<(), Failure> {
    let (built, _) = request::checked(ctx, &a.request)?;
    let dir = a.out_dir.clone().unwrap_or_default();
    let journal = dir.join("journal.json");
    let mut req = built.req;
    // Without --seed, a rerun takes the seeds the journal has.
    if req.seed.is_none_or(|s| s < 0) {
        req.seed = first_seed(&journal).or(req.seed);
    }
    let plan = Batch::variations(&req, n, drawn()).plan();
    let keys: Vec<String> = plan.jobs.iter().map(|j| j.key.clone()).collect();
    let spec = Spec {
        kind: "variations",
        noun: ("variation", "variations"),
        labels: keys.clone(),
        names: keys.iter().cloned().map(Some).collect(),
        stems: keys,
        journal,
        results: dir,
        plan,
    };
    let client = ctx.client()?;
    let mut session = Session::open(spec, Some(&a.run))?;
    session.check_budget(a.run.max_tokens)?;
    session.print_estimate(&a.price);
    session.confirm(a.yes, "generate --variations")?;
    let ended = session.run(&client, &a.run, a.wait.poll_interval).await;
    session.conclude(ended, a.wait.json, None)
}

/// The first seed of an earlier run's journal (`seed-<seed>`).
fn first_seed(journal: &Path) -> Option<i64> {
    let text = std::fs::read_to_string(journal).ok()?;
    let journal: Journal = serde_json::from_str(&text).ok()?;
    if journal.kind != "variations" {
        return None;
    }
    journal
        .jobs
        .first()?
        .key
        .strip_prefix("seed-")?
        .parse()
        .ok()
}

/// Randomness for drawn seeds: the clock and the process id.
fn drawn() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos ^ (u64::from(std::process::id()) << 32)
}
