//! The request options (`generate`, `estimate`, `validate`), and from them a
//! [`CreateTaskRequest`]: media values through [`media::url`], the content roles, and
//! validation issues in terms of the options the user typed.
//!
//! Everything here happens before a client exists, so a bad file can never send anything.
//! Imports no command.

use clap::Args;
use seedance::{
    ContentItem, CreateTaskRequest, Issue, Limits, MediaKind, Model, Ratio, Resolution, Role,
    Validation,
};

use crate::ctx::Ctx;
use crate::failure::Failure;
use crate::media;
use crate::values::{self, Check};

/// Everything that describes a create request.
#[derive(Args, Clone, Debug, Default)]
#[command(next_help_heading = "Request options")]
pub struct RequestArgs {
    /// the prompt (needed without images; optional with frames)
    #[arg(short, long, value_name = "TEXT", allow_hyphen_values = true)]
    pub prompt: Option<String>,
    /// a frame: once = first frame, twice = first and last frame
    #[arg(short = 'i', long = "image", value_name = "FILE|URL")]
    pub images: Vec<String>,
    /// the first frame, by name (instead of --image)
    #[arg(long, value_name = "FILE|URL")]
    pub first_frame: Option<String>,
    /// the last frame, by name
    #[arg(long, value_name = "FILE|URL")]
    pub last_frame: Option<String>,
    /// reference image (repeatable, up to 9): multi-modal reference mode
    #[arg(long = "ref-image", value_name = "FILE|URL")]
    pub ref_images: Vec<String>,
    /// reference video (https:// or asset://; repeatable)
    #[arg(long = "ref-video", value_name = "URL")]
    pub ref_videos: Vec<String>,
    /// reference audio, WAV or MP3 (repeatable; needs an image or video)
    #[arg(long = "ref-audio", value_name = "FILE|URL")]
    pub ref_audios: Vec<String>,
    #[command(flatten)]
    pub settings: SettingsArgs,
    #[arg(
        long,
        value_name = "N",
        allow_negative_numbers = true,
        value_parser = Check(values::number::<i64>),
        help = help::seed()
    )]
    pub seed: Option<i64>,
    /// add the watermark
    #[arg(long, overrides_with = "no_watermark")]
    pub watermark: bool,
    /// no watermark
    #[arg(long, overrides_with = "watermark")]
    pub no_watermark: bool,
    /// also produce the last frame as a PNG (to chain clips)
    #[arg(long)]
    pub return_last_frame: bool,
    #[arg(
        long,
        value_name = "SECS",
        allow_negative_numbers = true,
        value_parser = Check(values::number::<i64>),
        help = help::expires_after()
    )]
    pub expires_after: Option<i64>,
    /// the server POSTs task updates there
    #[arg(long, value_name = "URL")]
    pub callback_url: Option<String>,
}

/// The settings a request shares with every job of a batch (`generate`, `estimate`,
/// `validate`, `batch`): model, resolution, ratio, duration, sound.
#[derive(Args, Clone, Debug, Default)]
#[command(next_help_heading = "Request options")]
pub struct SettingsArgs {
    #[arg(short, long, value_name = "MODEL", default_value = "fast", help = help::model())]
    pub model: String,
    #[arg(short, long, value_name = "RES", help = help::resolution())]
    pub resolution: Option<String>,
    #[arg(long, value_name = "RATIO", help = help::ratio())]
    pub ratio: Option<String>,
    #[arg(
        short,
        long,
        value_name = "N|auto",
        allow_negative_numbers = true,
        value_parser = Check(values::duration),
        help = help::duration()
    )]
    pub duration: Option<i64>,
    /// generated sound on [server default: on]
    #[arg(long, overrides_with = "no_audio")]
    pub audio: bool,
    /// generated sound off
    #[arg(long, overrides_with = "audio")]
    pub no_audio: bool,
}

impl SettingsArgs {
    /// `--audio` / `--no-audio`, if either was given.
    pub fn audio(&self) -> Option<bool> {
        switch(self.audio, self.no_audio)
    }
}

impl RequestArgs {
    /// Whether any content (prompt or media) was given.
    pub fn has_content(&self) -> bool {
        self.prompt.is_some()
            || !self.images.is_empty()
            || self.first_frame.is_some()
            || self.last_frame.is_some()
            || !self.ref_images.is_empty()
            || !self.ref_videos.is_empty()
            || !self.ref_audios.is_empty()
    }
}

/// Help lines whose values are the core's facts (model ids, tiers, ranges).
mod help {
    use seedance::validate::{DURATION_RANGE, EXPIRES_AFTER_RANGE, SEED_RANGE};
    use seedance::{Model, Ratio, Resolution};

    pub fn model() -> String {
        let up_to = |m: &Model| {
            m.resolutions()
                .last()
                .map_or("?", |r| r.as_str())
                .to_owned()
        };
        let (fast, standard) = (Model::Fast, Model::Standard);
        format!(
            "fast | standard | a model id\n(fast = {fast}, up to {};\n standard = {standard}, up to {})",
            up_to(&fast),
            up_to(&standard)
        )
    }

    pub fn resolution() -> String {
        let all: Vec<&str> = Resolution::ALL.iter().map(|r| r.as_str()).collect();
        format!("{} [server default: 720p]", all.join(" | "))
    }

    pub fn ratio() -> String {
        let all: Vec<&str> = Ratio::ALL.iter().map(|r| r.as_str()).collect();
        format!("{} [server default: adaptive]", all.join(" | "))
    }

    pub fn duration() -> String {
        let (min, max) = DURATION_RANGE.into_inner();
        format!("{min}..{max} seconds, or auto (the model chooses) [server default: 5]")
    }

    pub fn seed() -> String {
        let (min, max) = SEED_RANGE.into_inner();
        format!("{min} (random) .. {max} [server default: -1]")
    }

    pub fn expires_after() -> String {
        let (min, max) = EXPIRES_AFTER_RANGE.into_inner();
        format!("give up on the task after this long, {min}..{max} [default: 172800]")
    }
}

/// `--flag` / `--no-flag`: the last one given, if any.
fn switch(on: bool, off: bool) -> Option<bool> {
    match (on, off) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    }
}

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
        let url = media::url(first_flag, f, MediaKind::Image, limits)?;
        push(
            ContentItem::image(url, Some(Role::FirstFrame)),
            first_flag,
            f,
        );
    }
    if let Some(l) = last {
        let url = media::url(last_flag, l, MediaKind::Image, limits)?;
        push(ContentItem::image(url, Some(Role::LastFrame)), last_flag, l);
    }
    for r in &a.ref_images {
        let url = media::url("--ref-image", r, MediaKind::Image, limits)?;
        push(
            ContentItem::image(url, Some(Role::ReferenceImage)),
            "--ref-image",
            r,
        );
    }
    for r in &a.ref_videos {
        let url = media::url("--ref-video", r, MediaKind::Video, limits)?;
        push(ContentItem::reference_video(url), "--ref-video", r);
    }
    for r in &a.ref_audios {
        let url = media::url("--ref-audio", r, MediaKind::Audio, limits)?;
        push(ContentItem::reference_audio(url), "--ref-audio", r);
    }

    let settings = &a.settings;
    let mut req = CreateTaskRequest::text_to_video(model(&settings.model), "");
    req.content = content;
    req.resolution = settings.resolution.as_deref().map(Resolution::from);
    req.ratio = settings.ratio.as_deref().map(Ratio::from);
    req.duration = settings.duration;
    req.generate_audio = settings.audio().unwrap_or(true);
    req.watermark = switch(a.watermark, a.no_watermark);
    req.seed = a.seed;
    req.return_last_frame = a.return_last_frame.then_some(true);
    req.execution_expires_after = a.expires_after;
    req.callback_url = a.callback_url.clone();
    Ok(Built { req, sources })
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

/// Build and validate; print warnings; fail with every error (exit 2).
pub fn checked(ctx: &Ctx, a: &RequestArgs) -> Result<(Built, Validation), Failure> {
    let limits = ctx.limits();
    let built = build(a, &limits)?;
    let outcome = seedance::validate(&built.req, &limits);
    check(&outcome, &built.sources)?;
    Ok((built, outcome))
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
