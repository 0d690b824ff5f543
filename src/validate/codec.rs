//! JSON without serde for validation's types (see `crate::json`): `Limits` decoded as serde
//! reads it, the outcome written as serde_json writes it. `crate::json::tests` checks both
//! against serde: whoever edits a serde attribute here edits its function too.

#![cfg_attr(not(all(target_arch = "wasm32", feature = "js")), allow(dead_code))]

use crate::json::read::{boolean, f64_, pair, u32_, u64_, usize_, Read, Seq, Shape};
#[cfg(any(test, all(target_arch = "wasm32", feature = "js-core")))]
use crate::json::write::Writer;
use crate::json::Json;
use crate::validate::Limits;
#[cfg(any(test, all(target_arch = "wasm32", feature = "js-core")))]
use crate::validate::{Issue, Mode, Severity, Validation};

/// `Limits` (validate/limits.rs): `#[serde(default)]`, so every field may be left out.
pub(crate) fn decode_limits(v: Json) -> Read<Limits> {
    const SHAPE: Shape = Shape {
        expecting: "struct Limits",
        fields: &[
            "max_images",
            "max_videos",
            "max_audios",
            "min_image_side",
            "max_image_side",
            "min_aspect",
            "max_aspect",
            "max_image_bytes",
            "max_video_bytes",
            "max_audio_bytes",
            "audio_seconds",
            "max_total_audio_seconds",
            "max_body_bytes",
            "allow_http",
            "allow_video_data_urls",
        ],
        deny_unknown: false,
        seq: Seq::Value,
    };
    let mut l = Limits::default();
    SHAPE.read(v, |i, _, v| {
        match i {
            Some(0) => l.max_images = usize_(v)?,
            Some(1) => l.max_videos = usize_(v)?,
            Some(2) => l.max_audios = usize_(v)?,
            Some(3) => l.min_image_side = u32_(v)?,
            Some(4) => l.max_image_side = u32_(v)?,
            Some(5) => l.min_aspect = f64_(v)?,
            Some(6) => l.max_aspect = f64_(v)?,
            Some(7) => l.max_image_bytes = u64_(v)?,
            Some(8) => l.max_video_bytes = u64_(v)?,
            Some(9) => l.max_audio_bytes = u64_(v)?,
            Some(10) => l.audio_seconds = pair(v, f64_)?,
            Some(11) => l.max_total_audio_seconds = f64_(v)?,
            Some(12) => l.max_body_bytes = u64_(v)?,
            Some(13) => l.allow_http = boolean(v)?,
            Some(14) => l.allow_video_data_urls = boolean(v)?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(l)
}

/// `Vec<Issue>` (validate/issue.rs).
#[cfg(any(test, all(target_arch = "wasm32", feature = "js-core")))]
pub(crate) fn write_issues(w: &mut Writer, issues: &[Issue]) {
    w.open_list();
    for i in issues {
        w.open();
        w.key("field");
        w.str(&i.field);
        w.key("rule");
        w.str(&i.rule);
        w.key("given");
        w.str(&i.given);
        w.key("allowed");
        w.str(&i.allowed);
        w.key("severity");
        w.str(match i.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        });
        w.close();
    }
    w.close_list();
}

/// `Validation` (validate/issue.rs): `mode` is `null` when content selects none.
#[cfg(any(test, all(target_arch = "wasm32", feature = "js-core")))]
pub(crate) fn write_validation(w: &mut Writer, v: &Validation) {
    w.open();
    w.key("mode");
    match v.mode {
        None => w.null(),
        Some(m) => w.str(match m {
            Mode::TextToVideo => "text_to_video",
            Mode::FirstFrame => "first_frame",
            Mode::FirstLastFrame => "first_last_frame",
            Mode::Reference => "reference",
        }),
    }
    w.key("issues");
    write_issues(w, &v.issues);
    w.close();
}
