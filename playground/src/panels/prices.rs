//! The price fields for a money estimate, folded away until wanted.

use leptos::prelude::*;

use crate::fields::TextField;
use crate::prices::Prices;

/// The price fields, folded away until wanted.
#[component]
pub fn PricesBox(prices: RwSignal<Prices>) -> impl IntoView {
    let field = move |id: &'static str,
                      label: &'static str,
                      get: fn(&Prices) -> &String,
                      set: fn(&mut Prices, String)| {
        view! {
            <div class="field">
                <TextField state=prices id label get set inputmode="decimal" placeholder="not set" />
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
