//! The sans-IO protocol: the requests we build, and every answer shape the server (or a
//! proxy in front of it) can give, parsed without a network.

use std::time::Duration;

use seedance::protocol::*;
use seedance::*;
use serde_json::json;

fn endpoint() -> Endpoint {
    Endpoint::new("http://127.0.0.1:8787/seedance/api/v3/")
        .unwrap()
        .with_key(ApiKey::new("sk-live-0123456789abcdef").unwrap())
}

fn resp(status: u16, headers: &[(&str, &str)], body: &str) -> HttpResponse {
    HttpResponse {
        status,
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: body.as_bytes().to_vec(),
    }
}

fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn api(err: Error) -> ApiError {
    match err {
        Error::Api(e) => *e,
        other => panic!("expected an API error, got {other:?}"),
    }
}

// ---- building requests ----

#[test]
fn create_request() {
    let req = CreateTaskRequest::text_to_video(Model::Fast, "waves").with_audio(false);
    let http = endpoint().create(&req, None).unwrap();
    assert_eq!(http.method, Method::Post);
    assert_eq!(http.operation, Operation::Create);
    assert_eq!(
        http.url,
        "http://127.0.0.1:8787/seedance/api/v3/contents/generations/tasks"
    );
    assert_eq!(
        header(&http, "authorization"),
        Some("Bearer sk-live-0123456789abcdef")
    );
    assert_eq!(header(&http, "content-type"), Some("application/json"));
    assert_eq!(header(&http, "idempotency-key"), None);
    let body: serde_json::Value = serde_json::from_str(http.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({
            "model": "doubao-seedance-2-0-fast-260128",
            "content": [{"type": "text", "text": "waves"}],
            "generate_audio": false
        })
    );

    let http = endpoint().create(&req, Some("create-7f3a")).unwrap();
    assert_eq!(header(&http, "idempotency-key"), Some("create-7f3a"));
    assert!(endpoint().create(&req, Some("has space")).is_err());
}

#[test]
fn the_key_never_shows_in_debug() {
    let http = endpoint().get("cgt-1").unwrap();
    let shown = format!("{http:?} {:?}", endpoint());
    assert!(!shown.contains("0123456789abcdef"), "{shown}");
    assert!(shown.contains("<redacted>"));
}

#[test]
fn get_and_delete_encode_the_id() {
    let get = endpoint().get("cgt-20260606160057-6bbjd").unwrap();
    assert_eq!(get.method, Method::Get);
    assert!(get
        .url
        .ends_with("/contents/generations/tasks/cgt-20260606160057-6bbjd"));
    assert_eq!(get.body, None);
    let evil = endpoint().get("../../admin?x=1").unwrap();
    assert!(
        evil.url
            .ends_with("/contents/generations/tasks/..%2F..%2Fadmin%3Fx%3D1"),
        "{}",
        evil.url
    );
    let del = endpoint().delete("cgt-1").unwrap();
    assert_eq!(del.method, Method::Delete);
    assert!(del.url.ends_with("/tasks/cgt-1"));
    for bad in ["", "   ", ".", ".."] {
        let err = endpoint().get(bad).unwrap_err();
        assert!(
            matches!(err, Error::InvalidArgument { ref field, .. } if field == "task_id"),
            "{err}"
        );
    }
}

#[test]
fn list_request_parameters() {
    let q = ListQuery {
        page_num: Some(2),
        page_size: Some(50),
        status: Some(TaskStatus::Succeeded),
        model: Some("doubao-seedance-2-0-fast-260128".into()),
        task_ids: vec!["cgt-a".into(), "cgt b&c".into()],
    };
    let http = endpoint().list(&q).unwrap();
    assert_eq!(
        http.url,
        "http://127.0.0.1:8787/seedance/api/v3/contents/generations/tasks?page_num=2&page_size=50\
         &filter.status=succeeded&filter.model=doubao-seedance-2-0-fast-260128\
         &filter.task_ids=cgt-a&filter.task_ids=cgt%20b%26c"
    );
    assert!(endpoint()
        .list(&ListQuery::default())
        .unwrap()
        .url
        .ends_with("/tasks"));
    for size in [0, 501] {
        let err = endpoint()
            .list(&ListQuery {
                page_size: Some(size),
                ..Default::default()
            })
            .unwrap_err();
        assert!(err.to_string().contains("allowed 1..=500"), "{err}");
    }
    assert!(endpoint()
        .list(&ListQuery {
            page_num: Some(0),
            ..Default::default()
        })
        .is_err());
}

#[test]
fn endpoint_configuration() {
    assert_eq!(Endpoint::default().base_url(), DEFAULT_BASE_URL);
    assert_eq!(
        Endpoint::new(ARK_BASE_URL).unwrap().base_url(),
        "https://ark.cn-beijing.volces.com/api/v3"
    );
    for bad in [
        "api.apiyi.com",
        "ftp://x",
        "https://",
        "https://x/api?x=1",
        "",
        "https://api.example.com:99999/v3",
        "https://api.example.com:/v3",
        "https://exa mple.com/v3",
        "https://[]/v3",
        "https://bücher.example/v3",
    ] {
        let err = Endpoint::new(bad).unwrap_err();
        assert!(err.to_string().contains("base_url"), "{bad}: {err}");
    }
    let ep = Endpoint::new("https://proxy.example.com/api/v3")
        .unwrap()
        .with_header("X-Client-Id", "visitor-1")
        .unwrap();
    let http = ep.get("cgt-1").unwrap();
    assert_eq!(header(&http, "x-client-id"), Some("visitor-1"));
    assert_eq!(
        header(&http, "authorization"),
        None,
        "no key, no Authorization (a proxy adds it)"
    );
    assert!(!endpoint().without_key().has_key());
    assert!(Endpoint::default()
        .with_header("Authorization", "x")
        .is_err());
    assert!(Endpoint::default()
        .with_header("X-A", "a\r\nInjected: 1")
        .is_err());
    assert!(Endpoint::default().with_header("X-A", "a\x01b").is_err());
    assert!(Endpoint::default().with_header("X-A", "caf\u{e9}").is_err());
    assert!(Endpoint::default().with_header("X-A", "a b\tc").is_ok());
    for ok in [
        "http://127.0.0.1:8787/seedance/api/v3",
        "http://[::1]:8787/api/v3",
        "https://localhost/api/v3",
    ] {
        assert!(Endpoint::new(ok).is_ok(), "{ok}");
    }
    assert!(Endpoint::default().with_header("bad name", "v").is_err());
}

// ---- parsing answers ----

#[test]
fn create_answers() {
    let ok = parse_create(&resp(200, &[], r#"{"id":"cgt-20260606160057-6bbjd"}"#)).unwrap();
    assert_eq!(ok.id, "cgt-20260606160057-6bbjd");

    // Success without an id, and any 5xx: the task may exist.
    for r in [
        resp(200, &[("X-Request-Id", "req-1")], "<html>gateway</html>"),
        resp(200, &[], "{}"),
        resp(
            500,
            &[("X-Request-Id", "req-2")],
            r#"{"error":{"code":"InternalServiceError","message":"boom"}}"#,
        ),
        resp(502, &[], "Bad Gateway"),
    ] {
        let err = parse_create(&r).unwrap_err();
        assert!(matches!(err, Error::OutcomeUnknown { .. }), "{err:?}");
        assert!(
            !err.is_retryable(),
            "a create that may have happened is never retried"
        );
        assert_eq!(err.http_status(), Some(r.status));
        assert!(
            err.to_string().contains("look for it among recent tasks"),
            "{err}"
        );
    }
    let err = parse_create(&resp(500, &[("x-request-id", "req-2")], "{}")).unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown { request_id: Some(ref id), .. } if id == "req-2"));

    // 429 on create: refused before any work, safe to retry after the wait.
    let err = parse_create(&resp(
        429,
        &[("Retry-After", "7"), ("X-Request-Id", "r")],
        r#"{"error":{"code":"RateLimitExceeded.EndpointRPM","message":"slow down","type":"TooManyRequests"}}"#,
    ))
    .unwrap_err();
    assert!(err.is_retryable());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!(err.code(), Some("RateLimitExceeded.EndpointRPM"));
}

#[test]
fn ark_error_shape() {
    let err = parse_create(&resp(
        400,
        &[("X-Request-Id", "20260606160057ABC")],
        r#"{"error":{"code":"InvalidParameter","message":"the parameter `duration` is invalid","param":"duration","type":"BadRequest"}}"#,
    ))
    .unwrap_err();
    assert!(!err.is_retryable());
    assert_eq!(err.http_status(), Some(400));
    let e = api(err.clone());
    assert_eq!(e.operation, Operation::Create);
    assert_eq!(e.code.as_deref(), Some("InvalidParameter"));
    assert_eq!(e.param.as_deref(), Some("duration"));
    assert_eq!(e.error_type.as_deref(), Some("BadRequest"));
    assert_eq!(e.request_id.as_deref(), Some("20260606160057ABC"));
    assert_eq!(e.raw_body, None, "an Ark body is parsed, not kept raw");
    assert_eq!(
        err.to_string(),
        "create failed with HTTP 400 InvalidParameter (param `duration`): the parameter `duration` is invalid [request id 20260606160057ABC]"
    );
}

#[test]
fn auth_and_access_errors() {
    for (status, code) in [
        (401, "AuthenticationError"),
        (403, "AccountOverdueError"),
        (404, "ModelNotOpen"),
    ] {
        let body = json!({"error": {"code": code, "message": "m"}}).to_string();
        let err = parse_create(&resp(status, &[], &body)).unwrap_err();
        assert!(!err.is_retryable());
        assert_eq!(err.code(), Some(code));
    }
}

const NO_CHANNEL: &str = r#"{"error":{"message":"no available channel for this model doubao-seedance-2-0-fast-260128 under group default (request id: 2026060616)","type":"new_api_error","param":"","code":null}}"#;

#[test]
fn reseller_no_channel_error() {
    // The gateway refuses before the model is reached, so even a 5xx on create is a plain
    // API error here, not an ambiguous create.
    for err in [
        parse_create(&resp(503, &[], NO_CHANNEL)).unwrap_err(),
        parse_create(&resp(400, &[], NO_CHANNEL)).unwrap_err(),
        parse_task(&resp(503, &[], NO_CHANNEL), "cgt-x").unwrap_err(),
    ] {
        let e = api(err);
        assert!(e.is_no_channel());
        assert!(e.to_string().contains("needs the SeeDance2 group"), "{e}");
        assert_eq!(e.code, None, "a null code is no code");
        assert_eq!(e.param, None, "an empty param is no param");
        assert_eq!(e.error_type.as_deref(), Some("new_api_error"));
    }
}

#[test]
fn non_ark_bodies_are_kept_raw() {
    let cases = [
        (resp(502, &[], "Bad Gateway"), "Bad Gateway"),
        (
            resp(504, &[], "<html><body>504 Gateway Time-out</body></html>"),
            "<html><body>504 Gateway Time-out</body></html>",
        ),
        (
            resp(400, &[], r#"{"message":"model not supported"}"#),
            "model not supported",
        ),
        (
            resp(400, &[], r#"{"error":"quota exhausted"}"#),
            "quota exhausted",
        ),
        (resp(503, &[], ""), "empty answer with HTTP 503"),
    ];
    for (r, message) in cases {
        let err = parse_task(&r, "cgt-9").unwrap_err();
        assert_eq!(err.task_id(), Some("cgt-9"));
        let e = api(err);
        assert_eq!(e.message, message);
        assert_eq!(
            e.raw_body.as_deref(),
            (!r.body.is_empty()).then(|| std::str::from_utf8(&r.body).unwrap())
        );
    }
    let huge = "x".repeat(100_000);
    let e = api(parse_task(&resp(500, &[], &huge), "cgt-9").unwrap_err());
    assert!(e.raw_body.unwrap().len() < 4200, "raw bodies are cut");
}

#[test]
fn get_answers() {
    let task = parse_task(
        &resp(200, &[], r#"{"id":"cgt-1","status":"running"}"#),
        "cgt-1",
    )
    .unwrap();
    assert_eq!(task.status, TaskStatus::Running);

    let err = parse_task(&resp(200, &[], r#"{"id":"cgt-1","status":"#), "cgt-1").unwrap_err();
    assert!(matches!(err, Error::Decode { status: 200, .. }), "{err:?}");
    assert_eq!(err.task_id(), Some("cgt-1"));
    assert!(
        err.is_retryable(),
        "a GET cut short may be repeated: it changes nothing"
    );

    let not_found = r#"{"error":{"code":"ResourceNotFound","message":"task not found"}}"#;
    let err = parse_task(&resp(404, &[], not_found), "cgt-gone").unwrap_err();
    assert_eq!(err.task_id(), Some("cgt-gone"));
    assert!(!err.is_retryable());

    for status in [500, 502, 503, 504, 408] {
        let err = parse_task(&resp(status, &[], "oops"), "cgt-1").unwrap_err();
        assert!(err.is_retryable(), "GET {status} is retryable");
    }
    let err = parse_task(&resp(429, &[("retry-after-ms", "1500")], "{}"), "cgt-1").unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_millis(1500)));
    let err = parse_task(
        &resp(
            429,
            &[("Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT")],
            "{}",
        ),
        "cgt-1",
    )
    .unwrap_err();
    assert_eq!(err.retry_after(), None, "HTTP dates are not read");
}

#[test]
fn list_and_delete_answers() {
    let list = parse_list(&resp(
        200,
        &[],
        r#"{"total":1,"items":[{"id":"cgt-1","status":"queued"}]}"#,
    ))
    .unwrap();
    assert_eq!(list.total, 1);
    // A route the reseller lacks: not an Ark body.
    for r in [
        resp(404, &[], "404 page not found"),
        resp(405, &[], ""),
        resp(404, &[], ""),
    ] {
        let err = parse_list(&r).unwrap_err();
        assert!(
            matches!(
                err,
                Error::Unsupported {
                    operation: Operation::List,
                    ..
                }
            ),
            "{err:?}"
        );
        let err = parse_delete(&r, "cgt-1").unwrap_err();
        assert!(
            matches!(
                err,
                Error::Unsupported {
                    operation: Operation::Delete,
                    ..
                }
            ),
            "{err:?}"
        );
    }
    parse_delete(&resp(200, &[], "{}"), "cgt-1").unwrap();
    parse_delete(&resp(204, &[], ""), "cgt-1").unwrap();
    // An Ark 404 on delete: no such task (the route exists).
    let err = parse_delete(
        &resp(
            404,
            &[],
            r#"{"error":{"code":"ResourceNotFound","message":"no task"}}"#,
        ),
        "cgt-x",
    )
    .unwrap_err();
    assert_eq!(api(err).task_id.as_deref(), Some("cgt-x"));
    // Deleting a running task is refused.
    let err = parse_delete(
        &resp(
            409,
            &[],
            r#"{"error":{"code":"InvalidAction","message":"running"}}"#,
        ),
        "cgt-r",
    )
    .unwrap_err();
    assert_eq!(err.http_status(), Some(409));
    assert!(!err.is_retryable());
    let err = parse_delete(&resp(503, &[], "busy"), "cgt-r").unwrap_err();
    assert!(err.is_retryable(), "a DELETE may be retried");
}

#[test]
fn errors_after_creation_carry_the_task_id() {
    let with = |e: Error| e.with_task_id("cgt-7");
    let network = with(Error::Network {
        operation: Operation::Get,
        message: "reset".into(),
        task_id: None,
    });
    assert_eq!(network.task_id(), Some("cgt-7"));
    assert!(network.is_retryable());
    let create_net = Error::Network {
        operation: Operation::Create,
        message: "reset".into(),
        task_id: None,
    };
    assert!(
        !create_net.is_retryable(),
        "a create that may have arrived is never retried"
    );
    let timeout = with(Error::Timeout {
        operation: Operation::Get,
        after: Duration::from_secs(30),
        task_id: None,
    });
    assert_eq!(timeout.task_id(), Some("cgt-7"));
    let wait = Error::WaitTimeout {
        task_id: "cgt-7".into(),
        elapsed: Duration::from_secs(60),
        polls: 4,
        last_status: Some(TaskStatus::Running),
    };
    assert_eq!(wait.task_id(), Some("cgt-7"));
    assert!(wait.to_string().contains("last status: running"), "{wait}");
    assert_eq!(
        with(Error::Aborted { task_id: None }).task_id(),
        Some("cgt-7")
    );
    // An id already there is kept.
    let kept = Error::Aborted {
        task_id: Some("cgt-1".into()),
    }
    .with_task_id("cgt-2");
    assert_eq!(kept.task_id(), Some("cgt-1"));
}
