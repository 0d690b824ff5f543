//! The object store stand-in: serves signed result URLs `/tos/<task-id>.mp4|png`.
//!
//! Like TOS it refuses a request that carries an `Authorization` header next to a query
//! signature (400 `InvalidArgument`), refuses unsigned, tampered or expired URLs (403), and
//! answers errors as JSON `{"Code","Message","RequestId","HostId","Resource"}` (TOS's own API
//! speaks JSON, unlike S3's XML). Single byte ranges are served (206) so a `<video>` can seek.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde_json::json;

use crate::reqlog::Trace;
use crate::shared::{lock, AppState};
use crate::sign::Denied;
use crate::{clock, ids};

/// `GET /tos/{file}` (HEAD too).
pub async fn serve(
    State(st): State<Arc<AppState>>,
    Path(file): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    trace: Option<Extension<Trace>>,
) -> Response {
    let request_id = trace.map(|t| t.0.request_id).unwrap_or_default();
    let resource = format!("/tos/{file}");
    let err = |status: StatusCode, code: &str, message: &str| {
        let body = json!({
            "Code": code,
            "Message": message,
            "RequestId": request_id,
            "HostId": "seedance-sim",
            "Resource": resource,
        });
        let mut r = crate::ark::json_response(status, &body);
        if let Ok(v) = HeaderValue::from_str(&request_id) {
            r.headers_mut().insert("x-tos-request-id", v);
        }
        r
    };

    if headers.contains_key(header::AUTHORIZATION) {
        return err(
            StatusCode::BAD_REQUEST,
            "InvalidArgument",
            "Only one auth mechanism allowed; only the X-Tos-Signature query parameter or the Authorization header should be specified",
        );
    }
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    match st.signer.verify(&resource, &pairs, clock::now_secs()) {
        Ok(()) => {}
        Err(Denied::Unsigned) => {
            return err(
                StatusCode::FORBIDDEN,
                "AccessDenied",
                "Access Denied: the request is not signed",
            )
        }
        Err(Denied::BadSignature) => {
            return err(
                StatusCode::FORBIDDEN,
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.",
            )
        }
        Err(Denied::Expired) => {
            return err(StatusCode::FORBIDDEN, "AccessDenied", "Request has expired")
        }
    }

    let (id, kind) = match file.rsplit_once('.') {
        Some((id, "mp4")) if ids::is_task_id(id) => (id, "video/mp4"),
        Some((id, "png")) if ids::is_task_id(id) => (id, "image/png"),
        _ => {
            return err(
                StatusCode::NOT_FOUND,
                "NoSuchKey",
                "The specified key does not exist.",
            )
        }
    };
    let Some(clip) = lock(&st.objects).get(id).copied() else {
        return err(
            StatusCode::NOT_FOUND,
            "NoSuchKey",
            "The specified key does not exist.",
        );
    };
    let bytes = if kind == "video/mp4" {
        clip.mp4(id)
    } else {
        clip.last_frame_png(id)
    };
    ranged(bytes, kind, headers.get(header::RANGE))
}

/// Answer 200 with the whole object, or 206 for one satisfiable `bytes=` range.
fn ranged(bytes: Vec<u8>, kind: &'static str, range: Option<&HeaderValue>) -> Response {
    let len = bytes.len() as u64;
    let mut resp = match range
        .and_then(|r| r.to_str().ok())
        .and_then(|r| parse_range(r, len))
    {
        Some((start, end)) => {
            let slice = bytes[start as usize..=end as usize].to_vec();
            let mut r = (StatusCode::PARTIAL_CONTENT, slice).into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("bytes {start}-{end}/{len}")) {
                r.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            r
        }
        None if range.is_some() => {
            let mut r = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{len}")) {
                r.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            return r;
        }
        None => (StatusCode::OK, bytes).into_response(),
    };
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400"),
    );
    resp
}

/// `bytes=a-b`, `bytes=a-` or `bytes=-n` → inclusive (start, end); `None` if unsatisfiable.
fn parse_range(v: &str, len: u64) -> Option<(u64, u64)> {
    let spec = v.strip_prefix("bytes=")?.trim();
    if spec.contains(',') || len == 0 {
        return None;
    }
    let (a, b) = spec.split_once('-')?;
    let (start, end) = match (a.trim(), b.trim()) {
        ("", n) => {
            let n: u64 = n.parse().ok()?;
            (len.saturating_sub(n), len - 1)
        }
        (s, "") => (s.parse().ok()?, len - 1),
        (s, e) => (s.parse().ok()?, e.parse::<u64>().ok()?.min(len - 1)),
    };
    (start <= end && start < len).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::parse_range;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=0-", 10), Some((0, 9)));
        assert_eq!(parse_range("bytes=2-4", 10), Some((2, 4)));
        assert_eq!(parse_range("bytes=-3", 10), Some((7, 9)));
        assert_eq!(parse_range("bytes=5-100", 10), Some((5, 9)));
        assert_eq!(parse_range("bytes=10-", 10), None);
        assert_eq!(parse_range("bytes=0-1,3-4", 10), None);
    }
}
