//! `get`, `list` and `cancel`.

use std::time::Duration;

use seedance::protocol::ListQuery;
use seedance::TaskStatus;

use crate::args::ListArgs;
use crate::ctx::Ctx;
use crate::failure::Failure;
use crate::fmt::{thousands, utc};
use crate::request;
use crate::run::print_json;

pub(crate) async fn get(ctx: &Ctx, id: &str, json: bool) -> Result<(), Failure> {
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

pub(crate) fn expiry_short(at: i64) -> String {
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

pub(crate) fn short_model(m: Option<&seedance::Model>) -> String {
    match m {
        Some(seedance::Model::Fast) => "fast".to_owned(),
        Some(seedance::Model::Standard) => "standard".to_owned(),
        Some(other) => other.to_string(),
        None => "-".to_owned(),
    }
}

pub(crate) async fn list(ctx: &Ctx, a: &ListArgs) -> Result<(), Failure> {
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

pub(crate) async fn cancel(ctx: &Ctx, id: &str) -> Result<(), Failure> {
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
