//! Property test: `validate` never panics on arbitrary requests, and every request it
//! accepts survives a JSON round trip unchanged.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use seedance::*;

/// Mostly valid values with a fair share of broken ones, so both outcomes are well drawn.
fn model() -> impl Strategy<Value = Model> {
    prop_oneof![
        4 => Just(Model::Fast),
        4 => Just(Model::Standard),
        1 => "[a-z0-9-]{0,12}".prop_map(Model::from),
    ]
}

fn resolution() -> impl Strategy<Value = Option<Resolution>> {
    prop_oneof![
        3 => Just(None),
        2 => Just(Some(Resolution::P480)),
        2 => Just(Some(Resolution::P720)),
        1 => Just(Some(Resolution::P1080)),
        1 => "[0-9a-z]{0,5}".prop_map(|s| Some(Resolution::from(s))),
    ]
}

fn ratio() -> impl Strategy<Value = Option<Ratio>> {
    prop_oneof![
        3 => Just(None),
        6 => proptest::sample::select(Ratio::ALL).prop_map(Some),
        1 => "[0-9:]{0,5}".prop_map(|s| Some(Ratio::from(s))),
    ]
}

fn small_int(
    valid: std::ops::RangeInclusive<i64>,
    extra: &'static [i64],
) -> impl Strategy<Value = Option<i64>> {
    prop_oneof![
        3 => Just(None),
        6 => valid.prop_map(Some),
        1 => prop_oneof![proptest::sample::select(extra), any::<i64>()].prop_map(Some),
    ]
}

fn url() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[a-z]{1,10}".prop_map(|p| format!("https://example.com/{p}.png")),
        2 => "[a-z0-9]{1,8}".prop_map(|id| format!("asset://{id}")),
        2 => (100u32..7000, 100u32..7000).prop_map(|(w, h)| crate::common::png_url(w, h)),
        1 => prop_oneof![
            Just(String::new()),
            Just("http://127.0.0.1/a.png".to_owned()),
            "[ -~]{0,20}",
            Just("data:image/png;base64,!!".to_owned()),
        ],
    ]
}

fn role() -> impl Strategy<Value = Option<Role>> {
    prop_oneof![
        1 => Just(None),
        4 => proptest::sample::select(Role::ALL).prop_map(Some),
        1 => "[a-z_]{0,8}".prop_map(|s| Some(Role::from(s))),
    ]
}

fn item() -> impl Strategy<Value = ContentItem> {
    prop_oneof![
        2 => "\\PC{0,30}".prop_map(ContentItem::text),
        3 => (url(), role()).prop_map(|(u, r)| ContentItem::image(u, r)),
        1 => (url(), role()).prop_map(|(u, role)| ContentItem::VideoUrl { video_url: MediaUrl { url: u }, role }),
        1 => (url(), role()).prop_map(|(u, role)| ContentItem::AudioUrl { audio_url: MediaUrl { url: u }, role }),
    ]
}

/// Content built per mode most of the time, arbitrary item lists otherwise.
fn content() -> impl Strategy<Value = Vec<ContentItem>> {
    prop_oneof![
        3 => "[a-z ]{1,40}".prop_map(|t| vec![ContentItem::text(t)]),
        2 => (url(), proptest::option::of("[a-z ]{1,20}")).prop_map(|(u, t)| {
            let r = CreateTaskRequest::first_frame(Model::Fast, u);
            t.map_or(r.clone(), |t| r.with_prompt(t)).content
        }),
        2 => (url(), url()).prop_map(|(a, b)| CreateTaskRequest::first_last_frame(Model::Fast, a, b).content),
        2 => (proptest::collection::vec(url(), 0..11), proptest::collection::vec(url(), 0..4), proptest::collection::vec(url(), 0..4))
            .prop_map(|(imgs, vids, auds)| {
                let mut refs = References::new();
                for u in imgs { refs = refs.image(u); }
                for u in vids { refs = refs.video(u); }
                for u in auds { refs = refs.audio(u); }
                CreateTaskRequest::reference(Model::Standard, "use the references", refs).content
            }),
        1 => proptest::collection::vec(item(), 0..6),
    ]
}

fn request() -> impl Strategy<Value = CreateTaskRequest> {
    (
        (model(), content(), resolution(), ratio()),
        (
            small_int(4..=15, &[-1, 0, 3, 16, -2]),
            any::<bool>(),
            proptest::option::of(any::<bool>()),
            small_int(-1..=4_294_967_295, &[-2, 4_294_967_296]),
        ),
        (
            proptest::option::of(any::<bool>()),
            small_int(3600..=259_200, &[0, 3599, 259_201]),
            prop_oneof![4 => Just(None), 1 => Just(Some("https://cb.example.com/h".to_owned())), 1 => "[ -~]{0,12}".prop_map(Some)],
        ),
    )
        .prop_map(|((model, content, resolution, ratio), (duration, audio, watermark, seed), (last, expires, callback))| {
            CreateTaskRequest {
                model,
                content,
                resolution,
                ratio,
                duration,
                generate_audio: audio,
                watermark,
                seed,
                return_last_frame: last,
                execution_expires_after: expires,
                callback_url: callback,
            }
        })
}

#[test]
fn validate_never_panics_and_accepted_requests_round_trip() {
    let config = Config {
        cases: 600,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let (accepted, rejected) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
    runner
        .run(&request(), |req| {
            let outcome = validate(&req, &Limits::default());
            if outcome.is_ok() {
                accepted.set(accepted.get() + 1);
                let json = serde_json::to_string(&req).unwrap();
                let back: CreateTaskRequest = serde_json::from_str(&json).unwrap();
                prop_assert_eq!(back, req);
            } else {
                rejected.set(rejected.get() + 1);
                // Every error names a field and says what is allowed.
                for issue in outcome.errors() {
                    prop_assert!(
                        !issue.field.is_empty() && !issue.allowed.is_empty(),
                        "{:?}",
                        issue
                    );
                }
            }
            Ok(())
        })
        .unwrap();
    let total = (accepted.get() + rejected.get()) as f64;
    let share = accepted.get() as f64 / total;
    println!("accepted {} of {total}", accepted.get());
    assert!(
        (0.2..=0.8).contains(&share),
        "accepted share {share:.2} is outside 20–80 %"
    );
}
