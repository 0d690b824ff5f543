//! Fix an image that breaks a limit (too many pixels, too few, too wide or tall, too many
//! bytes): [`plan`] says what to do; `web::image::apply` does it with the browser's own
//! decoder and encoder (`createImageBitmap` + a canvas), so no image codec ships in the wasm.

use seedance::Limits;

use crate::form::Picked;

/// What to do to an image so that it fits the limits.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// The source rectangle kept (x, y, width, height): all of it, or a centred crop to the
    /// nearest allowed aspect ratio.
    pub crop: (u32, u32, u32, u32),
    /// The output width.
    pub width: u32,
    /// The output height.
    pub height: u32,
    /// Encode as JPEG (the source is a JPEG, or has too many bytes); else PNG.
    pub jpeg: bool,
}

impl Plan {
    /// The verb for the button: what changes most visibly.
    pub fn action(&self) -> &'static str {
        let (_, _, sw, sh) = self.crop;
        if self.width < sw {
            "Downscale"
        } else if self.width > sw {
            "Upscale"
        } else if (sw, sh) != (self.width, self.height) || self.crop.0 > 0 || self.crop.1 > 0 {
            "Crop"
        } else {
            "Re-encode"
        }
    }

    /// The offer in words.
    pub fn offer(&self, size: (u32, u32)) -> String {
        let (_, _, sw, sh) = self.crop;
        let crop = if (sw, sh) != size {
            format!(", cropped to {sw}×{sh} px around the centre,")
        } else {
            String::new()
        };
        format!(
            "This image breaks a limit. Your browser can fix it{crop} into a {}×{} px {} here; nothing is uploaded to do it.",
            self.width,
            self.height,
            if self.jpeg { "JPEG" } else { "PNG" }
        )
    }

    /// The button's label, e.g. "Downscale to 6000×2459 px".
    pub fn label(&self) -> String {
        format!("{} to {}×{} px", self.action(), self.width, self.height)
    }
}

/// What would make `p` fit `limits`, or `None` when it fits (or its size is unknown).
pub fn plan(p: &Picked, limits: &Limits) -> Option<Plan> {
    let (w, h) = p.size()?;
    let (mut sx, mut sy, mut sw, mut sh) = (0, 0, w, h);
    // Crop to the nearest allowed aspect ratio, keeping the centre.
    let aspect = f64::from(w) / f64::from(h);
    if aspect > limits.max_aspect {
        sw = ((f64::from(h) * limits.max_aspect) as u32).clamp(1, w);
        sx = (w - sw) / 2;
    } else if aspect < limits.min_aspect {
        sh = ((f64::from(w) / limits.min_aspect) as u32).clamp(1, h);
        sy = (h - sh) / 2;
    }
    // Scale so the longest side is at most the maximum and the shortest at least the
    // minimum (both hold at once for any allowed aspect ratio).
    let (long, short) = (u64::from(sw.max(sh)), u64::from(sw.min(sh)));
    let (max, min) = (
        u64::from(limits.max_image_side),
        u64::from(limits.min_image_side),
    );
    let (new_long, new_short) = if long > max {
        (max, (short * max / long).max(1))
    } else if short < min {
        ((long * min).div_ceil(short), min)
    } else {
        (long, short)
    };
    let (width, height) = if sw >= sh {
        (new_long as u32, new_short as u32)
    } else {
        (new_short as u32, new_long as u32)
    };
    let too_big = p.bytes > limits.max_image_bytes;
    let unchanged = (sx, sy, sw, sh) == (0, 0, w, h) && (width, height) == (w, h);
    if unchanged && !too_big {
        return None;
    }
    Some(Plan {
        crop: (sx, sy, sw, sh),
        width,
        height,
        jpeg: too_big || p.mime == "image/jpeg",
    })
}
