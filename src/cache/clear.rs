//! Clearing a data root: archive the diagnostics, move what goes aside, let the client start
//! again, then delete in parallel. Nothing outside the data root is touched, links are removed as
//! links, and every file that cannot be removed is reported with its reason.

use crate::cache::archive::{self, Archived};
use crate::cache::classes::{CacheClass, Layout};
use crate::cache::scan::{self, ClassTallies, Tally, Unit};
use crate::cache::tree_walk::{self, EntryKind, Problem};
use crate::common::progress::{CancelToken, Phase, Progress, ProgressSink};
use crate::platform::safety::{self, CheckedRoot};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// A clear first moves what it removes into a folder `<data root>/.teamsfix-trash-<run>`, so the
/// client can start again at once while the deletion finishes; a later run finishes an
/// interrupted deletion, because every layout in the client table classifies these folders as regenerable.
pub const TRASH_PREFIX: &str = ".teamsfix-trash-";
pub const TRASH_PATTERN: &str = ".teamsfix-trash-*";

/// How much a clear removes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Only regenerable cache: the user stays signed in.
    #[default]
    Safe,
    /// Microsoft's procedure (everything in the data root) minus the user's data; diagnostics
    /// are archived first. Signs the user out; clears a stale account or tenant.
    Full,
}

impl Mode {
    pub const ALL: [Mode; 2] = [Mode::Safe, Mode::Full];

    pub fn id(self) -> &'static str {
        match self {
            Mode::Safe => "safe",
            Mode::Full => "full",
        }
    }

    pub fn removes(self, class: CacheClass) -> bool {
        match self {
            Mode::Safe => class == CacheClass::Regenerable,
            Mode::Full => class != CacheClass::UserData,
        }
    }
}

pub struct ClearRequest<'a> {
    pub mode: Mode,
    pub dry_run: bool,
    /// teamsfix's archive folder (`AppFolders::archives`).
    pub archives: &'a Path,
    /// Name for the archive folder (client id and variant).
    pub label: &'a str,
    pub cancel: &'a CancelToken,
    pub progress: &'a dyn ProgressSink,
}

/// What a clear did (or, in a dry run, would do) to one data root.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ClearOutcome {
    pub dry_run: bool,
    pub removed: ClassTallies,
    pub kept: ClassTallies,
    /// The folder the diagnostics were copied into.
    pub archive: Option<PathBuf>,
    pub archived: Tally,
    pub failures: Vec<Problem>,
    /// The user cancelled; what was already moved aside is removed by the next run.
    pub cancelled: bool,
    /// The backup a full reset kept so it can be undone (`repair::restore`), when one was asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup: Option<Box<crate::cache::backup::Backup>>,
}

impl ClearOutcome {
    pub fn removed_total(&self) -> Tally {
        self.removed.total()
    }
}

/// The plan a dry run reports: the same scan a real run acts on, sized.
pub fn preview(
    root: &CheckedRoot,
    layout: &Layout,
    mode: Mode,
    cancel: &CancelToken,
) -> (scan::Scan, ClearOutcome) {
    let s = scan::scan(root, layout, cancel);
    let mut out = ClearOutcome {
        dry_run: true,
        failures: s.problems.clone(),
        cancelled: cancel.is_cancelled(),
        ..Default::default()
    };
    for u in &s.units {
        if mode.removes(u.class) {
            out.removed.add(u.class, u.tally);
        } else {
            out.kept.add(u.class, u.tally);
        }
        if u.class == CacheClass::Diagnostics {
            out.archived.add(u.tally);
        }
    }
    (s, out)
}

pub fn clear(root: &CheckedRoot, layout: &Layout, req: &ClearRequest) -> ClearOutcome {
    match move_aside(root, layout, req) {
        Ok(aside) => aside.finish(req),
        Err(dry_run) => *dry_run,
    }
}

/// A clear that has archived the diagnostics and moved what goes into the trash: the client can
/// start again. [`MovedAside::finish`] deletes the trash and completes the outcome.
///
/// A caller that clears several data roots can move each of them aside first and then finish
/// them, so that no client waits for another client's deletion.
pub struct MovedAside {
    root: CheckedRoot,
    out: ClearOutcome,
    targets: Vec<(PathBuf, CacheClass, EntryKind)>,
    trash: Option<PathBuf>,
    keep: Vec<Unit>,
}

/// Steps 1 and 2 of a clear: archive the diagnostics, move what goes into a trash folder inside
/// the data root. A dry run has nothing to move: its outcome comes back as the error.
pub fn move_aside(
    root: &CheckedRoot,
    layout: &Layout,
    req: &ClearRequest,
) -> Result<MovedAside, Box<ClearOutcome>> {
    if req.dry_run {
        req.progress.report(Progress::Phase {
            phase: Phase::Scanning,
            total: None,
        });
        return Err(Box::new(preview(root, layout, req.mode, req.cancel).1));
    }
    let mut out = ClearOutcome::default();
    req.progress.report(Progress::Phase {
        phase: Phase::Scanning,
        total: None,
    });
    let s = scan::classify(root, layout);
    out.failures.extend(s.problems.iter().cloned());

    // 1. Archive diagnostics before anything is deleted. If any file could not be copied, the
    //    diagnostics stay where they are.
    let diagnostics: Vec<&Unit> = s.units_of(CacheClass::Diagnostics).collect();
    let archived = if diagnostics.is_empty() {
        Archived::default()
    } else {
        req.progress.report(Progress::Phase {
            phase: Phase::Archiving,
            total: Some(diagnostics.len() as u64),
        });
        archive::archive_units(root, &diagnostics, req.archives, req.label)
    };
    out.archive = archived.folder.clone();
    out.archived = archived.tally;
    let diagnostics_safe = archived.complete();
    out.failures.extend(archived.failures);

    let (remove, keep): (Vec<Unit>, Vec<Unit>) = s.units.into_iter().partition(|u| {
        req.mode.removes(u.class) && (u.class != CacheClass::Diagnostics || diagnostics_safe)
    });

    // 2. Move what goes into a trash folder inside the data root (one rename per unit), so the
    //    client finds its data root in order at once. Leftovers of an interrupted run are
    //    already in a trash folder and are deleted where they are.
    req.progress.report(Progress::Phase {
        phase: Phase::MovingAside,
        total: Some(remove.len() as u64),
    });
    let mut targets: Vec<(PathBuf, CacheClass, EntryKind)> = Vec::new();
    let mut trash: Option<PathBuf> = None;
    for unit in remove {
        let Some(path) = safety::join_inside(&root.real, &unit.rel) else {
            continue;
        };
        let leftover = unit.rel.to_string_lossy().starts_with(TRASH_PREFIX);
        if leftover || req.cancel.is_cancelled() {
            if !req.cancel.is_cancelled() {
                targets.push((path, unit.class, unit.kind));
            }
            continue;
        }
        let trash_dir = match &trash {
            Some(t) => Some(t.clone()),
            None => new_trash_dir(&root.real)
                .ok()
                .inspect(|t| trash = Some(t.clone())),
        };
        let moved = trash_dir.and_then(|t| {
            let dest = t.join(targets.len().to_string());
            std::fs::rename(&path, &dest).ok().map(|_| dest)
        });
        // A rename can fail (a file held open on Windows, a mount point): delete in place then.
        targets.push((moved.unwrap_or(path), unit.class, unit.kind));
    }
    req.progress.report(Progress::ClientCanStart {
        client: req.label.to_string(),
    });
    Ok(MovedAside {
        root: root.clone(),
        out,
        targets,
        trash,
        keep,
    })
}

impl MovedAside {
    /// Steps 3 and 4: delete what was moved aside (in parallel, counting what goes), then size
    /// what was kept.
    pub fn finish(self, req: &ClearRequest) -> ClearOutcome {
        let MovedAside {
            root,
            mut out,
            targets,
            trash,
            mut keep,
        } = self;
        req.progress.report(Progress::Phase {
            phase: Phase::Deleting,
            total: None,
        });
        let (removed, failures) = delete_all(&targets, req.cancel, req.progress);
        out.removed = removed;
        out.failures.extend(failures);
        if let Some(t) = &trash {
            // Empty unless something could not be removed (then the next run tries again).
            let _ = std::fs::remove_dir(t);
        }
        out.cancelled = req.cancel.is_cancelled();

        scan::size_units(&root, &mut keep, &CancelToken::new(), &mut out.failures);
        for u in &keep {
            out.kept.add(u.class, u.tally);
        }
        out
    }
}

fn new_trash_dir(root: &Path) -> std::io::Result<PathBuf> {
    let stamp = crate::common::timestamps::timestamp_for_file_names();
    let dir = root.join(format!("{TRASH_PREFIX}{stamp}-{}", std::process::id()));
    std::fs::create_dir(&dir)?;
    Ok(dir)
}

/// Deletes every target (a folder's contents in parallel, then its folders deepest first) and
/// returns what was removed per class and what could not be.
fn delete_all(
    targets: &[(PathBuf, CacheClass, EntryKind)],
    cancel: &CancelToken,
    progress: &dyn ProgressSink,
) -> (ClassTallies, Vec<Problem>) {
    let counters: Vec<(AtomicU64, AtomicU64)> = targets
        .iter()
        .map(|_| (AtomicU64::new(0), AtomicU64::new(0)))
        .collect();
    let failures = Mutex::new(Vec::new());
    let done = AtomicU64::new(0);
    let mut starts = Vec::new();
    for (i, (path, _, kind)) in targets.iter().enumerate() {
        if *kind == EntryKind::Dir {
            starts.push((i, path.clone()));
        } else {
            match remove_one(path, *kind) {
                Ok(bytes) => {
                    counters[i].0.fetch_add(1, Ordering::Relaxed);
                    counters[i].1.fetch_add(bytes, Ordering::Relaxed);
                }
                Err(e) => lock(&failures).push(Problem::new(path, &e)),
            }
        }
    }
    let (mut dirs, walk_problems) = tree_walk::walk(starts, true, cancel, |tag, _, entry, kind| {
        if kind == EntryKind::Dir {
            return;
        }
        let path = entry.path();
        // Read from the directory handle (`fstatat`); the size of a file about to go.
        let bytes = if kind == EntryKind::File {
            entry.metadata().map(|m| m.len()).ok()
        } else {
            Some(0)
        };
        match remove_known(&path, kind, bytes) {
            Ok(bytes) => {
                counters[tag].0.fetch_add(1, Ordering::Relaxed);
                counters[tag].1.fetch_add(bytes, Ordering::Relaxed);
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if n.is_multiple_of(512) {
                    progress.report(Progress::Advance { done: n });
                }
            }
            Err(e) => lock(&failures).push(Problem::new(&path, &e)),
        }
    });
    let mut failures = failures.into_inner().unwrap_or_default();
    failures.extend(walk_problems);
    // Folders last, deepest first (the folders of one depth in parallel); a folder that still
    // holds a file that failed stays, and only that file is reported.
    dirs.sort_by_key(|d| std::cmp::Reverse(d.depth));
    let failed_dirs = Mutex::new(Vec::new());
    let remove_dir = |d: &tree_walk::VisitedDir| {
        if let Err(e) = std::fs::remove_dir(&d.path)
            && e.kind() != std::io::ErrorKind::DirectoryNotEmpty
            && e.kind() != std::io::ErrorKind::NotFound
            && !cancel.is_cancelled()
        {
            lock(&failed_dirs).push(Problem::new(&d.path, &e));
        }
    };
    for level in dirs.chunk_by(|a, b| a.depth == b.depth) {
        if level.len() < 256 {
            level.iter().for_each(remove_dir);
            continue;
        }
        let next = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..tree_walk::worker_count() {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(64, Ordering::Relaxed);
                        let Some(part) = level.get(i..(i + 64).min(level.len())) else {
                            break;
                        };
                        if part.is_empty() {
                            break;
                        }
                        part.iter().for_each(remove_dir);
                    }
                });
            }
        });
    }
    failures.extend(failed_dirs.into_inner().unwrap_or_default());
    progress.report(Progress::Advance {
        done: done.load(Ordering::Relaxed),
    });
    let mut removed = ClassTallies::default();
    for ((_, class, _), (files, bytes)) in targets.iter().zip(counters) {
        removed.add(
            *class,
            Tally {
                files: files.into_inner(),
                bytes: bytes.into_inner(),
            },
        );
    }
    (removed, failures)
}

/// Removes one file, link or special file; returns the bytes it held.
fn remove_one(path: &Path, kind: EntryKind) -> std::io::Result<u64> {
    let meta = std::fs::symlink_metadata(path)?;
    let bytes = if kind == EntryKind::File {
        meta.len()
    } else {
        0
    };
    remove_known(path, kind, Some(bytes))
}

/// Removes one file, link or special file whose size the walk already read (`None`: not
/// known, read it first); returns the bytes it held.
fn remove_known(path: &Path, kind: EntryKind, bytes: Option<u64>) -> std::io::Result<u64> {
    let bytes = match bytes {
        Some(b) => b,
        None => return remove_one(path, kind),
    };
    match std::fs::remove_file(path) {
        Ok(()) => Ok(bytes),
        // A link to a folder on Windows (symlink or junction) is removed with remove_dir, which
        // removes the link, not the folder it points to.
        Err(_) if kind == EntryKind::Link && cfg!(windows) => std::fs::remove_dir(path).map(|_| 0),
        // Windows refuses to delete a read-only file; clearing the attribute is not an ACL change.
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied && cfg!(windows) => {
            let meta = std::fs::symlink_metadata(path)?;
            if !meta.permissions().readonly() {
                return Err(e);
            }
            let mut perms = meta.permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(path, perms)?;
            std::fs::remove_file(path).map(|_| bytes)
        }
        Err(e) => Err(e),
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
