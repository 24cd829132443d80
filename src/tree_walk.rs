//! A multi-threaded walk of directory trees that never follows links.
//!
//! Sizing and deleting a cache of a hundred thousand files must be at least as fast as `du` and
//! `rm -rf`; a single-threaded walk is not. Each worker takes a directory from a shared queue,
//! lists it, hands every entry to the caller and queues the subdirectories it found. Entry
//! metadata comes from the directory handle (`DirEntry::metadata`, `fstatat` on Unix), so deep
//! paths are not resolved again for every file.

use crate::progress::CancelToken;
use std::fs::DirEntry;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};

/// What an entry is, read without following links.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    Dir,
    File,
    /// A symbolic link, or on Windows a junction: removed as itself, never followed.
    Link,
    /// A FIFO, socket or device: never opened.
    Special,
}

impl EntryKind {
    pub fn of(ft: std::fs::FileType) -> EntryKind {
        if ft.is_symlink() {
            EntryKind::Link
        } else if ft.is_dir() {
            EntryKind::Dir
        } else if ft.is_file() {
            EntryKind::File
        } else {
            EntryKind::Special
        }
    }
}

/// A path that could not be read or changed, and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub path: PathBuf,
    pub reason: String,
}

impl Problem {
    pub fn new(path: impl Into<PathBuf>, err: &std::io::Error) -> Problem {
        Problem { path: path.into(), reason: describe_io_error(err) }
    }
}

/// A short, stable description of an I/O error for people and JSON.
pub fn describe_io_error(err: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let what = match err.kind() {
        PermissionDenied => "permission denied",
        NotFound => "not found",
        ResourceBusy => "in use by another program",
        DirectoryNotEmpty => "folder not empty",
        ReadOnlyFilesystem => "read-only file system",
        StorageFull => "disk full",
        CrossesDevices => "on another file system",
        _ => "",
    };
    // Windows reports a file held open by a running program as raw OS error 32.
    if cfg!(windows) && err.raw_os_error() == Some(32) {
        return "in use by another program (is Teams still running?)".into();
    }
    if what.is_empty() { err.to_string() } else { format!("{what} ({err})") }
}

/// How many threads walk at once: file-system calls block, so more threads than cores help a
/// little, but not without bound.
pub fn worker_count() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).clamp(2, 8) + 1
}

struct Job {
    tag: usize,
    dir: PathBuf,
    depth: u32,
}

struct Queue {
    state: Mutex<(Vec<Job>, usize)>,
    ready: Condvar,
}

/// A directory the walk listed, for callers that must act on directories after their contents
/// (deletion removes them deepest first).
pub struct VisitedDir {
    pub tag: usize,
    pub path: PathBuf,
    pub depth: u32,
}

/// Walks below each `(tag, dir)` start (the starts themselves are not passed to `visit`).
/// `visit(tag, parent, entry, kind)` is called from worker threads for every entry. Returns the
/// listed directories (when `keep_dirs`) and the paths that could not be listed.
pub fn walk<F>(starts: Vec<(usize, PathBuf)>, keep_dirs: bool, cancel: &CancelToken, visit: F) -> (Vec<VisitedDir>, Vec<Problem>)
where
    F: Fn(usize, &Path, &DirEntry, EntryKind) + Sync,
{
    let queue = Queue {
        state: Mutex::new((starts.into_iter().map(|(tag, dir)| Job { tag, dir, depth: 0 }).collect(), 0)),
        ready: Condvar::new(),
    };
    let visited = Mutex::new(Vec::new());
    let problems = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..worker_count() {
            scope.spawn(|| work(&queue, keep_dirs, cancel, &visit, &visited, &problems));
        }
    });
    (visited.into_inner().unwrap_or_default(), problems.into_inner().unwrap_or_default())
}

fn work<F>(
    queue: &Queue,
    keep_dirs: bool,
    cancel: &CancelToken,
    visit: &F,
    visited: &Mutex<Vec<VisitedDir>>,
    problems: &Mutex<Vec<Problem>>,
) where
    F: Fn(usize, &Path, &DirEntry, EntryKind) + Sync,
{
    loop {
        let job = {
            let mut state = queue.state.lock().unwrap_or_else(|e| e.into_inner());
            loop {
                if cancel.is_cancelled() {
                    state.0.clear();
                }
                if let Some(job) = state.0.pop() {
                    state.1 += 1;
                    break job;
                }
                if state.1 == 0 {
                    queue.ready.notify_all();
                    return;
                }
                state = queue.ready.wait(state).unwrap_or_else(|e| e.into_inner());
            }
        };
        let mut found = Vec::new();
        match std::fs::read_dir(&job.dir) {
            Ok(entries) => {
                for entry in entries {
                    match entry {
                        Ok(entry) => {
                            let kind = match entry.file_type() {
                                Ok(ft) => EntryKind::of(ft),
                                Err(e) => {
                                    lock(problems).push(Problem::new(entry.path(), &e));
                                    continue;
                                }
                            };
                            visit(job.tag, &job.dir, &entry, kind);
                            if kind == EntryKind::Dir {
                                found.push(Job { tag: job.tag, dir: entry.path(), depth: job.depth + 1 });
                            }
                        }
                        Err(e) => lock(problems).push(Problem::new(&job.dir, &e)),
                    }
                }
            }
            Err(e) => lock(problems).push(Problem::new(&job.dir, &e)),
        }
        if keep_dirs {
            lock(visited).push(VisitedDir { tag: job.tag, path: job.dir, depth: job.depth });
        }
        let mut state = queue.state.lock().unwrap_or_else(|e| e.into_inner());
        state.0.extend(found);
        state.1 -= 1;
        queue.ready.notify_all();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[test]
    fn walks_every_entry_once_without_following_links() {
        let t = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), b"do not count").unwrap();
        for i in 0..20 {
            let d = t.path().join(format!("d{i}/sub dir é"));
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join("f"), vec![0u8; 10]).unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(outside.path(), t.path().join("link")).unwrap();
        let files = AtomicU64::new(0);
        let bytes = AtomicU64::new(0);
        let links = AtomicU64::new(0);
        let (dirs, problems) = walk(vec![(0, t.path().to_path_buf())], true, &CancelToken::new(), |_, _, e, k| match k {
            EntryKind::File => {
                files.fetch_add(1, Ordering::Relaxed);
                bytes.fetch_add(e.metadata().unwrap().len(), Ordering::Relaxed);
            }
            EntryKind::Link => {
                links.fetch_add(1, Ordering::Relaxed);
            }
            _ => {}
        });
        assert!(problems.is_empty());
        assert_eq!(files.into_inner(), 20);
        assert_eq!(bytes.into_inner(), 200);
        assert_eq!(dirs.len(), 41);
        #[cfg(unix)]
        assert_eq!(links.into_inner(), 1);
    }

    #[test]
    fn missing_start_is_a_problem_not_a_panic() {
        let t = tempfile::tempdir().unwrap();
        let (_, problems) = walk(vec![(0, t.path().join("nope"))], false, &CancelToken::new(), |_, _, _, _| {});
        assert_eq!(problems.len(), 1);
    }
}
