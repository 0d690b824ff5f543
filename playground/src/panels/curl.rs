//! The request as a curl command, the key left as `$SEEDANCE_API_KEY`.

use leptos::prelude::*;

use crate::check::Checked;
use crate::connection::{sim_base, Backend, Connection};
use crate::curl::{curl, shorten_data_urls};
use crate::web::copy_text;

/// The request as a curl command, the key left as `$SEEDANCE_API_KEY`.
#[component]
pub fn CurlBox(conn: RwSignal<Connection>, checked: Memo<Checked>) -> impl IntoView {
    let command = move || {
        let c = conn.get();
        let base = c
            .base_url(sim_base())
            .unwrap_or_else(|_| "https://YOUR-BASE-URL".into());
        checked.with(|k| curl(&base, &k.request, c.backend() != Backend::Proxy))
    };
    let copied = RwSignal::new(false);
    view! {
        <details class="curl">
            <summary>"Copy as curl"</summary>
            <pre data-testid="curl">{move || shorten_data_urls(&command())}</pre>
            <button
                type="button"
                class="small"
                on:click=move |_| {
                    copy_text(command());
                    copied.set(true);
                }
            >
                {move || if copied.get() { "Copied" } else { "Copy command" }}
            </button>
        </details>
    }
}
