//! Clips joined into one MP4 without re-encoding (`film`, `concat`): read the files, one
//! call to `seedance_mp4::concat`, the film written through a temporary name and renamed.
//! Imports no command.

use std::path::{Path, PathBuf};

use crate::failure::{Failure, EXIT_FAILED};
use crate::fmt::bytes;
use crate::runs::write_atomic;

/// Why a join did not happen.
pub enum JoinError {
    /// A clip can't be read or joined (the message names its file).
    Clips(String),
    /// The film can't be written.
    Write(String),
}

impl JoinError {
    /// As a failure with `code` for clips that can't be joined (2 for `concat`'s own
    /// arguments, 1 for a film's downloaded clips).
    pub fn failure(self, code: u8) -> Failure {
        match self {
            JoinError::Clips(m) => Failure::new(code, m),
            JoinError::Write(m) => Failure::new(EXIT_FAILED, m),
        }
    }
}

/// Join `clips` in order into `out`; says on stderr what it wrote.
pub fn join_files(clips: &[PathBuf], out: &Path) -> Result<(), JoinError> {
    let mut data = Vec::with_capacity(clips.len());
    for path in clips {
        let clip = std::fs::read(path).map_err(|e| {
            JoinError::Clips(format!("can't read the clip {}: {e}", path.display()))
        })?;
        data.push(clip);
    }
    let parts: Vec<&[u8]> = data.iter().map(Vec::as_slice).collect();
    let film = seedance_mp4::concat(&parts).map_err(|e| {
        let which = e
            .clip()
            .and_then(|k| clips.get(k))
            .map(|p| format!(" (clip {} is {})", e.clip().unwrap_or(0), p.display()))
            .unwrap_or_default();
        JoinError::Clips(format!("can't join the clips: {e}{which}"))
    })?;
    write_atomic(out, &film)
        .map_err(|e| JoinError::Write(format!("can't write {}: {e}", out.display())))?;
    eprintln!(
        "joined {} clips into {} ({})",
        clips.len(),
        out.display(),
        bytes(film.len())
    );
    Ok(())
}

/// `--out` must name a file in a directory that exists (checked before anything is sent).
pub fn check_out(out: &Path) -> Result<(), Failure> {
    if out.is_dir() {
        return Err(Failure::usage(format!(
            "--out {}: is a directory; give a file name",
            out.display()
        )));
    }
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(Failure::usage(format!(
            "--out {}: the directory {} does not exist; nothing was sent",
            out.display(),
            dir.display()
        )));
    }
    Ok(())
}
