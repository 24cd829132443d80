//! Undoing a full reset: the backup taken just before it (the repair sequence calls
//! [`backup_before_reset`]), and putting that backup back (`teamsfix-cli restore`, "Undo the
//! last reset" in the app).
//!
//! A restore runs after the client was quit, only into the same data root (same client and
//! variant, still a real folder inside the user's folders, same owner: a root that changed kind
//! or owner is refused), and only adds: a file that exists in the data root now (Teams made it
//! again after the reset) is never overwritten. Work happens relative to a handle of the data
//! root opened without following links, on every OS ([`crate::platform::dir_handle::Dir`]:
//! folders opened and made relative to their parent's handle, files created exclusively, renamed
//! into place without replacing anything), so a link planted on the way is refused, never
//! followed.

use crate::cache::backup::{self, BackedUnit, BackupOf, Manifest, RootIdentity};
use crate::cache::clear::{ClearRequest, Mode};
use crate::cache::scan::Tally;
use crate::cache::tree_walk::Problem;
use crate::clients::discover::Installation;
use crate::clients::processes::{QuitOutcome, RunningProcess};
use crate::common::i18n::{Msg, tr_args};
use crate::platform::safety::CheckedRoot;
use crate::report::journal::Journal;
use serde::Serialize;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The hook of the repair sequence: before a full reset of `root` (not a dry run, not the quick
/// clean), keep a backup of what it removes in `backups` when `take` (else only record there
/// that this reset keeps nothing, so an undo does not put back an older backup). `Err`: no
/// backup could be made, so the reset must not run.
pub fn backup_before_reset(
    inst: &Installation,
    root: &CheckedRoot,
    req: &ClearRequest,
    backups: &Path,
    take: bool,
) -> Result<Option<backup::Backup>, Msg> {
    if req.mode != Mode::Full || req.dry_run {
        return Ok(None);
    }
    let label = inst.label();
    let of = BackupOf {
        label: &label,
        client: inst.id(),
        variant: inst.variant(),
        shown_root: &inst.shown_root,
    };
    if !take {
        backup::record_reset_without_backup(
            root,
            inst.root_spec.layout,
            &of,
            backups,
            req.archive_limits.keep,
        );
        return Ok(None);
    }
    let dir = backups;
    backup::take(root, inst.root_spec.layout, &of, dir, req.archive_limits)
}

/// A backup found in the backups folder.
#[derive(Clone, Debug)]
pub struct Found {
    pub folder: PathBuf,
    pub manifest: Manifest,
}

impl Found {
    /// A backup, not the record of a reset that kept nothing
    /// ([`backup::Manifest::nothing_kept`]).
    pub fn is_backup(&self) -> bool {
        !self.manifest.nothing_kept
    }

    /// When it was taken, as people read it (`2026-11-24 23:30`, local time: the folder's name
    /// starts with it), else the manifest's time.
    pub fn taken_at(&self) -> String {
        let name = self.name();
        match (name.get(..10), name.get(11..16)) {
            (Some(day), Some(time)) if name.as_bytes().get(10) == Some(&b'_') => {
                format!("{day} {}", time.replace('-', ":"))
            }
            _ => self.manifest.created_at.clone(),
        }
    }

    /// The folder's name: what `teamsfix-cli restore BACKUP` takes.
    pub fn name(&self) -> String {
        self.folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// Every backup, newest first, of the client `client` when given.
pub fn list(backups: &Path, client: Option<&str>) -> Vec<Found> {
    let mut all = list_with_records(backups, client);
    all.retain(Found::is_backup);
    all
}

/// Every backup and every record of a reset that kept nothing, newest first.
pub fn list_with_records(backups: &Path, client: Option<&str>) -> Vec<Found> {
    backup::list(backups)
        .into_iter()
        .filter(|(_, m)| client.is_none_or(|c| m.client == c))
        .map(|(folder, manifest)| Found { folder, manifest })
        .collect()
}

/// The backup that undoes the last full reset of each data root: the newest entry per root,
/// left out where that reset kept nothing (then an older backup is not "the last reset").
pub fn undoable_per_root(backups: &Path) -> Vec<Found> {
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for f in list_with_records(backups, None) {
        if seen.contains(&f.manifest.label) {
            continue;
        }
        seen.push(f.manifest.label.clone());
        if f.is_backup() {
            out.push(f);
        }
    }
    out
}

/// "The last reset": the backups of the newest run (one per data root), of `client` when given.
/// Records of roots that reset kept nothing of are in it too (`Found::is_backup` is false):
/// there is nothing to undo for those.
pub fn last_reset(backups: &Path, client: Option<&str>) -> Vec<Found> {
    let all = list_with_records(backups, client);
    let Some(run) = all.first().map(|f| f.manifest.run.clone()) else {
        return Vec::new();
    };
    let mut out: Vec<Found> = Vec::new();
    for f in all.into_iter().filter(|f| f.manifest.run == run) {
        if !out.iter().any(|o| o.manifest.label == f.manifest.label) {
            out.push(f);
        }
    }
    out
}

/// The backup named `name` (a folder name in the backups folder, or a path to one).
pub fn find(backups: &Path, name: &str) -> Option<Found> {
    let wanted = Path::new(name).file_name()?.to_string_lossy().into_owned();
    list(backups, None).into_iter().find(|f| f.name() == wanted)
}

/// What a restore did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RestoreOutcome {
    #[serde(serialize_with = "crate::common::lossy_path::one")]
    pub backup: PathBuf,
    /// When the backup was taken (just before the reset).
    pub backup_created_at: String,
    pub restored: Tally,
    /// Files that exist in the data root now: left alone, never overwritten.
    pub kept: Tally,
    /// The first of them (relative to the data root), for people.
    pub kept_paths: Vec<String>,
    pub failures: Vec<Problem>,
    /// What the backup could not hold (too big for its cap), so cannot be restored.
    pub not_in_backup: Vec<BackedUnit>,
}

#[derive(Clone, Debug)]
pub enum RestoreResult {
    Done(RestoreOutcome),
    /// These processes survived the quit; nothing was restored.
    StillRunning(Vec<RunningProcess>),
    /// Refused; nothing was changed. The message says why.
    Refused(Msg),
}

impl RestoreResult {
    /// `ok`, `partial`, `still_running`, `refused`.
    pub fn word(&self) -> &'static str {
        match self {
            RestoreResult::Done(o) if !o.failures.is_empty() => "partial",
            RestoreResult::Done(_) => "ok",
            RestoreResult::StillRunning(_) => "still_running",
            RestoreResult::Refused(_) => "refused",
        }
    }
}

/// How many kept files are named.
const KEPT_NAMED: usize = 50;

/// Puts the backup `found` back into the data root of `inst`, which the caller found again
/// just now (so its root was checked just now) and whose client it has quit (`quit`).
/// Journaled.
pub fn restore(
    inst: &Installation,
    found: &Found,
    quit: &QuitOutcome,
    journal: &Journal,
) -> RestoreResult {
    // Never two at once, nor during a clear that would remove what is put back.
    let _lock = match crate::platform::instance_lock::acquire(
        journal.data_dir,
        crate::platform::instance_lock::Job::Restore,
        std::time::Duration::ZERO,
    ) {
        Ok(l) => l,
        Err(m) => return RestoreResult::Refused(m),
    };
    let result = restore_unjournaled(inst, found, quit);
    let summary = |lang| match &result {
        RestoreResult::Done(o) => tr_args(
            lang,
            "helpdesk.restore.summary",
            &[
                ("files", &o.restored.files.to_string()),
                ("kept", &o.kept.files.to_string()),
                ("failures", &o.failures.len().to_string()),
            ],
        ),
        RestoreResult::StillRunning(_) => crate::common::i18n::tr(lang, "clear.still_running"),
        RestoreResult::Refused(m) => m.text(lang),
    };
    journal.write(
        "restore",
        &inst.label(),
        result.word(),
        summary,
        Some(found.folder.clone()),
    );
    result
}

fn restore_unjournaled(inst: &Installation, found: &Found, quit: &QuitOutcome) -> RestoreResult {
    let m = &found.manifest;
    if m.label != inst.label() {
        return RestoreResult::Refused(
            Msg::new("helpdesk.restore.other_root")
                .arg("backup", found.name())
                .arg("label", &m.label),
        );
    }
    // The running programs could not be known (or whose they are): Teams may still run. Never
    // restore under a running Teams.
    if let Some(e) = quit.refused {
        return RestoreResult::Refused(e.msg());
    }
    let survivors: Vec<RunningProcess> = quit
        .survivors
        .iter()
        .filter(|p| inst.owns(p))
        .cloned()
        .collect();
    if !survivors.is_empty() {
        return RestoreResult::StillRunning(survivors);
    }
    let root = match &inst.root {
        Ok(r) => r,
        Err(m) => return RestoreResult::Refused(m.clone()),
    };
    let now = match RootIdentity::of(root) {
        Ok(i) => i,
        Err(e) => {
            return RestoreResult::Refused(
                Msg::new("safety.unreadable")
                    .arg("path", inst.shown_root.display())
                    .arg("reason", crate::cache::tree_walk::describe_io_error(&e)),
            );
        }
    };
    if let Some(m) = changed(&m.root, &now, &inst.shown_root) {
        return RestoreResult::Refused(m);
    }
    let target = match target::Root::open(root) {
        Ok(t) => t,
        Err(e) => {
            return RestoreResult::Refused(
                Msg::new("helpdesk.restore.root_changed")
                    .arg("path", inst.shown_root.display())
                    .arg("was", crate::cache::tree_walk::describe_io_error(&e))
                    .arg("now", "?"),
            );
        }
    };
    let mut out = RestoreOutcome {
        backup: found.folder.clone(),
        backup_created_at: m.created_at.clone(),
        not_in_backup: m.left_out.clone(),
        ..Default::default()
    };
    put_back(&target, found, &mut out);
    RestoreResult::Done(out)
}

/// Why the data root is not the one the backup was taken from, if it is not.
fn changed(was: &RootIdentity, now: &RootIdentity, shown: &Path) -> Option<Msg> {
    let refuse = |what: &str, was: &str, now: &str| {
        Some(
            Msg::new("helpdesk.restore.root_changed")
                .arg("path", shown.display())
                .arg("was", format!("{what} {was}"))
                .arg("now", format!("{what} {now}")),
        )
    };
    if was.kind != now.kind {
        return refuse("", &was.kind, &now.kind);
    }
    match (&was.owner, &now.owner) {
        (Some(a), Some(b)) if a != b => refuse("owner", a, b),
        // The owner was known then and cannot be read now: refuse rather than guess.
        (Some(a), None) => refuse("owner", a, "?"),
        _ => None,
    }
}

/// Copies every file of the backup that is missing in the data root back into it, in three
/// steps: every file is written under a temporary name next to its place; the data is flushed to
/// disk once for all of them; then each is linked to its real name (which fails, and leaves the
/// file there alone, when Teams made that name again). A restore cut short leaves no half file
/// under a real name, and one flush instead of one per file keeps thousands of small files fast.
fn put_back(target: &target::Root, found: &Found, out: &mut RestoreOutcome) {
    struct Pending<'a> {
        rel: &'a str,
        dirs: Vec<OsString>,
        name: OsString,
        tmp: target::Temp,
        bytes: u64,
    }
    let mut pending: Vec<Pending> = Vec::new();
    let kept = |out: &mut RestoreOutcome, rel: &str, bytes: u64| {
        out.kept.add(Tally { files: 1, bytes });
        if out.kept_paths.len() < KEPT_NAMED {
            out.kept_paths.push(rel.to_string());
        }
    };
    let mut dirs_open = target::DirCache::default();
    for f in &found.manifest.files {
        // The exact names (a name that is not valid Unicode included); nothing that climbs.
        let path = f.path();
        let Some(parts) = path
            .components()
            .map(|c| match c {
                std::path::Component::Normal(n) => Some(n.to_os_string()),
                _ => None,
            })
            .collect::<Option<Vec<OsString>>>()
        else {
            continue;
        };
        let Some((name, dirs)) = parts.split_last() else {
            continue;
        };
        let source = found.folder.join(parts.iter().collect::<PathBuf>());
        let fail = |out: &mut RestoreOutcome, e: &std::io::Error| {
            out.failures.push(Problem::new(&f.rel, e));
        };
        let dir = match dirs_open.get(target, dirs) {
            Ok(d) => d,
            Err(e) => {
                fail(out, &e);
                continue;
            }
        };
        match target.write_temp(dir, name, &source, f.modified()) {
            Ok(target::Written::Exists) => kept(out, &f.rel, f.bytes),
            Ok(target::Written::Temp(tmp, bytes)) => pending.push(Pending {
                rel: &f.rel,
                dirs: dirs.to_vec(),
                name: name.clone(),
                tmp,
                bytes,
            }),
            Err(e) => fail(out, &e),
        }
    }
    let synced = target.sync();
    for p in pending {
        let dir = match dirs_open.get(target, &p.dirs) {
            Ok(d) => d,
            Err(e) => {
                out.failures.push(Problem::new(p.rel, &e));
                continue;
            }
        };
        if let Err(e) = &synced {
            target.discard(dir, &p.tmp);
            out.failures.push(Problem::new(p.rel, e));
            continue;
        }
        match target.link(dir, &p.tmp, &p.name) {
            Ok(true) => out.restored.add(Tally {
                files: 1,
                bytes: p.bytes,
            }),
            Ok(false) => kept(out, p.rel, p.bytes),
            Err(e) => out.failures.push(Problem::new(p.rel, &e)),
        }
    }
}

/// The data root as a handle ([`root_handle::open`]: opened from the top of its volume without
/// following a link, and checked to be the folder that was checked), and creating in it relative
/// to handles, the same way on every OS.
mod target {
    use crate::platform::dir_handle::{Dir, Opened};
    use crate::platform::root_handle;
    use crate::platform::safety::CheckedRoot;
    use std::ffi::{OsStr, OsString};
    use std::io::{Read, Write};
    use std::path::Path;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::SystemTime;

    /// The outcome of writing one file under its temporary name.
    pub enum Written {
        /// Something is at the real name already: left alone, nothing written.
        Exists,
        /// Written (not yet flushed) under this temporary name; the bytes it holds.
        Temp(Temp, u64),
    }

    /// The temporary name of a file being restored, in the same folder as its real name. Short
    /// whatever the real name is: a name near the 255-byte limit must still get one.
    pub struct Temp(String);

    fn temp_name() -> String {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        format!(
            ".teamsfix-restore-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        )
    }

    fn in_the_way() -> std::io::Error {
        std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "a link or a file is in the way; left alone",
        )
    }

    /// The data root, opened once.
    pub struct Root {
        dir: Dir,
    }

    /// The folder handle of the last file, kept for the next one (files of one folder follow
    /// each other in the manifest). No folders: the root itself.
    #[derive(Default)]
    pub struct DirCache {
        dirs: Vec<OsString>,
        handle: Option<Dir>,
    }

    impl DirCache {
        pub fn get<'a>(
            &'a mut self,
            root: &'a Root,
            dirs: &[OsString],
        ) -> std::io::Result<&'a Dir> {
            if dirs.is_empty() {
                return Ok(&root.dir);
            }
            if self.handle.is_none() || self.dirs != dirs {
                self.handle = None;
                self.handle = Some(root.dir(dirs)?);
                self.dirs = dirs.to_vec();
            }
            Ok(self.handle.as_ref().expect("set just above"))
        }
    }

    /// A file of our own backup, opened without following a link and without blocking.
    fn open_source(path: &Path) -> std::io::Result<std::fs::File> {
        let mut opts = std::fs::OpenOptions::new();
        opts.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
        }
        let f = opts.open(path)?;
        if !f.metadata()?.is_file() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "not a regular file",
            ));
        }
        Ok(f)
    }

    /// Copies `source` into the new file `dest` and gives it the backup's permissions and time.
    fn fill(mut dest: std::fs::File, source: &Path, modified: SystemTime) -> std::io::Result<u64> {
        let mut src = open_source(source)?;
        let perms = src.metadata()?.permissions();
        let mut buf = vec![0u8; 256 * 1024];
        let mut n = 0u64;
        loop {
            let k = src.read(&mut buf)?;
            if k == 0 {
                break;
            }
            dest.write_all(&buf[..k])?;
            n += k as u64;
        }
        dest.set_permissions(perms)?;
        dest.set_modified(modified)?;
        // Windows has no flush for a whole volume that a user may call: each file is flushed.
        #[cfg(not(unix))]
        dest.sync_all()?;
        Ok(n)
    }

    impl Root {
        /// Opens the checked data root (see the module comment).
        pub fn open(root: &CheckedRoot) -> std::io::Result<Root> {
            Ok(Root {
                dir: root_handle::open(root)?,
            })
        }

        /// The folder `dirs` below the root, made where missing; a link, a file or another file
        /// system on the way is refused, never followed or entered.
        pub fn dir(&self, dirs: &[OsString]) -> std::io::Result<Dir> {
            let mut held: Option<Dir> = None;
            for name in dirs {
                let at = held.as_ref().unwrap_or(&self.dir);
                let next = match at.open_dir(name, false) {
                    Ok(Opened::Dir(d)) => d,
                    Ok(Opened::NotDir) => return Err(in_the_way()),
                    Ok(Opened::MountPoint) => {
                        return Err(std::io::Error::other(
                            "another file system is mounted here: not entered",
                        ));
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        match at.create_dir(name) {
                            Ok(d) => d,
                            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                                match at.open_dir(name, false)? {
                                    Opened::Dir(d) => d,
                                    _ => return Err(in_the_way()),
                                }
                            }
                            Err(e) => return Err(e),
                        }
                    }
                    Err(e) => return Err(e),
                };
                held = Some(next);
            }
            held.map_or_else(|| Err(std::io::ErrorKind::InvalidInput.into()), Ok)
        }

        /// Writes the content of `source` under a temporary name in `dir`, unless something is
        /// at `name` already.
        pub fn write_temp(
            &self,
            dir: &Dir,
            name: &OsStr,
            source: &Path,
            modified: SystemTime,
        ) -> std::io::Result<Written> {
            match dir.metadata_at(name) {
                Ok(_) => return Ok(Written::Exists),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
            let tmp = temp_name();
            let file = dir.create_file(OsStr::new(&tmp))?;
            match fill(file, source, modified) {
                Ok(bytes) => Ok(Written::Temp(Temp(tmp), bytes)),
                Err(e) => {
                    let _ = dir.remove_entry(OsStr::new(&tmp));
                    Err(e)
                }
            }
        }

        /// Flushes everything written so far to disk (once for the whole file system where the
        /// OS can; see [`Dir::sync_filesystem`]).
        pub fn sync(&self) -> std::io::Result<()> {
            self.dir.sync_filesystem()
        }

        /// Gives the temporary file its real name: `Ok(false)` when something is there (the
        /// rename never replaces a name; the temporary file is removed then).
        pub fn link(&self, dir: &Dir, tmp: &Temp, name: &OsStr) -> std::io::Result<bool> {
            let t = OsStr::new(&tmp.0);
            match dir.rename(t, dir, name) {
                Ok(()) => Ok(true),
                Err(e) => {
                    let _ = dir.remove_entry(t);
                    if e.kind() == std::io::ErrorKind::AlreadyExists {
                        Ok(false)
                    } else {
                        Err(e)
                    }
                }
            }
        }

        /// Removes a temporary file that will not be linked.
        pub fn discard(&self, dir: &Dir, tmp: &Temp) {
            let _ = dir.remove_entry(OsStr::new(&tmp.0));
        }
    }
}
