//! `cancel ID`: cancel a queued task, or delete a finished task's record.

use seedance::TaskStatus;

use crate::ctx::{Ctx, TaskId};
use crate::failure::Failure;

/// cancel a queued task, or delete a finished task's record
#[derive(clap::Args, Debug)]
#[command(before_help = "\
A queued task becomes cancelled and is not billed. A running task can't be cancelled: the
server finishes and bills it (exit 1, says so). A finished task's record is deleted.")]
pub struct Args {
    #[command(flatten)]
    pub task: TaskId,
}

pub async fn run(ctx: &Ctx, a: Args) -> Result<(), Failure> {
    let id = a.task.id.as_str();
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
