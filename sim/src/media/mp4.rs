//! A small MP4 writer for the simulator's clips: `ftyp`, then `moov` (so a player can start
//! before the download ends), then one `mdat` with the tracks interleaved a second at a
//! time. One H.264 video track (`avc1` + `avcC`), optionally one AAC track (`mp4a` +
//! `esds`), and the task id as QuickTime `©nam`/`©cmt` tags (ffprobe shows `title` and
//! `comment`). No edit lists: both tracks start at 0 and last exactly the clip's duration.

/// Time units a second of the video track (512 per frame at 24 fps, as ffmpeg writes).
const VIDEO_TIMESCALE: u32 = 12_288;
/// Time units a second of the movie header.
const MOVIE_TIMESCALE: u32 = 1000;

/// One track's samples and how to describe them.
#[derive(Debug)]
pub struct Track {
    /// `vide` or `soun`.
    pub kind: Kind,
    /// Time units a second.
    pub timescale: u32,
    /// Each sample's bytes.
    pub samples: Vec<Vec<u8>>,
    /// Each sample's duration, in `timescale` units.
    pub durations: Vec<u32>,
    /// 1-based numbers of the sync samples (`None`: every sample is one).
    pub sync: Option<Vec<u32>>,
}

/// What a track carries.
#[derive(Debug)]
pub enum Kind {
    /// H.264 with its parameter sets.
    Video {
        /// Display width.
        width: u16,
        /// Display height.
        height: u16,
        /// The SPS NAL unit.
        sps: Vec<u8>,
        /// The PPS NAL unit.
        pps: Vec<u8>,
    },
    /// AAC with its `AudioSpecificConfig`.
    Audio {
        /// Channel count.
        channels: u16,
        /// Samples a second.
        sample_rate: u32,
        /// `AudioSpecificConfig`.
        config: Vec<u8>,
    },
}

impl Track {
    fn duration(&self) -> u64 {
        self.durations.iter().map(|&d| u64::from(d)).sum()
    }

    /// Samples whose start time falls in second `s`: `[first, end)`.
    fn second(&self, s: u64) -> (usize, usize) {
        let ts = u64::from(self.timescale);
        let mut t = 0u64;
        let (mut first, mut end) = (None, 0);
        for (i, &d) in self.durations.iter().enumerate() {
            if t >= s * ts && t < (s + 1) * ts {
                first.get_or_insert(i);
                end = i + 1;
            }
            t += u64::from(d);
        }
        first.map_or((0, 0), |f| (f, end))
    }
}

/// The video track of an H.264 stream of length-prefixed (AVCC) samples.
pub fn video_track(
    width: u16,
    height: u16,
    sps: Vec<u8>,
    pps: Vec<u8>,
    samples: Vec<Vec<u8>>,
    sync: Vec<u32>,
    fps: u32,
) -> Track {
    let n = samples.len();
    Track {
        kind: Kind::Video {
            width,
            height,
            sps,
            pps,
        },
        timescale: VIDEO_TIMESCALE,
        samples,
        durations: vec![VIDEO_TIMESCALE / fps; n],
        sync: Some(sync),
    }
}

/// Write the whole file. `title` goes into `©nam` and `©cmt`.
pub fn write(tracks: &[Track], title: &str) -> Vec<u8> {
    let ftyp = boxed(b"ftyp", |b| {
        b.extend_from_slice(b"isom");
        b.extend_from_slice(&512u32.to_be_bytes());
        for brand in [b"isom", b"iso2", b"avc1", b"mp41"] {
            b.extend_from_slice(brand);
        }
    });
    // Lay the media data out a second at a time, each track's chunk in turn.
    let seconds = tracks
        .iter()
        .map(|t| t.duration().div_ceil(u64::from(t.timescale)))
        .max()
        .unwrap_or(0);
    let mut mdat_body = Vec::new();
    // Per track: (offset into mdat_body, sample count) of each chunk.
    let mut chunks: Vec<Vec<(u64, u32)>> = vec![Vec::new(); tracks.len()];
    for s in 0..seconds {
        for (t, track) in tracks.iter().enumerate() {
            let (first, end) = track.second(s);
            if first == end {
                continue;
            }
            chunks[t].push((mdat_body.len() as u64, (end - first) as u32));
            for sample in &track.samples[first..end] {
                mdat_body.extend_from_slice(sample);
            }
        }
    }
    // `moov`'s size does not depend on the offsets it holds: write it once to learn it.
    let probe = moov(tracks, &chunks, 0, title);
    let base = (ftyp.len() + probe.len() + 8) as u64;
    let moov = moov(tracks, &chunks, base, title);
    let mut out = ftyp;
    out.extend_from_slice(&moov);
    out.extend_from_slice(&((mdat_body.len() + 8) as u32).to_be_bytes());
    out.extend_from_slice(b"mdat");
    out.extend_from_slice(&mdat_body);
    out
}

fn boxed(kind: &[u8; 4], body: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut b = vec![0, 0, 0, 0];
    b.extend_from_slice(kind);
    body(&mut b);
    let len = b.len() as u32;
    b[..4].copy_from_slice(&len.to_be_bytes());
    b
}

/// A full box: version 0 and `flags`.
fn full(kind: &[u8; 4], flags: u32, body: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    boxed(kind, |b| {
        b.extend_from_slice(&flags.to_be_bytes()); // version 0 in the top byte
        body(b);
    })
}

fn u16s(b: &mut Vec<u8>, v: &[u16]) {
    for x in v {
        b.extend_from_slice(&x.to_be_bytes());
    }
}

fn u32s(b: &mut Vec<u8>, v: &[u32]) {
    for x in v {
        b.extend_from_slice(&x.to_be_bytes());
    }
}

const MATRIX: [u32; 9] = [0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000];
/// ISO 639-2 `und`, packed.
const UNDETERMINED: u16 = 0x55c4;

fn in_movie_time(track: &Track) -> u32 {
    (track.duration() * u64::from(MOVIE_TIMESCALE) / u64::from(track.timescale)) as u32
}

fn moov(tracks: &[Track], chunks: &[Vec<(u64, u32)>], base: u64, title: &str) -> Vec<u8> {
    boxed(b"moov", |b| {
        let duration = tracks.iter().map(in_movie_time).max().unwrap_or(0);
        b.extend_from_slice(&full(b"mvhd", 0, |b| {
            u32s(b, &[0, 0, MOVIE_TIMESCALE, duration, 0x0001_0000]);
            u16s(b, &[0x0100, 0]); // volume, reserved
            u32s(b, &[0, 0]);
            u32s(b, &MATRIX);
            u32s(b, &[0; 6]);
            u32s(b, &[tracks.len() as u32 + 1]); // next_track_ID
        }));
        for (i, track) in tracks.iter().enumerate() {
            b.extend_from_slice(&trak(track, i as u32 + 1, &chunks[i], base));
        }
        b.extend_from_slice(&boxed(b"udta", |b| {
            for tag in [b"\xa9nam", b"\xa9cmt"] {
                b.extend_from_slice(&boxed(tag, |b| {
                    u16s(b, &[title.len() as u16, UNDETERMINED]);
                    b.extend_from_slice(title.as_bytes());
                }));
            }
        }));
    })
}

fn trak(track: &Track, id: u32, chunks: &[(u64, u32)], base: u64) -> Vec<u8> {
    let (handler, name, volume, size) = match &track.kind {
        Kind::Video { width, height, .. } => (
            b"vide",
            "VideoHandler",
            0u16,
            (u32::from(*width) << 16, u32::from(*height) << 16),
        ),
        Kind::Audio { .. } => (b"soun", "SoundHandler", 0x0100, (0, 0)),
    };
    boxed(b"trak", |b| {
        b.extend_from_slice(&full(b"tkhd", 3, |b| {
            u32s(b, &[0, 0, id, 0, in_movie_time(track), 0, 0]);
            u16s(b, &[0, 0, volume, 0]); // layer, alternate_group, volume, reserved
            u32s(b, &MATRIX);
            u32s(b, &[size.0, size.1]);
        }));
        b.extend_from_slice(&boxed(b"mdia", |b| {
            b.extend_from_slice(&full(b"mdhd", 0, |b| {
                u32s(b, &[0, 0, track.timescale, track.duration() as u32]);
                u16s(b, &[UNDETERMINED, 0]);
            }));
            b.extend_from_slice(&full(b"hdlr", 0, |b| {
                u32s(b, &[0]);
                b.extend_from_slice(handler);
                u32s(b, &[0, 0, 0]);
                b.extend_from_slice(name.as_bytes());
                b.push(0);
            }));
            b.extend_from_slice(&boxed(b"minf", |b| {
                b.extend_from_slice(&match track.kind {
                    Kind::Video { .. } => full(b"vmhd", 1, |b| u16s(b, &[0, 0, 0, 0])),
                    Kind::Audio { .. } => full(b"smhd", 0, |b| u16s(b, &[0, 0])),
                });
                b.extend_from_slice(&boxed(b"dinf", |b| {
                    b.extend_from_slice(&full(b"dref", 0, |b| {
                        u32s(b, &[1]);
                        b.extend_from_slice(&full(b"url ", 1, |_| {}));
                    }));
                }));
                b.extend_from_slice(&stbl(track, chunks, base));
            }));
        }));
    })
}

fn stbl(track: &Track, chunks: &[(u64, u32)], base: u64) -> Vec<u8> {
    boxed(b"stbl", |b| {
        b.extend_from_slice(&full(b"stsd", 0, |b| {
            u32s(b, &[1]);
            b.extend_from_slice(&sample_entry(&track.kind));
        }));
        // Runs of equal durations.
        let mut runs: Vec<(u32, u32)> = Vec::new();
        for &d in &track.durations {
            match runs.last_mut() {
                Some((n, last)) if *last == d => *n += 1,
                _ => runs.push((1, d)),
            }
        }
        b.extend_from_slice(&full(b"stts", 0, |b| {
            u32s(b, &[runs.len() as u32]);
            for (n, d) in &runs {
                u32s(b, &[*n, *d]);
            }
        }));
        if let Some(sync) = &track.sync {
            b.extend_from_slice(&full(b"stss", 0, |b| {
                u32s(b, &[sync.len() as u32]);
                u32s(b, sync);
            }));
        }
        // A new stsc entry wherever the samples per chunk change.
        let mut stsc: Vec<(u32, u32)> = Vec::new();
        for (i, &(_, n)) in chunks.iter().enumerate() {
            if stsc.last().is_none_or(|&(_, last)| last != n) {
                stsc.push((i as u32 + 1, n));
            }
        }
        b.extend_from_slice(&full(b"stsc", 0, |b| {
            u32s(b, &[stsc.len() as u32]);
            for (first, n) in &stsc {
                u32s(b, &[*first, *n, 1]);
            }
        }));
        b.extend_from_slice(&full(b"stsz", 0, |b| {
            u32s(b, &[0, track.samples.len() as u32]);
            for s in &track.samples {
                u32s(b, &[s.len() as u32]);
            }
        }));
        b.extend_from_slice(&full(b"stco", 0, |b| {
            u32s(b, &[chunks.len() as u32]);
            for (offset, _) in chunks {
                u32s(b, &[(base + offset) as u32]);
            }
        }));
    })
}

fn sample_entry(kind: &Kind) -> Vec<u8> {
    match kind {
        Kind::Video {
            width,
            height,
            sps,
            pps,
        } => boxed(b"avc1", |b| {
            b.extend_from_slice(&[0; 6]);
            u16s(b, &[1, 0, 0]); // data_reference_index, pre_defined, reserved
            u32s(b, &[0, 0, 0]);
            u16s(b, &[*width, *height]);
            u32s(b, &[0x0048_0000, 0x0048_0000, 0]); // 72 dpi, reserved
            u16s(b, &[1]); // frame_count
            let mut name = [0u8; 32];
            let label = b"seedance-sim";
            name[0] = label.len() as u8;
            name[1..=label.len()].copy_from_slice(label);
            b.extend_from_slice(&name);
            u16s(b, &[0x0018, 0xffff]); // depth, pre_defined -1
            b.extend_from_slice(&boxed(b"avcC", |b| {
                // version, profile, compatibility, level (from the SPS), 4-byte lengths
                b.extend_from_slice(&[1, sps[1], sps[2], sps[3], 0xff, 0xe1]);
                u16s(b, &[sps.len() as u16]);
                b.extend_from_slice(sps);
                b.push(1);
                u16s(b, &[pps.len() as u16]);
                b.extend_from_slice(pps);
            }));
        }),
        Kind::Audio {
            channels,
            sample_rate,
            config,
        } => boxed(b"mp4a", |b| {
            b.extend_from_slice(&[0; 6]);
            u16s(b, &[1]); // data_reference_index
            u32s(b, &[0, 0]);
            u16s(b, &[*channels, 16, 0, 0]); // channels, sample size, pre_defined, reserved
            u32s(b, &[sample_rate << 16]);
            b.extend_from_slice(&full(b"esds", 0, |b| {
                let dsi = descriptor(5, config);
                let mut dcd = vec![0x40, 0x15]; // MPEG-4 audio; audio stream
                dcd.extend_from_slice(&[0, 0, 0]); // bufferSizeDB
                u32s(&mut dcd, &[0, 0]); // max and average bitrate: unknown
                dcd.extend_from_slice(&dsi);
                let mut es = vec![0, 1, 0]; // ES_ID 1, no flags
                es.extend_from_slice(&descriptor(4, &dcd));
                es.extend_from_slice(&descriptor(6, &[2])); // SLConfig: predefined MP4
                b.extend_from_slice(&descriptor(3, &es));
            }));
        }),
    }
}

/// An MPEG-4 descriptor with a one-byte length (every one here is under 128 bytes).
fn descriptor(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut d = vec![tag, body.len() as u8];
    d.extend_from_slice(body);
    d
}
