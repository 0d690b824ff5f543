//! What validation reports: issues with their field, the value given and what is allowed.

use core::fmt;

use serde::{Deserialize, Serialize};

/// How serious an issue is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The server would refuse the request (or the request can't work): it is not sent.
    Error,
    /// Worth telling the user, but the request is sent (e.g. an unknown model id).
    Warning,
}

/// One problem with a request.
///
/// ```
/// # use seedance::*;
/// let req = CreateTaskRequest::text_to_video(Model::Fast, "x").with_duration(20);
/// let issue = &validate(&req, &Limits::default()).issues[0];
/// assert_eq!(issue.field, "duration");
/// assert_eq!(issue.given, "20");
/// assert!(issue.allowed.contains("4..=15"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    /// JSON path of the field, such as `content[2].role` or `duration`.
    pub field: String,
    /// A stable identifier of the rule, such as `duration.range`.
    pub rule: String,
    /// The value given, shortened (a data URL shows its type and size, not its bytes).
    pub given: String,
    /// What is allowed.
    pub allowed: String,
    /// Whether it blocks the request.
    pub severity: Severity,
}

impl Issue {
    pub(crate) fn error(
        field: impl Into<String>,
        rule: &str,
        given: impl Into<String>,
        allowed: impl Into<String>,
    ) -> Self {
        Issue {
            field: field.into(),
            rule: rule.to_owned(),
            given: given.into(),
            allowed: allowed.into(),
            severity: Severity::Error,
        }
    }

    pub(crate) fn warning(
        field: impl Into<String>,
        rule: &str,
        given: impl Into<String>,
        allowed: impl Into<String>,
    ) -> Self {
        Issue {
            severity: Severity::Warning,
            ..Issue::error(field, rule, given, allowed)
        }
    }

    /// Whether it blocks the request.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Errors first, each group in the order found (a stable partition: a stable sort would
/// cost the wasm about 3 KB).
pub(crate) fn errors_first(issues: &mut Vec<Issue>) {
    let (mut errors, warnings): (Vec<Issue>, Vec<Issue>) =
        issues.drain(..).partition(Issue::is_error);
    errors.extend(warnings);
    *issues = errors;
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: given {}; allowed: {}",
            self.field, self.given, self.allowed
        )
    }
}

/// A request that breaks one or more rules; every problem is listed, not only the first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationError {
    /// Every issue found (errors first, then warnings).
    pub issues: Vec<Issue>,
}

impl ValidationError {
    /// The issues that block the request.
    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.is_error())
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.errors().count();
        write!(
            f,
            "invalid request ({n} problem{}); nothing was sent",
            if n == 1 { "" } else { "s" }
        )?;
        for issue in self.errors() {
            write!(f, "\n  - {issue}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// The generation mode a request's `content` selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// One text item, no media.
    TextToVideo,
    /// One image as the first frame, optional text.
    FirstFrame,
    /// Two images as first and last frame, optional text.
    FirstLastFrame,
    /// Reference images, videos and audio with a prompt.
    Reference,
}

/// The outcome of [`validate`](crate::validate()): the mode, and every issue found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validation {
    /// The mode `content` selects, when it selects one.
    pub mode: Option<Mode>,
    /// Every issue, errors first.
    pub issues: Vec<Issue>,
}

impl Validation {
    /// Whether the request may be sent (no errors; warnings allowed).
    pub fn is_ok(&self) -> bool {
        !self.issues.iter().any(Issue::is_error)
    }

    /// The blocking issues.
    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.is_error())
    }

    /// The non-blocking issues.
    pub fn warnings(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| !i.is_error())
    }

    /// The issues for one field, e.g. to show beside its control.
    pub fn for_field<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a Issue> + 'a {
        self.issues.iter().filter(move |i| i.field == field)
    }

    /// `Ok(warnings)` when the request may be sent, else a [`ValidationError`] with every
    /// issue (with `?` it becomes [`Error::Validation`](crate::Error::Validation)).
    pub fn into_result(self) -> Result<Vec<Issue>, ValidationError> {
        if self.is_ok() {
            Ok(self.issues)
        } else {
            Err(ValidationError {
                issues: self.issues,
            })
        }
    }
}
