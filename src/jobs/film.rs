//! A film: shared settings and a storyboard of shots, each continuing from the previous
//! shot's last frame or starting fresh (a cut). It becomes a [`JobPlan`] of one job a shot.
//!
//! Clips of one film are joined without re-encoding, so they must share one frame size:
//! validation refuses what could give clips of different sizes.

use serde::{Deserialize, Serialize};

use super::plan::{Job, JobPlan};
use crate::cost::{Estimate, PriceTable};
use crate::dataurl;
use crate::types::{ContentItem, CreateTaskRequest, Model, Ratio, Resolution, Role};
use crate::validate::{validate, Issue, Limits, Validation, DURATION_RANGE};

/// A film plan, as the `seedance film` plan file writes it (unknown fields are errors).
///
/// ```
/// use seedance::jobs::Film;
/// use seedance::Limits;
/// let film: Film = serde_json::from_str(r#"{
///   "model": "doubao-seedance-2-0-fast-260128", "resolution": "720p", "ratio": "16:9",
///   "generate_audio": false,
///   "shots": [
///     { "prompt": "a fox wakes up in its den", "duration": 5 },
///     { "prompt": "it steps out into the snow", "duration": 4 },
///     { "prompt": "an owl watches from a pine", "duration": 6, "cut": true }
///   ]
/// }"#).unwrap();
/// assert!(film.validate(&Limits::default()).is_ok());
/// let plan = film.plan();
/// assert_eq!(plan.jobs[1].continues, Some(0));
/// assert_eq!(plan.jobs[0].request.return_last_frame, Some(true));
/// assert_eq!(plan.jobs[2].continues, None);
/// assert_eq!(film.estimate(None).seconds_max, 15);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Film {
    /// The model of every shot.
    pub model: Model,
    /// The resolution of every shot.
    pub resolution: Resolution,
    /// The ratio of every shot; `adaptive` only when every fresh shot starts from an image
    /// and those images give one ratio.
    pub ratio: Ratio,
    /// Sound on or off for every shot.
    pub generate_audio: bool,
    /// One seed for every shot (-1 or absent: the server draws one per shot).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    /// The AI-generated watermark on every shot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watermark: Option<bool>,
    /// The shots, in order (at least one).
    pub shots: Vec<Shot>,
}

/// One shot of a [`Film`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shot {
    /// What happens in the shot (optional only for a shot that starts from an image).
    #[serde(default)]
    pub prompt: String,
    /// Whole seconds, 4..=15.
    pub duration: i64,
    /// A fresh shot (text-to-video, or its own image) instead of continuing from the
    /// previous shot's last frame. The first shot is always fresh.
    #[serde(default)]
    pub cut: bool,
    /// The first frame of a fresh shot: a URL (`https://`, `data:`, `asset://`), or in a plan
    /// file a path relative to it, which the face turns into a `data:` URL first
    /// ([`Film::resolve_images`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

impl Shot {
    /// A shot that continues from the previous one.
    pub fn new(prompt: impl Into<String>, duration: i64) -> Self {
        Shot {
            prompt: prompt.into(),
            duration,
            cut: false,
            image: None,
        }
    }
}

/// Stands in for a continued shot's first frame while its request is validated.
const FRAME_PLACEHOLDER: &str = "https://example.invalid/previous-last-frame.png";

impl Film {
    /// Whether shot `index` starts fresh (the first shot, or a cut).
    pub fn is_fresh(&self, index: usize) -> bool {
        index == 0 || self.shots.get(index).is_some_and(|s| s.cut)
    }

    /// Replace each image that is not already a URL (`https://`, `http://`, `data:`,
    /// `asset://`) with what `resolve` makes of it, e.g. a file path relative to the plan
    /// file → a `data:` URL. Errors: the first failure, as `(shots[k].image, message)`.
    pub fn resolve_images(
        &mut self,
        mut resolve: impl FnMut(&str) -> Result<String, String>,
    ) -> Result<(), (String, String)> {
        for (k, shot) in self.shots.iter_mut().enumerate() {
            if let Some(image) = &shot.image {
                let is_url = ["https://", "http://", "data:", "asset://"]
                    .iter()
                    .any(|p| {
                        image
                            .get(..p.len())
                            .is_some_and(|s| s.eq_ignore_ascii_case(p))
                    });
                if !is_url {
                    let url = resolve(image).map_err(|e| (format!("shots[{k}].image"), e))?;
                    shot.image = Some(url);
                }
            }
        }
        Ok(())
    }

    /// Check every shot before anything is sent: all problems at once, with paths such as
    /// `shots[2].duration`; settings shared by every shot are reported once, by their own
    /// name (`resolution`).
    pub fn validate(&self, limits: &Limits) -> Validation {
        let mut issues = Vec::new();
        if self.shots.is_empty() {
            issues.push(Issue::error(
                "shots",
                "film.shots",
                "none",
                "at least one shot",
            ));
        }
        for (k, shot) in self.shots.iter().enumerate() {
            if !DURATION_RANGE.contains(&shot.duration) {
                issues.push(Issue::error(
                    format!("shots[{k}].duration"),
                    "film.duration",
                    shot.duration.to_string(),
                    "whole seconds 4..=15 (a film needs each shot's length)",
                ));
            }
            if shot.image.is_some() && !self.is_fresh(k) {
                issues.push(Issue::error(
                    format!("shots[{k}].image"),
                    "film.image",
                    "an image on a shot that continues",
                    "an image only on the first shot or on a cut (\"cut\": true): a continued shot starts from the previous shot's last frame",
                ));
            }
            let req = self.validation_request(k);
            for issue in validate(&req, limits).issues {
                let issue = self.shot_issue(k, &req, issue);
                // One issue per field and rule: the film's own duration rule says it already.
                let said = issues.iter().any(|i: &Issue| {
                    i.field == issue.field && (i.rule == issue.rule || i.rule == "film.duration")
                });
                if !said {
                    issues.push(issue);
                }
            }
        }
        issues.extend(self.frame_size_issues());
        crate::validate::errors_first(&mut issues);
        Validation { mode: None, issues }
    }

    /// The jobs: one per shot (`shots[k]`), each continued shot after the one before it,
    /// and every shot another continues from asks for its last frame.
    pub fn plan(&self) -> JobPlan {
        let jobs = (0..self.shots.len())
            .map(|k| Job {
                key: format!("shots[{k}]"),
                request: self.request(k),
                continues: (!self.is_fresh(k)).then(|| k - 1),
            })
            .collect();
        JobPlan::new(jobs)
    }

    /// The whole film's estimate: the sum of its shots'.
    pub fn estimate(&self, prices: Option<&PriceTable>) -> Estimate {
        self.plan().estimate(prices)
    }

    /// Shot `k`'s request without the first frame a continued shot gets at run time.
    fn request(&self, k: usize) -> CreateTaskRequest {
        let shot = &self.shots[k];
        let mut content = Vec::new();
        if !shot.prompt.is_empty() {
            content.push(ContentItem::text(shot.prompt.clone()));
        }
        if let (true, Some(image)) = (self.is_fresh(k), &shot.image) {
            content.push(ContentItem::image(image.clone(), Some(Role::FirstFrame)));
        }
        let continued_from = !self.is_fresh(k + 1) && k + 1 < self.shots.len();
        CreateTaskRequest {
            model: self.model.clone(),
            content,
            resolution: Some(self.resolution.clone()),
            ratio: Some(self.ratio.clone()),
            duration: Some(shot.duration),
            generate_audio: self.generate_audio,
            watermark: self.watermark,
            seed: self.seed,
            return_last_frame: continued_from.then_some(true),
            execution_expires_after: None,
            callback_url: None,
        }
    }

    fn validation_request(&self, k: usize) -> CreateTaskRequest {
        let mut req = self.request(k);
        if !self.is_fresh(k) {
            let frame = ContentItem::image(FRAME_PLACEHOLDER, Some(Role::FirstFrame));
            req.content.push(frame);
        }
        req
    }

    /// A request's issue, named after the shot: `content[i]` → the shot's prompt or image.
    fn shot_issue(&self, k: usize, req: &CreateTaskRequest, mut issue: Issue) -> Issue {
        let field = issue.field.clone();
        let shot = format!("shots[{k}]");
        issue.field = if let Some(rest) = field.strip_prefix("content[") {
            let index: Option<usize> = rest.split(']').next().and_then(|n| n.parse().ok());
            match index.and_then(|i| req.content.get(i)) {
                Some(ContentItem::Text { .. }) => format!("{shot}.prompt"),
                Some(_) => format!("{shot}.image"),
                None => shot,
            }
        } else if field == "content" {
            shot
        } else if field == "duration" {
            format!("{shot}.duration")
        } else {
            field
        };
        issue
    }

    /// With `ratio: adaptive` the model picks each fresh shot's ratio from its image, and
    /// from the prompt when there is none: clips could differ in size and could not be
    /// joined. Refuse unless every fresh shot has an image whose ratio can be read and all
    /// of them give the same one.
    fn frame_size_issues(&self) -> Vec<Issue> {
        if self.ratio != Ratio::Adaptive {
            return Vec::new();
        }
        let mut issues = Vec::new();
        let mut first: Option<(usize, Ratio)> = None;
        for k in (0..self.shots.len()).filter(|&k| self.is_fresh(k)) {
            let field = format!("shots[{k}].image");
            let Some(image) = &self.shots[k].image else {
                issues.push(Issue::error(
                    field,
                    "film.adaptive",
                    "no image with ratio adaptive",
                    "a fixed ratio (16:9, 9:16, …), or an image on every fresh shot: with neither, the model picks each clip's size and the clips can't be joined",
                ));
                continue;
            };
            let Some(ratio) = image_ratio(image) else {
                issues.push(Issue::error(
                    field,
                    "film.adaptive",
                    "an image whose size can't be read here",
                    "a fixed ratio, or images given as files or data: URLs, so that every clip's size is known before anything is spent",
                ));
                continue;
            };
            match &first {
                None => first = Some((k, ratio)),
                Some((j, r)) if *r != ratio => issues.push(Issue::error(
                    field,
                    "film.adaptive",
                    format!("an image of ratio {ratio}, while shots[{j}]'s is {r}"),
                    "images of one ratio with ratio adaptive (clips of different sizes can't be joined), or a fixed ratio",
                )),
                Some(_) => {}
            }
        }
        issues
    }
}

/// The listed ratio closest to a `data:` image's aspect, as `adaptive` would pick it.
fn image_ratio(url: &str) -> Option<Ratio> {
    let bytes = dataurl::parse(url).ok()?.decode();
    let (w, h) = dataurl::image_size(&bytes)?;
    if w == 0 || h == 0 {
        return None;
    }
    let aspect = (f64::from(w) / f64::from(h)).ln();
    const LISTED: [(Ratio, f64, f64); 6] = [
        (Ratio::R16x9, 16.0, 9.0),
        (Ratio::R4x3, 4.0, 3.0),
        (Ratio::R1x1, 1.0, 1.0),
        (Ratio::R3x4, 3.0, 4.0),
        (Ratio::R9x16, 9.0, 16.0),
        (Ratio::R21x9, 21.0, 9.0),
    ];
    LISTED
        .into_iter()
        .min_by(|a, b| {
            let da = (aspect - (a.1 / a.2).ln()).abs();
            let db = (aspect - (b.1 / b.2).ln()).abs();
            da.total_cmp(&db)
        })
        .map(|(r, _, _)| r)
}
