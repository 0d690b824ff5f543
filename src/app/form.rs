//! The compose form as plain data: what the user picked, the request it makes, and where
//! each validation problem belongs on the page. No DOM here, so it is testable anywhere.

use std::sync::Arc;

use serde_json::{json, Value};

use crate::types::{ContentItem, CreateTaskRequest, Model, Ratio, Resolution, Role};
use crate::validate::{validate, Issue, Limits, Severity, Validation};
use crate::{estimate, Estimate, PriceTable};

/// The four generation modes, as tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Text only.
    Text,
    /// One image the video starts from.
    FirstFrame,
    /// Two images: start and end.
    FirstLast,
    /// Up to 9 reference images, plus reference videos and audio.
    Reference,
}

impl Mode {
    /// Every mode, in tab order.
    pub const ALL: [Mode; 4] = [
        Mode::Text,
        Mode::FirstFrame,
        Mode::FirstLast,
        Mode::Reference,
    ];

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            Mode::Text => "Text to video",
            Mode::FirstFrame => "First frame",
            Mode::FirstLast => "First + last frame",
            Mode::Reference => "Reference",
        }
    }

    /// A short stable name (history records, test ids).
    pub fn key(self) -> &'static str {
        match self {
            Mode::Text => "text",
            Mode::FirstFrame => "first_frame",
            Mode::FirstLast => "first_last",
            Mode::Reference => "reference",
        }
    }
}

/// An image the user chose from a file (encoded in the browser) — its data URL and facts.
#[derive(Clone, Debug, PartialEq)]
pub struct Picked {
    /// The file name.
    pub name: String,
    /// The `data:` URL.
    pub url: Arc<str>,
    /// The file's size in bytes.
    pub bytes: u64,
    /// Pixel size read from the file's header, when readable.
    pub size: Option<(u32, u32)>,
    /// The MIME type sniffed from the bytes.
    pub mime: String,
}

/// One image input: a picked file, or a URL typed in (`https://`, `asset://`, `data:`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImageSlot {
    /// The file, when one was picked (it wins over the typed URL).
    pub picked: Option<Picked>,
    /// The URL typed in.
    pub url: String,
}

impl ImageSlot {
    /// A slot holding a URL.
    pub fn from_url(url: impl Into<String>) -> Self {
        ImageSlot {
            picked: None,
            url: url.into(),
        }
    }

    /// The URL to send, if any.
    pub fn effective(&self) -> Option<String> {
        match &self.picked {
            Some(p) => Some(p.url.to_string()),
            None => Some(self.url.trim().to_owned()).filter(|u| !u.is_empty()),
        }
    }
}

/// Duration choice: model's choice or whole seconds.
pub const DURATIONS: std::ops::RangeInclusive<i64> = 4..=15;

/// Everything on the compose form.
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    /// The selected tab.
    pub mode: Mode,
    /// The prompt.
    pub prompt: String,
    /// The model.
    pub model: Model,
    /// The resolution.
    pub resolution: Resolution,
    /// The ratio.
    pub ratio: Ratio,
    /// Seconds, or -1 for the model's choice.
    pub duration: i64,
    /// Generate sound (always sent).
    pub audio: bool,
    /// The seed as typed; empty = not sent (server picks).
    pub seed: String,
    /// Add the watermark.
    pub watermark: bool,
    /// Ask for the last frame (for chaining).
    pub last_frame: bool,
    /// First frame image (first-frame and first + last modes).
    pub first: ImageSlot,
    /// Last frame image (first + last mode).
    pub last: ImageSlot,
    /// Reference images picked from files.
    pub ref_images: Vec<Picked>,
    /// Reference image URLs, one per line.
    pub ref_image_urls: String,
    /// Reference video URLs, one per line.
    pub ref_video_urls: String,
    /// Reference audio URLs, one per line.
    pub ref_audio_urls: String,
}

impl Default for Form {
    fn default() -> Self {
        Form {
            mode: Mode::Text,
            prompt: String::new(),
            model: Model::Fast,
            resolution: Resolution::P720,
            ratio: Ratio::R16x9,
            duration: 5,
            audio: true,
            seed: String::new(),
            watermark: false,
            last_frame: false,
            first: ImageSlot::default(),
            last: ImageSlot::default(),
            ref_images: Vec::new(),
            ref_image_urls: String::new(),
            ref_video_urls: String::new(),
            ref_audio_urls: String::new(),
        }
    }
}

/// A form's image payloads: picked files and typed `data:` URLs. They go to IndexedDB,
/// the rest of the form to localStorage (a data URL can be 30 MB).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Payloads {
    /// The first frame's file.
    pub first: Option<Picked>,
    /// The last frame's file.
    pub last: Option<Picked>,
    /// The reference images' files.
    pub refs: Vec<Picked>,
    /// A `data:` URL typed as the first frame.
    pub first_url: Option<String>,
    /// A `data:` URL typed as the last frame.
    pub last_url: Option<String>,
    /// Reference image URLs when any line is a `data:` URL.
    pub ref_image_urls: Option<String>,
}

impl Payloads {
    /// Whether there is nothing to store.
    pub fn is_empty(&self) -> bool {
        *self == Payloads::default()
    }
}

fn take_data(text: &mut String, pred: fn(&str) -> bool) -> Option<String> {
    pred(text).then(|| std::mem::take(text))
}

impl Form {
    /// The form without image payloads (small: for localStorage), and the payloads.
    pub fn split(&self) -> (Form, Payloads) {
        let mut light = self.clone();
        let is_data = |t: &str| t.trim_start().starts_with("data:");
        let payloads = Payloads {
            first: light.first.picked.take(),
            last: light.last.picked.take(),
            refs: std::mem::take(&mut light.ref_images),
            first_url: take_data(&mut light.first.url, is_data),
            last_url: take_data(&mut light.last.url, is_data),
            ref_image_urls: take_data(&mut light.ref_image_urls, |t| t.contains("data:")),
        };
        (light, payloads)
    }

    /// Put payloads back into a form made by [`Form::split`].
    pub fn with_payloads(mut self, p: Payloads) -> Form {
        self.first.picked = p.first;
        self.last.picked = p.last;
        self.ref_images = p.refs;
        if let Some(u) = p.first_url {
            self.first.url = u;
        }
        if let Some(u) = p.last_url {
            self.last.url = u;
        }
        if let Some(u) = p.ref_image_urls {
            self.ref_image_urls = u;
        }
        self
    }
}

// JSON by hand over `serde_json::Value` (which the page decodes anyway): derived
// deserializers for these types cost ~20 KB of wasm.

fn text(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_default().to_owned()
}

fn opt_text(v: &Value, key: &str) -> Option<String> {
    v[key].as_str().map(str::to_owned)
}

impl Form {
    /// The form as JSON, image payloads left out (see [`Form::split`]).
    pub fn to_json(&self) -> Value {
        json!({
            "mode": self.mode.key(),
            "prompt": self.prompt,
            "model": self.model.as_str(),
            "resolution": self.resolution.as_str(),
            "ratio": self.ratio.as_str(),
            "duration": self.duration,
            "audio": self.audio,
            "seed": self.seed,
            "watermark": self.watermark,
            "last_frame": self.last_frame,
            "first_url": self.first.url,
            "last_url": self.last.url,
            "ref_image_urls": self.ref_image_urls,
            "ref_video_urls": self.ref_video_urls,
            "ref_audio_urls": self.ref_audio_urls,
        })
    }

    /// A form from [`Form::to_json`]'s JSON; what is missing or unreadable keeps its default.
    pub fn from_json(v: &Value) -> Form {
        let d = Form::default();
        let flag = |key: &str, default: bool| v[key].as_bool().unwrap_or(default);
        Form {
            mode: Mode::ALL
                .into_iter()
                .find(|m| v["mode"] == m.key())
                .unwrap_or(d.mode),
            prompt: text(v, "prompt"),
            model: opt_text(v, "model").map_or(d.model, Model::from),
            resolution: opt_text(v, "resolution").map_or(d.resolution, Resolution::from),
            ratio: opt_text(v, "ratio").map_or(d.ratio, Ratio::from),
            duration: v["duration"].as_i64().unwrap_or(d.duration),
            audio: flag("audio", d.audio),
            seed: text(v, "seed"),
            watermark: flag("watermark", d.watermark),
            last_frame: flag("last_frame", d.last_frame),
            first: ImageSlot::from_url(text(v, "first_url")),
            last: ImageSlot::from_url(text(v, "last_url")),
            ref_images: Vec::new(),
            ref_image_urls: text(v, "ref_image_urls"),
            ref_video_urls: text(v, "ref_video_urls"),
            ref_audio_urls: text(v, "ref_audio_urls"),
        }
    }
}

impl Picked {
    fn to_json(&self) -> Value {
        let (w, h) = self.size.unwrap_or_default();
        json!({ "name": self.name, "url": &*self.url, "bytes": self.bytes, "w": w, "h": h, "mime": self.mime })
    }

    fn from_json(v: &Value) -> Option<Picked> {
        let size = match (v["w"].as_u64(), v["h"].as_u64()) {
            (Some(w @ 1..), Some(h @ 1..)) => Some((w as u32, h as u32)),
            _ => None,
        };
        Some(Picked {
            name: text(v, "name"),
            url: Arc::from(v["url"].as_str()?),
            bytes: v["bytes"].as_u64().unwrap_or_default(),
            size,
            mime: text(v, "mime"),
        })
    }
}

impl Payloads {
    /// The payloads as JSON.
    pub fn to_json(&self) -> Value {
        json!({
            "first": self.first.as_ref().map(Picked::to_json),
            "last": self.last.as_ref().map(Picked::to_json),
            "refs": self.refs.iter().map(Picked::to_json).collect::<Vec<_>>(),
            "first_url": self.first_url,
            "last_url": self.last_url,
            "ref_image_urls": self.ref_image_urls,
        })
    }

    /// Payloads from [`Payloads::to_json`]'s JSON.
    pub fn from_json(v: &Value) -> Payloads {
        Payloads {
            first: Picked::from_json(&v["first"]),
            last: Picked::from_json(&v["last"]),
            refs: v["refs"]
                .as_array()
                .map(|a| a.iter().filter_map(Picked::from_json).collect())
                .unwrap_or_default(),
            first_url: opt_text(v, "first_url"),
            last_url: opt_text(v, "last_url"),
            ref_image_urls: opt_text(v, "ref_image_urls"),
        }
    }
}

/// A place on the form a problem is shown beside.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Control {
    /// The prompt.
    Prompt,
    /// Model select.
    Model,
    /// Resolution select.
    Resolution,
    /// Ratio select.
    Ratio,
    /// Duration select.
    Duration,
    /// Seed input.
    Seed,
    /// First frame picker.
    First,
    /// Last frame picker.
    Last,
    /// Reference images.
    RefImages,
    /// Reference videos.
    RefVideos,
    /// Reference audio.
    RefAudios,
    /// The request as a whole.
    General,
}

/// A problem shown on the form.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Where it is shown.
    pub control: Control,
    /// Blocks sending (an error) or only informs (a warning).
    pub blocking: bool,
    /// What to show.
    pub message: String,
    /// Shown only after a first attempt to send (an empty form is not an error yet).
    pub quiet: bool,
}

/// The request the form makes, with its checks and estimate.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    /// The request (sent only when `ok`).
    pub request: CreateTaskRequest,
    /// Every problem, with its place.
    pub problems: Vec<Problem>,
    /// The token estimate.
    pub estimate: Estimate,
}

impl Checked {
    /// Whether the request may be sent.
    pub fn ok(&self) -> bool {
        !self.problems.iter().any(|p| p.blocking)
    }

    /// The problems shown beside one control.
    pub fn at(&self, control: Control) -> Vec<Problem> {
        self.problems
            .iter()
            .filter(|p| p.control == control)
            .cloned()
            .collect()
    }
}

fn lines(text: &str) -> impl Iterator<Item = String> + '_ {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
}

impl Form {
    /// Build the request and say which control each `content[i]` came from.
    pub fn build(&self) -> (CreateTaskRequest, Vec<Control>) {
        let mut content = Vec::new();
        let mut origin = Vec::new();
        let prompt = self.prompt.trim();
        if self.mode == Mode::Text || !prompt.is_empty() {
            content.push(ContentItem::text(self.prompt.clone()));
            origin.push(Control::Prompt);
        }
        match self.mode {
            Mode::Text => {}
            Mode::FirstFrame => {
                if let Some(url) = self.first.effective() {
                    content.push(ContentItem::image(url, Some(Role::FirstFrame)));
                    origin.push(Control::First);
                }
            }
            Mode::FirstLast => {
                if let Some(url) = self.first.effective() {
                    content.push(ContentItem::image(url, Some(Role::FirstFrame)));
                    origin.push(Control::First);
                }
                if let Some(url) = self.last.effective() {
                    content.push(ContentItem::image(url, Some(Role::LastFrame)));
                    origin.push(Control::Last);
                }
            }
            Mode::Reference => {
                for p in &self.ref_images {
                    content.push(ContentItem::image(
                        p.url.to_string(),
                        Some(Role::ReferenceImage),
                    ));
                    origin.push(Control::RefImages);
                }
                for url in lines(&self.ref_image_urls) {
                    content.push(ContentItem::image(url, Some(Role::ReferenceImage)));
                    origin.push(Control::RefImages);
                }
                for url in lines(&self.ref_video_urls) {
                    content.push(ContentItem::reference_video(url));
                    origin.push(Control::RefVideos);
                }
                for url in lines(&self.ref_audio_urls) {
                    content.push(ContentItem::reference_audio(url));
                    origin.push(Control::RefAudios);
                }
            }
        }
        let mut req = CreateTaskRequest::text_to_video(self.model.clone(), "");
        req.content = content;
        req = req
            .with_resolution(self.resolution.clone())
            .with_ratio(self.ratio.clone())
            .with_duration(self.duration)
            .with_audio(self.audio)
            .with_watermark(self.watermark)
            .with_last_frame(self.last_frame);
        if let Ok(seed) = self.seed.trim().parse::<i64>() {
            req = req.with_seed(seed);
        }
        (req, origin)
    }

    /// Build, validate and estimate (in money too, when prices are given): what the page
    /// shows before sending.
    pub fn check(&self, limits: &Limits, prices: Option<&PriceTable>) -> Checked {
        let (request, origin) = self.build();
        let validation = validate(&request, limits);
        let mut problems = place(&validation, &origin);
        let seed = self.seed.trim();
        if !seed.is_empty() && seed.parse::<i64>().is_err() {
            problems.push(Problem {
                control: Control::Seed,
                blocking: true,
                quiet: false,
                message: format!(
                    "{seed:?} is not a whole number: use -1 (random) to 4294967295, or leave it empty"
                ),
            });
        }
        let missing = |control, what: &str| Problem {
            control,
            blocking: true,
            quiet: true,
            message: format!("{what}: pick a file, drop or paste one, or give its URL"),
        };
        match self.mode {
            Mode::FirstFrame | Mode::FirstLast if self.first.effective().is_none() => {
                problems.push(missing(Control::First, "A first frame image is needed"));
            }
            _ => {}
        }
        if self.mode == Mode::FirstLast && self.last.effective().is_none() {
            problems.push(missing(Control::Last, "A last frame image is needed"));
        }
        if self.mode == Mode::Reference
            && !request.content.iter().any(|c| {
                matches!(
                    c,
                    ContentItem::ImageUrl { .. } | ContentItem::VideoUrl { .. }
                )
            })
        {
            problems.push(missing(
                Control::RefImages,
                "At least one reference image or video is needed",
            ));
        }
        // With a missing image the request looks like another mode: drop the
        // content-wide complaints that only say so.
        if problems.iter().any(|p| {
            matches!(
                p.control,
                Control::First | Control::Last | Control::RefImages
            ) && p.blocking
        }) {
            problems.retain(|p| p.control != Control::General || !p.blocking);
        }
        let estimate = estimate(&request, prices);
        Checked {
            request,
            problems,
            estimate,
        }
    }
}

/// Put each validation issue beside the control it concerns.
pub fn place(validation: &Validation, origin: &[Control]) -> Vec<Problem> {
    validation
        .issues
        .iter()
        .map(|issue| Problem {
            control: control_of(issue, origin),
            blocking: issue.severity == Severity::Error,
            message: describe(issue),
            quiet: issue.rule == "content.text_empty",
        })
        .collect()
}

fn control_of(issue: &Issue, origin: &[Control]) -> Control {
    match issue.field.as_str() {
        "model" => Control::Model,
        "resolution" => Control::Resolution,
        "ratio" => Control::Ratio,
        "duration" => Control::Duration,
        "seed" => Control::Seed,
        f => f
            .strip_prefix("content[")
            .and_then(|rest| rest.split(']').next())
            .and_then(|i| i.parse::<usize>().ok())
            .and_then(|i| origin.get(i).copied())
            .unwrap_or(Control::General),
    }
}

/// One issue in words: what was given and what is allowed.
pub fn describe(issue: &Issue) -> String {
    if issue.rule == "content.text_empty" {
        return "Write a prompt: it can't be blank.".to_owned();
    }
    format!("Given {}; allowed: {}.", issue.given, issue.allowed)
}

/// Why 1080p is not offered, if it is not.
pub fn resolution_note(model: &Model, resolution: &Resolution) -> Option<String> {
    (!model.resolutions().contains(resolution)).then(|| {
        format!(
            "{} renders up to 720p: 1080p needs the standard model",
            model_label(model)
        )
    })
}

/// A model's name for people.
pub fn model_label(model: &Model) -> String {
    match model {
        Model::Standard => "2.0 standard".to_owned(),
        Model::Fast => "2.0 fast".to_owned(),
        Model::Other(id) => id.clone(),
    }
}

/// Thousands separators: 108900 → "108,900".
pub fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count of tenths with one decimal: 471 → "47.1". Integer arithmetic keeps the float
/// formatter (~10 KB of wasm) out of the page.
pub fn tenths(n: u64) -> String {
    format!("{}.{}", n / 10, n % 10)
}

/// Bytes for people: "47.1 KB".
pub fn human_bytes(n: u64) -> String {
    match n {
        0..1024 => format!("{n} B"),
        1024..1_048_576 => format!("{} KB", tenths((n * 10 + 512) / 1024)),
        _ => format!("{} MB", tenths((n * 10 + 524_288) / 1_048_576)),
    }
}

/// The estimate in words, with money when a price applies.
pub fn estimate_text(e: &Estimate) -> String {
    let tokens = if e.tokens_min == e.tokens_max {
        format!("≈ {} tokens", group(e.tokens_max))
    } else {
        format!(
            "{} – {} tokens (the model picks {}–{} s)",
            group(e.tokens_min),
            group(e.tokens_max),
            e.seconds_min,
            e.seconds_max
        )
    };
    match &e.price {
        Some(p) => format!("{tokens} · {}", super::prices::money_text(p)),
        None => tokens,
    }
}

/// The request as a `curl` command: the key stays `$SEEDANCE_API_KEY` (never the real one),
/// and no key header at all for a proxy that adds it.
pub fn curl(base_url: &str, req: &CreateTaskRequest, with_key: bool) -> String {
    let body = serde_json::to_string(req).unwrap_or_default();
    let quoted = body.replace('\'', r"'\''");
    let auth = if with_key {
        " \\\n  -H \"Authorization: Bearer $SEEDANCE_API_KEY\""
    } else {
        ""
    };
    format!(
        "curl -sS -X POST '{}/contents/generations/tasks'{auth} \\\n  -H 'Content-Type: application/json' \\\n  -d '{quoted}'",
        base_url.trim_end_matches('/')
    )
}

/// Shorten data URLs for display (the copied command keeps them whole).
pub fn shorten_data_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(4096));
    let mut rest = text;
    while let Some(i) = rest.find("data:") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let end = tail.find('"').unwrap_or(tail.len());
        if end > 60 {
            out.push_str(&tail[..40]);
            out.push_str(&format!("…({} characters)", end));
        } else {
            out.push_str(&tail[..end]);
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// The spend guard's settings: a token budget for this session and the thresholds above
/// which a create asks first.
#[derive(Clone, Debug, PartialEq)]
pub struct Guard {
    /// Tokens this session may spend (empty = no budget).
    pub budget: String,
    /// Tokens asked for so far this session (the most each create could cost).
    pub spent: u64,
}

/// Longer tasks than this ask first (seconds).
pub const LONG_TASK_SECS: u32 = 10;

impl Guard {
    /// Why this request needs a confirmation, if it does.
    pub fn reasons(&self, checked: &Checked) -> Vec<String> {
        let mut why = Vec::new();
        let e = &checked.estimate;
        if let Ok(budget) = self.budget.trim().replace(',', "").parse::<u64>() {
            if self.spent + e.tokens_max > budget {
                why.push(format!(
                    "it may pass your session budget: {} spent + up to {} > {}",
                    group(self.spent),
                    group(e.tokens_max),
                    group(budget)
                ));
            }
        }
        if checked.request.resolution == Some(Resolution::P1080) {
            why.push("it is 1080p (the most expensive tier)".into());
        }
        if e.seconds_max > LONG_TASK_SECS {
            why.push(format!(
                "it may run up to {} s (longer than {LONG_TASK_SECS} s)",
                e.seconds_max
            ));
        }
        why
    }
}
