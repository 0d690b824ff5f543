//! The chain player: the clips of a chain back to back in one `<video>` that moves to the
//! next clip when one ends.

use leptos::prelude::*;

use crate::chain::Clip;

/// Plays the clips back to back.
#[component]
pub fn ChainPlayer(clips: Vec<Clip>) -> impl IntoView {
    let n = clips.len();
    let at = RwSignal::new(0usize);
    let video = NodeRef::<leptos::html::Video>::new();
    let urls = StoredValue::new(clips.iter().map(|c| c.url.clone()).collect::<Vec<_>>());
    let first = urls.with_value(|u| u[0].clone());
    // Set the source on the element itself and play: the next clip starts where the last
    // ended, without a re-render of the player.
    let play = move |i: usize| {
        if let (Some(v), Some(url)) = (video.get(), urls.with_value(|u| u.get(i).cloned())) {
            at.set(i);
            v.set_src(&url);
            let _ = v.play();
        }
    };
    view! {
        <div class="chain">
            <h3>{format!("Chain of {n} clips")}</h3>
            <video
                node_ref=video
                controls=true
                playsinline=true
                preload="metadata"
                src=first
                aria-label="Chain player"
                on:ended=move |_| {
                    let next = at.get_untracked() + 1;
                    if next < n {
                        play(next);
                    }
                }
            ></video>
            <p class="links">
                <button type="button" on:click=move |_| play(0)>"Play the chain"</button>
                <span class="note" data-testid="chain-clip">
                    {move || format!("Clip {} of {n}", at.get() + 1)}
                </span>
            </p>
        </div>
    }
}
