//! `concatMp4` for JavaScript (feature `js`, wasm32): the npm package's `seedance/mp4`
//! entry. Only the clips' box headers and `moov` boxes enter wasm memory; the sample data
//! is copied from the callers' arrays straight into the film's `Uint8Array`, so joining
//! needs little more memory than the clips and the film. The declaration is hand-written
//! (`js/mp4.d.ts`).

use js_sys::{Array, ArrayBuffer, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::{plan, ConcatError, Piece, Source};

/// A clip held by JavaScript.
struct JsClip(Uint8Array);

impl Source for JsClip {
    fn size(&self) -> u64 {
        u64::from(self.0.length())
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<(), String> {
        // The joiner reads only inside `size()`, which is a u32.
        let start = offset as u32;
        self.0
            .subarray(start, start + buf.len() as u32)
            .copy_to(buf);
        Ok(())
    }
}

/// Join MP4 clips (`Uint8Array`s, in order) into one MP4 film (`Uint8Array`).
///
/// Throws an `Error` named `SeedanceMp4Error` whose `message` names the clip and what to
/// do, with `code` (e.g. `"truncated"`) and `clip` (its index, when the error is about one).
#[wasm_bindgen(js_name = concatMp4, skip_typescript)]
pub fn concat_mp4(clips: JsValue) -> Result<Uint8Array, JsValue> {
    let Some(list) = clips.dyn_ref::<Array>() else {
        return Err(js_error(
            "clips must be an array of Uint8Array",
            "bad_argument",
            None,
        ));
    };
    let mut held = Vec::with_capacity(list.length() as usize);
    for (i, item) in list.iter().enumerate() {
        let bytes = if let Some(u8s) = item.dyn_ref::<Uint8Array>() {
            u8s.clone()
        } else if let Some(buffer) = item.dyn_ref::<ArrayBuffer>() {
            Uint8Array::new(buffer)
        } else {
            let msg = format!("clip {i} is not a Uint8Array: pass the MP4 bytes of each clip");
            return Err(js_error(&msg, "bad_argument", Some(i)));
        };
        held.push(JsClip(bytes));
    }
    let plan = plan(&held).map_err(|e| to_js(&e))?;
    let size = u32::try_from(plan.size())
        .map_err(|_| to_js(&ConcatError::TooLarge { bytes: plan.size() }))?;
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

fn to_js(e: &ConcatError) -> JsValue {
    js_error(&e.to_string(), e.code(), e.clip())
}

fn js_error(message: &str, code: &str, clip: Option<usize>) -> JsValue {
    let error = js_sys::Error::new(message);
    error.set_name("SeedanceMp4Error");
    let _ = Reflect::set(&error, &"code".into(), &code.into());
    if let Some(clip) = clip {
        let _ = Reflect::set(&error, &"clip".into(), &(clip as u32).into());
    }
    error.into()
}
