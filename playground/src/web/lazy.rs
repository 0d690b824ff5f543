//! Load the jobs app (`jobs.js` + `jobs_bg.wasm`, built by Trunk from `index.html`) the
//! first time it is needed: to show one of its views, or for the one-video view's task side
//! (the run, its result and the history), which the jobs app draws and drives.

use std::cell::{Cell, RefCell};

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::{build_url, idb};
use crate::nav::JOBS_GLOBAL;

thread_local! {
    /// The load on its way or done, shared by every caller (a promise can be awaited any
    /// number of times); a failed one is forgotten, so the next call tries again.
    static LOADING: RefCell<Option<Promise>> = const { RefCell::new(None) };
    /// Failed loads so far: a retry imports `jobs.js?retry=N`, as a browser may remember a
    /// module that failed to load under its URL.
    static FAILED: Cell<u32> = const { Cell::new(0) };
}

/// The jobs app, loaded (once); `Err` when it could not be (the next call tries again).
pub async fn jobs() -> Result<(), JsValue> {
    let promise = LOADING.with_borrow_mut(|p| {
        p.get_or_insert_with(|| {
            wasm_bindgen_futures::future_to_promise(async {
                let loaded = load(FAILED.get()).await;
                if loaded.is_err() {
                    FAILED.set(FAILED.get() + 1);
                    LOADING.with_borrow_mut(|p| *p = None);
                }
                loaded.map(|()| JsValue::UNDEFINED)
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

/// Call `window.__seedanceJobs[name](...args)` if the jobs app is loaded: what it returned,
/// or `None` when it is not there (not loaded, no such function, or it threw).
pub fn call_loaded(name: &str, args: &[JsValue]) -> Option<JsValue> {
    let window: JsValue = web_sys::window()?.into();
    let jobs = Reflect::get(&window, &JOBS_GLOBAL.into()).ok()?;
    let f: Function = Reflect::get(&jobs, &name.into()).ok()?.dyn_into().ok()?;
    let args: Array = args.iter().collect();
    f.apply(&JsValue::NULL, &args).ok()
}

/// Load the jobs app if needed, then call `name(...args)` in it (see [`call_loaded`]).
pub async fn call(name: &str, args: &[JsValue]) -> Option<JsValue> {
    jobs().await.ok()?;
    call_loaded(name, args)
}

/// `import("./jobs.js")`, then its `default({module_or_path: "./jobs_bg.wasm"})` (which runs
/// its `main`: it mounts into `#jobs-root` and sets up `window.__seedanceJobs`), both by
/// this build's names ([`build_url`]); attempt `retry` > 0 adds `?retry=N` (a browser
/// may remember that a module failed under its URL).
async fn load(retry: u32) -> Result<(), JsValue> {
    let mut js = build_url("jobs.js").ok_or("no page URL")?;
    if retry > 0 {
        js.push_str(&format!("?retry={retry}"));
    }
    let wasm = build_url("jobs_bg.wasm").ok_or("no page URL")?;
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
        if unfinished(prefix).await {
            return true;
        }
    }
    false
}

/// Whether the run kept under `prefix` (`film`, `batch`, `variations`) has work to do.
pub async fn unfinished(prefix: &str) -> bool {
    let Some(text) = idb::get(&format!("{prefix}.journal")).await else {
        return false;
    };
    let Some(journal) = seedance::parse_json(&text) else {
        return false;
    };
    journal["jobs"].as_array().is_some_and(|jobs| {
        jobs.iter().any(|j| {
            matches!(
                j["state"].as_str(),
                Some("pending" | "creating" | "running" | "succeeded")
            )
        })
    })
}

/// Whether a run is kept under `prefix` (its storyboard or prompts, `{prefix}.source`, in
/// IndexedDB): its view then restores it as soon as the jobs app loads.
pub async fn kept(prefix: &str) -> bool {
    idb::get(&format!("{prefix}.source")).await.is_some()
}
