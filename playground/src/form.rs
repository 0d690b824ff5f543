//! The compose form as plain data: what the user picked, and how it is kept. Its JSON (in a
//! history record) leaves the image payloads out: they go to IndexedDB as [`Payloads`] (a
//! data URL can be 30 MB; localStorage holds ~5 MB in all). The request it makes and its
//! problems are in [`crate::check`].

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use serde_json::Value;

use crate::mode::{self, Mode};
use crate::read::{boolean, int, list, opt, string, uint, uint32, Fields, Read};
use crate::write::{Obj, Write};
use seedance::{Model, Ratio, Resolution};

/// An image the user chose from a file (encoded in the browser): its data URL and facts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Picked {
    /// The file name.
    pub name: String,
    /// The `data:` URL.
    pub url: Arc<str>,
    /// The file's size in bytes.
    pub bytes: u64,
    /// Width in pixels read from the file's header; 0 when unreadable.
    pub w: u32,
    /// Height in pixels read from the file's header; 0 when unreadable.
    pub h: u32,
    /// The MIME type sniffed from the bytes.
    pub mime: String,
}

impl Picked {
    /// Pixel size, when the header gave one.
    pub fn size(&self) -> Option<(u32, u32)> {
        (self.w > 0 && self.h > 0).then_some((self.w, self.h))
    }
}

/// One image input: a picked file, or a URL typed in (`https://`, `asset://`, `data:`).
/// (A shot of a film keeps its slot whole; the compose form keeps only the typed URL.)
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImageSlot {
    /// The file, when one was picked (it wins over the typed URL).
    pub picked: Option<Picked>,
    /// The URL typed in.
    pub url: String,
}

impl ImageSlot {
    /// A slot holding a URL.
    pub fn from_url(url: impl Into<String>) -> Self {
        ImageSlot {
            picked: None,
            url: url.into(),
        }
    }

    /// The URL to send, if any.
    pub fn effective(&self) -> Option<String> {
        match &self.picked {
            Some(p) => Some(p.url.to_string()),
            None => Some(self.url.trim().to_owned()).filter(|u| !u.is_empty()),
        }
    }
}

/// Everything on the compose form. Its JSON keeps the typed URLs of the image slots
/// (`first_url`, `last_url`) and leaves picked files out: see [`Form::split`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Form {
    /// The selected tab.
    #[serde(with = "mode::by_key")]
    pub mode: Mode,
    /// The prompt.
    pub prompt: String,
    /// The model.
    pub model: Model,
    /// The resolution.
    pub resolution: Resolution,
    /// The ratio.
    pub ratio: Ratio,
    /// Seconds, or -1 for the model's choice.
    pub duration: i64,
    /// Generate sound (always sent).
    pub audio: bool,
    /// The seed as typed; empty = not sent (server picks).
    pub seed: String,
    /// Add the watermark.
    pub watermark: bool,
    /// Ask for the last frame (for chaining).
    pub last_frame: bool,
    /// First frame image (first-frame and first + last modes).
    #[serde(rename = "first_url", with = "slot_url")]
    pub first: ImageSlot,
    /// Last frame image (first + last mode).
    #[serde(rename = "last_url", with = "slot_url")]
    pub last: ImageSlot,
    /// Reference images picked from files.
    #[serde(skip)]
    pub ref_images: Vec<Picked>,
    /// Reference image URLs, one per line.
    pub ref_image_urls: String,
    /// Reference video URLs, one per line.
    pub ref_video_urls: String,
    /// Reference audio URLs, one per line.
    pub ref_audio_urls: String,
}

impl Default for Form {
    fn default() -> Self {
        Form {
            mode: Mode::TextToVideo,
            prompt: String::new(),
            model: Model::Fast,
            resolution: Resolution::P720,
            ratio: Ratio::R16x9,
            duration: 5,
            audio: true,
            seed: String::new(),
            watermark: false,
            last_frame: false,
            first: ImageSlot::default(),
            last: ImageSlot::default(),
            ref_images: Vec::new(),
            ref_image_urls: String::new(),
            ref_video_urls: String::new(),
            ref_audio_urls: String::new(),
        }
    }
}

/// An image slot in JSON: its typed URL (a picked file is a payload).
mod slot_url {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::ImageSlot;

    pub fn serialize<S: Serializer>(slot: &ImageSlot, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&slot.url)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ImageSlot, D::Error> {
        Ok(ImageSlot::from_url(String::deserialize(d)?))
    }
}

/// A form's image payloads: picked files and typed `data:` URLs. They go to IndexedDB,
/// the rest of the form to localStorage.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Payloads {
    /// The first frame's file.
    pub first: Option<Picked>,
    /// The last frame's file.
    pub last: Option<Picked>,
    /// The reference images' files.
    pub refs: Vec<Picked>,
    /// A `data:` URL typed as the first frame.
    pub first_url: Option<String>,
    /// A `data:` URL typed as the last frame.
    pub last_url: Option<String>,
    /// Reference image URLs when any line is a `data:` URL.
    pub ref_image_urls: Option<String>,
}

impl Payloads {
    /// Whether there is nothing to store.
    pub fn is_empty(&self) -> bool {
        *self == Payloads::default()
    }
}

fn take_data(text: &mut String, pred: fn(&str) -> bool) -> Option<String> {
    pred(text).then(|| std::mem::take(text))
}

impl Form {
    /// The form without image payloads (small: for localStorage), and the payloads.
    pub fn split(&self) -> (Form, Payloads) {
        let mut light = self.clone();
        let is_data = |t: &str| t.trim_start().starts_with("data:");
        let payloads = Payloads {
            first: light.first.picked.take(),
            last: light.last.picked.take(),
            refs: std::mem::take(&mut light.ref_images),
            first_url: take_data(&mut light.first.url, is_data),
            last_url: take_data(&mut light.last.url, is_data),
            ref_image_urls: take_data(&mut light.ref_image_urls, |t| {
                crate::scan::contains(t, "data:")
            }),
        };
        (light, payloads)
    }

    /// Put payloads back into a form made by [`Form::split`].
    pub fn with_payloads(mut self, p: Payloads) -> Form {
        self.first.picked = p.first;
        self.last.picked = p.last;
        self.ref_images = p.refs;
        if let Some(u) = p.first_url {
            self.first.url = u;
        }
        if let Some(u) = p.last_url {
            self.last.url = u;
        }
        if let Some(u) = p.ref_image_urls {
            self.ref_image_urls = u;
        }
        self
    }
}

impl Write for Picked {
    fn write(&self, out: &mut String) {
        Obj::new(out)
            .field("name", &self.name)
            .field("url", &self.url)
            .field("bytes", &self.bytes)
            .field("w", &self.w)
            .field("h", &self.h)
            .field("mime", &self.mime)
            .end();
    }
}

/// Without the picked images (`ref_images`, and each slot's `picked`): those are
/// [`Payloads`].
impl Write for Form {
    fn write(&self, out: &mut String) {
        Obj::new(out)
            .field("mode", mode::key(self.mode))
            .field("prompt", &self.prompt)
            .field("model", &self.model)
            .field("resolution", &self.resolution)
            .field("ratio", &self.ratio)
            .field("duration", &self.duration)
            .field("audio", &self.audio)
            .field("seed", &self.seed)
            .field("watermark", &self.watermark)
            .field("last_frame", &self.last_frame)
            .field("first_url", &self.first.url)
            .field("last_url", &self.last.url)
            .field("ref_image_urls", &self.ref_image_urls)
            .field("ref_video_urls", &self.ref_video_urls)
            .field("ref_audio_urls", &self.ref_audio_urls)
            .end();
    }
}

impl Write for Payloads {
    fn write(&self, out: &mut String) {
        Obj::new(out)
            .field("first", &self.first)
            .field("last", &self.last)
            .field("refs", &self.refs)
            .field("first_url", &self.first_url)
            .field("last_url", &self.last_url)
            .field("ref_image_urls", &self.ref_image_urls)
            .end();
    }
}

impl Read for Picked {
    fn read(v: &Value) -> Option<Self> {
        let f = Fields::of(v, &["name", "url", "bytes", "w", "h", "mime"])?;
        let mut p = Picked::default();
        f.get("name", &mut p.name, string)?;
        f.get("url", &mut p.url, |v| v.as_str().map(Arc::from))?;
        f.get("bytes", &mut p.bytes, uint)?;
        f.get("w", &mut p.w, uint32)?;
        f.get("h", &mut p.h, uint32)?;
        f.get("mime", &mut p.mime, string)?;
        Some(p)
    }
}

impl Read for Form {
    fn read(v: &Value) -> Option<Self> {
        // In serde's order (an array is read by position; `ref_images` is not stored).
        const NAMES: &[&str] = &[
            "mode",
            "prompt",
            "model",
            "resolution",
            "ratio",
            "duration",
            "audio",
            "seed",
            "watermark",
            "last_frame",
            "first_url",
            "last_url",
            "ref_image_urls",
            "ref_video_urls",
            "ref_audio_urls",
        ];
        let f = Fields::of(v, NAMES)?;
        let mut form = Form::default();
        let mode = |v: &Value| Some(mode::from_key(v.as_str()?).unwrap_or(Mode::TextToVideo));
        f.get("mode", &mut form.mode, mode)?;
        f.get("prompt", &mut form.prompt, string)?;
        f.get("model", &mut form.model, |v| v.as_str().map(Model::from))?;
        f.get("resolution", &mut form.resolution, |v| {
            v.as_str().map(Resolution::from)
        })?;
        f.get("ratio", &mut form.ratio, |v| v.as_str().map(Ratio::from))?;
        f.get("duration", &mut form.duration, int)?;
        f.get("audio", &mut form.audio, boolean)?;
        f.get("seed", &mut form.seed, string)?;
        f.get("watermark", &mut form.watermark, boolean)?;
        f.get("last_frame", &mut form.last_frame, boolean)?;
        f.get("first_url", &mut form.first, |v| {
            v.as_str().map(ImageSlot::from_url)
        })?;
        f.get("last_url", &mut form.last, |v| {
            v.as_str().map(ImageSlot::from_url)
        })?;
        f.get("ref_image_urls", &mut form.ref_image_urls, string)?;
        f.get("ref_video_urls", &mut form.ref_video_urls, string)?;
        f.get("ref_audio_urls", &mut form.ref_audio_urls, string)?;
        Some(form)
    }
}

impl Read for Payloads {
    fn read(v: &Value) -> Option<Self> {
        const NAMES: &[&str] = &[
            "first",
            "last",
            "refs",
            "first_url",
            "last_url",
            "ref_image_urls",
        ];
        let f = Fields::of(v, NAMES)?;
        let mut p = Payloads::default();
        f.get("first", &mut p.first, opt(Picked::read))?;
        f.get("last", &mut p.last, opt(Picked::read))?;
        f.get("refs", &mut p.refs, list(Picked::read))?;
        f.get("first_url", &mut p.first_url, opt(string))?;
        f.get("last_url", &mut p.last_url, opt(string))?;
        f.get("ref_image_urls", &mut p.ref_image_urls, opt(string))?;
        Some(p)
    }
}
