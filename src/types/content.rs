//! The items of a create request's `content` array.

use serde::{Deserialize, Serialize};

use super::model::Role;

/// A media reference: an `https://` URL, a `data:` URL or an `asset://` id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaUrl {
    /// The URL as sent to the server.
    pub url: String,
}

/// One item of `content`: the prompt or a media input with its role.
///
/// Prefer the [`CreateTaskRequest`](crate::CreateTaskRequest) constructors, which only build
/// valid combinations; these variants exist for requests decoded from JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ContentItem {
    /// The prompt.
    Text {
        /// The prompt text.
        text: String,
    },
    /// An image: a frame (`first_frame`, `last_frame`, or no role for a single first frame)
    /// or a `reference_image`.
    ImageUrl {
        /// Where the image is.
        image_url: MediaUrl,
        /// Its role; `None` is allowed only for a single first frame.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<Role>,
    },
    /// A reference video (`reference_video`).
    VideoUrl {
        /// Where the video is.
        video_url: MediaUrl,
        /// Its role: `reference_video`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<Role>,
    },
    /// A reference audio track (`reference_audio`); needs an image or a video beside it.
    AudioUrl {
        /// Where the audio is.
        audio_url: MediaUrl,
        /// Its role: `reference_audio`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<Role>,
    },
}

/// The kind of a media item, for messages and limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    /// An `image_url` item.
    Image,
    /// A `video_url` item.
    Video,
    /// An `audio_url` item.
    Audio,
}

impl MediaKind {
    /// The item's `type` and the name of its URL field (`image_url`, …).
    pub fn field(self) -> &'static str {
        match self {
            MediaKind::Image => "image_url",
            MediaKind::Video => "video_url",
            MediaKind::Audio => "audio_url",
        }
    }

    /// The kind for messages: `image`, `video`, `audio`.
    pub(crate) fn noun(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Video => "video",
            MediaKind::Audio => "audio",
        }
    }
}

impl ContentItem {
    /// A text item.
    pub fn text(text: impl Into<String>) -> Self {
        ContentItem::Text { text: text.into() }
    }

    /// An image item with a role (`None` = a single first frame).
    pub fn image(url: impl Into<String>, role: Option<Role>) -> Self {
        ContentItem::ImageUrl {
            image_url: MediaUrl { url: url.into() },
            role,
        }
    }

    /// A `reference_video` item.
    pub fn reference_video(url: impl Into<String>) -> Self {
        ContentItem::VideoUrl {
            video_url: MediaUrl { url: url.into() },
            role: Some(Role::ReferenceVideo),
        }
    }

    /// A `reference_audio` item.
    pub fn reference_audio(url: impl Into<String>) -> Self {
        ContentItem::AudioUrl {
            audio_url: MediaUrl { url: url.into() },
            role: Some(Role::ReferenceAudio),
        }
    }

    /// The media kind, URL and role of a media item; `None` for text.
    pub fn media(&self) -> Option<(MediaKind, &str, Option<&Role>)> {
        match self {
            ContentItem::Text { .. } => None,
            ContentItem::ImageUrl { image_url, role } => {
                Some((MediaKind::Image, &image_url.url, role.as_ref()))
            }
            ContentItem::VideoUrl { video_url, role } => {
                Some((MediaKind::Video, &video_url.url, role.as_ref()))
            }
            ContentItem::AudioUrl { audio_url, role } => {
                Some((MediaKind::Audio, &audio_url.url, role.as_ref()))
            }
        }
    }
}
