//! The requests the Worker sends upstream, built by the core's [`Endpoint`] with the
//! owner's [`ApiKey`]: the URL, `Accept`, `Content-Type` and `Authorization` are the
//! crate's, as for every other client. Nothing of the visitor's request goes along but a
//! create's body, as its bytes were sent.
//!
//! Pure: `edge` sends what this builds.

use seedance::protocol::{Endpoint, HttpRequest, ListQuery};
use seedance::{ApiKey, CreateTaskRequest, Model};

/// The upstream API, with the owner's key.
#[derive(Clone, Debug)]
pub struct Upstream {
    endpoint: Endpoint,
    key: ApiKey,
}

impl Upstream {
    /// `base` (the configured URL, without a key) with `key`.
    pub fn new(base: &Endpoint, key: ApiKey) -> Upstream {
        Upstream {
            endpoint: base.clone().with_key(key.clone()),
            key,
        }
    }

    /// The key (for the crate's `Client` in the `generate` route).
    pub fn key(&self) -> &ApiKey {
        &self.key
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.endpoint.base_url()
    }

    /// `POST …/tasks` carrying the visitor's `body` as it was sent: never decoded and
    /// re-encoded, so what the upstream bills is exactly what was validated.
    ///
    /// How: [`Endpoint::create`] makes the URL and headers, but it serialises the request
    /// it is given; it gets a one-word stand-in (nothing it adds depends on the body's
    /// contents) and the stand-in's body is then replaced by the visitor's, moved, not
    /// copied. The body is text because `admission` checked it is UTF-8 JSON.
    ///
    /// ```
    /// use seedance::{protocol::Endpoint, ApiKey};
    /// use seedance_worker::upstream::Upstream;
    /// let up = Upstream::new(&Endpoint::default(), ApiKey::new("sk-test").unwrap());
    /// let body = r#"{ "model":"m",  "content":[] }"#.to_owned();
    /// let req = up.create(body.clone());
    /// assert_eq!(req.body, Some(body));
    /// assert!(req.headers.contains(&("Authorization".into(), "Bearer sk-test".into())));
    /// ```
    pub fn create(&self, body: String) -> HttpRequest {
        let stand_in = CreateTaskRequest::text_to_video(Model::Fast, "-");
        // `let else`, not `expect`: the error's `Debug` would cost bundle size.
        let Ok(request) = self.endpoint.create(&stand_in, None) else {
            unreachable!("a stand-in request encodes")
        };
        HttpRequest {
            body: Some(body),
            ..request
        }
    }

    /// `GET …/tasks/{id}` (`None` for an id that can't be a path segment).
    pub fn get(&self, task_id: &str) -> Option<HttpRequest> {
        self.endpoint.get(task_id).ok()
    }

    /// `DELETE …/tasks/{id}` (`None` for an id that can't be a path segment).
    pub fn delete(&self, task_id: &str) -> Option<HttpRequest> {
        self.endpoint.delete(task_id).ok()
    }

    /// `GET …/tasks?{query}`, the visitor's query passed on as it came.
    pub fn list(&self, query: &str) -> HttpRequest {
        let Ok(mut request) = self.endpoint.list(&ListQuery::default()) else {
            unreachable!("an empty query is valid")
        };
        if !query.is_empty() {
            request.url.push('?');
            request.url.push_str(query);
        }
        request
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use seedance::protocol::Method;

    fn up() -> Upstream {
        let base = Endpoint::new("http://127.0.0.1:9/seedance/api/v3/").unwrap();
        Upstream::new(&base, ApiKey::new("sk-test-1234").unwrap())
    }

    #[test]
    fn a_create_carries_the_visitors_bytes_and_the_crates_headers() {
        // Odd spacing, key order and an escape: re-encoding would change every one.
        let body =
            "{\"content\":[{\"type\":\"text\",\"text\":\"caf\\u00e9\"}],\n  \"model\" : \"m\"}";
        let req = up().create(body.to_owned());
        assert_eq!(req.method, Method::Post);
        assert_eq!(
            req.url,
            "http://127.0.0.1:9/seedance/api/v3/contents/generations/tasks"
        );
        assert_eq!(req.body.as_deref(), Some(body));
        let names: Vec<&str> = req.headers.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["Accept", "Content-Type", "Authorization"]);
        assert!(req
            .headers
            .contains(&("Authorization".into(), "Bearer sk-test-1234".into())));
    }

    #[test]
    fn task_routes_encode_the_id_and_pass_the_list_query() {
        let up = up();
        let get = up.get("cgt-1/../x").unwrap();
        assert_eq!(get.method, Method::Get);
        assert!(get.url.ends_with("/tasks/cgt-1%2F..%2Fx"), "{}", get.url);
        assert!(get.body.is_none());
        assert_eq!(up.delete("cgt-1").unwrap().method, Method::Delete);
        assert!(up.get("..").is_none() && up.delete("").is_none());
        assert!(up.list("").url.ends_with("/contents/generations/tasks"));
        assert!(up
            .list("page_size=5&filter.status=queued")
            .url
            .ends_with("/tasks?page_size=5&filter.status=queued"));
    }
}
