//! The one error type of the crate: what went wrong, with which clip, in words a user can
//! act on. Owns no parsing; the parsers report a [`Fault`] and the caller adds the clip.

use thiserror::Error;

/// Why clips could not be joined. Clips are numbered from 0 in the order given.
///
/// Every message names the clip and says what to do about it, e.g.
/// `clip 3 has different video from clip 0 (640×360 vs 480×480): all clips of a film must
/// share one encoding (size, profile, SPS/PPS)`.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ConcatError {
    /// The list of clips is empty.
    #[error("no clips to join: pass at least one MP4 clip")]
    NoClips,
    /// The bytes are not an MP4 (ISO BMFF) file at all.
    #[error("clip {clip} is not an MP4 file ({found}): pass the MP4 bytes of the video")]
    NotMp4 {
        /// The clip's index.
        clip: usize,
        /// What the bytes look like instead.
        found: String,
    },
    /// The file ends before its boxes or its sample data do.
    #[error("clip {clip} is truncated ({detail}): download it again")]
    Truncated {
        /// The clip's index.
        clip: usize,
        /// Which part is missing.
        detail: String,
    },
    /// The file is an MP4, but a box in it does not make sense.
    #[error("clip {clip} is a damaged MP4 ({detail}): download it again")]
    Malformed {
        /// The clip's index.
        clip: usize,
        /// Which box is wrong, and how.
        detail: String,
    },
    /// The file uses an MP4 feature this joiner does not handle.
    #[error("clip {clip} uses {feature}, which cannot be joined without re-encoding here: {hint}")]
    Unsupported {
        /// The clip's index.
        clip: usize,
        /// The feature, e.g. `fragmented MP4 (moof boxes)`.
        feature: String,
        /// What the user can do instead.
        hint: &'static str,
    },
    /// The clip has no video track.
    #[error("clip {clip} has no video track: only videos can be joined into a film")]
    NoVideo {
        /// The clip's index.
        clip: usize,
    },
    /// The clip's video encoding differs from the first clip's.
    #[error(
        "clip {clip} has different video from clip 0 ({difference}): all clips of a film must \
         share one encoding (size, profile, SPS/PPS); generate them with the same settings"
    )]
    VideoMismatch {
        /// The clip's index.
        clip: usize,
        /// The difference, e.g. `640×360 vs 480×480` or `SPS differs`.
        difference: String,
    },
    /// The clip's audio encoding differs from the first clip with audio.
    #[error(
        "clip {clip} has different audio from clip {reference} ({difference}): all clips of a \
         film must share one audio format; generate them with the same settings"
    )]
    AudioMismatch {
        /// The clip's index.
        clip: usize,
        /// The first clip with audio, whose format the others must match.
        reference: usize,
        /// The difference, e.g. `48000 Hz vs 44100 Hz`.
        difference: String,
    },
    /// A clip without sound sits among clips with sound whose format has no silent frame here.
    #[error(
        "clip {clip} has no sound, and silence can only be made for AAC-LC audio ({codec} \
         here): give every clip sound, or none"
    )]
    NoSilence {
        /// The clip without sound.
        clip: usize,
        /// The other clips' audio format.
        codec: String,
    },
    /// The joined film would not fit in this platform's memory.
    #[error("the joined film would be {bytes} bytes, more than this platform can hold: join fewer clips")]
    TooLarge {
        /// The size the film would have.
        bytes: u64,
    },
    /// Reading a clip failed (a [`Source`](crate::Source) backed by a file or a stream).
    #[error("clip {clip} could not be read: {message}")]
    Read {
        /// The clip's index.
        clip: usize,
        /// The reader's message.
        message: String,
    },
}

impl ConcatError {
    /// Return a stable machine-readable name for the kind of error, e.g. `"truncated"`.
    pub fn code(&self) -> &'static str {
        match self {
            ConcatError::NoClips => "no_clips",
            ConcatError::NotMp4 { .. } => "not_mp4",
            ConcatError::Truncated { .. } => "truncated",
            ConcatError::Malformed { .. } => "malformed",
            ConcatError::Unsupported { .. } => "unsupported",
            ConcatError::NoVideo { .. } => "no_video",
            ConcatError::VideoMismatch { .. } => "video_mismatch",
            ConcatError::AudioMismatch { .. } => "audio_mismatch",
            ConcatError::NoSilence { .. } => "no_silence",
            ConcatError::TooLarge { .. } => "too_large",
            ConcatError::Read { .. } => "read",
        }
    }

    /// Return the index of the clip the error is about, if it is about one.
    pub fn clip(&self) -> Option<usize> {
        match self {
            ConcatError::NoClips | ConcatError::TooLarge { .. } => None,
            ConcatError::NotMp4 { clip, .. }
            | ConcatError::Truncated { clip, .. }
            | ConcatError::Malformed { clip, .. }
            | ConcatError::Unsupported { clip, .. }
            | ConcatError::NoVideo { clip }
            | ConcatError::VideoMismatch { clip, .. }
            | ConcatError::AudioMismatch { clip, .. }
            | ConcatError::NoSilence { clip, .. }
            | ConcatError::Read { clip, .. } => Some(*clip),
        }
    }
}

/// A problem found while reading one clip, before the clip's index is known to the reader.
#[derive(Debug)]
pub(crate) enum Fault {
    NotMp4(String),
    Truncated(String),
    Malformed(String),
    Unsupported(String, &'static str),
    NoVideo,
    Read(String),
}

impl Fault {
    /// Attach the clip's index.
    pub(crate) fn at(self, clip: usize) -> ConcatError {
        match self {
            Fault::NotMp4(found) => ConcatError::NotMp4 { clip, found },
            Fault::Truncated(detail) => ConcatError::Truncated { clip, detail },
            Fault::Malformed(detail) => ConcatError::Malformed { clip, detail },
            Fault::Unsupported(feature, hint) => ConcatError::Unsupported {
                clip,
                feature,
                hint,
            },
            Fault::NoVideo => ConcatError::NoVideo { clip },
            Fault::Read(message) => ConcatError::Read { clip, message },
        }
    }
}

/// A damaged box: `bad("stts", "entry count past the box end")`.
pub(crate) fn bad(boxname: &str, what: &str) -> Fault {
    Fault::Malformed(format!("{boxname} box: {what}"))
}
