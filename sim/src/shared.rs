//! The state every layer and route shares, and the per-connection kill switch.
//!
//! It imports no layer (`intake`, `cors`, `inject`, `auth`, routes): the layers import it,
//! and `app` assembles them into the router, so the dependency graph has no circle.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::Notify;

use crate::clock;
use crate::config::{AccountLimits, SimConfig, Timings};
use crate::faults::Faults;
use crate::media::Clip;
use crate::quota::CreateRate;
use crate::reqlog::{RequestLog, Trace};
use crate::sign::Signer;
use crate::tasks::{ResultLinks, Store};

/// Closes the connection a request arrived on (request extension, set by the accept loop).
#[derive(Debug, Clone)]
pub struct ConnKill(pub(crate) Arc<Notify>);

impl ConnKill {
    /// Close the connection; whatever is being answered on it is abandoned.
    pub fn kill(&self) {
        self.0.notify_one();
    }
}

/// Settings tests may change while the server runs (`POST /_sim/config`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Runtime {
    /// Timings for tasks created from now on.
    pub timings: Timings,
    /// `X-Tos-Expires` of URLs signed from now on.
    pub url_ttl_secs: u64,
    /// CORS headers on API routes.
    pub cors: bool,
    /// Per-account limits: the cap applies to tasks created from now on, the create rate
    /// to creates from now on.
    pub account: AccountLimits,
}

/// Everything the handlers share.
#[derive(Debug)]
pub struct AppState {
    /// The configuration the run started with.
    pub config: SimConfig,
    /// Mutable settings.
    pub runtime: Mutex<Runtime>,
    /// Tasks.
    pub store: Mutex<Store>,
    /// The object store: each task's result clip by task id. Objects outlive task records
    /// (a deleted task's or a reset run's signed URLs keep working until they expire).
    pub objects: Mutex<HashMap<String, Clip>>,
    /// Accepted creates per key and model, for the create rate.
    pub creates: Mutex<CreateRate>,
    /// Per-run faults.
    pub faults: Mutex<Faults>,
    /// Requests received since the last reset.
    pub log: Mutex<RequestLog>,
    /// Signs media URLs.
    pub signer: Signer,
    /// `http://host:port` prefix of media URLs.
    pub media_base: String,
    /// Callback deliveries made (`GET /_sim/callbacks`).
    pub callbacks: Mutex<Vec<serde_json::Value>>,
    /// Becomes true when the server stops (ends background deliveries).
    pub stop: tokio::sync::watch::Receiver<bool>,
}

/// Lock a mutex, ignoring poisoning (a panicked handler must not wedge the simulator).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl AppState {
    /// State for a server bound at `addr`.
    pub fn new(
        config: SimConfig,
        addr: SocketAddr,
        stop: tokio::sync::watch::Receiver<bool>,
    ) -> Arc<Self> {
        let host = if addr.ip().is_unspecified() {
            format!("127.0.0.1:{}", addr.port())
        } else {
            addr.to_string()
        };
        let media_base = config
            .media_base_url
            .clone()
            .map(|u| u.trim_end_matches('/').to_owned())
            .unwrap_or_else(|| format!("http://{host}"));
        Arc::new(Self {
            runtime: Mutex::new(Runtime {
                timings: config.timings,
                url_ttl_secs: config.url_ttl_secs,
                cors: config.cors,
                account: config.account,
            }),
            store: Mutex::new(Store::default()),
            objects: Mutex::new(HashMap::new()),
            creates: Mutex::new(CreateRate::default()),
            faults: Mutex::new(Faults::new(&config.faults)),
            log: Mutex::new(RequestLog::default()),
            signer: Signer::new(config.signing_key.clone()),
            media_base,
            callbacks: Mutex::new(Vec::new()),
            stop,
            config,
        })
    }

    /// Current mutable settings.
    pub fn runtime(&self) -> Runtime {
        *lock(&self.runtime)
    }

    /// Freshly signed result links for a task (a later GET signs anew, as the service does).
    pub fn links(&self, task_id: &str) -> ResultLinks {
        let now = clock::now_secs();
        let ttl = self.runtime().url_ttl_secs;
        let sign = |ext: &str| {
            let path = format!("/tos/{task_id}.{ext}");
            format!(
                "{}{path}?{}",
                self.media_base,
                self.signer.query(&path, now, ttl)
            )
        };
        ResultLinks {
            video_url: sign("mp4"),
            last_frame_url: sign("png"),
        }
    }

    /// Complete a request's log entry and print its stdout line (never a key or a query).
    pub fn finish(&self, trace: &Trace, status: Option<u16>, fault: Option<String>) {
        if let Some(seq) = trace.seq {
            lock(&self.log).finish(seq, status, fault.clone());
        }
        if self.config.log_requests {
            let status = status.map_or_else(|| "dropped".to_owned(), |s| s.to_string());
            let fault = fault.map(|f| format!(" fault={f}")).unwrap_or_default();
            println!(
                "{} {} {} {}ms{}",
                trace.method,
                trace.path,
                status,
                trace.start.elapsed().as_millis(),
                fault
            );
        }
    }
}
