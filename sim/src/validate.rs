//! Server-side validation of a CreateTask body, written from SPEC.md alone.
//!
//! Deliberately independent of the client crate: when the two disagree, a client test
//! against the simulator fails. Returns the first problem as an Ark error naming the field
//! (`param`), the way the real service answers. `null` counts as absent everywhere, because
//! the official SDKs send `null` for every field the caller left unset.

use serde_json::{Map, Value};

use crate::ark::ArkError;
use crate::config::{Limits, ModelInfo};
use crate::image::{self, ImageFormat};
use crate::tokens;

/// Resolution tiers in increasing order.
const RESOLUTIONS: [&str; 3] = ["480p", "720p", "1080p"];
/// Seedance 1.x fields rejected on 2.0 so that a client sending them is caught.
const LEGACY_FIELDS: [&str; 3] = ["frames", "camera_fixed", "service_tier"];

/// A create request that passed validation, with defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateRequest {
    /// Model id.
    pub model: String,
    /// The text prompt (empty when the request has none).
    pub prompt: String,
    /// `480p`, `720p` or `1080p`.
    pub resolution: String,
    /// As requested; may be `adaptive`.
    pub ratio: String,
    /// Width/height of the first image, when it was readable (a `data:` URL).
    pub first_image_aspect: Option<f64>,
    /// -1 or 4..=15.
    pub duration: i64,
    /// Defaults to true.
    pub generate_audio: bool,
    /// Defaults to false.
    pub watermark: bool,
    /// -1 (random) or 0..=2^32-1.
    pub seed: i64,
    /// Defaults to false.
    pub return_last_frame: bool,
    /// Seconds, 3600..=259200 (default 172800).
    pub execution_expires_after: u64,
    /// Where task updates would be posted.
    pub callback_url: Option<String>,
}

/// A field of `obj`, with JSON `null` treated as absent.
fn field<'a>(obj: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    obj.get(name).filter(|v| !v.is_null())
}

fn opt_bool(obj: &Map<String, Value>, name: &str, default: bool) -> Result<bool, ArkError> {
    match field(obj, name) {
        None => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(ArkError::invalid(name, "must be a boolean (true or false)")),
    }
}

/// An integer field; a float such as `5.0` or `5.5` is not an integer.
fn opt_int(obj: &Map<String, Value>, name: &str) -> Result<Option<i64>, ArkError> {
    match field(obj, name) {
        None => Ok(None),
        Some(Value::Number(n)) if n.is_i64() => Ok(n.as_i64()),
        Some(Value::Number(n)) if n.is_u64() => Err(ArkError::invalid(name, "is out of range")),
        Some(_) => Err(ArkError::invalid(name, "must be an integer")),
    }
}

fn opt_str<'a>(obj: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, ArkError> {
    match field(obj, name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ArkError::invalid(name, "must be a string")),
    }
}

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

/// Validate a CreateTask body.
pub fn validate(
    body: &Value,
    limits: &Limits,
    models: &[ModelInfo],
) -> Result<CreateRequest, ArkError> {
    let obj = body
        .as_object()
        .ok_or_else(|| ArkError::invalid("", "The request body must be a JSON object."))?;

    for name in LEGACY_FIELDS {
        if field(obj, name).is_some() {
            return Err(ArkError::invalid(
                name,
                format!("`{name}` is a Seedance 1.x parameter and is not supported by Seedance 2.0 models"),
            ));
        }
    }

    let model = match field(obj, "model") {
        None => return Err(ArkError::missing("model", "Name the model.")),
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(_) => return Err(ArkError::invalid("model", "must be a non-empty string")),
    };
    let model_info = models
        .iter()
        .find(|m| m.id == model)
        .ok_or_else(|| ArkError::unknown_model(&model))?;

    let (prompt, media) = check_content(obj, limits)?;

    let resolution = opt_str(obj, "resolution")?.unwrap_or("720p").to_owned();
    let rank = |r: &str| RESOLUTIONS.iter().position(|x| *x == r);
    let Some(res_rank) = rank(&resolution) else {
        return Err(ArkError::invalid(
            "resolution",
            "must be one of 480p, 720p, 1080p",
        ));
    };
    if rank(&model_info.max_resolution).is_some_and(|max| res_rank > max) {
        return Err(ArkError::invalid(
            "resolution",
            format!(
                "{resolution} is not supported by {model} (up to {})",
                model_info.max_resolution
            ),
        ));
    }

    let ratio = opt_str(obj, "ratio")?.unwrap_or("adaptive").to_owned();
    if ratio != "adaptive" && !tokens::RATIOS.iter().any(|(r, _)| *r == ratio) {
        return Err(ArkError::invalid(
            "ratio",
            "must be one of 16:9, 4:3, 1:1, 3:4, 9:16, 21:9, adaptive",
        ));
    }

    let duration = opt_int(obj, "duration")?.unwrap_or(5);
    if !(duration == -1 || (4..=15).contains(&duration)) {
        return Err(ArkError::invalid(
            "duration",
            "must be a whole number of seconds in 4..=15, or -1",
        ));
    }

    let generate_audio = opt_bool(obj, "generate_audio", true)?;
    let watermark = opt_bool(obj, "watermark", false)?;
    let return_last_frame = opt_bool(obj, "return_last_frame", false)?;

    let seed = match field(obj, "seed") {
        Some(Value::Number(n)) if n.as_u64().is_some_and(|v| v > u64::from(u32::MAX)) => {
            return Err(ArkError::invalid("seed", "must be in -1..=4294967295"))
        }
        _ => opt_int(obj, "seed")?.unwrap_or(-1),
    };
    if !(-1..=i64::from(u32::MAX)).contains(&seed) {
        return Err(ArkError::invalid("seed", "must be in -1..=4294967295"));
    }

    let expires = opt_int(obj, "execution_expires_after")?.unwrap_or(172_800);
    if !(3600..=259_200).contains(&expires) {
        return Err(ArkError::invalid(
            "execution_expires_after",
            "must be in 3600..=259200 seconds",
        ));
    }

    let callback_url = opt_str(obj, "callback_url")?.map(str::to_owned);
    if let Some(url) = &callback_url {
        if !(url.starts_with("https://") || url.starts_with("http://")) || url.len() < 10 {
            return Err(ArkError::invalid("callback_url", "must be an http(s) URL"));
        }
    }

    let first_image_aspect = media
        .iter()
        .find(|m| m.media == Media::Image)
        .and_then(|m| m.aspect);

    Ok(CreateRequest {
        model,
        prompt,
        resolution,
        ratio,
        first_image_aspect,
        duration,
        generate_audio,
        watermark,
        seed,
        return_last_frame,
        execution_expires_after: expires as u64,
        callback_url,
    })
}

/// Check `content`: each item's shape, then the mode rules. Returns the prompt and media.
fn check_content(
    obj: &Map<String, Value>,
    limits: &Limits,
) -> Result<(String, Vec<MediaItem>), ArkError> {
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
    Ok((prompt.unwrap_or_default(), media))
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
    let (images, videos, audios) = (
        count(Media::Image),
        count(Media::Video),
        count(Media::Audio),
    );
    if images > limits.max_reference_images {
        return Err(ArkError::invalid(
            "content",
            format!(
                "at most {} reference images are allowed",
                limits.max_reference_images
            ),
        ));
    }
    if videos > limits.max_reference_videos {
        return Err(ArkError::invalid(
            "content",
            format!(
                "at most {} reference videos are allowed",
                limits.max_reference_videos
            ),
        ));
    }
    if audios > limits.max_reference_audios {
        return Err(ArkError::invalid(
            "content",
            format!(
                "at most {} reference audios are allowed",
                limits.max_reference_audios
            ),
        ));
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
