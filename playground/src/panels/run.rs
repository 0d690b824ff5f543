//! The task while it runs: its id, status, elapsed time, polls, Cancel, and what ended it
//! when it did not succeed.

use leptos::prelude::*;
use leptos::task::spawn_local;

use seedance::Task;

use crate::errors::Shown;
use crate::run::Phase;
use crate::runner::Runner;
use crate::web::copy_text;
use crate::words::secs;

/// Status while running, and what ended it when it did not succeed.
#[component]
pub fn RunPanel(runner: Runner, now: RwSignal<f64>) -> impl IntoView {
    let state = runner.state;
    view! {
        {move || {
            let s = state.get();
            let Some(label) = s.label() else {
                return view! { <p class="idle">"Nothing running. Compose a request and press Generate."</p> }.into_any();
            };
            let busy = s.busy();
            let end = s.ended_ms;
            let started = s.started_ms;
            let next = s.next_poll_ms;
            let id = s.task_id.clone();
            view! {
                <div class="status" data-phase=s.phase.key()>
                    <dl class="facts">
                        <dt>"Task id"</dt>
                        <dd>
                            {match id.clone() {
                                Some(id) => view! {
                                    <code class="task-id" data-testid="task-id">{id.clone()}</code>
                                    " "
                                    <button type="button" class="small" on:click=move |_| copy_text(id.clone())>"Copy id"</button>
                                }.into_any(),
                                None => view! { <span>"not yet (creating…)"</span> }.into_any(),
                            }}
                        </dd>
                        <dt>"Status"</dt>
                        <dd><span class=format!("badge {label}") data-testid="status">{label.clone()}</span></dd>
                        <dt>"Elapsed"</dt>
                        <dd>{move || secs(end.unwrap_or_else(|| now.get()) - started)}</dd>
                        <dt>"Polls"</dt>
                        <dd>{s.polls}</dd>
                        {busy.then(|| view! {
                            <dt>"Next poll"</dt>
                            <dd>{move || next.map(|t| format!("in {}", secs(t - now.get()))).unwrap_or_else(|| "—".into())}</dd>
                        })}
                    </dl>
                    {s.poll_error.clone().filter(|_| busy).map(|e| view! { <p class="note">"Last poll failed (retrying): " {e}</p> })}
                    {busy.then(|| view! {
                        <button type="button" class="danger" on:click=move |_| runner.cancel()>"Cancel"</button>
                    })}
                    {match s.phase.clone() {
                        Phase::Failed(shown) => view! { <ErrorBox shown runner /> }.into_any(),
                        Phase::Stopped(msg) => view! { <p class="stopped" role="status">{msg}</p> }.into_any(),
                        _ => ().into_any(),
                    }}
                </div>
            }
            .into_any()
        }}
    }
}

/// What ended a run, in plain words, with its codes; a create whose outcome is unknown
/// offers to find the task among the recent ones.
#[component]
fn ErrorBox(shown: Shown, runner: Runner) -> impl IntoView {
    let found = RwSignal::new(None::<Result<Vec<Task>, String>>);
    let find = shown.find_it.clone().map(|f| {
        move |_| {
            let filter = f.filter();
            if let Some(client) = runner.client() {
                spawn_local(async move {
                    let r = client.find_recent(&filter).await.map_err(|e| e.to_string());
                    found.set(Some(r));
                });
            }
        }
    });
    view! {
        <div class="error-box" role="alert">
            <h3>{shown.title}</h3>
            <p class="detail">{shown.detail}</p>
            <dl class="facts">
                {shown.code.map(|c| view! { <dt>"Code"</dt><dd><code data-testid="error-code">{c}</code></dd> })}
                {shown.request_id.map(|r| view! { <dt>"Request id"</dt><dd><code>{r}</code></dd> })}
                {shown.task_id.map(|t| view! { <dt>"Task id"</dt><dd><code>{t}</code></dd> })}
            </dl>
            {find.map(|on_click| view! {
                <button type="button" on:click=on_click>"Find it"</button>
                {move || found.get().map(|r| match r {
                    Ok(tasks) if tasks.is_empty() => view! {
                        <p class="note">"No task of this model was created since then: nothing was made, it is safe to try again."</p>
                    }.into_any(),
                    Ok(tasks) => view! {
                        <p class="note">"Recent tasks that may be it (do not create again before checking):"</p>
                        <ul class="found">
                            {tasks.into_iter().map(|t| {
                                let id = t.id.clone();
                                view! {
                                    <li>
                                        <code>{t.id.clone()}</code> " " {t.status.to_string()} " "
                                        <button type="button" class="small" on:click=move |_| runner.watch(id.clone())>
                                            {format!("Watch {}", t.id)}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! {
                        <p class="problem error">{format!("Could not list recent tasks: {e}. Look in your provider's console.")}</p>
                    }.into_any(),
                })}
            })}
        </div>
    }
}
