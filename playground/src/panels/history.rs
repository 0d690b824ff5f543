//! Past tasks made in this browser, newest first: status, link expiry, and Open (watch it
//! again and put its form back).

use leptos::prelude::*;

use crate::history::{self, History};
use crate::words::duration_words;

/// Past tasks (this browser), newest first, each with `Open {id}`: `open(id)` (watch it
/// again and put its form back: the caller's).
#[component]
pub fn HistoryPanel(
    past: RwSignal<History>,
    now: RwSignal<f64>,
    open: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="history">
            <h3 id="history-h">"History"</h3>
            {move || {
                let list = past.get().0;
                if list.is_empty() {
                    return view! { <p class="note">"Tasks you make appear here (kept in this browser)."</p> }.into_any();
                }
                view! {
                    <ul class="records" aria-labelledby="history-h">
                        {list
                            .into_iter()
                            .map(|r| {
                                let id = r.id.clone();
                                // Live, like the result's own expiry line (same clock).
                                let expiry = r.expires_at.map(|at| move || {
                                    let now_s = (now.get() / 1000.0) as i64;
                                    if at <= now_s {
                                        "link expired: open to get a fresh one".to_owned()
                                    } else {
                                        format!("link expires in {}", duration_words(at - now_s))
                                    }
                                });
                                let title = if r.prompt.is_empty() { "(no prompt)".to_owned() } else { r.prompt.clone() };
                                view! {
                                    <li class="record">
                                        <span class=format!("badge {}", r.status)>{r.status.clone()}</span>
                                        " "
                                        <span class="record-prompt">{title}</span>
                                        <br />
                                        <code>{r.id.clone()}</code>
                                        " "
                                        <span class="note">{r.params.clone()}</span>
                                        {r.error_code.clone().map(|c| view! { " " <code class="problem error">{c}</code> })}
                                        {expiry.map(|e| view! { <span class="note">" · " {e}</span> })}
                                        " "
                                        <button type="button" class="small" on:click=move |_| open(id.clone())>
                                            {format!("Open {}", r.id)}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                    <button type="button" class="small" on:click=move |_| { history::clear(); past.set(History::default()); }>
                        "Clear history"
                    </button>
                }
                .into_any()
            }}
        </div>
    }
}
