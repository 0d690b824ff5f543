//! Every validation rule with a request that passes it and one that breaks it. A failing
//! case asserts the field path, the value reported and what is allowed, not only that it
//! failed.

use crate::common::*;
use seedance::dataurl;
use seedance::*;

const HTTPS_IMG: &str = "https://example.com/a.png";

fn t2v() -> CreateTaskRequest {
    CreateTaskRequest::text_to_video(Model::Fast, "a fox runs through fresh snow")
}

fn check(req: &CreateTaskRequest) -> Validation {
    validate(req, &Limits::default())
}

/// The one error a request has; fails if it has none or several.
fn only_error(v: &Validation) -> &Issue {
    let errors: Vec<&Issue> = v.errors().collect();
    assert_eq!(
        errors.len(),
        1,
        "expected exactly one error, got {errors:#?}"
    );
    errors[0]
}

fn assert_issue(issue: &Issue, field: &str, rule: &str, given: &str, allowed: &str) {
    assert_eq!(issue.field, field, "{issue:#?}");
    assert_eq!(issue.rule, rule, "{issue:#?}");
    assert!(
        issue.given.contains(given),
        "given {:?} lacks {given:?}",
        issue.given
    );
    assert!(
        issue.allowed.contains(allowed),
        "allowed {:?} lacks {allowed:?}",
        issue.allowed
    );
}

fn assert_clean(v: &Validation) {
    assert!(
        v.issues.is_empty(),
        "expected no issues, got {:#?}",
        v.issues
    );
}

fn with_content(content: Vec<ContentItem>) -> CreateTaskRequest {
    CreateTaskRequest { content, ..t2v() }
}

fn image(url: &str, role: Option<Role>) -> ContentItem {
    ContentItem::image(url, role)
}

// ---- parameters ----

#[test]
fn model_known_passes_unknown_warns_empty_fails() {
    assert_clean(&check(&t2v()));
    let std = CreateTaskRequest {
        model: Model::Standard,
        ..t2v()
    };
    assert_clean(&check(&std));

    let v = check(&CreateTaskRequest {
        model: Model::from("doubao-seedance-3-0"),
        ..t2v()
    });
    assert!(
        v.is_ok(),
        "an unknown model is an escape hatch, not an error"
    );
    let w: Vec<_> = v.warnings().collect();
    assert_eq!(w.len(), 1);
    assert_issue(
        w[0],
        "model",
        "model.unknown",
        "doubao-seedance-3-0",
        "doubao-seedance-2-0-260128",
    );

    let v = check(&CreateTaskRequest {
        model: Model::from(""),
        ..t2v()
    });
    assert_issue(
        only_error(&v),
        "model",
        "model.empty",
        "empty",
        "doubao-seedance-2-0-fast-260128",
    );
}

#[test]
fn resolution_values_and_1080p_only_on_standard() {
    for r in [Resolution::P480, Resolution::P720] {
        assert_clean(&check(&t2v().with_resolution(r)));
    }
    let std = CreateTaskRequest {
        model: Model::Standard,
        ..t2v()
    };
    assert_clean(&check(&std.with_resolution(Resolution::P1080)));

    let v = check(&t2v().with_resolution(Resolution::P1080));
    assert_issue(
        only_error(&v),
        "resolution",
        "resolution.model",
        "1080p",
        "480p, 720p",
    );
    assert!(only_error(&v)
        .allowed
        .contains("1080p needs doubao-seedance-2-0-260128"));

    let v = check(&t2v().with_resolution(Resolution::from("4k")));
    assert_issue(
        only_error(&v),
        "resolution",
        "resolution.invalid",
        "\"4k\"",
        "480p, 720p",
    );
}

#[test]
fn ratio_values() {
    for r in Ratio::ALL {
        assert_clean(&check(&t2v().with_ratio(r.clone())));
    }
    let v = check(&t2v().with_ratio(Ratio::from("2:1")));
    assert_issue(
        only_error(&v),
        "ratio",
        "ratio.invalid",
        "\"2:1\"",
        "16:9, 4:3, 1:1, 3:4, 9:16, 21:9, adaptive",
    );
}

#[test]
fn duration_4_to_15_or_auto() {
    for d in [4, 5, 15, -1] {
        assert_clean(&check(&t2v().with_duration(d)));
    }
    for d in [3, 16, 0, -2] {
        let v = check(&t2v().with_duration(d));
        assert_issue(
            only_error(&v),
            "duration",
            "duration.range",
            &d.to_string(),
            "4..=15, or -1",
        );
    }
}

#[test]
fn seed_range() {
    for s in [-1, 0, 97151, 4_294_967_295] {
        assert_clean(&check(&t2v().with_seed(s)));
    }
    for s in [-2, 4_294_967_296] {
        let v = check(&t2v().with_seed(s));
        assert_issue(
            only_error(&v),
            "seed",
            "seed.range",
            &s.to_string(),
            "4294967295",
        );
    }
}

#[test]
fn execution_expires_after_range() {
    for e in [3600, 172_800, 259_200] {
        assert_clean(&check(&t2v().with_expires_after(e)));
    }
    for e in [3599, 259_201] {
        let v = check(&t2v().with_expires_after(e));
        assert_issue(
            only_error(&v),
            "execution_expires_after",
            "execution_expires_after.range",
            &e.to_string(),
            "3600..=259200",
        );
    }
}

#[test]
fn callback_url_must_be_http() {
    assert_clean(&check(
        &t2v().with_callback_url("https://hooks.example.com/seedance"),
    ));
    for bad in ["ftp://x/y", "https://", "/relative"] {
        let v = check(&t2v().with_callback_url(bad));
        assert_issue(
            only_error(&v),
            "callback_url",
            "callback_url.scheme",
            bad,
            "https://",
        );
    }
}

#[test]
fn all_problems_are_reported_in_one_pass() {
    let req = t2v()
        .with_resolution(Resolution::P1080)
        .with_duration(20)
        .with_seed(-5)
        .with_ratio(Ratio::from("5:4"));
    let v = check(&req);
    let fields: Vec<&str> = v.errors().map(|i| i.field.as_str()).collect();
    assert_eq!(fields, ["resolution", "ratio", "duration", "seed"]);
    let err = v.into_result().unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("invalid request (4 problems); nothing was sent"),
        "{text}"
    );
    assert!(
        text.contains("duration: given 20; allowed: whole seconds 4..=15"),
        "{text}"
    );
}

// ---- content and modes ----

#[test]
fn the_four_modes_are_recognised() {
    let cases = [
        (t2v(), Mode::TextToVideo),
        (
            CreateTaskRequest::first_frame(Model::Fast, HTTPS_IMG),
            Mode::FirstFrame,
        ),
        (
            CreateTaskRequest::first_frame(Model::Fast, HTTPS_IMG).with_prompt("zoom out"),
            Mode::FirstFrame,
        ),
        (with_content(vec![image(HTTPS_IMG, None)]), Mode::FirstFrame),
        (
            CreateTaskRequest::first_last_frame(
                Model::Fast,
                HTTPS_IMG,
                "https://example.com/b.png",
            ),
            Mode::FirstLastFrame,
        ),
        (
            CreateTaskRequest::reference(
                Model::Fast,
                "use them",
                References::new()
                    .image(HTTPS_IMG)
                    .video("asset://v1")
                    .audio("https://example.com/a.mp3"),
            ),
            Mode::Reference,
        ),
    ];
    for (req, mode) in cases {
        let v = check(&req);
        assert_clean(&v);
        assert_eq!(v.mode, Some(mode));
    }
}

#[test]
fn content_must_not_be_empty() {
    let v = check(&with_content(vec![]));
    assert_issue(
        only_error(&v),
        "content",
        "content.empty",
        "empty array",
        "one text item",
    );
    assert_eq!(v.mode, None);
}

#[test]
fn text_must_not_be_blank() {
    let v = check(&with_content(vec![ContentItem::text("  ")]));
    assert_issue(
        only_error(&v),
        "content[0].text",
        "content.text_empty",
        "\"  \"",
        "not blank",
    );
}

#[test]
fn at_most_one_text() {
    let v = check(&with_content(vec![
        ContentItem::text("a"),
        ContentItem::text("b"),
    ]));
    assert_issue(
        only_error(&v),
        "content[1]",
        "content.text_count",
        "second text item",
        "at most one text item",
    );
    // with_prompt replaces rather than adds.
    assert_clean(&check(&t2v().with_prompt("b").with_prompt("c")));
}

#[test]
fn roles_must_fit_the_item() {
    let cases = [
        (
            image(HTTPS_IMG, Some(Role::ReferenceVideo)),
            "content[1].role",
            "\"reference_video\"",
            "first_frame",
        ),
        (
            image(HTTPS_IMG, Some(Role::from("hero"))),
            "content[1].role",
            "\"hero\"",
            "reference_image",
        ),
        (
            ContentItem::VideoUrl {
                video_url: MediaUrl {
                    url: "asset://v".into(),
                },
                role: None,
            },
            "content[1].role",
            "no role",
            "reference_video",
        ),
        (
            ContentItem::AudioUrl {
                audio_url: MediaUrl {
                    url: "asset://a".into(),
                },
                role: Some(Role::FirstFrame),
            },
            "content[1].role",
            "\"first_frame\"",
            "reference_audio",
        ),
    ];
    for (item, field, given, allowed) in cases {
        let v = check(&with_content(vec![ContentItem::text("p"), item]));
        assert_issue(only_error(&v), field, "content.role", given, allowed);
    }
}

#[test]
fn frame_and_reference_roles_never_mix() {
    let v = check(&with_content(vec![
        image(HTTPS_IMG, Some(Role::FirstFrame)),
        image(HTTPS_IMG, Some(Role::ReferenceImage)),
    ]));
    assert_issue(
        only_error(&v),
        "content[1].role",
        "content.mixed_roles",
        "content[0]",
        "never both",
    );

    let v = check(&with_content(vec![
        ContentItem::text("p"),
        image(HTTPS_IMG, None),
        ContentItem::reference_video("asset://v"),
    ]));
    assert_issue(
        only_error(&v),
        "content[2].role",
        "content.mixed_roles",
        "video reference",
        "never both",
    );
}

#[test]
fn frame_rules() {
    // A lone last frame.
    let v = check(&with_content(vec![image(HTTPS_IMG, Some(Role::LastFrame))]));
    assert_issue(
        only_error(&v),
        "content[0].role",
        "content.frames",
        "last_frame",
        "needs a first_frame",
    );
    // Two images, one without a role.
    let v = check(&with_content(vec![
        image(HTTPS_IMG, Some(Role::FirstFrame)),
        image(HTTPS_IMG, None),
    ]));
    assert_issue(
        only_error(&v),
        "content[1].role",
        "content.frames",
        "no role",
        "first_frame on one image and last_frame",
    );
    // Two first frames.
    let v = check(&with_content(vec![
        image(HTTPS_IMG, Some(Role::FirstFrame)),
        image(HTTPS_IMG, Some(Role::FirstFrame)),
    ]));
    assert_issue(
        only_error(&v),
        "content[1].role",
        "content.frames",
        "on both images",
        "last_frame on the other",
    );
    // Three frames.
    let v = check(&with_content(vec![
        image(HTTPS_IMG, Some(Role::FirstFrame)),
        image(HTTPS_IMG, Some(Role::LastFrame)),
        image(HTTPS_IMG, None),
    ]));
    assert_issue(
        only_error(&v),
        "content[2]",
        "content.frames",
        "3 frame images",
        "1 (first frame) or 2",
    );
    // Last before first is fine: roles, not order, decide.
    let req = with_content(vec![
        image(HTTPS_IMG, Some(Role::LastFrame)),
        image(HTTPS_IMG, Some(Role::FirstFrame)),
    ]);
    assert_eq!(check(&req).mode, Some(Mode::FirstLastFrame));
}

#[test]
fn reference_counts() {
    let mut refs = References::new();
    for _ in 0..9 {
        refs = refs.image(HTTPS_IMG);
    }
    for _ in 0..3 {
        refs = refs.video("asset://v").audio("asset://a");
    }
    assert_clean(&check(&CreateTaskRequest::reference(
        Model::Fast,
        "p",
        refs.clone(),
    )));

    let v = check(&CreateTaskRequest::reference(
        Model::Fast,
        "p",
        refs.clone().image(HTTPS_IMG),
    ));
    assert_issue(
        only_error(&v),
        "content[16]",
        "content.count",
        "10 reference images",
        "at most 9 reference images",
    );
    let v = check(&CreateTaskRequest::reference(
        Model::Fast,
        "p",
        refs.clone().video("asset://v"),
    ));
    assert_issue(
        only_error(&v),
        "content[16]",
        "content.count",
        "4 reference videos",
        "at most 3",
    );
    let v = check(&CreateTaskRequest::reference(
        Model::Fast,
        "p",
        refs.audio("asset://a"),
    ));
    assert_issue(
        only_error(&v),
        "content[16]",
        "content.count",
        "4 reference audios",
        "at most 3",
    );

    // The counts are limits a caller can change.
    let limits = Limits {
        max_images: 1,
        ..Limits::default()
    };
    let two = CreateTaskRequest::reference(
        Model::Fast,
        "p",
        References::new().image(HTTPS_IMG).image(HTTPS_IMG),
    );
    assert_eq!(only_error(&validate(&two, &limits)).rule, "content.count");
}

#[test]
fn videos_alone_are_a_reference() {
    let req = CreateTaskRequest::reference(Model::Fast, "p", References::new().video("asset://v"));
    assert_eq!(check(&req).mode, Some(Mode::Reference));
    assert_clean(&check(&req));
}

#[test]
fn audio_needs_an_image_or_video() {
    let v = check(&CreateTaskRequest::reference(
        Model::Fast,
        "p",
        References::new().audio("asset://a"),
    ));
    assert_issue(
        only_error(&v),
        "content[1]",
        "content.audio_alone",
        "without any image or video",
        "at least one reference image or video",
    );
    assert_eq!(v.mode, None);
}

#[test]
fn reference_without_prompt_warns() {
    let req = with_content(vec![image(HTTPS_IMG, Some(Role::ReferenceImage))]);
    let v = check(&req);
    assert!(v.is_ok());
    let w: Vec<_> = v.warnings().collect();
    assert_eq!(w.len(), 1);
    assert_issue(
        w[0],
        "content",
        "content.text_recommended",
        "without a prompt",
        "text item",
    );
}

// ---- URLs ----

fn first_frame(url: &str) -> CreateTaskRequest {
    CreateTaskRequest::first_frame(Model::Fast, url)
}

#[test]
fn url_schemes() {
    for ok in [
        "https://example.com/a.png",
        "HTTPS://EXAMPLE.COM/A.PNG",
        "asset://asset-2026-abc",
        &png_url(400, 300),
    ] {
        assert_clean(&check(&first_frame(ok)));
    }
    let field = "content[0].image_url.url";
    let cases = [
        ("", "url.empty", "empty URL", "https://, data: or asset://"),
        (
            " https://example.com/a.png",
            "url.whitespace",
            "\" https://",
            "without leading or trailing whitespace",
        ),
        ("https:///a.png", "url.host", "https:///a.png", "host name"),
        ("asset://", "url.asset", "asset://", "asset://<asset id>"),
        (
            "ftp://example.com/a.png",
            "url.scheme",
            "ftp://",
            "https://, data: or asset://",
        ),
        (
            "file:///etc/passwd",
            "url.scheme",
            "file://",
            "https://, data: or asset://",
        ),
        (
            "http://127.0.0.1:8787/a.png",
            "url.http",
            "http://127.0.0.1",
            "plain http:// only when Limits.allow_http",
        ),
    ];
    for (url, rule, given, allowed) in cases {
        assert_issue(
            only_error(&check(&first_frame(url))),
            field,
            rule,
            given,
            allowed,
        );
    }
    let local = Limits {
        allow_http: true,
        ..Limits::default()
    };
    assert!(
        validate(&first_frame("http://127.0.0.1:8787/a.png"), &local)
            .issues
            .is_empty()
    );
    assert_eq!(
        only_error(&validate(&first_frame("http:///a.png"), &local)).rule,
        "url.host"
    );
}

#[test]
fn data_url_syntax_and_types() {
    let field = "content[0].image_url.url";
    let v = check(&first_frame("data:image/png,rawbytes"));
    assert_issue(
        only_error(&v),
        field,
        "data_url.syntax",
        "is not base64",
        "data:<mime>;base64,",
    );
    let v = check(&first_frame("data:image/png;base64,@@@@"));
    assert_issue(
        only_error(&v),
        field,
        "data_url.syntax",
        "not standard base64 at payload offset 0",
        "standard base64",
    );

    let svg = dataurl::encode(
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        "image/svg+xml",
    );
    let v = check(&first_frame(&svg));
    let errs: Vec<_> = v.errors().map(|i| i.rule.as_str()).collect();
    assert_eq!(errs, ["data_url.mime", "data_url.format"]);
    assert_issue(
        v.errors().next().unwrap(),
        field,
        "data_url.mime",
        "image/svg+xml",
        "image/jpeg, image/png",
    );

    // Bytes of the wrong kind for the item.
    let v = check(&first_frame(&dataurl::encode(&wav(3.0), "image/png")));
    assert_issue(
        only_error(&v),
        field,
        "data_url.format",
        "WAV bytes in image_url",
        "image/jpeg",
    );

    // A label that disagrees with the bytes is a warning, not an error.
    let v = check(&first_frame(&dataurl::encode(
        &jpeg(400, 300, 0),
        "image/png",
    )));
    assert!(v.is_ok());
    assert_issue(
        v.warnings().next().unwrap(),
        field,
        "data_url.mime_mismatch",
        "JPEG bytes labelled image/png",
        "image/jpeg",
    );

    // Every documented image format passes.
    for bytes in [
        png(400, 300),
        jpeg(400, 300, 0),
        webp_vp8(400, 300),
        gif(400, 300),
        bmp(400, 300),
        tiff(400, 300, true),
    ] {
        assert_clean(&check(&first_frame(
            &dataurl::encode_sniffed(&bytes).unwrap(),
        )));
    }
}

#[test]
fn video_data_urls_are_refused_unless_allowed() {
    let url = dataurl::encode(&mp4(), "video/mp4");
    let req = CreateTaskRequest::reference(Model::Fast, "p", References::new().video(&url));
    let v = check(&req);
    assert_issue(
        only_error(&v),
        "content[1].video_url.url",
        "data_url.video",
        "data:video/mp4;base64",
        "https:// or asset://",
    );
    let allow = Limits {
        allow_video_data_urls: true,
        ..Limits::default()
    };
    assert!(validate(&req, &allow).issues.is_empty());
}

#[test]
fn audio_data_urls() {
    let with_audio = |url: &str| {
        CreateTaskRequest::reference(
            Model::Fast,
            "p",
            References::new().image(HTTPS_IMG).audio(url),
        )
    };
    assert_clean(&check(&with_audio(&dataurl::encode(
        &wav(3.0),
        "audio/wav",
    ))));
    assert_clean(&check(&with_audio(&dataurl::encode(&mp3(), "audio/mpeg"))));

    let v = check(&with_audio(&dataurl::encode(&wav(1.0), "audio/wav")));
    assert_issue(
        only_error(&v),
        "content[2].audio_url.url",
        "audio.duration",
        "1.0 s of audio",
        "2..=15 s per track",
    );

    let six = dataurl::encode(&wav(6.0), "audio/wav");
    let three = CreateTaskRequest::reference(
        Model::Fast,
        "p",
        References::new()
            .image(HTTPS_IMG)
            .audio(&six)
            .audio(&six)
            .audio(&six),
    );
    let v = check(&three);
    assert_issue(
        only_error(&v),
        "content",
        "audio.total_duration",
        "18.0 s of audio in all",
        "at most 15 s in all",
    );
}

#[test]
fn data_url_sizes() {
    let small = Limits {
        max_image_bytes: 1000,
        ..Limits::default()
    };
    let mut big = png(400, 300);
    big.resize(1001, 0);
    let url = dataurl::encode(&big, "image/png");
    let v = validate(&first_frame(&url), &small);
    assert_issue(
        only_error(&v),
        "content[0].image_url.url",
        "data_url.size",
        "1001 bytes",
        "at most 1000 bytes per image",
    );
    big.truncate(1000);
    assert!(validate(&first_frame(&dataurl::encode(&big, "image/png")), &small).is_ok());

    // The default: under 30 MB, so exactly 30 MiB is too much.
    let mut huge = png(400, 300);
    huge.resize(30 * 1024 * 1024, 0);
    let v = check(&first_frame(&dataurl::encode(&huge, "image/png")));
    assert_issue(
        only_error(&v),
        "content[0].image_url.url",
        "data_url.size",
        "(31457280 bytes)",
        "at most 30.0 MB per image",
    );
    huge.truncate(30 * 1024 * 1024 - 1);
    assert!(check(&first_frame(&dataurl::encode(&huge, "image/png"))).is_ok());
}

#[test]
fn image_pixels_and_aspect() {
    let field = "content[0].image_url.url";
    for (w, h) in [
        (300, 300),
        (6000, 6000),
        (750, 300),
        (300, 750),
        (5000, 2000),
    ] {
        assert_clean(&check(&first_frame(&png_url(w, h))));
    }
    let v = check(&first_frame(&png_url(299, 400)));
    assert_issue(
        only_error(&v),
        field,
        "image.pixels",
        "299×400",
        "each side 300..=6000 px",
    );
    let v = check(&first_frame(&png_url(6001, 3000)));
    assert_issue(
        only_error(&v),
        field,
        "image.pixels",
        "6001×3000",
        "each side 300..=6000 px",
    );
    let v = check(&first_frame(&png_url(2600, 1000)));
    assert_issue(
        only_error(&v),
        field,
        "image.aspect",
        "width/height 2.60",
        "width/height 0.4..=2.5",
    );
    let v = check(&first_frame(&png_url(390, 1000)));
    assert_issue(only_error(&v), field, "image.aspect", "0.39", "0.4..=2.5");
    // A JPEG with its frame header past 64 KiB of metadata is still measured.
    let url = dataurl::encode(&jpeg(200, 200, 200_000), "image/jpeg");
    assert_issue(
        only_error(&check(&first_frame(&url))),
        field,
        "image.pixels",
        "200×200",
        "300..=6000",
    );
}

#[test]
fn body_size_limit() {
    let url = png_url(400, 300);
    let limits = Limits {
        max_body_bytes: 200,
        ..Limits::default()
    };
    let v = validate(&first_frame(&url), &limits);
    assert_issue(
        only_error(&v),
        "content",
        "body.size",
        "MB JSON body",
        "send large media as https:// or asset:// URLs",
    );
    assert!(validate(&first_frame(HTTPS_IMG), &limits).is_ok());
}

#[test]
fn long_urls_are_shortened_in_messages() {
    let mut big = png(100, 100);
    big.resize(50_000, 0);
    let url = dataurl::encode(&big, "image/png");
    let v = check(&first_frame(&url));
    let issue = only_error(&v);
    assert!(issue.given.len() < 100, "{}", issue.given);
    assert!(!issue.given.contains("iVBOR"));
}

#[test]
fn validate_method_uses_default_limits() {
    assert!(t2v().validate().unwrap().is_empty());
    let err = t2v().with_duration(99).validate().unwrap_err();
    assert_eq!(err.issues[0].field, "duration");
    // `?` into the crate's error keeps every issue.
    match Error::from(err) {
        Error::Validation(v) => assert_eq!(v.issues[0].field, "duration"),
        other => panic!("expected a validation error, got {other:?}"),
    }
}
