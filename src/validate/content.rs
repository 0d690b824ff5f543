//! The rules on `content` as a whole: which combination of text, frames and references
//! makes which mode, and the counts each mode allows.

use crate::numfmt::{fixed, short};
use crate::types::{ContentItem, MediaKind, Role};

use super::issue::{Issue, Mode};
use super::limits::Limits;
use super::media::check_url;

const FRAME_ROLES: &str = "first_frame, last_frame, or none for a single first frame";

/// Check `content` and return the mode it selects (when it selects one).
pub(super) fn check_content(
    content: &[ContentItem],
    limits: &Limits,
    issues: &mut Vec<Issue>,
) -> Option<Mode> {
    if content.is_empty() {
        issues.push(Issue::error(
            "content",
            "content.empty",
            "an empty array",
            "one text item, or media items with their roles",
        ));
        return None;
    }

    let mut texts = Vec::new();
    let mut frames: Vec<(usize, Option<&Role>)> = Vec::new();
    let mut refs: Vec<(usize, MediaKind)> = Vec::new();
    let mut role_ok = true;
    let mut audio_seconds = 0.0;

    for (i, item) in content.iter().enumerate() {
        let Some((kind, url, role)) = item.media() else {
            if let ContentItem::Text { text } = item {
                texts.push(i);
                if text.trim().is_empty() {
                    issues.push(Issue::error(
                        format!("content[{i}].text"),
                        "content.text_empty",
                        format!("{text:?}"),
                        "a prompt that is not blank",
                    ));
                }
            }
            continue;
        };
        let url_field = format!("content[{i}].{}.url", kind.field());
        let facts = check_url(&url_field, kind, url, limits, issues);
        audio_seconds += facts.audio_seconds.unwrap_or(0.0);

        let role_field = format!("content[{i}].role");
        match (kind, role) {
            (MediaKind::Image, None | Some(Role::FirstFrame) | Some(Role::LastFrame)) => {
                frames.push((i, role))
            }
            (MediaKind::Image, Some(Role::ReferenceImage))
            | (MediaKind::Video, Some(Role::ReferenceVideo))
            | (MediaKind::Audio, Some(Role::ReferenceAudio)) => refs.push((i, kind)),
            (kind, role) => {
                role_ok = false;
                let allowed = match kind {
                    MediaKind::Image => format!("{FRAME_ROLES}; or reference_image"),
                    MediaKind::Video => "reference_video".to_owned(),
                    MediaKind::Audio => "reference_audio".to_owned(),
                };
                let given =
                    role.map_or_else(|| "no role".to_owned(), |r| format!("{:?}", r.as_str()));
                issues.push(Issue::error(role_field, "content.role", given, allowed));
            }
        }
    }

    for &extra in texts.iter().skip(1) {
        issues.push(Issue::error(
            format!("content[{extra}]"),
            "content.text_count",
            format!("a second text item (the first is content[{}])", texts[0]),
            "at most one text item: put the whole prompt in one",
        ));
    }

    if !frames.is_empty() && !refs.is_empty() {
        let (r, kind) = refs[0];
        let frame = frames[0].0;
        issues.push(Issue::error(
            format!("content[{r}].role"),
            "content.mixed_roles",
            format!(
                "{} reference beside the frame image content[{frame}]",
                match kind {
                    MediaKind::Image => "an image",
                    MediaKind::Video => "a video",
                    MediaKind::Audio => "an audio",
                }
            ),
            "frame roles (first_frame, last_frame) or reference roles, never both in one request",
        ));
        return None;
    }
    if !role_ok {
        return None;
    }

    if !frames.is_empty() {
        return check_frames(&frames, issues);
    }
    if !refs.is_empty() {
        let mode = check_references(&refs, texts.is_empty(), limits, issues);
        if audio_seconds > limits.max_total_audio_seconds {
            issues.push(Issue::error(
                "content",
                "audio.total_duration",
                format!("{} s of audio in all", fixed(audio_seconds, 1)),
                format!("at most {} s in all", short(limits.max_total_audio_seconds)),
            ));
        }
        return mode;
    }
    // Non-empty, no media: only text items remain, and text-to-video needs just that.
    Some(Mode::TextToVideo)
}

fn check_frames(frames: &[(usize, Option<&Role>)], issues: &mut Vec<Issue>) -> Option<Mode> {
    match frames {
        [(_, None | Some(Role::FirstFrame))] => Some(Mode::FirstFrame),
        [(i, Some(role))] => {
            issues.push(Issue::error(
                format!("content[{i}].role"),
                "content.frames",
                format!("{:?} on the only image", role.as_str()),
                "first_frame or no role for one image; last_frame needs a first_frame image too",
            ));
            None
        }
        [a, b] => {
            let mut ok = true;
            for (i, role) in [a, b] {
                if role.is_none() {
                    ok = false;
                    issues.push(Issue::error(
                        format!("content[{i}].role"),
                        "content.frames",
                        "no role on one of two frame images",
                        "first_frame on one image and last_frame on the other",
                    ));
                }
            }
            if ok && a.1 == b.1 {
                ok = false;
                issues.push(Issue::error(
                    format!("content[{}].role", b.0),
                    "content.frames",
                    format!("{:?} on both images", b.1.map_or("", |r| r.as_str())),
                    "first_frame on one image and last_frame on the other",
                ));
            }
            ok.then_some(Mode::FirstLastFrame)
        }
        _ => {
            issues.push(Issue::error(
                format!("content[{}]", frames[2].0),
                "content.frames",
                format!("{} frame images", frames.len()),
                "1 (first frame) or 2 (first + last frame); use reference_image roles for more",
            ));
            None
        }
    }
}

fn check_references(
    refs: &[(usize, MediaKind)],
    no_text: bool,
    limits: &Limits,
    issues: &mut Vec<Issue>,
) -> Option<Mode> {
    let mut ok = true;
    for (kind, max) in [
        (MediaKind::Image, limits.max_images),
        (MediaKind::Video, limits.max_videos),
        (MediaKind::Audio, limits.max_audios),
    ] {
        let of_kind: Vec<usize> = refs.iter().filter(|r| r.1 == kind).map(|r| r.0).collect();
        if of_kind.len() > max {
            ok = false;
            let name = kind.noun();
            issues.push(Issue::error(
                format!("content[{}]", of_kind[max]),
                "content.count",
                format!("{} reference {name}s", of_kind.len()),
                format!("at most {max} reference {name}s"),
            ));
        }
    }
    let has_visual = refs.iter().any(|r| r.1 != MediaKind::Audio);
    if !has_visual {
        ok = false;
        let first_audio = refs[0].0;
        issues.push(Issue::error(
            format!("content[{first_audio}]"),
            "content.audio_alone",
            "reference audio without any image or video",
            "audio together with at least one reference image or video",
        ));
    }
    if no_text {
        issues.push(Issue::warning(
            "content",
            "content.text_recommended",
            "reference media without a prompt",
            "a text item saying how to use the references (the API lists text for this mode)",
        ));
    }
    ok.then_some(Mode::Reference)
}
