//! A media option's value (`--image`, `--ref-audio`, …) as the URL sent: URLs as given,
//! local files read, recognised by their first bytes and encoded as `data:` URLs. Imports
//! no command.

use std::path::Path;

use seedance::dataurl::{self, MediaType};
use seedance::{Limits, MediaKind};

use crate::failure::Failure;
use crate::fmt::{bytes, shell_quote};

/// How media options' values are read; the help of each command that takes them ends with it.
pub const NOTE: &str = "\
A FILE is read and sent inline as a data: URL (its type is recognised from its bytes:
PNG, JPEG, WebP, GIF, BMP, TIFF; WAV, MP3). Anything with a scheme (https://, asset://,
data:) is sent as given.";

/// Whether an argument is a URL (sent as given) rather than a local file.
fn is_url(arg: &str) -> bool {
    let lower = arg.to_ascii_lowercase();
    lower.starts_with("data:") || lower.contains("://")
}

/// A media option's value as a URL: URLs as given, files read and encoded. A file that is
/// missing, too large or not of `kind` is a usage error (exit 2).
pub fn url(flag: &str, arg: &str, kind: MediaKind, limits: &Limits) -> Result<String, Failure> {
    if is_url(arg) {
        return Ok(arg.to_owned());
    }
    let shown = shell_quote(arg);
    if kind == MediaKind::Video {
        return Err(Failure::usage(format!(
            "{flag} {shown}: a reference video must be a URL (https:// or asset://); a video \
             can't be sent inline"
        ))
        .hint("upload the video somewhere the service can fetch it and pass that URL"));
    }
    file_url(Path::new(arg), kind, limits).map_err(|e| {
        let mut f = Failure::usage(format!("{flag} {shown}: {}", e.why));
        if e.missing && looks_like_host(arg) {
            f = f.hint("a URL needs its scheme (https://…)");
        }
        if e.too_big {
            f = f.hint("upload it and pass its https:// URL");
        }
        f
    })
}

/// Why a file could not be sent inline.
pub struct FileError {
    pub why: String,
    missing: bool,
    too_big: bool,
}

/// A local file of `kind` as a `data:` URL: read, recognised by its first bytes, encoded.
pub fn file_url(path: &Path, kind: MediaKind, limits: &Limits) -> Result<String, FileError> {
    let fail = |why: String| FileError {
        why,
        missing: false,
        too_big: false,
    };
    let meta = std::fs::metadata(path).map_err(|e| FileError {
        why: format!("can't read the file: {}", io_reason(&e)),
        missing: e.kind() == std::io::ErrorKind::NotFound,
        too_big: false,
    })?;
    if meta.is_dir() {
        return Err(fail("is a directory, not a file".to_owned()));
    }
    if meta.len() > limits.max_body_bytes {
        return Err(FileError {
            too_big: true,
            ..fail(format!(
                "{} is more than a whole request may carry ({})",
                bytes(meta.len() as usize),
                bytes(limits.max_body_bytes as usize)
            ))
        });
    }
    let data =
        std::fs::read(path).map_err(|e| fail(format!("can't read the file: {}", io_reason(&e))))?;
    let (wanted, formats) = match kind {
        MediaKind::Image => ("an image", "PNG, JPEG, WebP, GIF, BMP or TIFF"),
        _ => ("audio", "WAV or MP3"),
    };
    match dataurl::sniff(&data) {
        Some(t) if t.kind() == kind => Ok(dataurl::encode(&data, t.mime())),
        Some(t) => Err(fail(format!(
            "is {} {} file, not {wanted} ({formats})",
            article(t),
            t.name()
        ))),
        None => Err(fail(format!(
            "is not {wanted}: {formats} expected (checked by its first bytes)"
        ))),
    }
}

/// `example.com/cat.png`: a URL without its scheme, most likely.
fn looks_like_host(arg: &str) -> bool {
    let first = arg.split('/').next().unwrap_or("");
    arg.contains('/') && !arg.starts_with(['/', '.', '~']) && first.contains('.')
}

fn article(t: MediaType) -> &'static str {
    match t {
        MediaType::Mp3 | MediaType::Mp4 => "an",
        _ => "a",
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    }
}
