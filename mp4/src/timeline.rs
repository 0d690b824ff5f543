//! The film's video timeline: where each clip's frames go so that clip k's presentation
//! starts exactly where clip k-1's ends, keeping every frame and its composition offset.
//!
//! Each clip shows a window of its media: from its edit list's `media_time` (the first
//! clip) or the earliest composition time (later clips, so no frame is hidden), to the end
//! of the edit or of the last frame, whichever is later (the last clip: the edit's end).
//! The output has one edit list: an optional delay, then media from the first clip's
//! `media_time` (its composition delay) for the whole film. Decode times run on without
//! gaps; when a clip must start later than the previous clip's frames end, the previous
//! clip's last frame lasts longer; when earlier, composition offsets shrink (and may go
//! negative: `ctts` version 1).

use crate::clip::Clip;
use crate::error::{ConcatError, Fault};

/// Where an output sample's bytes come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Src {
    /// Bytes at `offset` in clip `clip`.
    Clip { clip: usize, offset: u64 },
    /// The silent AAC frame.
    Silence,
}

/// One sample of the film.
#[derive(Clone, Copy, Debug)]
pub(crate) struct OutSample {
    pub(crate) src: Src,
    pub(crate) size: u32,
    pub(crate) duration: u32,
    pub(crate) cto: i32,
    pub(crate) sync: bool,
}

/// One track of the film.
pub(crate) struct OutTrack {
    pub(crate) timescale: u32,
    pub(crate) samples: Vec<OutSample>,
    /// The sample entry of the first clip (with audio, for the audio track).
    pub(crate) entry: Vec<u8>,
    pub(crate) tkhd_tail: [u8; 44],
    pub(crate) language: u16,
    /// Edit list: an empty edit of this length (movie timescale), then…
    pub(crate) delay: u64,
    /// …media from this time (track timescale)…
    pub(crate) media_time: u64,
    /// …for this long (movie timescale).
    pub(crate) shown: u64,
}

/// Rescale `x` from timescale `from` to `to`, rounding to the nearest tick (halves up).
pub(crate) fn rescale(x: i64, from: u32, to: u32) -> i64 {
    if from == to {
        return x;
    }
    // x = q·from + r, so x·to/from = q·to + r·to/from, where r·to < 2^64 (no 128-bit math).
    let (q, r) = (
        x.div_euclid(i64::from(from)),
        x.rem_euclid(i64::from(from)) as u64,
    );
    let (from, to) = (u64::from(from), u64::from(to));
    let part = r * to;
    let frac = part / from + u64::from(2 * (part % from) >= from);
    q.saturating_mul(to as i64).saturating_add(frac as i64)
}

/// Where each clip sits in the film, in the video timescale.
pub(crate) struct Placement {
    /// Where each clip's presentation starts; one more entry at the end: the film's length.
    pub(crate) starts: Vec<i64>,
    /// Where each clip's own time 0 falls (its start, unless frames before its edit are shown).
    pub(crate) origins: Vec<i64>,
}

/// Lay out the video track.
pub(crate) fn video(clips: &[Clip]) -> Result<(OutTrack, Placement), ConcatError> {
    let first = &clips[0].video;
    let ts = first.timescale;
    let mut samples: Vec<OutSample> = Vec::new();
    let mut starts = vec![0i64];
    let mut origins = Vec::with_capacity(clips.len());
    let (mut media_time, mut delay0) = (0i64, 0i64);
    let mut next_dts = 0i64; // where the previous clip's decode times end
    for (k, clip) in clips.iter().enumerate() {
        let v = &clip.video;
        let fail = |f: Fault| f.at(k);
        let s = |x: i64| rescale(x, v.timescale, ts);
        let mv = |x: u64| rescale(x as i64, clip.movie_timescale, ts);
        // Decode and composition times in the film's timescale, relative to this clip.
        let dts: Vec<i64> = v.samples.iter().map(|x| s(x.dts as i64)).collect();
        let last = v.samples.last().expect("a clip has frames");
        let span = s((last.dts + u64::from(last.duration)) as i64);
        let cts = |i: usize| s(v.samples[i].dts as i64 + i64::from(v.samples[i].cto));
        let c_min = (0..dts.len()).map(cts).min().unwrap_or(0);
        let c_end = (0..dts.len())
            .map(|i| cts(i) + dts.get(i + 1).unwrap_or(&span) - dts[i])
            .max()
            .unwrap_or(0);
        let m = v.edit.media_time.map_or(0, |t| s(t as i64));
        let edit_end = v.edit.duration.map(|d| m + mv(d));
        // An edit that ends within a movie tick of the last frame ends with it.
        let edit_end = edit_end.map(|e| {
            if e > c_end && e - c_end <= mv(1) + 1 {
                c_end
            } else {
                e
            }
        });
        let start = if k == 0 { m } else { m.min(c_min) };
        let end = match edit_end {
            Some(e) if k + 1 == clips.len() => e,
            Some(e) => e.max(c_end),
            None => c_end,
        };
        let delay = mv(v.edit.delay);
        let p = *starts.last().expect("starts with 0");
        if k == 0 {
            (media_time, delay0) = (m, delay);
        }
        // Output composition time of this clip's composition time c: media_time + p + delay
        // - delay0 + (c - start). `base` is the decode time that keeps every offset as is.
        let base = media_time + p + delay - delay0 - start;
        let dts_start = if k == 0 { 0 } else { base.max(next_dts) };
        if let Some(prev) = samples.last_mut() {
            let longer = i64::from(prev.duration) + dts_start - next_dts;
            prev.duration = u32::try_from(longer).map_err(|_| fail(too_long()))?;
        }
        if !v.samples[0].sync {
            return Err(fail(Fault::Unsupported(
                "a first frame that is not a key frame".into(),
                "re-encode the clip so that it starts with a key frame",
            )));
        }
        for (i, x) in v.samples.iter().enumerate() {
            let duration = dts.get(i + 1).unwrap_or(&span) - dts[i];
            let cto = base - dts_start + cts(i) - dts[i];
            samples.push(OutSample {
                src: Src::Clip {
                    clip: k,
                    offset: x.offset,
                },
                size: x.size,
                duration: u32::try_from(duration).map_err(|_| fail(too_long()))?,
                cto: i32::try_from(cto).map_err(|_| fail(too_long()))?,
                sync: x.sync,
            });
        }
        next_dts = dts_start + span;
        origins.push(p + delay + m - start);
        starts.push(p + delay + (end - start).max(0));
    }
    let length = *starts.last().expect("one per clip and the end");
    let track = OutTrack {
        timescale: ts,
        samples,
        entry: first.entry.clone(),
        tkhd_tail: first.tkhd_tail,
        language: first.language,
        delay: delay0 as u64,
        media_time: media_time as u64,
        shown: (length - delay0).max(0) as u64,
    };
    Ok((track, Placement { starts, origins }))
}

fn too_long() -> Fault {
    Fault::Malformed("a frame duration or composition offset does not fit in 32 bits".into())
}

#[cfg(test)]
mod tests {
    use super::rescale;

    #[test]
    fn rescale_rounds_to_the_nearest_tick() {
        assert_eq!(rescale(24576, 12288, 48000), 96000);
        assert_eq!(rescale(1, 1000, 12288), 12); // 12.288
        assert_eq!(rescale(1, 2, 1), 1); // a half rounds up
        assert_eq!(rescale(-1, 2, 1), 0);
        assert_eq!(rescale(-3, 1000, 12288), -37); // -36.864
        assert_eq!(
            rescale(u32::MAX as i64 * 3 + 7, u32::MAX, u32::MAX - 1),
            3 * (u32::MAX as i64 - 1) + 7
        );
    }
}
