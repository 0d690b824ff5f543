//! The backend picker and its settings: the local simulator, your proxy, or the API itself
//! with a key.

use leptos::prelude::*;

use crate::connection::{Backend, Connection};
use crate::fields::{Check, TextField};

/// Backend picker and its settings.
#[component]
pub fn ConnectionPanel(conn: RwSignal<Connection>) -> impl IntoView {
    let radio = move |b: Backend, label: &'static str| {
        view! {
            <label class="radio">
                <input
                    type="radio"
                    name="backend"
                    prop:checked=move || conn.with(|c| c.backend() == b)
                    on:change=move |_| conn.update(|c| c.settings.backend = Some(b))
                />
                {label}
            </label>
        }
    };
    view! {
        <fieldset class="connection">
            <legend>"Connection"</legend>
            <div class="radios" role="radiogroup" aria-label="Backend">
                {radio(Backend::Local, "Local simulator")}
                {radio(Backend::Proxy, "Your proxy")}
                {radio(Backend::Direct, "Direct")}
            </div>
            {move || match conn.with(Connection::backend) {
                Backend::Local => {
                    let text = if conn.with(|c| c.sim == Some(true)) {
                        "seedance-sim, through this page's dev server. Nothing is billed."
                    } else {
                        "No simulator answers beside this page: run scripts/dev, or pick another backend."
                    };
                    view! { <p class="note">{text}</p> }.into_any()
                }
                Backend::Proxy => view! {
                    <div class="field">
                        <TextField
                            state=conn
                            id="proxy-url"
                            label="Proxy URL"
                            kind="url"
                            placeholder="https://your-worker.example.workers.dev/api/v3"
                            get=|c| &c.settings.proxy_url
                            set=|c, v| c.settings.proxy_url = v
                        />
                        <p class="note">"The proxy adds the key; the page sends none."</p>
                    </div>
                }
                .into_any(),
                Backend::Direct => view! {
                    <div class="field">
                        <TextField
                            state=conn
                            id="base-url"
                            label="Base URL"
                            kind="url"
                            get=|c| &c.settings.direct_url
                            set=|c, v| c.settings.direct_url = v
                        />
                        <TextField
                            state=conn
                            id="api-key"
                            label="API key"
                            kind="password"
                            autocomplete="off"
                            placeholder="sk-…"
                            get=|c| &c.key
                            set=|c, v| c.key = v
                        />
                        <Check
                            state=conn
                            class="check"
                            get=|c| c.remember
                            set=|c, on| c.remember = on
                            label=" Remember the key for this tab"
                        />
                        <p class="note">
                            "The key stays in this page's memory (or this tab's sessionStorage if ticked). The API may refuse browsers (no CORS): then use a proxy."
                        </p>
                    </div>
                }
                .into_any(),
            }}
        </fieldset>
    }
}
