//! The hand-written JSON paths against serde's, over generated values: every decoder of the
//! codecs (`types::codec`, `validate::codec`, `cost::codec`, `jobs::codec`, and `read`'s
//! lists and maps) gives `serde_json::from_value`'s result (the same value, or the same
//! message), every writer `serde_json::to_string`'s bytes. Values are drawn near each type's shape (right fields
//! with right and wrong types, nulls, missing and unknown fields, arrays for structs,
//! integers past every bound, floats, escapes and non-ASCII text), so both outcomes are
//! well drawn. `SEEDANCE_JSON_CASES` sets the cases per property (default 3000).

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

use super::read::{self, Read};
use super::write::Writer;
use super::{debug_str, float_text, Json};
use crate::cost::codec::{decode_price_table, write_estimate};
use crate::cost::{Estimate, PriceTable};
use crate::jobs::codec::{
    decode_film, decode_journal, write_job_failure, write_job_state, write_journal,
};
use crate::jobs::{Film, Journal};
use crate::types::codec::request::{decode_request, write_request};
use crate::types::codec::task::{
    decode_created_task, decode_task, decode_task_list, write_created_task, write_task,
    write_task_list, write_tasks,
};
use crate::types::{CreateTaskRequest, CreatedTask, Task, TaskList};
use crate::validate::codec::{decode_limits, write_issues, write_validation};
use crate::validate::{validate, Limits, Validation};

fn cases() -> u32 {
    std::env::var("SEEDANCE_JSON_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3000)
}

fn run<S: Strategy>(strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    runner.run(&strategy, test).unwrap();
}

/// Text with what JSON escapes, Rust's `{:?}` escapes, and non-ASCII.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z0-9 _.:-]{0,10}",
        2 => "[\"\\\\\u{0}-\u{1f}\u{7f}'a\u{e9}\u{300}\u{200b}\u{1F600}\u{10FFFF}]{0,8}",
        1 => any::<String>(),
    ]
}

/// Numbers at and past every bound the types care about, and floats.
fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => (0u64..100).prop_map(Value::from),
        2 => any::<u64>().prop_map(Value::from),
        1 => proptest::sample::select(vec![
            u32::MAX as u64,
            u32::MAX as u64 + 1,
            i64::MAX as u64,
            i64::MAX as u64 + 1,
            u64::MAX
        ])
        .prop_map(Value::from),
        2 => any::<i64>().prop_map(Value::from),
        1 => (-5i64..0).prop_map(Value::from),
        2 => prop_oneof![
            any::<f64>(),
            Just(5.0),
            Just(-0.0),
            Just(1e21),
            Just(0.1),
            Just(1.5e300)
        ]
        .prop_filter_map("finite", |x| serde_json::Number::from_f64(x).map(Value::Number)),
    ]
}

/// Any JSON value, small.
fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((text(), inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Mostly `good`, sometimes anything (a wrong type, `null`).
fn or_any(good: impl Strategy<Value = Value> + 'static) -> BoxedStrategy<Value> {
    prop_oneof![40 => good, 1 => Just(Value::Null), 1 => any_value()].boxed()
}

fn pick(words: &'static [&'static str]) -> BoxedStrategy<Value> {
    prop_oneof![
        6 => proptest::sample::select(words).prop_map(Value::from),
        1 => text().prop_map(Value::String),
    ]
    .boxed()
}

fn boolean() -> BoxedStrategy<Value> {
    any::<bool>().prop_map(Value::Bool).boxed()
}

fn int(range: std::ops::Range<i64>) -> BoxedStrategy<Value> {
    prop_oneof![4 => range.prop_map(Value::from), 1 => number()].boxed()
}

fn list(item: BoxedStrategy<Value>, max: usize) -> BoxedStrategy<Value> {
    prop::collection::vec(item, 0..max)
        .prop_map(Value::Array)
        .boxed()
}

/// A struct near its shape: each field present (in its declaration position, or shuffled
/// among unknown keys) with a value from its strategy; sometimes the fields as an array,
/// sometimes something else altogether.
fn shaped(fields: Vec<(&'static str, BoxedStrategy<Value>)>) -> BoxedStrategy<Value> {
    let n = fields.len();
    let (names, values): (Vec<_>, Vec<_>) = fields.into_iter().unzip();
    let present = prop::collection::vec(prop::bool::weighted(0.95), n);
    let extra = prop_oneof![
        3 => Just(Vec::new()),
        1 => prop::collection::vec(
            (
                prop_oneof![
                    Just("type".to_owned()),
                    Just("name".to_owned()),
                    "[a-z_]{1,6}"
                ],
                any_value(),
            ),
            1..3,
        ),
    ];
    let object = (values.clone(), present, extra, any::<u64>()).prop_map({
        let names = names.clone();
        move |(values, present, extra, order)| {
            let mut entries: Vec<(String, Value)> = names
                .iter()
                .zip(values)
                .zip(present)
                .filter(|(_, p)| *p)
                .map(|((k, v), _)| (k.to_string(), v))
                .collect();
            entries.extend(extra);
            // A deterministic shuffle (the map may keep insertion order).
            let mut order = order;
            for i in (1..entries.len()).rev() {
                entries.swap(i, (order % (i as u64 + 1)) as usize);
                order /= i as u64 + 1;
            }
            let mut map = Map::new();
            for (k, v) in entries {
                map.insert(k, v);
            }
            Value::Object(map)
        }
    });
    let array = (values, 0..=n + 1)
        .prop_map(|(values, len)| Value::Array(values.into_iter().cycle().take(len).collect()));
    prop_oneof![40 => object, 1 => array, 1 => any_value()].boxed()
}

const MODELS: &[&str] = &[
    "doubao-seedance-2-0-260128",
    "doubao-seedance-2-0-fast-260128",
];
const RESOLUTIONS: &[&str] = &["480p", "720p", "1080p"];
const RATIOS: &[&str] = &["16:9", "4:3", "1:1", "3:4", "9:16", "21:9", "adaptive"];
const ROLES: &[&str] = &[
    "first_frame",
    "last_frame",
    "reference_image",
    "reference_video",
    "reference_audio",
];
const STATUSES: &[&str] = &[
    "queued",
    "running",
    "succeeded",
    "failed",
    "expired",
    "cancelled",
    "preprocessing",
];

fn media_url() -> BoxedStrategy<Value> {
    shaped(vec![(
        "url",
        or_any(pick(&[
            "https://example.com/a.png",
            "asset://x",
            "data:image/png;base64,AAAA",
        ])),
    )])
}

fn content_item() -> BoxedStrategy<Value> {
    let kind = prop_oneof![
        8 => pick(&["text", "image_url", "video_url", "audio_url"]),
        1 => any_value(),
    ];
    (
        kind,
        or_any(text().prop_map(Value::String)),
        media_url(),
        or_any(pick(ROLES)),
    )
        .prop_flat_map(|(kind, text, url, role)| {
            let field = kind.as_str().unwrap_or("image_url").to_owned();
            let mut fields: Vec<(&'static str, BoxedStrategy<Value>)> =
                vec![("type", Just(kind).boxed())];
            if field == "text" {
                fields.push(("text", Just(text).boxed()));
            } else {
                let name: &'static str = match field.as_str() {
                    "video_url" => "video_url",
                    "audio_url" => "audio_url",
                    _ => "image_url",
                };
                fields.push((name, Just(url).boxed()));
                fields.push(("role", Just(role).boxed()));
            }
            shaped(fields)
        })
        .boxed()
}

fn request() -> BoxedStrategy<Value> {
    shaped(vec![
        ("model", or_any(pick(MODELS))),
        ("content", or_any(list(content_item(), 4))),
        ("resolution", or_any(pick(RESOLUTIONS))),
        ("ratio", or_any(pick(RATIOS))),
        ("duration", or_any(int(-2..20))),
        ("generate_audio", or_any(boolean())),
        ("watermark", or_any(boolean())),
        ("seed", or_any(int(-2..100))),
        ("return_last_frame", or_any(boolean())),
        ("execution_expires_after", or_any(int(3000..300_000))),
        (
            "callback_url",
            or_any(pick(&["https://cb.example/x", "ftp://x"])),
        ),
    ])
}

fn task() -> BoxedStrategy<Value> {
    let content = shaped(vec![
        ("video_url", or_any(pick(&["https://v/x.mp4"]))),
        ("last_frame_url", or_any(pick(&["https://v/x.png"]))),
    ]);
    let usage = shaped(vec![
        ("completion_tokens", or_any(int(0..200_000))),
        ("total_tokens", or_any(int(0..200_000))),
    ]);
    let error = shaped(vec![
        (
            "code",
            or_any(pick(&["OutputVideoSensitiveContentDetected"])),
        ),
        ("message", or_any(text().prop_map(Value::String))),
    ]);
    shaped(vec![
        ("id", or_any(pick(&["cgt-20260101000000-abcde"]))),
        ("model", or_any(pick(MODELS))),
        ("status", or_any(pick(STATUSES))),
        ("content", or_any(content)),
        ("usage", or_any(usage)),
        ("error", or_any(error)),
        ("created_at", or_any(int(0..2_000_000_000))),
        ("updated_at", or_any(int(0..2_000_000_000))),
        ("seed", or_any(int(-1..100))),
        ("resolution", or_any(pick(RESOLUTIONS))),
        ("ratio", or_any(pick(RATIOS))),
        ("duration", or_any(int(-1..16))),
        ("framespersecond", or_any(int(0..60))),
        ("generate_audio", or_any(boolean())),
        ("draft", or_any(boolean())),
        ("return_last_frame", or_any(boolean())),
        ("execution_expires_after", or_any(int(3600..259_200))),
        ("proxy", or_any(any_value())),
    ])
}

fn task_list() -> BoxedStrategy<Value> {
    shaped(vec![
        ("total", or_any(int(0..100))),
        ("items", or_any(list(task(), 3))),
    ])
}

fn limits() -> BoxedStrategy<Value> {
    let count = || or_any(int(0..20));
    let fraction = || or_any(number());
    shaped(vec![
        ("max_images", count()),
        ("max_videos", count()),
        ("max_audios", count()),
        ("min_image_side", count()),
        ("max_image_side", count()),
        ("min_aspect", fraction()),
        ("max_aspect", fraction()),
        ("max_image_bytes", count()),
        ("max_video_bytes", count()),
        ("max_audio_bytes", count()),
        (
            "audio_seconds",
            or_any(prop_oneof![
                4 => (number(), number()).prop_map(|(a, b)| json!([a, b])),
                1 => list(number().boxed(), 4),
            ]),
        ),
        ("max_total_audio_seconds", fraction()),
        ("max_body_bytes", count()),
        ("allow_http", or_any(boolean())),
        ("allow_video_data_urls", or_any(boolean())),
    ])
}

fn price_table() -> BoxedStrategy<Value> {
    let price = shaped(vec![
        ("model", or_any(pick(MODELS))),
        ("resolution", or_any(pick(RESOLUTIONS))),
        ("with_video_input", or_any(boolean())),
        ("per_million_tokens", or_any(number())),
    ]);
    shaped(vec![
        ("currency", or_any(pick(&["USD", "CNY"]))),
        ("prices", or_any(list(price, 4))),
    ])
}

fn journal() -> BoxedStrategy<Value> {
    let states = &[
        "pending",
        "creating",
        "unknown",
        "running",
        "succeeded",
        "downloaded",
        "failed",
        "blocked",
    ];
    let state = prop_oneof![
        8 => pick(states),
        1 => (pick(states), prop_oneof![Just(Value::Null), any_value()])
            .prop_map(|(k, v)| json!({ k.as_str().unwrap_or("x"): v })),
        1 => any_value(),
    ];
    let failure = shaped(vec![
        ("code", or_any(pick(&["InvalidParameter"]))),
        ("message", or_any(text().prop_map(Value::String))),
    ]);
    let time = || or_any(int(0..2_000_000_000_000));
    let record = shaped(vec![
        ("key", or_any(pick(&["shots[0]", "jobs[1]"]))),
        ("fingerprint", or_any(pick(&["00000000deadbeef"]))),
        ("state", state.boxed()),
        ("task_id", or_any(pick(&["cgt-1"]))),
        ("status", or_any(pick(STATUSES))),
        ("from_task", or_any(pick(&["cgt-0"]))),
        ("creating_at", time()),
        ("created_at", time()),
        ("finished_at", time()),
        ("tokens", or_any(int(0..200_000))),
        ("error", or_any(failure)),
        ("file", or_any(pick(&["a.mp4"]))),
        ("frame_file", or_any(pick(&["a.png"]))),
    ]);
    shaped(vec![
        ("version", or_any(int(0..3))),
        ("kind", or_any(pick(&["film", "batch"]))),
        ("jobs", or_any(list(record, 3))),
        ("creates", or_any(list(time(), 3))),
        ("no_create_before", time()),
    ])
}

fn film() -> BoxedStrategy<Value> {
    let shot = shaped(vec![
        ("prompt", or_any(text().prop_map(Value::String))),
        ("duration", or_any(int(3..16))),
        ("cut", or_any(boolean())),
        ("image", or_any(pick(&["https://example.com/a.png"]))),
    ]);
    shaped(vec![
        ("model", or_any(pick(MODELS))),
        ("resolution", or_any(pick(RESOLUTIONS))),
        ("ratio", or_any(pick(RATIOS))),
        ("generate_audio", or_any(boolean())),
        ("seed", or_any(int(-1..100))),
        ("watermark", or_any(boolean())),
        ("shots", or_any(list(shot, 3))),
    ])
}

/// The hand decoder and serde agree on `v`: the same value, or the same message.
fn same<T>(v: Value, hand: impl FnOnce(Json) -> Read<T>) -> Result<Option<T>, TestCaseError>
where
    T: DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let serde = serde_json::from_value::<T>(v.clone()).map_err(|e| e.to_string());
    let ours = hand(Json::from(v.clone()));
    prop_assert_eq!(&ours, &serde, "input: {}", v);
    // SEEDANCE_JSON_STATS=1 … -- --nocapture | grep -a ^STAT | sort | uniq -c: the mix drawn.
    if std::env::var("SEEDANCE_JSON_STATS").is_ok() {
        let outcome = serde
            .as_ref()
            .map_or_else(|e| e.split([':', '`']).next().unwrap_or(""), |_| "ok");
        eprintln!("STAT {} {outcome}", std::any::type_name::<T>());
    }
    Ok(ours.ok())
}

/// The writer gives serde_json's bytes.
fn written<T: Serialize>(
    value: &T,
    write: impl FnOnce(&mut Writer, &T),
) -> Result<(), TestCaseError> {
    let mut w = Writer::new();
    write(&mut w, value);
    let serde = serde_json::to_string(value).unwrap();
    prop_assert_eq!(w.finish(), serde);
    Ok(())
}

#[test]
fn requests_decode_and_encode_as_serde() {
    run(request(), |v| {
        if let Some(req) = same::<CreateTaskRequest>(v, decode_request)? {
            written(&req, write_request)?;
            let mut counter = Writer::counter();
            write_request(&mut counter, &req);
            prop_assert_eq!(
                counter.len(),
                serde_json::to_vec(&req).unwrap().len() as u64
            );
            let outcome = validate(&req, &Limits::default());
            written(&outcome, write_validation)?;
            written::<Estimate>(&crate::cost::estimate(&req, None), write_estimate)?;
        }
        Ok(())
    });
}

#[test]
fn tasks_decode_and_encode_as_serde() {
    run(task(), |v| {
        if let Some(task) = same::<Task>(v, decode_task)? {
            written(&task, write_task)?;
        }
        Ok(())
    });
    run(task_list(), |v| {
        if let Some(list) = same::<TaskList>(v, decode_task_list)? {
            written(&list, write_task_list)?;
            written(&list.items, |w, t| write_tasks(w, t))?;
        }
        Ok(())
    });
    run(shaped(vec![("id", or_any(pick(&["cgt-1"])))]), |v| {
        if let Some(c) = same::<CreatedTask>(v, decode_created_task)? {
            written(&c, write_created_task)?;
        }
        Ok(())
    });
}

#[test]
fn options_decode_as_serde() {
    run(limits(), |v| same::<Limits>(v, decode_limits).map(drop));
    run((price_table(), request()), |(v, r)| {
        if let Some(prices) = same::<PriceTable>(v, decode_price_table)? {
            if let Ok(req) = serde_json::from_value::<CreateTaskRequest>(r) {
                let e = crate::cost::estimate(&req, Some(&prices));
                written(&e, write_estimate)?;
            }
        }
        Ok(())
    });
    run(
        prop::collection::vec(or_any(text().prop_map(Value::String)), 0..3),
        |v| same::<Vec<String>>(Value::Array(v), read::strings).map(drop),
    );
    run(any_value(), |v| {
        same::<Vec<String>>(v.clone(), read::strings)?;
        same::<std::collections::BTreeMap<String, String>>(v, read::string_map).map(drop)
    });
}

#[test]
fn journals_and_films_decode_and_encode_as_serde() {
    run(journal(), |v| {
        if let Some(j) = same::<Journal>(v, decode_journal)? {
            written(&j, write_journal)?;
            for r in &j.jobs {
                written(&r.state, |w, s| write_job_state(w, *s))?;
                if let Some(e) = &r.error {
                    written(e, write_job_failure)?;
                }
            }
        }
        Ok(())
    });
    run(film(), |v| same::<Film>(v, decode_film).map(drop));
}

#[test]
fn validation_issues_encode_as_serde() {
    run(request(), |v| {
        if let Ok(req) = serde_json::from_value::<CreateTaskRequest>(v) {
            let outcome: Validation = validate(&req, &Limits::default());
            written(&outcome.issues, |w, i| write_issues(w, i))?;
        }
        Ok(())
    });
}

#[test]
fn strings_and_numbers_read_as_rust_and_serde_write_them() {
    run(any::<String>(), |s| {
        prop_assert_eq!(debug_str(&s), format!("{s:?}"));
        Ok(())
    });
    run(text(), |s| {
        prop_assert_eq!(debug_str(&s), format!("{s:?}"));
        Ok(())
    });
    run(any::<f64>(), |x| {
        let serde = serde_json::to_string(&x).unwrap();
        prop_assert_eq!(float_text(x), serde);
        Ok(())
    });
    run(any::<i64>(), |n| {
        prop_assert_eq!(super::i64_text(n), n.to_string());
        prop_assert_eq!(super::u64_text(n as u64), (n as u64).to_string());
        Ok(())
    });
}

/// JavaScript numbers become what serde_json reads from the text `JSON.stringify` gives
/// them (`Json::number` is the wasm32 side of that; this checks its classification).
#[test]
fn numbers_from_javascript_classify_as_their_json_text() {
    let js_text = |x: f64| -> String {
        // JSON.stringify: integers below 1e21 as digits, others in exponent form.
        if x == x.trunc() && x.abs() < 1e21 {
            format!("{}", x as i128)
        } else {
            format!("{x:e}")
        }
    };
    run(
        prop_oneof![
            any::<f64>(),
            any::<i64>().prop_map(|n| n as f64),
            Just(-0.0),
            Just(18_446_744_073_709_551_616.0),
            Just(-9_223_372_036_854_775_808.0),
            Just(1e21),
            Just(999_999_999_999_999_900_000.0)
        ]
        .prop_filter("finite", |x| x.is_finite()),
        |x| {
            // serde_json reads a 20- or 21-digit integer past u64 as a float, not always
            // to the nearest one: compare the kind there, the value everywhere else.
            let parsed = Json::from(serde_json::from_str::<Value>(&js_text(x)).unwrap());
            match (Json::number(x), parsed) {
                (Json::F(ours), Json::F(_)) => prop_assert_eq!(ours.to_bits(), x.to_bits()),
                (ours, parsed) => prop_assert_eq!(ours, parsed, "{}", x),
            }
            Ok(())
        },
    );
}
