//! Validation of a create request against every documented rule, before a cent is spent.
//!
//! One pass returns every problem, each naming its field as a JSON path, the value given and
//! what is allowed. It reads only the request (no network): remote media can't be measured,
//! `data:` URLs are checked from their headers.

pub(crate) mod codec;
mod content;
mod issue;
mod limits;
mod media;

pub(crate) use issue::errors_first;
pub use issue::{Issue, Mode, Severity, Validation, ValidationError};
pub use limits::Limits;

use crate::numfmt::fixed;
use crate::types::{CreateTaskRequest, Model, Resolution};

/// Seed bounds: -1 (random) ..= 2^32 - 1.
pub const SEED_RANGE: core::ops::RangeInclusive<i64> = -1..=4_294_967_295;
/// Whole-second durations; -1 (auto) is also allowed.
pub const DURATION_RANGE: core::ops::RangeInclusive<i64> = 4..=15;
/// `execution_expires_after` bounds in seconds.
pub const EXPIRES_AFTER_RANGE: core::ops::RangeInclusive<i64> = 3600..=259_200;

/// Check a request against every documented rule and the given limits.
///
/// Never panics and never fails: the outcome lists the issues (empty when all is well).
/// Unknown model ids pass with a warning so a new model can be used before this crate knows
/// it. Use [`Validation::into_result`] to turn errors into [`Error::Validation`](crate::Error).
///
/// ```
/// use seedance::{validate, CreateTaskRequest, Limits, Model, Resolution};
/// let req = CreateTaskRequest::text_to_video(Model::Fast, "a fox in the snow")
///     .with_resolution(Resolution::P1080)
///     .with_duration(3);
/// let outcome = validate(&req, &Limits::default());
/// let fields: Vec<_> = outcome.errors().map(|i| i.field.as_str()).collect();
/// assert_eq!(fields, ["resolution", "duration"]);
/// ```
pub fn validate(req: &CreateTaskRequest, limits: &Limits) -> Validation {
    let mut issues = Vec::new();
    check_parameters(req, &mut issues);
    let mode = content::check_content(&req.content, limits, &mut issues);
    check_body_size(req, limits, &mut issues);
    // Errors first, each group in field order as found.
    issue::errors_first(&mut issues);
    Validation { mode, issues }
}

fn check_parameters(req: &CreateTaskRequest, issues: &mut Vec<Issue>) {
    let known_models = || {
        Model::ALL
            .iter()
            .map(|m| m.as_str())
            .collect::<Vec<_>>()
            .join(" or ")
    };
    if req.model.as_str().trim().is_empty() {
        issues.push(Issue::error(
            "model",
            "model.empty",
            "an empty model id",
            known_models(),
        ));
    } else if !req.model.is_known() {
        issues.push(Issue::warning(
            "model",
            "model.unknown",
            format!("{:?}", req.model.as_str()),
            format!("{} (other ids are sent as given)", known_models()),
        ));
    }

    if let Some(res) = &req.resolution {
        let allowed = req.model.resolutions();
        let list = |rs: &[Resolution]| rs.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ");
        if !res.is_known() {
            issues.push(Issue::error(
                "resolution",
                "resolution.invalid",
                format!("{:?}", res.as_str()),
                list(allowed),
            ));
        } else if !allowed.contains(res) {
            issues.push(Issue::error(
                "resolution",
                "resolution.model",
                format!("{:?} on {}", res.as_str(), req.model),
                format!(
                    "{} on {} (1080p needs {})",
                    list(allowed),
                    req.model,
                    Model::Standard
                ),
            ));
        }
    }

    if let Some(ratio) = req.ratio.as_ref().filter(|r| !r.is_known()) {
        issues.push(Issue::error(
            "ratio",
            "ratio.invalid",
            format!("{:?}", ratio.as_str()),
            crate::types::Ratio::ALL
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ));
    }

    if let Some(d) = req
        .duration
        .filter(|d| *d != -1 && !DURATION_RANGE.contains(d))
    {
        issues.push(Issue::error(
            "duration",
            "duration.range",
            d.to_string(),
            "whole seconds 4..=15, or -1 to let the model choose",
        ));
    }

    if let Some(seed) = req.seed.filter(|s| !SEED_RANGE.contains(s)) {
        issues.push(Issue::error(
            "seed",
            "seed.range",
            seed.to_string(),
            "-1 (random) ..= 4294967295 (2^32 - 1)",
        ));
    }

    if let Some(e) = req
        .execution_expires_after
        .filter(|e| !EXPIRES_AFTER_RANGE.contains(e))
    {
        issues.push(Issue::error(
            "execution_expires_after",
            "execution_expires_after.range",
            e.to_string(),
            "3600..=259200 seconds (1 hour to 3 days)",
        ));
    }

    if let Some(url) = &req.callback_url {
        let lower = url.to_ascii_lowercase();
        let host_ok = ["https://", "http://"]
            .iter()
            .find_map(|s| lower.strip_prefix(s))
            .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
        if !host_ok {
            issues.push(Issue::error(
                "callback_url",
                "callback_url.scheme",
                media::show_url(url),
                "an https:// (or http://) URL the server can POST to",
            ));
        }
    }
}

/// The JSON body's exact size, counted without building it (payloads can be 60 MB).
fn check_body_size(req: &CreateTaskRequest, limits: &Limits, issues: &mut Vec<Issue>) {
    let mut count = crate::json::write::Writer::counter();
    crate::types::codec::request::write_request(&mut count, req);
    let size = count.len();
    if size > limits.max_body_bytes {
        issues.push(Issue::error(
            "content",
            "body.size",
            format!("a {} MB JSON body", fixed(size as f64 / 1048576.0, 1)),
            format!(
                "at most {} MB in all: send large media as https:// or asset:// URLs",
                fixed(limits.max_body_bytes as f64 / 1048576.0, 0)
            ),
        ));
    }
}

impl CreateTaskRequest {
    /// Validate with the default [`Limits`]; `Ok` carries the warnings.
    ///
    /// Errors: a [`ValidationError`] listing every problem (with `?` it becomes
    /// [`Error::Validation`](crate::Error::Validation)).
    ///
    /// ```
    /// let req = seedance::CreateTaskRequest::text_to_video(seedance::Model::Fast, "rain on a tin roof");
    /// assert!(req.validate().unwrap().is_empty());
    /// ```
    pub fn validate(&self) -> Result<Vec<Issue>, ValidationError> {
        validate(self, &Limits::default()).into_result()
    }
}
