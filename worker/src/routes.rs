//! Which routes exist: the four task routes and `generate` under the API prefix, and
//! nothing else. The Worker is not an open proxy.

use seedance::protocol::TASKS_PATH;

/// What a request asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `POST {prefix}/contents/generations/tasks`.
    Create,
    /// `GET {prefix}/contents/generations/tasks` (off unless `ALLOW_LIST`).
    List,
    /// `GET {prefix}/contents/generations/tasks/{id}`.
    Get(String),
    /// `DELETE {prefix}/contents/generations/tasks/{id}`.
    Delete(String),
    /// `POST {prefix}/generate`: create and wait at the edge, progress as server-sent events.
    Generate,
    /// `OPTIONS` on any of the above.
    Preflight,
    /// No such route: 404.
    NotFound,
    /// A route that exists, with another method: 405 with this `Allow`.
    MethodNotAllowed(&'static str),
}

/// Match a method and a URL path (no query) against the routes.
///
/// ```
/// use seedance_worker::routes::{route, Route};
/// assert_eq!(route("POST", "/api/v3/contents/generations/tasks", "/api/v3"), Route::Create);
/// assert_eq!(route("GET", "/api/v3/contents/generations/tasks/cgt-x", "/api/v3"), Route::Get("cgt-x".into()));
/// assert_eq!(route("GET", "/admin", "/api/v3"), Route::NotFound);
/// ```
pub fn route(method: &str, path: &str, prefix: &str) -> Route {
    let Some(rest) = path.strip_prefix(prefix) else {
        return Route::NotFound;
    };
    let method = method.to_ascii_uppercase();
    let preflight = method == "OPTIONS";
    if rest == TASKS_PATH {
        return match method.as_str() {
            _ if preflight => Route::Preflight,
            "POST" => Route::Create,
            "GET" => Route::List,
            _ => Route::MethodNotAllowed("GET, POST, OPTIONS"),
        };
    }
    if rest == "/generate" {
        return match method.as_str() {
            _ if preflight => Route::Preflight,
            "POST" => Route::Generate,
            _ => Route::MethodNotAllowed("POST, OPTIONS"),
        };
    }
    if let Some(id) = rest
        .strip_prefix(TASKS_PATH)
        .and_then(|r| r.strip_prefix('/'))
    {
        if id.is_empty() || id.contains('/') || id == "." || id == ".." {
            return Route::NotFound;
        }
        return match method.as_str() {
            _ if preflight => Route::Preflight,
            "GET" => Route::Get(id.to_owned()),
            "DELETE" => Route::Delete(id.to_owned()),
            _ => Route::MethodNotAllowed("GET, DELETE, OPTIONS"),
        };
    }
    Route::NotFound
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: &str = "/api/v3";

    #[test]
    fn the_four_task_routes_and_generate() {
        let t = "/api/v3/contents/generations/tasks";
        assert_eq!(route("POST", t, P), Route::Create);
        assert_eq!(route("GET", t, P), Route::List);
        assert_eq!(route("GET", &format!("{t}/a"), P), Route::Get("a".into()));
        assert_eq!(
            route("DELETE", &format!("{t}/a"), P),
            Route::Delete("a".into())
        );
        assert_eq!(route("POST", "/api/v3/generate", P), Route::Generate);
        assert_eq!(route("OPTIONS", t, P), Route::Preflight);
    }

    #[test]
    fn everything_else_is_refused() {
        let t = "/api/v3/contents/generations/tasks";
        for path in [
            "/",
            "/api/v3",
            "/api/v3/",
            "/api/v3/models",
            "/api/v3/contents/generations/tasks/",
            "/api/v3/contents/generations/tasks/a/b",
            "/api/v3/contents/generations/tasks/..",
            "/api/v3/contents/generations/tasksx",
            "/v1/videos",
            "/seedance/api/v3/contents/generations/tasks",
        ] {
            assert_eq!(route("GET", path, P), Route::NotFound, "{path}");
            assert_eq!(route("OPTIONS", path, P), Route::NotFound, "{path}");
        }
        assert!(matches!(route("PUT", t, P), Route::MethodNotAllowed(_)));
        assert!(matches!(
            route("POST", &format!("{t}/a"), P),
            Route::MethodNotAllowed(_)
        ));
        assert!(matches!(
            route("GET", "/api/v3/generate", P),
            Route::MethodNotAllowed(_)
        ));
    }
}
