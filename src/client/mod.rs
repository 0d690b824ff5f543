//! The HTTP client: one API over two transports — `fetch` on wasm32 (browser, Web Worker,
//! Node, workerd) and reqwest natively (feature `native`, on a Tokio runtime).
//!
//! It validates before sending, never repeats a create on its own (only a 429, refused
//! before any work, is retried), and puts the task id into every error that follows a
//! create. Dropping any of its futures aborts the request in flight and clears its timer.

mod calls;
mod jobs;
mod waiting;

#[cfg(target_arch = "wasm32")]
mod fetch;
#[cfg(target_arch = "wasm32")]
use fetch as rt;

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(not(target_arch = "wasm32"))]
use native as rt;

use std::sync::Arc;
use std::time::Duration;

use crate::error::Error;
use crate::poll::PollPolicy;
use crate::protocol::Endpoint;
use crate::secret::ApiKey;
use crate::validate::Limits;

pub use calls::RecentFilter;
pub use waiting::{CreatedFn, ProgressFn, WaitOptions};

/// What a transport can fail with before any answer arrived.
#[derive(Debug)]
pub(crate) enum TransportError {
    /// No answer within the timeout: the request may have been processed.
    Timeout,
    /// The connection failed or broke: the request may have been processed.
    Network(String),
    /// No connection could be made (refused, DNS, TLS): the request was never sent.
    /// Only the native transport can tell; fetch reports every failure alike.
    NotSent(String),
}

/// A Seedance API client. Cheap to clone (it shares one connection pool).
///
/// ```no_run
/// # async fn demo() -> Result<(), seedance::Error> {
/// use seedance::{ApiKey, Client, CreateTaskRequest, Model, WaitOptions};
///
/// let client = Client::new(ApiKey::from_env()?);
/// let req = CreateTaskRequest::text_to_video(Model::Fast, "Waves at dusk").with_audio(false);
/// let task = client
///     .generate(&req, WaitOptions::new()
///         .on_created(|id| eprintln!("task {id} created"))
///         .on_progress(|p| eprintln!("{:?} after {:?}", p.status, p.elapsed)))
///     .await?;
/// println!("{}", task.video_url().unwrap_or_default());
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Clone, Debug)]
struct Inner {
    endpoint: Endpoint,
    poll: PollPolicy,
    timeout: Duration,
    idempotency: bool,
    limits: Limits,
    transport: rt::Transport,
}

impl Client {
    /// A client for the default base URL ([`DEFAULT_BASE_URL`](crate::protocol::DEFAULT_BASE_URL))
    /// with this key, the default [`PollPolicy`], a 60 s request timeout and default
    /// [`Limits`].
    pub fn new(key: ApiKey) -> Self {
        Client {
            inner: Arc::new(Inner {
                endpoint: Endpoint::default().with_key(key),
                poll: PollPolicy::default(),
                timeout: Duration::from_secs(60),
                idempotency: false,
                limits: Limits::default(),
                transport: rt::Transport::new(),
            }),
        }
    }

    fn map(mut self, f: impl FnOnce(&mut Inner)) -> Self {
        f(Arc::make_mut(&mut self.inner));
        self
    }

    /// Talk to another base URL: the official Ark API, a proxy such as the Worker, or the
    /// simulator. Errors: [`Error::InvalidArgument`] unless it is an absolute http(s) URL.
    pub fn with_base_url(self, base_url: &str) -> Result<Self, Error> {
        let endpoint = Endpoint::new(base_url)?;
        Ok(self.map(|i| {
            let old = std::mem::replace(&mut i.endpoint, endpoint);
            i.endpoint = old.rebase(i.endpoint.base_url());
        }))
    }

    /// Send no `Authorization` header, for a proxy that adds the key itself.
    pub fn without_auth(self) -> Self {
        self.map(|i| i.endpoint = i.endpoint.clone().without_key())
    }

    /// Add a header to every API request (not to signed result URLs), e.g. a client id a
    /// proxy needs. Errors: [`Error::InvalidArgument`] for a malformed header.
    pub fn with_header(self, name: &str, value: &str) -> Result<Self, Error> {
        let endpoint = self.inner.endpoint.clone().with_header(name, value)?;
        Ok(self.map(|i| i.endpoint = endpoint))
    }

    /// Poll with this policy (its deadline and retries always apply; [`generate`](Self::generate)
    /// scales its delays to the request unless [`WaitOptions::policy`] pins one).
    pub fn with_poll_policy(self, policy: PollPolicy) -> Self {
        self.map(|i| i.poll = policy)
    }

    /// Give up on one HTTP request after this long (default 60 s). A create that times out
    /// is reported as [`Error::OutcomeUnknown`], never resent.
    pub fn with_request_timeout(self, timeout: Duration) -> Self {
        self.map(|i| i.timeout = timeout)
    }

    /// Send an `Idempotency-Key` with every create (a fresh one per create; pass your own
    /// with [`create_task_with_key`](Self::create_task_with_key) to keep it across your
    /// retries). Off by default: some servers' CORS rules refuse unknown headers.
    pub fn with_idempotency(self, on: bool) -> Self {
        self.map(|i| i.idempotency = on)
    }

    /// Validate with these limits (e.g. `allow_http` against a local simulator).
    pub fn with_limits(self, limits: Limits) -> Self {
        self.map(|i| i.limits = limits)
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.inner.endpoint.base_url()
    }

    /// The limits creates are validated with.
    pub fn limits(&self) -> &Limits {
        &self.inner.limits
    }

    /// The polling policy.
    pub fn poll_policy(&self) -> &PollPolicy {
        &self.inner.poll
    }
}
