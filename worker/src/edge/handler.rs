//! The fetch handler: origin and token checks, routing, the create pipeline (cap, validate,
//! policy, idempotency, limits) and forwarding with the key, ids wrapped on the way back.

use seedance::protocol::{parse_create, snippet, HttpResponse, TASKS_PATH};
use seedance::{validate, CreateTaskRequest, Error};
use wasm_bindgen::prelude::*;
use web_sys::{Headers, Request, Response, ResponseInit};

use crate::answers::{rewrite_ids, Refusal};
use crate::config::Config;
use crate::cors;
use crate::idempotency::{self, Record};
use crate::ids;
use crate::policy::Policy;
use crate::records::{Op, Reply};
use crate::routes::{route, Route};
use crate::visitor::{self, CLIENT_ID_HEADER};

use super::body::{read_capped, BodyError};
use super::generate;
use super::js::{console_log, env_string};
use super::store::{rate_limiter, Store};
use super::upstream;

/// What one invocation knows about its caller and settings.
pub struct Call {
    pub cfg: Config,
    pub key: String,
    pub client: String,
    pub limit_key: String,
    pub store: Store,
    pub env: JsValue,
    /// Record-store calls made so far that cost a subrequest.
    pub remote_calls: u32,
}

impl Call {
    pub fn wrap(&self, id: &str) -> String {
        ids::wrap(&self.cfg.id_secret, &self.client, id)
    }

    pub async fn store(&mut self, instance: &str, op: &Op) -> Result<Reply, Refusal> {
        if self.store.is_remote() {
            self.remote_calls += 1;
        }
        self.store.run(instance, op).await.map_err(|e| {
            Refusal::new(
                503,
                "GateUnavailable",
                format!("the proxy's state store failed: {e}"),
            )
            .retry_after_ms(1000)
        })
    }

    pub fn idem_instance(&self) -> String {
        format!("idem:{}", self.client)
    }

    /// Record how a create with an idempotency key ended (ignored when it fails: the
    /// pending record then lapses on its own).
    pub async fn finish(&mut self, idem: Option<&str>, id: Option<String>, unknown: bool) {
        if let Some(key) = idem {
            let op = Op::IdemFinish {
                key: key.to_owned(),
                id,
                unknown,
            };
            let instance = self.idem_instance();
            let _ = self.store(&instance, &op).await;
        }
    }

    /// Give back the tokens of a refused create.
    pub async fn refund(&mut self, tokens: u64) {
        let instance = self.limit_key.clone();
        let _ = self.store(&instance, &Op::Refund { tokens }).await;
    }
}

/// A create that passed every check, ready to forward.
pub struct Admitted {
    pub req: CreateTaskRequest,
    pub body: Vec<u8>,
    pub tokens: u64,
    pub idem: Option<String>,
}

/// What the create pipeline decided.
pub enum Admission {
    /// Forward it.
    Go(Admitted),
    /// An earlier create with the same key made this task (the account's id).
    Replay(String),
}

/// The Worker's `fetch`: every request goes through here.
#[wasm_bindgen]
pub async fn handle(request: Request, env: JsValue, ctx: JsValue) -> Response {
    let started = js_sys::Date::now();
    let method = request.method();
    let (path, query) = split_url(&request.url());
    let mut tag = "-".to_owned();
    let origin = header(&request, "Origin");
    let env_for_log = env.clone();
    let (name, resp) = match Config::from_lookup(|k| env_string(&env, k)) {
        Err(msg) => (
            "config",
            refusal(&Refusal::new(500, "ProxyMisconfigured", msg), None),
        ),
        Ok(cfg) => {
            let allowed = origin.as_deref().filter(|o| cfg.origins.allows(o));
            let r = route(&method, &path, &cfg.prefix);
            let name = route_name(&r);
            let resp = match (origin.is_some(), allowed) {
                (true, None) => refusal(
                    &Refusal::new(
                        403,
                        "OriginNotAllowed",
                        "this origin may not use the proxy (ALLOWED_ORIGINS)",
                    ),
                    None,
                ),
                _ => {
                    let allowed = allowed.map(str::to_owned);
                    dispatch(
                        cfg,
                        r,
                        request,
                        env,
                        ctx,
                        &query,
                        allowed.as_deref(),
                        &mut tag,
                    )
                    .await
                }
            };
            (name, resp)
        }
    };
    // The log names the route, never an id, a body, a header value or the key.
    let gate = if Store::from_env(&env_for_log).is_remote() {
        "durable-object"
    } else {
        "memory"
    };
    console_log(&format!(
        "{method} {name} {} {}ms client={tag} gate={gate}",
        resp.status(),
        (js_sys::Date::now() - started) as u64
    ));
    resp
}

#[allow(clippy::too_many_arguments)]
async fn dispatch(
    cfg: Config,
    r: Route,
    request: Request,
    env: JsValue,
    ctx: JsValue,
    query: &str,
    origin: Option<&str>,
    tag: &mut String,
) -> Response {
    match r {
        Route::NotFound => {
            return refusal(
                &Refusal::new(404, "NotFound", "no such route on this proxy"),
                origin,
            )
        }
        Route::MethodNotAllowed(allow) => {
            let r = Refusal::new(405, "MethodNotAllowed", "method not allowed on this route")
                .header("Allow", allow);
            return refusal(&r, origin);
        }
        Route::Preflight => return preflight(origin),
        _ => {}
    }
    if origin.is_none() {
        if let Some(token) = &cfg.proxy_token {
            let given = header(&request, "X-Proxy-Token").unwrap_or_default();
            if !same(given.as_bytes(), token.as_bytes()) {
                let r = Refusal::new(401, "ProxyTokenRequired", "send the proxy's X-Proxy-Token");
                return refusal(&r, None);
            }
        }
    }
    let Some(key) = cfg.api_key.clone() else {
        let r = Refusal::new(500, "ProxyMisconfigured", "SEEDANCE_API_KEY is not set");
        return refusal(&r, origin);
    };
    let client = header(&request, CLIENT_ID_HEADER).unwrap_or_default();
    if !visitor::client_id_ok(&client) {
        let r = Refusal::new(
            400,
            "ClientIdRequired",
            format!(
                "send a random client id of 16..=128 characters (A-Z a-z 0-9 - _ .) in {CLIENT_ID_HEADER}"
            ),
        )
        .param(CLIENT_ID_HEADER);
        return refusal(&r, origin);
    }
    *tag = visitor::log_tag(&client);
    let ip = header(&request, "CF-Connecting-IP");
    let limit_key = visitor::limit_key(cfg.limit_by, &client, ip.as_deref());
    let mut call = Call {
        store: Store::from_env(&env),
        cfg,
        key,
        client,
        limit_key,
        env,
        remote_calls: 0,
    };
    let result = match r {
        Route::Create => create(&mut call, &request).await,
        Route::Generate => return generate::generate(call, request, ctx, origin).await,
        Route::Get(id) => by_id(&call, "GET", &id).await,
        Route::Delete(id) => by_id(&call, "DELETE", &id).await,
        Route::List => list(&call, query).await,
        Route::NotFound | Route::MethodNotAllowed(_) | Route::Preflight => unreachable!(),
    };
    match result {
        Ok(resp) => answer(&resp, origin),
        Err(r) => refusal(&r, origin),
    }
}

/// Every check of a create, in order: cap, JSON, validation, policy, idempotency, limits.
/// Nothing is sent upstream unless all pass.
pub async fn admit(call: &mut Call, request: &Request) -> Result<Admission, Refusal> {
    let cfg = &call.cfg;
    let body = read_capped(request, cfg.max_body)
        .await
        .map_err(|e| match e {
            BodyError::TooLarge(n) => Refusal::new(
                413,
                "RequestBodyTooLarge",
                format!(
                    "the body ({n} bytes) is over this proxy's cap of {} bytes: send large media as https:// or asset:// URLs",
                    cfg.max_body
                ),
            ),
            BodyError::Broken(m) => Refusal::new(400, "InvalidBody", m),
        })?;
    let req: CreateTaskRequest = serde_json::from_slice(&body).map_err(|e| {
        Refusal::new(
            400,
            "InvalidParameter",
            format!(
                "the body is not a create request: {}",
                snippet(e.to_string().as_bytes(), 300)
            ),
        )
    })?;
    let outcome = validate(&req, &cfg.limits);
    if !outcome.is_ok() {
        let param = outcome
            .errors()
            .next()
            .map(|i| i.field.clone())
            .unwrap_or_default();
        let issues = outcome.issues.clone();
        let message = match outcome.into_result() {
            Err(e) => e.to_string(),
            Ok(_) => "invalid request".to_owned(),
        };
        return Err(Refusal::new(400, "InvalidParameter", message)
            .param(&param)
            .issues(&issues));
    }
    let breaches = cfg.policy.check(&req);
    if let Some(first) = breaches.first() {
        let lines: Vec<String> = breaches
            .iter()
            .map(|b| format!("{}: given {}; allowed: {}", b.field, b.given, b.allowed))
            .collect();
        return Err(Refusal::new(
            403,
            "PolicyViolation",
            format!(
                "this proxy's spend policy refuses the request: {}",
                lines.join("; ")
            ),
        )
        .param(first.field)
        .issues(&breaches));
    }
    let tokens = Policy::tokens(&req);

    let idem = header(request, "Idempotency-Key");
    if let Some(k) = &idem {
        if !idempotency::key_ok(k) {
            return Err(Refusal::new(
                400,
                "InvalidParameter",
                "Idempotency-Key must be 1..=255 printable ASCII characters without spaces",
            )
            .param("Idempotency-Key"));
        }
        let instance = call.idem_instance();
        match call
            .store(&instance, &Op::IdemBegin { key: k.clone() })
            .await?
        {
            Reply::Existing {
                record: Record::Created { id, .. },
            } => return Ok(Admission::Replay(id)),
            Reply::Existing {
                record: Record::Pending { .. },
            } => {
                return Err(Refusal::new(
                    409,
                    "IdempotencyKeyInUse",
                    "a create with this Idempotency-Key is still in flight: ask again shortly",
                )
                .retry_after_ms(1000));
            }
            Reply::Existing {
                record: Record::Unknown { .. },
            } => {
                return Err(Refusal::new(
                    409,
                    "IdempotencyOutcomeUnknown",
                    "an earlier create with this Idempotency-Key may have made a task (the \
                     server failed or its answer was lost); nothing was sent again",
                ));
            }
            _ => {}
        }
    }

    // The rate limit: Cloudflare's binding when bound, else the client's records.
    let mut limit = call.cfg.rate.limit;
    if let Some(outcome) = rate_limiter(&call.env, &call.limit_key).await {
        limit = 0;
        let refused = match outcome {
            Ok(true) => None,
            Ok(false) => Some(
                Refusal::new(
                    429,
                    "RateLimitExceeded",
                    "too many creates from this client: wait a little",
                )
                .retry_after_ms(10_000),
            ),
            Err(e) => Some(Refusal::new(503, "RateLimiterUnavailable", e).retry_after_ms(1000)),
        };
        if let Some(r) = refused {
            call.finish(idem.as_deref(), None, false).await;
            return Err(r);
        }
    }
    let op = Op::Admit {
        limit,
        window_ms: call.cfg.rate.window_ms,
        tokens,
        budget: call.cfg.policy.daily_tokens,
    };
    let instance = call.limit_key.clone();
    let refused = match call.store(&instance, &op).await {
        Ok(Reply::RateLimited { retry_after_ms }) => Some(
            Refusal::new(
                429,
                "RateLimitExceeded",
                format!(
                    "too many creates from this client (at most {} per {} s)",
                    call.cfg.rate.limit,
                    call.cfg.rate.window_ms as f64 / 1000.0
                ),
            )
            .retry_after_ms(retry_after_ms),
        ),
        Ok(Reply::OverBudget {
            used,
            budget,
            retry_after_ms,
        }) => Some(
            Refusal::new(
                429,
                "DailyBudgetExceeded",
                format!(
                    "this client's daily budget of {budget} tokens would be exceeded ({used} used, this request needs up to {tokens}); it resets at 00:00 UTC"
                ),
            )
            .retry_after_ms(retry_after_ms),
        ),
        Ok(_) => None,
        Err(r) => Some(r),
    };
    if let Some(r) = refused {
        call.finish(idem.as_deref(), None, false).await;
        return Err(r);
    }
    Ok(Admission::Go(Admitted {
        req,
        body,
        tokens,
        idem,
    }))
}

async fn create(call: &mut Call, request: &Request) -> Result<HttpResponse, Refusal> {
    let admitted = match admit(call, request).await? {
        Admission::Replay(id) => {
            let body = serde_json::to_vec(&serde_json::json!({ "id": call.wrap(&id) }))
                .expect("plain data");
            return Ok(HttpResponse {
                status: 200,
                headers: vec![
                    ("content-type".into(), "application/json".into()),
                    ("idempotent-replayed".into(), "true".into()),
                ],
                body,
            });
        }
        Admission::Go(a) => a,
    };
    let Admitted {
        req,
        body,
        tokens,
        idem,
    } = admitted;
    // Validated: the parsed copy is no longer needed; the visitor's bytes go out as sent.
    drop(req);
    let sent = upstream::send(
        &call.cfg.upstream,
        &call.key,
        "POST",
        TASKS_PATH,
        Some(&body),
    )
    .await;
    drop(body);
    let resp = match sent {
        Ok(resp) => resp,
        Err(e) => {
            call.finish(idem.as_deref(), None, true).await;
            return Err(Refusal::new(
                502,
                "UpstreamUnreachable",
                format!(
                    "the API could not be reached ({}); the create may or may not have made a task",
                    snippet(e.as_bytes(), 200)
                ),
            ));
        }
    };
    match parse_create(&resp) {
        Ok(created) => {
            call.finish(idem.as_deref(), Some(created.id.clone()), false)
                .await;
            let id = created.id;
            let body = rewrite_ids(&resp.body, |_| call.wrap(&id)).unwrap_or(resp.body);
            Ok(HttpResponse { body, ..resp })
        }
        Err(Error::OutcomeUnknown { .. }) => {
            call.finish(idem.as_deref(), None, true).await;
            Ok(resp)
        }
        Err(_) => {
            call.refund(tokens).await;
            call.finish(idem.as_deref(), None, false).await;
            Ok(resp)
        }
    }
}

fn not_found() -> Refusal {
    Refusal::new(
        404,
        "ResourceNotFound",
        "the task does not exist or was not created by this client",
    )
    .param("id")
}

async fn by_id(call: &Call, method: &str, wrapped: &str) -> Result<HttpResponse, Refusal> {
    let raw = ids::unwrap(&call.cfg.id_secret, &call.client, wrapped).ok_or_else(not_found)?;
    // Ids come from our own wrap, but a path segment is never trusted.
    let path = format!("{TASKS_PATH}/{}", seedance::protocol::percent_encode(&raw));
    let resp = forward(call, method, &path).await?;
    if method == "GET" && (200..300).contains(&resp.status) {
        if let Some(body) = rewrite_ids(&resp.body, |id| call.wrap(id)) {
            return Ok(HttpResponse { body, ..resp });
        }
    }
    Ok(resp)
}

async fn list(call: &Call, query: &str) -> Result<HttpResponse, Refusal> {
    if !call.cfg.allow_list {
        return Err(Refusal::new(
            405,
            "ListDisabled",
            "listing tasks is off on this proxy: the account's list holds every visitor's tasks (ALLOW_LIST)",
        )
        .header("Allow", "POST, OPTIONS"));
    }
    let path = if query.is_empty() {
        TASKS_PATH.to_owned()
    } else {
        format!("{TASKS_PATH}?{query}")
    };
    let resp = forward(call, "GET", &path).await?;
    if (200..300).contains(&resp.status) {
        if let Some(body) = rewrite_ids(&resp.body, |id| call.wrap(id)) {
            return Ok(HttpResponse { body, ..resp });
        }
    }
    Ok(resp)
}

async fn forward(call: &Call, method: &str, path: &str) -> Result<HttpResponse, Refusal> {
    upstream::send(&call.cfg.upstream, &call.key, method, path, None)
        .await
        .map_err(|e| {
            Refusal::new(
                502,
                "UpstreamUnreachable",
                format!(
                    "the API could not be reached ({})",
                    snippet(e.as_bytes(), 200)
                ),
            )
        })
}

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

/// Path and query of an absolute URL.
fn split_url(url: &str) -> (String, String) {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let path_start = url[after_scheme..]
        .find('/')
        .map_or(url.len(), |i| after_scheme + i);
    let rest = &url[path_start..];
    let rest = rest.split('#').next().unwrap_or("");
    match rest.split_once('?') {
        Some((p, q)) => (p.to_owned(), q.to_owned()),
        None => (
            if rest.is_empty() { "/" } else { rest }.to_owned(),
            String::new(),
        ),
    }
}

pub fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers()
        .get(name)
        .ok()
        .flatten()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// A response with these headers (and CORS ones for an allowed origin).
pub fn response(
    status: u16,
    body: Option<&[u8]>,
    headers: &[(&str, String)],
    origin: Option<&str>,
) -> Response {
    let h = Headers::new().expect("Headers");
    for (k, v) in headers {
        let _ = h.append(k, v);
    }
    if let Some(o) = origin {
        for (k, v) in cors::answer_headers(o) {
            let _ = h.set(k, &v);
        }
    }
    let init = ResponseInit::new();
    init.set_status(status);
    init.set_headers(&h);
    let mut body = body.map(<[u8]>::to_vec);
    Response::new_with_opt_u8_array_and_init(body.as_deref_mut(), &init).expect("Response")
}

pub fn refusal(r: &Refusal, origin: Option<&str>) -> Response {
    let mut headers: Vec<(&str, String)> = vec![("Content-Type", "application/json".to_owned())];
    headers.extend(r.headers.iter().map(|(k, v)| (*k, v.clone())));
    response(r.status, Some(&r.body_bytes()), &headers, origin)
}

fn answer(resp: &HttpResponse, origin: Option<&str>) -> Response {
    let headers: Vec<(&str, String)> = resp
        .headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    // 204 and 304 may carry no body.
    let body = (!matches!(resp.status, 204 | 304)).then_some(resp.body.as_slice());
    response(resp.status, body, &headers, origin)
}

fn preflight(origin: Option<&str>) -> Response {
    let headers: Vec<(&str, String)> = match origin {
        Some(o) => cors::preflight_headers(o),
        None => Vec::new(),
    };
    response(204, None, &headers, None)
}
