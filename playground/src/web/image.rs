//! Images in the browser: a picked file read and encoded as a data URL (its type sniffed
//! from its bytes), and a resize plan carried out with the browser's own decoder and
//! encoder (`createImageBitmap` + a canvas), so no image codec ships in the wasm.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use seedance::{dataurl, Limits};

use crate::form::Picked;
use crate::resize::Plan;

/// Read a picked file and encode it as a data URL, in the browser.
pub async fn read(file: web_sys::File) -> Result<Picked, String> {
    let name = file.name();
    let buf = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| format!("{name}: the browser could not read the file"))?;
    let bytes = js_sys::Uint8Array::new(&buf).to_vec();
    let kind = dataurl::sniff(&bytes);
    match kind {
        Some(t) if t.mime().starts_with("image/") => {}
        Some(t) => return Err(format!("{name} is {}, not an image", t.name())),
        None => {
            return Err(format!(
            "{name} is not a PNG, JPEG, WebP, GIF, BMP or TIFF image (checked by its first bytes)"
        ))
        }
    }
    let size = dataurl::image_size(&bytes).unwrap_or_default();
    let url = dataurl::encode_sniffed(&bytes)
        .map_err(|e| format!("{name}: {}", seedance::Error::from(e)))?;
    Ok(Picked {
        name,
        url: url.into(),
        bytes: bytes.len() as u64,
        w: size.0,
        h: size.1,
        mime: kind.map(|t| t.mime().to_owned()).unwrap_or_default(),
    })
}

/// The files of a file input, a drop or a paste.
pub fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    list.map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect())
        .unwrap_or_default()
}

fn js_err(what: &str) -> impl Fn(JsValue) -> String + '_ {
    move |_| format!("the browser could not {what} the image")
}

/// Do `plan` to `p` in the browser: decode, crop and scale on a canvas, encode. A PNG that
/// still has too many bytes is made a JPEG, at lower quality until it fits.
pub async fn apply(p: &Picked, plan: &Plan, limits: &Limits) -> Result<Picked, String> {
    let bytes = dataurl::parse(&p.url)
        .map_err(|e| format!("the image {e}"))?
        .decode();
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&bytes[..]));
    drop(bytes);
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(js_err("read"))?;
    let window = web_sys::window().ok_or("no window")?;
    let bitmap: web_sys::ImageBitmap = JsFuture::from(
        window
            .create_image_bitmap_with_blob(&blob)
            .map_err(js_err("decode"))?,
    )
    .await
    .map_err(js_err("decode"))?
    .unchecked_into();
    let canvas: web_sys::HtmlCanvasElement = window
        .document()
        .and_then(|d| d.create_element("canvas").ok())
        .ok_or("no canvas")?
        .unchecked_into();
    canvas.set_width(plan.width);
    canvas.set_height(plan.height);
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .ok_or("no 2D canvas")?
        .unchecked_into();
    let (sx, sy, sw, sh) = plan.crop;
    ctx.draw_image_with_image_bitmap_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
        &bitmap,
        sx.into(),
        sy.into(),
        sw.into(),
        sh.into(),
        0.0,
        0.0,
        plan.width.into(),
        plan.height.into(),
    )
    .map_err(js_err("draw"))?;
    bitmap.close();
    let encode = |mime: &str, quality: f64| {
        canvas
            .to_data_url_with_type_and_encoder_options(mime, &quality.into())
            .map_err(js_err("encode"))
    };
    let fits = |url: &str| {
        dataurl::parse(url)
            .map(|d| d.decoded_len() as u64 <= limits.max_image_bytes)
            .unwrap_or(false)
    };
    let mut url = if plan.jpeg {
        encode("image/jpeg", 0.92)?
    } else {
        encode("image/png", 1.0)?
    };
    for quality in [0.85, 0.7, 0.5] {
        if fits(&url) {
            break;
        }
        url = encode("image/jpeg", quality)?;
    }
    let parsed = dataurl::parse(&url).map_err(|e| format!("the new image {e}"))?;
    let (bytes, mime) = (parsed.decoded_len() as u64, parsed.mime.to_owned());
    Ok(Picked {
        name: format!("{} ({}×{})", p.name, plan.width, plan.height),
        bytes,
        w: plan.width,
        h: plan.height,
        mime,
        url: url.into(),
    })
}
