//! `get ID`: one task, as a table or JSON.

use seedance::datetime::utc;
use seedance::numfmt::group;

use crate::ctx::{Ctx, TaskId};
use crate::failure::Failure;
use crate::fmt::{print_json, span, time_left};

/// show one task
#[derive(clap::Args, Debug)]
#[command(before_help = "\
Shows status, parameters, billed tokens, and for a finished task the video URL and when
that link expires (each get signs a fresh link). Exit 0 whatever the task's status.")]
pub struct Args {
    #[command(flatten)]
    pub task: TaskId,
    /// print the task as JSON
    #[arg(long)]
    pub json: bool,
}

pub async fn run(ctx: &Ctx, a: Args) -> Result<(), Failure> {
    let client = ctx.client()?;
    let task = client.get_task(&a.task.id).await.map_err(|e| ctx.fail(e))?;
    if a.json {
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
        rows.push(("tokens", group(t)));
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
    match time_left(at) {
        Some(left) => format!("{} (in {})", utc(at), span(left)),
        None => format!("{} (expired; get again for a fresh link)", utc(at)),
    }
}
