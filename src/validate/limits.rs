//! The numeric limits validation enforces, with the documented defaults.

use serde::{Deserialize, Serialize};

const MB: u64 = 1024 * 1024;

/// Counts, sizes and URL rules that validation checks. The defaults are the documented
/// limits; those docs/API.md marks *unverified* (video/audio counts, sizes, pixel and aspect
/// bounds) are here so a caller can loosen or tighten them without a new release.
///
/// ```
/// let limits = seedance::Limits { allow_http: true, ..Default::default() };
/// assert_eq!(limits.max_images, 9);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// Reference images per request (documented: 9).
    pub max_images: usize,
    /// Reference videos per request (unverified: 3).
    pub max_videos: usize,
    /// Reference audio tracks per request (unverified: 3).
    pub max_audios: usize,
    /// Shortest allowed image side in pixels (unverified: 300).
    pub min_image_side: u32,
    /// Longest allowed image side in pixels (unverified: 6000).
    pub max_image_side: u32,
    /// Smallest width / height (unverified: 0.4).
    pub min_aspect: f64,
    /// Largest width / height (unverified: 2.5).
    pub max_aspect: f64,
    /// Largest decoded image, bytes, inclusive (unverified: under 30 MB, so 30 MiB − 1).
    pub max_image_bytes: u64,
    /// Largest decoded video, bytes (unverified: 50 MB).
    pub max_video_bytes: u64,
    /// Largest decoded audio, bytes (unverified: 15 MB).
    pub max_audio_bytes: u64,
    /// Shortest and longest audio track in seconds (unverified: 2..=15). Checked only for
    /// WAV `data:` URLs, whose header states the length; MP3 and remote audio, and every
    /// reference video's length, are left to the server.
    pub audio_seconds: (f64, f64),
    /// Longest total of audio in seconds (unverified: 15).
    pub max_total_audio_seconds: f64,
    /// Largest JSON body, bytes, inclusive (unverified: under 64 MB, so 64 MiB − 1).
    pub max_body_bytes: u64,
    /// Accept plain `http://` media URLs (local tests against the simulator); off by default
    /// because the real service fetches only from the public internet over https.
    pub allow_http: bool,
    /// Accept `data:` URLs for reference videos (unverified: not accepted).
    pub allow_video_data_urls: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_images: 9,
            max_videos: 3,
            max_audios: 3,
            min_image_side: 300,
            max_image_side: 6000,
            min_aspect: 0.4,
            max_aspect: 2.5,
            max_image_bytes: 30 * MB - 1,
            max_video_bytes: 50 * MB,
            max_audio_bytes: 15 * MB,
            audio_seconds: (2.0, 15.0),
            max_total_audio_seconds: 15.0,
            max_body_bytes: 64 * MB - 1,
            allow_http: false,
            allow_video_data_urls: false,
        }
    }
}
