//! The playground's components in Chromium (wasm-bindgen-test): each mounted alone with
//! its state, driven as a user would (typing, choosing, clicking), and checked by what the
//! page shows and what the state holds. The logic behind them is tested natively
//! (`logic.rs`, `stored.rs`); the whole page against the simulator in `e2e/`.
#![cfg(target_arch = "wasm32")]

use std::any::Any;

use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};

use seedance::{Limits, Model, Resolution};
use seedance_playground::check::Checked;
use seedance_playground::connection::{Backend, Connection, Settings};
use seedance_playground::errors::Shown;
use seedance_playground::fields::{Check, TextField};
use seedance_playground::form::Form;
use seedance_playground::guard::Guard;
use seedance_playground::history::{History, Record};
use seedance_playground::mode::Mode;
use seedance_playground::panels::connection::ConnectionPanel;
use seedance_playground::panels::curl::CurlBox;
use seedance_playground::panels::history::HistoryPanel;
use seedance_playground::panels::mode_tabs::ModeTabs;
use seedance_playground::panels::parameters::Parameters;
use seedance_playground::panels::prices::PricesBox;
use seedance_playground::panels::prompt::Prompt;
use seedance_playground::panels::run::RunPanel;
use seedance_playground::panels::spend_guard::SpendGuard;
use seedance_playground::prices::Prices;
use seedance_playground::run::{Phase, RunState};
use seedance_playground::runner::Runner;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// A component mounted in a `<div>` of its own; unmounted when dropped.
struct Mounted {
    root: HtmlElement,
    _handle: Box<dyn Any>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}

fn mount<N: IntoView + 'static>(view: impl FnOnce() -> N + 'static) -> Mounted
where
    N::State: 'static,
{
    let document = web_sys::window().unwrap().document().unwrap();
    let root: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = leptos::mount::mount_to(root.clone(), view);
    Mounted {
        root,
        _handle: Box::new(handle),
    }
}

impl Mounted {
    fn find(&self, selector: &str) -> Option<Element> {
        self.root.query_selector(selector).unwrap()
    }

    fn get(&self, selector: &str) -> Element {
        self.find(selector)
            .unwrap_or_else(|| panic!("no {selector} in {}", self.root.inner_html()))
    }

    fn count(&self, selector: &str) -> u32 {
        self.root.query_selector_all(selector).unwrap().length()
    }

    fn text(&self, selector: &str) -> String {
        self.get(selector).text_content().unwrap_or_default()
    }

    fn input(&self, selector: &str) -> HtmlInputElement {
        self.get(selector).unchecked_into()
    }

    /// Type `value` into an input or textarea (an `input` event, as a keystroke sends).
    fn type_in(&self, selector: &str, value: &str) {
        let el = self.get(selector);
        js_sys::Reflect::set(&el, &"value".into(), &value.into()).unwrap();
        dispatch(&el, "input");
    }

    /// Choose an option of a select by its value.
    fn choose(&self, selector: &str, value: &str) {
        let el: HtmlSelectElement = self.get(selector).unchecked_into();
        el.set_value(value);
        dispatch(&el, "change");
    }

    fn click(&self, selector: &str) {
        self.get(selector).unchecked_into::<HtmlElement>().click();
    }
}

fn dispatch(target: &Element, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::Event::new_with_event_init_dict(kind, &init).unwrap();
    target.dispatch_event(&ev).unwrap();
}

/// Let the reactive system update the page.
async fn settle() {
    for _ in 0..3 {
        tick().await;
    }
}

fn checked_memo(form: RwSignal<Form>) -> Memo<Checked> {
    Memo::new(move |_| form.with(|f| f.check(&Limits::default(), None)))
}

#[wasm_bindgen_test]
async fn text_field_and_check_follow_their_state_both_ways() {
    let form = RwSignal::new(Form::default());
    let page = mount(move || {
        view! {
            <TextField state=form id="seed" label="Seed" get=|f| &f.seed set=|f, v| f.seed = v
                inputmode="numeric" placeholder="random" />
            <Check state=form get=|f| f.audio set=|f, on| f.audio = on label=" Generate audio" />
        }
    });
    assert_eq!(page.text("label[for=seed]"), "Seed");
    let seed = page.input("#seed");
    assert_eq!(
        (seed.type_(), seed.placeholder()),
        ("text".into(), "random".into())
    );
    page.type_in("#seed", "42");
    assert_eq!(form.with_untracked(|f| f.seed.clone()), "42");
    form.update(|f| f.seed = "7".into());
    settle().await;
    assert_eq!(page.input("#seed").value(), "7");

    assert!(page.input("input[type=checkbox]").checked());
    page.click("input[type=checkbox]");
    assert!(!form.with_untracked(|f| f.audio));
    assert!(page.get("label").text_content().is_some());
}

#[wasm_bindgen_test]
async fn parameters_offer_1080p_only_on_the_standard_model() {
    let form = RwSignal::new(Form::default());
    let attempted = RwSignal::new(false);
    let page = mount(move || {
        let checked = checked_memo(form);
        view! { <Parameters form checked attempted /> }
    });
    let p1080 = "#resolution option[value=\"1080p\"]";
    assert!(page.get(p1080).has_attribute("disabled"));
    assert!(page
        .text("#resolution-note")
        .contains("1080p needs the standard model"));
    assert_eq!(page.text("#model option:checked"), "2.0 fast");

    page.choose("#model", Model::Standard.as_str());
    settle().await;
    assert_eq!(form.with_untracked(|f| f.model.clone()), Model::Standard);
    assert!(!page.get(p1080).has_attribute("disabled"));
    assert_eq!(page.text("#resolution-note"), "");
    page.choose("#resolution", "1080p");
    assert_eq!(
        form.with_untracked(|f| f.resolution.clone()),
        Resolution::P1080
    );
    // Back to fast: 1080p is not offered, so the resolution falls back to 720p.
    page.choose("#model", Model::Fast.as_str());
    settle().await;
    assert_eq!(
        form.with_untracked(|f| f.resolution.clone()),
        Resolution::P720
    );
    assert_eq!(page.text("#resolution option:checked"), "720p");

    // Auto, then every whole second the API allows.
    assert_eq!(page.count("#duration option"), 13);
    assert_eq!(
        page.text("#duration option[value=\"-1\"]"),
        "Auto (model picks 4–15 s)"
    );
    page.choose("#duration", "-1");
    assert_eq!(form.with_untracked(|f| f.duration), -1);

    page.type_in("#seed", "12abc");
    settle().await;
    assert!(page
        .text("#seed-problems li")
        .contains("not a whole number"));
}

#[wasm_bindgen_test]
async fn a_blank_prompt_is_flagged_only_once_generate_was_pressed() {
    let form = RwSignal::new(Form::default());
    let attempted = RwSignal::new(false);
    let page = mount(move || {
        let checked = checked_memo(form);
        view! { <Prompt form checked attempted /> }
    });
    assert_eq!(page.text("label[for=prompt]"), "Prompt");
    assert_eq!(
        page.count("#prompt-problems li"),
        0,
        "quiet before an attempt"
    );
    attempted.set(true);
    settle().await;
    assert!(page
        .text("#prompt-problems li.problem.error")
        .contains("Write a prompt"));
    page.type_in("#prompt", "a fox in the snow");
    settle().await;
    assert_eq!(page.text("#prompt-count"), "17 characters");
    assert_eq!(page.count("#prompt-problems li"), 0);
    form.update(|f| f.mode = Mode::FirstFrame);
    settle().await;
    assert_eq!(page.text("label[for=prompt]"), "Prompt (optional)");
}

#[wasm_bindgen_test]
async fn mode_tabs_select_one_mode() {
    let form = RwSignal::new(Form::default());
    let page = mount(move || view! { <ModeTabs form /> });
    assert_eq!(page.count("[role=tab]"), 4);
    assert_eq!(page.text("[aria-selected=true]"), "Text to video");
    page.click("#tab-first_last");
    settle().await;
    assert_eq!(form.with_untracked(|f| f.mode), Mode::FirstLastFrame);
    assert_eq!(page.count("[aria-selected=true]"), 1);
    assert_eq!(page.text("[aria-selected=true]"), "First + last frame");
}

#[wasm_bindgen_test]
async fn the_spend_guard_and_prices_keep_what_is_typed() {
    let guard = RwSignal::new(Guard {
        budget: String::new(),
        spent: 108_900,
    });
    let prices = RwSignal::new(Prices::default());
    let page = mount(move || view! { <SpendGuard guard /> <PricesBox prices /> });
    assert!(page
        .text("#budget-note")
        .starts_with("Asked for so far: 108,900 tokens."));
    assert_eq!(page.input("#budget").placeholder(), "none");
    page.type_in("#budget", "200,000");
    assert_eq!(guard.with_untracked(|g| g.budget.clone()), "200,000");
    assert_eq!(page.count(".price-grid input[placeholder=\"not set\"]"), 5);
    page.type_in("#price-fast", "37");
    page.type_in("#price-currency", "USD");
    assert_eq!(
        prices.with_untracked(|p| (p.fast.clone(), p.currency.clone())),
        ("37".into(), "USD".into())
    );
}

#[wasm_bindgen_test]
async fn the_connection_panel_shows_the_chosen_backend_and_keeps_the_key_in_memory() {
    let conn = RwSignal::new(Connection {
        sim: Some(false),
        ..Connection::default()
    });
    let page = mount(move || view! { <ConnectionPanel conn /> });
    // Nothing chosen and no simulator: a proxy.
    assert!(page.input("#proxy-url").type_() == "url");
    page.type_in("#proxy-url", "http://127.0.0.1:8788/api/v3");
    assert_eq!(
        conn.with_untracked(|c| c.settings.proxy_url.clone()),
        "http://127.0.0.1:8788/api/v3"
    );
    conn.update(|c| c.sim = Some(true));
    settle().await;
    assert!(page.find("#proxy-url").is_none(), "the simulator is picked");
    assert!(page.text(".note").contains("Nothing is billed"));

    let radios = page.root.query_selector_all("input[name=backend]").unwrap();
    radios
        .item(2)
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    settle().await;
    assert_eq!(
        conn.with_untracked(|c| c.settings.backend),
        Some(Backend::Direct)
    );
    assert_eq!(page.input("#api-key").type_(), "password");
    assert_eq!(
        page.input("#base-url").value(),
        Settings::default().direct_url
    );
    page.type_in("#api-key", "sk-test");
    assert_eq!(conn.with_untracked(|c| c.key.clone()), "sk-test");
    assert!(!conn.with_untracked(|c| c.remember));
    page.click("label.check input");
    assert!(conn.with_untracked(|c| c.remember));
}

#[wasm_bindgen_test]
async fn copy_as_curl_leaves_the_key_as_a_variable() {
    let conn = RwSignal::new(Connection {
        settings: Settings {
            backend: Some(Backend::Direct),
            direct_url: "https://api.example/api/v3".into(),
            ..Settings::default()
        },
        key: "sk-secret-in-memory".into(),
        ..Connection::default()
    });
    let form = RwSignal::new(Form {
        prompt: "It's a test".into(),
        ..Form::default()
    });
    let page = mount(move || {
        let checked = checked_memo(form);
        view! { <CurlBox conn checked /> }
    });
    let cmd = page.text("[data-testid=curl]");
    assert!(cmd.contains("'https://api.example/api/v3/contents/generations/tasks'"));
    assert!(cmd.contains("Authorization: Bearer $SEEDANCE_API_KEY"));
    assert!(!cmd.contains("sk-secret"));
    conn.update(|c| {
        c.settings.backend = Some(Backend::Proxy);
        c.settings.proxy_url = "https://proxy.example/api/v3".into();
    });
    settle().await;
    let cmd = page.text("[data-testid=curl]");
    assert!(cmd.contains("https://proxy.example/api/v3/contents"));
    assert!(!cmd.contains("Authorization"), "a proxy adds the key");
}

#[wasm_bindgen_test]
async fn the_run_panel_shows_the_task_and_what_ended_it() {
    let runner = Runner::new();
    let now = RwSignal::new(1_000_000.0);
    let page = mount(move || view! { <RunPanel runner now /> });
    assert!(page.text(".idle").starts_with("Nothing running."));

    runner.state.set(RunState {
        phase: Phase::Waiting,
        task_id: Some("cgt-123".into()),
        started_ms: 995_800.0,
        ..RunState::default()
    });
    settle().await;
    assert_eq!(page.text("[data-testid=task-id]"), "cgt-123");
    assert_eq!(page.text("[data-testid=status]"), "created");
    assert_eq!(
        page.get(".status").get_attribute("data-phase").unwrap(),
        "waiting"
    );
    assert!(page.text(".facts").contains("4.2 s"));
    assert!(page.find("button.danger").is_some(), "Cancel while it runs");

    let mut shown = Shown::plain("The task failed", "Moderation stopped it.");
    shown.code = Some("OutputVideoSensitiveContentDetected".into());
    shown.task_id = Some("cgt-123".into());
    runner.state.set(RunState {
        phase: Phase::Failed(shown),
        ..RunState::default()
    });
    settle().await;
    assert_eq!(page.text("[role=alert] h3"), "The task failed");
    assert_eq!(
        page.text("[data-testid=error-code]"),
        "OutputVideoSensitiveContentDetected"
    );
    assert!(
        page.find("[role=alert] button").is_none(),
        "no Find it: the task is known"
    );
    assert!(page.find("button.danger").is_none());
}

#[wasm_bindgen_test]
async fn clearing_the_history_forgets_its_images_and_keeps_the_jobs_apps_runs() {
    use seedance_playground::{history, store, web::idb};
    // One IndexedDB store holds the history's images (by task id) and the jobs app's runs.
    idb::put("film.journal", r#"{"kind":"film"}"#)
        .await
        .unwrap();
    idb::put("cgt-kept", r#"{"first":null}"#).await.unwrap();
    store::save(&History(vec![Record {
        id: "cgt-kept".into(),
        ..Record::default()
    }]));
    history::clear();
    for _ in 0..200 {
        if idb::get("cgt-kept").await.is_none() {
            break;
        }
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
    assert!(idb::get("cgt-kept").await.is_none(), "the record's images");
    assert!(store::load::<History>().0.is_empty());
    assert_eq!(
        idb::get("film.journal").await.as_deref(),
        Some(r#"{"kind":"film"}"#),
        "a film's journal is not the history's"
    );
    idb::delete("film.journal").await.unwrap();
}

#[wasm_bindgen_test]
async fn history_lists_past_tasks_newest_first() {
    let now = RwSignal::new(1_780_000_000_000.0);
    let past = RwSignal::new(History::default());
    let page = mount(move || view! { <HistoryPanel past now open=|_| () /> });
    assert!(page
        .text(".history .note")
        .contains("Tasks you make appear here"));

    past.set(History(vec![
        Record {
            id: "cgt-new".into(),
            prompt: "A kite over dunes".into(),
            params: "2.0 fast · 720p · 16:9 · 5 s".into(),
            status: "succeeded".into(),
            expires_at: Some(1_780_000_000 + 2 * 3600 + 300),
            ..Record::default()
        },
        Record {
            id: "cgt-old".into(),
            status: "failed".into(),
            error_code: Some("OutputVideoSensitiveContentDetected".into()),
            ..Record::default()
        },
    ]));
    settle().await;
    assert_eq!(page.count(".record"), 2);
    assert_eq!(page.text(".record .badge"), "succeeded");
    assert_eq!(page.text(".record .record-prompt"), "A kite over dunes");
    assert!(page.text(".record").contains("link expires in 2 h 5 min"));
    let second = page
        .root
        .query_selector_all(".record")
        .unwrap()
        .item(1)
        .unwrap()
        .text_content()
        .unwrap();
    assert!(
        second.contains("(no prompt)") && second.contains("OutputVideoSensitiveContentDetected")
    );
    assert_eq!(page.text(".record button"), "Open cgt-new");
}

#[wasm_bindgen_test]
async fn the_app_mounts_its_first_view_and_a_nav_to_the_others() {
    let page = mount(seedance_playground::app::App);
    settle().await;
    assert_eq!(page.text("h1"), "Seedance playground");
    assert_eq!(page.text("nav"), "One videoFilmVariationsBatch");
    assert_eq!(page.text("nav button[aria-current=page]"), "One video");
    assert_eq!(page.count("main.layout"), 1);
    assert_eq!(page.text("#compose-h"), "Compose");
    assert_eq!(page.text("#run-h"), "Task");
    assert!(page
        .text(".estimate")
        .starts_with("Estimate: ≈ 108,900 tokens"));
    assert_eq!(page.text("button.primary"), "Generate");
    // The other views are the jobs app, loaded on first use into a hidden root.
    assert!(page.get("#jobs-root").has_attribute("hidden"));
    // It shares the first app's state through the bridge.
    page.type_in("#prompt", "shared prompt");
    let window = web_sys::window().unwrap();
    let bridge = js_sys::Reflect::get(&window, &"__seedance".into()).unwrap();
    let state: js_sys::Function = js_sys::Reflect::get(&bridge, &"state".into())
        .unwrap()
        .unchecked_into();
    let json = state
        .call0(&wasm_bindgen::JsValue::NULL)
        .unwrap()
        .as_string()
        .unwrap();
    let shared: seedance_playground::bridge::BridgeState = serde_json::from_str(&json).unwrap();
    assert_eq!(shared.form().prompt, "shared prompt");
}

/// The Film view's shots, as its list mounts them (keyed by id), for the tests below.
fn shots_list(board: RwSignal<seedance_playground::storyboard::Storyboard>) -> Mounted {
    use seedance_playground::panels::shot::ShotCard;
    mount(move || {
        let limits = Memo::new(|_| Limits::default());
        let check =
            Memo::new(move |_| board.with(|b| b.check(&Form::default(), &Limits::default(), None)));
        let attempted = RwSignal::new(false);
        let locked = RwSignal::new(false);
        let ids = move || board.with(|b| b.shots.iter().map(|s| s.id).collect::<Vec<_>>());
        view! {
            <ol>
                <For each=ids key=|id| *id let(id)>
                    <ShotCard id board check limits attempted locked />
                </For>
            </ol>
        }
    })
}

fn shot_prompts(board: RwSignal<seedance_playground::storyboard::Storyboard>) -> Vec<String> {
    board.with_untracked(|b| b.shots.iter().map(|s| s.prompt.clone()).collect())
}

#[wasm_bindgen_test]
async fn shot_cards_reorder_with_buttons_and_remove() {
    let board = RwSignal::new(seedance_playground::storyboard::Storyboard::default());
    board.update(|b| {
        b.add();
        b.add();
        for (k, p) in ["a", "b", "c"].iter().enumerate() {
            b.shots[k].prompt = (*p).to_owned();
        }
    });
    let page = shots_list(board);
    assert_eq!(page.count("li.shot"), 3);
    let up = |n: usize| format!("button[aria-label=\"Move shot {n} up\"]");
    let down = |n: usize| format!("button[aria-label=\"Move shot {n} down\"]");
    assert!(
        page.get(&up(1)).has_attribute("disabled"),
        "the first can't go up"
    );
    assert!(
        page.get(&down(3)).has_attribute("disabled"),
        "the last can't go down"
    );
    page.click(&up(3));
    settle().await;
    assert_eq!(shot_prompts(board), ["a", "c", "b"]);
    // The page follows: shot 2 is now "c", and its labels say so.
    let second = page.get("li.shot:nth-child(2) textarea");
    assert_eq!(
        js_sys::Reflect::get(&second, &"value".into())
            .unwrap()
            .as_string()
            .unwrap(),
        "c"
    );
    assert_eq!(page.text("li.shot:nth-child(2) label"), "Shot 2 prompt");
    page.click(&down(1));
    settle().await;
    assert_eq!(shot_prompts(board), ["c", "a", "b"]);
    page.click("button[aria-label=\"Remove shot 2\"]");
    settle().await;
    assert_eq!(shot_prompts(board), ["c", "b"]);
    assert_eq!(page.count("li.shot"), 2);
    page.click("button[aria-label=\"Remove shot 2\"]");
    settle().await;
    assert!(
        page.get("button[aria-label=\"Remove shot 1\"]")
            .has_attribute("disabled"),
        "a film keeps one shot"
    );
}

#[wasm_bindgen_test]
async fn the_cut_toggle_makes_a_shot_fresh_and_offers_it_an_image() {
    let board = RwSignal::new(seedance_playground::storyboard::Storyboard::default());
    board.update(|b| {
        b.add();
    });
    let page = shots_list(board);
    // The first shot opens the film: no toggle, an image input.
    assert_eq!(page.count("li.shot:nth-child(1) input[type=checkbox]"), 0);
    assert_eq!(page.count("li.shot:nth-child(1) input[type=file]"), 1);
    // The second continues: no image until it is a cut.
    assert_eq!(page.count("li.shot:nth-child(2) input[type=file]"), 0);
    assert!(page.text("li.shot:nth-child(2) h3").contains("continues"));
    page.click("li.shot:nth-child(2) input[type=checkbox]");
    settle().await;
    assert!(board.with_untracked(|b| b.shots[1].cut));
    assert!(page.text("li.shot:nth-child(2) h3").contains("cut"));
    assert_eq!(page.count("li.shot:nth-child(2) input[type=file]"), 1);
    // An image URL a first frame can't have: its problem shows beside the shot, by path.
    page.type_in(
        "li.shot:nth-child(2) input[type=text]",
        "ftp://example.com/a.png",
    );
    settle().await;
    assert!(page
        .text("li.shot:nth-child(2) .problems")
        .contains("shots[1].image"));
    page.click("li.shot:nth-child(2) input[type=checkbox]");
    settle().await;
    assert!(!board.with_untracked(|b| b.shots[1].cut));
    assert_eq!(page.count("li.shot:nth-child(2) input[type=file]"), 0);
}
