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
    let survivors: Vec<RunningProcess> = quit
        .survivors
        .iter()
        .filter(|p| p.client == inst.id())
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

/// Copies every file of the backup that is missing in the data root back into it.
fn put_back(target: &target::Root, found: &Found, out: &mut RestoreOutcome) {
    for f in &found.manifest.files {
        let parts: Vec<&str> = f.rel.split('/').filter(|p| !p.is_empty()).collect();
        let Some((name, dirs)) = parts.split_last() else {
            continue;
        };
        if parts.iter().any(|p| *p == "." || *p == "..") {
            continue;
        }
        let source = found.folder.join(parts.iter().collect::<PathBuf>());
        let shown = PathBuf::from(&f.rel);
        let fail = |out: &mut RestoreOutcome, e: &std::io::Error| {
            out.failures.push(Problem::new(&shown, e));
        };
        let dir = match target.dir(dirs) {
            Ok(d) => d,
            Err(e) => {
                fail(out, &e);
                continue;
            }
        };
        match target.create(&dir, name, &source, f.modified()) {
            Ok(target::Created::Yes(bytes)) => out.restored.add(Tally { files: 1, bytes }),
            Ok(target::Created::Exists) => {
                out.kept.add(Tally {
                    files: 1,
                    bytes: f.bytes,
                });
                if out.kept_paths.len() < KEPT_NAMED {
                    out.kept_paths.push(f.rel.clone());
                }
            }
            Err(e) => fail(out, &e),
        }
    }
}

/// The data root as a handle, and creating in it without following links.
mod target {
    use std::io::{Read, Write};
    use std::path::Path;
    use std::time::SystemTime;

    pub enum Created {
        Yes(u64),
        /// Something is at that name already: left alone.
        Exists,
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

    /// Copies `source` into the new file `dest` and gives it the backup's time; the file is
    /// removed again by `undo` if that fails half-way.
    fn fill(
        mut dest: std::fs::File,
        source: &Path,
        modified: SystemTime,
        undo: impl FnOnce(),
    ) -> std::io::Result<u64> {
        let result = (|| {
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
            dest.sync_all()?;
            Ok(n)
        })();
        if result.is_err() {
            undo();
        }
        result
    }

    #[cfg(unix)]
    pub use unix::Root;

    #[cfg(unix)]
    mod unix {
        use super::{Created, fill, in_the_way};
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

        fn cstr(s: &str) -> std::io::Result<CString> {
            CString::new(s).map_err(|_| std::io::Error::from(std::io::ErrorKind::InvalidInput))
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
                let e = std::io::Error::last_os_error();
                // A link (ELOOP) or a file (ENOTDIR) where a folder belongs.
                return Err(match e.raw_os_error() {
                    Some(libc::ELOOP) | Some(libc::ENOTDIR) => in_the_way(),
                    _ => e,
                });
            }
            // SAFETY: `fd` was just returned by openat and is owned by nobody else.
            Ok(unsafe { OwnedFd::from_raw_fd(fd) })
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
                    return Err(std::io::Error::last_os_error());
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
            pub fn dir(&self, dirs: &[&str]) -> std::io::Result<OwnedFd> {
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
                                let e = std::io::Error::last_os_error();
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

            /// Creates `name` in `dir` (never replacing anything there) with the content of
            /// `source`: written under a temporary name first and then linked into place
            /// (`linkat` fails when the name exists), so an interrupted restore never leaves a
            /// half-written file under the real name, which a later restore would keep.
            pub fn create(
                &self,
                dir: &OwnedFd,
                name: &str,
                source: &Path,
                modified: SystemTime,
            ) -> std::io::Result<Created> {
                let c = cstr(name)?;
                if exists_at(dir, &c)? {
                    return Ok(Created::Exists);
                }
                let tmp = cstr(&format!(".{name}.teamsfix-restore-{}", std::process::id()))?;
                let file = create_at(dir, &tmp)?;
                let remove_tmp = || {
                    // SAFETY: a valid directory fd and the name of the file created just now.
                    unsafe { libc::unlinkat(dir.as_raw_fd(), tmp.as_ptr(), 0) };
                };
                let bytes = fill(file, source, modified, remove_tmp)?;
                // SAFETY: a valid directory fd for both names, both NUL-terminated.
                let rc = unsafe {
                    libc::linkat(
                        dir.as_raw_fd(),
                        tmp.as_ptr(),
                        dir.as_raw_fd(),
                        c.as_ptr(),
                        0,
                    )
                };
                let linked = if rc == 0 {
                    Ok(Created::Yes(bytes))
                } else {
                    let e = std::io::Error::last_os_error();
                    match e.kind() {
                        std::io::ErrorKind::AlreadyExists => Ok(Created::Exists),
                        _ => Err(e),
                    }
                };
                remove_tmp();
                match linked {
                    // A file system without hard links: create the file under its own name.
                    Err(e)
                        if matches!(
                            e.raw_os_error(),
                            Some(libc::EPERM) | Some(libc::EOPNOTSUPP)
                        ) =>
                    {
                        let file = match create_at(dir, &c) {
                            Ok(f) => f,
                            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                                return Ok(Created::Exists);
                            }
                            Err(e) => return Err(e),
                        };
                        let undo = || {
                            // SAFETY: as above, the file created just now.
                            unsafe { libc::unlinkat(dir.as_raw_fd(), c.as_ptr(), 0) };
                        };
                        fill(file, source, modified, undo).map(Created::Yes)
                    }
                    other => other,
                }
            }
        }

        /// True when anything (a link included) is at `name` in `dir`.
        fn exists_at(dir: &OwnedFd, name: &CString) -> std::io::Result<bool> {
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
            let e = std::io::Error::last_os_error();
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
                return Err(std::io::Error::last_os_error());
            }
            // SAFETY: `fd` was just returned by openat and is owned by nobody else.
            Ok(std::fs::File::from(unsafe { OwnedFd::from_raw_fd(fd) }))
        }
    }

    #[cfg(not(unix))]
    pub use other::Root;

    /// Without `openat`: every component is checked with `symlink_metadata` before it is
    /// used, and files are created with `create_new` (which fails on anything at the name,
    /// a link included).
    #[cfg(not(unix))]
    mod other {
        use super::{Created, fill, in_the_way};
        use crate::cache::backup::RootIdentity;
        use std::path::{Path, PathBuf};
        use std::time::SystemTime;

        pub struct Root {
            real: PathBuf,
        }

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

            pub fn dir(&self, dirs: &[&str]) -> std::io::Result<PathBuf> {
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

            pub fn create(
                &self,
                dir: &PathBuf,
                name: &str,
                source: &Path,
                modified: SystemTime,
            ) -> std::io::Result<Created> {
                let path = dir.join(name);
                if std::fs::symlink_metadata(&path).is_ok() {
                    return Ok(Created::Exists);
                }
                // Written under a temporary name, then linked into place (fails when the name
                // exists), as on Unix.
                let tmp = dir.join(format!(".{name}.teamsfix-restore-{}", std::process::id()));
                if let Ok(file) = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&tmp)
                {
                    let bytes = fill(file, source, modified, || {
                        let _ = std::fs::remove_file(&tmp);
                    })?;
                    let linked = std::fs::hard_link(&tmp, &path);
                    let _ = std::fs::remove_file(&tmp);
                    match linked {
                        Ok(()) => return Ok(Created::Yes(bytes)),
                        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                            return Ok(Created::Exists);
                        }
                        Err(_) => {}
                    }
                }
                let file = match std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)
                {
                    Ok(f) => f,
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        return Ok(Created::Exists);
                    }
                    Err(e) => return Err(e),
                };
                let undo = || {
                    let _ = std::fs::remove_file(&path);
                };
                fill(file, source, modified, undo).map(Created::Yes)
            }
        }
    }
}
