//! `validate`: every problem of a request at once; no key, no network.

use crate::ctx::Ctx;
use crate::failure::Failure;
use crate::fmt::print_json;
use crate::media;
use crate::request::{self, RequestArgs};

/// check a request against every documented rule; no key needed
#[derive(clap::Args, Debug)]
#[command(
    before_help = "\
Prints every problem (field, value given, what is allowed) and exits 2, or says which mode
the request is and exits 0. No API key needed; nothing is sent.",
    after_help = media::NOTE
)]
pub struct Args {
    #[command(flatten)]
    pub request: RequestArgs,
    /// print the outcome as JSON
    #[arg(long)]
    pub json: bool,
}

pub async fn run(ctx: &Ctx, a: Args) -> Result<(), Failure> {
    let limits = ctx.limits();
    let built = request::build(&a.request, &limits)?;
    let outcome = seedance::validate(&built.req, &limits);
    if a.json {
        print_json(&outcome)?;
    }
    request::check(&outcome, &built.sources)?;
    if !a.json {
        println!(
            "ok: a valid {} request for {}; nothing was sent",
            request::mode_name(&outcome),
            built.req.model
        );
    }
    Ok(())
}
