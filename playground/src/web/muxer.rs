//! Join a film's clips in the muxer worker (`muxer_loader.js`, its own wasm, built by Trunk
//! from `playground/muxer/`): loaded only on export, so it is no part of the first load, and
//! it joins off the page's thread. The clips' buffers are transferred, not copied.

use js_sys::{Array, Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::build_url;

/// The clips (in order) as one MP4 film.
///
/// Errors: the worker could not start, or the muxer refused the clips (its message names
/// the clip and why).
pub async fn concat(clips: Vec<Uint8Array>) -> Result<Uint8Array, String> {
    let url = build_url("muxer_loader.js").ok_or("the page has no URL")?;
    let worker = web_sys::Worker::new(&url)
        .map_err(|_| "the browser could not start the muxer".to_owned())?;
    let list = Array::new();
    for c in &clips {
        list.push(&c.buffer());
    }
    let w = worker.clone();
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let (w2, list, failed) = (w.clone(), list.clone(), reject.clone());
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
                let data = e.data();
                if data.as_string().as_deref() == Some("ready") {
                    if let Err(err) = w2.post_message_with_transfer(&list, &list) {
                        let _ = reject.call1(&JsValue::NULL, &err);
                    }
                } else {
                    let _ = resolve.call1(&JsValue::NULL, &data);
                }
            });
        w.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let fail = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let _ = failed.call1(&JsValue::NULL, &e);
        });
        w.set_onerror(Some(fail.as_ref().unchecked_ref()));
        fail.forget();
    });
    let reply = JsFuture::from(promise).await;
    worker.terminate();
    let reply = reply.map_err(|_| "the muxer could not be loaded or given the clips".to_owned())?;
    if let Some(error) = Reflect::get(&reply, &"error".into())
        .ok()
        .and_then(|e| e.as_string())
    {
        return Err(error);
    }
    Reflect::get(&reply, &"film".into())
        .ok()
        .and_then(|f| f.dyn_into::<Uint8Array>().ok())
        .ok_or_else(|| "the muxer gave no film".to_owned())
}
