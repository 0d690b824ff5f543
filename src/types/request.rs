//! The create-task body and the constructors for the four generation modes.

use serde::{Deserialize, Deserializer, Serialize};

use super::content::ContentItem;
use super::model::{Model, Ratio, Resolution, Role};

/// `duration` value that lets the model choose the length (billed by the actual length).
pub const DURATION_AUTO: i64 = -1;

/// The body of `POST /contents/generations/tasks`.
///
/// Build one with a mode constructor ([`text_to_video`](Self::text_to_video),
/// [`first_frame`](Self::first_frame), [`first_last_frame`](Self::first_last_frame),
/// [`reference`](Self::reference)), then set parameters with the `with_*` methods. Unset
/// optional fields are not sent, so the server's defaults apply; `generate_audio` is always
/// sent because the server's default (`true`) surprises callers who want silence.
/// Seedance 1.x fields (`frames`, `camera_fixed`, `service_tier`) have no place here.
///
/// ```
/// use seedance::{CreateTaskRequest, Model, Resolution, Ratio};
/// let req = CreateTaskRequest::text_to_video(Model::Fast, "A drone shot over an autumn valley")
///     .with_resolution(Resolution::P720)
///     .with_ratio(Ratio::R16x9)
///     .with_duration(5)
///     .with_audio(false);
/// let json = serde_json::to_value(&req).unwrap();
/// assert_eq!(json["generate_audio"], false);
/// assert_eq!(json["content"][0]["type"], "text");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreateTaskRequest {
    /// The model id.
    pub model: Model,
    /// The prompt and media inputs; their combination selects the mode.
    pub content: Vec<ContentItem>,
    /// Output resolution; server default `720p`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Resolution>,
    /// Output aspect ratio; server default `adaptive`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratio: Option<Ratio>,
    /// Length in whole seconds, 4..=15, or [`DURATION_AUTO`]; server default 5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<i64>,
    /// Whether the video has sound. Always sent; defaults to `true` like the server.
    #[serde(default = "default_true", deserialize_with = "null_as_true")]
    pub generate_audio: bool,
    /// Add the AI-generated watermark; server default `false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watermark: Option<bool>,
    /// Seed in -1..=2^32-1 (-1 = random); the same seed gives similar, not equal, videos.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<i64>,
    /// Also return the last frame as a PNG (`content.last_frame_url`), for chaining clips.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_last_frame: Option<bool>,
    /// Seconds after which an unfinished task expires, 3600..=259200; server default 172800.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_expires_after: Option<i64>,
    /// A URL the server POSTs task updates to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
}

fn default_true() -> bool {
    true
}

// The official SDKs send `null` for unset fields; `null` means "the server's default".
fn null_as_true<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Option::<bool>::deserialize(d)?.unwrap_or(true))
}

/// The media of a multi-modal reference request: 1..=9 images and/or videos, and audio.
///
/// ```
/// use seedance::References;
/// let refs = References::new()
///     .image("https://example.com/cat.png")
///     .video("asset://video-123")
///     .audio("https://example.com/purr.mp3");
/// assert_eq!(refs.len(), 3);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct References {
    items: Vec<ContentItem>,
}

impl References {
    /// No references yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a `reference_image`.
    pub fn image(mut self, url: impl Into<String>) -> Self {
        self.items
            .push(ContentItem::image(url, Some(Role::ReferenceImage)));
        self
    }

    /// Add a `reference_video` (a URL or `asset://`, not a data URL).
    pub fn video(mut self, url: impl Into<String>) -> Self {
        self.items.push(ContentItem::reference_video(url));
        self
    }

    /// Add a `reference_audio` (needs an image or a video beside it).
    pub fn audio(mut self, url: impl Into<String>) -> Self {
        self.items.push(ContentItem::reference_audio(url));
        self
    }

    /// How many media items there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl CreateTaskRequest {
    /// The JSON names of a create body's fields, in declaration order (the order serde
    /// writes them in, and reads them from an array). Decoding ignores any other key; the
    /// CLI's batch files refuse one, since a misspelt field would silently fall back to
    /// the server's default.
    ///
    /// ```
    /// use seedance::CreateTaskRequest;
    /// assert_eq!(CreateTaskRequest::FIELDS[0], "model");
    /// assert!(CreateTaskRequest::FIELDS.contains(&"generate_audio"));
    /// ```
    pub const FIELDS: [&'static str; 11] = [
        "model",
        "content",
        "resolution",
        "ratio",
        "duration",
        "generate_audio",
        "watermark",
        "seed",
        "return_last_frame",
        "execution_expires_after",
        "callback_url",
    ];

    fn with_content(model: impl Into<Model>, content: Vec<ContentItem>) -> Self {
        CreateTaskRequest {
            model: model.into(),
            content,
            resolution: None,
            ratio: None,
            duration: None,
            generate_audio: true,
            watermark: None,
            seed: None,
            return_last_frame: None,
            execution_expires_after: None,
            callback_url: None,
        }
    }

    /// The request as the JSON body the API receives (what `serde_json::to_string` gives,
    /// written by hand: no serializer in a wasm that uses it).
    ///
    /// ```
    /// let req = seedance::CreateTaskRequest::text_to_video(seedance::Model::Fast, "waves");
    /// assert_eq!(req.to_json(), serde_json::to_string(&req).unwrap());
    /// ```
    pub fn to_json(&self) -> String {
        super::codec::request::request_text(self)
    }

    /// Text-to-video: one prompt, no media.
    ///
    /// ```
    /// let req = seedance::CreateTaskRequest::text_to_video(seedance::Model::Fast, "waves at dusk");
    /// assert_eq!(req.prompt(), Some("waves at dusk"));
    /// ```
    pub fn text_to_video(model: impl Into<Model>, prompt: impl Into<String>) -> Self {
        Self::with_content(model, vec![ContentItem::text(prompt)])
    }

    /// First frame: the video starts from `image`; add a prompt with [`with_prompt`](Self::with_prompt).
    ///
    /// ```
    /// let req = seedance::CreateTaskRequest::first_frame(
    ///     seedance::Model::Standard, "https://example.com/start.png",
    /// ).with_prompt("the camera pulls back");
    /// assert_eq!(req.content.len(), 2);
    /// ```
    pub fn first_frame(model: impl Into<Model>, image: impl Into<String>) -> Self {
        Self::with_content(
            model,
            vec![ContentItem::image(image, Some(Role::FirstFrame))],
        )
    }

    /// First + last frame: the video goes from `first` to `last`.
    pub fn first_last_frame(
        model: impl Into<Model>,
        first: impl Into<String>,
        last: impl Into<String>,
    ) -> Self {
        Self::with_content(
            model,
            vec![
                ContentItem::image(first, Some(Role::FirstFrame)),
                ContentItem::image(last, Some(Role::LastFrame)),
            ],
        )
    }

    /// Multi-modal reference: a prompt plus reference images, videos and audio.
    ///
    /// ```
    /// use seedance::{CreateTaskRequest, Model, References};
    /// let req = CreateTaskRequest::reference(
    ///     Model::Standard,
    ///     "the cat from image 1 plays the piano",
    ///     References::new().image("https://example.com/cat.png"),
    /// );
    /// assert_eq!(req.content.len(), 2);
    /// ```
    pub fn reference(
        model: impl Into<Model>,
        prompt: impl Into<String>,
        references: References,
    ) -> Self {
        let mut content = Vec::with_capacity(references.items.len() + 1);
        content.push(ContentItem::text(prompt));
        content.extend(references.items);
        Self::with_content(model, content)
    }

    /// Set the prompt, replacing any text item (a request has at most one).
    pub fn with_prompt(mut self, prompt: impl Into<String>) -> Self {
        self.content
            .retain(|item| !matches!(item, ContentItem::Text { .. }));
        self.content.insert(0, ContentItem::text(prompt));
        self
    }

    /// Set the output resolution (1080p needs the standard model).
    pub fn with_resolution(mut self, resolution: Resolution) -> Self {
        self.resolution = Some(resolution);
        self
    }

    /// Set the aspect ratio.
    pub fn with_ratio(mut self, ratio: Ratio) -> Self {
        self.ratio = Some(ratio);
        self
    }

    /// Set the length in whole seconds (4..=15), or [`DURATION_AUTO`].
    pub fn with_duration(mut self, seconds: i64) -> Self {
        self.duration = Some(seconds);
        self
    }

    /// Let the model choose the length (4..=15 s, billed by the actual length).
    pub fn with_auto_duration(self) -> Self {
        self.with_duration(DURATION_AUTO)
    }

    /// Turn generated sound on or off (on by default, as on the server).
    pub fn with_audio(mut self, on: bool) -> Self {
        self.generate_audio = on;
        self
    }

    /// Turn the watermark on or off.
    pub fn with_watermark(mut self, on: bool) -> Self {
        self.watermark = Some(on);
        self
    }

    /// Set the seed (0..=2^32-1, or -1 for random).
    pub fn with_seed(mut self, seed: i64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Ask for the last frame as a PNG, to chain the next clip from it.
    pub fn with_last_frame(mut self, on: bool) -> Self {
        self.return_last_frame = Some(on);
        self
    }

    /// Set how long an unfinished task may wait before it expires (3600..=259200 s).
    pub fn with_expires_after(mut self, seconds: i64) -> Self {
        self.execution_expires_after = Some(seconds);
        self
    }

    /// Set the URL the server POSTs task updates to.
    pub fn with_callback_url(mut self, url: impl Into<String>) -> Self {
        self.callback_url = Some(url.into());
        self
    }

    /// The prompt, if the request has one.
    pub fn prompt(&self) -> Option<&str> {
        self.content.iter().find_map(|item| match item {
            ContentItem::Text { text } => Some(text.as_str()),
            _ => None,
        })
    }

    /// Whether any input is a video (some price tables charge more for it).
    pub fn has_video_input(&self) -> bool {
        self.content
            .iter()
            .any(|item| matches!(item, ContentItem::VideoUrl { .. }))
    }
}
