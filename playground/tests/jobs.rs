//! The logic of the Film, Variations and Batch views, natively: the storyboard (add,
//! remove, reorder, continue or cut) and its problems placed beside each shot, what a pasted
//! batch makes, each job's line, what Cancel does to the journal, the spend guard over a
//! whole run, what is kept to resume, and the state the two apps share.

use seedance::jobs::{Batch, JobState, Journal, ReconcileOptions};
use seedance::{Limits, Model, Ratio, Resolution, TaskStatus};
use seedance_playground::bridge::BridgeState;
use seedance_playground::connection::{Backend, Connection, Settings};
use seedance_playground::form::{Form, ImageSlot};
use seedance_playground::guard::Guard;
use seedance_playground::nav::{is_lazy, view_index, VIEWS};
use seedance_playground::runs::{
    self, batch_of, cancel_pending, cancel_plan, deleted, key_words, label, prompts,
    settings_summary, unfinished, variation_request, RunSource,
};
use seedance_playground::storyboard::{shot_label, shot_of, Storyboard};

fn board(prompts: &[&str]) -> Storyboard {
    let mut b = Storyboard::default();
    for (k, p) in prompts.iter().enumerate() {
        if k > 0 {
            b.add();
        }
        let id = b.shots[k].id;
        b.edit(id, |s| s.prompt = (*p).to_owned());
    }
    b
}

fn texts(b: &Storyboard) -> Vec<&str> {
    b.shots.iter().map(|s| s.prompt.as_str()).collect()
}

#[test]
fn shots_are_added_moved_and_removed_by_id() {
    let mut b = board(&["a", "b", "c"]);
    let ids: Vec<u32> = b.shots.iter().map(|s| s.id).collect();
    assert_eq!(ids, [0, 1, 2], "ids are stable and distinct");
    b.step(ids[2], -1);
    assert_eq!(texts(&b), ["a", "c", "b"]);
    b.step(ids[0], -1);
    assert_eq!(texts(&b), ["a", "c", "b"], "the first shot can't move up");
    b.step(ids[1], 1);
    assert_eq!(texts(&b), ["a", "c", "b"], "the last shot can't move down");
    b.step(ids[0], 1);
    assert_eq!(texts(&b), ["c", "a", "b"]);
    b.remove(ids[0]);
    assert_eq!(texts(&b), ["c", "b"]);
    b.remove(ids[2]);
    b.remove(ids[1]);
    assert_eq!(texts(&b), ["b"], "a film keeps one shot");
    let new = b.add();
    assert_eq!(new, 3, "a removed shot's id is not given again");
    assert_eq!(
        b.shots[1].duration, b.shots[0].duration,
        "a new shot takes the last one's length"
    );
}

#[test]
fn the_film_takes_the_forms_settings_and_each_shots_way_in() {
    let mut b = board(&["fox wakes", "steps out", "owl watches"]);
    b.edit(2, |s| {
        s.cut = true;
        s.duration = 6;
    });
    b.edit(0, |s| s.cut = true); // the first shot is always fresh: ignored
    let form = Form {
        model: Model::Standard,
        resolution: Resolution::P1080,
        ratio: Ratio::R9x16,
        audio: false,
        seed: "42".into(),
        ..Form::default()
    };
    let film = b.film(&form);
    assert_eq!(
        (
            film.model.clone(),
            film.resolution.clone(),
            film.ratio.clone(),
            film.generate_audio,
            film.seed
        ),
        (
            Model::Standard,
            Resolution::P1080,
            Ratio::R9x16,
            false,
            Some(42)
        )
    );
    assert_eq!(
        film.shots.iter().map(|s| s.cut).collect::<Vec<_>>(),
        [false, false, true]
    );
    let plan = film.plan();
    assert_eq!(plan.jobs[1].continues, Some(0));
    assert_eq!(plan.jobs[2].continues, None);
    assert_eq!(
        shot_label(&b, 0),
        "Shot 1 · opens the film",
        "the first shot's label"
    );
    assert_eq!(shot_label(&b, 1), "Shot 2 · continues from shot before");
    assert_eq!(shot_label(&b, 2), "Shot 3 · cut");
}

#[test]
fn problems_sit_beside_their_shot_by_its_path() {
    let mut b = board(&["fine", "", "has an image"]);
    b.edit(2, |s| {
        s.image = ImageSlot::from_url("ftp://example.com/a.png")
    });
    b.edit(1, |s| s.duration = 3);
    let c = b.check(&Form::default(), &Limits::default(), None);
    assert!(!c.ok());
    let at = |k| {
        c.at(Some(k))
            .into_iter()
            .map(|p| p.path)
            .collect::<Vec<_>>()
    };
    assert!(at(0).is_empty(), "{:?}", c.problems);
    assert!(
        at(1).contains(&"shots[1].duration".to_owned()),
        "{:?}",
        c.problems
    );
    // A continued shot may go without a prompt (it starts from a frame); the first may not,
    // and says so quietly until Run is pressed.
    let lone = board(&[""]).check(&Form::default(), &Limits::default(), None);
    let empty = lone.at(Some(0)).into_iter().find(|p| p.quiet);
    let empty = empty.unwrap_or_else(|| panic!("the empty prompt: {:?}", lone.problems));
    assert!(
        empty.message.contains("Write a prompt"),
        "{}",
        empty.message
    );
    assert!(
        at(2).contains(&"shots[2].image".to_owned()),
        "an image on a continued shot is refused beside it: {:?}",
        c.problems
    );
    assert_eq!(shot_of("shots[12].prompt"), Some(12));
    assert_eq!(shot_of("resolution"), None);
    // Fixed: the problems go.
    b.edit(1, |s| {
        s.prompt = "now written".into();
        s.duration = 4;
    });
    b.edit(2, |s| s.cut = true);
    b.edit(2, |s| s.image = ImageSlot::default());
    let c = b.check(&Form::default(), &Limits::default(), None);
    assert!(c.ok(), "{:?}", c.problems);
    assert_eq!(c.estimate.seconds_max, 5 + 4 + 5);
    assert_eq!(c.estimate.tokens_max, c.film.estimate(None).tokens_max);
}

#[test]
fn a_pasted_batch_is_one_request_per_line_with_the_forms_settings() {
    let text = "  a kite over dunes \n\n\t\na lighthouse in a storm\n   \n";
    assert_eq!(
        prompts(text),
        ["a kite over dunes", "a lighthouse in a storm"]
    );
    let form = Form {
        resolution: Resolution::P480,
        duration: 7,
        prompt: "ignored".into(),
        ..Form::default()
    };
    let batch = batch_of(&form, text);
    assert_eq!(batch.jobs.len(), 2);
    assert_eq!(
        batch.jobs[1].request.prompt(),
        Some("a lighthouse in a storm")
    );
    assert!(batch
        .jobs
        .iter()
        .all(|j| j.request.resolution == Some(Resolution::P480) && j.request.duration == Some(7)));
    assert!(batch.validate(&Limits::default()).is_ok());
    assert!(batch_of(&form, "\n \n").jobs.is_empty());
}

#[test]
fn variations_are_of_the_forms_request_with_a_last_frame_to_go_on_from() {
    let form = Form {
        prompt: "a lighthouse".into(),
        seed: "7".into(),
        ..Form::default()
    };
    let req = variation_request(&form);
    assert_eq!(req.return_last_frame, Some(true));
    assert_eq!(
        req.seed, None,
        "the form's seed is not copied: each variation draws its own"
    );
    let batch = Batch::variations(&req, 4, 99);
    let seeds: std::collections::HashSet<_> = batch.jobs.iter().map(|j| j.request.seed).collect();
    assert_eq!(seeds.len(), 4);
    assert_eq!(
        settings_summary(&form),
        "2.0 fast · 720p · 16:9 · sound on · seed 7"
    );
}

fn journal(batch: &Batch) -> Journal {
    Journal::reconcile(&batch.plan(), None, "batch", ReconcileOptions::default()).unwrap()
}

#[test]
fn cancel_deletes_the_queued_names_the_running_and_creates_nothing_more() {
    let batch = batch_of(&Form::default(), "a\nb\nc\nd\ne");
    let mut j = journal(&batch);
    for (i, id) in ["t0", "t1", "t2"].iter().enumerate() {
        j.begin_create(i, None, 1);
        j.created(i, id, 2);
    }
    j.jobs[0].status = Some(TaskStatus::Running);
    let plan = cancel_plan(&j);
    assert_eq!(plan.delete, [(1, "t1".to_owned()), (2, "t2".to_owned())]);
    assert_eq!(plan.running, ["job 1"]);
    cancel_pending(&mut j, 5);
    deleted(&mut j, 1, 6);
    deleted(&mut j, 2, 6);
    let labels: Vec<String> = j.jobs.iter().map(label).collect();
    assert_eq!(
        labels,
        [
            "running",
            "cancelled",
            "cancelled",
            "cancelled",
            "cancelled"
        ]
    );
    assert!(unfinished(&j), "the running one is still waited for");
    // A reload does not create the cancelled jobs again.
    let again = RunSource::Batch { batch }.journal(Some(j.clone())).unwrap();
    assert_eq!(again.count(JobState::Pending), 0);
    assert_eq!(again.count(JobState::Failed), 4);
    j.jobs[0].state = JobState::Downloaded;
    assert!(!unfinished(&j));
}

#[test]
fn job_lines_in_words() {
    let batch = batch_of(&Form::default(), "a");
    let mut j = journal(&batch);
    assert_eq!(label(&j.jobs[0]), "waiting");
    j.begin_create(0, None, 1);
    assert_eq!(label(&j.jobs[0]), "creating");
    j.created(0, "t", 2);
    assert_eq!(label(&j.jobs[0]), "queued");
    j.jobs[0].state = JobState::Succeeded;
    assert_eq!(label(&j.jobs[0]), "downloading");
    j.downloaded(0, "batch.clip.x".into(), None);
    assert_eq!(label(&j.jobs[0]), "done");
    assert_eq!(key_words("shots[2]"), "shot 3");
    assert_eq!(key_words("jobs[0]"), "job 1");
    assert_eq!(key_words("seed-42"), "seed-42");
    assert_eq!(runs::limits(false).concurrency, 3);
    assert_eq!(runs::limits(true).concurrency, 10);
}

#[test]
fn the_spend_guard_asks_about_a_whole_run() {
    let form = Form {
        model: Model::Standard,
        resolution: Resolution::P1080,
        ..Form::default()
    };
    let batch = batch_of(&form, "a\nb");
    let plan = batch.plan();
    let estimate = batch.estimate(None);
    let guard = Guard {
        budget: format!("{}", estimate.tokens_max - 1),
        spent: 0,
    };
    let why = runs::needs_asking(&guard, &estimate, &plan);
    assert_eq!(why.len(), 2, "{why:?}");
    assert!(why[0].contains("session budget") && why[1].contains("1080p"));
    let long = batch_of(
        &Form {
            duration: 12,
            ..Form::default()
        },
        "a",
    );
    let why = runs::needs_asking(&Guard::default(), &long.estimate(None), &long.plan());
    assert_eq!(why, ["it may run up to 12 s (longer than 10 s)"]);
}

#[test]
fn a_run_is_kept_as_json_and_comes_back() {
    let b = board(&["one", "two"]);
    let film = b.film(&Form::default());
    for source in [
        RunSource::Film { film, board: b },
        RunSource::Batch {
            batch: batch_of(&Form::default(), "x\ny"),
        },
        RunSource::Variations {
            batch: Batch::variations(&variation_request(&Form::default()), 2, 1),
        },
    ] {
        if let RunSource::Film { .. } = source {
            let plan = source.plan();
            assert!(
                plan.jobs
                    .iter()
                    .all(|j| j.request.return_last_frame == Some(true)),
                "every shot returns its last frame (a thumbnail)"
            );
        }
        let text = serde_json::to_string(&source).unwrap();
        let back: RunSource = serde_json::from_str(&text).unwrap();
        assert_eq!(back, source);
        let j = back.journal(None).unwrap();
        assert_eq!(j.kind, source.kind());
        let text = serde_json::to_string(&j).unwrap();
        let again = back.journal(serde_json::from_str(&text).ok()).unwrap();
        assert_eq!(again, j, "a saved journal resumes as it was");
    }
}

#[test]
fn the_two_apps_share_connection_form_and_guard() {
    let conn = Connection {
        settings: Settings {
            backend: Some(Backend::Proxy),
            proxy_url: "http://127.0.0.1:9/api/v3".into(),
            ..Settings::default()
        },
        key: "sk-typed".into(),
        remember: true,
        sim: Some(false),
    };
    let mut form = Form {
        prompt: "shared".into(),
        ..Form::default()
    };
    form.first = ImageSlot::from_url("data:image/png;base64,AAAA");
    let guard = Guard {
        budget: "1000".into(),
        spent: 10,
    };
    let s = BridgeState::of(&conn, &form, &guard);
    let back: BridgeState = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    assert_eq!(back.form(), form, "the images come along");
    assert_eq!(back.guard(), guard);
    let c = back.connection();
    assert_eq!(
        (c.settings, c.key, c.sim, c.remember),
        (conn.settings.clone(), conn.key.clone(), conn.sim, false)
    );
    assert_eq!(
        conn.run_poll_interval(),
        Some(std::time::Duration::from_millis(300)),
        "a proxy on this machine (in front of the simulator) is polled often"
    );
    assert_eq!(VIEWS[view_index("Batch")], "Batch");
    assert!(!is_lazy(0) && is_lazy(view_index("Film")));
}
