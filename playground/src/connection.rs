//! Where requests go: the local simulator (through the dev server's proxy), your proxy (no
//! key in the page), or the API directly with a key kept in memory (or, when asked, in
//! sessionStorage for this tab). The key never goes to localStorage, a URL or a log.

use serde::{Deserialize, Serialize};

use seedance::Limits;

use serde_json::Value;

use crate::read::{lenient, string, Fields, Read};
use crate::store::{self, Stored};
use crate::write::{Obj, Write};

/// The key the local simulator is called with (it accepts any `sk-…`).
pub const SIM_KEY: &str = "sk-playground";

/// The three backends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// seedance-sim behind the dev server's proxy, at `./seedance/api/v3`.
    Local,
    /// A proxy that adds the key itself (e.g. the Worker).
    Proxy,
    /// The API itself, with a key.
    Direct,
}

/// The settings kept in localStorage (never the key).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The backend the user chose; `None` until they choose (the page then picks the
    /// simulator when it answers, else the proxy).
    #[serde(deserialize_with = "store::lenient")]
    pub backend: Option<Backend>,
    /// Your proxy's base URL.
    pub proxy_url: String,
    /// The API's base URL for direct calls.
    pub direct_url: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            backend: None,
            proxy_url: String::new(),
            direct_url: seedance::protocol::DEFAULT_BASE_URL.to_owned(),
        }
    }
}

impl Stored for Settings {
    const KEY: &'static str = store::SETTINGS;
}

impl Write for Backend {
    fn write(&self, out: &mut String) {
        match self {
            Backend::Local => "local",
            Backend::Proxy => "proxy",
            Backend::Direct => "direct",
        }
        .write(out);
    }
}

impl Write for Settings {
    fn write(&self, out: &mut String) {
        Obj::new(out)
            .field("backend", &self.backend)
            .field("proxy_url", &self.proxy_url)
            .field("direct_url", &self.direct_url)
            .end();
    }
}

impl Read for Settings {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v, &["backend", "proxy_url", "direct_url"])?;
        let mut s = Settings::default();
        let backend = |v: &Value| match v.as_str()? {
            "local" => Some(Backend::Local),
            "proxy" => Some(Backend::Proxy),
            "direct" => Some(Backend::Direct),
            _ => None,
        };
        f.get("backend", &mut s.backend, lenient(|v| backend(v).map(Some)))?;
        f.get("proxy_url", &mut s.proxy_url, string)?;
        f.get("direct_url", &mut s.direct_url, string)?;
        Some(s)
    }
}

/// The connection: the saved settings, the key, and whether the simulator answered.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Connection {
    /// What localStorage keeps.
    pub settings: Settings,
    /// The API key for direct calls (memory only, unless `remember`).
    pub key: String,
    /// Keep the key in sessionStorage for this tab.
    pub remember: bool,
    /// Whether the local simulator answered `./_sim/health` (`false` without asking when the
    /// page was not served beside one); `None` until it is known.
    pub sim: Option<bool>,
}

impl Connection {
    /// The backend in use: the user's choice, else the simulator when it answers, else a
    /// proxy.
    pub fn backend(&self) -> Backend {
        match self.settings.backend {
            Some(b) => b,
            None if self.sim == Some(true) => Backend::Local,
            None => Backend::Proxy,
        }
    }

    /// The limits to validate with. Plain-http media URLs are allowed only for a server on
    /// this machine: the simulator, or a proxy run locally (e.g. `wrangler dev`) in front
    /// of it, which serve their media over http. (A proxy applies its own limits too.)
    pub fn limits(&self) -> Limits {
        let backend = self.backend();
        let local_proxy = backend == Backend::Proxy
            && ["http://127.0.0.1:", "http://localhost:", "http://[::1]:"]
                .iter()
                .any(|p| self.settings.proxy_url.trim().starts_with(p));
        Limits {
            allow_http: backend == Backend::Local || local_proxy,
            ..Limits::default()
        }
    }

    /// The base URL requests go to, or what is missing; `sim` is the simulator's (beside
    /// the page).
    pub fn base_url(&self, sim: Option<String>) -> Result<String, String> {
        let (url, missing) = match self.backend() {
            Backend::Local => (sim.unwrap_or_default(), "the API's base URL"),
            Backend::Proxy => (self.settings.proxy_url.clone(), "your proxy's URL"),
            Backend::Direct => (self.settings.direct_url.clone(), "the API's base URL"),
        };
        Some(url.trim().to_owned())
            .filter(|u| !u.is_empty())
            .ok_or_else(|| format!("Enter {missing} under Connection."))
    }

    /// The key to send: the simulator's and a proxy's are placeholders (a proxy adds the
    /// real one), a direct call needs the user's.
    pub fn api_key(&self) -> Result<&str, String> {
        match self.backend() {
            Backend::Local | Backend::Proxy => Ok(SIM_KEY),
            Backend::Direct if self.key.trim().is_empty() => {
                Err("Enter your API key under Connection.".to_owned())
            }
            Backend::Direct => Ok(self.key.trim()),
        }
    }

    /// Whether polls should follow the request's expected time (real servers) rather than
    /// the client's own quick policy (the simulator).
    pub fn scale_polls(&self) -> bool {
        self.backend() != Backend::Local
    }

    /// How often a run of many tasks polls each one: often (the simulator, or a proxy on
    /// this machine in front of it), or `None` for the schedule fitted to each request.
    pub fn run_poll_interval(&self) -> Option<std::time::Duration> {
        let local = self.backend() == Backend::Local || self.limits().allow_http;
        local.then(|| std::time::Duration::from_millis(300))
    }
}

#[cfg(target_arch = "wasm32")]
pub use browser::{probe_sim, sim_base};

/// Loading, saving, and the client: the browser's storage, location and `fetch`.
#[cfg(target_arch = "wasm32")]
mod browser {
    use std::time::Duration;

    use seedance::{ApiKey, Client, PollPolicy};

    use super::{Backend, Connection};
    use crate::store::{self, Area};
    use crate::web::page_url;

    /// This browser's id for a proxy (the Worker's `X-Client-Id`): the proxy lets it see
    /// only the tasks it created, so it is random (crypto), made once and kept in
    /// localStorage. It is no secret of the account: it only names this visitor.
    fn client_id() -> String {
        if let Some(id) = store::get(Area::Local, store::CLIENT_ID) {
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
        store::set(Area::Local, store::CLIENT_ID, &id);
        id
    }

    impl Connection {
        /// The settings saved in localStorage and the key saved for this tab.
        pub fn load() -> Self {
            let key = store::get(Area::Session, store::SESSION_KEY);
            Connection {
                settings: store::load(),
                remember: key.is_some(),
                key: key.unwrap_or_default(),
                sim: None,
            }
        }

        /// Save the settings (localStorage, without the key) and the key (sessionStorage,
        /// only when `remember` is on; removed otherwise).
        pub fn save(&self) {
            store::save(&self.settings);
            if self.remember && !self.key.is_empty() {
                store::set(Area::Session, store::SESSION_KEY, &self.key);
            } else {
                store::remove(Area::Session, store::SESSION_KEY);
            }
        }

        /// A client for these settings, or what is missing.
        pub fn client(&self) -> Result<Client, String> {
            let base = self.base_url(sim_base())?;
            let key = ApiKey::new(self.api_key()?).map_err(|e| e.to_string())?;
            let backend = self.backend();
            let mut client = Client::new(key)
                .with_base_url(&base)
                .map_err(|e| e.to_string())?
                .with_limits(self.limits());
            if backend == Backend::Proxy {
                // The proxy adds the key; it keeps visitors apart by this id, and an
                // Idempotency-Key lets it answer a repeated create with the same task.
                client = client
                    .without_auth()
                    .with_header("X-Client-Id", &client_id())
                    .map_err(|e| e.to_string())?
                    .with_idempotency(true);
            }
            if backend == Backend::Local {
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
    }

    /// The simulator's API base, beside the page (the dev server proxies it).
    pub fn sim_base() -> Option<String> {
        page_url("seedance/api/v3")
    }

    /// Whether the page is served beside a simulator (the dev server proxies `./_sim/`).
    ///
    /// Asked only when the page says a simulator may be beside it: `scripts/dev` (a Trunk
    /// hook, `scripts/post-build`) and the e2e server add `<meta name="seedance-sim">` to the page they serve. A
    /// static deploy has no such tag and makes no request (a 404 would log an error).
    pub async fn probe_sim() -> bool {
        let beside = crate::web::meta("seedance-sim").is_some();
        let Some(url) = page_url("_sim/health").filter(|_| beside) else {
            return false;
        };
        let Ok(resp) = crate::web::fetch_get(&url).await else {
            return false;
        };
        let Some(text) = (match resp.ok().then(|| resp.text()) {
            Some(Ok(p)) => wasm_bindgen_futures::JsFuture::from(p).await.ok(),
            _ => None,
        }) else {
            return false;
        };
        text.as_string()
            .and_then(|t| seedance::parse_json(&t))
            .is_some_and(|v| v["status"] == "ok")
    }
}
