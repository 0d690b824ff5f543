//! `wait ID`: follow any task to its end, then print (and download) the result.

use seedance::{TaskStatus, WaitOptions};

use crate::ctx::{Ctx, TaskId};
use crate::failure::Failure;
use crate::progress::Display;
use crate::waiting::{check_outputs, finish, interrupted, interruptible, policy, WaitArgs};

/// wait for a task to end, then print (and download) the video
#[derive(clap::Args, Debug)]
#[command(before_help = "\
Resumes any task (one created elsewhere, or by an interrupted `generate`). Exit 0 when it
succeeded, 1 when it failed, expired or was cancelled, 3 when waiting timed out (the task
goes on: wait again).")]
pub struct Args {
    #[command(flatten)]
    pub task: TaskId,
    #[command(flatten)]
    pub wait: WaitArgs,
}

pub async fn run(ctx: &Ctx, a: Args) -> Result<(), Failure> {
    let (id, w) = (a.task.id.as_str(), &a.wait);
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
