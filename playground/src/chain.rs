//! A chain: clips made one after another with "Continue from last frame". The panel
//! (`panels::chain`) plays them back to back.

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
