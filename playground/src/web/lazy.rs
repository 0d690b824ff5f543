//! Load the jobs app (`jobs.js` + `jobs_bg.wasm`, built by Trunk from `index.html`) the
//! first time it is needed, and tell it which view to show.

use std::cell::RefCell;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::{idb, page_url};
use crate::nav::JOBS_GLOBAL;

#[derive(Default)]
struct Loader {
    started: bool,
    loaded: bool,
    /// The view to show once loaded.
    pending: Option<&'static str>,
}

thread_local! {
    static LOADER: RefCell<Loader> = RefCell::new(Loader::default());
}

/// Load the jobs app if it is not loaded yet, then show `view` (if any) in it.
pub fn open_jobs(view: Option<&'static str>) {
    let (loaded, start) = LOADER.with_borrow_mut(|l| {
        if view.is_some() {
            l.pending = view;
        }
        let start = !l.started;
        l.started = true;
        (l.loaded, start)
    });
    if loaded {
        show_pending();
    } else if start {
        wasm_bindgen_futures::spawn_local(async {
            match load().await {
                Ok(()) => {
                    LOADER.with_borrow_mut(|l| l.loaded = true);
                    show_pending();
                }
                Err(e) => {
                    web_sys::console::warn_1(&e);
                    if let Some(el) = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.get_element_by_id("jobs-loading"))
                    {
                        el.set_text_content(Some(
                            "These views could not be loaded: reload the page to try again.",
                        ));
                    }
                }
            }
        });
    }
}

fn show_pending() {
    let Some(view) = LOADER.with_borrow(|l| l.pending) else {
        return;
    };
    let call = || -> Option<()> {
        let window: JsValue = web_sys::window()?.into();
        let jobs = Reflect::get(&window, &JOBS_GLOBAL.into()).ok()?;
        let show: Function = Reflect::get(&jobs, &"show".into()).ok()?.dyn_into().ok()?;
        show.call1(&JsValue::NULL, &view.into()).ok().map(drop)
    };
    call();
}

/// `import("./jobs.js")`, then its `default({module_or_path: "./jobs_bg.wasm"})` (which runs
/// its `main`: it mounts into `#jobs-root` and sets up `window.__seedanceJobs`).
async fn load() -> Result<(), JsValue> {
    let js = page_url("jobs.js").ok_or("no page URL")?;
    let wasm = page_url("jobs_bg.wasm").ok_or("no page URL")?;
    let import = Function::new_with_args("u", "return import(u)");
    let module = JsFuture::from(
        import
            .call1(&JsValue::NULL, &js.into())?
            .unchecked_into::<Promise>(),
    )
    .await?;
    let init: Function = Reflect::get(&module, &"default".into())?.dyn_into()?;
    let options = js_sys::Object::new();
    Reflect::set(&options, &"module_or_path".into(), &wasm.into())?;
    JsFuture::from(
        init.call1(&JsValue::NULL, &options)?
            .unchecked_into::<Promise>(),
    )
    .await?;
    Ok(())
}

/// Whether a run of the jobs app was left with work to do (its journal in IndexedDB has
/// a job to create, wait for or download): then the jobs app loads at once and resumes it.
pub async fn unfinished_run() -> bool {
    for prefix in ["film", "batch", "variations"] {
        let Some(text) = idb::get(&format!("{prefix}.journal")).await else {
            continue;
        };
        let Some(journal) = seedance::parse_json(&text) else {
            continue;
        };
        let busy = journal["jobs"].as_array().is_some_and(|jobs| {
            jobs.iter().any(|j| {
                matches!(
                    j["state"].as_str(),
                    Some("pending" | "creating" | "running" | "succeeded")
                )
            })
        });
        if busy {
            return true;
        }
    }
    false
}
