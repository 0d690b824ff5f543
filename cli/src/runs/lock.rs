//! One run per journal: `JOURNAL.lock`, created with `create_new` and holding the pid. A
//! lock whose process is gone (`kill -9`, a crash) is taken over; a live one refuses.

use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::failure::Failure;

/// Held for the whole run; the file goes when it drops.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

/// `journal.json` → `journal.json.lock`.
pub fn lock_path(journal: &Path) -> PathBuf {
    let mut name = journal.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

impl Lock {
    /// Take the journal's lock, or refuse (exit 2, nothing sent) while another run has it.
    pub fn take(journal: &Path) -> Result<Lock, Failure> {
        let path = lock_path(journal);
        for _ in 0..3 {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut file) => {
                    let written = writeln!(file, "{}", std::process::id());
                    let lock = Lock { path };
                    written.map_err(|e| cannot(&lock.path, &e))?;
                    return Ok(lock);
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => match holder(&path) {
                    Holder::Live(pid) => return Err(Failure::usage(format!(
                        "another run uses this journal: {} (process {pid} holds {})",
                        journal.display(),
                        path.display()
                    ))
                    .hint(
                        "wait for it to end, or stop it (Ctrl-C keeps its tasks); nothing was sent",
                    )),
                    Holder::Gone => {
                        // Stale: its run died without removing it. Take it over.
                        let _ = fs::remove_file(&path);
                    }
                },
                Err(e) => return Err(cannot(&path, &e)),
            }
        }
        Err(Failure::usage(format!(
            "can't take the lock {}: it keeps coming back",
            path.display()
        )))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

fn cannot(path: &Path, e: &std::io::Error) -> Failure {
    Failure::usage(format!("can't create the lock {}: {e}", path.display()))
}

enum Holder {
    Live(u32),
    Gone,
}

fn holder(path: &Path) -> Holder {
    let text = fs::read_to_string(path).unwrap_or_default();
    match text.trim().parse::<u32>() {
        Ok(pid) if pid != std::process::id() && alive(pid) => Holder::Live(pid),
        Ok(_) => Holder::Gone,
        // No pid yet: a run between creating the file and writing to it, unless the file
        // is older than that could take.
        Err(_) => {
            let age = fs::metadata(path)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok());
            match age {
                Some(age) if age > Duration::from_secs(5) => Holder::Gone,
                _ => Holder::Live(0),
            }
        }
    }
}

/// Whether process `pid` runs (a zombie does not). Where that can't be told, it does.
fn alive(pid: u32) -> bool {
    let proc_dir = Path::new("/proc");
    if proc_dir.join("self").exists() {
        return match fs::read_to_string(proc_dir.join(pid.to_string()).join("stat")) {
            // `pid (comm) S …`: the state follows the last `)`.
            Ok(stat) => stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().next())
                .is_none_or(|state| state != "Z" && state != "X"),
            Err(_) => false,
        };
    }
    #[cfg(unix)]
    {
        std::process::Command::new("kill")
            .args(["-0", &pid.to_string()])
            .stderr(std::process::Stdio::null())
            .status()
            .map_or(true, |s| s.success())
    }
    #[cfg(not(unix))]
    {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_lock_refuses_and_a_dead_one_is_taken_over() {
        let dir = std::env::temp_dir().join(format!("seedance-lock-{}", std::process::id()));
        let _ = fs::create_dir_all(&dir);
        let journal = dir.join("journal.json");
        let first = Lock::take(&journal).unwrap();
        let text = fs::read_to_string(lock_path(&journal)).unwrap();
        assert_eq!(text.trim(), std::process::id().to_string());
        // Our own pid counts as gone (a reused pid can't be us); pid 1 is alive.
        fs::write(lock_path(&journal), "1\n").unwrap();
        let refused = Lock::take(&journal).unwrap_err();
        assert_eq!(refused.code, 2);
        assert!(refused.message.contains("another run uses this journal"));
        drop(first);
        assert!(!lock_path(&journal).exists());
        // A pid that can't exist (above the kernel's maximum) is stale.
        fs::write(lock_path(&journal), "4294967\n").unwrap();
        let taken = Lock::take(&journal).unwrap();
        drop(taken);
        let _ = fs::remove_dir_all(&dir);
    }
}
