//! CORS: which origins may read which answers.
//!
//! API routes: any `http(s)://localhost:*` / `127.0.0.1:*` / `[::1]:*` origin is echoed
//! (a browser page on another local port can use the simulator), unless CORS is off — the
//! reseller is reported to answer without CORS headers, and `--no-cors` reproduces that
//! (preflights then get the router's plain 405). Signed media (`/tos/`) always answers
//! `Access-Control-Allow-Origin: *`, right for a public signed object. The control API
//! always allows local origins so browser tests can read the request log.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::shared::AppState;

const API_METHODS: &str = "GET, POST, DELETE, OPTIONS";
const TOS_METHODS: &str = "GET, HEAD, OPTIONS";
const BASE_HEADERS: &str = "Authorization, Content-Type, Idempotency-Key, X-Client-Id";
const API_EXPOSE: &str = "X-Request-Id, Retry-After, X-Client-Request-Id";
const TOS_EXPOSE: &str = "X-Request-Id, Content-Length, Content-Range, Accept-Ranges, ETag";

/// Whether `origin` is a page served from this machine.
pub fn is_local_origin(origin: &str) -> bool {
    let Some(rest) = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
    else {
        return false;
    };
    let host = if rest.starts_with("[::1]") {
        "[::1]"
    } else {
        rest.split(':').next().unwrap_or("")
    };
    let port_ok = rest[host.len()..]
        .strip_prefix(':')
        .is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    matches!(host, "localhost" | "127.0.0.1" | "[::1]") && (rest.len() == host.len() || port_ok)
}

/// See the module doc.
pub async fn cors(State(st): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let tos = path.starts_with("/tos/");
    let control = path.starts_with("/_sim");
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let allow: Option<String> = if tos {
        Some("*".to_owned())
    } else if control || st.runtime().cors {
        origin.filter(|o| is_local_origin(o))
    } else {
        None
    };
    let Some(allow) = allow else {
        return next.run(req).await;
    };
    let (methods, expose) = if tos {
        (TOS_METHODS, TOS_EXPOSE)
    } else {
        (API_METHODS, API_EXPOSE)
    };

    let is_preflight = req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    if is_preflight {
        let requested = req
            .headers()
            .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let headers = if requested.trim().is_empty() {
            BASE_HEADERS.to_owned()
        } else {
            format!("{BASE_HEADERS}, {requested}")
        };
        let mut resp = StatusCode::NO_CONTENT.into_response();
        let h = resp.headers_mut();
        set(h, header::ACCESS_CONTROL_ALLOW_ORIGIN, &allow);
        set(h, header::ACCESS_CONTROL_ALLOW_METHODS, methods);
        set(h, header::ACCESS_CONTROL_ALLOW_HEADERS, &headers);
        set(h, header::ACCESS_CONTROL_MAX_AGE, "600");
        set(
            h,
            header::VARY,
            "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
        );
        return resp;
    }

    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    set(h, header::ACCESS_CONTROL_ALLOW_ORIGIN, &allow);
    set(h, header::ACCESS_CONTROL_EXPOSE_HEADERS, expose);
    if allow != "*" {
        set(h, header::VARY, "Origin");
    }
    resp
}

fn set(h: &mut HeaderMap, name: header::HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        h.insert(name, v);
    }
}

#[cfg(test)]
mod tests {
    use super::is_local_origin;

    #[test]
    fn local_origins() {
        for o in [
            "http://localhost:8080",
            "http://127.0.0.1:1",
            "http://localhost",
            "https://[::1]:3000",
        ] {
            assert!(is_local_origin(o), "{o}");
        }
        for o in [
            "http://example.com",
            "http://localhost.evil.com",
            "http://127.0.0.1.nip.io:80",
            "null",
            "http://localhost:",
        ] {
            assert!(!is_local_origin(o), "{o}");
        }
    }
}
