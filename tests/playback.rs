//! The simulator's MP4 plays in a real browser from its signed URL: what a user of the
//! playground will see. Browser only (Node has no media stack).
#![cfg(target_arch = "wasm32")]

mod sim_support;

use seedance::{CreateTaskRequest, Model, Ratio, WaitOptions};
use sim_support::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlVideoElement;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test::wasm_bindgen_test]
async fn the_result_video_plays_inline() {
    let sim = SimHandle::start().await;
    let client = sim.client(&test_key("playback"));
    let req = CreateTaskRequest::text_to_video(Model::Fast, "a video to watch")
        .with_ratio(Ratio::R16x9)
        .with_duration(4);
    let task = client
        .generate(&req, WaitOptions::new().policy(fast_policy()))
        .await
        .unwrap();
    let url = task.video_url().unwrap();

    let document = web_sys::window().unwrap().document().unwrap();
    let video: HtmlVideoElement = document
        .create_element("video")
        .unwrap()
        .dyn_into()
        .unwrap();
    video.set_muted(true);
    video.set_attribute("playsinline", "").unwrap();
    video.set_src(url);
    document.body().unwrap().append_child(&video).unwrap();

    // readyState 2 (HAVE_CURRENT_DATA) means a frame was decoded; wait for it by state,
    // not by time, with a generous bound so a slow machine only makes it slower.
    for _ in 0..300 {
        if video.ready_state() >= 2 || video.error().is_some() {
            break;
        }
        pause(100).await;
    }
    assert!(
        video.error().is_none(),
        "the browser could not decode the video: code {:?}",
        video.error().map(|e| e.code())
    );
    assert!(
        video.ready_state() >= 2,
        "readyState {}",
        video.ready_state()
    );
    let duration = video.duration();
    // The simulator's clip lasts the task's duration, at its ratio's size.
    assert!((3.95..=4.05).contains(&duration), "duration {duration}");
    assert_eq!((video.video_width(), video.video_height()), (640, 360));

    let log = sim.requests().await;
    let media: Vec<_> = log
        .iter()
        .filter(|e| path(e).starts_with("/tos/"))
        .collect();
    assert!(!media.is_empty());
    assert!(media.iter().all(|e| header(e, "authorization").is_none()));
}
