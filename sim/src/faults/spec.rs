//! What a fault is: its kind, its scope and its count, in the text form (CLI `--fault`,
//! env `SEEDANCE_SIM_FAULTS` separated by `;`) and the JSON form (`POST /_sim/faults`):
//! `KIND[=VALUE][,on=SCOPE][,times=N][,every=N]`, e.g. `429=2,times=3,on=create`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What goes wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultKind {
    /// 429 with `Retry-After: secs` and an Ark `RateLimitExceeded` body.
    RateLimit {
        /// Value of the `Retry-After` header, seconds.
        retry_after: u64,
    },
    /// A 500 (Ark JSON), 502 (gateway HTML) or 503 (Ark JSON) answer.
    Status(u16),
    /// Close the connection without any answer; the request is not processed.
    Drop,
    /// Process the request, then wait this many milliseconds before answering.
    Slow {
        /// Delay, milliseconds.
        ms: u64,
    },
    /// Answer 200 with a truncated (invalid) JSON body.
    Malformed,
    /// Replace the `status` of tasks in GET answers with this value.
    UnknownStatus(String),
    /// Store the created task, then close the connection before answering.
    LostCreate,
}

/// Which requests a fault applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Every API request and every media request.
    Any,
    /// Every API request (both prefixes).
    Api,
    /// API GETs: get one task and list.
    Get,
    /// API POSTs (create).
    Post,
    /// Create task (same as `post`).
    Create,
    /// Get one task.
    Task,
    /// List tasks.
    List,
    /// DELETE a task.
    Delete,
    /// Signed media URLs under `/tos/`.
    Tos,
}

/// The route a request hit, as far as faults care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteKind {
    /// POST tasks.
    Create,
    /// GET one task.
    Get,
    /// GET the task list.
    List,
    /// DELETE a task.
    Delete,
    /// Any other API path or method.
    OtherApi,
    /// A `/tos/` media object.
    Tos,
}

impl Scope {
    /// Whether this scope covers a request to `route`.
    pub fn covers(self, route: RouteKind) -> bool {
        use RouteKind as R;
        match self {
            Scope::Any => true,
            Scope::Api => route != R::Tos,
            Scope::Get => matches!(route, R::Get | R::List),
            Scope::Post | Scope::Create => route == R::Create,
            Scope::Task => route == R::Get,
            Scope::List => route == R::List,
            Scope::Delete => route == R::Delete,
            Scope::Tos => route == R::Tos,
        }
    }
}

impl FaultKind {
    /// The scope used when a spec names none.
    pub fn default_scope(&self) -> Scope {
        match self {
            FaultKind::RateLimit { .. } | FaultKind::Drop | FaultKind::Slow { .. } => Scope::Api,
            FaultKind::Status(_) | FaultKind::Malformed | FaultKind::UnknownStatus(_) => Scope::Get,
            FaultKind::LostCreate => Scope::Create,
        }
    }

    /// Short name used in the text form and in logs.
    pub fn name(&self) -> String {
        match self {
            FaultKind::RateLimit { retry_after } => format!("429={retry_after}"),
            FaultKind::Status(code) => code.to_string(),
            FaultKind::Drop => "drop".into(),
            FaultKind::Slow { ms } => format!("slow={ms}"),
            FaultKind::Malformed => "malformed".into(),
            FaultKind::UnknownStatus(s) => format!("unknown-status={s}"),
            FaultKind::LostCreate => "lost-create".into(),
        }
    }

    fn parse(name: &str, value: Option<&str>) -> Result<Self, String> {
        let num = |default: u64| -> Result<u64, String> {
            value.map_or(Ok(default), |v| {
                v.parse()
                    .map_err(|_| format!("fault `{name}`: `{v}` is not a whole number"))
            })
        };
        Ok(match name {
            "429" | "rate-limit" => FaultKind::RateLimit {
                retry_after: num(1)?,
            },
            "500" | "502" | "503" => FaultKind::Status(name.parse().unwrap_or(500)),
            "5xx" | "status" => {
                let code = num(503)?;
                if !matches!(code, 500 | 502 | 503) {
                    return Err(format!("fault `{name}`: status must be 500, 502 or 503"));
                }
                FaultKind::Status(code as u16)
            }
            "drop" => FaultKind::Drop,
            "slow" => FaultKind::Slow { ms: num(2000)? },
            "malformed" => FaultKind::Malformed,
            "unknown-status" => {
                FaultKind::UnknownStatus(value.unwrap_or("preprocessing").to_owned())
            }
            "lost-create" => FaultKind::LostCreate,
            other => {
                return Err(format!(
                    "unknown fault `{other}` (known: 429, 500, 502, 503, drop, slow, malformed, unknown-status, lost-create)"
                ))
            }
        })
    }
}

/// A fault, its scope and how often it fires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultSpec {
    /// What goes wrong.
    pub kind: FaultKind,
    /// Which requests it applies to.
    pub on: Scope,
    /// Fire on at most this many matching requests (`None`: no limit).
    pub times: Option<u32>,
    /// Fire on every Nth matching request only (`None`: on each).
    pub every: Option<u32>,
}

impl FaultSpec {
    /// A fault on its default scope, firing on every matching request.
    pub fn new(kind: FaultKind) -> Self {
        let on = kind.default_scope();
        Self {
            kind,
            on,
            times: None,
            every: None,
        }
    }

    /// Limit to the next `n` matching requests.
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }

    /// Fire on every `n`th matching request.
    pub fn every(mut self, n: u32) -> Self {
        self.every = Some(n.max(1));
        self
    }

    /// Apply to `scope` instead of the default.
    pub fn on(mut self, scope: Scope) -> Self {
        self.on = scope;
        self
    }
}

impl FromStr for FaultSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let mut parts = s.split(',').map(str::trim);
        let head = parts
            .next()
            .filter(|h| !h.is_empty())
            .ok_or("empty fault")?;
        let (name, value) = match head.split_once('=') {
            Some((n, v)) => (n.trim(), Some(v.trim())),
            None => (head, None),
        };
        let mut spec = FaultSpec::new(FaultKind::parse(&name.to_ascii_lowercase(), value)?);
        for opt in parts.filter(|p| !p.is_empty()) {
            let (k, v) = opt
                .split_once('=')
                .ok_or_else(|| format!("fault option `{opt}` needs `=`"))?;
            let n = || -> Result<u32, String> {
                v.trim()
                    .parse()
                    .map_err(|_| format!("fault option `{opt}`: not a whole number"))
            };
            match k.trim() {
                "times" => spec.times = Some(n()?),
                "every" => spec.every = Some(n()?.max(1)),
                "on" => {
                    spec.on = serde_json::from_value(serde_json::Value::String(v.trim().to_ascii_lowercase()))
                        .map_err(|_| format!("fault option `{opt}`: scope must be one of any, api, get, post, create, task, list, delete, tos"))?
                }
                other => return Err(format!("unknown fault option `{other}` (times, every, on)")),
            }
        }
        if spec.kind == FaultKind::LostCreate {
            // Only a create can be "stored but unanswered".
            spec.on = Scope::Create;
        }
        Ok(spec)
    }
}

impl fmt::Display for FaultSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{},on={}", self.kind.name(), scope_name(self.on))?;
        if let Some(t) = self.times {
            write!(f, ",times={t}")?;
        }
        if let Some(e) = self.every {
            write!(f, ",every={e}")?;
        }
        Ok(())
    }
}

pub(super) fn scope_name(s: Scope) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// JSON form accepted by `POST /_sim/faults`: either the text form as a string, or
/// `{"kind":"429","value":2,"on":"create","times":3,"every":null}`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum FaultJson {
    /// `"429=2,times=3"`.
    Text(String),
    /// The object form.
    Object {
        /// Fault name as in the text form.
        kind: String,
        /// Optional value (number or string).
        #[serde(default)]
        value: Option<serde_json::Value>,
        /// Optional scope.
        #[serde(default)]
        on: Option<Scope>,
        /// Optional count.
        #[serde(default)]
        times: Option<u32>,
        /// Optional period.
        #[serde(default)]
        every: Option<u32>,
    },
}

impl FaultJson {
    /// Turn the JSON form into a spec.
    pub fn into_spec(self) -> Result<FaultSpec, String> {
        match self {
            FaultJson::Text(s) => s.parse(),
            FaultJson::Object {
                kind,
                value,
                on,
                times,
                every,
            } => {
                let value = value.map(|v| match v {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                });
                let mut spec = FaultSpec::new(FaultKind::parse(
                    &kind.to_ascii_lowercase(),
                    value.as_deref(),
                )?);
                if let Some(on) = on {
                    spec.on = on;
                }
                if spec.kind == FaultKind::LostCreate {
                    spec.on = Scope::Create;
                }
                spec.times = times;
                spec.every = every.map(|e| e.max(1));
                Ok(spec)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_text_form() {
        let f: FaultSpec = "429=2,times=3,on=create".parse().unwrap();
        assert_eq!(f.kind, FaultKind::RateLimit { retry_after: 2 });
        assert_eq!((f.on, f.times, f.every), (Scope::Create, Some(3), None));
        let f: FaultSpec = "503".parse().unwrap();
        assert_eq!((f.kind, f.on), (FaultKind::Status(503), Scope::Get));
        let f: FaultSpec = "unknown-status".parse().unwrap();
        assert_eq!(f.kind, FaultKind::UnknownStatus("preprocessing".into()));
        let f: FaultSpec = "lost-create,on=get".parse().unwrap();
        assert_eq!(f.on, Scope::Create);
        assert!("nope".parse::<FaultSpec>().is_err());
        assert!("429,times=x".parse::<FaultSpec>().is_err());
        assert!("429,on=moon".parse::<FaultSpec>().is_err());
        assert!("429,color=red".parse::<FaultSpec>().is_err());
    }

    #[test]
    fn text_form_round_trips() {
        for s in [
            "429=2,on=create,times=3",
            "drop,on=api,every=2",
            "slow=150,on=tos",
        ] {
            let f: FaultSpec = s.parse().unwrap();
            assert_eq!(f.to_string().parse::<FaultSpec>().unwrap(), f);
        }
    }

    #[test]
    fn json_object_form() {
        let j: FaultJson = serde_json::from_value(
            serde_json::json!({"kind":"429","value":7,"on":"list","times":1}),
        )
        .unwrap();
        let s = j.into_spec().unwrap();
        assert_eq!(s.kind, FaultKind::RateLimit { retry_after: 7 });
        assert_eq!((s.on, s.times), (Scope::List, Some(1)));
    }
}
