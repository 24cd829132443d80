//! Copying a client's diagnostics (logs, crash dumps) out of its data root before a clear
//! removes them, so support can still read them afterwards; and keeping those archives bounded.
//!
//! Only what the clear will remove is archived (a safe clear keeps the logs in place and writes
//! no archive). One archive holds at most `cap` bytes, newest files first; what did not fit is
//! listed in [`NOT_ARCHIVED_LIST`] inside it. Free space is checked first. After archiving, older
//! archives are pruned ([`retention::prune`]: the newest 10, at most 1 GB by default).
//!
//! Logs are read through handles below the data root's handle: every folder opened without
//! following a link, every file opened without following one and without blocking on a FIFO, and
//! checked on the opened handle to be a regular file ([`Dir::open_file`]). Links and special
//! files are never opened.

use crate::cache::scan::{Tally, Unit};
use crate::cache::tree_walk::{EntryKind, Problem};
use crate::common::sizes::human_bytes;
use crate::platform::dir_handle::{Dir, Entry, Opened};
use crate::platform::retention::{self, DEFAULT_ENTRY_CAP, DEFAULT_LIMITS, Limits};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The list, inside an archive, of the diagnostics that did not fit under its cap.
pub const NOT_ARCHIVED_LIST: &str = "not-archived.txt";

/// Free space left over after an archive is written: an archive never fills the disk.
pub const FREE_SPACE_RESERVE: u64 = 64 * 1024 * 1024;

/// Diagnostics folders nested deeper than this are not archived (and so not removed).
const MAX_LOG_DEPTH: usize = 64;

/// The bounds of the log archives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArchiveLimits {
    /// Bytes one archive may hold (newest files first).
    pub cap: u64,
    /// How many archives, and how many bytes in all, are kept after a new one is written.
    pub keep: Limits,
}

impl Default for ArchiveLimits {
    fn default() -> ArchiveLimits {
        ArchiveLimits {
            cap: DEFAULT_ENTRY_CAP,
            keep: DEFAULT_LIMITS,
        }
    }
}

/// One regular file of the diagnostics.
#[derive(Clone, Debug)]
pub struct LogFile {
    /// Relative to the data root.
    pub rel: PathBuf,
    pub len: u64,
    pub modified: Option<SystemTime>,
}

/// What an archive of the diagnostics will hold: the same plan for a dry run and a real one.
#[derive(Clone, Debug, Default)]
pub struct ArchivePlan {
    /// Newest first, within the cap.
    pub chosen: Vec<LogFile>,
    /// Did not fit under the cap: removed all the same, listed in the archive.
    pub left_out: Vec<LogFile>,
    /// Links, special files and files with other names (hard links): never opened, so never
    /// archived.
    pub skipped: Vec<PathBuf>,
    /// Folders that could not be read: the diagnostics must then stay in place.
    pub problems: Vec<Problem>,
}

fn tally(files: &[LogFile]) -> Tally {
    Tally {
        files: files.len() as u64,
        bytes: files.iter().map(|f| f.len).sum(),
    }
}

impl ArchivePlan {
    pub fn chosen_tally(&self) -> Tally {
        tally(&self.chosen)
    }
    pub fn left_out_tally(&self) -> Tally {
        tally(&self.left_out)
    }
    pub fn is_empty(&self) -> bool {
        self.chosen.is_empty() && self.left_out.is_empty()
    }
}

/// Lists the regular files of `units` below `root` and chooses, newest first, those that fit
/// under `cap` bytes. `shown` is the data root's path in reports.
pub fn plan(root: &Dir, shown: &Path, units: &[&Unit], cap: u64) -> ArchivePlan {
    let mut p = ArchivePlan::default();
    let mut files = Vec::new();
    for unit in units {
        match unit.kind {
            EntryKind::File => {
                let (parent, name) = split(&unit.rel);
                match open_parent(root, parent).and_then(|d| {
                    let d = d.as_ref().unwrap_or(root);
                    d.metadata_at(name)
                }) {
                    Ok(m) if m.kind == EntryKind::File && m.links <= 1 => files.push(LogFile {
                        rel: unit.rel.clone(),
                        len: m.len,
                        modified: m.modified,
                    }),
                    Ok(_) => p.skipped.push(shown.join(&unit.rel)),
                    Err(e) => p.problems.push(Problem::new(shown.join(&unit.rel), &e)),
                }
            }
            EntryKind::Dir => match root.open_relative(&unit.rel, false) {
                Ok(Opened::Dir(d)) => list(&d, shown, &unit.rel, 0, &mut files, &mut p),
                Ok(_) => p.skipped.push(shown.join(&unit.rel)),
                Err(e) => p.problems.push(Problem::new(shown.join(&unit.rel), &e)),
            },
            EntryKind::Link | EntryKind::Special => p.skipped.push(shown.join(&unit.rel)),
        }
    }
    // Newest first; a file without a time counts as the oldest.
    files.sort_by(|a, b| b.modified.cmp(&a.modified).then_with(|| a.rel.cmp(&b.rel)));
    let mut room = cap;
    for f in files {
        if f.len <= room {
            room -= f.len;
            p.chosen.push(f);
        } else {
            p.left_out.push(f);
        }
    }
    p
}

fn list(
    dir: &Dir,
    shown: &Path,
    rel: &Path,
    depth: usize,
    files: &mut Vec<LogFile>,
    p: &mut ArchivePlan,
) {
    if depth > MAX_LOG_DEPTH {
        p.problems.push(Problem::with_reason(
            shown.join(rel),
            format!("nested more than {MAX_LOG_DEPTH} folders deep"),
        ));
        return;
    }
    let mut lister = match dir.lister() {
        Ok(l) => l,
        Err(e) => return p.problems.push(Problem::new(shown.join(rel), &e)),
    };
    let mut batch: Vec<Entry> = Vec::new();
    loop {
        match dir.read_batch(&mut lister, &mut batch) {
            Ok(true) => {}
            Ok(false) => return,
            Err(e) => return p.problems.push(Problem::new(shown.join(rel), &e)),
        }
        for e in batch.drain(..) {
            let path = rel.join(&e.name);
            let meta = match dir.metadata_at(&e.name) {
                Ok(m) => m,
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
                Err(err) => {
                    p.problems.push(Problem::new(shown.join(&path), &err));
                    continue;
                }
            };
            match meta.kind {
                // A file with other names (a hard link) may be a file from outside the data
                // root: never copied out, like a link.
                EntryKind::File if meta.links > 1 => p.skipped.push(shown.join(&path)),
                EntryKind::File => files.push(LogFile {
                    rel: path,
                    len: meta.len,
                    modified: meta.modified,
                }),
                EntryKind::Dir => match dir.open_dir(&e.name, false) {
                    Ok(Opened::Dir(sub)) => list(&sub, shown, &path, depth + 1, files, p),
                    Ok(_) => p.skipped.push(shown.join(&path)),
                    Err(err) => p.problems.push(Problem::new(shown.join(&path), &err)),
                },
                EntryKind::Link | EntryKind::Special => p.skipped.push(shown.join(&path)),
            }
        }
    }
}

fn split(rel: &Path) -> (&Path, &std::ffi::OsStr) {
    (
        rel.parent().unwrap_or(Path::new("")),
        rel.file_name().unwrap_or_default(),
    )
}

/// The folder `parent` below `root` (`None`: the root itself), opened without following links.
fn open_parent(root: &Dir, parent: &Path) -> std::io::Result<Option<Dir>> {
    if parent.as_os_str().is_empty() {
        return Ok(None);
    }
    match root.open_relative(parent, false)? {
        Opened::Dir(d) => Ok(Some(d)),
        _ => Err(std::io::Error::other(
            "a folder on the way is a link or another file system",
        )),
    }
}

/// The outcome of archiving one data root's diagnostics.
#[derive(Clone, Debug, Default)]
pub struct Archived {
    /// The timestamped folder the files were copied into (none when there was nothing to copy).
    pub folder: Option<PathBuf>,
    pub tally: Tally,
    /// Left out by the cap (listed in the archive; removed all the same).
    pub left_out: Tally,
    /// Files that could not be copied (or no room to copy them); when any is here, the
    /// diagnostics must not be deleted.
    pub failures: Vec<Problem>,
    /// Links and special files that were deliberately not copied (never followed, never opened).
    pub skipped: Vec<PathBuf>,
    /// Older archives removed to keep within the limits.
    pub pruned: Vec<PathBuf>,
    /// Older archives that should have been pruned but could not be removed.
    pub prune_failures: Vec<Problem>,
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
    // At most 100 characters: an instance's label carries its folder's name, which may be as
    // long as a name can be (255 bytes), and the archive folder's name must still fit.
    let safe_label: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    for n in 1..1000 {
        let name = if n == 1 {
            format!("{stamp}_{safe_label}")
        } else {
            format!("{stamp}_{safe_label}-{n}")
        };
        let candidate = archives.join(name);
        match private_dir_builder(false).create(&candidate) {
            Ok(()) => return Ok(candidate),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other(
        "too many archives with the same timestamp",
    ))
}

/// Copies the files `plan` chose into a new archive folder (keeping their paths relative to the
/// data root), lists what the cap left out, then prunes older archives.
pub fn archive(
    root: &Dir,
    shown: &Path,
    plan: &ArchivePlan,
    archives: &Path,
    label: &str,
    limits: ArchiveLimits,
) -> Archived {
    let mut out = Archived {
        skipped: plan.skipped.clone(),
        failures: plan.problems.clone(),
        left_out: plan.left_out_tally(),
        ..Default::default()
    };
    if plan.is_empty() || !out.failures.is_empty() {
        return out;
    }
    let need = plan.chosen_tally().bytes;
    if let Some(free) = retention::available_space(archives)
        && free < need.saturating_add(FREE_SPACE_RESERVE)
    {
        out.failures.push(Problem::with_reason(
            archives,
            format!(
                "not enough free space to archive the logs ({} needed, {} free): the logs were kept",
                human_bytes(need + FREE_SPACE_RESERVE),
                human_bytes(free)
            ),
        ));
        return out;
    }
    let folder = match new_archive_folder(archives, label) {
        Ok(f) => f,
        Err(e) => {
            out.failures.push(Problem::new(archives, &e));
            return out;
        }
    };
    for f in &plan.chosen {
        match copy_one(root, &f.rel, &folder.join(&f.rel)) {
            Ok(bytes) => out.tally.add(Tally { files: 1, bytes }),
            Err(e) => out.failures.push(Problem::new(shown.join(&f.rel), &e)),
        }
    }
    if !plan.left_out.is_empty()
        && let Err(e) = write_left_out(&folder.join(NOT_ARCHIVED_LIST), shown, plan)
    {
        out.failures
            .push(Problem::new(folder.join(NOT_ARCHIVED_LIST), &e));
    }
    out.folder = Some(folder);
    let pruned = retention::prune(archives, limits.keep);
    out.pruned = pruned.removed;
    out.prune_failures = pruned
        .failures
        .into_iter()
        .map(|(path, reason)| Problem::with_reason(path, reason))
        .collect();
    out
}

/// Copies one log: its folders opened without links, the file itself only when it is a regular
/// file (never a link, never a FIFO), into a new file (never over an existing one).
///
/// Logs and the sign-in data a backup keeps are private: the copy is readable by the user only
/// (Unix: folders 0700, files with the original's owner permissions and nothing for group or
/// others), whatever the umask, so a 0600 `Cookies` never becomes readable to others in a copy.
fn copy_one(root: &Dir, rel: &Path, target: &Path) -> std::io::Result<u64> {
    let mut src = open_log(root, rel)?;
    if let Some(p) = target.parent() {
        private_dir_builder(true).create(p)?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut dst = opts.open(target)?;
    let bytes = std::io::copy(&mut src, &mut dst)?;
    dst.flush()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = src.metadata()?.permissions().mode() & 0o700;
        dst.set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    Ok(bytes)
}

/// Opens the diagnostics file at `rel` below `root` for copying out: its folders opened without
/// following links, the file itself only when it is a regular file (never a link, never a FIFO)
/// with no other name (a hard link may be a file from outside the data root).
pub fn open_log(root: &Dir, rel: &Path) -> std::io::Result<std::fs::File> {
    let (parent, name) = split(rel);
    let dir = open_parent(root, parent)?;
    let (src, meta) = dir.as_ref().unwrap_or(root).open_file(name)?;
    if meta.links > 1 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the file has other names (a hard link): not copied",
        ));
    }
    Ok(src)
}

/// Folders only the user can enter (Unix: 0700; elsewhere the folder inherits its parent's
/// access rules).
fn private_dir_builder(recursive: bool) -> std::fs::DirBuilder {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(recursive);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b
}

fn write_left_out(list: &Path, shown: &Path, plan: &ArchivePlan) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create_new(list)?);
    writeln!(
        f,
        "# Diagnostics that did not fit under this archive's cap (newest files were kept first).\n\
         # They were removed with the cache. bytes<TAB>modified<TAB>path"
    )?;
    for l in &plan.left_out {
        let when = l
            .modified
            .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
            .and_then(|d| time::OffsetDateTime::from_unix_timestamp(d.as_secs() as i64).ok())
            .and_then(|t| {
                t.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            })
            .unwrap_or_else(|| "-".into());
        writeln!(f, "{}\t{when}\t{}", l.len, shown.join(&l.rel).display())?;
    }
    f.flush()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::cache::classes::CacheClass;

    fn unit(rel: &str, kind: EntryKind) -> Unit {
        Unit {
            rel: rel.into(),
            class: CacheClass::Diagnostics,
            kind,
            tally: Tally::default(),
        }
    }

    fn age(p: &Path, secs_ago: u64) {
        let t = SystemTime::now() - std::time::Duration::from_secs(secs_ago);
        std::fs::File::options()
            .write(true)
            .open(p)
            .unwrap()
            .set_modified(t)
            .unwrap();
    }

    #[test]
    fn newest_files_first_within_the_cap_and_the_rest_listed() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join("root");
        std::fs::create_dir_all(root.join("logs/old")).unwrap();
        for (name, len, ago) in [
            ("logs/a.log", 400, 10),
            ("logs/b.log", 500, 20),
            ("logs/old/c.log", 300, 3000),
        ] {
            std::fs::write(root.join(name), vec![b'x'; len]).unwrap();
            age(&root.join(name), ago);
        }
        std::os::unix::fs::symlink("/etc/passwd", root.join("logs/link.log")).unwrap();
        // A hard link to a file outside the data root: its content is never copied out.
        std::fs::write(t.path().join("outside-secret"), b"secret").unwrap();
        std::fs::hard_link(t.path().join("outside-secret"), root.join("logs/hard.log")).unwrap();
        let dir = Dir::open_anchor(&std::fs::canonicalize(&root).unwrap()).unwrap();
        let u = unit("logs", EntryKind::Dir);
        let p = plan(&dir, &root, &[&u], 750);
        let chosen: Vec<_> = p.chosen.iter().map(|f| f.rel.clone()).collect();
        // a (newest, 400) fits; b (500) does not; c (300, oldest) still fits.
        assert_eq!(
            chosen,
            [PathBuf::from("logs/a.log"), PathBuf::from("logs/old/c.log")]
        );
        assert_eq!(
            p.left_out_tally(),
            Tally {
                files: 1,
                bytes: 500
            }
        );
        assert_eq!(p.skipped.len(), 2, "{:?}", p.skipped);
        let archives = t.path().join("archives");
        let a = archive(&dir, &root, &p, &archives, "x", ArchiveLimits::default());
        assert!(a.complete(), "{:?}", a.failures);
        let folder = a.folder.unwrap();
        assert_eq!(std::fs::read(folder.join("logs/a.log")).unwrap().len(), 400);
        assert!(!folder.join("logs/b.log").exists());
        assert!(!folder.join("logs/link.log").exists());
        assert!(!folder.join("logs/hard.log").exists());
        let list = std::fs::read_to_string(folder.join(NOT_ARCHIVED_LIST)).unwrap();
        assert!(
            list.contains("logs/b.log") && list.contains("500\t"),
            "{list}"
        );
    }

    #[test]
    fn a_label_as_long_as_a_name_can_be_still_gives_an_archive_folder() {
        let t = tempfile::tempdir().unwrap();
        let label = format!("teams-for-linux-user-data-dir-{}", "w".repeat(255));
        let folder = new_archive_folder(t.path(), &label).unwrap();
        assert!(folder.is_dir());
        assert!(folder.file_name().unwrap().len() <= 255);
    }

    #[test]
    fn archives_are_pruned_to_the_limits() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join("root");
        std::fs::create_dir_all(root.join("logs")).unwrap();
        std::fs::write(root.join("logs/a.log"), b"log").unwrap();
        let archives = t.path().join("archives");
        for i in 0..5 {
            std::fs::create_dir_all(archives.join(format!("2000-01-0{i}_10-00-00_old"))).unwrap();
        }
        let dir = Dir::open_anchor(&std::fs::canonicalize(&root).unwrap()).unwrap();
        let u = unit("logs", EntryKind::Dir);
        let p = plan(&dir, &root, &[&u], 1000);
        let limits = ArchiveLimits {
            cap: 1000,
            keep: Limits {
                keep: 3,
                max_bytes: 1 << 30,
            },
        };
        let a = archive(&dir, &root, &p, &archives, "x", limits);
        assert_eq!(a.pruned.len(), 3);
        assert_eq!(retention::entries(&archives).len(), 3);
        assert!(a.folder.unwrap().join("logs/a.log").is_file());
    }
}
