//! `list`: recent tasks, newest first, as a table or JSON.

use seedance::datetime::utc;
use seedance::protocol::ListQuery;
use seedance::TaskStatus;

use crate::ctx::Ctx;
use crate::failure::Failure;
use crate::fmt::print_json;
use crate::request;
use crate::values::{self, Check};

/// list recent tasks, newest first
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Some servers (the reseller) may have no list route; you are told so plainly."
)]
pub struct Args {
    /// queued | running | succeeded | failed | expired | cancelled
    #[arg(long, value_name = "S")]
    pub status: Option<String>,
    /// fast | standard | a model id
    #[arg(short, long, value_name = "M")]
    pub model: Option<String>,
    /// only these tasks (repeatable)
    #[arg(long = "id", value_name = "ID")]
    pub ids: Vec<String>,
    /// page number, from 1 [default: 1]
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = Check(values::page))]
    pub page: Option<u32>,
    /// tasks per page, 1..500 [server default: 10]
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = Check(values::page_size))]
    pub page_size: Option<u32>,
    /// print the page as JSON
    #[arg(long)]
    pub json: bool,
}

pub async fn run(ctx: &Ctx, a: Args) -> Result<(), Failure> {
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

fn short_model(m: Option<&seedance::Model>) -> String {
    match m {
        Some(seedance::Model::Fast) => "fast".to_owned(),
        Some(seedance::Model::Standard) => "standard".to_owned(),
        Some(other) => other.to_string(),
        None => "-".to_owned(),
    }
}
