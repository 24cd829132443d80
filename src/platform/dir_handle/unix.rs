//! Unix: `openat(O_NOFOLLOW | O_DIRECTORY)`, `getdents`, `fstatat(AT_SYMLINK_NOFOLLOW)`,
//! `unlinkat`, `renameat2(RENAME_NOREPLACE)`, `mkdirat`, through rustix (already in the
//! dependency tree; safe wrappers, no `unsafe` here).

use super::{Entry, EntryKind, Meta, not_a_regular_file};
use rustix::fs::{AtFlags, FileType, Mode, OFlags};
use std::ffi::OsStr;
use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::time::{Duration, SystemTime};

const DIR_FLAGS: OFlags = OFlags::RDONLY
    .union(OFlags::DIRECTORY)
    .union(OFlags::NOFOLLOW)
    .union(OFlags::CLOEXEC)
    .union(OFlags::NONBLOCK);

#[derive(Debug)]
pub struct Handle {
    fd: OwnedFd,
    /// The file system this folder is on: a child on another one is a mount point.
    dev: u64,
}

pub enum OpenedHandle {
    Dir(Handle),
    NotDir,
    /// The root of another file system, opened (the caller decides whether to cross).
    MountPoint(Handle),
}

/// Reads a folder in batches. Linux: `getdents64` into a buffer of our own (the listing position
/// is the handle's; one lister per handle). Elsewhere: rustix's `Dir` on a second descriptor.
pub struct Lister {
    #[cfg(target_os = "linux")]
    buf: Vec<std::mem::MaybeUninit<u8>>,
    #[cfg(target_os = "linux")]
    done: bool,
    #[cfg(not(target_os = "linux"))]
    dir: rustix::fs::Dir,
}

/// 32 KiB per listing: a few hundred names per system call, and bounded.
#[cfg(target_os = "linux")]
const LIST_BUFFER: usize = 32 * 1024;

fn kind_of_type(t: FileType) -> Option<EntryKind> {
    match t {
        FileType::Directory => Some(EntryKind::Dir),
        FileType::RegularFile => Some(EntryKind::File),
        FileType::Symlink => Some(EntryKind::Link),
        FileType::Unknown => None,
        _ => Some(EntryKind::Special),
    }
}

// `st_dev` and `st_ino` are u64 on Linux, other widths elsewhere.
#[allow(clippy::unnecessary_cast)]
fn meta_of(st: &rustix::fs::Stat) -> Meta {
    let kind = kind_of_type(FileType::from_raw_mode(st.st_mode as _)).unwrap_or(EntryKind::Special);
    let modified = if st.st_mtime >= 0 {
        SystemTime::UNIX_EPOCH
            .checked_add(Duration::new(st.st_mtime as u64, st.st_mtime_nsec as u32))
    } else {
        None
    };
    Meta {
        kind,
        len: st.st_size as u64,
        modified,
        id: (st.st_dev as u64, st.st_ino as u64),
        links: st.st_nlink as u64,
    }
}

/// The device of an open folder, and whether it is the root of a mount (Linux 5.8+ says so
/// even for a bind mount of the same file system).
fn device_of(fd: &OwnedFd) -> io::Result<(u64, bool)> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{StatxAttributes, StatxFlags, statx};
        match statx(fd, c"", AtFlags::EMPTY_PATH, StatxFlags::BASIC_STATS) {
            Ok(x) => {
                let dev = rustix::fs::makedev(x.stx_dev_major, x.stx_dev_minor);
                let mount_root = x.stx_attributes_mask.contains(StatxAttributes::MOUNT_ROOT)
                    && x.stx_attributes.contains(StatxAttributes::MOUNT_ROOT);
                return Ok((dev, mount_root));
            }
            Err(rustix::io::Errno::NOSYS) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok((rustix::fs::fstat(fd)?.st_dev as u64, false))
}

impl Handle {
    pub fn open_anchor(path: &Path) -> io::Result<Handle> {
        let fd = rustix::fs::open(path, DIR_FLAGS, Mode::empty())?;
        let (dev, _) = device_of(&fd)?;
        Ok(Handle { fd, dev })
    }

    pub fn open_dir(&self, name: &OsStr, _for_delete: bool) -> io::Result<OpenedHandle> {
        match rustix::fs::openat(&self.fd, name, DIR_FLAGS, Mode::empty()) {
            Ok(fd) => {
                let (dev, mount_root) = device_of(&fd)?;
                let handle = Handle { fd, dev };
                if dev != self.dev || mount_root {
                    return Ok(OpenedHandle::MountPoint(handle));
                }
                Ok(OpenedHandle::Dir(handle))
            }
            // ELOOP: a link (O_NOFOLLOW); ENOTDIR: a file, FIFO or socket (refused before it
            // is opened, so a FIFO never blocks).
            Err(rustix::io::Errno::LOOP | rustix::io::Errno::NOTDIR) => Ok(OpenedHandle::NotDir),
            Err(e) => Err(e.into()),
        }
    }

    pub fn lister(&self) -> io::Result<Lister> {
        #[cfg(target_os = "linux")]
        {
            Ok(Lister {
                buf: vec![std::mem::MaybeUninit::uninit(); LIST_BUFFER],
                done: false,
            })
        }
        #[cfg(not(target_os = "linux"))]
        {
            Ok(Lister {
                dir: rustix::fs::Dir::read_from(&self.fd)?,
            })
        }
    }

    #[cfg(target_os = "linux")]
    pub fn read_batch(&self, lister: &mut Lister, out: &mut Vec<Entry>) -> io::Result<bool> {
        if lister.done {
            return Ok(false);
        }
        // A RawDir lives for one buffer's worth of entries: it is dropped only when its buffer
        // is used up, so the handle's position is where the next one continues.
        let mut raw = rustix::fs::RawDir::new(self.fd.as_fd(), &mut lister.buf);
        loop {
            match raw.next() {
                None => {
                    lister.done = true;
                    return Ok(!out.is_empty());
                }
                Some(Err(e)) => return Err(e.into()),
                Some(Ok(e)) => {
                    let name = e.file_name().to_bytes();
                    if name != b"." && name != b".." {
                        out.push(Entry {
                            name: OsStr::from_bytes(name).to_os_string(),
                            kind: kind_of_type(e.file_type()),
                            len: None,
                        });
                    }
                }
            }
            if raw.is_buffer_empty() && !out.is_empty() {
                return Ok(true);
            }
        }
    }

    #[cfg(not(target_os = "linux"))]
    pub fn read_batch(&self, lister: &mut Lister, out: &mut Vec<Entry>) -> io::Result<bool> {
        while out.len() < 256 {
            match lister.dir.read() {
                None => break,
                Some(Err(e)) => return Err(e.into()),
                Some(Ok(e)) => {
                    let name = e.file_name().to_bytes();
                    if name != b"." && name != b".." {
                        out.push(Entry {
                            name: OsStr::from_bytes(name).to_os_string(),
                            kind: kind_of_type(e.file_type()),
                            len: None,
                        });
                    }
                }
            }
        }
        Ok(!out.is_empty())
    }

    pub fn metadata_at(&self, name: &OsStr) -> io::Result<Meta> {
        Ok(meta_of(&rustix::fs::statat(
            &self.fd,
            name,
            AtFlags::SYMLINK_NOFOLLOW,
        )?))
    }

    pub fn metadata(&self) -> io::Result<Meta> {
        Ok(meta_of(&rustix::fs::fstat(&self.fd)?))
    }

    pub fn remove_entry(&self, name: &OsStr) -> io::Result<()> {
        match rustix::fs::unlinkat(&self.fd, name, AtFlags::empty()) {
            Ok(()) => Ok(()),
            // Linux says EISDIR for a folder; macOS and the BSDs say EPERM.
            Err(rustix::io::Errno::ISDIR) => Err(io::ErrorKind::IsADirectory.into()),
            Err(e @ rustix::io::Errno::PERM)
                if self
                    .metadata_at(name)
                    .is_ok_and(|m| m.kind == EntryKind::Dir) =>
            {
                let _ = e;
                Err(io::ErrorKind::IsADirectory.into())
            }
            Err(e) => Err(e.into()),
        }
    }

    pub fn remove_dir(&self, name: &OsStr, child: Handle) -> io::Result<()> {
        drop(child);
        Ok(rustix::fs::unlinkat(&self.fd, name, AtFlags::REMOVEDIR)?)
    }

    pub fn rename(&self, name: &OsStr, to: &Handle, to_name: &OsStr) -> io::Result<()> {
        #[cfg(any(target_os = "linux", target_os = "macos"))]
        {
            use rustix::fs::{RenameFlags, renameat_with};
            match renameat_with(&self.fd, name, &to.fd, to_name, RenameFlags::NOREPLACE) {
                Ok(()) => return Ok(()),
                // A file system or kernel without the flag: fall through to a checked rename.
                Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => {}
                Err(e) => return Err(e.into()),
            }
        }
        if to.metadata_at(to_name).is_ok() {
            return Err(io::ErrorKind::AlreadyExists.into());
        }
        Ok(rustix::fs::renameat(&self.fd, name, &to.fd, to_name)?)
    }

    pub fn create_dir(&self, name: &OsStr) -> io::Result<()> {
        Ok(rustix::fs::mkdirat(&self.fd, name, Mode::RWXU)?)
    }

    pub fn create_file(&self, name: &OsStr) -> io::Result<std::fs::File> {
        let flags = OFlags::WRONLY
            | OFlags::CREATE
            | OFlags::EXCL
            | OFlags::NOFOLLOW
            | OFlags::CLOEXEC
            | OFlags::NOCTTY;
        let fd = rustix::fs::openat(&self.fd, name, flags, Mode::RUSR | Mode::WUSR)?;
        Ok(std::fs::File::from(fd))
    }

    pub fn sync_filesystem(&self) -> io::Result<()> {
        #[cfg(target_os = "linux")]
        {
            Ok(rustix::fs::syncfs(&self.fd)?)
        }
        #[cfg(not(target_os = "linux"))]
        {
            rustix::fs::sync();
            Ok(())
        }
    }

    pub fn open_file(&self, name: &OsStr) -> io::Result<(std::fs::File, Meta)> {
        // Checked before opening, so a FIFO, socket or device is never opened at all; checked
        // again on the opened handle, in case it was swapped in between (O_NONBLOCK: even then
        // a FIFO does not block the open).
        if self.metadata_at(name)?.kind != EntryKind::File {
            return Err(not_a_regular_file());
        }
        let flags =
            OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC | OFlags::NOCTTY;
        let fd = match rustix::fs::openat(&self.fd, name, flags, Mode::empty()) {
            Ok(fd) => fd,
            Err(rustix::io::Errno::LOOP) => return Err(not_a_regular_file()),
            Err(e) => return Err(e.into()),
        };
        let meta = meta_of(&rustix::fs::fstat(&fd)?);
        if meta.kind != EntryKind::File {
            return Err(not_a_regular_file());
        }
        rustix::fs::fcntl_setfl(&fd, OFlags::empty())?;
        Ok((std::fs::File::from(fd), meta))
    }
}

/// See `dir_handle::link_count`.
pub fn link_count(file: &std::fs::File) -> io::Result<u64> {
    Ok(std::os::unix::fs::MetadataExt::nlink(&file.metadata()?))
}
