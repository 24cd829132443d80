//! A multi-threaded walk of directory trees that never follows links.
//!
//! Sizing and deleting a cache of a hundred thousand files must be at least as fast as `du` and
//! `rm -rf`; a single-threaded walk is not. Each worker takes a directory from a shared queue,
//! lists it, queues the subdirectories it finds at once and hands every entry to the caller; the
//! entries of a large folder are shared out in pieces while other workers wait, so one flat
//! cache folder does not serialise the walk. Entry metadata comes from the directory handle
//! (`DirEntry::metadata`, `fstatat` on Unix), so deep paths are not resolved again for every
//! file.

use crate::common::progress::CancelToken;
use std::fs::DirEntry;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};

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
        Problem {
            path: path.into(),
            reason: describe_io_error(err),
        }
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
    if what.is_empty() {
        err.to_string()
    } else {
        format!("{what} ({err})")
    }
}

/// How many threads walk at once: file-system calls block, so more threads than cores help a
/// little, but not without bound.
pub fn worker_count() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(2, 8)
        + 1
}

/// A unit of work: a folder to list, or a share of a large folder's entries to visit.
enum Job {
    Dir {
        tag: usize,
        dir: PathBuf,
        depth: u32,
    },
    Entries {
        tag: usize,
        parent: Arc<Path>,
        entries: Vec<(DirEntry, EntryKind)>,
    },
}

/// Entries of one folder visited as one job; a larger folder is shared out in pieces of this
/// size while other workers wait for work, so a flat cache folder of tens of thousands of files
/// does not keep all but one worker idle.
const SHARE: usize = 256;

struct State {
    jobs: Vec<Job>,
    /// Jobs taken and not finished.
    busy: usize,
    /// Workers waiting for a job.
    idle: usize,
}

struct Queue {
    state: Mutex<State>,
    ready: Condvar,
}

impl Queue {
    fn push(&self, job: Job) {
        let mut state = lock(&self.state);
        state.jobs.push(job);
        drop(state);
        self.ready.notify_one();
    }

    /// Hands a job to a waiting worker; gives it back when nobody waits.
    fn offer(&self, job: Job) -> Option<Job> {
        let mut state = lock(&self.state);
        if state.idle == 0 || !state.jobs.is_empty() {
            return Some(job);
        }
        state.jobs.push(job);
        drop(state);
        self.ready.notify_one();
        None
    }
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
pub fn walk<F>(
    starts: Vec<(usize, PathBuf)>,
    keep_dirs: bool,
    cancel: &CancelToken,
    visit: F,
) -> (Vec<VisitedDir>, Vec<Problem>)
where
    F: Fn(usize, &Path, &DirEntry, EntryKind) + Sync,
{
    let queue = Queue {
        state: Mutex::new(State {
            jobs: starts
                .into_iter()
                .map(|(tag, dir)| Job::Dir { tag, dir, depth: 0 })
                .collect(),
            busy: 0,
            idle: 0,
        }),
        ready: Condvar::new(),
    };
    let visited = Mutex::new(Vec::new());
    let problems = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..worker_count() {
            scope.spawn(|| work(&queue, keep_dirs, cancel, &visit, &visited, &problems));
        }
    });
    (
        visited.into_inner().unwrap_or_default(),
        problems.into_inner().unwrap_or_default(),
    )
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
            let mut state = lock(&queue.state);
            loop {
                if cancel.is_cancelled() {
                    state.jobs.clear();
                }
                if let Some(job) = state.jobs.pop() {
                    state.busy += 1;
                    break job;
                }
                if state.busy == 0 {
                    queue.ready.notify_all();
                    return;
                }
                state.idle += 1;
                state = queue.ready.wait(state).unwrap_or_else(|e| e.into_inner());
                state.idle -= 1;
            }
        };
        match job {
            Job::Dir { tag, dir, depth } => {
                list(queue, tag, &dir, depth, cancel, visit, problems);
                if keep_dirs {
                    lock(visited).push(VisitedDir {
                        tag,
                        path: dir,
                        depth,
                    });
                }
            }
            Job::Entries {
                tag,
                parent,
                entries,
            } => {
                for (entry, kind) in &entries {
                    visit(tag, &parent, entry, *kind);
                }
            }
        }
        let mut state = lock(&queue.state);
        state.busy -= 1;
        if state.busy == 0 && state.jobs.is_empty() {
            queue.ready.notify_all();
        }
    }
}

/// Lists one folder: queues its subfolders at once, visits its other entries, and shares them
/// out in pieces when other workers are waiting.
fn list<F>(
    queue: &Queue,
    tag: usize,
    dir: &Path,
    depth: u32,
    cancel: &CancelToken,
    visit: &F,
    problems: &Mutex<Vec<Problem>>,
) where
    F: Fn(usize, &Path, &DirEntry, EntryKind) + Sync,
{
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            lock(problems).push(Problem::new(dir, &e));
            return;
        }
    };
    let mut parent: Option<Arc<Path>> = None;
    let mut share: Vec<(DirEntry, EntryKind)> = Vec::new();
    for entry in entries {
        if cancel.is_cancelled() {
            return;
        }
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                lock(problems).push(Problem::new(dir, &e));
                continue;
            }
        };
        let kind = match entry.file_type() {
            Ok(ft) => EntryKind::of(ft),
            Err(e) => {
                lock(problems).push(Problem::new(entry.path(), &e));
                continue;
            }
        };
        if kind == EntryKind::Dir {
            visit(tag, dir, &entry, kind);
            queue.push(Job::Dir {
                tag,
                dir: entry.path(),
                depth: depth + 1,
            });
            continue;
        }
        share.push((entry, kind));
        if share.len() == SHARE {
            let parent = parent.get_or_insert_with(|| Arc::from(dir)).clone();
            let job = Job::Entries {
                tag,
                parent,
                entries: std::mem::replace(&mut share, Vec::with_capacity(SHARE)),
            };
            if let Some(Job::Entries { entries, .. }) = queue.offer(job) {
                for (entry, kind) in &entries {
                    visit(tag, dir, entry, *kind);
                }
            }
        }
    }
    for (entry, kind) in &share {
        visit(tag, dir, entry, *kind);
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
        let (dirs, problems) = walk(
            vec![(0, t.path().to_path_buf())],
            true,
            &CancelToken::new(),
            |_, _, e, k| match k {
                EntryKind::File => {
                    files.fetch_add(1, Ordering::Relaxed);
                    bytes.fetch_add(e.metadata().unwrap().len(), Ordering::Relaxed);
                }
                EntryKind::Link => {
                    links.fetch_add(1, Ordering::Relaxed);
                }
                _ => {}
            },
        );
        assert!(problems.is_empty());
        assert_eq!(files.into_inner(), 20);
        assert_eq!(bytes.into_inner(), 200);
        assert_eq!(dirs.len(), 41);
        #[cfg(unix)]
        assert_eq!(links.into_inner(), 1);
    }

    #[test]
    fn large_folders_are_shared_out_and_every_entry_is_visited_once() {
        let t = tempfile::tempdir().unwrap();
        let flat = t.path().join("flat");
        std::fs::create_dir_all(&flat).unwrap();
        for i in 0..(3 * SHARE + 17) {
            std::fs::write(flat.join(format!("f{i}")), b"x").unwrap();
        }
        for i in 0..5 {
            let d = t.path().join(format!("nest/{i}/deeper"));
            std::fs::create_dir_all(&d).unwrap();
            for j in 0..(SHARE + 3) {
                std::fs::write(d.join(format!("g{j}")), b"yy").unwrap();
            }
        }
        let seen = Mutex::new(std::collections::HashSet::new());
        let visits = AtomicU64::new(0);
        let (dirs, problems) = walk(
            vec![(7, t.path().to_path_buf())],
            true,
            &CancelToken::new(),
            |tag, parent, e, k| {
                assert_eq!(tag, 7);
                assert_eq!(e.path().parent(), Some(parent));
                if k == EntryKind::File {
                    visits.fetch_add(1, Ordering::Relaxed);
                    seen.lock().unwrap().insert(e.path());
                }
            },
        );
        assert!(problems.is_empty());
        let files = 3 * SHARE + 17 + 5 * (SHARE + 3);
        assert_eq!(visits.into_inner() as usize, files);
        assert_eq!(seen.into_inner().unwrap().len(), files);
        // root, flat, nest, nest/0..4, nest/*/deeper
        assert_eq!(dirs.len(), 1 + 1 + 1 + 5 + 5);
    }

    #[test]
    fn missing_start_is_a_problem_not_a_panic() {
        let t = tempfile::tempdir().unwrap();
        let (_, problems) = walk(
            vec![(0, t.path().join("nope"))],
            false,
            &CancelToken::new(),
            |_, _, _, _| {},
        );
        assert_eq!(problems.len(), 1);
    }
}
