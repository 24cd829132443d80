//! Copying a client's diagnostics (logs, crash dumps) out of its data root before a clear, so
//! support can still read them afterwards.

use crate::cache::scan::{Tally, Unit};
use crate::cache::tree_walk::{EntryKind, Problem};
use crate::platform::safety::CheckedRoot;
use std::path::{Path, PathBuf};

/// The outcome of archiving one data root's diagnostics.
#[derive(Clone, Debug, Default)]
pub struct Archived {
    /// The timestamped folder the files were copied into (none when there was nothing to copy).
    pub folder: Option<PathBuf>,
    pub tally: Tally,
    /// Files that could not be copied; when any is here, the diagnostics must not be deleted.
    pub failures: Vec<Problem>,
    /// Links and special files that were deliberately not copied (never followed, never opened).
    pub skipped: Vec<PathBuf>,
}

impl Archived {
    pub fn complete(&self) -> bool {
        self.failures.is_empty()
    }
}

/// A new, empty folder `<archives>/<timestamp>_<label>` (suffixed when it already exists).
pub fn new_archive_folder(archives: &Path, label: &str) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(archives)?;
    let stamp = crate::common::timestamps::timestamp_for_file_names();
    let safe_label: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    for n in 1..1000 {
        let name = if n == 1 {
            format!("{stamp}_{safe_label}")
        } else {
            format!("{stamp}_{safe_label}-{n}")
        };
        let candidate = archives.join(name);
        match std::fs::create_dir(&candidate) {
            Ok(()) => return Ok(candidate),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other(
        "too many archives with the same timestamp",
    ))
}

/// Copies the regular files of `units` (below `root`) into a new archive folder, keeping their
/// relative paths. Links are not followed and special files are not opened, so nothing outside
/// the data root is ever read.
pub fn archive_units(
    root: &CheckedRoot,
    units: &[&Unit],
    archives: &Path,
    label: &str,
) -> Archived {
    let mut out = Archived::default();
    if units.is_empty() {
        return out;
    }
    let folder = match new_archive_folder(archives, label) {
        Ok(f) => f,
        Err(e) => {
            out.failures.push(Problem::new(archives, &e));
            return out;
        }
    };
    for unit in units {
        let start = root.real.join(&unit.rel);
        let walker = walkdir::WalkDir::new(&start)
            .follow_links(false)
            .follow_root_links(false);
        for item in walker {
            let entry = match item {
                Ok(e) => e,
                Err(e) => {
                    let p = e.path().map(PathBuf::from).unwrap_or_else(|| start.clone());
                    let err = e
                        .into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("walk error"));
                    out.failures.push(Problem::new(p, &err));
                    continue;
                }
            };
            let Ok(rel) = entry.path().strip_prefix(&root.real) else {
                continue;
            };
            let target = folder.join(rel);
            match EntryKind::of(entry.file_type()) {
                EntryKind::Dir => {
                    if let Err(e) = std::fs::create_dir_all(&target) {
                        out.failures.push(Problem::new(&target, &e));
                    }
                }
                EntryKind::File => {
                    if let Some(parent) = target.parent()
                        && let Err(e) = std::fs::create_dir_all(parent)
                    {
                        out.failures.push(Problem::new(parent, &e));
                        continue;
                    }
                    match std::fs::copy(entry.path(), &target) {
                        Ok(bytes) => out.tally.add(Tally { files: 1, bytes }),
                        Err(e) => out.failures.push(Problem::new(entry.path(), &e)),
                    }
                }
                EntryKind::Link | EntryKind::Special => {
                    out.skipped.push(entry.path().to_path_buf())
                }
            }
        }
    }
    out.folder = Some(folder);
    out
}
