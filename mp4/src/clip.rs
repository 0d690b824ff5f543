//! One input clip: find its `moov` among the top-level boxes (wherever `mdat` is), refuse
//! what is not a plain MP4, and read its first video and first audio track. Other tracks
//! (timecode, subtitles, a second audio) are ignored.

use crate::boxes::{children, fourcc_text, header, need, FourCc, Reader};
use crate::error::{bad, Fault};
use crate::source::Source;
use crate::track::{read_track, Track};

/// What the joiner needs from one clip.
pub(crate) struct Clip {
    /// The `mvhd` timescale, the unit of the edit lists' durations.
    pub(crate) movie_timescale: u32,
    pub(crate) video: Track,
    pub(crate) audio: Option<Track>,
}

/// Top-level box types that may start an MP4 file.
const FIRST_BOXES: [&FourCc; 9] = [
    b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pdin", b"uuid", b"styp",
];

const FRAGMENT_HINT: &str = "remux it to a plain MP4 first (ffmpeg -i in.mp4 -c copy out.mp4)";

/// Read a clip's index and check that every sample lies inside the file.
pub(crate) fn read_clip<S: Source + ?Sized>(src: &S) -> Result<Clip, Fault> {
    let moov = find_moov(src)?;
    let clip = parse_moov(&moov)?;
    let len = src.size();
    for track in std::iter::once(&clip.video).chain(&clip.audio) {
        if let Some(end) = track
            .samples
            .iter()
            .map(|s| s.offset.saturating_add(u64::from(s.size)))
            .max()
        {
            if end > len {
                return Err(Fault::Truncated(format!(
                    "its sample data runs to byte {end}, but the file has only {len} bytes"
                )));
            }
        }
    }
    Ok(clip)
}

/// Walk the top-level boxes and return the body of the first `moov`.
fn find_moov<S: Source + ?Sized>(src: &S) -> Result<Vec<u8>, Fault> {
    let len = src.size();
    let read = |offset: u64, buf: &mut [u8]| src.read_at(offset, buf).map_err(Fault::Read);
    let mut first = [0u8; 16];
    let n = len.min(16) as usize;
    read(0, &mut first[..n])?;
    let first_box =
        header(&first[..n]).filter(|h| FIRST_BOXES.contains(&&h.kind) || &h.kind == b"moof");
    if len < 8 || first_box.is_none() {
        return Err(Fault::NotMp4(describe(&first[..n])));
    }
    let mut pos = 0u64;
    while pos < len {
        let mut head = [0u8; 16];
        let n = (len - pos).min(16) as usize;
        read(pos, &mut head[..n])?;
        let Some(h) = header(&head[..n]) else {
            if head[..n].iter().all(|&b| b == 0) {
                break; // trailing zero padding
            }
            return Err(Fault::Truncated(format!(
                "the file ends inside a box header at byte {pos}"
            )));
        };
        let size = h.size.unwrap_or(len - pos);
        if size < h.header_len {
            return Err(Fault::Malformed(format!(
                "the top-level box at byte {pos} has an impossible size {size}"
            )));
        }
        let end = pos
            .checked_add(size)
            .filter(|&end| end <= len)
            .ok_or_else(|| {
                Fault::Truncated(format!(
                    "its {} box ends at byte {}, but the file has only {len} bytes",
                    fourcc_text(&h.kind),
                    pos.saturating_add(size)
                ))
            })?;
        match &h.kind {
            b"moov" => {
                let body_len =
                    usize::try_from(size - h.header_len).map_err(|_| bad("moov", "too large"))?;
                let mut body = vec![0u8; body_len];
                read(pos + h.header_len, &mut body)?;
                return Ok(body);
            }
            b"moof" => {
                return Err(Fault::Unsupported(
                    "fragmented MP4 (moof boxes)".into(),
                    FRAGMENT_HINT,
                ))
            }
            _ => {}
        }
        pos = end;
    }
    Err(Fault::Truncated(
        "it has no moov box (the index of its samples); the file may be cut short".into(),
    ))
}

/// Say what non-MP4 bytes look like, for the error message.
fn describe(b: &[u8]) -> String {
    let known: [(&[u8], &str); 7] = [
        (b"\x89PNG", "it is a PNG image"),
        (b"\xff\xd8\xff", "it is a JPEG image"),
        (b"GIF8", "it is a GIF image"),
        (b"\x1a\x45\xdf\xa3", "it is a WebM or Matroska file"),
        (b"RIFF", "it is a RIFF file (WAV, AVI or WebP)"),
        (b"ID3", "it is an MP3 file"),
        (b"OggS", "it is an Ogg file"),
    ];
    if b.is_empty() {
        return "it is empty".into();
    }
    if let Some((_, what)) = known.iter().find(|(magic, _)| b.starts_with(magic)) {
        return (*what).into();
    }
    if b.iter()
        .all(|&c| c.is_ascii_graphic() || c.is_ascii_whitespace())
    {
        let text: String = b.iter().map(|&c| char::from(c)).collect();
        return format!(
            "it is text starting \"{}\", perhaps an error page",
            text.trim_start()
        );
    }
    let hex: Vec<String> = b.iter().take(8).map(|c| format!("{c:02x}")).collect();
    format!("it starts with the bytes {}", hex.join(" "))
}

/// Read `mvhd` and the first video and audio `trak` of a `moov` body.
fn parse_moov(moov: &[u8]) -> Result<Clip, Fault> {
    let mut r = Reader::new(need(moov, "moov", b"mvhd")?, "mvhd");
    let (version, _) = r.version_flags()?;
    r.skip(if version == 1 { 16 } else { 8 })?;
    let movie_timescale = r.u32()?;
    if movie_timescale == 0 {
        return Err(bad("mvhd", "timescale 0"));
    }
    let (mut video, mut audio) = (None, None);
    for child in children(moov, "moov") {
        match child? {
            (kind, _) if &kind == b"mvex" => {
                return Err(Fault::Unsupported(
                    "fragmented MP4 (an mvex box)".into(),
                    FRAGMENT_HINT,
                ));
            }
            (kind, trak) if &kind == b"trak" => {
                let mdia = need(trak, "trak", b"mdia")?;
                let mut h = Reader::new(need(mdia, "mdia", b"hdlr")?, "hdlr");
                h.skip(8)?;
                let slot = match h.bytes(4)? {
                    b"vide" => &mut video,
                    b"soun" => &mut audio,
                    _ => continue,
                };
                if slot.is_none() {
                    *slot = Some(read_track(trak)?);
                }
            }
            _ => {}
        }
    }
    let video = video.ok_or(Fault::NoVideo)?;
    // An audio track without samples is no audio.
    let audio = audio.filter(|a: &Track| !a.samples.is_empty());
    if video.samples.is_empty() {
        return Err(Fault::NoVideo);
    }
    Ok(Clip {
        movie_timescale,
        video,
        audio,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_what_is_not_an_mp4() {
        assert_eq!(describe(b""), "it is empty");
        assert_eq!(describe(b"\x89PNG\r\n\x1a\n"), "it is a PNG image");
        assert_eq!(
            describe(b"<html>"),
            "it is text starting \"<html>\", perhaps an error page"
        );
        assert_eq!(describe(&[0, 1, 2]), "it starts with the bytes 00 01 02");
    }

    #[test]
    fn refuses_non_mp4_truncated_and_fragmented_files() {
        let err = |b: &[u8]| read_clip(b).err().unwrap();
        assert!(matches!(err(b"{\"error\":\"expired\"}"), Fault::NotMp4(_)));
        let cut = [0, 0, 0, 24, b'f', b't', b'y', b'p', 0, 0];
        assert!(matches!(err(&cut), Fault::Truncated(m) if m.contains("ftyp box ends at byte 24")));
        let frag = [
            0, 0, 0, 8, b'f', b'r', b'e', b'e', 0, 0, 0, 8, b'm', b'o', b'o', b'f',
        ];
        assert!(matches!(err(&frag), Fault::Unsupported(m, _) if m.contains("fragmented")));
        let empty = [0, 0, 0, 8, b'f', b'r', b'e', b'e'];
        assert!(matches!(err(&empty), Fault::Truncated(m) if m.contains("no moov")));
    }
}
