//! `generate`: check, estimate, confirm, create, follow the task, print and download.

use std::sync::{Arc, Mutex};

use seedance::WaitOptions;

use crate::cost::{self, PriceArgs};
use crate::ctx::Ctx;
use crate::failure::{Failure, EXIT_INTERRUPTED};
use crate::media;
use crate::progress::Display;
use crate::request::{self, RequestArgs};
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
the task (exit code 3).",
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
    #[command(flatten)]
    pub price: PriceArgs,
}

const EXAMPLES: &str = "\
Examples:
  seedance generate -p \"Waves at dusk\" --no-audio -o waves.mp4
  seedance generate -p \"the camera pulls back\" --image start.png -m standard -r 1080p -o out.mp4
  seedance generate -p \"the cat from image 1 plays the piano\" --ref-image cat.png -d auto";

pub async fn run(ctx: &Ctx, mut a: Args) -> Result<(), Failure> {
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
    cost::confirm(a.yes, "generate creates a billed task")?;

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
