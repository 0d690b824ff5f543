//! The user's prices (per million tokens, per model, with or without video input) for the
//! money estimate, kept in localStorage. No price is built in: prices change, and the page
//! shows money only when the user typed one.

use serde_json::{json, Value};

use crate::{Model, Price, PriceEstimate, PriceTable};

const KEY: &str = "seedance.playground.prices";

/// The price fields as typed (empty = not set).
#[derive(Clone, Debug, Default, PartialEq)]
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

fn amount(text: &str) -> Option<f64> {
    text.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
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

    /// The prices saved in this browser.
    pub fn load() -> Self {
        let v: Value = storage()
            .and_then(|s| s.get_item(KEY).ok().flatten())
            .and_then(|raw| serde_json::from_str(&raw).ok())
            .unwrap_or_default();
        let text = |key: &str| v[key].as_str().unwrap_or_default().to_owned();
        Prices {
            currency: text("currency"),
            standard: text("standard"),
            fast: text("fast"),
            standard_video: text("standard_video"),
            fast_video: text("fast_video"),
        }
    }

    /// Save them (only prices and a currency label: nothing secret).
    pub fn save(&self) {
        let v = json!({
            "currency": self.currency,
            "standard": self.standard,
            "fast": self.fast,
            "standard_video": self.standard_video,
            "fast_video": self.fast_video,
        });
        if let Some(s) = storage() {
            let _ = s.set_item(KEY, &v.to_string());
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// An amount with two decimals, rounded half up, in integer arithmetic (so the page does
/// not pull in the float formatter for it): 4.0293 → "4.03".
pub fn two_decimals(x: f64) -> String {
    let cents = (x * 100.0 + 0.5) as u64;
    format!("{}.{:02}", super::form::group(cents / 100), cents % 100)
}

/// The money estimate in words: "≈ 4.03 USD" or "3.50 – 13.20 USD".
pub fn money_text(p: &PriceEstimate) -> String {
    let unit = if p.currency.is_empty() {
        String::new()
    } else {
        format!(" {}", p.currency)
    };
    let (min, max) = (two_decimals(p.min), two_decimals(p.max));
    if min == max {
        format!("≈ {max}{unit}")
    } else {
        format!("{min} – {max}{unit}")
    }
}

/// The price fields, folded away until wanted.
#[leptos::component]
pub fn PricesBox(prices: leptos::prelude::RwSignal<Prices>) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let field = move |id: &'static str,
                      label: &'static str,
                      get: fn(&Prices) -> &String,
                      set: fn(&mut Prices, String)| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input
                    type="text"
                    id=id
                    inputmode="decimal"
                    placeholder="not set"
                    prop:value=move || prices.with(|p| get(p).clone())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        prices.update(|p| set(p, v));
                    }
                />
            </div>
        }
    };
    view! {
        <details class="prices">
            <summary>"Prices (for a money estimate)"</summary>
            <p class="note">"Your prices per million tokens, from your provider's price list; kept in this browser."</p>
            <div class="price-grid">
                {field("price-currency", "Currency", |p| &p.currency, |p, v| p.currency = v)}
                {field("price-standard", "2.0 standard, per million tokens", |p| &p.standard, |p, v| p.standard = v)}
                {field("price-fast", "2.0 fast, per million tokens", |p| &p.fast, |p, v| p.fast = v)}
                {field("price-standard-video", "2.0 standard with video input, per million tokens", |p| &p.standard_video, |p, v| p.standard_video = v)}
                {field("price-fast-video", "2.0 fast with video input, per million tokens", |p| &p.fast_video, |p, v| p.fast_video = v)}
            </div>
        </details>
    }
}
