//! The chain player: the clips of a chain back to back in one `<video>` that moves to the
//! next clip when one ends.

use leptos::prelude::*;

use crate::chain::Clip;

/// Plays the clips back to back. `clips` may grow while it plays (a film's shots finish one
/// by one) or a clip's source may change (its kept copy replaces the remote URL): the player
/// stays, and goes on to whatever is next when a clip ends.
#[component]
pub fn ChainPlayer(#[prop(into)] clips: Signal<Vec<Clip>>) -> impl IntoView {
    let at = RwSignal::new(0usize);
    let video = NodeRef::<leptos::html::Video>::new();
    let n = move || clips.with(Vec::len);
    let url_of = move |i: usize| clips.with_untracked(|c| c.get(i).map(|c| c.url.clone()));
    let first = url_of(0).unwrap_or_default();
    // Set the source on the element itself and play: the next clip starts where the last
    // ended, without a re-render of the player.
    let play = move |i: usize| {
        if let (Some(v), Some(url)) = (video.get(), url_of(i)) {
            at.set(i);
            v.set_src(&url);
            let _ = v.play();
        }
    };
    view! {
        <div class="chain">
            <h3>{move || format!("Chain of {} clips", n())}</h3>
            <video
                node_ref=video
                controls=true
                playsinline=true
                preload="metadata"
                src=first
                aria-label="Chain player"
                on:ended=move |_| {
                    let next = at.get_untracked() + 1;
                    if next < clips.with_untracked(Vec::len) {
                        play(next);
                    }
                }
            ></video>
            <p class="links">
                <button type="button" on:click=move |_| play(0)>"Play the chain"</button>
                <span class="note" data-testid="chain-clip">
                    {move || format!("Clip {} of {}", at.get() + 1, n())}
                </span>
            </p>
        </div>
    }
}
