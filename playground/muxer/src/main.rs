//! The playground's muxer, a Web Worker (Trunk: `data-type="worker"` in `index.html`): the
//! page starts it when a film is exported, waits for `"ready"`, posts the clips (an array
//! of `ArrayBuffer`s, transferred), and gets `{film: Uint8Array}` (its buffer transferred)
//! or `{error: "…"}` back. Joining is `seedance_mp4`'s: only the clips' indexes enter wasm
//! memory; the samples are copied from the clips' buffers straight into the film's.

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
            match join::join(&e.data()) {
                Ok(film) => {
                    let _ = js_sys::Reflect::set(&reply, &"film".into(), &film);
                    transfer.push(&film.buffer());
                }
                Err(message) => {
                    let _ = js_sys::Reflect::set(&reply, &"error".into(), &message.into());
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

#[cfg(target_arch = "wasm32")]
mod join {
    use js_sys::{Array, ArrayBuffer, Uint8Array};
    use seedance_mp4::{plan, Piece, Source};
    use wasm_bindgen::{JsCast, JsValue};

    /// A clip held by JavaScript.
    struct JsClip(Uint8Array);

    impl Source for JsClip {
        fn size(&self) -> u64 {
            u64::from(self.0.length())
        }

        fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<(), String> {
            let start = offset as u32;
            self.0
                .subarray(start, start + buf.len() as u32)
                .copy_to(buf);
            Ok(())
        }
    }

    /// The clips (an array of `ArrayBuffer`s or `Uint8Array`s) joined into one film.
    pub fn join(clips: &JsValue) -> Result<Uint8Array, String> {
        let list = clips
            .dyn_ref::<Array>()
            .ok_or("the muxer takes an array of clips")?;
        let held: Vec<JsClip> = list
            .iter()
            .map(|item| match item.dyn_into::<Uint8Array>() {
                Ok(u8s) => JsClip(u8s),
                Err(other) => JsClip(Uint8Array::new(&other.unchecked_into::<ArrayBuffer>())),
            })
            .collect();
        let plan = plan(&held).map_err(|e| e.to_string())?;
        let size = u32::try_from(plan.size()).map_err(|_| "the film is over 4 GB")?;
        let film = Uint8Array::new_with_length(size);
        let mut at = 0u32;
        for piece in plan.pieces() {
            match piece {
                Piece::Bytes(b) => {
                    film.subarray(at, at + b.len() as u32).copy_from(b);
                    at += b.len() as u32;
                }
                Piece::Clip { clip, offset, len } => {
                    let (offset, len) = (offset as u32, len as u32);
                    film.set(&held[clip].0.subarray(offset, offset + len), at);
                    at += len;
                }
            }
        }
        Ok(film)
    }
}
