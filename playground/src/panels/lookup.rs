//! Look up a task by id and watch it.

use leptos::prelude::*;

use crate::connection::Connection;

/// Look up a task by id: `watch(id)` watches it, once the id is there and the connection is
/// set up (the first app's: the jobs app's task side does, loaded on first use); `error`
/// is what the form says under the field (`watch` may set it too).
#[component]
pub fn Lookup(
    conn: RwSignal<Connection>,
    watch: impl Fn(String) + Copy + Send + Sync + 'static,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let id = RwSignal::new(String::new());
    let go = move || {
        let v = id.get_untracked().trim().to_owned();
        if v.is_empty() {
            error.set(Some("Enter a task id (cgt-…).".into()));
            return;
        }
        match conn.get_untracked().client() {
            Ok(_) => {
                error.set(None);
                watch(v);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    view! {
        <form class="lookup" on:submit=move |ev| { ev.prevent_default(); go(); }>
            <label for="lookup-id">"Look up a task id"</label>
            <div class="row">
                <input
                    type="text"
                    id="lookup-id"
                    placeholder="cgt-…"
                    prop:value=move || id.get()
                    on:input=move |ev| id.set(event_target_value(&ev))
                />
                <button type="submit">"Look up"</button>
            </div>
            {move || error.get().map(|e| view! { <p class="problem error">{e}</p> })}
        </form>
    }
}
