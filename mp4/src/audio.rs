//! The film's audio timeline: each clip's audio frames placed against the video, so that at
//! every seam the audio is within half a frame of the picture, with no drift however many
//! clips there are.
//!
//! A decoder outputs a whole frame (1024 samples for AAC) per frame, whatever the `stts`
//! says, so positions here count frames: every output frame lasts one frame. At each clip
//! the position its first real sample (after the encoder's priming, the audio edit's
//! `media_time`) should have is computed from the video timeline; leading frames (the
//! priming first) are dropped while the audio would be late by more than half a frame, and
//! silent frames are inserted while it would be early by more. Trailing frames that start
//! after the clip's picture or its sound ends are dropped. A clip without sound gets silent
//! AAC frames for its length. The output edit list skips the first clip's priming.

use crate::clip::Clip;
use crate::config::{audio as audio_entry, audio_difference};
use crate::error::ConcatError;
use crate::timeline::{rescale, OutSample, OutTrack, Placement, Src};

/// Lay out the audio track, if any clip has sound; also return the silent frame it uses.
pub(crate) fn audio(
    clips: &[Clip],
    video_timescale: u32,
    place: &Placement,
) -> Result<Option<(OutTrack, Vec<u8>)>, ConcatError> {
    let Some(r) = clips.iter().position(|c| c.audio.is_some()) else {
        return Ok(None);
    };
    let reference = clips[r].audio.as_ref().expect("found above");
    for (k, clip) in clips.iter().enumerate().skip(r + 1) {
        if let Some(a) = &clip.audio {
            if let Some(difference) =
                audio_difference(&reference.entry, &a.entry).map_err(|f| f.at(k))?
            {
                return Err(ConcatError::AudioMismatch {
                    clip: k,
                    reference: r,
                    difference,
                });
            }
        }
    }
    let format = audio_entry(&reference.entry).map_err(|f| f.at(r))?;
    let silence = format.aac().and_then(|c| c.silent_frame());
    if let (None, Some(k)) = (&silence, clips.iter().position(|c| c.audio.is_none())) {
        return Err(ConcatError::NoSilence {
            clip: k,
            codec: format.describe(),
        });
    }
    let silence = silence.unwrap_or_default();
    let ts = reference.timescale;
    let frame = i64::from(reference.samples[0].duration.max(1));
    let half = frame / 2;
    let at = |t: i64| rescale(t, video_timescale, ts);
    let primed = reference.edit.media_time.unwrap_or(0) as i64;

    let mut samples = Vec::new();
    let mut pos = 0i64; // where the next frame starts, in `ts`
    let silent = |samples: &mut Vec<OutSample>, pos: &mut i64, gap: i64| {
        // Fill `gap` to within half a frame (on a tie, the sound half a frame late rather
        // than early), if there is a silent frame to fill it with.
        let n = if silence.is_empty() || gap < half {
            0
        } else {
            (gap - half).div_euclid(frame) + 1
        };
        for _ in 0..n {
            samples.push(frame_sample(Src::Silence, silence.len() as u32, frame));
            *pos += frame;
        }
    };
    for (k, clip) in clips.iter().enumerate() {
        let Some(a) = &clip.audio else { continue };
        let s = |x: u64| rescale(x as i64, a.timescale, ts);
        let m = s(a.edit.media_time.unwrap_or(0));
        let movie = |x: u64| rescale(x as i64, clip.movie_timescale, ts);
        let target = primed + at(place.origins[k]) + movie(a.edit.delay);
        let end = primed + at(place.starts[k + 1]);
        let sound_end = a.edit.duration.map(|d| m + movie(d));
        // How late the first real sample would be if frames from `d` on were kept.
        let late = |d: usize| pos + m - s(a.samples[d].dts) - target;
        let mut d = 0;
        while late(d) > half && d + 1 < a.samples.len() {
            d += 1;
        }
        let gap = -late(d);
        silent(&mut samples, &mut pos, gap);
        for x in &a.samples[d..] {
            if pos >= end || sound_end.is_some_and(|e| s(x.dts) >= e) {
                break;
            }
            samples.push(frame_sample(
                Src::Clip {
                    clip: k,
                    offset: x.offset,
                },
                x.size,
                frame,
            ));
            pos += frame;
        }
    }
    let length = *place.starts.last().expect("one per clip and the end");
    let gap = primed + at(length) - pos;
    silent(&mut samples, &mut pos, gap);
    let heard = rescale(pos - primed, ts, video_timescale).max(0);
    let track = OutTrack {
        timescale: ts,
        samples,
        entry: reference.entry.clone(),
        tkhd_tail: reference.tkhd_tail,
        language: reference.language,
        delay: 0,
        media_time: primed as u64,
        shown: length.min(heard) as u64,
    };
    Ok(Some((track, silence)))
}

fn frame_sample(src: Src, size: u32, frame: i64) -> OutSample {
    OutSample {
        src,
        size,
        duration: frame as u32,
        cto: 0,
        sync: true,
    }
}
