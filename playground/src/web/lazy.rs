//! Load the jobs app (`jobs.js` + `jobs_bg.wasm`, built by Trunk from `index.html`) the
//! first time it is needed: to show one of its views, or for the one-video view's task side
//! (the run, its result and the history), which the jobs app draws and drives.

use std::cell::RefCell;

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::{idb, page_url};
use crate::nav::JOBS_GLOBAL;

thread_local! {
    /// The one load, shared by every caller: a promise can be awaited any number of times,
    /// and a failed load stays failed (the page says to reload).
    static LOADING: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// The jobs app, loaded (once); `Err` when it could not be.
pub async fn jobs() -> Result<(), JsValue> {
    let promise = LOADING.with_borrow_mut(|p| {
        p.get_or_insert_with(|| {
            wasm_bindgen_futures::future_to_promise(async {
                load().await.map(|()| JsValue::UNDEFINED)
            })
        })
        .clone()
    });
    JsFuture::from(promise).await.map(drop)
}

/// Load the jobs app if it is not loaded yet, then show `view` (if any) in it; a load that
/// fails says so where the view would be.
pub fn open_jobs(view: Option<&'static str>) {
    wasm_bindgen_futures::spawn_local(async move {
        match jobs().await {
            Ok(()) => {
                if let Some(view) = view {
                    call_loaded("show", &[view.into()]);
                }
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

/// Call `window.__seedanceJobs[name](...args)` once the jobs app is loaded; `false` when it
/// is not there (it did not load, or has no such function).
pub fn call_loaded(name: &str, args: &[JsValue]) -> bool {
    let call = || -> Option<()> {
        let window: JsValue = web_sys::window()?.into();
        let jobs = Reflect::get(&window, &JOBS_GLOBAL.into()).ok()?;
        let f: Function = Reflect::get(&jobs, &name.into()).ok()?.dyn_into().ok()?;
        let args: Array = args.iter().collect();
        f.apply(&JsValue::NULL, &args).ok().map(drop)
    };
    call().is_some()
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
