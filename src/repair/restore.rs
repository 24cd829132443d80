//! Undoing a full reset: the backup taken just before it (the repair sequence calls
//! [`backup_before_reset`]), and putting that backup back (`teamsfix-cli restore`, "Undo the
//! last reset" in the app).
//!
//! A restore runs after the client was quit, only into the same data root (same client and
//! variant, still a real folder inside the user's folders, same owner: a root that changed kind
//! or owner is refused), and only adds: a file that exists in the data root now (Teams made it
//! again after the reset) is never overwritten. Work happens relative to a handle of the data
//! root opened without following links (Unix: `openat`/`mkdirat` with `O_NOFOLLOW`, files
//! created with `O_EXCL`), so a link planted on the way is refused, never followed.

use crate::cache::backup::{self, BackedUnit, BackupOf, Manifest, RootIdentity};
use crate::cache::clear::{ClearRequest, Mode};
use crate::cache::scan::Tally;
use crate::cache::tree_walk::Problem;
use crate::clients::discover::Installation;
use crate::clients::processes::{QuitOutcome, RunningProcess};
use crate::common::i18n::{Msg, tr_args};
use crate::platform::retention;
use crate::platform::safety::CheckedRoot;
use crate::report::journal::Journal;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The hook of the repair sequence: before a full reset of `root` (not a dry run, not the quick
/// clean), keep a backup of what it removes in `backups`. `Err`: no backup could be made, so the
/// reset must not run.
pub fn backup_before_reset(
    inst: &Installation,
    root: &CheckedRoot,
    req: &ClearRequest,
    backups: Option<&Path>,
) -> Result<Option<backup::Backup>, Msg> {
    let Some(dir) = backups else { return Ok(None) };
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
    backup::take(
        root,
        inst.root_spec.layout,
        &of,
        dir,
        retention::DEFAULT_ENTRY_CAP,
    )
}

/// A backup found in the backups folder.
#[derive(Clone, Debug)]
pub struct Found {
    pub folder: PathBuf,
    pub manifest: Manifest,
}

impl Found {
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
    backup::list(backups)
        .into_iter()
        .filter(|(_, m)| client.is_none_or(|c| m.client == c))
        .map(|(folder, manifest)| Found { folder, manifest })
        .collect()
}

/// "The last reset": the backups of the newest run (one per data root), of `client` when given.
pub fn last_reset(backups: &Path, client: Option<&str>) -> Vec<Found> {
    let all = list(backups, client);
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

/// The newest backup of one data root (`client-variant`).
pub fn newest_for(backups: &Path, label: &str) -> Option<Found> {
    list(backups, None)
        .into_iter()
        .find(|f| f.manifest.label == label)
}

/// The backup named `name` (a folder name in the backups folder, or a path to one).
pub fn find(backups: &Path, name: &str) -> Option<Found> {
    let wanted = Path::new(name).file_name()?.to_string_lossy().into_owned();
    list(backups, None).into_iter().find(|f| f.name() == wanted)
}

/// What a restore did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RestoreOutcome {
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
    let result = restore_unjournaled(inst, found, quit);
    let lang = journal.lang;
    let summary = match &result {
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
    let target = match target::Root::open(&root.real, &now) {
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
        dirs: Vec<&'a str>,
        name: &'a str,
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
        let parts: Vec<&str> = f.rel.split('/').filter(|p| !p.is_empty()).collect();
        let Some((name, dirs)) = parts.split_last() else {
            continue;
        };
        if parts.iter().any(|p| *p == "." || *p == "..") {
            continue;
        }
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
                name,
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
        match target.link(dir, &p.tmp, p.name) {
            Ok(true) => out.restored.add(Tally {
                files: 1,
                bytes: p.bytes,
            }),
            Ok(false) => kept(out, p.rel, p.bytes),
            Err(e) => out.failures.push(Problem::new(p.rel, &e)),
        }
    }
}

/// The data root as a handle, and creating in it without following links.
mod target {
    use std::io::{Read, Write};
    use std::path::Path;
    use std::time::SystemTime;

    /// The outcome of writing one file under its temporary name.
    pub enum Written {
        /// Something is at the real name already: left alone, nothing written.
        Exists,
        /// Written (not yet flushed) under this temporary name; the bytes it holds.
        Temp(Temp, u64),
    }

    /// The temporary name of a file being restored, in the same folder as its real name.
    pub struct Temp(String);

    fn temp_name(name: &str) -> String {
        format!(".{name}.teamsfix-restore-{}", std::process::id())
    }

    /// The folder handle of the last file, kept for the next one (files of one folder follow
    /// each other in the manifest).
    #[derive(Default)]
    pub struct DirCache {
        dirs: Vec<String>,
        handle: Option<Dir>,
    }

    impl DirCache {
        pub fn get(&mut self, root: &Root, dirs: &[&str]) -> std::io::Result<&Dir> {
            if self.handle.is_none() || self.dirs != dirs {
                self.handle = None;
                self.handle = Some(root.dir(dirs)?);
                self.dirs = dirs.iter().map(|d| d.to_string()).collect();
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

    fn in_the_way() -> std::io::Error {
        std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "a link or a file is in the way; left alone",
        )
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

    #[cfg(unix)]
    pub use unix::{Dir, Root};

    #[cfg(unix)]
    mod unix {
        use super::{Temp, Written, fill, in_the_way, temp_name};
        use crate::cache::backup::RootIdentity;
        use std::ffi::CString;
        use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::MetadataExt;
        use std::path::Path;
        use std::time::SystemTime;

        /// The data root, opened once without following links.
        pub struct Root {
            fd: OwnedFd,
        }

        /// A folder below the root, as a handle.
        pub type Dir = OwnedFd;

        fn cstr(s: &str) -> std::io::Result<CString> {
            CString::new(s).map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidInput))
        }

        fn last_error() -> std::io::Error {
            std::io::Error::last_os_error()
        }

        fn open_dir_at(dir: &OwnedFd, name: &CString) -> std::io::Result<OwnedFd> {
            // SAFETY: a valid directory fd and a NUL-terminated name; the returned fd is owned.
            let fd = unsafe {
                libc::openat(
                    dir.as_raw_fd(),
                    name.as_ptr(),
                    libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC,
                )
            };
            if fd < 0 {
                let e = last_error();
                // A link (ELOOP) or a file (ENOTDIR) where a folder belongs.
                return Err(match e.raw_os_error() {
                    Some(libc::ELOOP) | Some(libc::ENOTDIR) => in_the_way(),
                    _ => e,
                });
            }
            // SAFETY: `fd` was just returned by openat and is owned by nobody else.
            Ok(unsafe { OwnedFd::from_raw_fd(fd) })
        }

        /// True when anything (a link included) is at `name` in `dir`.
        fn exists_at(dir: &OwnedFd, name: &CString) -> std::io::Result<bool> {
            // SAFETY: a zeroed stat is a valid out value for fstatat.
            let mut st: libc::stat = unsafe { std::mem::zeroed() };
            // SAFETY: a valid directory fd, a NUL-terminated name and a stat out pointer.
            let rc = unsafe {
                libc::fstatat(
                    dir.as_raw_fd(),
                    name.as_ptr(),
                    &mut st,
                    libc::AT_SYMLINK_NOFOLLOW,
                )
            };
            if rc == 0 {
                return Ok(true);
            }
            let e = last_error();
            if e.kind() == std::io::ErrorKind::NotFound {
                Ok(false)
            } else {
                Err(e)
            }
        }

        /// A new file `name` in `dir`; fails when anything is there (a link is never followed).
        fn create_at(dir: &OwnedFd, name: &CString) -> std::io::Result<std::fs::File> {
            // SAFETY: a valid directory fd and a NUL-terminated name; the fd is owned below.
            let fd = unsafe {
                libc::openat(
                    dir.as_raw_fd(),
                    name.as_ptr(),
                    libc::O_WRONLY
                        | libc::O_CREAT
                        | libc::O_EXCL
                        | libc::O_NOFOLLOW
                        | libc::O_CLOEXEC,
                    0o600 as libc::c_uint,
                )
            };
            if fd < 0 {
                return Err(last_error());
            }
            // SAFETY: `fd` was just returned by openat and is owned by nobody else.
            Ok(std::fs::File::from(unsafe { OwnedFd::from_raw_fd(fd) }))
        }

        fn unlink_at(dir: &OwnedFd, name: &CString) {
            // SAFETY: a valid directory fd and a NUL-terminated name of a file we created.
            unsafe { libc::unlinkat(dir.as_raw_fd(), name.as_ptr(), 0) };
        }

        impl Root {
            /// Opens the checked data root `real` and makes sure the handle is the folder that
            /// was checked (same device and inode as its path shows now, same owner as `now`).
            pub fn open(real: &Path, now: &RootIdentity) -> std::io::Result<Root> {
                let c = CString::new(real.as_os_str().as_bytes())
                    .map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidInput))?;
                // SAFETY: a NUL-terminated path; the returned fd is owned below.
                let fd = unsafe {
                    libc::open(
                        c.as_ptr(),
                        libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC,
                    )
                };
                if fd < 0 {
                    return Err(last_error());
                }
                // SAFETY: as above.
                let fd = unsafe { OwnedFd::from_raw_fd(fd) };
                let file = std::fs::File::from(fd.try_clone()?);
                let held = file.metadata()?;
                let path = std::fs::symlink_metadata(real)?;
                let owner = Some(format!("uid:{}", held.uid()));
                if held.dev() != path.dev() || held.ino() != path.ino() || owner != now.owner {
                    return Err(std::io::Error::other(
                        "the data folder changed while checked",
                    ));
                }
                Ok(Root { fd })
            }

            /// The folder `dirs` below the root, made where missing; a link or a file on the way
            /// is refused.
            pub fn dir(&self, dirs: &[&str]) -> std::io::Result<Dir> {
                let mut cur = self.fd.try_clone()?;
                for d in dirs {
                    let name = cstr(d)?;
                    cur = match open_dir_at(&cur, &name) {
                        Ok(fd) => fd,
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                            // SAFETY: a valid directory fd and a NUL-terminated name.
                            let rc =
                                unsafe { libc::mkdirat(cur.as_raw_fd(), name.as_ptr(), 0o700) };
                            if rc != 0 {
                                let e = last_error();
                                if e.kind() != std::io::ErrorKind::AlreadyExists {
                                    return Err(e);
                                }
                            }
                            open_dir_at(&cur, &name)?
                        }
                        Err(e) => return Err(e),
                    };
                }
                Ok(cur)
            }

            /// Writes the content of `source` under a temporary name next to `name` in `dir`,
            /// unless something is at `name` already.
            pub fn write_temp(
                &self,
                dir: &Dir,
                name: &str,
                source: &Path,
                modified: SystemTime,
            ) -> std::io::Result<Written> {
                if exists_at(dir, &cstr(name)?)? {
                    return Ok(Written::Exists);
                }
                let tmp = temp_name(name);
                let c = cstr(&tmp)?;
                let file = create_at(dir, &c)?;
                match fill(file, source, modified) {
                    Ok(bytes) => Ok(Written::Temp(Temp(tmp), bytes)),
                    Err(e) => {
                        unlink_at(dir, &c);
                        Err(e)
                    }
                }
            }

            /// Flushes everything written so far to disk: once for the whole file system on
            /// Linux (`syncfs`), everything elsewhere (`sync`).
            pub fn sync(&self) -> std::io::Result<()> {
                #[cfg(target_os = "linux")]
                {
                    // SAFETY: a valid fd of a folder on the file system to flush.
                    if unsafe { libc::syncfs(self.fd.as_raw_fd()) } != 0 {
                        return Err(last_error());
                    }
                }
                #[cfg(not(target_os = "linux"))]
                // SAFETY: sync has no preconditions.
                unsafe {
                    libc::sync()
                };
                Ok(())
            }

            /// Gives the temporary file its real name: `Ok(false)` when something is there
            /// (linkat never replaces a name), and the temporary name goes either way.
            pub fn link(&self, dir: &Dir, tmp: &Temp, name: &str) -> std::io::Result<bool> {
                let t = cstr(&tmp.0)?;
                let n = cstr(name)?;
                // SAFETY: a valid directory fd for both names, both NUL-terminated.
                let rc = unsafe {
                    libc::linkat(dir.as_raw_fd(), t.as_ptr(), dir.as_raw_fd(), n.as_ptr(), 0)
                };
                let result = if rc == 0 {
                    Ok(true)
                } else {
                    let e = last_error();
                    match e.raw_os_error() {
                        Some(libc::EEXIST) => Ok(false),
                        // A file system without hard links: rename, after a last look (Teams
                        // is not running, so nothing makes the name in between).
                        Some(libc::EPERM) | Some(libc::EOPNOTSUPP) | Some(libc::EMLINK) => {
                            if exists_at(dir, &n)? {
                                Ok(false)
                            } else {
                                // SAFETY: as above.
                                let rc = unsafe {
                                    libc::renameat(
                                        dir.as_raw_fd(),
                                        t.as_ptr(),
                                        dir.as_raw_fd(),
                                        n.as_ptr(),
                                    )
                                };
                                if rc == 0 { Ok(true) } else { Err(last_error()) }
                            }
                        }
                        _ => Err(e),
                    }
                };
                unlink_at(dir, &t);
                result
            }

            /// Removes a temporary file that will not be linked.
            pub fn discard(&self, dir: &Dir, tmp: &Temp) {
                if let Ok(t) = cstr(&tmp.0) {
                    unlink_at(dir, &t);
                }
            }
        }
    }

    #[cfg(not(unix))]
    pub use other::{Dir, Root};

    /// Without `openat`: every component is checked with `symlink_metadata` before it is used,
    /// and files are created with `create_new` (which fails on anything at the name, a link
    /// included) and linked with `hard_link` (which fails when the name exists).
    #[cfg(not(unix))]
    mod other {
        use super::{Temp, Written, fill, in_the_way, temp_name};
        use crate::cache::backup::RootIdentity;
        use std::path::{Path, PathBuf};
        use std::time::SystemTime;

        pub struct Root {
            real: PathBuf,
        }

        pub type Dir = PathBuf;

        fn real_folder(p: &Path) -> std::io::Result<bool> {
            match std::fs::symlink_metadata(p) {
                Ok(m) if m.is_dir() && !m.file_type().is_symlink() => Ok(true),
                Ok(_) => Err(in_the_way()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
                Err(e) => Err(e),
            }
        }

        impl Root {
            pub fn open(real: &Path, _now: &RootIdentity) -> std::io::Result<Root> {
                if !real_folder(real)? {
                    return Err(std::io::ErrorKind::NotFound.into());
                }
                Ok(Root {
                    real: real.to_path_buf(),
                })
            }

            pub fn dir(&self, dirs: &[&str]) -> std::io::Result<Dir> {
                let mut cur = self.real.clone();
                for d in dirs {
                    cur.push(d);
                    if !real_folder(&cur)? {
                        match std::fs::create_dir(&cur) {
                            Ok(()) => {}
                            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                            Err(e) => return Err(e),
                        }
                        real_folder(&cur)?;
                    }
                }
                Ok(cur)
            }

            pub fn write_temp(
                &self,
                dir: &Dir,
                name: &str,
                source: &Path,
                modified: SystemTime,
            ) -> std::io::Result<Written> {
                if std::fs::symlink_metadata(dir.join(name)).is_ok() {
                    return Ok(Written::Exists);
                }
                let tmp = temp_name(name);
                let path = dir.join(&tmp);
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)?;
                match fill(file, source, modified) {
                    Ok(bytes) => Ok(Written::Temp(Temp(tmp), bytes)),
                    Err(e) => {
                        let _ = std::fs::remove_file(&path);
                        Err(e)
                    }
                }
            }

            /// Each file was flushed when it was written.
            pub fn sync(&self) -> std::io::Result<()> {
                Ok(())
            }

            pub fn link(&self, dir: &Dir, tmp: &Temp, name: &str) -> std::io::Result<bool> {
                let t = dir.join(&tmp.0);
                let result = match std::fs::hard_link(&t, dir.join(name)) {
                    Ok(()) => Ok(true),
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
                    Err(e) => Err(e),
                };
                let _ = std::fs::remove_file(&t);
                result
            }

            pub fn discard(&self, dir: &Dir, tmp: &Temp) {
                let _ = std::fs::remove_file(dir.join(&tmp.0));
            }
        }
    }
}
