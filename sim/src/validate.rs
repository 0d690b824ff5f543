//! Server-side validation of a CreateTask body, written from docs/API.md alone.
//!
//! Deliberately independent of the client crate: when the two disagree, a client test
//! against the simulator fails. Returns the first problem as an Ark error naming the field
//! (`param`), the way the real service answers. `null` counts as absent everywhere, because
//! the official SDKs send `null` for every field the caller left unset.
//!
//! This module checks the top-level fields; `content` checks the content items and the
//! generation-mode rules.

use serde_json::{Map, Value};

use crate::ark::ArkError;
use crate::config::{Limits, ModelInfo};
use crate::tokens;

mod content;

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
pub(super) fn field<'a>(obj: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
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

    let content::Content {
        prompt,
        first_image_aspect,
    } = content::check_content(obj, limits)?;

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
