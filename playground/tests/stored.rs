//! What the playground keeps in the browser: every stored type reads back what it wrote,
//! and what the first playground (before one store module) wrote still loads: a user's
//! settings, prices, history and images survive the upgrade.

use std::sync::Arc;

use seedance::{Model, Ratio, Resolution};
use seedance_playground::connection::{Backend, Settings};
use seedance_playground::form::{Form, ImageSlot, Payloads, Picked};
use seedance_playground::history::{History, Record};
use seedance_playground::mode::Mode;
use seedance_playground::prices::Prices;
use seedance_playground::store::{decode, encode, Stored};
use seedance_playground::write::{to_json, Write};

fn round_trip<T: Stored + serde::Serialize + PartialEq + std::fmt::Debug>(value: T) {
    let back: T = decode(Some(&encode(&value)));
    assert_eq!(back, value);
    same_text(&value);
}

/// The hand writer (what the app stores) writes the text serde's derive writes.
fn same_text<T: Write + serde::Serialize>(value: &T) {
    assert_eq!(to_json(value), encode(value));
}

fn picked(name: &str) -> Picked {
    Picked {
        name: name.into(),
        url: Arc::from("data:image/png;base64,iVBORw0KGgo="),
        bytes: 1234,
        w: 640,
        h: 360,
        mime: "image/png".into(),
    }
}

/// A form with every field away from its default.
fn full_form() -> Form {
    Form {
        mode: Mode::FirstLastFrame,
        prompt: "two frames".into(),
        model: Model::Standard,
        resolution: Resolution::P1080,
        ratio: Ratio::R9x16,
        duration: -1,
        audio: false,
        seed: "42".into(),
        watermark: true,
        last_frame: true,
        first: ImageSlot::from_url("https://example.com/a.png"),
        last: ImageSlot::from_url("asset://b"),
        ref_images: Vec::new(),
        ref_image_urls: "https://example.com/r.png".into(),
        ref_video_urls: "https://example.com/r.mp4".into(),
        ref_audio_urls: "https://example.com/r.mp3".into(),
    }
}

#[test]
fn every_stored_type_reads_back_what_it_wrote() {
    round_trip(Settings {
        backend: Some(Backend::Direct),
        proxy_url: "https://proxy.example/api/v3".into(),
        direct_url: "https://api.example/api/v3".into(),
    });
    round_trip(Settings::default());
    round_trip(Prices {
        currency: "USD".into(),
        standard: "50".into(),
        fast: "37".into(),
        standard_video: "60".into(),
        fast_video: "45".into(),
    });
    round_trip(History(vec![
        Record {
            id: "cgt-1".into(),
            prompt: "two frames".into(),
            params: "2.0 standard · 1080p · 9:16 · auto".into(),
            status: "succeeded".into(),
            started_ms: 1_780_000_000_123.0,
            video_url: Some("https://tos.example/v.mp4?X-Tos-Expires=86400".into()),
            expires_at: Some(1_780_086_400),
            error_code: None,
            form: Some(full_form()),
        },
        Record {
            id: "cgt-2".into(),
            status: "failed".into(),
            error_code: Some("OutputVideoSensitiveContentDetected".into()),
            ..Record::default()
        },
    ]));
    // Payloads live in IndexedDB, encoded the same way.
    let payloads = Payloads {
        first: Some(picked("a.png")),
        last: Some(Picked {
            w: 0,
            h: 0,
            ..picked("unknown-size.png")
        }),
        refs: vec![picked("r1.png"), picked("r2.png")],
        first_url: None,
        last_url: Some("data:image/png;base64,AAAA".into()),
        ref_image_urls: Some("data:image/png;base64,BBBB\nhttps://x/y.png".into()),
    };
    let back: Payloads = decode(Some(&encode(&payloads)));
    assert_eq!(back, payloads);
    same_text(&payloads);
}

#[test]
fn the_hand_writers_write_what_serde_writes() {
    let odd =
        "quote \" backslash \\ tab \t newline \n nul \u{0} unit \u{1f} del \u{7f} é 🎬 </script>";
    let mut form = full_form();
    form.prompt = odd.into();
    form.seed = odd.into();
    for mode in [
        Mode::TextToVideo,
        Mode::FirstFrame,
        Mode::FirstLastFrame,
        Mode::Reference,
    ] {
        form.mode = mode;
        same_text(&form);
    }
    same_text(&Form::default());
    for backend in [
        None,
        Some(Backend::Local),
        Some(Backend::Proxy),
        Some(Backend::Direct),
    ] {
        same_text(&Settings {
            backend,
            proxy_url: odd.into(),
            direct_url: String::new(),
        });
    }
    same_text(&Prices {
        currency: odd.into(),
        ..Prices::default()
    });
    let record = Record {
        id: "cgt-1".into(),
        prompt: odd.into(),
        started_ms: 1_780_000_000_123.0,
        video_url: Some("https://tos.example/v.mp4?a=1&b=2".into()),
        expires_at: Some(-5),
        form: Some(form.clone()),
        ..Record::default()
    };
    for started_ms in [0.0, 1.5, 1e16, 1e21, f64::NAN] {
        same_text(&Record {
            started_ms,
            ..record.clone()
        });
    }
    same_text(&History(vec![record, Record::default()]));
    same_text(&Payloads::default());
    same_text(&Picked {
        name: odd.into(),
        url: Arc::from(odd),
        bytes: u64::MAX,
        w: u32::MAX,
        h: 0,
        mime: String::new(),
    });
    let mut with_images = form.clone();
    with_images.first = ImageSlot {
        picked: Some(picked("a.png")),
        url: String::new(),
    };
    with_images.ref_images = vec![picked("r.png")];
    let state = seedance_playground::bridge::BridgeState {
        settings: Settings::default(),
        key: odd.into(),
        sim: Some(true),
        form: with_images.split().0,
        payloads: with_images.split().1,
        budget: "1000".into(),
        spent: 42,
    };
    same_text(&state);
    same_text(&seedance_playground::bridge::BridgeState::default());
}

#[test]
fn history_keeps_the_form_without_payloads_and_gets_them_back() {
    let png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAoAAAAFo";
    let form = Form {
        mode: Mode::FirstLastFrame,
        first: ImageSlot {
            picked: Some(picked("a.png")),
            url: String::new(),
        },
        last: ImageSlot::from_url(png),
        ref_images: vec![picked("r.png")],
        prompt: "two frames".into(),
        ..Form::default()
    };
    let (light, payloads) = form.split();
    let json = encode(&light);
    assert!(!json.contains("data:"), "{json}");
    assert!(json.contains("two frames"));
    assert!(!payloads.is_empty());
    let back: Form = decode(Some(&json));
    let payloads: Payloads = decode(Some(&encode(&payloads)));
    assert_eq!(back.with_payloads(payloads), form);
}

// What the first playground wrote, key for key (its hand-written JSON, keys sorted as
// serde_json writes a map).

const OLD_SETTINGS: &str = r#"{"backend":"proxy","direct_url":"https://ark.example/api/v3","proxy_url":"https://w.example/api/v3"}"#;
const OLD_SETTINGS_UNCHOSEN: &str =
    r#"{"backend":null,"direct_url":"https://api.apiyi.com/seedance/api/v3","proxy_url":""}"#;
const OLD_PRICES: &str =
    r#"{"currency":"USD","fast":"37","fast_video":"","standard":"","standard_video":"50,5"}"#;
const OLD_HISTORY: &str = r#"[{"id":"cgt-20260601-b","prompt":"the boat sails off","params":"2.0 fast · 720p · 16:9 · 5 s","status":"succeeded","started_ms":1780000000123.0,"video_url":"http://127.0.0.1:8787/tos/cgt-20260601-b.mp4?X-Tos-Expires=86400","expires_at":1780086400,"error_code":null,"form":{"audio":true,"duration":5,"first_url":"","last_frame":false,"last_url":"","mode":"first_frame","model":"doubao-seedance-2-0-fast-260128","prompt":"the boat sails off","ratio":"16:9","ref_audio_urls":"","ref_image_urls":"","ref_video_urls":"","resolution":"720p","seed":"","watermark":false}},{"id":"cgt-20260601-a","prompt":"A crowd scene [fail]","params":"2.0 standard · 1080p · adaptive · auto","status":"failed","started_ms":1779999000000.0,"video_url":null,"expires_at":null,"error_code":"OutputVideoSensitiveContentDetected","form":{"audio":false,"duration":-1,"first_url":"","last_frame":true,"last_url":"","mode":"reference","model":"doubao-seedance-2-0-260128","prompt":"A crowd scene [fail]","ratio":"adaptive","ref_audio_urls":"https://x/a.mp3","ref_image_urls":"","ref_video_urls":"https://x/v.mp4","resolution":"1080p","seed":"7","watermark":true}},{"id":"cgt-20260531-z","prompt":"watched","params":"","status":"stopped","started_ms":1779900000000.0,"video_url":null,"expires_at":null,"error_code":null}]"#;
const OLD_PAYLOADS: &str = r#"{"first":{"bytes":48230,"h":360,"mime":"image/png","name":"start.png","url":"data:image/png;base64,iVBORw0KGgo=","w":640},"first_url":null,"last":{"bytes":10,"h":0,"mime":"image/webp","name":"odd.webp","url":"data:image/webp;base64,UklGRg==","w":0},"last_url":"data:image/png;base64,AAAA","ref_image_urls":null,"refs":[{"bytes":5,"h":400,"mime":"image/png","name":"ref1.png","url":"data:image/png;base64,Zm9v","w":400}]}"#;

#[test]
fn settings_written_by_the_first_playground_still_load() {
    let s: Settings = decode(Some(OLD_SETTINGS));
    assert_eq!(s.backend, Some(Backend::Proxy));
    assert_eq!(s.proxy_url, "https://w.example/api/v3");
    assert_eq!(s.direct_url, "https://ark.example/api/v3");
    let s: Settings = decode(Some(OLD_SETTINGS_UNCHOSEN));
    assert_eq!(s.backend, None, "not chosen: the page picks");
    // Unreadable parts keep their defaults, the rest loads.
    let s: Settings = decode(Some(
        r#"{"backend":"carrier-pigeon","proxy_url":"https://p"}"#,
    ));
    assert_eq!(s.backend, None);
    assert_eq!(s.proxy_url, "https://p");
    assert_eq!(s.direct_url, Settings::default().direct_url);
    // Today's build writes the same shape.
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&encode(&decode::<Settings>(Some(OLD_SETTINGS))))
            .unwrap(),
        serde_json::from_str::<serde_json::Value>(OLD_SETTINGS).unwrap()
    );
}

#[test]
fn prices_written_by_the_first_playground_still_load() {
    let p: Prices = decode(Some(OLD_PRICES));
    assert_eq!((p.currency.as_str(), p.fast.as_str()), ("USD", "37"));
    assert_eq!(p.standard_video, "50,5");
    let same: serde_json::Value = serde_json::from_str(&encode(&p)).unwrap();
    assert_eq!(
        same,
        serde_json::from_str::<serde_json::Value>(OLD_PRICES).unwrap()
    );
}

#[test]
fn history_written_by_the_first_playground_still_loads() {
    let h: History = decode(Some(OLD_HISTORY));
    assert_eq!(h.0.len(), 3);
    let first = &h.0[0];
    assert_eq!(first.id, "cgt-20260601-b");
    assert_eq!(first.expires_at, Some(1_780_086_400));
    assert!(!first.unfinished());
    let form = first.form.clone().expect("its form");
    assert_eq!(form.mode, Mode::FirstFrame);
    assert_eq!(form.prompt, "the boat sails off");
    assert_eq!(form.model, Model::Fast);
    assert_eq!(form.duration, 5);
    let second = h.0[1].form.clone().unwrap();
    assert_eq!(second.mode, Mode::Reference);
    assert_eq!(second.model, Model::Standard);
    assert_eq!(second.resolution, Resolution::P1080);
    assert_eq!(second.ratio, Ratio::Adaptive);
    assert_eq!(
        (second.duration, second.audio, second.watermark),
        (-1, false, true)
    );
    assert_eq!(second.seed, "7");
    assert_eq!(second.ref_video_urls, "https://x/v.mp4");
    assert_eq!(
        h.0[1].error_code.as_deref(),
        Some("OutputVideoSensitiveContentDetected")
    );
    assert_eq!(h.0[2].form, None, "a watched task kept no form");
    // Today's build writes each record's form in the same shape.
    let old: serde_json::Value = serde_json::from_str(OLD_HISTORY).unwrap();
    let new: serde_json::Value = serde_json::from_str(&encode(&h)).unwrap();
    assert_eq!(new[0], old[0]);
    assert_eq!(new[1], old[1]);
}

#[test]
fn a_record_whose_form_is_unreadable_keeps_the_rest() {
    let raw = r#"[{"id":"cgt-x","status":"running","form":{"mode":"storyboard","prompt":"p"}},{"id":"cgt-y","status":"queued","form":{"duration":"long"}},{"id":"cgt-z","form":42}]"#;
    let h: History = decode(Some(raw));
    assert_eq!(h.0.len(), 3);
    let form = h.0[0].form.clone().unwrap();
    assert_eq!(
        (form.mode, form.duration, form.prompt.as_str()),
        (Mode::TextToVideo, 5, "p"),
        "an unknown mode reads as text to video, what is missing as its default"
    );
    assert!(h.0[0].unfinished());
    assert_eq!((h.0[1].id.as_str(), &h.0[1].form), ("cgt-y", &None));
    assert_eq!(h.0[2].form, None);
}

#[test]
fn images_written_by_the_first_playground_still_load() {
    let p: Payloads = decode(Some(OLD_PAYLOADS));
    let first = p.first.clone().unwrap();
    assert_eq!(
        (first.name.as_str(), first.bytes, first.size()),
        ("start.png", 48_230, Some((640, 360)))
    );
    assert_eq!(&*first.url, "data:image/png;base64,iVBORw0KGgo=");
    assert_eq!(p.last.as_ref().unwrap().size(), None, "size unknown");
    assert_eq!(p.refs.len(), 1);
    assert_eq!(p.last_url.as_deref(), Some("data:image/png;base64,AAAA"));
    let same: serde_json::Value = serde_json::from_str(&encode(&p)).unwrap();
    assert_eq!(
        same,
        serde_json::from_str::<serde_json::Value>(OLD_PAYLOADS).unwrap()
    );
}

// The hand readers (`read.rs`, what the page uses) against the serde derives, on generated
// JSON: every field missing, of its own kind, of another kind or null, nested values too,
// and unknown fields. The two must agree on every input. (Native: proptest needs OS
// randomness.)
#[cfg(not(target_arch = "wasm32"))]
mod readers_agree_with_serde {
    use proptest::prelude::*;
    use serde_json::{json, Map, Value};

    use seedance_playground::connection::Settings;
    use seedance_playground::form::{Form, Payloads};
    use seedance_playground::history::History;
    use seedance_playground::prices::Prices;
    use seedance_playground::read::Read;
    use seedance_playground::store::{decode, decode_serde};

    #[derive(Clone, Copy, Debug)]
    enum Kind {
        Str,
        Bool,
        Int,
        Float,
        Picked,
        Form,
        Record,
    }

    fn junk() -> BoxedStrategy<Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<u64>().prop_map(|n| json!(n)),
            (-1e6f64..1e6).prop_map(|f| json!(f)),
            "[a-z]{0,3}".prop_map(Value::String),
            Just(json!([])),
            Just(json!({})),
        ]
        .boxed()
    }

    fn fields(kind: Kind) -> &'static [(&'static str, Kind)] {
        use Kind::*;
        match kind {
            Picked => &[
                ("name", Str),
                ("url", Str),
                ("bytes", Int),
                ("w", Int),
                ("h", Int),
                ("mime", Str),
            ],
            Form => &[
                ("mode", Str),
                ("prompt", Str),
                ("model", Str),
                ("resolution", Str),
                ("ratio", Str),
                ("duration", Int),
                ("audio", Bool),
                ("seed", Str),
                ("watermark", Bool),
                ("last_frame", Bool),
                ("first_url", Str),
                ("last_url", Str),
                ("ref_image_urls", Str),
                ("ref_video_urls", Str),
                ("ref_audio_urls", Str),
            ],
            Record => &[
                ("id", Str),
                ("prompt", Str),
                ("params", Str),
                ("status", Str),
                ("started_ms", Float),
                ("video_url", Str),
                ("expires_at", Int),
                ("error_code", Str),
                ("form", Form),
            ],
            _ => &[],
        }
    }

    fn of_kind(kind: Kind, depth: u32) -> BoxedStrategy<Value> {
        match kind {
            Kind::Str => prop_oneof![
                "[a-z:/.]{0,6}".prop_map(Value::String),
                prop::sample::select(vec![
                    "proxy",
                    "local",
                    "direct",
                    "first_frame",
                    "reference",
                    "storyboard",
                    "720p",
                    "16:9"
                ])
                .prop_map(|s| json!(s)),
            ]
            .boxed(),
            Kind::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
            Kind::Int => prop_oneof![
                (0u64..5000).prop_map(|n| json!(n)),
                any::<i64>().prop_map(|n| json!(n)),
                any::<u64>().prop_map(|n| json!(n)),
                (-10f64..10.0).prop_map(|f| json!(f)),
            ]
            .boxed(),
            Kind::Float => prop_oneof![
                (0u64..u64::MAX).prop_map(|n| json!(n)),
                (-1e12f64..1e12).prop_map(|f| json!(f))
            ]
            .boxed(),
            nested => object(fields(nested), depth),
        }
    }

    /// An object with each of `fields` missing, of its kind, or junk; and maybe an unknown one.
    fn object(fields: &'static [(&'static str, Kind)], depth: u32) -> BoxedStrategy<Value> {
        let parts: Vec<BoxedStrategy<Option<Value>>> = fields
            .iter()
            .map(|&(_, kind)| {
                let own = if depth > 2 {
                    junk()
                } else {
                    of_kind(kind, depth + 1)
                };
                prop_oneof![2 => Just(None), 5 => own.prop_map(Some), 2 => junk().prop_map(Some)]
                    .boxed()
            })
            .collect();
        (parts, any::<bool>())
            .prop_map(move |(values, extra)| {
                let mut map = Map::new();
                for ((key, _), v) in fields.iter().zip(values) {
                    if let Some(v) = v {
                        map.insert((*key).to_owned(), v);
                    }
                }
                if extra {
                    map.insert("added_later".into(), json!({"x": 1}));
                }
                Value::Object(map)
            })
            .boxed()
    }

    fn settings() -> BoxedStrategy<Value> {
        use Kind::*;
        object(
            &[("backend", Str), ("proxy_url", Str), ("direct_url", Str)],
            0,
        )
    }

    fn prices() -> BoxedStrategy<Value> {
        use Kind::*;
        object(
            &[
                ("currency", Str),
                ("standard", Str),
                ("fast", Str),
                ("standard_video", Str),
                ("fast_video", Str),
            ],
            0,
        )
    }

    fn payloads() -> BoxedStrategy<Value> {
        let picked = || prop_oneof![Just(Value::Null), of_kind(Kind::Picked, 1), junk()];
        (
            prop::option::of(picked()),
            prop::option::of(picked()),
            prop::option::of(prop_oneof![
                prop::collection::vec(of_kind(Kind::Picked, 1), 0..3).prop_map(Value::Array),
                junk()
            ]),
            prop::option::of(prop_oneof![of_kind(Kind::Str, 1), junk()]),
        )
            .prop_map(|(first, last, refs, url)| {
                let mut map = Map::new();
                for (k, v) in [
                    ("first", first),
                    ("last", last),
                    ("refs", refs),
                    ("last_url", url),
                ] {
                    if let Some(v) = v {
                        map.insert(k.into(), v);
                    }
                }
                Value::Object(map)
            })
            .boxed()
    }

    fn history() -> BoxedStrategy<Value> {
        prop_oneof![
            4 => prop::collection::vec(prop_oneof![4 => of_kind(Kind::Record, 0), 1 => junk()], 0..4).prop_map(Value::Array),
            1 => junk(),
        ]
        .boxed()
    }

    fn agree<T: Read + serde::de::DeserializeOwned + Default + PartialEq + std::fmt::Debug>(
        v: &Value,
    ) {
        let text = v.to_string();
        assert_eq!(
            decode::<T>(Some(&text)),
            decode_serde::<T>(Some(&text)),
            "{text}"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        #[test]
        fn settings_read_alike(v in settings()) { agree::<Settings>(&v); }

        #[test]
        fn prices_read_alike(v in prices()) { agree::<Prices>(&v); }

        #[test]
        fn forms_read_alike(v in of_kind(Kind::Form, 0)) { agree::<Form>(&v); }

        #[test]
        fn payloads_read_alike(v in payloads()) { agree::<Payloads>(&v); }

        #[test]
        fn histories_read_alike(v in history()) { agree::<History>(&v); }

        /// Generate hands the jobs app the checked request as the core writes it, and the
        /// jobs app reads it with serde: the task it creates is the one checked.
        #[test]
        fn requests_handed_to_the_jobs_app_read_back_alike(v in of_kind(Kind::Form, 0)) {
            let form: Form = decode_serde(Some(&v.to_string()));
            let req = form.check(&seedance::Limits::default(), None).request;
            let back: seedance::CreateTaskRequest = serde_json::from_str(&req.to_json()).unwrap();
            prop_assert_eq!(back, req);
        }
    }
}
