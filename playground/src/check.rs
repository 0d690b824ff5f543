//! The request the form makes, checked before anything is sent: every problem placed beside
//! the control it concerns (a validation issue names a JSON path such as `content[2]`; the
//! form knows which control made each content item), and the estimate.

use seedance::types::{ContentItem, CreateTaskRequest, Role};
use seedance::validate::{validate, Issue, Limits, Severity, Validation};
use seedance::{estimate, Estimate, PriceTable};

use crate::form::Form;
use crate::mode::Mode;

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
        if self.mode == Mode::TextToVideo || !prompt.is_empty() {
            content.push(ContentItem::text(self.prompt.clone()));
            origin.push(Control::Prompt);
        }
        match self.mode {
            Mode::TextToVideo => {}
            Mode::FirstFrame => {
                if let Some(url) = self.first.effective() {
                    content.push(ContentItem::image(url, Some(Role::FirstFrame)));
                    origin.push(Control::First);
                }
            }
            Mode::FirstLastFrame => {
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
            Mode::FirstFrame | Mode::FirstLastFrame if self.first.effective().is_none() => {
                problems.push(missing(Control::First, "A first frame image is needed"));
            }
            _ => {}
        }
        if self.mode == Mode::FirstLastFrame && self.last.effective().is_none() {
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
