//! The playground: a Leptos single-page app that makes a Seedance video from start to
//! finish against the simulator, your proxy, or the API itself.
//!
//! `form` is the compose form as plain data (request building, problem placement);
//! `connection` is where requests go; `run` drives one generation; `compose` and this
//! module are the views. Built with Trunk (`index.html`, `Trunk.toml`); see `scripts/dev`.

pub mod chain;
pub mod compose;
pub mod connection;
pub mod download;
pub mod errors;
pub mod form;
pub mod history;
pub mod idb;
pub mod prices;
pub mod resize;
pub mod run;

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use chain::{Chain, ChainPlayer, Clip};
use compose::{ImagePicker, ModeTabs, Parameters, Prompt, References};
use connection::{probe_sim, Backend, Connection};
use errors::Shown;
use form::{
    curl, estimate_text, group, shorten_data_urls, Checked, Control, Form, Guard, ImageSlot, Mode,
};
use run::{now_ms, Phase, RunState, Runner};

use crate::Task;

/// Mount the app on `<body>`.
pub fn main() {
    console_error_panic_hook_lite();
    leptos::mount::mount_to_body(App);
}

fn console_error_panic_hook_lite() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&info.to_string().into());
    }));
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    let conn = RwSignal::new(Connection::load());
    let form = RwSignal::new(Form::default());
    let attempted = RwSignal::new(false);
    let runner = Runner::new();
    let now = RwSignal::new(now_ms());
    set_interval(move || now.set(now_ms()), Duration::from_millis(250));

    let past = RwSignal::new(history::load());
    // The form as it was when Generate was pressed (history keeps it with the task).
    let sent_form = StoredValue::new(None::<Form>);
    Effect::new(move |_| {
        let list =
            sent_form.with_value(|sent| runner.state.with(|s| history::record(s, sent.as_ref())));
        if let Some(list) = list {
            past.set(list);
        }
    });
    spawn_local(async move {
        let up = probe_sim().await;
        conn.update(|c| {
            c.sim_available = up;
            if up && !c.chosen {
                c.backend = Backend::Local;
            }
        });
        // Reopening the page resumes the task that was still running.
        let unfinished =
            past.with_untracked(|p| p.first().filter(|r| r.unfinished()).map(|r| r.id.clone()));
        if let (Some(id), Ok(client)) = (unfinished, conn.get_untracked().client()) {
            runner.resume(client, id);
        }
    });
    Effect::new(move |_| conn.with(Connection::save));

    let prices = RwSignal::new(prices::Prices::load());
    Effect::new(move |_| prices.with(prices::Prices::save));
    let limits = Memo::new(move |_| conn.with(Connection::limits));
    let checked = Memo::new(move |_| {
        let table = prices.with(prices::Prices::table);
        limits.with(|l| form.with(|f| f.check(l, table.as_ref())))
    });

    let guard = RwSignal::new(Guard {
        budget: String::new(),
        spent: 0,
    });
    let chain = RwSignal::new(Chain::default());
    Effect::new(move |_| {
        let done = runner.state.with(|s| match &s.phase {
            Phase::Succeeded(t) => t.video_url().map(|u| Clip {
                id: t.id.clone(),
                url: u.to_owned(),
            }),
            _ => None,
        });
        if let Some(clip) = done {
            chain.update(|c| c.succeeded(clip));
        }
    });
    // `from`: the clip whose last frame the new task starts from (it extends the chain).
    let generate = move |from: Option<Clip>| {
        attempted.set(true);
        let c = checked.get_untracked();
        if !c.ok() {
            return;
        }
        let why = guard.with_untracked(|g| g.reasons(&c));
        if !why.is_empty() {
            let msg = format!(
                "This task costs up to {} tokens, and {}.\n\nCreate it anyway?",
                group(c.estimate.tokens_max),
                why.join("; ")
            );
            let ok = web_sys::window()
                .and_then(|w| w.confirm_with_message(&msg).ok())
                .unwrap_or(false);
            if !ok {
                return;
            }
        }
        let settings = conn.get_untracked();
        match settings.client() {
            Ok(client) => {
                guard.update(|g| g.spent += c.estimate.tokens_max);
                sent_form.set_value(Some(form.get_untracked()));
                chain.update(|ch| match from {
                    Some(prev) => ch.continue_from(prev),
                    None => ch.reset(),
                });
                runner.start(client, c.request, settings.scale_polls());
                scroll_to("run-h");
            }
            Err(msg) => runner.state.set(RunState {
                phase: Phase::Failed(Shown::plain("Connection not set up", msg)),
                ..RunState::default()
            }),
        }
    };

    let continue_from = move |prev: Clip, frame: String| {
        form.update(|f| {
            f.mode = Mode::FirstFrame;
            f.first = ImageSlot::from_url(frame);
            f.last_frame = true;
        });
        generate(Some(prev));
    };

    view! {
        <header class="top">
            <h1>"Seedance playground"</h1>
            <p class="tagline">"Compose a video, check it before paying, watch it render."</p>
        </header>
        <main class="layout">
            <section class="compose" aria-labelledby="compose-h">
                <h2 id="compose-h">"Compose"</h2>
                <ConnectionPanel conn />
                <ModeTabs form />
                <div role="tabpanel" aria-labelledby=move || format!("tab-{}", form.with(|f| f.mode.key()))>
                    <Prompt form checked attempted />
                    {move || {
                        let mode = form.with(|f| f.mode);
                        match mode {
                            Mode::Text => ().into_any(),
                            Mode::FirstFrame => view! {
                                <ImagePicker form checked attempted limits label="First frame" id="first"
                                    control=Control::First get=|f| &f.first get_mut=|f| &mut f.first />
                            }.into_any(),
                            Mode::FirstLast => view! {
                                <div class="pair">
                                    <ImagePicker form checked attempted limits label="First frame" id="first"
                                        control=Control::First get=|f| &f.first get_mut=|f| &mut f.first />
                                    <ImagePicker form checked attempted limits label="Last frame" id="last"
                                        control=Control::Last get=|f| &f.last get_mut=|f| &mut f.last />
                                </div>
                            }.into_any(),
                            Mode::Reference => view! { <References form checked attempted limits /> }.into_any(),
                        }
                    }}
                    <Parameters form checked attempted />
                </div>
                <compose::Problems checked control=Control::General attempted id="general-problems" />
                <SpendGuard guard />
                <prices::PricesBox prices />
                <CurlBox conn checked />
                <div class="send">
                    <p class="estimate" aria-live="polite">
                        "Estimate: " {move || checked.with(|c| estimate_text(&c.estimate))}
                    </p>
                    <button
                        type="button"
                        class="primary"
                        disabled=move || runner.state.with(RunState::busy)
                        on:click=move |_| generate(None)
                    >
                        "Generate"
                    </button>
                </div>
            </section>
            <section class="run" aria-labelledby="run-h">
                <h2 id="run-h">"Task"</h2>
                <RunPanel runner now />
                <ResultPanel runner now chain continue_from />
                <Lookup conn runner />
                <History past conn runner now form />
            </section>
        </main>
    }
}

/// Bring a heading to the top when it is below the fold (a phone, where the task panel is
/// under the form); on a wide screen both columns show and the page must not jump.
fn scroll_to(id: &str) {
    let Some(w) = web_sys::window() else { return };
    let Some(el) = w.document().and_then(|d| d.get_element_by_id(id)) else {
        return;
    };
    let fold = w
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    if el.get_bounding_client_rect().bottom() > fold {
        el.scroll_into_view();
    }
}

/// The session's token budget.
#[component]
fn SpendGuard(guard: RwSignal<Guard>) -> impl IntoView {
    view! {
        <div class="field guard">
            <label for="budget">"Session token budget"</label>
            <input
                type="text"
                id="budget"
                inputmode="numeric"
                placeholder="none"
                aria-describedby="budget-note"
                prop:value=move || guard.with(|g| g.budget.clone())
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    guard.update(|g| g.budget = v);
                }
            />
            <p class="note" id="budget-note">
                {move || format!(
                    "Asked for so far: {} tokens. A create past the budget, at 1080p, or longer than {} s asks first.",
                    group(guard.with(|g| g.spent)),
                    form::LONG_TASK_SECS
                )}
            </p>
        </div>
    }
}

/// The request as a curl command, the key left as `$SEEDANCE_API_KEY`.
#[component]
fn CurlBox(conn: RwSignal<Connection>, checked: Memo<Checked>) -> impl IntoView {
    let command = move || {
        let c = conn.get();
        let base = c
            .base_url()
            .unwrap_or_else(|| "https://YOUR-BASE-URL".into());
        checked.with(|k| curl(&base, &k.request, c.backend != Backend::Proxy))
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

/// Backend picker and its settings.
#[component]
fn ConnectionPanel(conn: RwSignal<Connection>) -> impl IntoView {
    let choose = move |b: Backend| {
        conn.update(|c| {
            c.backend = b;
            c.chosen = true;
        })
    };
    let radio = move |b: Backend, label: &'static str| {
        view! {
            <label class="radio">
                <input
                    type="radio"
                    name="backend"
                    prop:checked=move || conn.with(|c| c.backend == b)
                    on:change=move |_| choose(b)
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
            {move || match conn.with(|c| c.backend) {
                Backend::Local => {
                    let up = conn.with(|c| c.sim_available);
                    let text = if up {
                        "seedance-sim, through this page's dev server. Nothing is billed."
                    } else {
                        "No simulator answers beside this page: run scripts/dev, or pick another backend."
                    };
                    view! { <p class="note">{text}</p> }.into_any()
                }
                Backend::Proxy => view! {
                    <div class="field">
                        <label for="proxy-url">"Proxy URL"</label>
                        <input
                            type="url"
                            id="proxy-url"
                            placeholder="https://your-worker.example.workers.dev/api/v3"
                            prop:value=move || conn.with(|c| c.proxy_url.clone())
                            on:input=move |ev| {
                                let v = event_target_value(&ev);
                                conn.update(|c| c.proxy_url = v);
                            }
                        />
                        <p class="note">"The proxy adds the key; the page sends none."</p>
                    </div>
                }
                .into_any(),
                Backend::Direct => view! {
                    <div class="field">
                        <label for="base-url">"Base URL"</label>
                        <input
                            type="url"
                            id="base-url"
                            prop:value=move || conn.with(|c| c.direct_url.clone())
                            on:input=move |ev| {
                                let v = event_target_value(&ev);
                                conn.update(|c| c.direct_url = v);
                            }
                        />
                        <label for="api-key">"API key"</label>
                        <input
                            type="password"
                            id="api-key"
                            autocomplete="off"
                            placeholder="sk-…"
                            prop:value=move || conn.with(|c| c.key.clone())
                            on:input=move |ev| {
                                let v = event_target_value(&ev);
                                conn.update(|c| c.key = v);
                            }
                        />
                        <label class="check">
                            <input
                                type="checkbox"
                                prop:checked=move || conn.with(|c| c.remember)
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    conn.update(|c| c.remember = on);
                                }
                            />
                            " Remember the key for this tab"
                        </label>
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

fn secs(ms: f64) -> String {
    let s = (ms / 1000.0).max(0.0);
    if s < 60.0 {
        format!("{} s", form::tenths((s * 10.0) as u64))
    } else {
        format!("{}:{:02}", (s / 60.0) as u64, (s as u64) % 60)
    }
}

fn copy_text(text: String) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(&text);
    }
}

/// Status while running, and what ended it when it did not succeed.
#[component]
fn RunPanel(runner: Runner, now: RwSignal<f64>) -> impl IntoView {
    let state = runner.state;
    view! {
        {move || {
            let s = state.get();
            let label = match (&s.phase, &s.status) {
                (Phase::Idle, _) => return view! { <p class="idle">"Nothing running. Compose a request and press Generate."</p> }.into_any(),
                (Phase::Creating, _) => "creating".to_owned(),
                (_, Some(st)) => st.as_str().to_owned(),
                (Phase::Waiting, None) => "created".to_owned(),
                (Phase::Stopped(_), None) => "stopped".to_owned(),
                (_, None) => "ended".to_owned(),
            };
            let busy = s.busy();
            let end = s.ended_ms;
            let started = s.started_ms;
            let next = s.next_poll_ms;
            let id = s.task_id.clone();
            view! {
                <div class="status" data-phase=phase_key(&s.phase)>
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
                        Phase::Failed(shown) => error_box(shown, runner).into_any(),
                        Phase::Stopped(msg) => view! { <p class="stopped" role="status">{msg}</p> }.into_any(),
                        _ => ().into_any(),
                    }}
                </div>
            }
            .into_any()
        }}
    }
}

fn phase_key(p: &Phase) -> &'static str {
    match p {
        Phase::Idle => "idle",
        Phase::Creating => "creating",
        Phase::Waiting => "waiting",
        Phase::Succeeded(_) => "succeeded",
        Phase::Failed(_) => "failed",
        Phase::Stopped(_) => "stopped",
    }
}

fn error_box(shown: Shown, runner: Runner) -> impl IntoView {
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

fn duration_words(secs: i64) -> String {
    if secs <= 0 {
        return "expired".into();
    }
    let (h, m) = (secs / 3600, (secs % 3600) / 60);
    if h > 0 {
        format!("{h} h {m} min")
    } else if m > 0 {
        format!("{m} min {} s", secs % 60)
    } else {
        format!("{secs} s")
    }
}

/// The video, its link, metadata and expiry; continue from its last frame.
#[component]
fn ResultPanel(
    runner: Runner,
    now: RwSignal<f64>,
    chain: RwSignal<Chain>,
    continue_from: impl Fn(Clip, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let task = Memo::new(move |_| {
        runner.state.with(|s| match &s.phase {
            Phase::Succeeded(t) => Some(t.as_ref().clone()),
            _ => None,
        })
    });
    view! {
        {move || task.get().map(|t| {
            let clips = chain.with(|c| c.ending_with(&t.id));
            result_view(t, now, continue_from, clips)
        })}
    }
}

fn result_view(
    t: Task,
    now: RwSignal<f64>,
    continue_from: impl Fn(Clip, String) + Copy + Send + Sync + 'static,
    clips: Option<Vec<Clip>>,
) -> impl IntoView {
    let url = t.video_url().unwrap_or_default().to_owned();
    let last = t.last_frame_url().map(str::to_owned);
    let expires = t.video_expires_at();
    let meta: Vec<(&'static str, String)> = [
        ("Seed", t.seed.map(|s| s.to_string())),
        ("Resolution", t.resolution.as_ref().map(|r| r.to_string())),
        ("Ratio", t.ratio.as_ref().map(|r| r.to_string())),
        ("Duration", t.duration.map(|d| format!("{d} s"))),
        ("Frame rate", t.framespersecond.map(|f| format!("{f} fps"))),
        ("Tokens", t.billed_tokens().map(group)),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    let expiry = move || {
        expires.map(|at| {
            let left = at - (now.get() / 1000.0) as i64;
            let class = if left < 3600 { "expiry warn" } else { "expiry" };
            let text = if left <= 0 {
                "The link has expired: look the task up again for a fresh one.".to_owned()
            } else if left < 3600 {
                format!(
                    "The link expires in {}: download the video now.",
                    duration_words(left)
                )
            } else {
                format!("The link expires in {}.", duration_words(left))
            };
            view! { <p class=class>{text}</p> }
        })
    };
    let file = format!("{}.mp4", t.id);
    let this = Clip {
        id: t.id.clone(),
        url: url.clone(),
    };
    // None: not tried; Some(Ok): saved; Some(Err): the host refused, offer a plain link.
    let saved = RwSignal::new(None::<Result<(), String>>);
    let busy = RwSignal::new(false);
    let fetch_url = url.clone();
    let on_download = move |_| {
        let (u, f) = (fetch_url.clone(), file.clone());
        busy.set(true);
        spawn_local(async move {
            let r = download::save(&u, &f).await;
            busy.set(false);
            saved.set(Some(r));
        });
    };
    let open_url = url.clone();
    view! {
        <div class="result">
            <video controls=true playsinline=true preload="auto" src=url.clone() aria-label="Generated video"></video>
            <p class="links">
                <button type="button" disabled=move || busy.get() on:click=on_download>
                    {move || if busy.get() { "Downloading…" } else { "Download video" }}
                </button>
                " "
                <button type="button" class="small" on:click=move |_| copy_text(url.clone())>"Copy link"</button>
            </p>
            {move || match saved.get() {
                Some(Err(e)) => view! {
                    <p class="note" role="status">
                        {format!("Could not download it here: {e}. ")}
                        <a href=open_url.clone() target="_blank" rel="noopener">"Open the video"</a>
                        " and save it from there."
                    </p>
                }.into_any(),
                _ => ().into_any(),
            }}
            {expiry}
            <dl class="facts meta">
                {meta.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
            {last.map(|u| {
                let u2 = u.clone();
                view! {
                    <figure class="last-frame">
                        <img src=u alt="Last frame of the video" />
                        <figcaption>"Last frame"</figcaption>
                    </figure>
                    <button type="button" on:click=move |_| continue_from(this.clone(), u2.clone())>"Continue from last frame"</button>
                }
            })}
            {clips.map(|clips| view! { <ChainPlayer clips /> })}
        </div>
    }
}

/// Past tasks (this browser), newest first.
#[component]
fn History(
    past: RwSignal<Vec<history::Record>>,
    conn: RwSignal<Connection>,
    runner: Runner,
    now: RwSignal<f64>,
    form: RwSignal<Form>,
) -> impl IntoView {
    // Watch the task again and put its form (with its images) back.
    let open = move |id: String| {
        if let Ok(client) = conn.get_untracked().client() {
            runner.resume(client, id.clone());
            scroll_to("run-h");
        }
        spawn_local(async move {
            if let Some(f) = history::reopen(&id).await {
                form.set(f);
            }
        });
    };
    view! {
        <div class="history">
            <h3 id="history-h">"History"</h3>
            {move || {
                let list = past.get();
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
                    <button type="button" class="small" on:click=move |_| { history::clear(); past.set(Vec::new()); }>
                        "Clear history"
                    </button>
                }
                .into_any()
            }}
        </div>
    }
}

/// Look up (and watch) a task by id.
#[component]
fn Lookup(conn: RwSignal<Connection>, runner: Runner) -> impl IntoView {
    let id = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let go = move || {
        let v = id.get_untracked().trim().to_owned();
        if v.is_empty() {
            error.set(Some("Enter a task id (cgt-…).".into()));
            return;
        }
        match conn.get_untracked().client() {
            Ok(client) => {
                error.set(None);
                runner.resume(client, v);
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

impl Checked {
    /// Whether anything blocks sending (for the view).
    pub fn blocked(&self) -> bool {
        !self.ok()
    }
}
