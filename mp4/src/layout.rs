//! The film's byte layout: samples grouped in chunks of at most half a second, the two
//! tracks' chunks interleaved by time (so a player reading from the start has both), then
//! `ftyp`, `moov` (with the final chunk offsets) and the `mdat` header, followed by the
//! sample data as a list of pieces to copy. The layout is computed in full before any
//! sample byte is copied, so the film is written once, front to back.

use crate::mux::{ftyp, mdat_header, moov, BoxWriter, Placed};
use crate::timeline::{OutTrack, Src};

/// One stretch of the film's bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    /// The head: `ftyp`, `moov` and the `mdat` header.
    Head,
    /// A silent AAC frame.
    Silence,
    /// `len` bytes at `offset` in clip `clip`.
    Clip { clip: usize, offset: u64, len: u64 },
}

/// The whole film, as bytes of its own and pieces of the clips.
pub(crate) struct Layout {
    pub(crate) head: Vec<u8>,
    pub(crate) silence: Vec<u8>,
    pub(crate) parts: Vec<Part>,
    pub(crate) size: u64,
}

/// Chunks of a track as `(first sample, sample count)`, each at most half a second long.
fn chunks(t: &OutTrack) -> Vec<(usize, usize)> {
    let limit = u64::from(t.timescale / 2).max(1);
    let mut out: Vec<(usize, usize)> = Vec::new();
    let (mut dts, mut chunk_start) = (0u64, 0u64);
    for (i, s) in t.samples.iter().enumerate() {
        match out.last_mut() {
            Some((_, n)) if dts - chunk_start < limit => *n += 1,
            _ => {
                out.push((i, 1));
                chunk_start = dts;
            }
        }
        dts += u64::from(s.duration);
    }
    out
}

/// Lay out the film: video, then the optional audio track and its silent frame.
pub(crate) fn layout(video: &OutTrack, audio: Option<(&OutTrack, Vec<u8>)>) -> Layout {
    let (audio, silence) = match audio {
        Some((t, s)) => (Some(t), s),
        None => (None, Vec::new()),
    };
    let tracks: Vec<&OutTrack> = std::iter::once(video).chain(audio).collect();
    let per_track: Vec<Vec<(usize, usize)>> = tracks.iter().map(|t| chunks(t)).collect();

    // Interleave by start time: (track, chunk, start in that track's timescale).
    let starts: Vec<Vec<u64>> = tracks
        .iter()
        .zip(&per_track)
        .map(|(t, cs)| {
            let mut dts = 0u64;
            cs.iter()
                .map(|&(first, count)| {
                    let start = dts;
                    dts += t.samples[first..first + count]
                        .iter()
                        .map(|s| u64::from(s.duration))
                        .sum::<u64>();
                    start
                })
                .collect()
        })
        .collect();
    // Merge the tracks' lists, comparing times across timescales exactly; the video first
    // on a tie.
    let mut order: Vec<(usize, usize)> = Vec::new();
    let mut next = vec![0usize; tracks.len()];
    while let Some(t) = (0..tracks.len())
        .filter(|&t| next[t] < starts[t].len())
        .min_by_key(|&t| {
            let other = u128::from(tracks[tracks.len() - 1 - t].timescale);
            (u128::from(starts[t][next[t]]) * other, t)
        })
    {
        order.push((t, next[t]));
        next[t] += 1;
    }

    let chunk_len = |t: usize, c: usize| -> u64 {
        let (first, count) = per_track[t][c];
        tracks[t].samples[first..first + count]
            .iter()
            .map(|s| u64::from(s.size))
            .sum()
    };
    let data: u64 = order.iter().map(|&(t, c)| chunk_len(t, c)).sum();
    let head = |data_start: u64, co64: bool| -> Vec<u8> {
        let mut placed: Vec<Placed> = tracks
            .iter()
            .enumerate()
            .map(|(i, t)| Placed {
                track: t,
                chunks: Vec::new(),
                is_video: i == 0,
            })
            .collect();
        let mut at = data_start;
        for &(t, c) in &order {
            let (first, count) = per_track[t][c];
            placed[t].chunks.push((at, first, count));
            at += chunk_len(t, c);
        }
        let mut w = BoxWriter::default();
        ftyp(&mut w, video.entry.get(4..8).unwrap_or_default());
        moov(&mut w, &placed, co64);
        mdat_header(&mut w, data);
        w.buf
    };
    // The head's length doesn't depend on the offsets, only on their width.
    let mut co64 = false;
    let mut head_len = head(0, false).len() as u64;
    if head_len + data > u64::from(u32::MAX) {
        co64 = true;
        head_len = head(0, true).len() as u64;
    }
    let head = head(head_len, co64);

    let mut parts = vec![Part::Head];
    for &(t, c) in &order {
        let (first, count) = per_track[t][c];
        for s in &tracks[t].samples[first..first + count] {
            let len = u64::from(s.size);
            match (s.src, parts.last_mut()) {
                (Src::Silence, _) => parts.push(Part::Silence),
                (
                    Src::Clip { clip, offset },
                    Some(Part::Clip {
                        clip: c0,
                        offset: o0,
                        len: l0,
                    }),
                ) if *c0 == clip && *o0 + *l0 == offset => {
                    *l0 += len;
                }
                (Src::Clip { clip, offset }, _) => parts.push(Part::Clip { clip, offset, len }),
            }
        }
    }
    Layout {
        size: head_len + data,
        head,
        silence,
        parts,
    }
}
