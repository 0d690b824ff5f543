//! JSON without serde for the cost types (see `crate::json`): a `PriceTable` decoded as serde
//! reads it, an `Estimate` written as serde_json writes it. `crate::json::tests` checks both
//! against serde: whoever edits a serde attribute here edits its function too.

#![cfg_attr(not(all(target_arch = "wasm32", feature = "js")), allow(dead_code))]

#[cfg(any(test, all(target_arch = "wasm32", feature = "js-core")))]
use crate::cost::Estimate;
use crate::cost::{Price, PriceTable};
use crate::json::read::{boolean, f64_, option, seq, string, text_enum, Read, Seq, Shape};
#[cfg(any(test, all(target_arch = "wasm32", feature = "js-core")))]
use crate::json::write::Writer;
use crate::json::Json;

/// `PriceTable` (cost/mod.rs): currency and prices, both required.
pub(crate) fn decode_price_table(v: Json) -> Read<PriceTable> {
    const SHAPE: Shape = Shape {
        expecting: "struct PriceTable",
        fields: &["currency", "prices"],
        deny_unknown: false,
        seq: Seq::Value,
    };
    let (mut currency, mut prices) = (None, None);
    let given = SHAPE.read(v, |i, _, v| {
        match i {
            Some(0) => currency = Some(string(v)?),
            Some(1) => prices = Some(seq(v, decode_price)?),
            _ => {}
        }
        Ok(())
    })?;
    Ok(PriceTable {
        currency: SHAPE.required(&given, currency, 0)?,
        prices: SHAPE.required(&given, prices, 1)?,
    })
}

/// `Price` (cost/mod.rs): `#[serde(default)]`.
fn decode_price(v: Json) -> Read<Price> {
    const SHAPE: Shape = Shape {
        expecting: "struct Price",
        fields: &[
            "model",
            "resolution",
            "with_video_input",
            "per_million_tokens",
        ],
        deny_unknown: false,
        seq: Seq::Value,
    };
    let mut p = Price::default();
    SHAPE.read(v, |i, _, v| {
        match i {
            Some(0) => p.model = option(v, string)?,
            Some(1) => p.resolution = option(v, text_enum)?,
            Some(2) => p.with_video_input = option(v, boolean)?,
            Some(3) => p.per_million_tokens = f64_(v)?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(p)
}

/// `Estimate` (cost/mod.rs): `price` is `null` without prices.
#[cfg(any(test, all(target_arch = "wasm32", feature = "js-core")))]
pub(crate) fn write_estimate(w: &mut Writer, e: &Estimate) {
    w.open();
    for (k, n) in [
        ("tokens_min", e.tokens_min),
        ("tokens_max", e.tokens_max),
        ("seconds_min", e.seconds_min.into()),
        ("seconds_max", e.seconds_max.into()),
        ("width", e.width.into()),
        ("height", e.height.into()),
    ] {
        w.key(k);
        w.u64(n);
    }
    w.key("price");
    match &e.price {
        None => w.null(),
        Some(p) => {
            w.open();
            w.key("min");
            w.f64(p.min);
            w.key("max");
            w.f64(p.max);
            w.key("currency");
            w.str(&p.currency);
            w.close();
        }
    }
    w.close();
}
