//! `batch FILE --out-dir DIR`: many requests as one run, on the core's job engine.

mod file;

use std::path::PathBuf;

use crate::cost::PriceArgs;
use crate::ctx::Ctx;
use crate::failure::Failure;
use crate::request::SettingsArgs;
use crate::runs::{RunArgs, RunFlags, Session, Spec};

/// run many requests from a .jsonl or .txt file, resumably   [spends money]
#[derive(clap::Args, Debug)]
#[command(
    before_help = "\
FILE.jsonl holds one create body a line (as the API takes it; an optional \"name\" names
the result and is never sent); FILE.txt one prompt a line. Blank lines are skipped. The
request options fill what a line leaves out (and make each .txt request).
Every line is checked first (all problems at once; nothing is sent if any), then the total
estimate and the worst case are printed and confirmed (or --yes). At most --concurrency
tasks are between create and a final status at once; after a 429 nothing is created until
its Retry-After has passed. Results go to DIR/{name or line number}-{task id}.mp4, the
journal to DIR/journal.json: the same command again resumes and never creates a job twice.
Ctrl-C stops creating and waiting, keeps every task and says how to resume; --cancel then
cancels the queued tasks.",
    after_help = EXAMPLES
)]
pub struct Args {
    /// the jobs: FILE.jsonl (create bodies) or FILE.txt (prompts)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// where the results and the journal (DIR/journal.json) go; created when missing
    #[arg(long, value_name = "DIR", required = true)]
    pub out_dir: PathBuf,
    #[command(flatten)]
    pub settings: SettingsArgs,
    #[command(flatten)]
    pub run: RunArgs,
    #[command(flatten)]
    pub flags: RunFlags,
    #[command(flatten)]
    pub price: PriceArgs,
}

const EXAMPLES: &str = "\
Examples:
  seedance batch prompts.txt --out-dir out -r 720p --ratio 16:9 -d 5 --no-audio --yes
  seedance batch jobs.jsonl --out-dir out --concurrency 3 --max-tokens 2000000
      jobs.jsonl: {\"name\": \"fox\", \"content\": [{\"type\": \"text\", \"text\": \"a fox\"}], \"duration\": 5}
  seedance batch jobs.jsonl --out-dir out --cancel     # cancel what is still queued";

pub async fn run(ctx: &Ctx, a: Args) -> Result<(), Failure> {
    let jobs = file::read(&a.file, &a.settings, &ctx.limits())?;
    let plan = jobs.batch.plan();
    let labels = plan
        .jobs
        .iter()
        .zip(&jobs.lines)
        .map(|(j, n)| format!("{} (line {n})", j.key))
        .collect();
    let spec = Spec {
        kind: "batch",
        noun: ("job", "jobs"),
        labels,
        names: jobs.batch.jobs.iter().map(|j| j.name.clone()).collect(),
        stems: jobs.stems,
        journal: a.out_dir.join("journal.json"),
        results: a.out_dir.clone(),
        plan,
    };
    let client = ctx.client()?;
    if a.flags.cancel {
        return Session::open(spec, None)?.cancel(&client).await;
    }
    let mut session = Session::open(spec, Some(&a.run))?;
    session.check_budget(a.run.max_tokens)?;
    session.print_estimate(&a.price);
    session.confirm(a.flags.yes, "batch")?;
    let ended = session.run(&client, &a.run, a.flags.poll_interval).await;
    session.conclude(ended, a.flags.json, None)
}
