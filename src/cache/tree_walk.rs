//! A multi-threaded walk of directory trees through directory handles: links are never
//! followed, other file systems never entered, and memory does not grow with the tree.
//!
//! Sizing and deleting a cache of a hundred thousand files must be faster than `du` and `rm -rf`;
//! a single-threaded walk is not. Each worker walks a subtree depth first, holding one open
//! folder per level ([`Node`]); when another worker waits for work, it gets a folder not yet
//! entered, or half of a large folder's pending entries, so neither a wide tree nor one flat
//! folder of a million files keeps the others idle. Work is handed out only to waiting workers,
//! and each level holds one bounded batch of names, so what the walk holds in memory depends on
//! the depth of the tree and the number of workers, never on the number of files or folders.
//!
//! Every entry is named relative to its open parent ([`Dir`]): a folder swapped for a link while
//! the walk runs is met as a link and handed to the visitor as one, never entered.

use crate::common::progress::CancelToken;
pub use crate::platform::dir_handle::EntryKind;
use crate::platform::dir_handle::{Dir, Entry, Lister, Opened};
use std::ffi::{OsStr, OsString};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

/// A path that could not be read or changed, and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    #[serde(serialize_with = "crate::common::lossy_path::one")]
    pub path: PathBuf,
    pub reason: String,
    /// Held open by another program (Windows' sharing violation, Unix' "text file busy" or
    /// "busy"): the caller may add whether a Teams process is running.
    #[serde(skip)]
    pub in_use: bool,
}

impl Problem {
    pub fn new(path: impl Into<PathBuf>, err: &std::io::Error) -> Problem {
        Problem {
            path: path.into(),
            reason: describe_io_error(err),
            in_use: is_in_use(err),
        }
    }

    pub fn with_reason(path: impl Into<PathBuf>, reason: impl Into<String>) -> Problem {
        Problem {
            path: path.into(),
            reason: reason.into(),
            in_use: false,
        }
    }
}

/// True when the error means another program holds the file open.
pub fn is_in_use(err: &std::io::Error) -> bool {
    // Windows: ERROR_SHARING_VIOLATION (32), ERROR_LOCK_VIOLATION (33).
    (cfg!(windows) && matches!(err.raw_os_error(), Some(32 | 33)))
        || matches!(
            err.kind(),
            std::io::ErrorKind::ResourceBusy | std::io::ErrorKind::ExecutableFileBusy
        )
}

/// A short, stable description of an I/O error for people and JSON.
pub fn describe_io_error(err: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    if is_in_use(err) {
        return format!("in use by another program ({err})");
    }
    let what = match err.kind() {
        PermissionDenied => "permission denied",
        NotFound => "not found",
        DirectoryNotEmpty => "folder not empty",
        ReadOnlyFilesystem => "read-only file system",
        StorageFull => "disk full",
        CrossesDevices => "on another file system",
        _ => "",
    };
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

/// Folders nested deeper than this below a start are left alone and reported: each level holds
/// an open handle, and no cache nests anywhere near this deep.
pub const MAX_DEPTH: u32 = 256;

/// Levels one worker keeps open before it hands deeper folders to the queue.
const MAX_STACK: usize = 48;

/// Problems kept per walk; more are counted in one last line, so a tree that fails everywhere
/// does not fill memory with reasons.
pub const MAX_PROBLEMS: usize = 10_000;

/// A pending batch this large is split with a waiting worker.
const SHARE_AT: usize = 64;

/// An open folder in the walk. It stays open while anything below it is still being walked;
/// when the last of that is done, the walk calls [`Visitor::leave`] with it.
pub struct Node {
    dir: Dir,
    /// Its name in its parent (what system calls use).
    name: OsString,
    /// The path shown for it (and for everything below it) instead of its parent's path and its
    /// name: the path the user knows, for a folder moved into the trash.
    label: Option<PathBuf>,
    parent: Option<Arc<Node>>,
    tag: usize,
    depth: u32,
    /// Its own listing plus the unfinished folders and shared batches below it.
    pending: AtomicUsize,
    /// Something below it could not be removed or read (then a folder left behind is explained).
    failed: AtomicBool,
}

impl Node {
    /// A folder the walk starts at. `parent` (if any) is kept open until this one is done;
    /// `label` is its path in reports.
    pub fn start(
        dir: Dir,
        name: &OsStr,
        label: PathBuf,
        parent: Option<&Arc<Node>>,
        tag: usize,
    ) -> Arc<Node> {
        if let Some(p) = parent {
            p.pending.fetch_add(1, Ordering::AcqRel);
        }
        Arc::new(Node {
            dir,
            name: name.to_os_string(),
            label: Some(label),
            parent: parent.cloned(),
            tag,
            depth: 0,
            pending: AtomicUsize::new(1),
            failed: AtomicBool::new(false),
        })
    }

    fn child(parent: &Arc<Node>, dir: Dir, name: OsString) -> Arc<Node> {
        parent.pending.fetch_add(1, Ordering::AcqRel);
        Arc::new(Node {
            dir,
            name,
            label: None,
            parent: Some(parent.clone()),
            tag: parent.tag,
            depth: parent.depth + 1,
            pending: AtomicUsize::new(1),
            failed: AtomicBool::new(false),
        })
    }

    pub fn dir(&self) -> &Dir {
        &self.dir
    }

    /// The walk start this folder belongs to.
    pub fn tag(&self) -> usize {
        self.tag
    }

    /// The path shown for this folder (see `label`).
    pub fn path(&self) -> PathBuf {
        let mut names: Vec<&OsStr> = Vec::new();
        let mut cur = self;
        let mut base = PathBuf::new();
        loop {
            if let Some(l) = &cur.label {
                base = l.clone();
                break;
            }
            names.push(&cur.name);
            match &cur.parent {
                Some(p) => cur = p,
                None => break,
            }
        }
        base.extend(names.iter().rev());
        base
    }

    /// The path shown for the entry `name` of this folder.
    pub fn path_of(&self, name: &OsStr) -> PathBuf {
        self.path().join(name)
    }

    /// Marks this folder and its ancestors as holding something that failed.
    pub fn mark_failed(&self) {
        let mut cur = Some(self);
        while let Some(n) = cur {
            if n.failed.swap(true, Ordering::AcqRel) {
                break;
            }
            cur = n.parent.as_deref();
        }
    }

    pub fn has_failed(&self) -> bool {
        self.failed.load(Ordering::Acquire)
    }
}

/// What the visitor wants done with an entry it was handed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Then {
    Done,
    /// It turned out to be a folder (it was swapped in after the listing): enter it.
    Enter,
}

/// What a walk does at each entry. Called from worker threads.
pub trait Visitor: Sync {
    /// Open folders so that they can be removed when emptied (Windows: with delete access).
    fn for_delete(&self) -> bool {
        false
    }

    /// An entry that is not a folder to enter: a file, a link (never followed), a special file.
    /// `len` is its size when the listing carried it. A problem is reported at its path.
    fn entry(
        &self,
        at: &Node,
        name: &OsStr,
        kind: EntryKind,
        len: Option<u64>,
    ) -> Result<Then, Problem>;

    /// A folder and everything below it are done; `parent` holds it as `name`. Only for folders
    /// that have a parent in the walk.
    fn leave(
        &self,
        _parent: &Node,
        _name: &OsStr,
        _dir: Dir,
        _failed: bool,
    ) -> Result<(), Problem> {
        Ok(())
    }

    /// Another file system is mounted at `name`: it is not entered. Reported unless this returns
    /// false.
    fn report_mount_point(&self) -> bool {
        true
    }
}

/// What a walk could not do.
#[derive(Debug, Default)]
pub struct Problems {
    pub list: Vec<Problem>,
    /// Problems beyond [`MAX_PROBLEMS`], not listed.
    pub more: u64,
}

impl Problems {
    pub fn push(&mut self, p: Problem) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(p);
        } else {
            self.more += 1;
        }
    }

    /// The list, with one last line counting what was left out.
    pub fn into_vec(mut self) -> Vec<Problem> {
        if self.more > 0 {
            self.list.push(Problem::with_reason(
                PathBuf::from("..."),
                format!("{} more not listed", self.more),
            ));
        }
        self.list
    }
}

enum Job {
    Dir(Arc<Node>),
    Batch(Arc<Node>, Vec<Entry>),
}

struct State {
    jobs: Vec<Job>,
    /// Jobs taken and not finished.
    busy: usize,
}

struct Walk<'a, V: Visitor> {
    state: Mutex<State>,
    ready: Condvar,
    /// Workers waiting for a job (read without the lock to decide whether to share).
    idle: AtomicUsize,
    visitor: &'a V,
    cancel: &'a CancelToken,
    problems: Mutex<Problems>,
}

/// Walks below each start. `parents` are folders above the starts that the walk may remove
/// when everything below them is done (their own count is released here); a parent not listed
/// is never left (it stays open and in place). Returns what could not be read or changed.
pub fn walk<V: Visitor>(
    starts: Vec<Arc<Node>>,
    parents: Vec<Arc<Node>>,
    cancel: &CancelToken,
    visitor: &V,
) -> Problems {
    let w = Walk {
        state: Mutex::new(State {
            jobs: starts.into_iter().map(Job::Dir).collect(),
            busy: 0,
        }),
        ready: Condvar::new(),
        idle: AtomicUsize::new(0),
        visitor,
        cancel,
        problems: Mutex::new(Problems::default()),
    };
    // Held while the workers run, so a parent is left only after its last start is done.
    std::thread::scope(|scope| {
        for _ in 0..worker_count() {
            scope.spawn(|| w.work());
        }
    });
    for p in parents {
        w.release(p);
    }
    w.problems.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// One level of a worker's depth-first walk: an open folder, its lister, the batch being read.
struct Frame {
    node: Arc<Node>,
    lister: Lister,
    batch: Vec<Entry>,
    pos: usize,
}

impl<V: Visitor> Walk<'_, V> {
    fn work(&self) {
        loop {
            let job = {
                let mut state = lock(&self.state);
                loop {
                    if let Some(job) = state.jobs.pop() {
                        state.busy += 1;
                        break job;
                    }
                    if state.busy == 0 {
                        self.ready.notify_all();
                        return;
                    }
                    self.idle.fetch_add(1, Ordering::AcqRel);
                    state = self.ready.wait(state).unwrap_or_else(|e| e.into_inner());
                    self.idle.fetch_sub(1, Ordering::AcqRel);
                }
            };
            match job {
                Job::Dir(node) => self.depth_first(node),
                Job::Batch(node, entries) => {
                    for e in entries {
                        if let Some(child) = self.entry(&node, e) {
                            self.depth_first(child);
                        }
                    }
                    self.release(node);
                }
            }
            let mut state = lock(&self.state);
            state.busy -= 1;
            if state.busy == 0 && state.jobs.is_empty() {
                self.ready.notify_all();
            }
        }
    }

    fn push(&self, job: Job) {
        lock(&self.state).jobs.push(job);
        self.ready.notify_one();
    }

    fn someone_waits(&self) -> bool {
        self.idle.load(Ordering::Acquire) > 0
    }

    fn problem(&self, p: Problem) {
        lock(&self.problems).push(p);
    }

    fn open_frame(&self, node: Arc<Node>) -> Option<Frame> {
        match node.dir.lister() {
            Ok(lister) => Some(Frame {
                node,
                lister,
                batch: Vec::new(),
                pos: 0,
            }),
            // Removed meanwhile (by another program): nothing left to do here.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.release(node);
                None
            }
            Err(e) => {
                self.problem(Problem::new(node.path(), &e));
                node.mark_failed();
                self.release(node);
                None
            }
        }
    }

    fn depth_first(&self, start: Arc<Node>) {
        let mut stack: Vec<Frame> = self.open_frame(start).into_iter().collect();
        while let Some(frame) = stack.last_mut() {
            if self.cancel.is_cancelled() {
                for f in stack.drain(..).rev() {
                    self.release(f.node);
                }
                return;
            }
            if frame.pos >= frame.batch.len() {
                match frame
                    .node
                    .dir
                    .read_batch(&mut frame.lister, &mut frame.batch)
                {
                    Ok(true) => {
                        frame.pos = 0;
                        let left = frame.batch.len();
                        if left >= SHARE_AT && self.someone_waits() {
                            let half = frame.batch.split_off(left / 2);
                            frame.node.pending.fetch_add(1, Ordering::AcqRel);
                            self.push(Job::Batch(frame.node.clone(), half));
                        }
                    }
                    Ok(false) => {
                        if let Some(f) = stack.pop() {
                            self.release(f.node);
                        }
                    }
                    // Linux lists a folder removed meanwhile (by another program) as "not
                    // found": it is gone, and so is everything in it.
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        if let Some(f) = stack.pop() {
                            self.release(f.node);
                        }
                    }
                    Err(e) => {
                        self.problem(Problem::new(frame.node.path(), &e));
                        frame.node.mark_failed();
                        if let Some(f) = stack.pop() {
                            self.release(f.node);
                        }
                    }
                }
                continue;
            }
            let entry = std::mem::replace(
                &mut frame.batch[frame.pos],
                Entry {
                    name: OsString::new(),
                    kind: None,
                    len: None,
                },
            );
            frame.pos += 1;
            let node = frame.node.clone();
            if let Some(child) = self.entry(&node, entry) {
                if self.someone_waits() || stack.len() >= MAX_STACK {
                    self.push(Job::Dir(child));
                } else if let Some(f) = self.open_frame(child) {
                    stack.push(f);
                }
            }
        }
    }

    /// Handles one entry; returns the folder to enter, if it is one.
    fn entry(&self, at: &Arc<Node>, e: Entry) -> Option<Arc<Node>> {
        let kind = match e.kind {
            Some(k) => k,
            None => match at.dir.metadata_at(&e.name) {
                Ok(m) => m.kind,
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => return None,
                Err(err) => {
                    self.problem(Problem::new(at.path_of(&e.name), &err));
                    at.mark_failed();
                    return None;
                }
            },
        };
        if kind != EntryKind::Dir && self.visit(at, &e.name, kind, e.len) == Then::Done {
            return None;
        }
        self.enter(at, e.name)
    }

    fn enter(&self, at: &Arc<Node>, name: OsString) -> Option<Arc<Node>> {
        if at.depth + 1 > MAX_DEPTH {
            self.problem(Problem::with_reason(
                at.path_of(&name),
                format!("nested more than {MAX_DEPTH} folders deep: left in place"),
            ));
            at.mark_failed();
            return None;
        }
        // A folder that is swapped back and forth is given up after a few tries.
        for _ in 0..3 {
            match at.dir.open_dir(&name, self.visitor.for_delete()) {
                Ok(Opened::Dir(d)) => return Some(Node::child(at, d, name)),
                Ok(Opened::MountPoint) => {
                    if self.visitor.report_mount_point() {
                        self.problem(Problem::with_reason(
                            at.path_of(&name),
                            "another file system is mounted here: not entered, left in place",
                        ));
                        at.mark_failed();
                    }
                    return None;
                }
                // Not a folder any more (a link swapped in, a file): handled as what it is now.
                Ok(Opened::NotDir) => {
                    let kind = match at.dir.metadata_at(&name) {
                        Ok(m) if m.kind == EntryKind::Dir => continue,
                        Ok(m) => m.kind,
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
                        Err(e) => {
                            self.problem(Problem::new(at.path_of(&name), &e));
                            at.mark_failed();
                            return None;
                        }
                    };
                    if self.visit(at, &name, kind, None) == Then::Done {
                        return None;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
                Err(e) => {
                    self.problem(Problem::new(at.path_of(&name), &e));
                    at.mark_failed();
                    return None;
                }
            }
        }
        self.problem(Problem::with_reason(
            at.path_of(&name),
            "kept changing between a folder and something else while it was read",
        ));
        at.mark_failed();
        None
    }

    fn visit(&self, at: &Node, name: &OsStr, kind: EntryKind, len: Option<u64>) -> Then {
        match self.visitor.entry(at, name, kind, len) {
            Ok(then) => then,
            Err(p) => {
                self.problem(p);
                at.mark_failed();
                Then::Done
            }
        }
    }

    /// Drops one count of `node`; the last one leaves it (and perhaps its parents in turn).
    fn release(&self, node: Arc<Node>) {
        let mut node = node;
        loop {
            if node.pending.fetch_sub(1, Ordering::AcqRel) != 1 {
                return;
            }
            let done = into_owned(node);
            let Some(parent) = done.parent else {
                return;
            };
            if !self.cancel.is_cancelled() {
                let failed = done.failed.load(Ordering::Acquire);
                let path = done.label.clone();
                if let Err(mut p) = self.visitor.leave(&parent, &done.name, done.dir, failed) {
                    if let Some(l) = path {
                        p.path = l;
                    }
                    self.problem(p);
                    parent.mark_failed();
                }
            }
            node = parent;
        }
    }
}

/// The node itself once its last count is released: every other holder has given up its count
/// and is about to drop its reference, so this waits (briefly, if at all) for them.
fn into_owned(mut node: Arc<Node>) -> Node {
    loop {
        match Arc::try_unwrap(node) {
            Ok(n) => return n,
            Err(n) => {
                node = n;
                std::thread::yield_now();
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU64;

    struct Count {
        files: AtomicU64,
        bytes: AtomicU64,
        links: AtomicU64,
        seen: Mutex<std::collections::HashSet<PathBuf>>,
    }

    impl Visitor for Count {
        fn entry(
            &self,
            at: &Node,
            name: &OsStr,
            kind: EntryKind,
            _: Option<u64>,
        ) -> Result<Then, Problem> {
            match kind {
                EntryKind::File => {
                    self.files.fetch_add(1, Ordering::Relaxed);
                    let len = at.dir().metadata_at(name).unwrap().len;
                    self.bytes.fetch_add(len, Ordering::Relaxed);
                    assert!(lock(&self.seen).insert(at.path_of(name)), "seen twice");
                }
                EntryKind::Link => {
                    self.links.fetch_add(1, Ordering::Relaxed);
                }
                _ => {}
            }
            Ok(Then::Done)
        }
    }

    fn count() -> Count {
        Count {
            files: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            links: AtomicU64::new(0),
            seen: Mutex::new(Default::default()),
        }
    }

    fn start(p: &std::path::Path) -> Arc<Node> {
        let d = Dir::open_anchor(&std::fs::canonicalize(p).unwrap()).unwrap();
        Node::start(d, OsStr::new("x"), "start".into(), None, 0)
    }

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
        std::os::unix::fs::symlink(outside.path(), t.path().join("link")).unwrap();
        let c = count();
        let problems = walk(vec![start(t.path())], vec![], &CancelToken::new(), &c);
        assert!(problems.list.is_empty(), "{:?}", problems.list);
        assert_eq!(c.files.into_inner(), 20);
        assert_eq!(c.bytes.into_inner(), 200);
        assert_eq!(c.links.into_inner(), 1);
        assert!(lock(&c.seen).contains(&PathBuf::from("start/d3/sub dir é/f")));
    }

    #[test]
    fn large_folders_are_shared_out_and_every_entry_is_visited_once() {
        let t = tempfile::tempdir().unwrap();
        let flat = t.path().join("flat");
        std::fs::create_dir_all(&flat).unwrap();
        for i in 0..3000 {
            std::fs::write(flat.join(format!("f{i}")), b"x").unwrap();
        }
        for i in 0..5 {
            let d = t.path().join(format!("nest/{i}/deeper"));
            std::fs::create_dir_all(&d).unwrap();
            for j in 0..300 {
                std::fs::write(d.join(format!("g{j}")), b"yy").unwrap();
            }
        }
        let c = count();
        let problems = walk(vec![start(t.path())], vec![], &CancelToken::new(), &c);
        assert!(problems.list.is_empty());
        assert_eq!(c.files.into_inner(), 3000 + 5 * 300);
        assert_eq!(c.bytes.into_inner(), 3000 + 5 * 300 * 2);
    }
}
