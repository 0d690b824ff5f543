//! A chain: clips made one after another with "Continue from last frame", played back to
//! back in one `<video>` that moves to the next clip when one ends.

use leptos::prelude::*;

/// One clip of a chain.
#[derive(Clone, Debug, PartialEq)]
pub struct Clip {
    /// The task that made it.
    pub id: String,
    /// Its (signed) video link.
    pub url: String,
}

/// The chain so far, and whether the task being made continues it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Chain {
    /// The clips, in playing order.
    pub clips: Vec<Clip>,
    /// The running task continues the chain (its clip is added when it succeeds).
    pub extending: bool,
}

impl Chain {
    /// A task is being made from `prev`'s last frame: keep the chain when `prev` ends it,
    /// else start a new one with `prev`.
    pub fn continue_from(&mut self, prev: Clip) {
        if self.clips.last().map(|c| &c.id) != Some(&prev.id) {
            self.clips = vec![prev];
        }
        self.extending = true;
    }

    /// A task not made from a last frame: the chain ends.
    pub fn reset(&mut self) {
        *self = Chain::default();
    }

    /// A task succeeded: add its clip if it continues the chain.
    pub fn succeeded(&mut self, clip: Clip) {
        if self.extending && self.clips.last().map(|c| &c.id) != Some(&clip.id) {
            self.clips.push(clip);
            self.extending = false;
        }
    }

    /// The clips to play when `id` is the task shown: the chain it ends, if any.
    pub fn ending_with(&self, id: &str) -> Option<Vec<Clip>> {
        (self.clips.len() >= 2 && self.clips.last().is_some_and(|c| c.id == id))
            .then(|| self.clips.clone())
    }
}

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
