//! The price options (`generate`, `estimate`) and the estimate lines printed before a create
//! and by `estimate`; asking before spending. Imports no command.

use std::io::{IsTerminal, Write};

use clap::Args;
use seedance::numfmt::group;
use seedance::{CostModel, Estimate, Price, PriceTable};

use crate::failure::Failure;
use crate::fmt::money;
use crate::request::Built;
use crate::values::{self, Check};

/// A price for the money estimate: both flags, or neither.
#[derive(Args, Clone, Debug, Default)]
#[command(next_help_heading = "Price options (prices change, so none are built in)")]
pub struct PriceArgs {
    /// price of one million tokens
    #[arg(
        long = "price-per-million",
        value_name = "X",
        allow_negative_numbers = true,
        requires = "currency",
        value_parser = Check(values::price)
    )]
    pub per_million: Option<f64>,
    /// its currency, e.g. USD or CNY
    #[arg(long, value_name = "C", requires = "per_million")]
    pub currency: Option<String>,
}

/// What the request would cost: tokens, and money when priced.
pub fn estimate(built: &Built, price: &PriceArgs) -> Estimate {
    CostModel::default().estimate(&built.req, price_table(price).as_ref())
}

pub fn price_table(p: &PriceArgs) -> Option<PriceTable> {
    Some(PriceTable {
        currency: p.currency.clone()?,
        prices: vec![Price {
            per_million_tokens: p.per_million?,
            ..Price::default()
        }],
    })
}

/// `108,900 tokens (720p 16:9 = 1280×720, 5 s, doubao-…)`, plus money when priced.
pub fn estimate_lines(built: &Built, est: &Estimate, price: &PriceArgs) -> Vec<String> {
    let req = &built.req;
    let tokens = if est.tokens_min == est.tokens_max {
        format!("{} tokens", group(est.tokens_max))
    } else {
        format!(
            "{} to {} tokens",
            group(est.tokens_min),
            group(est.tokens_max)
        )
    };
    let seconds = if est.seconds_min == est.seconds_max {
        format!("{} s", est.seconds_max)
    } else {
        format!("auto: {} to {} s", est.seconds_min, est.seconds_max)
    };
    let resolution = req.resolution.as_ref().map_or("720p", |r| r.as_str());
    let ratio = req.ratio.as_ref().map_or("adaptive", |r| r.as_str());
    let size = if ratio == "adaptive" {
        "size chosen by the model".to_owned()
    } else {
        format!("{}×{}", est.width, est.height)
    };
    let mut lines = vec![format!(
        "estimate: {tokens} ({resolution} {ratio}, {size}, {seconds}, {})",
        req.model
    )];
    match (&est.price, price.per_million) {
        (Some(p), Some(per)) => {
            let money = if p.min == p.max {
                money(p.max)
            } else {
                format!(
                    "{} to {}",
                    money(p.min),
                    money(p.max)
                )
            };
            lines.push(format!(
                "cost: about {money} {} (at {per} {} per million tokens)",
                p.currency, p.currency
            ));
        }
        _ => lines.push(
            "cost: give --price-per-million X --currency C for money (only succeeded tasks are billed)"
                .to_owned(),
        ),
    }
    if req.has_video_input() {
        lines.push(
            "note: a reference video may add its own length to the bill (not counted here)"
                .to_owned(),
        );
    }
    lines
}

/// Ask `question` (`create this task?`) before spending, unless `--yes`; without a terminal
/// to ask on, `--yes` is required. `what` says what would be billed: `generate creates a
/// billed task`.
pub fn confirm(yes: bool, what: &str, question: &str) -> Result<(), Failure> {
    if yes {
        return Ok(());
    }
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(Failure::usage(format!(
            "{what}: pass --yes to confirm (no terminal to ask on); nothing was sent"
        )));
    }
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().read_line(&mut answer);
    match answer.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Ok(()),
        _ => Err(Failure::usage("not confirmed; nothing was sent")),
    }
}
