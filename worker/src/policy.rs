//! The owner's spend policy: which models, tiers and lengths visitors may order, and how
//! many tokens one client may spend per day (counted with the crate's cost estimate).
//!
//! Pure: the per-day counter lives in the client's records ([`crate::records`]); this
//! module only decides.

use serde::Serialize;

use seedance::{estimate, CreateTaskRequest, Model, Resolution, DURATION_AUTO};

/// What visitors may order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Allowed model ids (`ALLOWED_MODELS`; default both Seedance 2.0 models).
    pub models: Vec<String>,
    /// Allowed tiers (`ALLOWED_RESOLUTIONS`; default 480p and 720p).
    pub resolutions: Vec<Resolution>,
    /// Longest video in seconds (`MAX_DURATION`; default 10). `duration: -1` may run to
    /// 15 s, so it is allowed only when this is 15.
    pub max_duration: u32,
    /// Tokens one client may spend per UTC day (`DAILY_TOKEN_BUDGET`; default 1,000,000,
    /// about nine 5-second 720p videos). 0 turns creates off.
    pub daily_tokens: u64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            models: Model::ALL.iter().map(|m| m.as_str().to_owned()).collect(),
            resolutions: vec![Resolution::P480, Resolution::P720],
            max_duration: 10,
            daily_tokens: 1_000_000,
        }
    }
}

/// One way a request breaks the policy, shaped like the crate's validation issues.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Breach {
    /// The request field.
    pub field: &'static str,
    /// The value given.
    pub given: String,
    /// What this proxy allows.
    pub allowed: String,
}

impl Policy {
    /// Every way `req` breaks the policy (empty when it is within it). Unset fields count
    /// as the server's defaults (720p, 5 s).
    ///
    /// ```
    /// use seedance::{CreateTaskRequest, Model, Resolution};
    /// let policy = seedance_worker::policy::Policy::default();
    /// let req = CreateTaskRequest::text_to_video(Model::Standard, "x").with_resolution(Resolution::P1080);
    /// assert_eq!(policy.check(&req)[0].field, "resolution");
    /// ```
    pub fn check(&self, req: &CreateTaskRequest) -> Vec<Breach> {
        let mut out = Vec::new();
        if !self.models.iter().any(|m| m == req.model.as_str()) {
            out.push(Breach {
                field: "model",
                given: req.model.as_str().to_owned(),
                allowed: self.models.join(", "),
            });
        }
        let res = req.resolution.clone().unwrap_or(Resolution::P720);
        if !self.resolutions.contains(&res) {
            out.push(Breach {
                field: "resolution",
                given: res.as_str().to_owned(),
                allowed: self
                    .resolutions
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        let seconds = match req.duration {
            None => 5,
            Some(DURATION_AUTO) => *seedance::validate::DURATION_RANGE.end(),
            Some(d) => d,
        };
        if seconds > self.max_duration as i64 {
            out.push(Breach {
                field: "duration",
                given: req.duration.unwrap_or(5).to_string(),
                allowed: format!(
                    "at most {} s on this proxy{}",
                    self.max_duration,
                    if req.duration == Some(DURATION_AUTO) {
                        " (-1 may run to 15 s)"
                    } else {
                        ""
                    }
                ),
            });
        }
        out
    }

    /// The tokens a create is charged against the daily budget: the estimate's maximum.
    pub fn tokens(req: &CreateTaskRequest) -> u64 {
        estimate(req, None).tokens_max
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_allow_a_short_720p_video() {
        let req = CreateTaskRequest::text_to_video(Model::Fast, "x").with_duration(5);
        assert!(Policy::default().check(&req).is_empty());
        assert_eq!(Policy::tokens(&req), 108_900);
    }

    #[test]
    fn every_breach_is_reported() {
        let policy = Policy {
            models: vec![Model::Fast.as_str().into()],
            resolutions: vec![Resolution::P480],
            max_duration: 5,
            daily_tokens: 1,
        };
        let req = CreateTaskRequest::text_to_video(Model::Standard, "x")
            .with_resolution(Resolution::P1080)
            .with_duration(6);
        let fields: Vec<_> = policy.check(&req).iter().map(|b| b.field).collect();
        assert_eq!(fields, ["model", "resolution", "duration"]);
        // Unset resolution is the server's 720p; auto duration may run to 15 s.
        let req = CreateTaskRequest::text_to_video(Model::Fast, "x").with_auto_duration();
        let fields: Vec<_> = policy.check(&req).iter().map(|b| b.field).collect();
        assert_eq!(fields, ["resolution", "duration"]);
    }
}
