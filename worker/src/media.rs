//! Signed media links: how a page on another origin reads the bytes of its own results.
//!
//! The result host (the provider's object storage) may send no CORS headers, and a
//! `<video>` or a `fetch` of media sends no `X-Client-Id`, so the Worker hands each visitor,
//! beside every task it passes back, links to its own `media` route, signed for that
//! visitor, task, result and expiry:
//!
//! `{worker}{prefix}/media/{wrapped id}/{video|last_frame}?exp={unix}&sig={tag}`
//!
//! `tag` is an HMAC-SHA256 under `ID_SECRET` of the wrapped id (itself an HMAC of the
//! client id and the task id: the link names the visitor and the task), the kind and `exp`.
//! A link expires no later than the result URL it stands for (`X-Tos-Date` +
//! `X-Tos-Expires`) and at most `MEDIA_TTL` seconds after it was signed.
//!
//! Pure: this module signs and checks; `admission::media` decides what a request on the
//! route may do; `edge` streams.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{json, Map, Value};
use sha2::Sha256;

use seedance::types::signed_url_expires_at;

type HmacSha256 = Hmac<Sha256>;

const MAC_BYTES: usize = 16;
const DOMAIN: &[u8] = b"seedance-worker/media/v1\0";

/// The task field whose links the JSON a visitor gets carries (`task.proxy`).
pub const FIELD: &str = "proxy";

/// A task's result that the media route relays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `content.video_url`: the MP4.
    Video,
    /// `content.last_frame_url`: the PNG, when `return_last_frame` was set.
    LastFrame,
}

impl Kind {
    /// Both kinds, in the order the links are listed.
    pub const ALL: [Kind; 2] = [Kind::Video, Kind::LastFrame];

    /// The kind's path segment: `video` or `last_frame`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Video => "video",
            Kind::LastFrame => "last_frame",
        }
    }

    /// The kind named by a path segment.
    ///
    /// ```
    /// use seedance_worker::media::Kind;
    /// assert_eq!(Kind::parse("last_frame"), Some(Kind::LastFrame));
    /// assert_eq!(Kind::parse("audio"), None);
    /// ```
    pub fn parse(segment: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == segment)
    }

    /// The field of the task's `content` holding the result URL (and of `proxy` holding
    /// the link): `video_url` or `last_frame_url`.
    pub fn field(self) -> &'static str {
        match self {
            Kind::Video => "video_url",
            Kind::LastFrame => "last_frame_url",
        }
    }

    /// The content type to answer with when the result host names none usable.
    pub fn default_type(self) -> &'static str {
        match self {
            Kind::Video => "video/mp4",
            Kind::LastFrame => "image/png",
        }
    }

    /// The result URL of this kind in a task's JSON.
    pub fn url_in(self, task: &Value) -> Option<&str> {
        task.get("content")?.get(self.field())?.as_str()
    }
}

fn mac(secret: &[u8], wrapped: &str, kind: Kind, exp: u64) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret).expect("any key length");
    mac.update(DOMAIN);
    mac.update(&(wrapped.len() as u64).to_be_bytes());
    mac.update(wrapped.as_bytes());
    mac.update(kind.as_str().as_bytes());
    mac.update(b"\0");
    mac.update(&exp.to_be_bytes());
    mac
}

/// The signature of a link to the `kind` result of the task `wrapped` (a visitor's id),
/// valid until `exp` (unix seconds).
///
/// ```
/// use seedance_worker::media::{sign, verify, Kind};
/// let sig = sign(b"secret", "cgt-abc.def", Kind::Video, 1_800_000_000);
/// assert!(verify(b"secret", "cgt-abc.def", Kind::Video, 1_800_000_000, &sig));
/// assert!(!verify(b"secret", "cgt-abc.def", Kind::LastFrame, 1_800_000_000, &sig));
/// ```
pub fn sign(secret: &[u8], wrapped: &str, kind: Kind, exp: u64) -> String {
    let tag = mac(secret, wrapped, kind, exp).finalize().into_bytes();
    B64.encode(&tag[..MAC_BYTES])
}

/// Whether `sig` is the signature of this link (compared in constant time).
pub fn verify(secret: &[u8], wrapped: &str, kind: Kind, exp: u64, sig: &str) -> bool {
    match B64.decode(sig) {
        Ok(tag) if tag.len() == MAC_BYTES => mac(secret, wrapped, kind, exp)
            .verify_truncated_left(&tag)
            .is_ok(),
        _ => false,
    }
}

/// What signs the links of one visitor's tasks: the secret, the Worker's own URL with its
/// prefix, and the longest life of a link.
#[derive(Clone, Debug)]
pub struct Links {
    secret: Vec<u8>,
    base: String,
    ttl_secs: u64,
}

impl Links {
    /// Links under `base` (`https://worker.example/api/v3`), signed with `secret`, living
    /// at most `ttl_secs`.
    pub fn new(secret: &[u8], base: &str, ttl_secs: u64) -> Links {
        Links {
            secret: secret.to_vec(),
            base: base.trim_end_matches('/').to_owned(),
            ttl_secs,
        }
    }

    /// The signed link to the `kind` result of the task `wrapped`, valid until `exp`.
    pub fn url(&self, wrapped: &str, kind: Kind, exp: u64) -> String {
        let sig = sign(&self.secret, wrapped, kind, exp);
        format!(
            "{}/media/{wrapped}/{}?exp={exp}&sig={sig}",
            self.base,
            kind.as_str()
        )
    }

    /// When a link to `result_url` signed at `now` expires: at most `ttl_secs` on, and no
    /// later than the result URL itself when it says (`X-Tos-Date` + `X-Tos-Expires`).
    /// `None` when the result URL has already expired.
    pub fn expiry(&self, result_url: &str, now: u64) -> Option<u64> {
        let cap = now.saturating_add(self.ttl_secs);
        let exp = match signed_url_expires_at(result_url) {
            Some(at) => cap.min(u64::try_from(at).unwrap_or(0)),
            None => cap,
        };
        (exp > now).then_some(exp)
    }

    /// Add to a task's JSON (already showing the visitor's id `wrapped`) a `proxy` object
    /// with a signed link for each result it has, and `expires_at`, the earliest expiry
    /// among them. Nothing else of the task changes; a task without results gets nothing.
    ///
    /// ```
    /// use seedance_worker::media::Links;
    /// let links = Links::new(b"k", "https://w.example/api/v3", 86_400);
    /// let mut task = serde_json::json!({"id": "cgt-w.x", "status": "succeeded",
    ///     "content": {"video_url": "https://tos.example/a.mp4?X-Tos-Date=20260606T160311Z&X-Tos-Expires=86400"}});
    /// links.annotate(&mut task, "cgt-w.x", 1_780_761_791);
    /// let link = task["proxy"]["video_url"].as_str().unwrap();
    /// assert!(link.starts_with("https://w.example/api/v3/media/cgt-w.x/video?exp=1780848191&sig="));
    /// assert_eq!(task["proxy"]["expires_at"], 1_780_848_191);
    /// assert!(task["proxy"].get("last_frame_url").is_none());
    /// ```
    pub fn annotate(&self, task: &mut Value, wrapped: &str, now: u64) {
        let mut proxy = Map::new();
        let mut earliest: Option<u64> = None;
        for kind in Kind::ALL {
            let Some(exp) = kind.url_in(task).and_then(|url| self.expiry(url, now)) else {
                continue;
            };
            proxy.insert(kind.field().into(), self.url(wrapped, kind, exp).into());
            earliest = Some(earliest.map_or(exp, |e| e.min(exp)));
        }
        if let (Some(at), Some(obj)) = (earliest, task.as_object_mut()) {
            proxy.insert("expires_at".into(), json!(at));
            obj.insert(FIELD.into(), Value::Object(proxy));
        }
    }
}

/// `exp` and `sig` of a link's query (the last of each; other parameters are ignored).
pub fn query_params(query: &str) -> (Option<&str>, Option<&str>) {
    let mut exp = None;
    let mut sig = None;
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("exp", v)) => exp = Some(v),
            Some(("sig", v)) => sig = Some(v),
            _ => {}
        }
    }
    (exp, sig)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RESULT: &str =
        "https://tos.example/a.mp4?X-Tos-Date=20260606T160311Z&X-Tos-Expires=86400";
    const RESULT_EXPIRES: u64 = 1_780_848_191;

    #[test]
    fn a_signature_names_the_task_the_kind_and_the_expiry() {
        let sig = sign(b"k", "cgt-a.b", Kind::Video, 100);
        assert_eq!(sig.len(), 22);
        assert!(verify(b"k", "cgt-a.b", Kind::Video, 100, &sig));
        assert!(!verify(b"k2", "cgt-a.b", Kind::Video, 100, &sig));
        assert!(!verify(b"k", "cgt-a.c", Kind::Video, 100, &sig));
        assert!(!verify(b"k", "cgt-a.b", Kind::LastFrame, 100, &sig));
        assert!(!verify(b"k", "cgt-a.b", Kind::Video, 101, &sig));
        assert!(!verify(b"k", "cgt-a.b", Kind::Video, 100, &sig[..20]));
        assert!(!verify(b"k", "cgt-a.b", Kind::Video, 100, "not base64!"));
    }

    #[test]
    fn a_link_lives_no_longer_than_its_result_url_nor_the_ttl() {
        let links = Links::new(b"k", "https://w.example/api/v3/", 3600);
        // Far from the result URL's end: the TTL decides.
        let early = RESULT_EXPIRES - 80_000;
        assert_eq!(links.expiry(RESULT, early), Some(early + 3600));
        // Near it: the result URL decides.
        assert_eq!(
            links.expiry(RESULT, RESULT_EXPIRES - 60),
            Some(RESULT_EXPIRES)
        );
        // Past it: no link.
        assert_eq!(links.expiry(RESULT, RESULT_EXPIRES), None);
        // A URL that does not say: the TTL.
        assert_eq!(links.expiry("https://h/x.mp4", 10), Some(3610));
        let url = links.url("cgt-a.b", Kind::LastFrame, 99);
        assert!(
            url.starts_with("https://w.example/api/v3/media/cgt-a.b/last_frame?exp=99&sig="),
            "{url}"
        );
    }

    #[test]
    fn annotate_adds_one_link_per_result_and_nothing_else() {
        let links = Links::new(b"k", "https://w.example/api/v3", 86_400);
        let now = RESULT_EXPIRES - 86_400;
        let frame = "https://tos.example/a.png?X-Tos-Date=20260606T160311Z&X-Tos-Expires=600";
        let mut task = json!({"id": "cgt-w.x", "status": "succeeded", "seed": 7,
            "content": {"video_url": RESULT, "last_frame_url": frame}});
        let before = task.clone();
        links.annotate(&mut task, "cgt-w.x", now);
        let proxy = task.as_object_mut().unwrap().remove(FIELD).unwrap();
        assert_eq!(task, before, "the task is otherwise untouched");
        assert_eq!(proxy["expires_at"], now + 600);
        for kind in Kind::ALL {
            let link = proxy[kind.field()].as_str().unwrap();
            let (path, query) = link.split_once('?').unwrap();
            assert!(path.ends_with(&format!("/media/cgt-w.x/{}", kind.as_str())));
            let (exp, sig) = query_params(query);
            let exp: u64 = exp.unwrap().parse().unwrap();
            assert!(verify(b"k", "cgt-w.x", kind, exp, sig.unwrap()));
        }
        // A task without results (queued, failed) gets no `proxy`.
        for mut t in [
            json!({"id": "x", "status": "queued"}),
            json!({"id": "x", "content": {}}),
        ] {
            let before = t.clone();
            links.annotate(&mut t, "x", now);
            assert_eq!(t, before);
        }
    }

    #[test]
    fn query_params_take_exp_and_sig() {
        assert_eq!(query_params("exp=5&sig=ab&x=1"), (Some("5"), Some("ab")));
        assert_eq!(query_params(""), (None, None));
        assert_eq!(query_params("sig"), (None, None));
    }
}
