//! Fuzzing by property test (cargo-fuzz needs a nightly toolchain): answer parsing and
//! data-URL parsing never panic, whatever the bytes. A panic in wasm kills the page, so
//! "returns an error" is the only acceptable failure.
//!
//! The number of inputs per property is `SEEDANCE_FUZZ_CASES` (default 20,000: a few
//! seconds); `scripts/bench` runs it far longer. Inputs mix raw bytes with mutated
//! versions of real answers, so the parsers' deep paths are reached too.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use seedance::dataurl;
use seedance::protocol::{
    api_error, parse_create, parse_delete, parse_list, parse_task, HttpResponse,
};
use seedance::Operation;

const TASK: &str = r#"{"id":"cgt-20260125-x","model":"doubao-seedance-2-0-fast-260128","status":"succeeded","content":{"video_url":"https://x.example/v.mp4?X-Tos-Date=20260125T000000Z&X-Tos-Expires=86400","last_frame_url":"https://x.example/f.png"},"usage":{"completion_tokens":108900,"total_tokens":108900},"created_at":1769300000,"updated_at":1769300134,"seed":42,"resolution":"720p","ratio":"16:9","duration":5,"framespersecond":24,"generate_audio":true,"error":null}"#;
const ERROR: &str = r#"{"error":{"code":"InvalidParameter","message":"the parameter `duration` specified in the request is not valid","param":"duration","type":"BadRequest"}}"#;
const LIST: &str = r#"{"total":2,"items":[{"id":"cgt-1","status":"queued"},{"id":"cgt-2","status":"failed","error":{"code":"OutputVideoSensitiveContentDetected","message":"x"}}]}"#;

fn cases() -> u32 {
    std::env::var("SEEDANCE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000)
}

fn runner() -> TestRunner {
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
}

/// A real answer with a few bytes changed, cut, or spliced in.
fn mutated(seed: &'static str) -> impl Strategy<Value = Vec<u8>> {
    (
        proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
        any::<prop::sample::Index>(),
        any::<bool>(),
    )
        .prop_map(move |(edits, cut, truncate)| {
            let mut b = seed.as_bytes().to_vec();
            for (at, byte) in edits {
                let i = at.index(b.len());
                b[i] = byte;
            }
            if truncate {
                b.truncate(cut.index(b.len() + 1));
            }
            b
        })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        2 => proptest::collection::vec(any::<u8>(), 0..200),
        3 => mutated(TASK),
        2 => mutated(ERROR),
        2 => mutated(LIST),
        1 => "[\\[\\]{}\":,0-9a-z_ -]{0,80}".prop_map(String::into_bytes),
    ]
}

fn response() -> impl Strategy<Value = HttpResponse> {
    let status = prop_oneof![
        Just(200u16),
        Just(400),
        Just(404),
        Just(429),
        Just(500),
        Just(503),
        100u16..600
    ];
    let header = prop_oneof![
        ("retry-after", "[0-9.a-z -]{0,12}"),
        ("retry-after-ms", "[0-9.e+-]{0,12}"),
        ("x-request-id", "[ -~]{0,20}"),
        ("content-type", "[ -~]{0,20}"),
    ]
    .prop_map(|(k, v)| (k.to_owned(), v));
    (status, proptest::collection::vec(header, 0..3), body()).prop_map(|(status, headers, body)| {
        HttpResponse {
            status,
            headers,
            body,
        }
    })
}

#[test]
fn answers_never_panic() {
    runner()
        .run(&response(), |resp| {
            let _ = parse_create(&resp);
            let _ = parse_task(&resp, "cgt-1");
            let _ = parse_list(&resp);
            let _ = parse_delete(&resp, "cgt-1");
            for op in [
                Operation::Create,
                Operation::Get,
                Operation::List,
                Operation::Delete,
            ] {
                let e = api_error(&resp, op, Some("cgt-1"));
                // Displaying the error walks every field: it must not panic either.
                let _ = seedance::Error::Api(Box::new(e)).to_string();
            }
            if let Err(e) = parse_task(&resp, "cgt-1") {
                let _ = e.to_string();
            }
            Ok(())
        })
        .unwrap();
}

fn data_url() -> impl Strategy<Value = String> {
    let png = dataurl::encode(
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x04\0\0\0\x03\0\x08\x02\0\0\0",
        "image/png",
    );
    prop_oneof![
        2 => "[ -~]{0,120}",
        2 => "data:[a-z/;=+-]{0,24},[A-Za-z0-9+/=]{0,80}",
        3 => mutated(Box::leak(png.into_boxed_str())).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]
}

#[test]
fn data_urls_never_panic() {
    runner()
        .run(&data_url(), |url| {
            if let Ok(d) = dataurl::parse(&url) {
                let bytes = d.decode();
                prop_assert!(d.decoded_len() >= bytes.len());
                let _ = d.decode_prefix(64);
                let _ = d.media_type();
                let _ = dataurl::image_size(&bytes);
                let _ = dataurl::wav_duration(&bytes);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn media_sniffing_never_panics() {
    runner()
        .run(&proptest::collection::vec(any::<u8>(), 0..300), |bytes| {
            let _ = dataurl::sniff(&bytes);
            let _ = dataurl::image_size(&bytes);
            let _ = dataurl::wav_duration(&bytes);
            let _ = dataurl::encode_sniffed(&bytes);
            Ok(())
        })
        .unwrap();
}
