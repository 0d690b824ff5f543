//! The finished video: player, download, link, metadata and the link's expiry; continue
//! from its last frame, and the chain it ends.

use leptos::prelude::*;
use leptos::task::spawn_local;

use seedance::numfmt::group;
use seedance::Task;

use crate::chain::{Chain, Clip};
use crate::panels::chain::ChainPlayer;
use crate::run::Phase;
use crate::runner::Runner;
use crate::web::{copy_text, download};
use crate::words::duration_words;

/// The video, its link, metadata and expiry; continue from its last frame.
#[component]
pub fn ResultPanel(
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
