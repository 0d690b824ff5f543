//! The playground's logic, natively: the request the form makes, where each problem is
//! shown, the spend guard, prices, the image fixes and chains. No DOM: the component tests
//! (`components.rs`, Chromium) and the e2e tests cover the page itself.

use std::sync::Arc;

use seedance::{Limits, Model, Resolution};
use seedance_playground::chain::{Chain, Clip};
use seedance_playground::check::Control;
use seedance_playground::form::{Form, ImageSlot, Picked};
use seedance_playground::guard::Guard;
use seedance_playground::mode::Mode;
use seedance_playground::prices::Prices;
use seedance_playground::resize::plan;
use seedance_playground::words::{estimate_text, resolution_note, two_decimals};

fn limits() -> Limits {
    Limits::default()
}

/// A `data:` URL of a PNG header saying `w`×`h` (validation reads sizes from headers).
fn png_url(w: u32, h: u32) -> String {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];
    b.extend_from_slice(b"IHDR");
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    seedance::dataurl::encode(&b, "image/png")
}

fn picked(name: &str, w: u32, h: u32) -> Picked {
    Picked {
        name: name.into(),
        url: Arc::from(png_url(w, h)),
        bytes: 1000,
        w,
        h,
        mime: "image/png".into(),
    }
}

fn prompt(text: &str) -> Form {
    Form {
        prompt: text.into(),
        ..Form::default()
    }
}

#[test]
fn the_default_form_makes_a_text_request_and_always_sends_audio() {
    let c = prompt("a fox in the snow").check(&limits(), None);
    assert!(c.ok(), "{:?}", c.problems);
    let body = serde_json::to_value(&c.request).unwrap();
    assert_eq!(body["model"], "doubao-seedance-2-0-fast-260128");
    assert_eq!(body["content"][0]["text"], "a fox in the snow");
    assert_eq!(body["resolution"], "720p");
    assert_eq!(body["ratio"], "16:9");
    assert_eq!(body["duration"], 5);
    assert_eq!(body["generate_audio"], true);
    let silent = Form {
        audio: false,
        ..prompt("quiet")
    };
    let body = serde_json::to_value(silent.check(&limits(), None).request).unwrap();
    assert_eq!(body["generate_audio"], false, "sent explicitly when off");
    assert_eq!(estimate_text(&c.estimate), "≈ 108,900 tokens");
}

#[test]
fn fast_has_no_1080p_and_says_why() {
    let why = resolution_note(&Model::Fast, &Resolution::P1080).unwrap();
    assert!(why.contains("standard model"), "{why}");
    assert_eq!(resolution_note(&Model::Standard, &Resolution::P1080), None);
    let c = Form {
        resolution: Resolution::P1080,
        ..prompt("x")
    }
    .check(&limits(), None);
    assert!(!c.ok());
    assert!(c.at(Control::Resolution).iter().any(|p| p.blocking));
}

#[test]
fn auto_duration_is_sent_as_minus_one_and_estimated_as_a_range() {
    let c = Form {
        duration: -1,
        ..prompt("x")
    }
    .check(&limits(), None);
    assert_eq!(c.request.duration, Some(-1));
    assert_eq!((c.estimate.seconds_min, c.estimate.seconds_max), (4, 15));
    assert!(c.estimate.tokens_min < c.estimate.tokens_max);
    assert!(estimate_text(&c.estimate).contains("the model picks 4–15 s"));
}

#[test]
fn each_problem_is_placed_beside_its_control() {
    let c = Form {
        seed: "12abc".into(),
        ..prompt("x")
    }
    .check(&limits(), None);
    let seed = c.at(Control::Seed);
    assert_eq!(seed.len(), 1);
    assert!(seed[0].blocking && seed[0].message.contains("not a whole number"));

    let c = Form {
        seed: "99999999999".into(),
        ..prompt("x")
    }
    .check(&limits(), None);
    assert!(c.at(Control::Seed)[0].message.contains("4294967295"));

    // A blank prompt is an error shown only once Generate was pressed.
    let c = prompt("  ").check(&limits(), None);
    let p = c.at(Control::Prompt);
    assert!(p[0].blocking && p[0].quiet, "{p:?}");

    // An image too large in pixels: beside the first frame picker, not the last.
    let c = Form {
        mode: Mode::FirstLastFrame,
        first: ImageSlot {
            picked: Some(picked("big.png", 7000, 3000)),
            url: String::new(),
        },
        last: ImageSlot::from_url("https://example.com/last.png"),
        ..Form::default()
    }
    .check(&limits(), None);
    let first = c.at(Control::First);
    assert!(
        first
            .iter()
            .any(|p| p.blocking && p.message.contains("7000×3000")),
        "{first:?}"
    );
    assert!(c.at(Control::Last).is_empty());
    assert!(c.at(Control::General).is_empty());
}

#[test]
fn missing_frames_are_quiet_errors_beside_their_pickers() {
    let c = Form {
        mode: Mode::FirstLastFrame,
        ..Form::default()
    }
    .check(&limits(), None);
    assert!(!c.ok());
    for control in [Control::First, Control::Last] {
        let p = c.at(control);
        assert!(
            p.len() == 1 && p[0].quiet && p[0].blocking,
            "{control:?}: {p:?}"
        );
    }
    assert!(
        c.at(Control::General).iter().all(|p| !p.blocking),
        "no content-wide complaint about the mode"
    );
}

#[test]
fn the_spend_guard_asks_for_budget_1080p_and_long_tasks_only() {
    let guard = |budget: &str, spent| Guard {
        budget: budget.into(),
        spent,
    };
    let plain = prompt("x").check(&limits(), None);
    assert!(guard("", 0).reasons(&plain).is_empty());
    assert!(guard("200000", 0).reasons(&plain).is_empty());
    let over = guard("200,000", 100_000).reasons(&plain);
    assert!(
        over.len() == 1 && over[0].contains("budget"),
        "{over:?} (108,900 more would pass 200,000)"
    );
    let hd = Form {
        model: Model::Standard,
        resolution: Resolution::P1080,
        ..prompt("x")
    }
    .check(&limits(), None);
    assert!(guard("", 0).reasons(&hd)[0].contains("1080p"));
    let long = Form {
        duration: 12,
        ..prompt("x")
    }
    .check(&limits(), None);
    assert!(guard("", 0).reasons(&long)[0].contains("12 s"));
    let auto = Form {
        duration: -1,
        ..prompt("x")
    }
    .check(&limits(), None);
    assert!(guard("", 0).reasons(&auto)[0].contains("15 s"));
}

#[test]
fn prices_give_a_money_estimate_for_the_model_and_input() {
    assert_eq!(Prices::default().table(), None);
    let prices = Prices {
        currency: "USD".into(),
        fast: "37".into(),
        fast_video: "50".into(),
        ..Prices::default()
    };
    let table = prices.table().unwrap();
    let c = prompt("x").check(&limits(), Some(&table));
    let money = c.estimate.price.clone().unwrap();
    assert!((money.max - 108_900.0 / 1e6 * 37.0).abs() < 1e-9);
    assert_eq!(estimate_text(&c.estimate), "≈ 108,900 tokens · ≈ 4.03 USD");
    // With a reference video the video price applies.
    let with_video = Form {
        mode: Mode::Reference,
        ref_image_urls: "https://example.com/a.png".into(),
        ref_video_urls: "https://example.com/a.mp4".into(),
        ..prompt("x")
    }
    .check(&limits(), Some(&table));
    let m = with_video.estimate.price.unwrap();
    assert!((m.max - 108_900.0 / 1e6 * 50.0).abs() < 1e-9);
    // No price for the standard model: tokens only.
    let standard = Form {
        model: Model::Standard,
        ..prompt("x")
    }
    .check(&limits(), Some(&table));
    assert_eq!(standard.estimate.price, None);
    assert_eq!(two_decimals(1234.5), "1,234.50");
    assert_eq!(two_decimals(0.004), "0.00");
    assert_eq!(two_decimals(4.0293), "4.03");
}

#[test]
fn an_image_that_breaks_a_limit_gets_a_plan_that_fits() {
    let l = limits();
    assert_eq!(plan(&picked("ok.png", 640, 360), &l), None);

    let p = plan(&picked("big.png", 6100, 2500), &l).unwrap();
    assert_eq!((p.width, p.height), (6000, 2459));
    assert_eq!(p.crop, (0, 0, 6100, 2500));
    assert_eq!(p.label(), "Downscale to 6000×2459 px");
    let tall = plan(&picked("tall.png", 2500, 6100), &l).unwrap();
    assert_eq!((tall.width, tall.height), (2459, 6000));

    let wide = plan(&picked("wide.png", 1500, 400), &l).unwrap();
    assert_eq!(wide.crop, (250, 0, 1000, 400));
    assert_eq!(wide.label(), "Crop to 1000×400 px");

    let small = plan(&picked("small.png", 200, 250), &l).unwrap();
    assert_eq!((small.width, small.height), (300, 375));
    assert_eq!(small.action(), "Upscale");

    let heavy = Picked {
        bytes: l.max_image_bytes + 1,
        ..picked("heavy.png", 4000, 3000)
    };
    let p = plan(&heavy, &l).unwrap();
    assert!(p.jpeg);
    assert_eq!((p.width, p.height, p.action()), (4000, 3000, "Re-encode"));

    // Every plan's output is within the limits.
    for (w, h) in [
        (9000, 9000),
        (301, 6000),
        (100, 2000),
        (6001, 300),
        (20000, 10),
    ] {
        let p = plan(&picked("x.png", w, h), &l).unwrap();
        let (long, short) = (p.width.max(p.height), p.width.min(p.height));
        let aspect = f64::from(p.width) / f64::from(p.height);
        assert!(
            long <= 6000 && short >= 300 && (0.4..=2.5).contains(&aspect),
            "{w}×{h} → {p:?}"
        );
    }
}

#[test]
fn a_chain_grows_only_through_continue_from_last_frame() {
    let clip = |id: &str| Clip {
        id: id.into(),
        url: format!("https://x/{id}.mp4"),
    };
    let mut chain = Chain::default();
    chain.succeeded(clip("a"));
    assert_eq!(chain.ending_with("a"), None, "a lone task is no chain");
    chain.continue_from(clip("a"));
    chain.succeeded(clip("b"));
    chain.continue_from(clip("b"));
    chain.succeeded(clip("c"));
    let ids: Vec<_> = chain
        .ending_with("c")
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(
        chain.ending_with("b"),
        None,
        "only the last clip shows the chain"
    );
    // Continuing from an older clip starts a new chain from it.
    chain.continue_from(clip("a"));
    chain.succeeded(clip("d"));
    assert_eq!(chain.ending_with("d").unwrap().len(), 2);
    chain.reset();
    chain.succeeded(clip("e"));
    assert_eq!(chain.ending_with("e"), None);
}
