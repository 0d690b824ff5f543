//! Token and money estimates against the one real sample, ranges, and price tables.

use seedance::*;

fn req() -> CreateTaskRequest {
    CreateTaskRequest::text_to_video(Model::Fast, "x")
}

#[test]
fn real_sample_within_one_percent() {
    // 720p, 16:9, 5 s was billed 108,900 tokens.
    let est = estimate(
        &req()
            .with_resolution(Resolution::P720)
            .with_ratio(Ratio::R16x9)
            .with_duration(5),
        None,
    );
    let error = (est.tokens_max as f64 - 108_900.0).abs() / 108_900.0;
    assert!(
        error <= 0.01,
        "{} tokens is {:.2} % off",
        est.tokens_max,
        error * 100.0
    );
    assert_eq!((est.width, est.height), (1280, 720));
    assert_eq!(est.tokens_min, est.tokens_max);
}

#[test]
fn server_defaults_are_counted_when_unset() {
    // Unset: 720p, adaptive, 5 s: the same as the sample.
    assert_eq!(estimate(&req(), None).tokens_max, 108_900);
}

#[test]
fn auto_duration_gives_a_range_adaptive_ratio_does_not() {
    let est = estimate(&req().with_auto_duration(), None);
    assert_eq!((est.seconds_min, est.seconds_max), (4, 15));
    assert_eq!(est.tokens_min, 97 * 900);
    assert_eq!(est.tokens_max, 361 * 900);
    let adaptive = estimate(&req().with_ratio(Ratio::Adaptive), None);
    assert_eq!(adaptive.tokens_min, adaptive.tokens_max);
}

#[test]
fn every_ratio_in_a_tier_costs_the_same() {
    for res in Resolution::ALL {
        let base = estimate(
            &req().with_resolution(res.clone()).with_ratio(Ratio::R16x9),
            None,
        )
        .tokens_max as f64;
        for ratio in Ratio::ALL {
            let t = estimate(
                &req().with_resolution(res.clone()).with_ratio(ratio.clone()),
                None,
            )
            .tokens_max as f64;
            assert_eq!(t, base, "{res} {ratio}");
        }
    }
    let p480 = estimate(&req().with_resolution(Resolution::P480), None).tokens_max;
    let p1080 = estimate(&req().with_resolution(Resolution::P1080), None).tokens_max;
    assert!(p480 < 108_900 && 108_900 < p1080);
    let portrait = estimate(&req().with_ratio(Ratio::R9x16), None);
    assert_eq!(
        (portrait.width, portrait.height),
        (720, 1280),
        "the output size follows the ratio"
    );
    assert_eq!(p1080, 121 * 1920 * 1080 / 1024);
}

#[test]
fn cost_scales_linearly_with_duration() {
    let t = |d| estimate(&req().with_duration(d), None).tokens_max;
    assert_eq!(t(10) - t(5), t(15) - t(10));
}

fn prices() -> PriceTable {
    PriceTable {
        currency: "CNY".into(),
        prices: vec![
            Price {
                per_million_tokens: 46.0,
                ..Price::default()
            },
            Price {
                with_video_input: Some(true),
                per_million_tokens: 28.0,
                ..Price::default()
            },
            Price {
                resolution: Some(Resolution::P1080),
                per_million_tokens: 51.0,
                ..Price::default()
            },
            Price {
                model: Some(Model::Fast.as_str().into()),
                resolution: Some(Resolution::P720),
                per_million_tokens: 37.0,
                ..Price::default()
            },
        ],
    }
}

#[test]
fn money_from_the_most_specific_price() {
    let est = estimate(&req(), Some(&prices()));
    let price = est.price.unwrap();
    assert_eq!(price.currency, "CNY");
    assert!((price.min - 0.1089 * 37.0).abs() < 1e-9, "{price:?}");

    let std = CreateTaskRequest::text_to_video(Model::Standard, "x");
    let p = estimate(&std, Some(&prices())).price.unwrap();
    assert!((p.max - 0.1089 * 46.0).abs() < 1e-9);

    let with_video =
        CreateTaskRequest::reference(Model::Standard, "x", References::new().video("asset://v"));
    let p = estimate(&with_video, Some(&prices())).price.unwrap();
    assert!((p.max - 0.1089 * 28.0).abs() < 1e-9);

    let auto = estimate(&std.with_auto_duration(), Some(&prices()))
        .price
        .unwrap();
    assert!(auto.min < auto.max);
    let empty = PriceTable::default();
    assert_eq!(
        estimate(&req(), Some(&empty)).price,
        None,
        "no matching price, no money estimate"
    );
}

#[test]
fn actual_cost_from_usage() {
    let task: Task = serde_json::from_str(
        r#"{"id":"cgt-1","status":"succeeded","model":"doubao-seedance-2-0-fast-260128","resolution":"720p",
            "usage":{"completion_tokens":108900,"total_tokens":108900}}"#,
    )
    .unwrap();
    let cost = actual_cost(&task, &prices(), false).unwrap();
    assert!((cost - 0.1089 * 37.0).abs() < 1e-9);
    let unbilled: Task = serde_json::from_str(r#"{"id":"cgt-2","status":"failed"}"#).unwrap();
    assert_eq!(actual_cost(&unbilled, &prices(), false), None);
}

#[test]
fn tables_are_data() {
    let mut model = CostModel::default();
    // The vendor's rule of thumb: no extra frame.
    model.formula.extra_frames = 0;
    let est = model.estimate(&req(), None);
    assert_eq!(est.tokens_max, 108_000);
    let json = serde_json::to_string(&CostModel::default()).unwrap();
    let back: CostModel = serde_json::from_str(&json).unwrap();
    assert_eq!(back, CostModel::default());
}
