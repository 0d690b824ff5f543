//! Checks of one media URL: its scheme, and for `data:` URLs the syntax, type, size,
//! pixels and aspect, read from headers without decoding the whole payload.

use crate::dataurl::{self, MediaType};
use crate::numfmt::{fixed, short};
use crate::types::MediaKind;

use super::issue::Issue;
use super::limits::Limits;

/// What a media check learned that request-wide rules need (audio length totals).
#[derive(Default)]
pub(super) struct MediaFacts {
    pub audio_seconds: Option<f64>,
}

const IMAGE_TYPES: &str = "image/jpeg, image/png, image/webp, image/bmp, image/tiff, image/gif";
const AUDIO_TYPES: &str = "audio/wav, audio/mpeg (mp3)";
const VIDEO_TYPES: &str = "video/mp4, video/quicktime";

fn types_for(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Image => IMAGE_TYPES,
        MediaKind::Audio => AUDIO_TYPES,
        MediaKind::Video => VIDEO_TYPES,
    }
}

/// Render a URL for a message: long ones (data URLs above all) are cut.
pub(super) fn show_url(url: &str) -> String {
    if url.len() <= 80 {
        return format!("{url:?}");
    }
    if let Some((head, _)) = url.split_once(',').filter(|_| url.starts_with("data:")) {
        if head.len() <= 80 {
            return format!("\"{head},…\" ({} characters)", url.len());
        }
    }
    let cut: String = url.chars().take(60).collect();
    format!("\"{cut}…\" ({} characters)", url.len())
}

fn mb(bytes: u64) -> String {
    match bytes {
        0..1024 => format!("{bytes} bytes"),
        1024..1_048_576 => format!("{} KB", fixed(bytes as f64 / 1024.0, 1)),
        _ => format!("{} MB", fixed(bytes as f64 / 1_048_576.0, 1)),
    }
}

pub(super) fn check_url(
    field: &str,
    kind: MediaKind,
    url: &str,
    limits: &Limits,
    issues: &mut Vec<Issue>,
) -> MediaFacts {
    let lower_prefix = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let allowed_schemes = if limits.allow_http {
        "https://, http://, data: or asset:// URL"
    } else {
        "https://, data: or asset:// URL (plain http:// only when Limits.allow_http is set)"
    };
    if url.trim().is_empty() {
        issues.push(Issue::error(
            field,
            "url.empty",
            "an empty URL",
            allowed_schemes,
        ));
    } else if url.trim() != url {
        issues.push(Issue::error(
            field,
            "url.whitespace",
            show_url(url),
            "a URL without leading or trailing whitespace",
        ));
    } else if lower_prefix.starts_with("data:") {
        return check_data_url(field, kind, url, limits, issues);
    } else if let Some(rest) = strip_scheme(url, "https://") {
        if host_of(rest).is_empty() {
            issues.push(Issue::error(
                field,
                "url.host",
                show_url(url),
                "a URL with a host name",
            ));
        }
    } else if let Some(rest) = strip_scheme(url, "http://") {
        if !limits.allow_http {
            issues.push(Issue::error(
                field,
                "url.http",
                show_url(url),
                allowed_schemes,
            ));
        } else if host_of(rest).is_empty() {
            issues.push(Issue::error(
                field,
                "url.host",
                show_url(url),
                "a URL with a host name",
            ));
        }
    } else if let Some(rest) = strip_scheme(url, "asset://") {
        if rest.is_empty() {
            issues.push(Issue::error(
                field,
                "url.asset",
                show_url(url),
                "asset://<asset id>",
            ));
        }
    } else {
        issues.push(Issue::error(
            field,
            "url.scheme",
            show_url(url),
            allowed_schemes,
        ));
    }
    MediaFacts::default()
}

fn strip_scheme<'a>(url: &'a str, scheme: &str) -> Option<&'a str> {
    url.get(..scheme.len())
        .filter(|p| p.eq_ignore_ascii_case(scheme))
        .map(|_| &url[scheme.len()..])
}

fn host_of(rest: &str) -> &str {
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    host.split(':').next().unwrap_or("")
}

fn check_data_url(
    field: &str,
    kind: MediaKind,
    url: &str,
    limits: &Limits,
    issues: &mut Vec<Issue>,
) -> MediaFacts {
    let mut facts = MediaFacts::default();
    let parsed = match dataurl::parse(url) {
        Ok(p) => p,
        Err(e) => {
            issues.push(Issue::error(
                field,
                "data_url.syntax",
                format!("a data URL that {e}"),
                "data:<mime>;base64,<standard base64>",
            ));
            return facts;
        }
    };
    if kind == MediaKind::Video && !limits.allow_video_data_urls {
        issues.push(Issue::error(
            field,
            "data_url.video",
            show_url(url),
            "an https:// or asset:// URL: reference videos can't be sent as data URLs",
        ));
        return facts;
    }
    let declared = parsed.media_type().filter(|t| t.kind() == kind);
    if declared.is_none() {
        issues.push(Issue::error(
            field,
            "data_url.mime",
            format!("{:?}", parsed.mime),
            format!("one of {}", types_for(kind)),
        ));
    }
    let size = parsed.decoded_len() as u64;
    let max = match kind {
        MediaKind::Image => limits.max_image_bytes,
        MediaKind::Video => limits.max_video_bytes,
        MediaKind::Audio => limits.max_audio_bytes,
    };
    if size > max {
        issues.push(Issue::error(
            field,
            "data_url.size",
            if size < 1024 {
                mb(size)
            } else {
                format!("{} ({size} bytes)", mb(size))
            },
            format!("at most {} per {}", mb(max), kind.noun()),
        ));
    }

    // Enough for every header we read but a JPEG whose frame header follows big metadata.
    let mut head = parsed.decode_prefix(64 * 1024);
    let sniffed = dataurl::sniff(&head);
    match sniffed {
        None => issues.push(Issue::error(
            field,
            "data_url.format",
            format!("bytes that are no {} this API takes", kind.noun()),
            format!("one of {}", types_for(kind)),
        )),
        Some(t) if t.kind() != kind => issues.push(Issue::error(
            field,
            "data_url.format",
            format!("{} bytes in {}", t.name(), kind.field()),
            format!("one of {}", types_for(kind)),
        )),
        Some(t) => {
            if let Some(d) = declared.filter(|d| *d != t) {
                issues.push(Issue::warning(
                    field,
                    "data_url.mime_mismatch",
                    format!("{} bytes labelled {}", t.name(), d.mime()),
                    format!("the label {}", t.mime()),
                ));
            }
        }
    }
    match sniffed {
        Some(MediaType::Jpeg)
        | Some(MediaType::Png)
        | Some(MediaType::Webp)
        | Some(MediaType::Gif)
        | Some(MediaType::Bmp)
        | Some(MediaType::Tiff)
            if kind == MediaKind::Image =>
        {
            let mut dims = dataurl::image_size(&head);
            if dims.is_none() && sniffed == Some(MediaType::Jpeg) {
                head = parsed.decode_prefix(2 * 1024 * 1024);
                dims = dataurl::image_size(&head);
            }
            if let Some((w, h)) = dims {
                check_pixels(field, w, h, limits, issues);
            }
        }
        Some(MediaType::Wav) if kind == MediaKind::Audio => {
            facts.audio_seconds = dataurl::wav_duration(&head);
            if let Some(secs) = facts.audio_seconds {
                let (lo, hi) = limits.audio_seconds;
                if !(lo..=hi).contains(&secs) {
                    issues.push(Issue::error(
                        field,
                        "audio.duration",
                        format!("{} s of audio", fixed(secs, 1)),
                        format!("{}..={} s per track", short(lo), short(hi)),
                    ));
                }
            }
        }
        _ => {}
    }
    facts
}

fn check_pixels(field: &str, w: u32, h: u32, limits: &Limits, issues: &mut Vec<Issue>) {
    let (lo, hi) = (limits.min_image_side, limits.max_image_side);
    if w.min(h) < lo || w.max(h) > hi {
        issues.push(Issue::error(
            field,
            "image.pixels",
            format!("a {w}×{h} image"),
            format!("each side {lo}..={hi} px"),
        ));
    }
    let aspect = w as f64 / h as f64;
    if aspect < limits.min_aspect || aspect > limits.max_aspect {
        issues.push(Issue::error(
            field,
            "image.aspect",
            format!("a {w}×{h} image (width/height {})", fixed(aspect, 2)),
            format!(
                "width/height {}..={}",
                short(limits.min_aspect),
                short(limits.max_aspect)
            ),
        ));
    }
}
