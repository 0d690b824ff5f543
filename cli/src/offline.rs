//! `estimate` and `validate`: no key, no network.

use seedance::{CostModel, Estimate, Price, PriceTable};

use crate::args::{PriceArgs, RequestArgs};
use crate::ctx::Ctx;
use crate::failure::Failure;
use crate::fmt::thousands;
use crate::request::{self, Built};
use crate::run::print_json;

/// Build and validate; print warnings; fail with every error (exit 2).
pub(crate) fn checked_request(
    ctx: &Ctx,
    a: &RequestArgs,
) -> Result<(Built, seedance::Validation), Failure> {
    let limits = ctx.limits();
    let built = request::build(a, &limits)?;
    let outcome = seedance::validate(&built.req, &limits);
    request::check(&outcome, &built.sources)?;
    Ok((built, outcome))
}

pub(crate) fn price_table(p: &PriceArgs) -> Option<PriceTable> {
    Some(PriceTable {
        currency: p.currency.clone()?,
        prices: vec![Price {
            per_million_tokens: p.per_million?,
            ..Price::default()
        }],
    })
}

/// `108,900 tokens (720p 16:9 = 1280×720, 5 s, doubao-…)`, plus money when priced.
pub(crate) fn estimate_lines(built: &Built, est: &Estimate, price: &PriceArgs) -> Vec<String> {
    let req = &built.req;
    let tokens = if est.tokens_min == est.tokens_max {
        format!("{} tokens", thousands(est.tokens_max))
    } else {
        format!(
            "{} to {} tokens",
            thousands(est.tokens_min),
            thousands(est.tokens_max)
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
                crate::fmt::money(p.max)
            } else {
                format!(
                    "{} to {}",
                    crate::fmt::money(p.min),
                    crate::fmt::money(p.max)
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

pub(crate) fn estimate(
    ctx: &Ctx,
    a: &RequestArgs,
    price: &PriceArgs,
    json: bool,
) -> Result<(), Failure> {
    // The prompt does not change the cost: without any content, check the parameters only.
    let mut a = a.clone();
    if a.prompt.is_none()
        && a.images.is_empty()
        && a.first_frame.is_none()
        && a.last_frame.is_none()
        && a.ref_images.is_empty()
        && a.ref_videos.is_empty()
        && a.ref_audios.is_empty()
    {
        a.prompt = Some("(any prompt)".to_owned());
    }
    let (built, _) = checked_request(ctx, &a)?;
    let table = price_table(price);
    let est = CostModel::default().estimate(&built.req, table.as_ref());
    if json {
        print_json(&est)?;
    } else {
        for line in estimate_lines(&built, &est, price) {
            println!("{line}");
        }
    }
    Ok(())
}

pub(crate) fn validate(ctx: &Ctx, a: &RequestArgs, json: bool) -> Result<(), Failure> {
    let limits = ctx.limits();
    let built = request::build(a, &limits)?;
    let outcome = seedance::validate(&built.req, &limits);
    if json {
        print_json(&outcome)?;
    }
    request::check(&outcome, &built.sources)?;
    if !json {
        println!(
            "ok: a valid {} request for {}; nothing was sent",
            request::mode_name(&outcome),
            built.req.model
        );
    }
    Ok(())
}
