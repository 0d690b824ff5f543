//! The journal and the results on disk: [`FileStore`] is the core's `JobStore` for files.
//! Everything is written to a temporary name beside its target and renamed, so a crash or
//! `kill -9` leaves the old file or the new one, never half of one.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use seedance::jobs::{JobStore, Journal};
use seedance::Task;

use crate::failure::Failure;

/// Where one run keeps its journal and its results.
pub struct FileStore {
    /// The journal file.
    pub journal: PathBuf,
    /// The directory the results go to.
    pub results: PathBuf,
    /// Paths in the journal are relative to the journal's directory.
    base: PathBuf,
    /// Per job key, the start of its result's file name.
    stems: HashMap<String, String>,
    /// Told about every journal saved (the progress line counts from it).
    on_save: Box<dyn FnMut(&Journal)>,
}

impl FileStore {
    pub fn new(journal: PathBuf, results: PathBuf, stems: HashMap<String, String>) -> Self {
        let base = journal.parent().map(Path::to_path_buf).unwrap_or_default();
        FileStore {
            journal,
            results,
            base,
            stems,
            on_save: Box::new(|_| {}),
        }
    }

    pub fn on_save(&mut self, f: impl FnMut(&Journal) + 'static) {
        self.on_save = Box::new(f);
    }

    /// A file the journal names, as a path from here.
    pub fn resolve(&self, file: &str) -> PathBuf {
        resolve_in(&self.base, file)
    }

    /// The journal's directory (paths in it are relative to it).
    pub fn base(&self) -> &Path {
        &self.base
    }

    /// A path from here, as the journal keeps it (relative to its directory when inside).
    fn record(&self, path: &Path) -> String {
        match path.strip_prefix(&self.base) {
            Ok(rel) => rel.to_string_lossy().into_owned(),
            Err(_) => std::path::absolute(path)
                .unwrap_or_else(|_| path.to_path_buf())
                .to_string_lossy()
                .into_owned(),
        }
    }

    /// The journal on disk, if there is one (exit 2 when it can't be read).
    pub fn load(&self) -> Result<Option<Journal>, Failure> {
        let text = match std::fs::read_to_string(&self.journal) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(Failure::usage(format!(
                    "can't read the journal {}: {e}",
                    self.journal.display()
                )))
            }
        };
        serde_json::from_str(&text).map(Some).map_err(|e| {
            Failure::usage(format!(
                "{} is not a seedance journal ({e}); nothing was sent",
                self.journal.display()
            ))
            .hint("move it away, or give this run another journal")
        })
    }

    /// Save now (outside the run loop: after an interrupt, a cancel).
    pub fn save_now(&mut self, journal: &Journal) -> Result<(), String> {
        let text = serde_json::to_vec_pretty(journal).map_err(|e| e.to_string())?;
        write_atomic(&self.journal, &text)
            .map_err(|e| format!("can't write {}: {e}", self.journal.display()))?;
        (self.on_save)(journal);
        Ok(())
    }
}

impl JobStore for FileStore {
    async fn save_journal(&mut self, journal: &Journal) -> Result<(), String> {
        self.save_now(journal)
    }

    async fn save_result(
        &mut self,
        key: &str,
        task: &Task,
        video: Vec<u8>,
        frame: Option<Vec<u8>>,
    ) -> Result<(String, Option<String>), String> {
        let stem = self
            .stems
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_owned());
        std::fs::create_dir_all(&self.results)
            .map_err(|e| format!("can't create {}: {e}", self.results.display()))?;
        let video_path = self.results.join(format!("{stem}-{}.mp4", task.id));
        write_atomic(&video_path, &video)
            .map_err(|e| format!("can't write {}: {e}", video_path.display()))?;
        let frame_file = match frame {
            Some(png) => {
                let path = self.results.join(format!("{stem}-{}.png", task.id));
                write_atomic(&path, &png)
                    .map_err(|e| format!("can't write {}: {e}", path.display()))?;
                Some(self.record(&path))
            }
            None => None,
        };
        Ok((self.record(&video_path), frame_file))
    }
}

/// A file a journal in `base` names, as a path from here.
pub fn resolve_in(base: &Path, file: &str) -> PathBuf {
    let path = Path::new(file);
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    }
}

/// Write `bytes` to `path` through `path.part`, renamed over it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".part");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// A name as part of a file name: letters, digits, `-`, `_` and `.` stay, anything else
/// becomes `_`; no leading `.` or `-`; at most 80 characters.
pub fn safe_name(name: &str) -> String {
    let mapped: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = mapped.trim_start_matches(['.', '-']).trim_end_matches('.');
    let short: String = trimmed.chars().take(80).collect();
    if short.is_empty() {
        "_".to_owned()
    } else {
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_file_names() {
        assert_eq!(safe_name("fox-01"), "fox-01");
        assert_eq!(safe_name("a/b c"), "a_b_c");
        assert_eq!(safe_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_name(".hidden"), "hidden");
        assert_eq!(safe_name("--rm"), "rm");
        assert_eq!(safe_name("夜の海"), "夜の海");
        assert_eq!(safe_name("///"), "___");
        assert_eq!(safe_name("..."), "_");
        assert_eq!(safe_name(&"x".repeat(200)).len(), 80);
    }

    #[test]
    fn journal_paths_are_relative_to_its_directory() {
        let store = FileStore::new(
            PathBuf::from("out/film.mp4.journal.json"),
            PathBuf::from("out/film.mp4.shots"),
            HashMap::new(),
        );
        let rec = store.record(Path::new("out/film.mp4.shots/shots-0-cgt-1.mp4"));
        assert_eq!(rec, "film.mp4.shots/shots-0-cgt-1.mp4");
        assert_eq!(
            store.resolve(&rec),
            PathBuf::from("out/film.mp4.shots/shots-0-cgt-1.mp4")
        );
        let elsewhere = store.record(Path::new("/tmp/x.mp4"));
        assert_eq!(elsewhere, "/tmp/x.mp4");
    }
}
