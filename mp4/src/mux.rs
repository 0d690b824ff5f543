//! Writing the film's `ftyp` and `moov` boxes (hand-written: a few dozen lines per box kind,
//! far smaller in wasm than a general MP4 crate). Sample tables are run-length coded as
//! usual: `stts`, `ctts` and `stsc` in runs, `stsz` as one size when all samples share it.

use crate::timeline::OutTrack;

/// A byte buffer with big-endian writers and nested boxes whose sizes are patched on close.
#[derive(Default)]
pub(crate) struct BoxWriter {
    pub(crate) buf: Vec<u8>,
    open: Vec<usize>,
}

impl BoxWriter {
    fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }
    fn bytes(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }
    fn zeros(&mut self, n: usize) {
        self.buf.resize(self.buf.len() + n, 0);
    }
    /// Open a box; close it with [`end`](Self::end).
    fn start(&mut self, kind: &[u8; 4]) {
        self.open.push(self.buf.len());
        self.u32(0);
        self.bytes(kind);
    }
    /// Open a full box with its version and flags.
    fn full(&mut self, kind: &[u8; 4], version: u8, flags: u32) {
        self.start(kind);
        self.u32((u32::from(version) << 24) | flags);
    }
    fn end(&mut self) {
        let at = self.open.pop().expect("a box is open");
        let size = (self.buf.len() - at) as u32;
        self.buf[at..at + 4].copy_from_slice(&size.to_be_bytes());
    }
    /// Write a 32-bit value for version 0, a 64-bit one for version 1.
    fn sized(&mut self, version: u8, v: u64) {
        if version == 1 {
            self.u64(v);
        } else {
            self.u32(v as u32);
        }
    }
}

/// The identity transformation matrix of `mvhd`.
const MATRIX: [u32; 9] = [0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000];

/// Write `ftyp`: an ISO base media file that also claims `avc1` when the video is H.264.
pub(crate) fn ftyp(w: &mut BoxWriter, codec: &[u8]) {
    w.start(b"ftyp");
    w.bytes(b"isom");
    w.u32(0x200);
    w.bytes(b"isomiso2");
    if codec == b"avc1" || codec == b"avc3" {
        w.bytes(b"avc1");
    }
    w.bytes(b"mp41");
    w.end();
}

/// A track with where its chunks went: `(file offset, first sample, sample count)`.
pub(crate) struct Placed<'a> {
    pub(crate) track: &'a OutTrack,
    pub(crate) chunks: Vec<(u64, usize, usize)>,
    pub(crate) is_video: bool,
}

/// Write `moov` for the video track and the optional audio track.
pub(crate) fn moov(w: &mut BoxWriter, tracks: &[Placed], co64: bool) {
    let movie_ts = tracks[0].track.timescale;
    let length = tracks[0].track.delay + tracks[0].track.shown;
    let v = u8::from(length > u64::from(u32::MAX));
    w.start(b"moov");
    w.full(b"mvhd", v, 0);
    w.sized(v, 0); // creation time: none, so the bytes depend on the clips only
    w.sized(v, 0);
    w.u32(movie_ts);
    w.sized(v, length);
    w.u32(0x0001_0000); // rate 1.0
    w.u16(0x0100); // volume 1.0
    w.zeros(10);
    MATRIX.iter().for_each(|&m| w.u32(m));
    w.zeros(24);
    w.u32(tracks.len() as u32 + 1); // next track id
    w.end();
    for (i, placed) in tracks.iter().enumerate() {
        trak(w, placed, i as u32 + 1, co64);
    }
    w.end();
}

fn trak(w: &mut BoxWriter, p: &Placed, id: u32, co64: bool) {
    let t = p.track;
    let shown = t.delay + t.shown;
    let media_len: u64 = t.samples.iter().map(|s| u64::from(s.duration)).sum();
    w.start(b"trak");
    let v = u8::from(shown > u64::from(u32::MAX));
    w.full(b"tkhd", v, 3); // enabled, in movie
    w.sized(v, 0);
    w.sized(v, 0);
    w.u32(id);
    w.u32(0);
    w.sized(v, shown);
    w.zeros(8);
    w.u16(0); // layer
    w.u16(u16::from(!p.is_video)); // alternate group
    w.u16(if p.is_video { 0 } else { 0x0100 }); // volume
    w.u16(0);
    w.bytes(&t.tkhd_tail); // matrix, width, height of the first clip
    w.end();

    w.start(b"edts");
    let entries: &[(u64, i64)] = &[(t.delay, -1), (t.shown, t.media_time as i64)];
    let entries = if t.delay > 0 { entries } else { &entries[1..] };
    let v = u8::from(
        entries
            .iter()
            .any(|&(d, m)| d > u64::from(u32::MAX) || m > i64::from(i32::MAX)),
    );
    w.full(b"elst", v, 0);
    w.u32(entries.len() as u32);
    for &(duration, media_time) in entries {
        w.sized(v, duration);
        w.sized(v, media_time as u64);
        w.u32(0x0001_0000);
    }
    w.end();
    w.end();

    w.start(b"mdia");
    let v = u8::from(media_len > u64::from(u32::MAX));
    w.full(b"mdhd", v, 0);
    w.sized(v, 0);
    w.sized(v, 0);
    w.u32(t.timescale);
    w.sized(v, media_len);
    w.u16(t.language);
    w.u16(0);
    w.end();
    w.full(b"hdlr", 0, 0);
    w.u32(0);
    w.bytes(if p.is_video { b"vide" } else { b"soun" });
    w.zeros(12);
    w.bytes(if p.is_video {
        b"VideoHandler\0"
    } else {
        b"SoundHandler\0"
    });
    w.end();
    w.start(b"minf");
    if p.is_video {
        w.full(b"vmhd", 0, 1);
        w.zeros(8);
    } else {
        w.full(b"smhd", 0, 0);
        w.zeros(4);
    }
    w.end();
    w.start(b"dinf");
    w.full(b"dref", 0, 0);
    w.u32(1);
    w.full(b"url ", 0, 1); // the data is in this file
    w.end();
    w.end();
    w.end();
    stbl(w, p, co64);
    w.end(); // minf
    w.end(); // mdia
    w.end(); // trak
}

fn stbl(w: &mut BoxWriter, p: &Placed, co64: bool) {
    let samples = &p.track.samples;
    w.start(b"stbl");
    w.full(b"stsd", 0, 0);
    w.u32(1);
    w.bytes(&p.track.entry);
    w.end();

    runs(w, b"stts", 0, samples.iter().map(|s| s.duration));
    if samples.iter().any(|s| s.cto != 0) {
        let version = u8::from(samples.iter().any(|s| s.cto < 0));
        runs(w, b"ctts", version, samples.iter().map(|s| s.cto as u32));
    }
    if samples.iter().any(|s| !s.sync) {
        w.full(b"stss", 0, 0);
        w.u32(samples.iter().filter(|s| s.sync).count() as u32);
        for (i, _) in samples.iter().enumerate().filter(|(_, s)| s.sync) {
            w.u32(i as u32 + 1);
        }
        w.end();
    }

    w.full(b"stsc", 0, 0);
    let mut stsc: Vec<(u32, u32)> = Vec::new();
    for (i, &(_, _, count)) in p.chunks.iter().enumerate() {
        if stsc.last().is_none_or(|&(_, n)| n != count as u32) {
            stsc.push((i as u32 + 1, count as u32));
        }
    }
    w.u32(stsc.len() as u32);
    for (first, count) in stsc {
        w.u32(first);
        w.u32(count);
        w.u32(1);
    }
    w.end();

    w.full(b"stsz", 0, 0);
    let same = samples
        .first()
        .map(|s| s.size)
        .filter(|&z| samples.iter().all(|s| s.size == z));
    w.u32(same.unwrap_or(0));
    w.u32(samples.len() as u32);
    if same.is_none() {
        samples.iter().for_each(|s| w.u32(s.size));
    }
    w.end();

    w.full(if co64 { b"co64" } else { b"stco" }, 0, 0);
    w.u32(p.chunks.len() as u32);
    for &(offset, _, _) in &p.chunks {
        w.sized(u8::from(co64), offset);
    }
    w.end();
    w.end();
}

/// Write a table of `(count, value)` runs (`stts`, `ctts`).
fn runs(w: &mut BoxWriter, kind: &[u8; 4], version: u8, values: impl Iterator<Item = u32>) {
    let mut table: Vec<(u32, u32)> = Vec::new();
    for v in values {
        match table.last_mut() {
            Some((n, last)) if *last == v => *n += 1,
            _ => table.push((1, v)),
        }
    }
    w.full(kind, version, 0);
    w.u32(table.len() as u32);
    for (n, v) in table {
        w.u32(n);
        w.u32(v);
    }
    w.end();
}

/// Write the `mdat` header for `len` bytes of data (64-bit size when needed).
pub(crate) fn mdat_header(w: &mut BoxWriter, len: u64) {
    if len + 8 > u64::from(u32::MAX) {
        w.u32(1);
        w.bytes(b"mdat");
        w.u64(len + 16);
    } else {
        w.u32(len as u32 + 8);
        w.bytes(b"mdat");
    }
}
