//! Clearing a data root: archive the diagnostics the clear removes, move what goes aside, let
//! the client start again, then delete in parallel. Nothing outside the data root is touched,
//! links are removed as links, and every file that cannot be removed is reported with its reason
//! at the path the user knows.
//!
//! All of it goes through handles: the data root is opened once ([`root_handle::open`]); each
//! unit is moved with `renameat` from its parent's handle into a trash folder made with `mkdirat`
//! in the root; the trash is deleted by the parallel handle walk ([`tree_walk`]), which removes
//! each entry relative to its open parent and never enters a link or another file system.

use crate::cache::archive::{self, ArchiveLimits, ArchivePlan, Archived};
use crate::cache::classes::{CacheClass, Layout};
use crate::cache::scan::{self, ClassTallies, Tally, Unit};
use crate::cache::tree_walk::{self, EntryKind, Node, Problem, Then, Visitor};
use crate::common::progress::{CancelToken, Phase, Progress, ProgressSink};
use crate::platform::dir_handle::{self, Dir, Opened};
use crate::platform::root_handle;
use crate::platform::safety::CheckedRoot;
use serde::Serialize;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// A clear first moves what it removes into a folder `<data root>/.teamsfix-trash-<run>`, so the
/// client can start again at once while the deletion finishes; a later run finishes an
/// interrupted deletion, because every layout in the client table classifies these folders as regenerable.
pub const TRASH_PREFIX: &str = ".teamsfix-trash-";
pub const TRASH_PATTERN: &str = ".teamsfix-trash-*";

/// A trash folder left behind (something in it could not be removed) keeps this record of where
/// each of its entries came from (`{"0": "Cache", ...}`, paths relative to the data root), so
/// the run that deletes the leftover reports what it still cannot remove at the path the user
/// knows, not inside the trash.
pub const TRASH_ORIGINS: &str = ".teamsfix-origins.json";

/// Added to the reason of a failure in a leftover of an earlier run.
const LEFTOVER_NOTE: &str = "left over from an earlier clear";

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
    /// The cap of one archive and how many are kept.
    pub archive_limits: ArchiveLimits,
}

/// What a clear did (or, in a dry run, would do) to one data root.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ClearOutcome {
    pub dry_run: bool,
    pub removed: ClassTallies,
    pub kept: ClassTallies,
    /// The folder the diagnostics were copied into.
    #[serde(serialize_with = "crate::common::lossy_path::opt")]
    pub archive: Option<PathBuf>,
    pub archived: Tally,
    /// Diagnostics removed without a copy because the archive's cap was reached (listed in the
    /// archive's `not-archived.txt`).
    pub not_archived: Tally,
    /// Older archives removed to keep the archives within their limits.
    pub archives_pruned: u32,
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

/// The plan a dry run reports: the same scan a real run acts on, sized, with the default archive
/// cap.
pub fn preview(
    root: &CheckedRoot,
    layout: &Layout,
    mode: Mode,
    cancel: &CancelToken,
) -> (scan::Scan, ClearOutcome) {
    preview_capped(root, layout, mode, ArchiveLimits::default().cap, cancel)
}

/// [`preview`] with this archive cap.
pub fn preview_capped(
    root: &CheckedRoot,
    layout: &Layout,
    mode: Mode,
    cap: u64,
    cancel: &CancelToken,
) -> (scan::Scan, ClearOutcome) {
    let dir = match root_handle::open(root) {
        Ok(d) => d,
        Err(e) => {
            let out = ClearOutcome {
                dry_run: true,
                failures: vec![Problem::new(&root.shown, &e)],
                ..Default::default()
            };
            return (scan::Scan::default(), out);
        }
    };
    let s = scan::scan_in(&dir, &root.shown, layout, cancel);
    let mut out = ClearOutcome {
        dry_run: true,
        failures: s.problems.clone(),
        cancelled: cancel.is_cancelled(),
        ..Default::default()
    };
    let plan = archive_plan(&dir, &root.shown, &s.units, mode, cap);
    let diagnostics_kept = !plan.problems.is_empty();
    out.failures.extend(plan.problems.iter().cloned());
    for u in &s.units {
        if removes(mode, u.class, diagnostics_kept) {
            out.removed.add(u.class, u.tally);
        } else {
            out.kept.add(u.class, u.tally);
        }
    }
    out.archived = plan.chosen_tally();
    out.not_archived = plan.left_out_tally();
    (s, out)
}

/// Whether a unit of `class` goes, when the diagnostics could (not) be archived.
fn removes(mode: Mode, class: CacheClass, diagnostics_kept: bool) -> bool {
    mode.removes(class) && !(class == CacheClass::Diagnostics && diagnostics_kept)
}

/// The diagnostics a clear in `mode` archives: only those it removes.
fn archive_plan(root: &Dir, shown: &Path, units: &[Unit], mode: Mode, cap: u64) -> ArchivePlan {
    if !mode.removes(CacheClass::Diagnostics) {
        return ArchivePlan::default();
    }
    let diagnostics: Vec<&Unit> = units
        .iter()
        .filter(|u| u.class == CacheClass::Diagnostics)
        .collect();
    archive::plan(root, shown, &diagnostics, cap)
}

pub fn clear(root: &CheckedRoot, layout: &Layout, req: &ClearRequest) -> ClearOutcome {
    match move_aside(root, layout, req) {
        Ok(aside) => aside.finish(req),
        Err(dry_run) => *dry_run,
    }
}

/// Where one unit that goes is now.
enum Target {
    /// Moved into the trash folder as `<index>`.
    Trash,
    /// Deleted where it is: a leftover of an interrupted run, a unit that holds a mount point,
    /// or a unit that could not be moved.
    InPlace,
}

/// A clear that has archived the diagnostics and moved what goes into the trash: the client can
/// start again. [`MovedAside::finish`] deletes the trash and completes the outcome.
///
/// A caller that clears several data roots can move each of them aside first and then finish
/// them, so that no client waits for another client's deletion.
pub struct MovedAside {
    shown: PathBuf,
    root: Option<Dir>,
    out: ClearOutcome,
    targets: Vec<(Unit, Target)>,
    trash: Option<(OsString, Dir)>,
    keep: Vec<Unit>,
}

/// Steps 1 and 2 of a clear: archive the diagnostics, move what goes into a trash folder inside
/// the data root. A dry run has nothing to move: its outcome comes back as the error.
pub fn move_aside(
    root: &CheckedRoot,
    layout: &Layout,
    req: &ClearRequest,
) -> Result<MovedAside, Box<ClearOutcome>> {
    req.progress.report(Progress::Phase {
        phase: Phase::Scanning,
        total: None,
    });
    if req.dry_run {
        let cap = req.archive_limits.cap;
        return Err(Box::new(
            preview_capped(root, layout, req.mode, cap, req.cancel).1,
        ));
    }
    let mut out = ClearOutcome::default();
    let shown = root.shown.clone();
    let dir = match root_handle::open(root) {
        Ok(d) => d,
        Err(e) => {
            out.failures.push(Problem::new(&shown, &e));
            return Ok(MovedAside {
                shown,
                root: None,
                out,
                targets: Vec::new(),
                trash: None,
                keep: Vec::new(),
            });
        }
    };
    let s = scan::classify_in(&dir, &shown, layout);
    out.failures.extend(s.problems.iter().cloned());

    // 1. Archive the diagnostics this clear removes, before anything is deleted. If any of them
    //    could not be copied (or there is no room), they stay where they are.
    let plan = archive_plan(&dir, &shown, &s.units, req.mode, req.archive_limits.cap);
    let archived = if plan.is_empty() && plan.problems.is_empty() {
        Archived::default()
    } else {
        req.progress.report(Progress::Phase {
            phase: Phase::Archiving,
            total: Some(plan.chosen.len() as u64),
        });
        archive::archive(
            &dir,
            &shown,
            &plan,
            req.archives,
            req.label,
            req.archive_limits,
        )
    };
    out.archive = archived.folder.clone();
    out.archived = archived.tally;
    let diagnostics_kept = !archived.complete();
    if !diagnostics_kept {
        out.not_archived = archived.left_out;
    }
    out.archives_pruned = archived.pruned.len() as u32;
    out.failures.extend(archived.failures);
    out.failures.extend(archived.prune_failures);

    let (remove, keep): (Vec<Unit>, Vec<Unit>) = s
        .units
        .into_iter()
        .partition(|u| removes(req.mode, u.class, diagnostics_kept));

    // 2. Move what goes into a trash folder inside the data root (one rename per unit), so the
    //    client finds its data root in order at once. Leftovers of an interrupted run are
    //    already in a trash folder and are deleted where they are.
    req.progress.report(Progress::Phase {
        phase: Phase::MovingAside,
        total: Some(remove.len() as u64),
    });
    let mut targets = Vec::new();
    let mut trash: Option<(OsString, Dir)> = None;
    let mut no_trash = false;
    // A unit that holds a mount point is deleted where it is: moved aside, it would take the
    // mount along into the trash (the walk never enters the mount either way).
    let mounts = crate::platform::mounts::below(&root.real);
    for unit in remove {
        if req.cancel.is_cancelled() {
            break;
        }
        let leftover = unit.rel.to_string_lossy().starts_with(TRASH_PREFIX)
            || mounts.iter().any(|m| m.starts_with(&unit.rel));
        if !leftover && trash.is_none() && !no_trash {
            let stamp = crate::common::timestamps::timestamp_for_file_names();
            let name = OsString::from(format!("{TRASH_PREFIX}{stamp}-{}", std::process::id()));
            match dir.create_dir(&name) {
                Ok(t) => trash = Some((name, t)),
                Err(_) => no_trash = true,
            }
        }
        let moved = match &trash {
            Some((_, t)) if !leftover => move_unit(&dir, &unit.rel, t, targets.len()).is_ok(),
            _ => false,
        };
        // A rename can fail (a file held open on Windows, a mount point): delete in place then.
        targets.push((
            unit,
            if moved {
                Target::Trash
            } else {
                Target::InPlace
            },
        ));
    }
    req.progress.report(Progress::ClientCanStart {
        client: req.label.to_string(),
    });
    Ok(MovedAside {
        shown,
        root: Some(dir),
        out,
        targets,
        trash,
        keep,
    })
}

/// Renames the unit at `rel` (from its parent's handle) to `<index>` in the trash.
fn move_unit(root: &Dir, rel: &Path, trash: &Dir, index: usize) -> std::io::Result<()> {
    let name = rel.file_name().ok_or(std::io::ErrorKind::InvalidInput)?;
    let to = OsString::from(index.to_string());
    match rel.parent().filter(|p| !p.as_os_str().is_empty()) {
        None => root.rename(name, trash, &to),
        Some(parent) => match root.open_relative(parent, false)? {
            Opened::Dir(d) => d.rename(name, trash, &to),
            _ => Err(std::io::Error::other(
                "a folder on the way is a link or another file system",
            )),
        },
    }
}

impl MovedAside {
    /// Steps 3 and 4: delete what was moved aside (in parallel, counting what goes), then size
    /// what was kept.
    pub fn finish(self, req: &ClearRequest) -> ClearOutcome {
        let MovedAside {
            shown,
            root,
            mut out,
            targets,
            trash,
            mut keep,
        } = self;
        let Some(root) = root else {
            return out;
        };
        req.progress.report(Progress::Phase {
            phase: Phase::Deleting,
            total: None,
        });
        let deleter = Deleter {
            counters: targets
                .iter()
                .map(|_| (AtomicU64::new(0), AtomicU64::new(0)))
                .collect(),
            done: AtomicU64::new(0),
            progress: req.progress,
        };
        // Where the entries of each trash folder came from: this run's, and those recorded in
        // leftovers of earlier runs (read before the walk removes the record).
        let mut origins: Vec<(OsString, Vec<(String, String)>)> = Vec::new();
        let trash_name = trash.as_ref().map(|(name, _)| name.clone());
        if let Some((name, _)) = &trash {
            let map = targets
                .iter()
                .enumerate()
                .filter(|(_, (_, t))| matches!(t, Target::Trash))
                .map(|(i, (u, _))| (i.to_string(), crate::cache::backup::slashed(&u.rel)))
                .collect();
            origins.push((name.clone(), map));
        }
        for (unit, _) in &targets {
            if let Some(name) = leftover_trash_name(&unit.rel) {
                origins.push((name.to_os_string(), read_origins(&root, name)));
            }
        }
        // The data root: held open for the whole deletion and never removed.
        let root_node = Node::start(root, OsStr::new(""), shown.clone(), None, usize::MAX);
        let trash_node = trash.map(|(name, dir)| {
            let label = shown.join(&name);
            Node::start(dir, &name, label, Some(&root_node), usize::MAX)
        });
        let mut starts = Vec::new();
        let mut failures = Vec::new();
        for (i, (unit, target)) in targets.iter().enumerate() {
            let label = shown.join(&unit.rel);
            let (parent, name) = match (target, &trash_node) {
                (Target::Trash, Some(t)) => (t.clone(), OsString::from(i.to_string())),
                _ => match in_place_parent(&root_node, &shown, &unit.rel) {
                    Ok(found) => found,
                    // Its folder is gone (another program removed it meanwhile): so is the unit.
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                    Err(e) => {
                        failures.push(Problem::new(&label, &e));
                        continue;
                    }
                },
            };
            let enter = if unit.kind == EntryKind::Dir {
                true
            } else {
                // A file, link or special file: removed as itself, unless it became a folder.
                match deleter.remove_leaf(&parent, &name, i) {
                    Ok(Then::Done) => false,
                    Ok(Then::Enter) => true,
                    Err(e) => {
                        failures.push(Problem::new(&label, &e));
                        parent.mark_failed();
                        false
                    }
                }
            };
            if !enter {
                continue;
            }
            match parent.dir().open_dir(&name, true) {
                Ok(Opened::Dir(d)) => starts.push(Node::start(d, &name, label, Some(&parent), i)),
                // Swapped for a link or a file since it was classified: removed as itself.
                Ok(Opened::NotDir) => match deleter.remove_leaf(&parent, &name, i) {
                    Ok(_) => {}
                    Err(e) => {
                        failures.push(Problem::new(&label, &e));
                        parent.mark_failed();
                    }
                },
                Ok(Opened::MountPoint) => {
                    failures.push(Problem::with_reason(
                        &label,
                        "another file system is mounted here: not entered, left in place",
                    ));
                    parent.mark_failed();
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    failures.push(Problem::new(&label, &e));
                    parent.mark_failed();
                }
            }
        }
        let problems = tree_walk::walk(
            starts,
            trash_node.into_iter().collect(),
            req.cancel,
            &deleter,
        );
        out.failures.extend(failures);
        out.failures.extend(problems.into_vec());
        // A trash folder that is still there keeps its record for the next run; what could not
        // be removed from a leftover is reported where it came from.
        for (name, map) in &origins {
            if !map.is_empty() {
                write_origins(root_node.dir(), name, map);
            }
        }
        let own = usize::from(trash_name.is_some());
        for f in &mut out.failures {
            leftover_to_origin(f, &shown, &origins[own..]);
        }
        out.cancelled = req.cancel.is_cancelled();
        req.progress.report(Progress::Advance {
            done: deleter.done.load(Ordering::Relaxed),
        });
        for ((unit, _), (files, bytes)) in targets.iter().zip(deleter.counters) {
            out.removed.add(
                unit.class,
                Tally {
                    files: files.into_inner(),
                    bytes: bytes.into_inner(),
                },
            );
        }

        scan::size_units_in(
            root_node.dir(),
            &shown,
            &mut keep,
            &CancelToken::new(),
            &mut out.failures,
        );
        for u in &keep {
            out.kept.add(u.class, u.tally);
        }
        out
    }
}

/// The name of a leftover trash folder of an earlier run, when `rel` is one (directly in the
/// data root).
fn leftover_trash_name(rel: &Path) -> Option<&OsStr> {
    let mut c = rel.components();
    match (c.next(), c.next()) {
        (Some(std::path::Component::Normal(n)), None)
            if n.to_string_lossy().starts_with(TRASH_PREFIX) =>
        {
            Some(n)
        }
        _ => None,
    }
}

/// The record [`TRASH_ORIGINS`] in the trash folder `name` (empty when there is none).
fn read_origins(root: &Dir, name: &OsStr) -> Vec<(String, String)> {
    use std::io::Read;
    let Ok(Opened::Dir(trash)) = root.open_dir(name, false) else {
        return Vec::new();
    };
    let Ok((file, _)) = trash.open_file(OsStr::new(TRASH_ORIGINS)) else {
        return Vec::new();
    };
    let mut text = String::new();
    if file.take(1 << 20).read_to_string(&mut text).is_err() {
        return Vec::new();
    }
    serde_json::from_str::<std::collections::BTreeMap<String, String>>(&text)
        .map(|m| m.into_iter().collect())
        .unwrap_or_default()
}

/// Writes the record into the trash folder `name` if it is still there (best effort: without
/// it a later run says only that the file is left over).
fn write_origins(root: &Dir, name: &OsStr, map: &[(String, String)]) {
    use std::io::Write;
    let Ok(Opened::Dir(trash)) = root.open_dir(name, false) else {
        return;
    };
    let record: std::collections::BTreeMap<&str, &str> =
        map.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let Ok(text) = serde_json::to_vec(&record) else {
        return;
    };
    if let Ok(mut f) = trash.create_file(OsStr::new(TRASH_ORIGINS)) {
        let _ = f.write_all(&text);
    }
}

/// A failure inside a leftover trash folder of an earlier run: reported at the path its entry
/// had before that run moved it aside (from the folder's record), and said to be a leftover.
fn leftover_to_origin(
    f: &mut Problem,
    shown: &Path,
    origins: &[(OsString, Vec<(String, String)>)],
) {
    let Ok(rel) = f.path.strip_prefix(shown) else {
        return;
    };
    let mut parts = rel.components();
    let Some(std::path::Component::Normal(trash)) = parts.next() else {
        return;
    };
    if !trash.to_string_lossy().starts_with(TRASH_PREFIX) {
        return;
    }
    let index = parts
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let origin = origins
        .iter()
        .find(|(n, _)| n.as_os_str() == trash)
        .and_then(|(_, map)| map.iter().find(|(i, _)| Some(i) == index.as_ref()))
        .map(|(_, o)| o.clone());
    // The record lies in the data root, where Teams (or whatever runs as it) can write: only a
    // plain relative path below the root is believed, so a report never names a place outside.
    let plain = |o: &str| {
        Path::new(o)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
            && !o.is_empty()
            && !o.contains('\\')
    };
    if let Some(origin) = origin.filter(|o| plain(o)) {
        let mut p = shown.to_path_buf();
        p.extend(origin.split('/').filter(|c| !c.is_empty()));
        p.extend(parts);
        f.path = p;
    }
    f.reason = format!("{} ({LEFTOVER_NOTE})", f.reason);
}

/// The open parent folder of a unit deleted in place (kept open, never removed) and its name.
fn in_place_parent(
    root: &Arc<Node>,
    shown: &Path,
    rel: &Path,
) -> std::io::Result<(Arc<Node>, OsString)> {
    let name = rel
        .file_name()
        .ok_or(std::io::ErrorKind::InvalidInput)?
        .to_os_string();
    match rel.parent().filter(|p| !p.as_os_str().is_empty()) {
        None => Ok((root.clone(), name)),
        Some(parent) => match root.dir().open_relative(parent, false)? {
            Opened::Dir(d) => {
                // A holder: never released, so the walk never removes the unit's parent.
                let holder =
                    Node::start(d, parent.as_os_str(), shown.join(parent), None, usize::MAX);
                Ok((holder, name))
            }
            _ => Err(std::io::Error::other(
                "a folder on the way is a link or another file system",
            )),
        },
    }
}

/// Deletes what the walk hands it, counting files and bytes per unit.
struct Deleter<'a> {
    counters: Vec<(AtomicU64, AtomicU64)>,
    done: AtomicU64,
    progress: &'a dyn ProgressSink,
}

impl Deleter<'_> {
    fn count(&self, tag: usize, bytes: u64) {
        if let Some((files, b)) = self.counters.get(tag) {
            files.fetch_add(1, Ordering::Relaxed);
            b.fetch_add(bytes, Ordering::Relaxed);
        }
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if n.is_multiple_of(512) {
            self.progress.report(Progress::Advance { done: n });
        }
    }

    /// Removes the non-folder entry `name` of `at`, counted for unit `tag`.
    fn remove_leaf(&self, at: &Node, name: &OsStr, tag: usize) -> std::io::Result<Then> {
        let meta = match at.dir().metadata_at(name) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Then::Done),
            Err(e) => return Err(e),
        };
        if meta.kind == EntryKind::Dir {
            return Ok(Then::Enter);
        }
        self.remove(at, name, meta.kind, Some(meta.len), tag)
    }

    fn remove(
        &self,
        at: &Node,
        name: &OsStr,
        kind: EntryKind,
        len: Option<u64>,
        tag: usize,
    ) -> std::io::Result<Then> {
        // The size of a file about to go, read from its folder's handle.
        let bytes = match kind {
            EntryKind::File => match len {
                Some(l) => l,
                None => match at.dir().metadata_at(name) {
                    Ok(m) => m.len,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Then::Done),
                    Err(e) => return Err(e),
                },
            },
            _ => 0,
        };
        match at.dir().remove_entry(name) {
            Ok(()) => {
                self.count(tag, bytes);
                Ok(Then::Done)
            }
            Err(e) if dir_handle::is_a_directory(&e) => Ok(Then::Enter),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Then::Done),
            Err(e) => Err(e),
        }
    }
}

impl Visitor for Deleter<'_> {
    fn for_delete(&self) -> bool {
        true
    }

    fn entry(
        &self,
        at: &Node,
        name: &OsStr,
        kind: EntryKind,
        len: Option<u64>,
    ) -> Result<Then, Problem> {
        self.remove(at, name, kind, len, at.tag())
            .map_err(|e| Problem::new(at.path_of(name), &e))
    }

    fn leave(&self, parent: &Node, name: &OsStr, dir: Dir, failed: bool) -> Result<(), Problem> {
        match parent.dir().remove_dir(name, dir) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            // Something below it failed and was reported: the folder staying is explained.
            Err(_) if failed => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::DirectoryNotEmpty => {
                Err(Problem::with_reason(
                    parent.path_of(name),
                    "folder not empty (something was added while it was being deleted): left in place",
                ))
            }
            Err(e) => Err(Problem::new(parent.path_of(name), &e)),
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::common::progress::NoProgress;
    use std::sync::atomic::AtomicBool;

    /// Deletes like a clear, but the first time it removes something, a new folder appears
    /// beside it (as when Teams writes while it is being cleared).
    struct Interrupted<'a> {
        deleter: Deleter<'a>,
        added: AtomicBool,
    }

    impl Visitor for Interrupted<'_> {
        fn for_delete(&self) -> bool {
            true
        }
        fn entry(
            &self,
            at: &Node,
            name: &OsStr,
            kind: EntryKind,
            len: Option<u64>,
        ) -> Result<Then, Problem> {
            let then = self.deleter.entry(at, name, kind, len);
            if at.path() == Path::new("/shown/root/Cache")
                && !self.added.swap(true, Ordering::AcqRel)
            {
                at.dir()
                    .create_dir(OsStr::new("written meanwhile"))
                    .unwrap();
            }
            then
        }
        fn leave(
            &self,
            parent: &Node,
            name: &OsStr,
            dir: Dir,
            failed: bool,
        ) -> Result<(), Problem> {
            self.deleter.leave(parent, name, dir, failed)
        }
    }

    #[test]
    fn a_folder_left_behind_because_it_was_not_empty_is_reported() {
        let t = tempfile::tempdir().unwrap();
        let base = std::fs::canonicalize(t.path()).unwrap();
        std::fs::create_dir_all(base.join("trash/0/sub")).unwrap();
        std::fs::write(base.join("trash/0/a"), b"x").unwrap();
        let trash = Dir::open_anchor(&base.join("trash")).unwrap();
        let holder = Node::start(trash, OsStr::new("trash"), "trash".into(), None, usize::MAX);
        let Opened::Dir(unit) = holder.dir().open_dir(OsStr::new("0"), true).unwrap() else {
            panic!("not a folder");
        };
        let label = PathBuf::from("/shown/root/Cache");
        let start = Node::start(unit, OsStr::new("0"), label.clone(), Some(&holder), 0);
        let v = Interrupted {
            deleter: Deleter {
                counters: vec![(AtomicU64::new(0), AtomicU64::new(0))],
                done: AtomicU64::new(0),
                progress: &NoProgress,
            },
            added: AtomicBool::new(false),
        };
        let problems = tree_walk::walk(vec![start], vec![], &CancelToken::new(), &v).into_vec();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, label);
        assert!(problems[0].reason.contains("not empty"), "{problems:?}");
        assert!(base.join("trash/0/written meanwhile").is_dir());
        assert!(!base.join("trash/0/a").exists());
    }

    #[test]
    fn a_leftovers_record_never_moves_a_report_outside_the_data_root() {
        let shown = Path::new("/home/u/.config/teams-for-linux");
        let trash = OsString::from(".teamsfix-trash-2026-11-25_01-00-00-42");
        let origins = vec![(
            trash.clone(),
            vec![
                ("0".to_string(), "/etc".to_string()),
                ("1".to_string(), "../../../etc".to_string()),
                ("2".to_string(), "Cache".to_string()),
            ],
        )];
        for (i, want) in [
            ("0", shown.join(&trash).join("0/passwd")),
            ("1", shown.join(&trash).join("1/passwd")),
            ("2", shown.join("Cache/passwd")),
        ] {
            let mut f = Problem::with_reason(shown.join(&trash).join(i).join("passwd"), "busy");
            leftover_to_origin(&mut f, shown, &origins);
            assert_eq!(f.path, want);
            assert!(
                f.reason.ends_with("(left over from an earlier clear)"),
                "{}",
                f.reason
            );
        }
    }

    /// Another teamsfix (a portable copy with its own data folder) removed a folder this clear
    /// still holds open: on Linux its listing then fails with "not found". That is not a
    /// failure to report (it was reported at every such folder, 118 of them in a race of two
    /// clears of one data root): the folder and all in it are gone.
    #[test]
    fn a_folder_removed_meanwhile_by_another_program_is_not_a_failure() {
        let t = tempfile::tempdir().unwrap();
        let base = std::fs::canonicalize(t.path()).unwrap();
        std::fs::create_dir_all(base.join("trash/0/sub")).unwrap();
        let trash = Dir::open_anchor(&base.join("trash")).unwrap();
        let holder = Node::start(trash, OsStr::new("trash"), "trash".into(), None, usize::MAX);
        let Opened::Dir(unit) = holder.dir().open_dir(OsStr::new("0"), true).unwrap() else {
            panic!("not a folder");
        };
        // The other program removes it while it is held open here.
        std::fs::remove_dir_all(base.join("trash/0")).unwrap();
        let start = Node::start(
            unit,
            OsStr::new("0"),
            "/shown/root/Cache".into(),
            Some(&holder),
            0,
        );
        let deleter = Deleter {
            counters: vec![(AtomicU64::new(0), AtomicU64::new(0))],
            done: AtomicU64::new(0),
            progress: &NoProgress,
        };
        let problems =
            tree_walk::walk(vec![start], vec![], &CancelToken::new(), &deleter).into_vec();
        assert!(problems.is_empty(), "{problems:?}");
    }
}
