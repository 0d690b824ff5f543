//! One track of a clip: its timescale, edit list, sample entry and the sample table expanded
//! into one record per sample (file offset, size, decode time, composition offset, sync).

use crate::boxes::{children, find, header, need, Reader};
use crate::error::{bad, Fault};

/// One sample (a video frame or an audio frame) of a clip.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sample {
    /// Byte offset in the clip's file.
    pub(crate) offset: u64,
    pub(crate) size: u32,
    /// Decode time, in the track's timescale, from 0.
    pub(crate) dts: u64,
    /// Duration in the track's timescale.
    pub(crate) duration: u32,
    /// Composition offset (`ctts`): presentation time = `dts + cto`.
    pub(crate) cto: i32,
    pub(crate) sync: bool,
}

/// A track's edit list reduced to what players honour: a delay, then one window of media.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Edit {
    /// Leading empty edits, in the movie timescale.
    pub(crate) delay: u64,
    /// First media time shown, in the track's timescale (`None`: no edit list).
    pub(crate) media_time: Option<u64>,
    /// Length of the window, in the movie timescale (`None`: to the end of the media).
    pub(crate) duration: Option<u64>,
}

/// What the joiner needs from one track.
pub(crate) struct Track {
    pub(crate) timescale: u32,
    pub(crate) edit: Edit,
    /// The sample entry box (`avc1`, `mp4a`…), header included, as in the file.
    pub(crate) entry: Vec<u8>,
    /// The `tkhd` fields kept in the output: matrix, width and height (16.16).
    pub(crate) tkhd_tail: [u8; 44],
    /// The `mdhd` language code.
    pub(crate) language: u16,
    pub(crate) samples: Vec<Sample>,
}

const EDIT_HINT: &str = "re-encode this clip, or cut it again so that it plays straight through";

/// Read a `trak` body.
pub(crate) fn read_track(trak: &[u8]) -> Result<Track, Fault> {
    let mut r = Reader::new(need(trak, "trak", b"tkhd")?, "tkhd");
    let (version, _) = r.version_flags()?;
    r.skip(if version == 1 { 32 } else { 20 })?; // times, track id, reserved, duration
    r.skip(8 + 2 + 2 + 2 + 2)?; // reserved, layer, alternate group, volume, reserved
    let tkhd_tail: [u8; 44] = r.bytes(44)?.try_into().map_err(|_| bad("tkhd", "short"))?;

    let edit = match find(trak, "trak", b"edts")? {
        Some(edts) => match find(edts, "edts", b"elst")? {
            Some(elst) => read_elst(elst)?,
            None => Edit::default(),
        },
        None => Edit::default(),
    };

    let mdia = need(trak, "trak", b"mdia")?;
    let mut r = Reader::new(need(mdia, "mdia", b"mdhd")?, "mdhd");
    let (version, _) = r.version_flags()?;
    r.skip(if version == 1 { 16 } else { 8 })?;
    let timescale = r.u32()?;
    r.skip(if version == 1 { 8 } else { 4 })?;
    let language = r.u16()?;
    if timescale == 0 {
        return Err(bad("mdhd", "timescale 0"));
    }
    let stbl = need(need(mdia, "mdia", b"minf")?, "minf", b"stbl")?;
    let mut r = Reader::new(need(stbl, "stbl", b"stsd")?, "stsd");
    r.version_flags()?;
    let entries = r.u32()?;
    let entry = match (entries, children(r.rest(), "stsd").next()) {
        (1, Some(first)) => {
            // The whole first child box, header included (`children` checked its size).
            let body_len = first?.1.len();
            let header_len = header(r.rest()).map_or(8, |h| h.header_len as usize);
            r.bytes(header_len + body_len)?.to_vec()
        }
        (0, _) | (_, None) => return Err(bad("stsd", "no sample description")),
        (n, _) => {
            return Err(Fault::Unsupported(
                format!("{n} sample descriptions (codec settings that change mid-clip)"),
                "re-encode this clip with one set of settings",
            ))
        }
    };
    let samples = read_samples(stbl)?;
    Ok(Track {
        timescale,
        edit,
        entry,
        tkhd_tail,
        language,
        samples,
    })
}

/// Reduce an edit list to a delay and one window; refuse lists a single window can't express.
fn read_elst(elst: &[u8]) -> Result<Edit, Fault> {
    let mut r = Reader::new(elst, "elst");
    let (version, _) = r.version_flags()?;
    let n = r.count(if version == 1 { 20 } else { 12 })?;
    let mut edit = Edit::default();
    for _ in 0..n {
        let duration = r.u32_or_u64(version)?;
        let media_time = r.u32_or_u64(version)?;
        let empty = if version == 1 {
            media_time == u64::MAX
        } else {
            media_time == u64::from(u32::MAX)
        };
        let rate = r.u32()?;
        if empty && edit.media_time.is_none() {
            edit.delay += duration;
            continue;
        }
        if empty || edit.media_time.is_some() || rate != 0x0001_0000 {
            let what = if rate != 0x0001_0000 {
                "an edit list that changes speed"
            } else {
                "an edit list with several segments"
            };
            return Err(Fault::Unsupported(what.into(), EDIT_HINT));
        }
        edit.media_time = Some(media_time);
        edit.duration = (duration > 0).then_some(duration);
    }
    Ok(edit)
}

/// Expand `stts`, `ctts`, `stss`, `stsz`/`stz2`, `stsc` and `stco`/`co64` into samples.
fn read_samples(stbl: &[u8]) -> Result<Vec<Sample>, Fault> {
    let sizes = read_sizes(stbl)?;
    let offsets = read_chunk_offsets(stbl)?;
    let mut samples = Vec::with_capacity(sizes.len());

    // stsc: runs of chunks with the same number of samples.
    let mut r = Reader::new(need(stbl, "stbl", b"stsc")?, "stsc");
    r.version_flags()?;
    let n = r.count(12)?;
    let mut runs = Vec::with_capacity(n);
    for _ in 0..n {
        let (first, per_chunk) = (r.u32()? as usize, r.u32()? as usize);
        r.skip(4)?;
        runs.push((first, per_chunk));
    }
    for (i, &(first, per_chunk)) in runs.iter().enumerate() {
        let end = runs.get(i + 1).map_or(offsets.len() + 1, |next| next.0);
        if first == 0 || end < first || end > offsets.len() + 1 {
            return Err(bad(
                "stsc",
                "chunk numbers out of order or past the chunk table",
            ));
        }
        for &chunk_offset in &offsets[first - 1..end - 1] {
            let mut offset = chunk_offset;
            for _ in 0..per_chunk {
                let Some(&size) = sizes.get(samples.len()) else {
                    break;
                };
                samples.push(Sample {
                    offset,
                    size,
                    dts: 0,
                    duration: 0,
                    cto: 0,
                    sync: true,
                });
                offset = offset.saturating_add(u64::from(size));
            }
        }
    }
    if samples.len() != sizes.len() {
        let what = format!(
            "chunks hold {} samples, stsz lists {}",
            samples.len(),
            sizes.len()
        );
        return Err(bad("stsc", &what));
    }

    // stts: decode durations.
    let mut r = Reader::new(need(stbl, "stbl", b"stts")?, "stts");
    r.version_flags()?;
    let (mut i, mut dts) = (0, 0u64);
    for _ in 0..r.count(8)? {
        let (count, delta) = (r.u32()?, r.u32()?);
        for _ in 0..count {
            let Some(s) = samples.get_mut(i) else { break };
            (s.dts, s.duration) = (dts, delta);
            dts += u64::from(delta);
            i += 1;
        }
    }
    if i < samples.len() {
        return Err(bad("stts", "fewer durations than samples"));
    }

    // ctts: composition offsets (signed, as players read them in either version).
    if let Some(ctts) = find(stbl, "stbl", b"ctts")? {
        let mut r = Reader::new(ctts, "ctts");
        r.version_flags()?;
        let mut i = 0;
        for _ in 0..r.count(8)? {
            let (count, offset) = (r.u32()?, r.u32()? as i32);
            for _ in 0..count {
                let Some(s) = samples.get_mut(i) else { break };
                s.cto = offset;
                i += 1;
            }
        }
    }

    // stss: sync samples; without it, every sample is one.
    if let Some(stss) = find(stbl, "stbl", b"stss")? {
        let mut r = Reader::new(stss, "stss");
        r.version_flags()?;
        samples.iter_mut().for_each(|s| s.sync = false);
        for _ in 0..r.count(4)? {
            let n = r.u32()? as usize;
            if let Some(s) = n.checked_sub(1).and_then(|i| samples.get_mut(i)) {
                s.sync = true;
            }
        }
    }
    Ok(samples)
}

/// Read the sample sizes from `stsz` or `stz2`.
fn read_sizes(stbl: &[u8]) -> Result<Vec<u32>, Fault> {
    if let Some(stsz) = find(stbl, "stbl", b"stsz")? {
        let mut r = Reader::new(stsz, "stsz");
        r.version_flags()?;
        let size = r.u32()?;
        if size != 0 {
            let n = r.u32()?;
            // No table to bound the count: cap it so a damaged box can't ask for huge memory.
            if n > (1 << 28) / size.max(1) {
                return Err(bad("stsz", "more samples than any clip holds"));
            }
            return Ok(vec![size; n as usize]);
        }
        let n = r.count(4)?;
        return (0..n).map(|_| r.u32()).collect();
    }
    let mut r = Reader::new(need(stbl, "stbl", b"stz2")?, "stz2");
    r.version_flags()?;
    r.skip(3)?;
    let bits = r.u8()?;
    let n = r.u32()? as usize;
    let need_bytes = match bits {
        4 => n.div_ceil(2),
        8 | 16 => n * (bits as usize / 8),
        _ => return Err(bad("stz2", "field size other than 4, 8 or 16")),
    };
    let table = r.bytes(need_bytes)?;
    Ok((0..n)
        .map(|i| match bits {
            4 => u32::from(if i % 2 == 0 {
                table[i / 2] >> 4
            } else {
                table[i / 2] & 15
            }),
            8 => u32::from(table[i]),
            _ => u32::from(u16::from_be_bytes([table[2 * i], table[2 * i + 1]])),
        })
        .collect())
}

/// Read the chunk offsets from `stco` or `co64`.
fn read_chunk_offsets(stbl: &[u8]) -> Result<Vec<u64>, Fault> {
    if let Some(stco) = find(stbl, "stbl", b"stco")? {
        let mut r = Reader::new(stco, "stco");
        r.version_flags()?;
        let n = r.count(4)?;
        return (0..n).map(|_| r.u32().map(u64::from)).collect();
    }
    let mut r = Reader::new(need(stbl, "stbl", b"co64")?, "co64");
    r.version_flags()?;
    let n = r.count(8)?;
    (0..n).map(|_| r.u64()).collect()
}
