//! `estimate`: tokens, and money when priced; no key, no network.

use crate::cost::{self, PriceArgs};
use crate::ctx::Ctx;
use crate::failure::Failure;
use crate::fmt::print_json;
use crate::media;
use crate::request::{self, RequestArgs};

/// how many tokens (and how much money) a request would cost; no key needed
#[derive(clap::Args, Debug)]
#[command(
    before_help = "\
Takes the same request options as `generate` and checks them the same way (exit 2 on
problems). No API key needed; nothing is sent. Tokens are (24 × seconds + 1) × width ×
height / 1024 for the tier's size (every ratio of a tier costs the same); with
--duration auto the range 4..15 s is shown.",
    after_help = format!("{}\n\n{EXAMPLE}", media::NOTE)
)]
pub struct Args {
    #[command(flatten)]
    pub request: RequestArgs,
    #[command(flatten)]
    pub price: PriceArgs,
    /// print the estimate as JSON
    #[arg(long)]
    pub json: bool,
}

const EXAMPLE: &str = "\
Example:
  seedance estimate -r 720p --ratio 16:9 -d 5 --price-per-million 46 --currency CNY";

pub async fn run(ctx: &Ctx, a: Args) -> Result<(), Failure> {
    // The prompt does not change the cost: without any content, check the parameters only.
    let mut request = a.request;
    if !request.has_content() {
        request.prompt = Some("(any prompt)".to_owned());
    }
    let (built, _) = request::checked(ctx, &request)?;
    let est = cost::estimate(&built, &a.price);
    if a.json {
        print_json(&est)?;
    } else {
        for line in cost::estimate_lines(&built, &est, &a.price) {
            println!("{line}");
        }
    }
    Ok(())
}
