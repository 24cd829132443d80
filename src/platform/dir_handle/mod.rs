//! A folder opened without following links, and everything teamsfix does inside a data root,
//! done relative to such handles instead of by path.
//!
//! A path is looked up again by the OS on every call, so a folder swapped for a link (or, on
//! Windows, a junction) between two calls redirects the next call to the link's target. A handle
//! stays with the folder it was opened on. Every call here names one entry of one opened folder:
//! a link met on the way is never followed, it is reported as [`Opened::NotDir`] and can only be
//! removed as itself (Unix: `openat` with `O_NOFOLLOW | O_DIRECTORY`, `unlinkat`, `renameat`,
//! `mkdirat`; Windows: `NtCreateFile` relative to the parent handle with
//! `FILE_OPEN_REPARSE_POINT`, the attributes and reparse tag checked on the opened handle, deletion
//! by handle). The same idea as std's fix of CVE-2022-21658 in `remove_dir_all`.

use std::ffi::{OsStr, OsString};
use std::time::SystemTime;

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as imp;
#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as imp;

pub use imp::Lister;

/// What an entry is, read without following links.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    Dir,
    File,
    /// A symbolic link, or on Windows a junction, mount point or other name-surrogate reparse
    /// point: removed as itself, never followed.
    Link,
    /// A FIFO, socket or device: never opened.
    Special,
}

impl EntryKind {
    pub fn of(ft: std::fs::FileType) -> EntryKind {
        if ft.is_symlink() {
            EntryKind::Link
        } else if ft.is_dir() {
            EntryKind::Dir
        } else if ft.is_file() {
            EntryKind::File
        } else {
            EntryKind::Special
        }
    }
}

/// One entry of a folder listing.
#[derive(Clone, Debug)]
pub struct Entry {
    pub name: OsString,
    /// `None` when the listing does not say (then [`Dir::metadata_at`] tells).
    pub kind: Option<EntryKind>,
    /// The size, when the listing carries it (Windows); otherwise read with `metadata_at`.
    pub len: Option<u64>,
}

/// What `metadata_at` and `metadata` read, without following links.
#[derive(Clone, Copy, Debug)]
pub struct Meta {
    pub kind: EntryKind,
    pub len: u64,
    pub modified: Option<SystemTime>,
    /// Device (volume) and file number: the same pair means the same file or folder.
    pub id: (u64, u64),
    /// How many names (hard links) the file has. More than one: it is also reachable from
    /// elsewhere, perhaps outside the data root, so its content is never copied out.
    pub links: u64,
}

/// The answer to opening an entry as a folder.
#[derive(Debug)]
pub enum Opened {
    Dir(Dir),
    /// Not a folder when it was opened: a link, junction or other name surrogate, a file or a
    /// special file. Never entered.
    NotDir,
    /// A folder on another file system mounted here (Unix): never crossed.
    MountPoint,
}

/// An open folder. Everything done through it names an entry of this very folder, whatever
/// happens to the paths around it.
#[derive(Debug)]
pub struct Dir {
    inner: imp::Handle,
}

impl Dir {
    /// Opens an absolute path whose last component must be a real folder (not a link); the path
    /// above it is resolved by the OS. Only for a trusted anchor: use [`Dir::open_dir`] below it.
    pub fn open_anchor(path: &std::path::Path) -> std::io::Result<Dir> {
        imp::Handle::open_anchor(path).map(|inner| Dir { inner })
    }

    /// Opens the entry `name` of this folder as a folder, without following a link and (Unix)
    /// without crossing into another file system. `for_delete`: the folder will be removed when
    /// emptied (Windows opens it with delete access).
    pub fn open_dir(&self, name: &OsStr, for_delete: bool) -> std::io::Result<Opened> {
        Ok(match self.inner.open_dir(name, for_delete)? {
            imp::OpenedHandle::Dir(inner) => Opened::Dir(Dir { inner }),
            imp::OpenedHandle::NotDir => Opened::NotDir,
            imp::OpenedHandle::MountPoint(_) => Opened::MountPoint,
        })
    }

    /// Like [`Dir::open_dir`], but crosses into another file system (for the way down to a data
    /// root, which may sit on its own volume); `None` when it is not a folder.
    pub fn open_dir_across_mounts(&self, name: &OsStr) -> std::io::Result<Option<Dir>> {
        Ok(match self.inner.open_dir(name, false)? {
            imp::OpenedHandle::Dir(inner) | imp::OpenedHandle::MountPoint(inner) => {
                Some(Dir { inner })
            }
            imp::OpenedHandle::NotDir => None,
        })
    }

    /// Opens the folder at `rel` below this one, one component at a time, each without following
    /// a link and without crossing into another file system. An empty `rel` is refused.
    pub fn open_relative(
        &self,
        rel: &std::path::Path,
        for_delete: bool,
    ) -> std::io::Result<Opened> {
        let names: Vec<&OsStr> = rel
            .components()
            .map(|c| match c {
                std::path::Component::Normal(n) => Ok(n),
                _ => Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "not a plain relative path",
                )),
            })
            .collect::<Result<_, _>>()?;
        let Some((last, above)) = names.split_last() else {
            return Err(std::io::ErrorKind::InvalidInput.into());
        };
        let mut held: Option<Dir> = None;
        for name in above {
            let at = held.as_ref().unwrap_or(self);
            match at.open_dir(name, false)? {
                Opened::Dir(d) => held = Some(d),
                other => return Ok(other),
            }
        }
        held.as_ref().unwrap_or(self).open_dir(last, for_delete)
    }

    /// Reads the next part of the listing into `out` (cleared first); `false` at the end. `.` and
    /// `..` are left out. The lister belongs to this folder: pass the same one every time.
    pub fn read_batch(&self, lister: &mut Lister, out: &mut Vec<Entry>) -> std::io::Result<bool> {
        out.clear();
        self.inner.read_batch(lister, out)
    }

    /// A lister for [`Dir::read_batch`], starting at the beginning of this folder.
    pub fn lister(&self) -> std::io::Result<Lister> {
        self.inner.lister()
    }

    /// Reads the entry `name` of this folder without following it.
    pub fn metadata_at(&self, name: &OsStr) -> std::io::Result<Meta> {
        self.inner.metadata_at(name)
    }

    /// Reads this folder's own metadata (from the handle).
    pub fn metadata(&self) -> std::io::Result<Meta> {
        self.inner.metadata()
    }

    /// Removes the entry `name` (a file, a link as itself, a special file). A real folder is
    /// refused with [`is_a_directory`]; on Windows a read-only attribute is cleared first.
    pub fn remove_entry(&self, name: &OsStr) -> std::io::Result<()> {
        self.inner.remove_entry(name)
    }

    /// Removes the emptied folder `child`, which was opened as `name` in this folder with
    /// `for_delete`.
    pub fn remove_dir(&self, name: &OsStr, child: Dir) -> std::io::Result<()> {
        self.inner.remove_dir(name, child.inner)
    }

    /// Moves the entry `name` of this folder (whatever it is; a link moves as itself) to `to_name`
    /// in the folder `to`. Never replaces an existing entry.
    pub fn rename(&self, name: &OsStr, to: &Dir, to_name: &OsStr) -> std::io::Result<()> {
        self.inner.rename(name, &to.inner, to_name)
    }

    /// Creates the folder `name` here (failing when anything has that name) and opens it.
    pub fn create_dir(&self, name: &OsStr) -> std::io::Result<Dir> {
        self.inner.create_dir(name)?;
        match self.open_dir(name, true)? {
            Opened::Dir(d) => Ok(d),
            _ => Err(std::io::Error::other(
                "the new folder was replaced before it could be opened",
            )),
        }
    }

    /// Creates the regular file `name` here for writing, failing when anything (a link included)
    /// has that name: never through a link (Unix: `O_CREAT | O_EXCL | O_NOFOLLOW`, mode 0600;
    /// Windows: `FILE_CREATE` relative to this folder's handle).
    pub fn create_file(&self, name: &OsStr) -> std::io::Result<std::fs::File> {
        self.inner.create_file(name)
    }

    /// Flushes what was written on the file system of this folder to disk (Linux: `syncfs`,
    /// other Unix: `sync`). Windows has no such call for a user: files are flushed one by one
    /// (`File::sync_all`), and this does nothing.
    pub fn sync_filesystem(&self) -> std::io::Result<()> {
        self.inner.sync_filesystem()
    }

    /// Opens the entry `name` for reading, only when it is a regular file: never through a link,
    /// never blocking on a FIFO (Unix: `O_NOFOLLOW | O_NONBLOCK`, then the opened handle is
    /// checked).
    pub fn open_file(&self, name: &OsStr) -> std::io::Result<(std::fs::File, Meta)> {
        self.inner.open_file(name)
    }
}

/// How many names (hard links) the opened `file` has, read on its handle (Unix: `fstat`;
/// Windows: `GetFileInformationByHandle`), so that a file opened by path elsewhere (Downloads,
/// teamsfix's own archives) is judged as itself, not by a second look at its path.
pub fn link_count(file: &std::fs::File) -> std::io::Result<u64> {
    imp::link_count(file)
}

/// True for the error that [`Dir::remove_entry`] gives for a real folder.
pub fn is_a_directory(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::IsADirectory
}

/// The error for an entry that is not a regular file where one was needed.
pub fn not_a_regular_file() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        "not a regular file (a link, FIFO or device is never opened)",
    )
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn anchor(t: &tempfile::TempDir) -> Dir {
        Dir::open_anchor(&std::fs::canonicalize(t.path()).unwrap()).unwrap()
    }

    #[test]
    fn links_are_never_entered_or_followed() {
        let t = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("precious"), b"keep").unwrap();
        symlink(outside.path(), t.path().join("link")).unwrap();
        symlink(outside.path().join("precious"), t.path().join("file-link")).unwrap();
        let d = anchor(&t);
        assert!(matches!(
            d.open_dir(OsStr::new("link"), true).unwrap(),
            Opened::NotDir
        ));
        assert_eq!(
            d.metadata_at(OsStr::new("link")).unwrap().kind,
            EntryKind::Link
        );
        let e = d.open_file(OsStr::new("file-link")).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput, "{e}");
        d.remove_entry(OsStr::new("link")).unwrap();
        d.remove_entry(OsStr::new("file-link")).unwrap();
        assert_eq!(
            std::fs::read(outside.path().join("precious")).unwrap(),
            b"keep"
        );
        assert!(Dir::open_anchor(&t.path().join("nope")).is_err());
    }

    #[test]
    fn link_count_is_read_on_the_opened_file() {
        let t = tempfile::tempdir().unwrap();
        std::fs::write(t.path().join("one"), b"1").unwrap();
        let f = std::fs::File::open(t.path().join("one")).unwrap();
        assert_eq!(link_count(&f).unwrap(), 1);
        // A second name made after the file was opened counts: the handle is asked, not the path.
        std::fs::hard_link(t.path().join("one"), t.path().join("two")).unwrap();
        assert_eq!(link_count(&f).unwrap(), 2);
        std::fs::remove_file(t.path().join("two")).unwrap();
        assert_eq!(link_count(&f).unwrap(), 1);
    }

    #[test]
    fn create_file_never_goes_through_a_link_or_over_a_name() {
        use std::io::Write;
        use std::os::unix::fs::PermissionsExt;
        let t = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("precious"), b"keep").unwrap();
        symlink(outside.path().join("precious"), t.path().join("link")).unwrap();
        symlink(outside.path().join("new"), t.path().join("dangling")).unwrap();
        std::fs::write(t.path().join("taken"), b"old").unwrap();
        let d = anchor(&t);
        for name in ["link", "dangling", "taken"] {
            let e = d.create_file(OsStr::new(name)).unwrap_err();
            assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists, "{name}: {e}");
        }
        assert_eq!(
            std::fs::read(outside.path().join("precious")).unwrap(),
            b"keep"
        );
        assert!(
            !outside.path().join("new").exists(),
            "nothing made through a dangling link"
        );
        assert_eq!(std::fs::read(t.path().join("taken")).unwrap(), b"old");
        let mut f = d.create_file(OsStr::new("fresh")).unwrap();
        f.write_all(b"new").unwrap();
        let mode = std::fs::metadata(t.path().join("fresh"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        d.sync_filesystem().unwrap();
    }

    #[test]
    fn a_fifo_is_not_opened_and_does_not_block() {
        let t = tempfile::tempdir().unwrap();
        let c = std::ffi::CString::new(t.path().join("pipe").to_str().unwrap()).unwrap();
        // SAFETY: `c` is a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let d = anchor(&t);
        let e = d.open_file(OsStr::new("pipe")).unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput);
        assert_eq!(
            d.metadata_at(OsStr::new("pipe")).unwrap().kind,
            EntryKind::Special
        );
    }

    #[test]
    fn list_create_rename_and_remove_relative_to_handles() {
        let t = tempfile::tempdir().unwrap();
        for i in 0..1000 {
            std::fs::write(t.path().join(format!("f{i} é")), b"x").unwrap();
        }
        std::fs::create_dir(t.path().join("sub")).unwrap();
        let d = anchor(&t);
        let mut lister = d.lister().unwrap();
        let mut batch = Vec::new();
        let mut names = std::collections::BTreeSet::new();
        while d.read_batch(&mut lister, &mut batch).unwrap() {
            names.extend(batch.iter().map(|e| e.name.clone()));
        }
        assert_eq!(names.len(), 1001);
        assert!(!names.contains(OsStr::new(".")));
        let trash = d.create_dir(OsStr::new("trash")).unwrap();
        assert!(d.create_dir(OsStr::new("trash")).is_err());
        d.rename(OsStr::new("sub"), &trash, OsStr::new("0"))
            .unwrap();
        assert!(t.path().join("trash/0").is_dir());
        let Opened::Dir(zero) = trash.open_dir(OsStr::new("0"), true).unwrap() else {
            panic!("not a dir")
        };
        assert!(is_a_directory(
            &trash.remove_entry(OsStr::new("0")).unwrap_err()
        ));
        trash.remove_dir(OsStr::new("0"), zero).unwrap();
        d.remove_dir(OsStr::new("trash"), trash).unwrap();
        assert!(!t.path().join("trash").exists());
    }
}
