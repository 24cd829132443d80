//! Sorting a data root into units of one class each, and sizing them.
//!
//! A unit is the largest subtree that holds a single class: a `Cache` folder, a `settings.json`
//! file. The classification walk (walkdir, links never followed) stops at each unit, so a clear
//! can move a whole unit aside in one rename; sizing then walks the units in parallel.

use crate::cache::classes::{CacheClass, Layout};
use crate::cache::tree_walk::{self, EntryKind, Problem};
use crate::common::progress::CancelToken;
use crate::platform::safety::CheckedRoot;
use serde::Serialize;
use std::path::PathBuf;
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
    let mut scan = Scan::default();
    let mut walker = walkdir::WalkDir::new(&root.real)
        .follow_links(false)
        .follow_root_links(false)
        .min_depth(1)
        .into_iter();
    // Class inherited from the nearest classified ancestor, per depth.
    let mut inherited: Vec<CacheClass> = vec![layout.default_class];
    while let Some(item) = walker.next() {
        let entry = match item {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(PathBuf::from)
                    .unwrap_or_else(|| root.real.clone());
                let reason = e
                    .io_error()
                    .map(tree_walk::describe_io_error)
                    .unwrap_or_else(|| e.to_string());
                scan.problems.push(Problem { path, reason });
                continue;
            }
        };
        let Ok(rel) = entry.path().strip_prefix(&root.real) else {
            continue;
        };
        let names: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let parts: Vec<&str> = names.iter().map(String::as_str).collect();
        inherited.truncate(entry.depth());
        let parent_class = *inherited.last().unwrap_or(&layout.default_class);
        let c = layout.classify(&parts, parent_class);
        let kind = EntryKind::of(entry.file_type());
        if kind == EntryKind::Dir && c.rules_below {
            inherited.push(c.class);
            continue;
        }
        if kind == EntryKind::Dir {
            walker.skip_current_dir();
        }
        scan.units.push(Unit {
            rel: rel.to_path_buf(),
            class: c.class,
            kind,
            tally: Tally::default(),
        });
    }
    scan
}

/// Classifies and sizes a data root: files and bytes per unit and per class.
pub fn scan(root: &CheckedRoot, layout: &Layout, cancel: &CancelToken) -> Scan {
    let mut scan = classify(root, layout);
    size_units(root, &mut scan.units, cancel, &mut scan.problems);
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
    let counters: Vec<(AtomicU64, AtomicU64)> = units
        .iter()
        .map(|_| (AtomicU64::new(0), AtomicU64::new(0)))
        .collect();
    let mut starts = Vec::new();
    for (i, u) in units.iter_mut().enumerate() {
        let path = root.real.join(&u.rel);
        match u.kind {
            EntryKind::Dir => starts.push((i, path)),
            EntryKind::File => {
                let bytes = std::fs::symlink_metadata(&path)
                    .map(|m| m.len())
                    .unwrap_or(0);
                u.tally = Tally { files: 1, bytes };
            }
            EntryKind::Link | EntryKind::Special => u.tally = Tally { files: 1, bytes: 0 },
        }
    }
    let (_, walk_problems) = tree_walk::walk(starts, false, cancel, |tag, _, entry, kind| {
        if kind == EntryKind::Dir {
            return;
        }
        let (files, bytes) = &counters[tag];
        files.fetch_add(1, Ordering::Relaxed);
        if kind == EntryKind::File {
            bytes.fetch_add(
                entry.metadata().map(|m| m.len()).unwrap_or(0),
                Ordering::Relaxed,
            );
        }
    });
    problems.extend(walk_problems);
    for (u, (files, bytes)) in units.iter_mut().zip(counters) {
        if u.kind == EntryKind::Dir {
            u.tally = Tally {
                files: files.into_inner(),
                bytes: bytes.into_inner(),
            };
        }
    }
}
