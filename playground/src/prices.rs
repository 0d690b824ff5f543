//! The user's prices (per million tokens, per model, with or without video input) for the
//! money estimate, kept in localStorage. No price is built in: prices change, and the page
//! shows money only when the user typed one.

use serde::{Deserialize, Serialize};

use seedance::{Model, Price, PriceTable};

use serde_json::Value;

use crate::read::{string, Fields, Read};
use crate::store::{self, Stored};
use crate::write::{Obj, Write};

/// The price fields as typed (empty = not set).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prices {
    /// The currency label, e.g. `USD` (shown after the amount).
    pub currency: String,
    /// 2.0 standard, per million tokens.
    pub standard: String,
    /// 2.0 fast, per million tokens.
    pub fast: String,
    /// 2.0 standard when the input includes a video (empty = same as `standard`).
    pub standard_video: String,
    /// 2.0 fast when the input includes a video (empty = same as `fast`).
    pub fast_video: String,
}

/// Only prices and a currency label: nothing secret.
impl Stored for Prices {
    const KEY: &'static str = store::PRICES;
}

impl Write for Prices {
    fn write(&self, out: &mut String) {
        Obj::new(out)
            .field("currency", &self.currency)
            .field("standard", &self.standard)
            .field("fast", &self.fast)
            .field("standard_video", &self.standard_video)
            .field("fast_video", &self.fast_video)
            .end();
    }
}

impl Read for Prices {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(
            v,
            &[
                "currency",
                "standard",
                "fast",
                "standard_video",
                "fast_video",
            ],
        )?;
        let mut p = Prices::default();
        f.get("currency", &mut p.currency, string)?;
        f.get("standard", &mut p.standard, string)?;
        f.get("fast", &mut p.fast, string)?;
        f.get("standard_video", &mut p.standard_video, string)?;
        f.get("fast_video", &mut p.fast_video, string)?;
        Some(p)
    }
}

/// A price typed in (`,` or `.` as the decimal point). Read by the core's `parse_f64`, the
/// same value as `str::parse::<f64>` without core's float parser in the wasm (about 12 KB).
fn amount(text: &str) -> Option<f64> {
    seedance::numfmt::parse_f64(&text.trim().replace(',', "."))
        .filter(|p| p.is_finite() && *p >= 0.0)
}

impl Prices {
    /// The core's price table for these fields, or `None` when no price is set.
    pub fn table(&self) -> Option<PriceTable> {
        let mut prices = Vec::new();
        for (model, plain, video) in [
            (Model::Standard, &self.standard, &self.standard_video),
            (Model::Fast, &self.fast, &self.fast_video),
        ] {
            let model = Some(model.as_str().to_owned());
            if let Some(p) = amount(plain) {
                // Without a video price the plain one applies to both kinds of input.
                prices.push(Price {
                    model: model.clone(),
                    per_million_tokens: p,
                    ..Price::default()
                });
            }
            if let Some(p) = amount(video) {
                prices.push(Price {
                    model,
                    with_video_input: Some(true),
                    per_million_tokens: p,
                    ..Price::default()
                });
            }
        }
        (!prices.is_empty()).then(|| PriceTable {
            currency: self.currency.trim().to_owned(),
            prices,
        })
    }
}
