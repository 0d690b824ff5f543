//! Admission: every decision whether and how a request may go upstream, and what it gets
//! when it may not. Pure and sans-IO: plain Rust in (the request's head, the settings,
//! then whatever the edge was asked to read or store), a decision out. `edge` moves the
//! bytes and applies the decisions; it decides nothing.
//!
//! - [`decide`]: the head alone (settings, origin, route, proxy token, key, client id, the
//!   list switch, whose task an id is) → refuse, answer a preflight, or serve: a create, a
//!   generate, or a forward whose upstream request is already built.
//! - [`create::CreateAdmission`]: a create's body and the client's records (cap,
//!   validation, spend policy, `Idempotency-Key`, rate limit, daily budget), one step at
//!   a time.
//!
//! What comes next has one place each: a new route is one more arm of [`decide`] (a media
//! route: check the per-visitor signature of the URL, build the upstream fetch); a new way
//! of spending is one more step of the create admission (a batch: admit its creates
//! against the same rate limit and daily budget).

pub mod create;
#[cfg(test)]
pub(crate) mod testkit;

use seedance::protocol::HttpRequest;
use seedance::ApiKey;

use crate::answers::Refusal;
use crate::config::Config;
use crate::ids;
use crate::refusals;
use crate::routes::{route, Route};
use crate::upstream::Upstream;
use crate::visitor::{self, CLIENT_ID_HEADER};

/// What admission reads of a request: method, path, query and the few headers it acts on
/// (values trimmed; empty ones count as absent). Nothing else of the visitor's request
/// is looked at or passed on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Head {
    /// The method.
    pub method: String,
    /// The URL path.
    pub path: String,
    /// The query, without `?` (empty when none).
    pub query: String,
    /// `Origin`: a page's origin (absent for servers and curl).
    pub origin: Option<String>,
    /// `X-Proxy-Token`.
    pub proxy_token: Option<String>,
    /// `X-Client-Id`.
    pub client_id: Option<String>,
    /// `CF-Connecting-IP`.
    pub ip: Option<String>,
    /// `Idempotency-Key`.
    pub idempotency_key: Option<String>,
}

impl Head {
    /// The head of a request: its method, its absolute URL and its headers, read through
    /// `header` (a header's value by name).
    ///
    /// ```
    /// use seedance_worker::admission::Head;
    /// let h = Head::new("GET", "https://w.example/api/v3/x?a=1#f", |n| (n == "Origin").then(|| " https://a.example ".into()));
    /// assert_eq!((h.path.as_str(), h.query.as_str()), ("/api/v3/x", "a=1"));
    /// assert_eq!(h.origin.as_deref(), Some("https://a.example"));
    /// assert_eq!(h.client_id, None);
    /// ```
    pub fn new(method: &str, url: &str, header: impl Fn(&str) -> Option<String>) -> Head {
        let get = |name: &str| {
            header(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let (path, query) = split_url(url);
        Head {
            method: method.to_owned(),
            path,
            query,
            origin: get("Origin"),
            proxy_token: get("X-Proxy-Token"),
            client_id: get(CLIENT_ID_HEADER),
            ip: get("CF-Connecting-IP"),
            idempotency_key: get("Idempotency-Key"),
        }
    }
}

/// Path and query of an absolute URL.
fn split_url(url: &str) -> (String, String) {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let path_start = url[after_scheme..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| after_scheme + i);
    let rest = url[path_start..].split('#').next().unwrap_or("");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let path = if path.is_empty() { "/" } else { path };
    (path.to_owned(), query.to_owned())
}

/// A caller admitted past the head: the settings, the upstream with the key, and who it is.
#[derive(Clone, Debug)]
pub struct Caller {
    /// The settings.
    pub cfg: Config,
    /// The upstream API with the owner's key.
    pub upstream: Upstream,
    /// The visitor's client id.
    pub client: String,
    /// The name the rate limit and the daily budget count under.
    pub limit_key: String,
    /// The `Idempotency-Key` sent, if any (checked by the create admission).
    pub idempotency_key: Option<String>,
}

impl Caller {
    /// A caller with client id `client` (checked by [`decide`]), calling from `ip` (the
    /// limits may count by it), who sent `idempotency_key`.
    pub fn new(
        cfg: Config,
        key: ApiKey,
        client: &str,
        ip: Option<&str>,
        idempotency_key: Option<String>,
    ) -> Caller {
        Caller {
            upstream: Upstream::new(&cfg.upstream, key),
            limit_key: visitor::limit_key(cfg.limit_by, client, ip),
            client: client.to_owned(),
            idempotency_key,
            cfg,
        }
    }

    /// The visitor's id for the account's task `id`.
    pub fn wrap(&self, id: &str) -> String {
        ids::wrap(&self.cfg.id_secret, &self.client, id)
    }

    /// The records instance of this visitor's `Idempotency-Key`s (keys are per visitor,
    /// whatever the limits count by).
    pub fn idempotency_instance(&self) -> String {
        format!("idem:{}", self.client)
    }
}

/// What to do with a request, decided from its head.
#[derive(Debug)]
pub struct Decision {
    /// The route's name, for the log line.
    pub route: &'static str,
    /// The digest of the client id, for the log line (`-` until the id is known good).
    pub tag: String,
    /// The page origin whose answer gets CORS headers (an allowed one only).
    pub cors: Option<String>,
    /// The decision.
    pub then: Then,
}

/// The decision proper.
#[derive(Debug)]
pub enum Then {
    /// Answer this, and send nothing upstream.
    Refuse(Refusal),
    /// Answer the CORS preflight (204; its headers only for an allowed origin).
    Preflight,
    /// Serve the request for this caller.
    Serve(Box<Caller>, Work),
}

/// What serving a request means.
#[derive(Debug)]
pub enum Work {
    /// A create: admit it ([`create::CreateAdmission`]), then forward it.
    Create,
    /// `generate`: admit it as a create, then create and wait at the edge.
    Generate,
    /// Send this upstream and pass the answer back, with the account's task ids swapped
    /// for the visitor's when `wrap_ids` (a get or a list).
    Forward {
        /// The upstream request.
        request: HttpRequest,
        /// Whether a successful answer's ids are wrapped.
        wrap_ids: bool,
    },
}

/// Decide what a request may do from its head and the settings (`Err`: a malformed var,
/// named). Checks run in this order, each refusing before anything is sent: settings,
/// origin, route, proxy token, key, client id, then the route's own (list switch, task
/// ownership).
///
/// ```
/// use seedance_worker::admission::{decide, Head, Then};
/// use seedance_worker::Config;
/// let cfg = Config::from_lookup(|_| None);
/// let head = Head { method: "GET".into(), path: "/admin".into(), ..Head::default() };
/// let Then::Refuse(r) = decide(cfg, &head).then else { panic!() };
/// assert_eq!(r.status, 404);
/// ```
pub fn decide(cfg: Result<Config, String>, head: &Head) -> Decision {
    let cfg = match cfg {
        Ok(cfg) => cfg,
        Err(message) => return refuse("config", None, refusals::misconfigured(message)),
    };
    let allowed = head
        .origin
        .as_deref()
        .filter(|o| cfg.origins.allows(o))
        .map(str::to_owned);
    let r = route(&head.method, &head.path, &cfg.prefix);
    let name = route_name(&r);
    if head.origin.is_some() && allowed.is_none() {
        return refuse(name, None, refusals::origin_not_allowed());
    }
    let refused = |refusal| refuse(name, allowed.clone(), refusal);
    match r {
        Route::NotFound => return refused(refusals::no_such_route()),
        Route::MethodNotAllowed(allow) => return refused(refusals::method_not_allowed(allow)),
        Route::Preflight => {
            return Decision {
                route: name,
                tag: "-".to_owned(),
                cors: allowed,
                then: Then::Preflight,
            }
        }
        _ => {}
    }
    if head.origin.is_none() {
        if let Some(token) = &cfg.proxy_token {
            let given = head.proxy_token.as_deref().unwrap_or_default();
            if !same(given.as_bytes(), token.as_bytes()) {
                return refused(refusals::proxy_token_required());
            }
        }
    }
    let Some(key) = cfg.api_key.clone() else {
        return refused(refusals::misconfigured("SEEDANCE_API_KEY is not set"));
    };
    let client = head.client_id.clone().unwrap_or_default();
    if !visitor::client_id_ok(&client) {
        return refused(refusals::client_id_required());
    }
    let tag = visitor::log_tag(&client);
    let ip = head.ip.as_deref();
    let caller = Caller::new(cfg, key, &client, ip, head.idempotency_key.clone());
    let work = match &r {
        Route::Create => Ok(Work::Create),
        Route::Generate => Ok(Work::Generate),
        // Only an id wrapped for this client names a task; a get's answer shows wrapped ids.
        Route::Get(id) | Route::Delete(id) => {
            let get = matches!(r, Route::Get(_));
            ids::unwrap(&caller.cfg.id_secret, &caller.client, id)
                .and_then(|raw| match get {
                    true => caller.upstream.get(&raw),
                    false => caller.upstream.delete(&raw),
                })
                .map(|request| Work::Forward {
                    request,
                    wrap_ids: get,
                })
                .ok_or_else(refusals::task_not_found)
        }
        Route::List if !caller.cfg.allow_list => Err(refusals::list_disabled()),
        Route::List => Ok(Work::Forward {
            request: caller.upstream.list(&head.query),
            wrap_ids: true,
        }),
        Route::NotFound | Route::MethodNotAllowed(_) | Route::Preflight => {
            unreachable!("answered above")
        }
    };
    let then = match work {
        Ok(work) => Then::Serve(Box::new(caller), work),
        Err(refusal) => Then::Refuse(refusal),
    };
    Decision {
        route: name,
        tag,
        cors: allowed,
        then,
    }
}

fn refuse(route: &'static str, cors: Option<String>, refusal: Refusal) -> Decision {
    Decision {
        route,
        tag: "-".to_owned(),
        cors,
        then: Then::Refuse(refusal),
    }
}

/// Compare in time independent of where the bytes differ (the proxy token).
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn route_name(r: &Route) -> &'static str {
    match r {
        Route::Create => "create",
        Route::List => "list",
        Route::Get(_) => "get",
        Route::Delete(_) => "delete",
        Route::Generate => "generate",
        Route::Preflight => "preflight",
        Route::NotFound => "not-found",
        Route::MethodNotAllowed(_) => "method-not-allowed",
    }
}

#[cfg(test)]
mod tests {
    use seedance::protocol::Method;

    use super::testkit::{config, shape, CLIENT, KEY};
    use super::*;

    const TASKS: &str = "/api/v3/contents/generations/tasks";

    fn head(method: &str, path: &str) -> Head {
        Head {
            method: method.into(),
            path: path.into(),
            client_id: Some(CLIENT.into()),
            ..Head::default()
        }
    }

    fn decide_with(vars: &[(&str, &str)], head: &Head) -> Decision {
        decide(Ok(config(vars)), head)
    }

    fn refusal(d: &Decision) -> &Refusal {
        match &d.then {
            Then::Refuse(r) => r,
            other => panic!("not a refusal: {other:?}"),
        }
    }

    fn forward(d: Decision) -> (HttpRequest, bool) {
        match d.then {
            Then::Serve(_, Work::Forward { request, wrap_ids }) => (request, wrap_ids),
            other => panic!("not a forward: {other:?}"),
        }
    }

    #[test]
    fn the_head_is_read_trimmed() {
        let h = Head::new("POST", "http://w.example:8787/api/v3/x", |n| match n {
            "X-Client-Id" => Some(format!(" {CLIENT} ")),
            "Idempotency-Key" => Some("  ".into()),
            _ => None,
        });
        assert_eq!(h.path, "/api/v3/x");
        assert_eq!(h.query, "");
        assert_eq!(h.client_id.as_deref(), Some(CLIENT));
        assert_eq!(h.idempotency_key, None);
        assert_eq!(split_url("https://w.example"), ("/".into(), String::new()));
        assert_eq!(split_url("https://w.example?q#f"), ("/".into(), "q".into()));
    }

    #[test]
    fn malformed_settings_refuse_everything() {
        let d = decide(
            Err("RATE_LIMIT must look like 5/60s".into()),
            &head("GET", "/"),
        );
        assert_eq!(shape(refusal(&d)), (500, "ProxyMisconfigured", None));
        assert_eq!((d.route, d.cors), ("config", None));
    }

    #[test]
    fn another_origin_is_refused_without_cors_headers() {
        let vars = [("ALLOWED_ORIGINS", "https://app.example")];
        let mut h = head("POST", TASKS);
        h.origin = Some("https://evil.example".into());
        let d = decide_with(&vars, &h);
        assert_eq!(shape(refusal(&d)), (403, "OriginNotAllowed", None));
        assert_eq!(d.cors, None);
        // Even a preflight.
        h.method = "OPTIONS".into();
        assert!(matches!(decide_with(&vars, &h).then, Then::Refuse(_)));
        h.origin = Some("https://app.example".into());
        let d = decide_with(&vars, &h);
        assert!(matches!(d.then, Then::Preflight));
        assert_eq!(d.cors.as_deref(), Some("https://app.example"));
    }

    #[test]
    fn other_routes_are_404_and_other_methods_405() {
        let d = decide_with(&[], &head("GET", "/api/v3/models"));
        assert_eq!(shape(refusal(&d)), (404, "NotFound", None));
        assert_eq!(d.route, "not-found");
        let d = decide_with(&[], &head("PUT", TASKS));
        let r = refusal(&d);
        assert_eq!(shape(r), (405, "MethodNotAllowed", None));
        assert!(r.headers.contains(&("Allow", "GET, POST, OPTIONS".into())));
        // Answered before the key is even looked at.
        let d = decide_with(&[("SEEDANCE_API_KEY", "")], &head("GET", "/"));
        assert_eq!(refusal(&d).status, 404);
    }

    #[test]
    fn servers_need_the_proxy_token_and_pages_do_not() {
        let vars = [
            ("PROXY_TOKEN", "t0ken-s3cret"),
            ("ALLOWED_ORIGINS", "https://app.example"),
        ];
        let mut h = head("POST", TASKS);
        for given in [None, Some("t0ken-s3creT"), Some("t0ken")] {
            h.proxy_token = given.map(str::to_owned);
            let d = decide_with(&vars, &h);
            assert_eq!(shape(refusal(&d)), (401, "ProxyTokenRequired", None));
        }
        h.proxy_token = Some("t0ken-s3cret".into());
        assert!(matches!(
            decide_with(&vars, &h).then,
            Then::Serve(_, Work::Create)
        ));
        h.proxy_token = None;
        h.origin = Some("https://app.example".into());
        assert!(matches!(
            decide_with(&vars, &h).then,
            Then::Serve(_, Work::Create)
        ));
    }

    #[test]
    fn without_a_key_nothing_is_served() {
        let d = decide_with(&[("SEEDANCE_API_KEY", "")], &head("POST", TASKS));
        let r = refusal(&d);
        assert_eq!(shape(r), (500, "ProxyMisconfigured", None));
        assert_eq!(r.body["error"]["message"], "SEEDANCE_API_KEY is not set");
    }

    #[test]
    fn a_visitor_needs_a_client_id() {
        for id in [None, Some("alice"), Some("0123456789abcde/")] {
            let mut h = head("POST", "/api/v3/generate");
            h.client_id = id.map(str::to_owned);
            let d = decide_with(&[], &h);
            let r = refusal(&d);
            assert_eq!(shape(r), (400, "ClientIdRequired", None));
            assert_eq!(r.body["error"]["param"], "X-Client-Id");
            assert_eq!(d.tag, "-");
        }
        let d = decide_with(&[], &head("POST", "/api/v3/generate"));
        assert!(matches!(d.then, Then::Serve(_, Work::Generate)));
        assert_eq!(d.tag, visitor::log_tag(CLIENT));
    }

    #[test]
    fn list_is_off_unless_allowed_and_then_forwards_the_query() {
        let mut h = head("GET", TASKS);
        h.query = "page_size=10".into();
        let d = decide_with(&[], &h);
        let r = refusal(&d);
        assert_eq!(shape(r), (405, "ListDisabled", None));
        assert!(r.headers.contains(&("Allow", "POST, OPTIONS".into())));
        let (request, wrap_ids) = forward(decide_with(&[("ALLOW_LIST", "true")], &h));
        assert!(request
            .url
            .ends_with("/contents/generations/tasks?page_size=10"));
        assert!(wrap_ids);
    }

    #[test]
    fn only_the_visitors_own_ids_are_forwarded() {
        let cfg = config(&[]);
        let own = ids::wrap(&cfg.id_secret, CLIENT, "cgt-2026-a/b");
        let theirs = ids::wrap(&cfg.id_secret, "c-someone-else-000", "cgt-2026-a");
        for id in [theirs.as_str(), "cgt-2026-a", ""] {
            for method in ["GET", "DELETE"] {
                let d = decide_with(&[], &head(method, &format!("{TASKS}/{id}x")));
                let r = refusal(&d);
                assert!(matches!(
                    shape(r),
                    (404, "ResourceNotFound" | "NotFound", None)
                ));
            }
        }
        let (get, wrap_ids) = forward(decide_with(&[], &head("GET", &format!("{TASKS}/{own}"))));
        assert_eq!(get.method, Method::Get);
        assert!(get
            .url
            .ends_with("/contents/generations/tasks/cgt-2026-a%2Fb"));
        assert!(get
            .headers
            .contains(&("Authorization".into(), format!("Bearer {KEY}"))));
        assert!(!get.headers.iter().any(|(k, _)| k == "X-Client-Id"));
        assert!(wrap_ids);
        let (delete, wrap_ids) =
            forward(decide_with(&[], &head("DELETE", &format!("{TASKS}/{own}"))));
        assert_eq!(delete.method, Method::Delete);
        assert!(!wrap_ids);
    }

    #[test]
    fn limits_count_by_ip_unless_told_otherwise() {
        let mut h = head("POST", TASKS);
        h.ip = Some("203.0.113.7".into());
        let caller = |vars: &[(&str, &str)]| match decide_with(vars, &h).then {
            Then::Serve(c, _) => c.limit_key,
            other => panic!("{other:?}"),
        };
        assert_eq!(caller(&[]), "ip:203.0.113.7");
        assert_eq!(
            caller(&[("LIMIT_BY", "client")]),
            format!("client:{CLIENT}")
        );
    }
}
