//! `CreateTaskRequest` and its content items: decoded as serde reads them, written as
//! serde_json writes them (the create body on every target).

use crate::json::read::{
    boolean, i64_, invalid_type, missing_field, option, seq, string, text_enum, unknown_variant,
    Read, Seq, Shape,
};
use crate::json::write::Writer;
use crate::json::Json;
use crate::types::{ContentItem, CreateTaskRequest, MediaUrl, Model, Role};

/// `CreateTaskRequest` (types/request.rs).
pub(crate) fn decode_request(v: Json) -> Read<CreateTaskRequest> {
    const SHAPE: Shape = Shape {
        expecting: "struct CreateTaskRequest",
        fields: &CreateTaskRequest::FIELDS,
        deny_unknown: false,
        seq: Seq::Value,
    };
    let (mut model, mut content) = (None, None);
    let mut r = CreateTaskRequest::text_to_video(Model::Fast, "");
    let given = SHAPE.read(v, |i, _, v| {
        match i {
            Some(0) => model = Some(text_enum(v)?),
            Some(1) => content = Some(seq(v, decode_content_item)?),
            Some(2) => r.resolution = option(v, text_enum)?,
            Some(3) => r.ratio = option(v, text_enum)?,
            Some(4) => r.duration = option(v, i64_)?,
            // `null_as_true`
            Some(5) => r.generate_audio = option(v, boolean)?.unwrap_or(true),
            Some(6) => r.watermark = option(v, boolean)?,
            Some(7) => r.seed = option(v, i64_)?,
            Some(8) => r.return_last_frame = option(v, boolean)?,
            Some(9) => r.execution_expires_after = option(v, i64_)?,
            Some(10) => r.callback_url = option(v, string)?,
            _ => {}
        }
        Ok(())
    })?;
    r.model = SHAPE.required(&given, model, 0)?;
    r.content = SHAPE.required(&given, content, 1)?;
    Ok(r)
}

/// `ContentItem` (types/content.rs): internally tagged by `type`, variants in snake_case.
/// serde reads the tag where it finds it and buffers the other entries, then reads the
/// variant from them.
fn decode_content_item(v: Json) -> Read<ContentItem> {
    const VARIANTS: &[&str] = &["text", "image_url", "video_url", "audio_url"];
    let tag = |v: Json| match v {
        Json::Str(s) => VARIANTS
            .iter()
            .position(|n| *n == s)
            .ok_or_else(|| unknown_variant(&s, VARIANTS)),
        other => Err(invalid_type(&other, "variant identifier")),
    };
    let (variant, rest) = match v {
        Json::Obj(entries) => {
            let mut variant = None;
            let mut rest = Vec::with_capacity(entries.len());
            for (k, v) in entries {
                if k == "type" {
                    variant = Some(tag(v)?);
                } else {
                    rest.push((k, v));
                }
            }
            (variant, Json::Obj(rest))
        }
        Json::Arr(items) => {
            let mut it = items.into_iter();
            let variant = it.next().map(tag).transpose()?;
            (variant, Json::Arr(it.collect()))
        }
        other => return Err(invalid_type(&other, "internally tagged enum ContentItem")),
    };
    match variant {
        None => Err(missing_field("type")),
        Some(0) => {
            const SHAPE: Shape = Shape {
                expecting: "struct variant ContentItem::Text",
                fields: &["text"],
                deny_unknown: false,
                seq: Seq::Content,
            };
            let mut text = None;
            let given = SHAPE.read(rest, |i, _, v| {
                if i == Some(0) {
                    text = Some(string(v)?);
                }
                Ok(())
            })?;
            Ok(ContentItem::Text {
                text: SHAPE.required(&given, text, 0)?,
            })
        }
        Some(k) => {
            // `{ <kind>_url: MediaUrl, #[serde(default)] role: Option<Role> }`
            const SHAPES: [Shape; 3] = [
                Shape {
                    expecting: "struct variant ContentItem::ImageUrl",
                    fields: &["image_url", "role"],
                    deny_unknown: false,
                    seq: Seq::Content,
                },
                Shape {
                    expecting: "struct variant ContentItem::VideoUrl",
                    fields: &["video_url", "role"],
                    deny_unknown: false,
                    seq: Seq::Content,
                },
                Shape {
                    expecting: "struct variant ContentItem::AudioUrl",
                    fields: &["audio_url", "role"],
                    deny_unknown: false,
                    seq: Seq::Content,
                },
            ];
            let shape = &SHAPES[k - 1];
            let (mut url, mut role) = (None, None);
            let given = shape.read(rest, |i, _, v| {
                match i {
                    Some(0) => url = Some(decode_media_url(v)?),
                    Some(1) => role = option(v, text_enum::<Role>)?,
                    _ => {}
                }
                Ok(())
            })?;
            let url = shape.required(&given, url, 0)?;
            Ok(match k {
                1 => ContentItem::ImageUrl {
                    image_url: url,
                    role,
                },
                2 => ContentItem::VideoUrl {
                    video_url: url,
                    role,
                },
                _ => ContentItem::AudioUrl {
                    audio_url: url,
                    role,
                },
            })
        }
    }
}

/// `MediaUrl` (types/content.rs), inside a content item (serde's buffered content).
fn decode_media_url(v: Json) -> Read<MediaUrl> {
    const SHAPE: Shape = Shape {
        expecting: "struct MediaUrl",
        fields: &["url"],
        deny_unknown: false,
        seq: Seq::Content,
    };
    let mut url = None;
    let given = SHAPE.read(v, |i, _, v| {
        if i == Some(0) {
            url = Some(string(v)?);
        }
        Ok(())
    })?;
    Ok(MediaUrl {
        url: SHAPE.required(&given, url, 0)?,
    })
}

/// A create request's JSON, as the server receives it.
pub(crate) fn request_text(r: &CreateTaskRequest) -> String {
    let mut w = Writer::new();
    write_request(&mut w, r);
    w.finish()
}

/// `CreateTaskRequest` (types/request.rs): optional fields only when set, `generate_audio`
/// always.
pub(crate) fn write_request(w: &mut Writer, r: &CreateTaskRequest) {
    w.open();
    w.key("model");
    w.str(r.model.as_str());
    w.key("content");
    w.open_list();
    for item in &r.content {
        write_content_item(w, item);
    }
    w.close_list();
    w.opt_str("resolution", r.resolution.as_ref().map(|x| x.as_str()));
    w.opt_str("ratio", r.ratio.as_ref().map(|x| x.as_str()));
    w.opt_i64("duration", r.duration);
    w.key("generate_audio");
    w.bool(r.generate_audio);
    w.opt_bool("watermark", r.watermark);
    w.opt_i64("seed", r.seed);
    w.opt_bool("return_last_frame", r.return_last_frame);
    w.opt_i64("execution_expires_after", r.execution_expires_after);
    w.opt_str("callback_url", r.callback_url.as_deref());
    w.close();
}

/// `ContentItem` (types/content.rs): `{"type": …}` first, then the variant's fields.
fn write_content_item(w: &mut Writer, item: &ContentItem) {
    w.open();
    w.key("type");
    match item {
        ContentItem::Text { text } => {
            w.str("text");
            w.key("text");
            w.str(text);
        }
        _ => {
            let Some((kind, url, role)) = item.media() else {
                return;
            };
            w.str(kind.field());
            w.key(kind.field());
            w.open();
            w.key("url");
            w.str(url);
            w.close();
            w.opt_str("role", role.map(|r| r.as_str()));
        }
    }
    w.close();
}
