//! Everything a simulator run can be configured with, as plain data.
//!
//! Parsing command lines and environment variables lives in `cli.rs`; the parts that tests
//! may change while the server runs (timings, URL lifetime, CORS, account limits) are copied into the
//! runtime settings held by the server state.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use crate::faults::FaultSpec;

/// The standard Seedance 2.0 model (up to 1080p).
pub const MODEL_STANDARD: &str = "doubao-seedance-2-0-260128";
/// The fast Seedance 2.0 model (up to 720p).
pub const MODEL_FAST: &str = "doubao-seedance-2-0-fast-260128";

/// How a simulator run behaves. Build one with [`SimConfig::fast`] or
/// [`SimConfig::realistic`] and adjust fields.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Address to bind; keep it on loopback.
    pub host: IpAddr,
    /// Port to bind; 0 picks a free one.
    pub port: u16,
    /// How long tasks take in each phase.
    pub timings: Timings,
    /// Answer API routes with CORS headers for `localhost`/`127.0.0.1` origins.
    pub cors: bool,
    /// Accepted API keys; `None` accepts any bearer token starting with `sk-`.
    pub keys: Option<Vec<String>>,
    /// Keys that authenticate but get the reseller's "no available channel" error.
    pub no_channel_keys: Vec<String>,
    /// Faults active from the start.
    pub faults: Vec<FaultSpec>,
    /// `X-Tos-Expires` of signed result URLs, in seconds.
    pub url_ttl_secs: u64,
    /// Limits the validator enforces (the *(unverified)* ones are data on purpose).
    pub limits: Limits,
    /// Models the simulator knows.
    pub models: Vec<ModelInfo>,
    /// Print one line per request on stdout.
    pub log_requests: bool,
    /// Base of the signed media URLs; defaults to `http://<bound address>`.
    pub media_base_url: Option<String>,
    /// Key for signing media URLs; random per run when `None`.
    pub signing_key: Option<Vec<u8>>,
    /// Per-account (key) and model limits: running tasks and creates per window.
    pub account: AccountLimits,
}

/// What one account (API key) may do per model, as the real service enforces it: run at
/// most `max_running` tasks at once (the others wait `queued`) and create at most
/// `create_rate` tasks per `create_window_secs` (the others get 429 with `Retry-After`).
/// Off by default, so tests that do not ask for limits never meet them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountLimits {
    /// Tasks running at once per key and model; `None`: no cap.
    pub max_running: Option<u32>,
    /// Creates per window per key and model; `None`: no limit.
    pub create_rate: Option<u32>,
    /// The sliding window of `create_rate`, seconds (60: per minute).
    pub create_window_secs: u64,
}

impl Default for AccountLimits {
    fn default() -> Self {
        Self {
            max_running: None,
            create_rate: None,
            create_window_secs: 60,
        }
    }
}

impl AccountLimits {
    /// An individual account: 3 running tasks, 180 creates a minute (docs/API.md, "Account limits").
    pub fn individual() -> Self {
        Self {
            max_running: Some(3),
            create_rate: Some(180),
            create_window_secs: 60,
        }
    }

    /// An enterprise account: 10 running tasks, 600 creates a minute (docs/API.md, "Account limits").
    pub fn enterprise() -> Self {
        Self {
            max_running: Some(10),
            create_rate: Some(600),
            create_window_secs: 60,
        }
    }
}

/// A model id and the highest resolution it serves.
#[derive(Debug, Clone)]
pub struct ModelInfo {
    /// Plain model id, e.g. [`MODEL_FAST`].
    pub id: String,
    /// `480p`, `720p` or `1080p`.
    pub max_resolution: String,
}

/// Phase lengths of the task state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timings {
    /// Time spent `queued`.
    pub queued: Duration,
    /// Time spent in the unknown `preprocessing` status (only `[unknown-status]` tasks).
    pub preprocessing: Duration,
    /// Time spent `running`.
    pub running: Duration,
    /// Multiplier applied to every phase of a `[slow]` task.
    pub slow_factor: u32,
}

impl Timings {
    /// About a second from create to finish: 0.3 s queued, 0.7 s running.
    pub fn fast() -> Self {
        Self {
            queued: Duration::from_millis(300),
            preprocessing: Duration::from_millis(500),
            running: Duration::from_millis(700),
            slow_factor: 5,
        }
    }

    /// Tens of seconds, like the real service on a quiet day.
    pub fn realistic() -> Self {
        Self {
            queued: Duration::from_secs(5),
            preprocessing: Duration::from_secs(5),
            running: Duration::from_secs(35),
            slow_factor: 4,
        }
    }

    /// No waiting at all: a task is finished as soon as it exists (for unit-level tests).
    pub fn instant() -> Self {
        Self {
            queued: Duration::ZERO,
            preprocessing: Duration::ZERO,
            running: Duration::ZERO,
            slow_factor: 1,
        }
    }
}

/// Validation limits. The defaults follow docs/API.md; the *(unverified)* ones are here so a
/// test (or a user who learns better) can override them.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Whole request body, bytes (64 MB).
    pub body_max_bytes: usize,
    /// Reference images in reference mode (9).
    pub max_reference_images: usize,
    /// Reference videos (3, unverified).
    pub max_reference_videos: usize,
    /// Reference audios (3, unverified).
    pub max_reference_audios: usize,
    /// Smallest image side, px (300, unverified).
    pub image_min_side: u32,
    /// Largest image side, px (6000, unverified).
    pub image_max_side: u32,
    /// Smallest width/height (0.4, unverified).
    pub image_min_aspect: f64,
    /// Largest width/height (2.5, unverified).
    pub image_max_aspect: f64,
    /// Largest decoded image, bytes (30 MB, unverified).
    pub image_max_bytes: usize,
    /// Largest decoded audio, bytes (15 MB, unverified).
    pub audio_max_bytes: usize,
    /// Whether video references may be `data:` URLs (no, unverified).
    pub allow_video_data_urls: bool,
    /// Whether reference mode needs a text prompt (the vendor lists text first).
    pub require_text_for_reference: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            body_max_bytes: 64 * 1024 * 1024,
            max_reference_images: 9,
            max_reference_videos: 3,
            max_reference_audios: 3,
            image_min_side: 300,
            image_max_side: 6000,
            image_min_aspect: 0.4,
            image_max_aspect: 2.5,
            image_max_bytes: 30 * 1024 * 1024,
            audio_max_bytes: 15 * 1024 * 1024,
            allow_video_data_urls: false,
            require_text_for_reference: true,
        }
    }
}

impl SimConfig {
    /// Defaults with fast timings on a free loopback port: the usual test setup.
    pub fn fast() -> Self {
        Self {
            timings: Timings::fast(),
            ..Self::realistic()
        }
    }

    /// Defaults with realistic timings on a free loopback port (the CLI defaults to 8787).
    pub fn realistic() -> Self {
        Self {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            timings: Timings::realistic(),
            cors: true,
            keys: None,
            no_channel_keys: vec!["sk-no-channel".to_owned()],
            faults: Vec::new(),
            url_ttl_secs: 86_400,
            limits: Limits::default(),
            models: vec![
                ModelInfo {
                    id: MODEL_STANDARD.to_owned(),
                    max_resolution: "1080p".to_owned(),
                },
                ModelInfo {
                    id: MODEL_FAST.to_owned(),
                    max_resolution: "720p".to_owned(),
                },
            ],
            log_requests: false,
            media_base_url: None,
            signing_key: None,
            account: AccountLimits::default(),
        }
    }

    /// Replace the timings.
    pub fn with_timings(mut self, timings: Timings) -> Self {
        self.timings = timings;
        self
    }

    /// Replace the account limits.
    pub fn with_account(mut self, account: AccountLimits) -> Self {
        self.account = account;
        self
    }

    /// Add a fault active from the start.
    pub fn with_fault(mut self, fault: FaultSpec) -> Self {
        self.faults.push(fault);
        self
    }
}

impl Default for SimConfig {
    fn default() -> Self {
        Self::fast()
    }
}
