//! What a command ends with when it does not succeed: an exit code, one `error:` line (a
//! validation error adds its list of problems) and hints. Imports no command.

use seedance::Error;

/// Exit codes.
pub const EXIT_FAILED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_UNKNOWN: u8 = 3;
pub const EXIT_INTERRUPTED: u8 = 130;

#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
    pub hints: Vec<String>,
}

impl Failure {
    pub fn new(code: u8, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
            hints: Vec::new(),
        }
    }

    /// A usage problem: nothing was sent.
    pub fn usage(message: impl Into<String>) -> Self {
        Failure::new(EXIT_USAGE, message)
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Print to stderr.
    pub fn print(&self) {
        let mut text = format!("error: {}\n", self.message);
        for h in &self.hints {
            text.push_str(&format!("  hint: {h}\n"));
        }
        eprint!("{text}");
    }
}

/// How to repeat `seedance` with the same global options, for hints.
#[derive(Clone, Debug, Default)]
pub struct Prefix(pub String);

impl Prefix {
    pub fn cmd(&self, rest: &str) -> String {
        format!("{} {rest}", self.0)
    }
}

/// A crate error as a failure: the exit code its kind calls for, and what to do next.
pub fn from_error(e: Error, prefix: &Prefix) -> Failure {
    let code = match &e {
        Error::Validation(_) | Error::InvalidArgument { .. } => EXIT_USAGE,
        Error::OutcomeUnknown { .. } | Error::WaitTimeout { .. } => EXIT_UNKNOWN,
        Error::Aborted { .. } => EXIT_INTERRUPTED,
        _ => EXIT_FAILED,
    };
    let mut f = Failure::new(code, e.to_string());
    match &e {
        Error::OutcomeUnknown { model, sent_at, .. } => {
            let model_arg = model
                .as_deref()
                .map(|m| format!(" --model {m}"))
                .unwrap_or_default();
            f = f.hint(format!(
                "look for it before creating again: {}",
                prefix.cmd(&format!("list{model_arg}"))
            ));
            if let Some(t) = sent_at {
                f = f.hint(format!(
                    "it would have been created at about {} (or a minute either side)",
                    seedance::datetime::utc(*t)
                ));
            }
        }
        Error::WaitTimeout { task_id, .. } => {
            f = f.hint(format!(
                "wait again: {}",
                prefix.cmd(&format!("wait {task_id}"))
            ));
        }
        Error::Api(api) => {
            if api.is_no_channel() {
                // The message already says what the key needs.
            } else if api.status == 401 {
                f = f.hint(
                    "check the API key in SEEDANCE_API_KEY (or the variable --api-key-env names)",
                );
            } else if api.status == 404 && api.task_id.is_some() {
                f = f
                    .hint("task ids are kept 7 days, and only the key that created a task sees it");
            } else if api.status == 429 {
                f = f.hint("the server is rate limiting: try again in a minute");
            }
        }
        Error::TaskFailed { task } if task.status == seedance::TaskStatus::Failed => {
            f = f.hint("a failed task is not billed");
        }
        Error::Network { .. } => {
            f = f.hint("check the base URL (--base-url or SEEDANCE_BASE_URL) and your connection");
        }
        Error::Unsupported { .. } => {
            f = f.hint("the reseller may lack this route; the official Ark API has it (--base-url https://ark.cn-beijing.volces.com/api/v3)");
        }
        _ => {}
    }
    f
}
