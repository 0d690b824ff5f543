//! The playground's state logic, natively: which backend is used and what it needs, a run's
//! status word, errors in plain words, and what history keeps of a run.

use std::sync::Arc;

use seedance::{Error, Task, TaskStatus};
use seedance_playground::connection::{Backend, Connection, Settings, SIM_KEY};
use seedance_playground::errors::{explain, Shown};
use seedance_playground::form::{Form, ImageSlot, Picked};
use seedance_playground::history::{History, Record, MAX};
use seedance_playground::mode::Mode;
use seedance_playground::run::{Phase, RunState};

fn task(json: serde_json::Value) -> Task {
    serde_json::from_value(json).expect("a task")
}

#[test]
fn the_backend_is_the_users_choice_else_the_simulator_when_it_answers() {
    let mut c = Connection::default();
    assert_eq!(c.backend(), Backend::Proxy, "nothing known yet");
    c.sim = Some(true);
    assert_eq!(c.backend(), Backend::Local);
    assert!(
        c.limits().allow_http,
        "the simulator serves media over http"
    );
    assert!(!c.scale_polls());
    assert_eq!(c.api_key(), Ok(SIM_KEY));
    c.settings.backend = Some(Backend::Direct);
    assert_eq!(c.backend(), Backend::Direct);
    assert!(!c.limits().allow_http);
    assert_eq!(
        c.api_key(),
        Err("Enter your API key under Connection.".into())
    );
    c.key = "  sk-abc  ".into();
    assert_eq!(c.api_key(), Ok("sk-abc"));
    assert_eq!(
        c.base_url(None).as_deref(),
        Ok(Settings::default().direct_url.as_str())
    );
}

#[test]
fn a_proxy_needs_its_url_and_only_a_local_one_may_serve_http_media() {
    let mut c = Connection {
        settings: Settings {
            backend: Some(Backend::Proxy),
            ..Settings::default()
        },
        ..Connection::default()
    };
    assert_eq!(
        c.base_url(None),
        Err("Enter your proxy's URL under Connection.".into())
    );
    c.settings.proxy_url = " https://w.example/api/v3 ".into();
    assert_eq!(c.base_url(None).as_deref(), Ok("https://w.example/api/v3"));
    assert!(!c.limits().allow_http);
    c.settings.proxy_url = "http://127.0.0.1:8788/api/v3".into();
    assert!(c.limits().allow_http);
    assert_eq!(
        c.api_key(),
        Ok(SIM_KEY),
        "a placeholder: the proxy adds the key"
    );
    // The simulator's URL is the page's own.
    c.settings.backend = Some(Backend::Local);
    assert!(c.base_url(None).is_err());
    assert_eq!(
        c.base_url(Some("http://x/seedance/api/v3".into()))
            .as_deref(),
        Ok("http://x/seedance/api/v3")
    );
}

#[test]
fn the_status_word_says_where_a_run_is() {
    let at = |phase, status| {
        RunState {
            phase,
            status,
            ..RunState::default()
        }
        .label()
    };
    assert_eq!(at(Phase::Idle, None), None);
    assert_eq!(at(Phase::Creating, None).as_deref(), Some("creating"));
    assert_eq!(at(Phase::Waiting, None).as_deref(), Some("created"));
    assert_eq!(
        at(Phase::Waiting, Some(TaskStatus::Running)).as_deref(),
        Some("running")
    );
    assert_eq!(
        at(Phase::Stopped("x".into()), None).as_deref(),
        Some("stopped")
    );
    assert_eq!(
        at(Phase::Failed(Shown::plain("a", "b")), None).as_deref(),
        Some("ended")
    );
    assert!(RunState {
        phase: Phase::Creating,
        ..RunState::default()
    }
    .busy());
    assert_eq!(Phase::Waiting.key(), "waiting");
}

#[test]
fn errors_read_in_plain_words_with_their_codes() {
    let failed = explain(Error::TaskFailed {
        task: Box::new(task(serde_json::json!({
            "id": "cgt-1",
            "status": "failed",
            "error": {"code": "OutputVideoSensitiveContentDetected", "message": "The output was flagged."}
        }))),
    });
    assert_eq!(failed.title, "The task failed");
    assert_eq!(
        failed.code.as_deref(),
        Some("OutputVideoSensitiveContentDetected")
    );
    assert_eq!(failed.task_id.as_deref(), Some("cgt-1"));
    assert!(
        failed.detail.starts_with("Moderation stopped it"),
        "{}",
        failed.detail
    );
    assert!(failed.find_it.is_none());

    let arg = explain(Error::InvalidArgument {
        field: "base_url".into(),
        message: "not an absolute http(s) URL".into(),
    });
    assert_eq!(arg.title, "Check the base url");
    assert!(arg.detail.ends_with("Nothing was sent."));
}

fn picked(name: &str) -> Picked {
    Picked {
        name: name.into(),
        url: Arc::from("data:image/png;base64,iVBORw0KGgo="),
        bytes: 10,
        w: 640,
        h: 360,
        mime: "image/png".into(),
    }
}

#[test]
fn history_notes_a_run_keeps_its_form_light_and_hands_back_its_images() {
    let form = Form {
        mode: Mode::FirstFrame,
        prompt: "the boat sails off".into(),
        first: ImageSlot {
            picked: Some(picked("start.png")),
            url: String::new(),
        },
        ..Form::default()
    };
    let request = form.check(&Default::default(), None).request;
    let mut state = RunState {
        phase: Phase::Waiting,
        task_id: Some("cgt-new".into()),
        status: Some(TaskStatus::Queued),
        started_ms: 1.0,
        request: Some(request),
        ..RunState::default()
    };
    let mut history = History(vec![Record {
        id: "cgt-old".into(),
        status: "succeeded".into(),
        ..Record::default()
    }]);
    let noted = history.note(&state, Some(&form)).unwrap();
    let (id, payloads) = noted.payloads.expect("the picked image is kept apart");
    assert_eq!(
        (id.as_str(), payloads.first),
        ("cgt-new", Some(picked("start.png")))
    );
    let rec = &history.0[0];
    assert_eq!(
        (rec.id.as_str(), rec.status.as_str()),
        ("cgt-new", "queued")
    );
    assert_eq!(rec.prompt, "the boat sails off");
    assert_eq!(rec.params, "2.0 fast · 720p · 16:9 · 5 s");
    let light = rec.form.clone().unwrap();
    assert_eq!(light.first.picked, None, "no payload in the record");
    assert!(rec.unfinished());

    // The end of the same run updates the record in place, at the top.
    state.phase = Phase::Succeeded(Box::new(task(serde_json::json!({
        "id": "cgt-new",
        "status": "succeeded",
        "content": {"video_url": "https://tos.example/v.mp4?X-Tos-Expires=86400"}
    }))));
    state.status = Some(TaskStatus::Succeeded);
    let noted = history.note(&state, Some(&form)).unwrap();
    assert_eq!(noted.payloads, None, "kept once");
    assert_eq!(history.0.len(), 2);
    assert_eq!(history.0[0].status, "succeeded");
    assert!(history.0[0].video_url.is_some());

    // A run stopped while it was still going is marked so.
    let stopped = RunState {
        phase: Phase::Stopped("Stopped watching".into()),
        task_id: Some("cgt-watched".into()),
        status: Some(TaskStatus::Running),
        ..RunState::default()
    };
    history.note(&stopped, None).unwrap();
    assert_eq!(history.0[0].status, "stopped");
    assert_eq!(
        history.0[0].form, None,
        "a watched task has no form of ours"
    );

    // No task id yet: nothing to note. Past the limit, the oldest go.
    assert_eq!(history.note(&RunState::default(), None), None);
    for i in 0..MAX {
        let s = RunState {
            task_id: Some(format!("cgt-{i}")),
            ..RunState::default()
        };
        let noted = history.note(&s, None).unwrap();
        if i + 3 > MAX {
            assert_eq!(noted.dropped.len(), 1);
        }
    }
    assert_eq!(history.0.len(), MAX);
    assert!(history.find("cgt-old").is_none());
}
