//! The media route's admission: whether a signed link may be served, then, step by step,
//! what to fetch and what of it goes back. Pure: the edge sends and streams.
//!
//! 1. [`admit`]: the link's signature and expiry, and the visitor when one is named (a
//!    `fetch` may send `X-Client-Id`; a `<video>` sends none, and the signature alone
//!    then stands for the visitor). Anything wrong is 403, before anything is sent.
//! 2. [`MediaFetch::pull`]: from the task as the API answers it now (a `GET` with the key:
//!    a fresh signed result URL, never one the visitor gave), the result host request:
//!    that URL, with the visitor's `Range` and nothing else (never `Authorization`).
//! 3. [`MediaFetch::relay`]: the result host's status and the headers passed back
//!    (`Content-Type`, `Content-Length`, `Content-Range`, …); its error bodies are not.
//!
//! It can only ever fetch the `video_url` or `last_frame_url` of the task the signature
//! names: it is not an open proxy.

use seedance::protocol::HttpResponse;
use serde_json::Value;

use crate::answers::Refusal;
use crate::config::Config;
use crate::media::{self, Kind};
use crate::refusals;
use crate::upstream::Upstream;
use crate::{ids, visitor};

use super::Head;

/// An admitted media request: the task lookup to send, and what the visitor asked of it.
#[derive(Debug)]
pub struct MediaFetch {
    /// `GET …/tasks/{id}` with the owner's key.
    pub task: seedance::protocol::HttpRequest,
    /// Which result.
    pub kind: Kind,
    /// `HEAD`: headers only.
    pub head_only: bool,
    /// The visitor's `Range`, when it is a plain `bytes=` range.
    pub range: Option<String>,
}

/// The request to the result host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pull {
    /// `GET` or `HEAD`.
    pub method: &'static str,
    /// The result URL, as the API signed it just now.
    pub url: String,
    /// `Range`, when the visitor sent one; no other header.
    pub range: Option<String>,
}

/// What goes back to the visitor of the result host's answer: the status and headers (the
/// body is streamed as it comes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relay {
    /// 200, 206 or 416.
    pub status: u16,
    /// The headers.
    pub headers: Vec<(&'static str, String)>,
}

/// Result host headers passed back as they come.
const PASSED: [(&str, &str); 5] = [
    ("content-length", "Content-Length"),
    ("content-range", "Content-Range"),
    ("accept-ranges", "Accept-Ranges"),
    ("etag", "ETag"),
    ("last-modified", "Last-Modified"),
];

/// Admit a request for the `kind` result of the visitor's task `wrapped`, through a link
/// whose `exp` and `sig` are in `head.query`, at `now` (unix seconds). `upstream` has the
/// owner's key.
///
/// Refusals: 404 when the route is off (`MEDIA_TTL=0`); 403 `MediaLinkInvalid` (no,
/// malformed or another link's signature), `MediaLinkExpired`, `MediaLinkNotYours` (an
/// `X-Client-Id` the link was not signed for).
pub fn admit(
    cfg: &Config,
    upstream: &Upstream,
    head: &Head,
    wrapped: &str,
    kind: Kind,
    head_only: bool,
    now: u64,
) -> Result<MediaFetch, Refusal> {
    if cfg.media_ttl == 0 {
        return Err(refusals::no_such_route());
    }
    let (exp, sig) = media::query_params(&head.query);
    let (Some(exp), Some(sig)) = (exp.and_then(|e| e.parse::<u64>().ok()), sig) else {
        return Err(refusals::media_link_invalid());
    };
    if !media::verify(&cfg.id_secret, wrapped, kind, exp, sig) {
        return Err(refusals::media_link_invalid());
    }
    if exp <= now {
        return Err(refusals::media_link_expired());
    }
    // Signed under a longer MEDIA_TTL than today's: no longer honoured.
    if exp > now.saturating_add(cfg.media_ttl) {
        return Err(refusals::media_link_invalid());
    }
    if let Some(client) = &head.client_id {
        let yours =
            visitor::client_id_ok(client) && ids::unwrap(&cfg.id_secret, client, wrapped).is_some();
        if !yours {
            return Err(refusals::media_link_not_yours());
        }
    }
    // The signature covers the whole wrapped id: the task id inside is the one signed.
    let task = ids::unverified(wrapped)
        .and_then(|raw| upstream.get(&raw))
        .ok_or_else(refusals::media_link_invalid)?;
    Ok(MediaFetch {
        task,
        kind,
        head_only,
        range: head.range.clone().filter(|r| plain_range(r)),
    })
}

/// Whether a `Range` is a plain `bytes=` range (anything else is ignored, as HTTP allows:
/// the whole object is sent).
fn plain_range(range: &str) -> bool {
    range.len() <= 100
        && range.strip_prefix("bytes=").is_some_and(|spec| {
            !spec.is_empty()
                && spec
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b"-, ".contains(&b))
        })
}

impl MediaFetch {
    /// The result host request, from the task lookup's answer (`Err`: no answer).
    ///
    /// Refusals: 502 (no answer, an unexpected status, a URL that is not http(s)); 404
    /// `ResourceNotFound` (the task is gone); 429 (the API is busy, with its
    /// `Retry-After`); 404 `MediaNotFound` (the task has no such result).
    pub fn pull(&self, answer: Result<HttpResponse, String>) -> Result<Pull, Refusal> {
        let resp = answer.map_err(|e| refusals::upstream_unreachable(&e, false))?;
        match resp.status {
            200..=299 => {}
            404 => return Err(refusals::task_not_found()),
            429 => return Err(refusals::upstream_busy(resp.header("retry-after"))),
            status => return Err(refusals::upstream_failed(status)),
        }
        let task: Value = serde_json::from_slice(&resp.body)
            .map_err(|_| refusals::upstream_failed(resp.status))?;
        let Some(url) = self.kind.url_in(&task) else {
            let status = task
                .get("status")
                .and_then(Value::as_str)
                .unwrap_or("unknown");
            return Err(refusals::media_not_found(self.kind.field(), status));
        };
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(refusals::upstream_failed(resp.status));
        }
        Ok(Pull {
            method: if self.head_only { "HEAD" } else { "GET" },
            url: url.to_owned(),
            range: self.range.clone(),
        })
    }

    /// What goes back of the result host's answer: its status (`Err`: no answer, why) and
    /// headers read through `header` (by lower-case name).
    ///
    /// Refusals: 502 `UpstreamUnreachable` for no answer, `MediaUnavailable` for any status
    /// but 200, 206 and 416 (an expired or refused signature, a missing object, a failure);
    /// its body is not passed on.
    pub fn relay(
        &self,
        answer: Result<u16, String>,
        header: impl Fn(&str) -> Option<String>,
    ) -> Result<Relay, Refusal> {
        let status = answer.map_err(|e| refusals::upstream_unreachable(&e, false))?;
        if !matches!(status, 200 | 206 | 416) {
            return Err(refusals::media_unavailable(status));
        }
        let mut headers = Vec::new();
        if status != 416 {
            // A type the result host names, if it is media; else the kind's.
            let ty = header("content-type")
                .filter(|t| t.starts_with("video/") || t.starts_with("image/"))
                .unwrap_or_else(|| self.kind.default_type().to_owned());
            headers.push(("Content-Type", ty));
        }
        for (name, shown) in PASSED {
            if let Some(v) = header(name) {
                headers.push((shown, v));
            }
        }
        headers.extend([
            ("Cache-Control", "private, max-age=3600".to_owned()),
            ("X-Content-Type-Options", "nosniff".to_owned()),
            // A page that is cross-origin isolated (COEP) may embed it too.
            ("Cross-Origin-Resource-Policy", "cross-origin".to_owned()),
            // Whatever the request's Origin: a cached answer to a <video> (no Origin, no
            // CORS headers) must not be reused for a page's fetch.
            ("Vary", "Origin".to_owned()),
        ]);
        Ok(Relay { status, headers })
    }
}

#[cfg(test)]
mod tests {
    use seedance::protocol::Method;

    use super::super::testkit::{config, shape, CLIENT, KEY};
    use super::*;
    use crate::media::Links;

    const NOW: u64 = 1_780_000_000;
    const OTHER: &str = "c-someone-else-0000";

    fn upstream(cfg: &Config) -> Upstream {
        Upstream::new(&cfg.upstream, cfg.api_key.clone().unwrap())
    }

    /// A head for `link` (the path and query of a signed link), as `client` (if any).
    fn head(link: &str, client: Option<&str>) -> Head {
        let (path, query) = link.split_once('?').unwrap_or((link, ""));
        Head {
            method: "GET".into(),
            path: path.into(),
            query: query.into(),
            client_id: client.map(str::to_owned),
            ..Head::default()
        }
    }

    /// The visitor's id for task `raw`, and the link to its `kind` result valid until `exp`.
    fn link(cfg: &Config, client: &str, raw: &str, kind: Kind, exp: u64) -> (String, String) {
        let wrapped = ids::wrap(&cfg.id_secret, client, raw);
        let url = Links::new(&cfg.id_secret, "", cfg.media_ttl).url(&wrapped, kind, exp);
        (wrapped, url)
    }

    fn admit_link(
        cfg: &Config,
        wrapped: &str,
        kind: Kind,
        h: &Head,
    ) -> Result<MediaFetch, Refusal> {
        admit(cfg, &upstream(cfg), h, wrapped, kind, false, NOW)
    }

    fn code(r: Result<MediaFetch, Refusal>) -> (u16, String) {
        let r = r.expect_err("a refusal");
        (r.status, shape(&r).1.to_owned())
    }

    #[test]
    fn a_good_link_looks_up_its_task_with_the_key() {
        let cfg = config(&[]);
        let (wrapped, url) = link(&cfg, CLIENT, "cgt-2026-a", Kind::Video, NOW + 60);
        for client in [None, Some(CLIENT)] {
            let mut h = head(&url, client);
            h.range = Some("bytes=0-99".into());
            let fetch = admit_link(&cfg, &wrapped, Kind::Video, &h).unwrap();
            assert_eq!(fetch.task.method, Method::Get);
            assert!(fetch
                .task
                .url
                .ends_with("/contents/generations/tasks/cgt-2026-a"));
            assert!(fetch
                .task
                .headers
                .contains(&("Authorization".into(), format!("Bearer {KEY}"))));
            assert_eq!(fetch.range.as_deref(), Some("bytes=0-99"));
        }
    }

    #[test]
    fn a_tampered_or_missing_signature_is_403() {
        let cfg = config(&[]);
        let (wrapped, url) = link(&cfg, CLIENT, "cgt-a", Kind::Video, NOW + 60);
        let (path, query) = url.split_once('?').unwrap();
        let (exp, sig) = media::query_params(query);
        let mut flipped = sig.unwrap().to_owned();
        flipped.replace_range(0..1, if flipped.starts_with('A') { "B" } else { "A" });
        for q in [
            format!("exp={}&sig={flipped}", exp.unwrap()),
            format!("exp={}&sig={}", NOW + 61, sig.unwrap()),
            format!("exp={}", exp.unwrap()),
            format!("sig={}", sig.unwrap()),
            format!("exp=soon&sig={}", sig.unwrap()),
            String::new(),
        ] {
            let h = head(&format!("{path}?{q}"), None);
            assert_eq!(
                code(admit_link(&cfg, &wrapped, Kind::Video, &h)),
                (403, "MediaLinkInvalid".into()),
                "{q}"
            );
        }
        // Another secret (ID_SECRET rotated) signs other links.
        let rotated = config(&[("ID_SECRET", "another-secret")]);
        assert_eq!(
            code(admit_link(
                &rotated,
                &wrapped,
                Kind::Video,
                &head(&url, None)
            )),
            (403, "MediaLinkInvalid".into())
        );
    }

    #[test]
    fn an_expired_link_is_403() {
        let cfg = config(&[]);
        for exp in [NOW, NOW - 1] {
            let (wrapped, url) = link(&cfg, CLIENT, "cgt-a", Kind::Video, exp);
            assert_eq!(
                code(admit_link(&cfg, &wrapped, Kind::Video, &head(&url, None))),
                (403, "MediaLinkExpired".into())
            );
        }
        // Signed further ahead than MEDIA_TTL allows now.
        let short = config(&[("MEDIA_TTL", "60")]);
        let (wrapped, url) = link(&short, CLIENT, "cgt-a", Kind::Video, NOW + 61);
        assert_eq!(
            code(admit_link(&short, &wrapped, Kind::Video, &head(&url, None))),
            (403, "MediaLinkInvalid".into())
        );
    }

    #[test]
    fn a_link_for_one_result_does_not_open_the_other() {
        let cfg = config(&[]);
        let (wrapped, url) = link(&cfg, CLIENT, "cgt-a", Kind::Video, NOW + 60);
        let frame = url.replace("/video?", "/last_frame?");
        assert_eq!(
            code(admit_link(
                &cfg,
                &wrapped,
                Kind::LastFrame,
                &head(&frame, None)
            )),
            (403, "MediaLinkInvalid".into())
        );
    }

    #[test]
    fn another_visitors_link_or_id_is_403() {
        let cfg = config(&[]);
        let (wrapped, url) = link(&cfg, CLIENT, "cgt-a", Kind::Video, NOW + 60);
        // The link, sent by another visitor (or with a malformed id).
        for client in [OTHER, "short"] {
            assert_eq!(
                code(admit_link(
                    &cfg,
                    &wrapped,
                    Kind::Video,
                    &head(&url, Some(client))
                )),
                (403, "MediaLinkNotYours".into())
            );
        }
        // Its signature on another visitor's id of the same task, or on another task.
        let theirs = ids::wrap(&cfg.id_secret, OTHER, "cgt-a");
        let other_task = ids::wrap(&cfg.id_secret, CLIENT, "cgt-b");
        for id in [theirs, other_task] {
            let swapped = url.replace(&wrapped, &id);
            assert_eq!(
                code(admit_link(&cfg, &id, Kind::Video, &head(&swapped, None))),
                (403, "MediaLinkInvalid".into())
            );
        }
    }

    #[test]
    fn the_route_is_off_with_media_ttl_0() {
        let on = config(&[]);
        let off = config(&[("MEDIA_TTL", "0")]);
        let (wrapped, url) = link(&on, CLIENT, "cgt-a", Kind::Video, NOW + 60);
        assert_eq!(
            code(admit_link(&off, &wrapped, Kind::Video, &head(&url, None))),
            (404, "NotFound".into())
        );
    }

    #[test]
    fn only_plain_byte_ranges_are_passed_on() {
        for ok in ["bytes=0-99", "bytes=100-", "bytes=-500", "bytes=0-1, 5-6"] {
            assert!(plain_range(ok), "{ok}");
        }
        for bad in [
            "bytes=",
            "items=0-1",
            "bytes=0-1\r\nX-Evil: 1",
            &format!("bytes={}", "1".repeat(100)),
        ] {
            assert!(!plain_range(bad), "{bad}");
        }
    }

    fn fetch(kind: Kind, head_only: bool) -> MediaFetch {
        let cfg = config(&[]);
        MediaFetch {
            task: upstream(&cfg).get("cgt-a").unwrap(),
            kind,
            head_only,
            range: Some("bytes=0-99".into()),
        }
    }

    fn answer(status: u16, body: &str) -> Result<HttpResponse, String> {
        Ok(HttpResponse {
            status,
            headers: vec![("retry-after".into(), "7".into())],
            body: body.as_bytes().to_vec(),
        })
    }

    const DONE: &str = r#"{"id":"cgt-a","status":"succeeded","content":{"video_url":"https://tos.example/cgt-a.mp4?X-Tos-Signature=s"}}"#;

    #[test]
    fn the_result_host_gets_the_fresh_url_and_the_range_only() {
        let pull = fetch(Kind::Video, false).pull(answer(200, DONE)).unwrap();
        assert_eq!(
            pull,
            Pull {
                method: "GET",
                url: "https://tos.example/cgt-a.mp4?X-Tos-Signature=s".into(),
                range: Some("bytes=0-99".into()),
            }
        );
        assert_eq!(
            fetch(Kind::Video, true)
                .pull(answer(200, DONE))
                .unwrap()
                .method,
            "HEAD"
        );
    }

    #[test]
    fn a_task_without_such_a_result_is_404() {
        let r = fetch(Kind::LastFrame, false)
            .pull(answer(200, DONE))
            .unwrap_err();
        assert_eq!(shape(&r), (404, "MediaNotFound", None));
        assert!(r.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("succeeded"));
        let running = r#"{"id":"cgt-a","status":"running"}"#;
        let r = fetch(Kind::Video, false)
            .pull(answer(200, running))
            .unwrap_err();
        assert_eq!(shape(&r), (404, "MediaNotFound", None));
        assert!(
            !r.body.to_string().contains("cgt-a"),
            "the account's id is not shown"
        );
    }

    #[test]
    fn lookup_failures_are_named_without_the_accounts_answer() {
        let f = fetch(Kind::Video, false);
        let gone = r#"{"error":{"code":"ResourceNotFound","message":"task cgt-a not found"}}"#;
        let cases = [
            (answer(404, gone), (404, "ResourceNotFound", None)),
            (answer(429, "{}"), (429, "RateLimitExceeded", Some("7"))),
            (answer(500, "oops cgt-a"), (502, "UpstreamError", None)),
            (answer(200, "<html>"), (502, "UpstreamError", None)),
            (Err("dns".to_owned()), (502, "UpstreamUnreachable", None)),
        ];
        for (sent, want) in cases {
            let r = f.pull(sent).unwrap_err();
            assert_eq!(shape(&r), want);
            assert!(!r.body.to_string().contains("cgt-a"));
        }
        let odd = r#"{"id":"cgt-a","content":{"video_url":"file:///etc/passwd"}}"#;
        assert_eq!(f.pull(answer(200, odd)).unwrap_err().status, 502);
    }

    #[test]
    fn the_result_hosts_answer_is_relayed_with_its_range_headers() {
        let f = fetch(Kind::Video, false);
        let headers = |name: &str| match name {
            "content-type" => Some("video/mp4".to_owned()),
            "content-length" => Some("100".to_owned()),
            "content-range" => Some("bytes 0-99/5000".to_owned()),
            "x-tos-request-id" => Some("tos-1".to_owned()),
            _ => None,
        };
        let relay = f.relay(Ok(206), headers).unwrap();
        assert_eq!(relay.status, 206);
        let get = |n: &str| {
            relay
                .headers
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("Content-Type"), Some("video/mp4"));
        assert_eq!(get("Content-Length"), Some("100"));
        assert_eq!(get("Content-Range"), Some("bytes 0-99/5000"));
        assert_eq!(get("X-Content-Type-Options"), Some("nosniff"));
        assert_eq!(get("Vary"), Some("Origin"));
        assert!(!relay
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("x-tos-request-id")));
        // A type that is not media is not passed on.
        let html = |n: &str| (n == "content-type").then(|| "text/html".to_owned());
        let relay = fetch(Kind::LastFrame, false).relay(Ok(200), html).unwrap();
        assert!(relay
            .headers
            .contains(&("Content-Type", "image/png".into())));
        assert_eq!(f.relay(Ok(416), |_| None).unwrap().status, 416);
        for status in [403, 404, 500, 302] {
            let r = f.relay(Ok(status), |_| None).unwrap_err();
            assert_eq!(shape(&r), (502, "MediaUnavailable", None));
        }
        let r = f.relay(Err("reset".into()), |_| None).unwrap_err();
        assert_eq!(shape(&r), (502, "UpstreamUnreachable", None));
    }
}
