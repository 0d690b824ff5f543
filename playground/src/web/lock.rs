//! One run per journal across this browser's tabs: a Web Lock (`navigator.locks`) named
//! after the journal, held while the run goes on. A second tab (or a reload racing the
//! old page) that finds it held does not run the same journal, so no job is created twice.
//! Through `js_sys` (web-sys has the Web Locks API behind its unstable flag).

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// A held lock: released when dropped.
pub struct Held(Option<Function>);

impl Drop for Held {
    fn drop(&mut self) {
        if let Some(release) = self.0.take() {
            let _ = release.call0(&JsValue::NULL);
        }
    }
}

/// Take the lock `name` if no tab holds it; `None` when another does. A browser without
/// Web Locks runs unlocked (`Some`).
pub async fn try_lock(name: &str) -> Option<Held> {
    let locks = web_sys::window()
        .and_then(|w| Reflect::get(&w.navigator(), &"locks".into()).ok())
        .filter(|l| !l.is_undefined());
    let Some(locks) = locks else {
        return Some(Held(None));
    };
    let Ok(request) =
        Reflect::get(&locks, &"request".into()).and_then(|f| f.dyn_into::<Function>())
    else {
        return Some(Held(None));
    };
    // The lock is held until `held` settles; `release` settles it.
    let mut release = None;
    let held = Promise::new(&mut |resolve: Function, _| release = Some(resolve));
    let mut taken = None;
    let answer = Promise::new(&mut |resolve: Function, _| taken = Some(resolve));
    let (Some(release), Some(taken)) = (release, taken) else {
        return Some(Held(None));
    };
    let callback = Closure::once_into_js(move |lock: JsValue| -> JsValue {
        let got = !lock.is_null();
        let _ = taken.call1(&JsValue::NULL, &got.into());
        if got {
            held.into()
        } else {
            JsValue::UNDEFINED
        }
    });
    let options = Object::new();
    let _ = Reflect::set(&options, &"ifAvailable".into(), &true.into());
    if request
        .call3(&locks, &name.into(), &options, &callback)
        .is_err()
    {
        return Some(Held(None));
    }
    let got = JsFuture::from(answer).await.ok()?.as_bool()?;
    got.then(|| Held(Some(release)))
}
