//! A string key–value store in IndexedDB, for what is too big for localStorage (image
//! payloads: a 30 MB data URL would overflow its ~5 MB; the journals and clips of films and
//! batches). A few lines over web-sys rather
//! than a wrapper crate: four operations are all the page needs.

use js_sys::{Function, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbRequest, IdbTransactionMode};

const DB: &str = "seedance-playground";
const STORE: &str = "payloads";

/// Wait for a request's `success` (its result) or `error`.
async fn done(req: &IdbRequest) -> Result<JsValue, JsValue> {
    let req = req.clone();
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let r = req.clone();
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::UNDEFINED, &r.result().unwrap_or_default());
        });
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(&reject));
    });
    JsFuture::from(promise).await
}

async fn open() -> Result<IdbDatabase, JsValue> {
    let factory = web_sys::window()
        .ok_or(JsValue::NULL)?
        .indexed_db()?
        .ok_or(JsValue::NULL)?;
    let req = factory.open_with_u32(DB, 1)?;
    let r = req.clone();
    // First open (or a new version): make the store. Runs before `success`.
    let upgrade = Closure::once_into_js(move || {
        if let Ok(db) = r.result() {
            let _ = db
                .unchecked_into::<IdbDatabase>()
                .create_object_store(STORE);
        }
    });
    req.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    Ok(done(&req).await?.unchecked_into())
}

async fn store(mode: IdbTransactionMode) -> Result<IdbObjectStore, JsValue> {
    open()
        .await?
        .transaction_with_str_and_mode(STORE, mode)?
        .object_store(STORE)
}

/// Store `value` under `key` (replacing what was there).
pub async fn put(key: &str, value: &str) -> Result<(), JsValue> {
    put_value(key, &value.into()).await
}

/// Store any cloneable JS value (a `Uint8Array` of a clip) under `key`.
pub async fn put_value(key: &str, value: &JsValue) -> Result<(), JsValue> {
    let req = store(IdbTransactionMode::Readwrite)
        .await?
        .put_with_key(value, &key.into())?;
    done(&req).await.map(drop)
}

/// The JS value under `key`, if any.
pub async fn get_value(key: &str) -> Option<JsValue> {
    let req = store(IdbTransactionMode::Readonly)
        .await
        .ok()?
        .get(&key.into())
        .ok()?;
    done(&req).await.ok().filter(|v| !v.is_undefined())
}

/// The value under `key`, if any.
pub async fn get(key: &str) -> Option<String> {
    get_value(key).await?.as_string()
}

/// Forget `key`.
pub async fn delete(key: &str) -> Result<(), JsValue> {
    let req = store(IdbTransactionMode::Readwrite)
        .await?
        .delete(&key.into())?;
    done(&req).await.map(drop)
}
