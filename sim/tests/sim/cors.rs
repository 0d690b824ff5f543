//! CORS for browser pages on other local ports, and the reseller-like `--no-cors` mode.

use seedance_sim::SimConfig;
use serde_json::json;

use crate::common::*;

const ORIGIN: &str = "http://localhost:5173";

/// The task list, asked with the test key from a page on `origin`.
async fn list_from(h: &Harness, origin: &str) -> Resp {
    let auth = format!("Bearer {KEY}");
    h.send(
        "GET",
        TASKS,
        &[("Origin", origin), ("Authorization", &auth)],
        None,
    )
    .await
}

#[tokio::test]
async fn preflight_allows_local_pages() {
    let h = instant().await;
    let r = h
        .send(
            "OPTIONS",
            TASKS,
            &[
                ("Origin", ORIGIN),
                ("Access-Control-Request-Method", "POST"),
                (
                    "Access-Control-Request-Headers",
                    "authorization, content-type, x-custom-thing",
                ),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
    let methods = r.header("access-control-allow-methods").unwrap();
    for m in ["GET", "POST", "DELETE", "OPTIONS"] {
        assert!(methods.contains(m), "{methods}");
    }
    let allowed = r
        .header("access-control-allow-headers")
        .unwrap()
        .to_ascii_lowercase();
    for hd in [
        "authorization",
        "content-type",
        "idempotency-key",
        "x-client-id",
        "x-custom-thing",
    ] {
        assert!(allowed.contains(hd), "{allowed}");
    }
    // Preflights never reach auth: no key needed.
    assert!(h.tasks().await.is_empty());
}

#[tokio::test]
async fn answers_echo_local_origins_and_expose_headers() {
    let h = instant().await;
    let r = list_from(&h, "http://127.0.0.1:8080").await;
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("http://127.0.0.1:8080")
    );
    let exposed = r.header("access-control-expose-headers").unwrap();
    assert!(
        exposed.contains("X-Request-Id") && exposed.contains("Retry-After"),
        "{exposed}"
    );
    assert!(r.header("vary").unwrap().contains("Origin"));
    // Errors are readable too (a 401 without CORS would look like a network error).
    let r = h.send("GET", TASKS, &[("Origin", ORIGIN)], None).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
    // A 429 from a fault as well.
    h.set_faults(json!(["429=3,times=1"])).await;
    let r = list_from(&h, ORIGIN).await;
    assert_eq!(
        (r.status, r.header("access-control-allow-origin")),
        (429, Some(ORIGIN))
    );
}

#[tokio::test]
async fn foreign_origins_get_no_cors_headers() {
    let h = instant().await;
    let r = list_from(&h, "https://evil.example").await;
    assert_eq!(r.status, 200);
    assert!(r.header("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn no_cors_mode_answers_without_cors_headers() {
    let h = start(SimConfig {
        cors: false,
        ..SimConfig::fast()
    })
    .await;
    let r = list_from(&h, ORIGIN).await;
    assert_eq!(r.status, 200);
    assert!(r.header("access-control-allow-origin").is_none());
    let pre = h
        .send(
            "OPTIONS",
            TASKS,
            &[
                ("Origin", ORIGIN),
                ("Access-Control-Request-Method", "POST"),
            ],
            None,
        )
        .await;
    assert!(pre.status >= 400, "preflight fails: {}", pre.status);
    assert!(pre.header("access-control-allow-origin").is_none());
    // Media and the control API keep CORS.
    let id = h.create("x").await;
    let t = h.wait_for(&id, "succeeded").await;
    let r = h
        .send(
            "GET",
            &h.target_of(t["content"]["video_url"].as_str().unwrap()),
            &[("Origin", ORIGIN)],
            None,
        )
        .await;
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let r = h
        .send("GET", "/_sim/requests", &[("Origin", ORIGIN)], None)
        .await;
    assert_eq!(r.header("access-control-allow-origin"), Some(ORIGIN));
}

#[tokio::test]
async fn cors_can_be_switched_at_run_time() {
    let h = instant().await;
    h.control("POST", "/config", Some(json!({"cors": false})))
        .await;
    let r = h.send("GET", TASKS, &[("Origin", ORIGIN)], None).await;
    assert!(r.header("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn media_preflight() {
    let h = instant().await;
    let r = h
        .send(
            "OPTIONS",
            "/tos/cgt-20260606160057-aaaaa.mp4",
            &[
                ("Origin", "https://anywhere.example"),
                ("Access-Control-Request-Method", "GET"),
                ("Access-Control-Request-Headers", "range"),
            ],
            None,
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert!(r
        .header("access-control-allow-headers")
        .unwrap()
        .contains("range"));
}
