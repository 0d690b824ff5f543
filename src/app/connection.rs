//! Where requests go: the local simulator (through the dev server's proxy), your proxy (no
//! key in the page), or the API directly with a key kept in memory (or, when asked, in
//! sessionStorage for this tab). The key never goes to localStorage, a URL or a log.

use std::time::Duration;

use crate::{ApiKey, Client, Limits, PollPolicy};

/// The key the local simulator is called with (it accepts any `sk-…`).
pub const SIM_KEY: &str = "sk-playground";
const SETTINGS: &str = "seedance.playground.settings";
const SESSION_KEY: &str = "seedance.playground.key";
const CLIENT_ID: &str = "seedance.playground.client-id";

/// This browser's id for a proxy (the Worker's `X-Client-Id`): the proxy lets it see only
/// the tasks it created, so it is random (crypto), made once and kept in localStorage.
/// It is no secret of the account: it only names this visitor.
fn client_id() -> String {
    let store = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    if let Some(id) = store
        .as_ref()
        .and_then(|s| s.get_item(CLIENT_ID).ok().flatten())
    {
        return id;
    }
    let mut bytes = [0u8; 16];
    let random = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !random {
        // No WebCrypto (very old browsers): Math.random is weaker but still per visitor.
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let id = format!("pg-{id}");
    if let Some(s) = store {
        let _ = s.set_item(CLIENT_ID, &id);
    }
    id
}

/// The three backends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// seedance-sim behind the dev server's proxy, at `./seedance/api/v3`.
    Local,
    /// A proxy that adds the key itself (e.g. the Worker).
    Proxy,
    /// The API itself, with a key.
    Direct,
}

impl Backend {
    fn key(self) -> &'static str {
        match self {
            Backend::Local => "local",
            Backend::Proxy => "proxy",
            Backend::Direct => "direct",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Backend::Local, Backend::Proxy, Backend::Direct]
            .into_iter()
            .find(|b| b.key() == s)
    }
}

/// The connection settings.
#[derive(Clone, Debug, PartialEq)]
pub struct Connection {
    /// The chosen backend.
    pub backend: Backend,
    /// Whether the user chose it (else the page picks: the simulator when it answers).
    pub chosen: bool,
    /// Your proxy's base URL.
    pub proxy_url: String,
    /// The API's base URL for direct calls.
    pub direct_url: String,
    /// The API key for direct calls (memory only, unless `remember`).
    pub key: String,
    /// Keep the key in sessionStorage for this tab.
    pub remember: bool,
    /// Whether the local simulator answered `./_sim/health`.
    pub sim_available: bool,
}

impl Default for Connection {
    fn default() -> Self {
        Connection {
            backend: Backend::Proxy,
            chosen: false,
            proxy_url: String::new(),
            direct_url: crate::protocol::DEFAULT_BASE_URL.to_owned(),
            key: String::new(),
            remember: false,
            sim_available: false,
        }
    }
}

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// A path relative to the page (works under any path prefix), made absolute.
pub fn page_url(relative: &str) -> Option<String> {
    let href = window()?.location().href().ok()?;
    web_sys::Url::new_with_base(relative, &href)
        .ok()
        .map(|u| u.href())
}

impl Connection {
    /// The settings saved in localStorage (never the key) and the key saved for this tab.
    pub fn load() -> Self {
        let mut c = Connection::default();
        let w = window();
        if let Some(raw) = w
            .as_ref()
            .and_then(|w| w.local_storage().ok().flatten())
            .and_then(|s| s.get_item(SETTINGS).ok().flatten())
        {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&raw) {
                if let Some(b) = v["backend"].as_str().and_then(Backend::parse) {
                    c.backend = b;
                    c.chosen = true;
                }
                if let Some(u) = v["proxy_url"].as_str() {
                    c.proxy_url = u.to_owned();
                }
                if let Some(u) = v["direct_url"].as_str() {
                    c.direct_url = u.to_owned();
                }
            }
        }
        if let Some(key) = w
            .as_ref()
            .and_then(|w| w.session_storage().ok().flatten())
            .and_then(|s| s.get_item(SESSION_KEY).ok().flatten())
        {
            c.key = key;
            c.remember = true;
        }
        c
    }

    /// Save the settings (localStorage, without the key) and the key (sessionStorage, only
    /// when `remember` is on; removed otherwise).
    pub fn save(&self) {
        let Some(w) = window() else { return };
        if let Some(s) = w.local_storage().ok().flatten() {
            let v = serde_json::json!({
                "backend": if self.chosen { Some(self.backend.key()) } else { None },
                "proxy_url": self.proxy_url,
                "direct_url": self.direct_url,
            });
            let _ = s.set_item(SETTINGS, &v.to_string());
        }
        if let Some(s) = w.session_storage().ok().flatten() {
            if self.remember && !self.key.is_empty() {
                let _ = s.set_item(SESSION_KEY, &self.key);
            } else {
                let _ = s.remove_item(SESSION_KEY);
            }
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> Option<String> {
        match self.backend {
            Backend::Local => page_url("seedance/api/v3"),
            Backend::Proxy => Some(self.proxy_url.trim().to_owned()).filter(|u| !u.is_empty()),
            Backend::Direct => Some(self.direct_url.trim().to_owned()).filter(|u| !u.is_empty()),
        }
    }

    /// The limits to validate with. Plain-http media URLs are allowed only for a server on
    /// this machine: the simulator, or a proxy run locally (e.g. `wrangler dev`) in front
    /// of it, which serve their media over http. (A proxy applies its own limits too.)
    pub fn limits(&self) -> Limits {
        let local_proxy = self.backend == Backend::Proxy
            && ["http://127.0.0.1:", "http://localhost:", "http://[::1]:"]
                .iter()
                .any(|p| self.proxy_url.trim().starts_with(p));
        Limits {
            allow_http: self.backend == Backend::Local || local_proxy,
            ..Limits::default()
        }
    }

    /// A client for these settings, or what is missing.
    pub fn client(&self) -> Result<Client, String> {
        let base = self.base_url().ok_or_else(|| match self.backend {
            Backend::Proxy => "Enter your proxy's URL under Connection.".to_owned(),
            _ => "Enter the API's base URL under Connection.".to_owned(),
        })?;
        let key = match self.backend {
            Backend::Local | Backend::Proxy => SIM_KEY,
            Backend::Direct if self.key.trim().is_empty() => {
                return Err("Enter your API key under Connection.".to_owned())
            }
            Backend::Direct => self.key.trim(),
        };
        let key = ApiKey::new(key).map_err(|e| e.to_string())?;
        let mut client = Client::new(key)
            .with_base_url(&base)
            .map_err(|e| e.to_string())?
            .with_limits(self.limits());
        if self.backend == Backend::Proxy {
            // The proxy adds the key; it keeps visitors apart by this id, and an
            // Idempotency-Key lets it answer a repeated create with the same task.
            client = client
                .without_auth()
                .with_header("X-Client-Id", &client_id())
                .map_err(|e| e.to_string())?
                .with_idempotency(true);
        }
        if self.backend == Backend::Local {
            // The simulator is quick: poll it often so the page feels live.
            client = client.with_poll_policy(PollPolicy {
                first_delay: Duration::from_millis(500),
                interval: Duration::from_millis(700),
                growth: 1.2,
                max_delay: Duration::from_secs(3),
                ..PollPolicy::default()
            });
        }
        Ok(client)
    }

    /// Whether polls should follow the request's expected time (real servers) rather than
    /// the client's own quick policy (the simulator).
    pub fn scale_polls(&self) -> bool {
        self.backend != Backend::Local
    }
}

/// Whether the page is served beside a simulator (the dev server proxies `./_sim/`).
pub async fn probe_sim() -> bool {
    let Some(url) = page_url("_sim/health") else {
        return false;
    };
    match gloo_net::http::Request::get(&url).send().await {
        Ok(resp) if resp.ok() => resp
            .json::<serde_json::Value>()
            .await
            .map(|v| v["status"] == "ok")
            .unwrap_or(false),
        _ => false,
    }
}
