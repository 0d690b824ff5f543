//! The content items of a CreateTask body: each item's shape, its media URL (data URLs are
//! read: type, size, image sides and aspect), its role, and the generation-mode rules
//! (frames and references exclusive, counts, audio needs a picture).

use serde_json::{Map, Value};

use super::field;
use crate::ark::ArkError;
use crate::config::Limits;
use crate::image::{self, ImageFormat};

/// What kind of media an item carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Media {
    Image,
    Video,
    Audio,
}

impl Media {
    fn key(self) -> &'static str {
        match self {
            Media::Image => "image_url",
            Media::Video => "video_url",
            Media::Audio => "audio_url",
        }
    }
}

/// One checked media item.
struct MediaItem {
    index: usize,
    media: Media,
    role: Option<String>,
    aspect: Option<f64>,
}

impl MediaItem {
    fn is_frame(&self) -> bool {
        self.media == Media::Image && self.role.as_deref() != Some("reference_image")
    }
}

/// What the content items say, once they passed.
pub(super) struct Content {
    /// The text prompt (empty when there is none).
    pub prompt: String,
    /// Width/height of the first image, when it was readable (a `data:` URL).
    pub first_image_aspect: Option<f64>,
}

/// Check `content`: each item's shape, then the mode rules.
pub(super) fn check_content(
    obj: &Map<String, Value>,
    limits: &Limits,
) -> Result<Content, ArkError> {
    let items = match field(obj, "content") {
        None => return Err(ArkError::missing("content", "Give at least a text item.")),
        Some(Value::Array(a)) => a,
        Some(_) => {
            return Err(ArkError::invalid(
                "content",
                "must be an array of content items",
            ))
        }
    };
    if items.is_empty() {
        return Err(ArkError::invalid("content", "must not be empty"));
    }

    let mut prompt: Option<String> = None;
    let mut media = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let p = |f: &str| format!("content[{i}]{f}");
        let item = item
            .as_object()
            .ok_or_else(|| ArkError::invalid(&p(""), "each content item must be an object"))?;
        let kind = match field(item, "type") {
            None => {
                return Err(ArkError::missing(
                    &p(".type"),
                    "Each content item needs a type.",
                ))
            }
            Some(Value::String(s)) => s.as_str(),
            Some(_) => return Err(ArkError::invalid(&p(".type"), "must be a string")),
        };
        let m = match kind {
            "text" => {
                let text = match field(item, "text") {
                    None => return Err(ArkError::missing(&p(".text"), "A text item needs text.")),
                    Some(Value::String(s)) => s,
                    Some(_) => return Err(ArkError::invalid(&p(".text"), "must be a string")),
                };
                if text.trim().is_empty() {
                    return Err(ArkError::invalid(&p(".text"), "must not be empty"));
                }
                if prompt.is_some() {
                    return Err(ArkError::invalid(&p(""), "only one text item is allowed"));
                }
                prompt = Some(text.clone());
                continue;
            }
            "image_url" => Media::Image,
            "video_url" => Media::Video,
            "audio_url" => Media::Audio,
            other => {
                return Err(ArkError::invalid(
                    &p(".type"),
                    format!("`{other}` is not one of text, image_url, video_url, audio_url"),
                ))
            }
        };
        media.push(check_media_item(i, item, m, limits)?);
    }
    check_mode(prompt.is_some(), &media, limits)?;
    let first_image_aspect = media
        .iter()
        .find(|m| m.media == Media::Image)
        .and_then(|m| m.aspect);
    Ok(Content {
        prompt: prompt.unwrap_or_default(),
        first_image_aspect,
    })
}

/// Check one media item's object, URL and role.
fn check_media_item(
    i: usize,
    item: &Map<String, Value>,
    m: Media,
    limits: &Limits,
) -> Result<MediaItem, ArkError> {
    let key = m.key();
    let base = format!("content[{i}].{key}");
    let inner = match field(item, key) {
        None => {
            return Err(ArkError::missing(
                &base,
                format!("A {key} item needs a `{key}` object."),
            ))
        }
        Some(Value::Object(o)) => o,
        Some(_) => return Err(ArkError::invalid(&base, "must be an object with a `url`")),
    };
    let url_param = format!("{base}.url");
    let url = match field(inner, "url") {
        None => return Err(ArkError::missing(&url_param, "Give the media URL.")),
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return Err(ArkError::invalid(&url_param, "must be a string")),
    };
    let aspect = check_url(&url_param, url, m, limits)?;

    let role_param = format!("content[{i}].role");
    let role = match field(item, "role") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(ArkError::invalid(&role_param, "must be a string")),
    };
    let allowed: &[&str] = match m {
        Media::Image => &["first_frame", "last_frame", "reference_image"],
        Media::Video => &["reference_video"],
        Media::Audio => &["reference_audio"],
    };
    match &role {
        Some(r) if !allowed.contains(&r.as_str()) => {
            return Err(ArkError::invalid(
                &role_param,
                format!(
                    "`{r}` is not a role for {key} (allowed: {})",
                    allowed.join(", ")
                ),
            ))
        }
        None if m != Media::Image => {
            return Err(ArkError::missing(
                &role_param,
                format!("A {key} item needs role `{}`.", allowed[0]),
            ))
        }
        _ => {}
    }
    Ok(MediaItem {
        index: i,
        media: m,
        role,
        aspect,
    })
}

/// Check a media URL; returns the image aspect when it could be read.
fn check_url(param: &str, url: &str, m: Media, limits: &Limits) -> Result<Option<f64>, ArkError> {
    if url.starts_with("https://") || url.starts_with("http://") {
        // Plain http is accepted here: whether to allow it is the client's decision.
        return if url
            .split_once("://")
            .is_some_and(|(_, rest)| !rest.is_empty())
        {
            Ok(None)
        } else {
            Err(ArkError::invalid(param, "the URL has no host"))
        };
    }
    if let Some(rest) = url.strip_prefix("asset://") {
        return if rest.is_empty() {
            Err(ArkError::invalid(param, "an asset URL needs an asset id"))
        } else {
            Ok(None)
        };
    }
    if !url.starts_with("data:") {
        return Err(ArkError::invalid(
            param,
            "must be an https://, http://, asset:// or data: URL",
        ));
    }
    let data = image::parse_data_url(url).map_err(|e| ArkError::invalid(param, e))?;
    match m {
        Media::Video => {
            if !limits.allow_video_data_urls {
                return Err(ArkError::invalid(
                    param,
                    "video references must be URLs or asset://, not data: URLs",
                ));
            }
            Ok(None)
        }
        Media::Audio => {
            if !matches!(
                data.mime.as_str(),
                "audio/wav" | "audio/x-wav" | "audio/wave" | "audio/mpeg" | "audio/mp3"
            ) {
                return Err(ArkError::invalid(
                    param,
                    format!("audio must be wav or mp3, not {}", data.mime),
                ));
            }
            if data.bytes.len() > limits.audio_max_bytes {
                return Err(ArkError::invalid(
                    param,
                    format!("audio is over {} bytes", limits.audio_max_bytes),
                ));
            }
            Ok(None)
        }
        Media::Image => check_image(param, &data, limits),
    }
}

/// Check a data-URL image: accepted type, matching bytes, byte size, side lengths, aspect.
fn check_image(
    param: &str,
    data: &image::DataUrl,
    limits: &Limits,
) -> Result<Option<f64>, ArkError> {
    let declared = ImageFormat::from_mime(&data.mime).ok_or_else(|| {
        ArkError::invalid(
            param,
            format!(
                "{} is not an accepted image type (jpeg, png, webp, bmp, tiff, gif)",
                data.mime
            ),
        )
    })?;
    if data.bytes.len() > limits.image_max_bytes {
        return Err(ArkError::invalid(
            param,
            format!("the image is over {} bytes", limits.image_max_bytes),
        ));
    }
    let info = image::sniff(&data.bytes)
        .ok_or_else(|| ArkError::invalid(param, "the data is not a readable image"))?;
    if info.format != declared {
        return Err(ArkError::invalid(
            param,
            format!(
                "the data is not {} (it reads as {:?})",
                data.mime, info.format
            ),
        ));
    }
    let Some((w, h)) = info.size else {
        return Ok(None);
    };
    let (min, max) = (limits.image_min_side, limits.image_max_side);
    if w < min || h < min || w > max || h > max {
        return Err(ArkError::invalid(
            param,
            format!("the image is {w}x{h}; each side must be {min}..={max} px"),
        ));
    }
    let aspect = f64::from(w) / f64::from(h);
    if aspect < limits.image_min_aspect || aspect > limits.image_max_aspect {
        return Err(ArkError::invalid(
            param,
            format!(
                "the image aspect (width/height) {aspect:.2} is outside {}..={}",
                limits.image_min_aspect, limits.image_max_aspect
            ),
        ));
    }
    Ok(Some(aspect))
}

/// The generation-mode rules: frames and references exclusive, counts, audio needs a picture.
fn check_mode(has_text: bool, media: &[MediaItem], limits: &Limits) -> Result<(), ArkError> {
    let Some(first) = media.first() else {
        return Ok(()); // text-to-video: the single text item was checked above
    };
    if let Some(odd) = media.iter().find(|m| m.is_frame() != first.is_frame()) {
        return Err(ArkError::invalid(
            &format!("content[{}].role", odd.index),
            "frame roles (first_frame, last_frame) and reference roles (reference_image, reference_video, reference_audio) cannot be mixed",
        ));
    }
    if first.is_frame() {
        return check_frames(media);
    }
    let count = |k: Media| media.iter().filter(|m| m.media == k).count();
    let (images, videos) = (count(Media::Image), count(Media::Video));
    for (kind, max, what) in [
        (Media::Image, limits.max_reference_images, "images"),
        (Media::Video, limits.max_reference_videos, "videos"),
        (Media::Audio, limits.max_reference_audios, "audios"),
    ] {
        if count(kind) > max {
            return Err(ArkError::invalid(
                "content",
                format!("at most {max} reference {what} are allowed"),
            ));
        }
    }
    if images + videos == 0 {
        let audio = media
            .iter()
            .find(|m| m.media == Media::Audio)
            .map_or(0, |m| m.index);
        return Err(ArkError::invalid(
            &format!("content[{audio}]"),
            "audio must come with at least one image or video",
        ));
    }
    if limits.require_text_for_reference && !has_text {
        return Err(ArkError::missing(
            "content",
            "Reference mode needs a text item describing the video.",
        ));
    }
    Ok(())
}

/// First-frame and first+last-frame modes.
fn check_frames(frames: &[MediaItem]) -> Result<(), ArkError> {
    match frames {
        [one] => match one.role.as_deref() {
            Some("last_frame") => Err(ArkError::invalid(
                &format!("content[{}].role", one.index),
                "a last_frame needs a first_frame",
            )),
            _ => Ok(()),
        },
        [a, b] => {
            for m in [a, b] {
                if m.role.is_none() {
                    return Err(ArkError::missing(
                        &format!("content[{}].role", m.index),
                        "With two images, both need a role: first_frame and last_frame.",
                    ));
                }
            }
            if a.role == b.role {
                return Err(ArkError::invalid(
                    &format!("content[{}].role", b.index),
                    "two images must be one first_frame and one last_frame",
                ));
            }
            Ok(())
        }
        _ => Err(ArkError::invalid(
            "content",
            "at most two frame images (first_frame, last_frame) are allowed",
        )),
    }
}
