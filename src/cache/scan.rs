//! Sorting a data root into units of one class each, and sizing them.
//!
//! A unit is the largest subtree that holds a single class: a `Cache` folder, a `settings.json`
//! file. The classification walk stops at each unit, so a clear can move a whole unit aside in one
//! rename; sizing then walks the units in parallel. Both go through directory handles opened
//! below the data root's handle ([`root_handle`]): a link is listed as a link, never entered.

use crate::cache::classes::{CacheClass, Layout};
use crate::cache::tree_walk::{self, EntryKind, Node, Problem, Then, Visitor};
use crate::common::progress::CancelToken;
use crate::platform::dir_handle::{Dir, Entry, Opened};
use crate::platform::root_handle;
use crate::platform::safety::CheckedRoot;
use serde::Serialize;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub files: u64,
    pub bytes: u64,
}

impl Tally {
    pub fn add(&mut self, other: Tally) {
        self.files += other.files;
        self.bytes += other.bytes;
    }
    pub fn is_empty(&self) -> bool {
        self.files == 0 && self.bytes == 0
    }
}

/// A tally per class; serialised as `{"regenerable": {"files": .., "bytes": ..}, ...}`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClassTallies(pub [Tally; 5]);

impl ClassTallies {
    pub fn get(&self, class: CacheClass) -> Tally {
        self.0[class.index()]
    }
    pub fn add(&mut self, class: CacheClass, t: Tally) {
        self.0[class.index()].add(t);
    }
    pub fn total(&self) -> Tally {
        let mut t = Tally::default();
        self.0.iter().for_each(|x| t.add(*x));
        t
    }
}

impl Serialize for ClassTallies {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(5))?;
        for class in CacheClass::ALL {
            map.serialize_entry(class.id(), &self.get(class))?;
        }
        map.end()
    }
}

/// One subtree (or file) of a single class.
#[derive(Clone, Debug)]
pub struct Unit {
    /// Path relative to the data root.
    pub rel: PathBuf,
    pub class: CacheClass,
    pub kind: EntryKind,
    /// Files and bytes inside; filled only by a sized scan.
    pub tally: Tally,
}

#[derive(Clone, Debug, Default)]
pub struct Scan {
    pub units: Vec<Unit>,
    pub tallies: ClassTallies,
    pub problems: Vec<Problem>,
    pub sized: bool,
}

impl Scan {
    pub fn units_of(&self, class: CacheClass) -> impl Iterator<Item = &Unit> {
        self.units.iter().filter(move |u| u.class == class)
    }
}

/// Splits a data root into units without sizing them (cheap: it stops at each unit).
pub fn classify(root: &CheckedRoot, layout: &Layout) -> Scan {
    match root_handle::open(root) {
        Ok(dir) => classify_in(&dir, &root.shown, layout),
        Err(e) => Scan {
            problems: vec![Problem::new(&root.shown, &e)],
            ..Default::default()
        },
    }
}

/// [`classify`] below an open data root; `shown` is its path in reports.
pub fn classify_in(root: &Dir, shown: &Path, layout: &Layout) -> Scan {
    let mut scan = Scan::default();
    let mut names = Vec::new();
    classify_dir(
        root,
        shown,
        layout,
        &mut names,
        layout.default_class,
        &mut scan,
    );
    scan
}

fn classify_dir(
    dir: &Dir,
    shown: &Path,
    layout: &Layout,
    names: &mut Vec<OsString>,
    parent_class: CacheClass,
    scan: &mut Scan,
) {
    // The real names make the path; their lossy text only matches the rules.
    let rel = |names: &[OsString]| names.iter().collect::<PathBuf>();
    let mut lister = match dir.lister() {
        Ok(l) => l,
        Err(e) => {
            scan.problems.push(Problem::new(shown.join(rel(names)), &e));
            return;
        }
    };
    let mut batch: Vec<Entry> = Vec::new();
    loop {
        match dir.read_batch(&mut lister, &mut batch) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                scan.problems.push(Problem::new(shown.join(rel(names)), &e));
                break;
            }
        }
        for e in batch.drain(..) {
            names.push(e.name.clone());
            classify_entry(dir, shown, layout, names, parent_class, e, scan);
            names.pop();
        }
    }
}

fn classify_entry(
    dir: &Dir,
    shown: &Path,
    layout: &Layout,
    names: &mut Vec<OsString>,
    parent_class: CacheClass,
    e: Entry,
    scan: &mut Scan,
) {
    let path = names.iter().collect::<PathBuf>();
    let kind = match e.kind {
        Some(k) => k,
        None => match dir.metadata_at(&e.name) {
            Ok(m) => m.kind,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return,
            Err(err) => return scan.problems.push(Problem::new(shown.join(&path), &err)),
        },
    };
    let text: Vec<String> = names
        .iter()
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    let parts: Vec<&str> = text.iter().map(String::as_str).collect();
    let c = layout.classify(&parts, parent_class);
    let mut unit_kind = kind;
    if kind == EntryKind::Dir && c.rules_below {
        match dir.open_dir(&e.name, false) {
            Ok(Opened::Dir(sub)) => {
                return classify_dir(&sub, shown, layout, names, c.class, scan);
            }
            // Swapped for a link since the listing: a unit of its own, removed as a link.
            Ok(Opened::NotDir) => unit_kind = EntryKind::Link,
            Ok(Opened::MountPoint) => {
                return scan.problems.push(Problem::with_reason(
                    shown.join(&path),
                    "another file system is mounted here: not entered, left in place",
                ));
            }
            Err(err) => return scan.problems.push(Problem::new(shown.join(&path), &err)),
        }
    }
    scan.units.push(Unit {
        rel: path,
        class: c.class,
        kind: unit_kind,
        tally: Tally::default(),
    });
}

/// Classifies and sizes a data root: files and bytes per unit and per class.
pub fn scan(root: &CheckedRoot, layout: &Layout, cancel: &CancelToken) -> Scan {
    let dir = match root_handle::open(root) {
        Ok(d) => d,
        Err(e) => {
            return Scan {
                problems: vec![Problem::new(&root.shown, &e)],
                ..Default::default()
            };
        }
    };
    scan_in(&dir, &root.shown, layout, cancel)
}

/// [`scan`] below an open data root; `shown` is its path in reports.
pub fn scan_in(root: &Dir, shown: &Path, layout: &Layout, cancel: &CancelToken) -> Scan {
    let mut scan = classify_in(root, shown, layout);
    size_units_in(root, shown, &mut scan.units, cancel, &mut scan.problems);
    scan.tallies = ClassTallies::default();
    for u in &scan.units {
        scan.tallies.add(u.class, u.tally);
    }
    scan.sized = !cancel.is_cancelled();
    scan
}

/// Fills in the tallies of `units` (files count themselves; folders are walked in parallel).
pub fn size_units(
    root: &CheckedRoot,
    units: &mut [Unit],
    cancel: &CancelToken,
    problems: &mut Vec<Problem>,
) {
    match root_handle::open(root) {
        Ok(dir) => size_units_in(&dir, &root.shown, units, cancel, problems),
        Err(e) => problems.push(Problem::new(&root.shown, &e)),
    }
}

/// Counts files (links and special files count as files of 0 bytes) per walk start.
struct Sizer {
    counters: Vec<(AtomicU64, AtomicU64)>,
}

impl Visitor for Sizer {
    fn entry(
        &self,
        at: &Node,
        name: &OsStr,
        kind: EntryKind,
        len: Option<u64>,
    ) -> Result<Then, Problem> {
        let (files, bytes) = &self.counters[at.tag()];
        files.fetch_add(1, Ordering::Relaxed);
        if kind == EntryKind::File {
            let len = len.or_else(|| at.dir().metadata_at(name).ok().map(|m| m.len));
            bytes.fetch_add(len.unwrap_or(0), Ordering::Relaxed);
        }
        Ok(Then::Done)
    }
}

/// [`size_units`] below an open data root.
pub fn size_units_in(
    root: &Dir,
    shown: &Path,
    units: &mut [Unit],
    cancel: &CancelToken,
    problems: &mut Vec<Problem>,
) {
    let sizer = Sizer {
        counters: units
            .iter()
            .map(|_| (AtomicU64::new(0), AtomicU64::new(0)))
            .collect(),
    };
    let mut starts = Vec::new();
    for (i, u) in units.iter_mut().enumerate() {
        u.tally = Tally::default();
        match u.kind {
            EntryKind::Dir => match root.open_relative(&u.rel, false) {
                Ok(Opened::Dir(d)) => starts.push(Node::start(
                    d,
                    u.rel.as_os_str(),
                    shown.join(&u.rel),
                    None,
                    i,
                )),
                // Swapped for a link since it was classified: one entry, never followed.
                Ok(Opened::NotDir) => u.tally = Tally { files: 1, bytes: 0 },
                Ok(Opened::MountPoint) => problems.push(Problem::with_reason(
                    shown.join(&u.rel),
                    "another file system is mounted here: not entered, left in place",
                )),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => problems.push(Problem::new(shown.join(&u.rel), &e)),
            },
            EntryKind::File => {
                let bytes = file_len(root, &u.rel).unwrap_or(0);
                u.tally = Tally { files: 1, bytes };
            }
            EntryKind::Link | EntryKind::Special => u.tally = Tally { files: 1, bytes: 0 },
        }
    }
    let walk_problems = tree_walk::walk(starts, vec![], cancel, &sizer);
    problems.extend(walk_problems.into_vec());
    for (u, (files, bytes)) in units.iter_mut().zip(sizer.counters) {
        if u.kind == EntryKind::Dir {
            u.tally.add(Tally {
                files: files.into_inner(),
                bytes: bytes.into_inner(),
            });
        }
    }
}

/// The size of the regular file at `rel` below `root` (its parents opened without links).
fn file_len(root: &Dir, rel: &Path) -> Option<u64> {
    let name = rel.file_name()?;
    let meta = match rel.parent().filter(|p| !p.as_os_str().is_empty()) {
        None => root.metadata_at(name).ok()?,
        Some(parent) => match root.open_relative(parent, false).ok()? {
            Opened::Dir(d) => d.metadata_at(name).ok()?,
            _ => return None,
        },
    };
    (meta.kind == EntryKind::File).then_some(meta.len)
}
