//! From options to a [`CreateTaskRequest`]: read local files into `data:` URLs, pick the
//! content roles, and report validation issues in terms of the options the user typed.
//!
//! Everything here happens before a client exists, so a bad file can never send anything.

use std::path::Path;

use seedance::dataurl::{self, MediaType};
use seedance::{
    ContentItem, CreateTaskRequest, Issue, Limits, MediaKind, Model, Ratio, Resolution, Role,
    Validation,
};

use crate::args::RequestArgs;
use crate::failure::Failure;

/// A request, and for each `content` item the option it came from (`--image a.png`).
pub struct Built {
    pub req: CreateTaskRequest,
    pub sources: Vec<Option<String>>,
}

/// `fast`, `standard` or a model id.
pub fn model(name: &str) -> Model {
    match name {
        "fast" => Model::Fast,
        "standard" => Model::Standard,
        id => Model::from(id),
    }
}

/// Build the request; local files are read and encoded. Errors are usage errors (exit 2).
pub fn build(a: &RequestArgs, limits: &Limits) -> Result<Built, Failure> {
    if !a.images.is_empty() && (a.first_frame.is_some() || a.last_frame.is_some()) {
        return Err(Failure::usage(
            "--image and --first-frame/--last-frame both give frames: use one or the other",
        ));
    }
    if a.images.len() > 2 {
        return Err(Failure::usage(format!(
            "--image was given {} times: once is the first frame, twice first and last frame",
            a.images.len()
        ))
        .hint("for reference images (up to 9) use --ref-image"));
    }
    let first = a.images.first().or(a.first_frame.as_ref());
    let last = a.images.get(1).or(a.last_frame.as_ref());
    let (first_flag, last_flag) = if a.images.is_empty() {
        ("--first-frame", "--last-frame")
    } else {
        ("--image", "--image")
    };

    let mut content = Vec::new();
    let mut sources = Vec::new();
    if let Some(p) = &a.prompt {
        content.push(ContentItem::text(p.clone()));
        sources.push(Some("--prompt".to_owned()));
    }
    let mut push = |item: ContentItem, flag: &str, arg: &str| {
        content.push(item);
        sources.push(Some(format!("{flag} {arg}")));
    };
    if let Some(f) = first {
        let url = media(first_flag, f, MediaKind::Image, limits)?;
        push(
            ContentItem::image(url, Some(Role::FirstFrame)),
            first_flag,
            f,
        );
    }
    if let Some(l) = last {
        let url = media(last_flag, l, MediaKind::Image, limits)?;
        push(ContentItem::image(url, Some(Role::LastFrame)), last_flag, l);
    }
    for r in &a.ref_images {
        let url = media("--ref-image", r, MediaKind::Image, limits)?;
        push(
            ContentItem::image(url, Some(Role::ReferenceImage)),
            "--ref-image",
            r,
        );
    }
    for r in &a.ref_videos {
        let url = media("--ref-video", r, MediaKind::Video, limits)?;
        push(ContentItem::reference_video(url), "--ref-video", r);
    }
    for r in &a.ref_audios {
        let url = media("--ref-audio", r, MediaKind::Audio, limits)?;
        push(ContentItem::reference_audio(url), "--ref-audio", r);
    }

    let mut req = CreateTaskRequest::text_to_video(model(&a.model), "");
    req.content = content;
    req.resolution = a.resolution.as_deref().map(Resolution::from);
    req.ratio = a.ratio.as_deref().map(Ratio::from);
    req.duration = a.duration;
    req.generate_audio = a.audio.unwrap_or(true);
    req.watermark = a.watermark;
    req.seed = a.seed;
    req.return_last_frame = a.return_last_frame.then_some(true);
    req.execution_expires_after = a.expires_after;
    req.callback_url = a.callback_url.clone();
    Ok(Built { req, sources })
}

/// Whether an argument is a URL (sent as given) rather than a local file.
fn is_url(arg: &str) -> bool {
    let lower = arg.to_ascii_lowercase();
    lower.starts_with("data:") || lower.contains("://")
}

/// A media option's value as a URL: URLs as given, files read and encoded.
fn media(flag: &str, arg: &str, kind: MediaKind, limits: &Limits) -> Result<String, Failure> {
    if is_url(arg) {
        return Ok(arg.to_owned());
    }
    let shown = crate::fmt::shell_quote(arg);
    if kind == MediaKind::Video {
        return Err(Failure::usage(format!(
            "{flag} {shown}: a reference video must be a URL (https:// or asset://); a video \
             can't be sent inline"
        ))
        .hint("upload the video somewhere the service can fetch it and pass that URL"));
    }
    let path = Path::new(arg);
    let meta = std::fs::metadata(path).map_err(|e| {
        let f = Failure::usage(format!(
            "{flag} {shown}: can't read the file: {}",
            io_reason(&e)
        ));
        if e.kind() == std::io::ErrorKind::NotFound && looks_like_host(arg) {
            f.hint("a URL needs its scheme (https://…)")
        } else {
            f
        }
    })?;
    if meta.is_dir() {
        return Err(Failure::usage(format!(
            "{flag} {shown}: is a directory, not a file"
        )));
    }
    if meta.len() > limits.max_body_bytes {
        return Err(Failure::usage(format!(
            "{flag} {shown}: {} is more than a whole request may carry ({})",
            crate::fmt::bytes(meta.len() as usize),
            crate::fmt::bytes(limits.max_body_bytes as usize)
        ))
        .hint("upload it and pass its https:// URL"));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        Failure::usage(format!(
            "{flag} {shown}: can't read the file: {}",
            io_reason(&e)
        ))
    })?;
    let (wanted, formats) = match kind {
        MediaKind::Image => ("an image", "PNG, JPEG, WebP, GIF, BMP or TIFF"),
        _ => ("audio", "WAV or MP3"),
    };
    match dataurl::sniff(&bytes) {
        Some(t) if t.kind() == kind => Ok(dataurl::encode(&bytes, t.mime())),
        Some(t) => Err(Failure::usage(format!(
            "{flag} {shown}: is {} {} file, not {wanted} ({formats})",
            article(t),
            t.name()
        ))),
        None => Err(Failure::usage(format!(
            "{flag} {shown}: is not {wanted}: {formats} expected (checked by its first bytes)"
        ))),
    }
}

/// `example.com/cat.png`: a URL without its scheme, most likely.
fn looks_like_host(arg: &str) -> bool {
    let first = arg.split('/').next().unwrap_or("");
    arg.contains('/') && !arg.starts_with(['/', '.', '~']) && first.contains('.')
}

fn article(t: MediaType) -> &'static str {
    match t {
        MediaType::Mp3 | MediaType::Mp4 => "an",
        _ => "a",
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    }
}

/// An issue as a line, with the option a `content[i]` field came from.
pub fn issue_line(issue: &Issue, sources: &[Option<String>]) -> String {
    let source = issue
        .field
        .strip_prefix("content[")
        .and_then(|rest| rest.split(']').next())
        .and_then(|i| i.parse::<usize>().ok())
        .and_then(|i| sources.get(i).cloned().flatten());
    match source {
        Some(s) => format!(
            "{} (from {}): given {}; allowed: {}",
            issue.field, s, issue.given, issue.allowed
        ),
        None => issue.to_string(),
    }
}

/// Print warnings; turn errors into a usage failure listing every one.
pub fn check(v: &Validation, sources: &[Option<String>]) -> Result<(), Failure> {
    for w in v.warnings() {
        eprintln!("warning: {}", issue_line(w, sources));
    }
    let errors: Vec<&Issue> = v.errors().collect();
    if errors.is_empty() {
        return Ok(());
    }
    let n = errors.len();
    let mut message = format!(
        "invalid request ({n} problem{}); nothing was sent",
        if n == 1 { "" } else { "s" }
    );
    for e in errors {
        message.push_str("\n  - ");
        message.push_str(&issue_line(e, sources));
    }
    Err(Failure::usage(message))
}

/// The mode's name for people.
pub fn mode_name(v: &Validation) -> &'static str {
    match v.mode {
        Some(seedance::Mode::TextToVideo) => "text-to-video",
        Some(seedance::Mode::FirstFrame) => "first-frame",
        Some(seedance::Mode::FirstLastFrame) => "first + last frame",
        Some(seedance::Mode::Reference) => "multi-modal reference",
        None => "unknown-mode",
    }
}
