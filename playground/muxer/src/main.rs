//! The playground's muxer, a Web Worker (Trunk: `data-type="worker"` in `index.html`): the
//! page starts it when a film is exported, waits for `"ready"`, posts the clips (an array
//! of `ArrayBuffer`s, transferred), and gets `{film: Uint8Array}` (its buffer transferred)
//! or `{error: "…"}` back. Joining is the npm entry's `concatMp4` (`seedance_mp4::js`):
//! only the clips' indexes enter wasm memory; the samples are copied from the clips'
//! buffers straight into the film's.

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let reply = js_sys::Object::new();
            let transfer = js_sys::Array::new();
            match seedance_mp4::js::concat_mp4(e.data()) {
                Ok(film) => {
                    let _ = js_sys::Reflect::set(&reply, &"film".into(), &film);
                    transfer.push(&film.buffer());
                }
                Err(error) => {
                    let message = error
                        .dyn_ref::<js_sys::Error>()
                        .map_or_else(|| "the clips could not be joined".into(), |e| e.message());
                    let _ = js_sys::Reflect::set(&reply, &"error".into(), &message);
                }
            }
            let _ = reply_to.post_message_with_transfer(&reply, &transfer);
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&"ready".into());
}

/// Host builds (clippy, tests) have no worker: nothing to run.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
