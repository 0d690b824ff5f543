//! Codec configurations: read what a sample entry says (size, avcC, AudioSpecificConfig),
//! and say in words how two clips differ. Bitrate fields (`btrt`, the esds averages) are
//! not compared: they differ between clips of one encoder.

use crate::aac::{parse_config, AudioConfig};
use crate::boxes::{children, fourcc_text, FourCc, Reader};
use crate::error::{bad, Fault};

/// The codec boxes compared byte for byte between clips.
const VIDEO_CONFIGS: [&FourCc; 5] = [b"avcC", b"hvcC", b"av1C", b"vpcC", b"esds"];

/// A video sample entry's codec, coded size and configuration box.
struct Video<'a> {
    codec: FourCc,
    width: u16,
    height: u16,
    config: Option<(FourCc, &'a [u8])>,
}

fn video(entry: &[u8]) -> Result<Video<'_>, Fault> {
    let codec: FourCc = entry[4..8]
        .try_into()
        .map_err(|_| bad("stsd", "short entry"))?;
    let mut r = Reader::new(&entry[8..], "stsd");
    r.skip(24)?;
    let (width, height) = (r.u16()?, r.u16()?);
    r.skip(50)?;
    let mut config = None;
    for child in children(r.rest(), "stsd") {
        let (kind, body) = child?;
        if config.is_none() && VIDEO_CONFIGS.contains(&&kind) {
            config = Some((kind, body));
        }
    }
    Ok(Video {
        codec,
        width,
        height,
        config,
    })
}

/// Say how clip `this`'s video sample entry differs from the first clip's, or `None` if
/// they describe the same stream format.
pub(crate) fn video_difference(first: &[u8], this: &[u8]) -> Result<Option<String>, Fault> {
    let (a, b) = (video(first)?, video(this)?);
    if a.codec != b.codec {
        return Ok(Some(format!(
            "{} vs {}",
            fourcc_text(&b.codec),
            fourcc_text(&a.codec)
        )));
    }
    if (a.width, a.height) != (b.width, b.height) {
        return Ok(Some(format!(
            "{}×{} vs {}×{}",
            b.width, b.height, a.width, a.height
        )));
    }
    Ok(match (a.config, b.config) {
        (Some((_, x)), Some((_, y))) if x == y => None,
        (Some((kind, x)), Some((_, y))) if &kind == b"avcC" => Some(avc_difference(x, y)),
        (Some((kind, _)), _) | (_, Some((kind, _))) => {
            Some(format!("{} differs", fourcc_text(&kind)))
        }
        // No known configuration box: the whole entry must match.
        (None, None) => (first != this).then(|| "sample description differs".to_string()),
    })
}

/// Name what differs between two avcC boxes: profile, level, SPS or PPS.
fn avc_difference(first: &[u8], this: &[u8]) -> String {
    let profile = |c: &[u8]| match c.get(1) {
        Some(66) => "Baseline".to_string(),
        Some(77) => "Main".to_string(),
        Some(88) => "Extended".to_string(),
        Some(100) => "High".to_string(),
        Some(110) => "High 10".to_string(),
        Some(122) => "High 4:2:2".to_string(),
        Some(244) => "High 4:4:4".to_string(),
        other => format!("{}", other.copied().unwrap_or(0)),
    };
    // level_idc is ten times the level: 31 is level 3.1.
    let level = |c: &[u8]| {
        c.get(3)
            .map_or(String::new(), |&l| format!("{}.{}", l / 10, l % 10))
    };
    if first.get(1) != this.get(1) {
        return format!("{} vs {} profile", profile(this), profile(first));
    }
    if first.get(3) != this.get(3) {
        return format!("level {} vs {}", level(this), level(first));
    }
    let (a, b) = (parameter_sets(first), parameter_sets(this));
    match (a, b) {
        (Some((sps_a, _)), Some((sps_b, _))) if sps_a != sps_b => "SPS differs".into(),
        (Some((_, pps_a)), Some((_, pps_b))) if pps_a != pps_b => "PPS differs".into(),
        _ => "avcC differs".into(),
    }
}

/// A list of parameter sets (NAL units).
type Sets<'a> = Vec<&'a [u8]>;

/// Split an avcC body into its SPS list and PPS list.
fn parameter_sets(avcc: &[u8]) -> Option<(Sets<'_>, Sets<'_>)> {
    let mut pos = 5;
    let mut list = |count_mask: u8| -> Option<Sets<'_>> {
        let n = avcc.get(pos)? & count_mask;
        pos += 1;
        (0..n)
            .map(|_| {
                let len = usize::from(u16::from_be_bytes([*avcc.get(pos)?, *avcc.get(pos + 1)?]));
                let set = avcc.get(pos + 2..pos + 2 + len)?;
                pos += 2 + len;
                Some(set)
            })
            .collect()
    };
    let sps = list(0x1f)?;
    let pps = list(0xff)?;
    Some((sps, pps))
}

/// An audio sample entry's codec, channel count, rate and AudioSpecificConfig.
pub(crate) struct Audio<'a> {
    codec: FourCc,
    channels: u16,
    rate: u32,
    asc: Option<&'a [u8]>,
}

pub(crate) fn audio(entry: &[u8]) -> Result<Audio<'_>, Fault> {
    let codec: FourCc = entry[4..8]
        .try_into()
        .map_err(|_| bad("stsd", "short entry"))?;
    let mut r = Reader::new(&entry[8..], "stsd");
    r.skip(8)?;
    let version = r.u16()?;
    r.skip(6)?;
    let channels = r.u16()?;
    r.skip(6)?;
    let rate = r.u32()? >> 16;
    // QuickTime sound descriptions version 1 and 2 carry more fields before the children.
    r.skip(match version {
        1 => 16,
        2 => 36,
        _ => 0,
    })?;
    let mut asc = None;
    for child in children(r.rest(), "stsd") {
        let (kind, body) = child?;
        if &kind == b"esds" {
            asc = decoder_specific_info(body);
        }
    }
    Ok(Audio {
        codec,
        channels,
        rate,
        asc,
    })
}

impl Audio<'_> {
    /// The AAC configuration, if the entry is AAC with a readable AudioSpecificConfig.
    pub(crate) fn aac(&self) -> Option<AudioConfig> {
        (&self.codec == b"mp4a").then_some(())?;
        parse_config(self.asc?)
    }

    /// Describe the format for a message.
    pub(crate) fn describe(&self) -> String {
        match self.aac() {
            Some(aac) => aac.describe(),
            None => format!(
                "{}, {} Hz, {} channels",
                fourcc_text(&self.codec),
                self.rate,
                self.channels
            ),
        }
    }
}

/// Say how clip `this`'s audio sample entry differs from `first`'s, or `None`.
pub(crate) fn audio_difference(first: &[u8], this: &[u8]) -> Result<Option<String>, Fault> {
    let (a, b) = (audio(first)?, audio(this)?);
    if a.codec != b.codec {
        return Ok(Some(format!(
            "{} vs {}",
            fourcc_text(&b.codec),
            fourcc_text(&a.codec)
        )));
    }
    if a.asc == b.asc && (a.asc.is_some() || (a.channels, a.rate) == (b.channels, b.rate)) {
        return Ok(None);
    }
    Ok(Some(match (a.aac(), b.aac()) {
        (Some(x), Some(y)) if x.sample_rate != y.sample_rate => {
            format!("{} Hz vs {} Hz", y.sample_rate, x.sample_rate)
        }
        (Some(x), Some(y)) if x.channels != y.channels => {
            format!("{} vs {} channels", y.channels, x.channels)
        }
        (Some(x), Some(y)) if x.object_type != y.object_type => {
            format!("{} vs {}", y.describe(), x.describe())
        }
        _ if a.rate != b.rate => format!("{} Hz vs {} Hz", b.rate, a.rate),
        _ if a.channels != b.channels => format!("{} vs {} channels", b.channels, a.channels),
        _ => "AudioSpecificConfig differs".to_string(),
    }))
}

/// Find the DecoderSpecificInfo (the AudioSpecificConfig for AAC) in an `esds` body.
fn decoder_specific_info(esds: &[u8]) -> Option<&[u8]> {
    let mut pos = 4; // version and flags
                     // Descriptors: tag, then a size in up to four 7-bit groups.
    let descriptor = |pos: &mut usize| -> Option<(u8, usize)> {
        let tag = *esds.get(*pos)?;
        *pos += 1;
        let mut len = 0usize;
        for _ in 0..4 {
            let b = *esds.get(*pos)?;
            *pos += 1;
            len = (len << 7) | usize::from(b & 0x7f);
            if b & 0x80 == 0 {
                break;
            }
        }
        Some((tag, len))
    };
    let (tag, _) = descriptor(&mut pos)?;
    if tag != 3 {
        return None;
    }
    let flags = *esds.get(pos + 2)?;
    pos += 3; // ES_ID, flags
    if flags & 0x80 != 0 {
        pos += 2; // dependsOn_ES_ID
    }
    if flags & 0x40 != 0 {
        pos += 1 + usize::from(*esds.get(pos)?); // URL
    }
    if flags & 0x20 != 0 {
        pos += 2; // OCR_ES_Id
    }
    let (tag, _) = descriptor(&mut pos)?;
    if tag != 4 {
        return None;
    }
    pos += 13; // objectTypeIndication, streamType, bufferSize, maxBitrate, avgBitrate
    let (tag, len) = descriptor(&mut pos)?;
    (tag == 5).then_some(())?;
    esds.get(pos..pos + len)
}
