//! Windows: every entry opened with `NtCreateFile` relative to its parent's handle
//! (`OBJECT_ATTRIBUTES::RootDirectory`) with `FILE_OPEN_REPARSE_POINT` and backup intent, so a
//! symbolic link, junction, mount point or any other name-surrogate reparse point is opened as
//! itself; the attributes and reparse tag are read from the opened handle; deletion is by handle
//! (`FileDispositionInfoEx` with POSIX semantics and "ignore read-only", falling back to clearing
//! the read-only attribute on the handle and `FileDispositionInfo`); renames are by handle into
//! the target folder's handle (`FileRenameInformation` with `RootDirectory`).

use super::{Entry, EntryKind, Meta, not_a_regular_file};
use std::ffi::{OsStr, OsString};
use std::io;
use std::os::windows::ffi::{OsStrExt, OsStringExt};
use std::os::windows::fs::OpenOptionsExt;
use std::os::windows::io::{AsRawHandle, FromRawHandle, OwnedHandle};
use std::path::Path;
use std::time::{Duration, SystemTime};
use windows_sys::Wdk::Foundation::OBJECT_ATTRIBUTES;
use windows_sys::Wdk::Storage::FileSystem::{
    FILE_CREATE, FILE_DIRECTORY_FILE, FILE_NON_DIRECTORY_FILE, FILE_OPEN,
    FILE_OPEN_FOR_BACKUP_INTENT, FILE_OPEN_REPARSE_POINT, FILE_RENAME_INFORMATION,
    FILE_SYNCHRONOUS_IO_NONALERT, FileRenameInformation, NtCreateFile, NtSetInformationFile,
};
use windows_sys::Win32::Foundation::{
    HANDLE, NTSTATUS, OBJ_CASE_INSENSITIVE, RtlNtStatusToDosError, STATUS_FILE_IS_A_DIRECTORY,
    STATUS_NOT_A_DIRECTORY, UNICODE_STRING,
};
use windows_sys::Win32::Storage::FileSystem::{
    BY_HANDLE_FILE_INFORMATION, FILE_ATTRIBUTE_DIRECTORY, FILE_ATTRIBUTE_NORMAL,
    FILE_ATTRIBUTE_READONLY, FILE_ATTRIBUTE_REPARSE_POINT, FILE_ATTRIBUTE_TAG_INFO,
    FILE_BASIC_INFO, FILE_DISPOSITION_FLAG_DELETE, FILE_DISPOSITION_FLAG_IGNORE_READONLY_ATTRIBUTE,
    FILE_DISPOSITION_FLAG_POSIX_SEMANTICS, FILE_DISPOSITION_INFO, FILE_DISPOSITION_INFO_EX,
    FILE_FLAG_BACKUP_SEMANTICS, FILE_FLAG_OPEN_REPARSE_POINT, FILE_ID_BOTH_DIR_INFO,
    FileAttributeTagInfo, FileBasicInfo, FileDispositionInfo, FileDispositionInfoEx,
    FileIdBothDirectoryInfo, FileIdBothDirectoryRestartInfo, GetFileInformationByHandle,
    GetFileInformationByHandleEx, SetFileInformationByHandle,
};
use windows_sys::Win32::System::IO::IO_STATUS_BLOCK;

// Access rights and share modes (winnt.h), spelled out to keep windows-sys' feature list short.
const DELETE: u32 = 0x0001_0000;
const SYNCHRONIZE: u32 = 0x0010_0000;
const FILE_LIST_DIRECTORY: u32 = 0x0001;
const FILE_TRAVERSE: u32 = 0x0020;
const FILE_READ_ATTRIBUTES: u32 = 0x0080;
const FILE_WRITE_ATTRIBUTES: u32 = 0x0100;
const FILE_GENERIC_READ: u32 = 0x0012_0089;
const FILE_GENERIC_WRITE: u32 = 0x0012_0116;
const SHARE_ALL: u32 = 0x1 | 0x2 | 0x4;
/// Open the entry itself, never what a reparse point names; backup intent lets a folder be
/// opened as a handle; synchronous I/O for listing.
const OPEN_AS_ITSELF: u32 =
    FILE_OPEN_REPARSE_POINT | FILE_OPEN_FOR_BACKUP_INTENT | FILE_SYNCHRONOUS_IO_NONALERT;

/// Reparse tags with this bit name another file or folder (symbolic links, junctions, mount
/// points, ...): such an entry is a link and is never entered (`IsReparseTagNameSurrogate`).
const NAME_SURROGATE: u32 = 0x2000_0000;

#[derive(Debug)]
pub struct Handle {
    h: OwnedHandle,
}

pub enum OpenedHandle {
    Dir(Handle),
    NotDir,
    /// Never produced on Windows: a mount point is a name surrogate, removed as a link.
    #[allow(dead_code)]
    MountPoint(Handle),
}

/// Lists a folder with `GetFileInformationByHandleEx(FileIdBothDirectoryInfo)` into a 64 KiB
/// buffer of its own.
pub struct Lister {
    buf: Vec<u64>,
    started: bool,
    done: bool,
}

fn raw(h: &OwnedHandle) -> HANDLE {
    h.as_raw_handle() as HANDLE
}

fn nt_error(status: NTSTATUS) -> io::Error {
    match status {
        STATUS_FILE_IS_A_DIRECTORY => io::ErrorKind::IsADirectory.into(),
        STATUS_NOT_A_DIRECTORY => io::ErrorKind::NotADirectory.into(),
        // SAFETY: a pure conversion of a status code.
        _ => io::Error::from_raw_os_error(unsafe { RtlNtStatusToDosError(status) } as i32),
    }
}

fn is_name_surrogate(attributes: u32, tag: u32) -> bool {
    attributes & FILE_ATTRIBUTE_REPARSE_POINT != 0 && tag & NAME_SURROGATE != 0
}

/// Opens `name` relative to the folder `parent` (never a path: `name` is one component).
fn nt_open(
    parent: &OwnedHandle,
    name: &OsStr,
    access: u32,
    disposition: u32,
    options: u32,
) -> io::Result<OwnedHandle> {
    let wide: Vec<u16> = name.encode_wide().collect();
    if wide.is_empty() || wide.contains(&(b'\\' as u16)) || wide.len() * 2 > u16::MAX as usize {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a single name",
        ));
    }
    let unicode = UNICODE_STRING {
        Length: (wide.len() * 2) as u16,
        MaximumLength: (wide.len() * 2) as u16,
        Buffer: wide.as_ptr() as *mut u16,
    };
    let attributes = OBJECT_ATTRIBUTES {
        Length: std::mem::size_of::<OBJECT_ATTRIBUTES>() as u32,
        RootDirectory: raw(parent),
        ObjectName: &unicode,
        Attributes: OBJ_CASE_INSENSITIVE,
        SecurityDescriptor: std::ptr::null(),
        SecurityQualityOfService: std::ptr::null(),
    };
    let mut handle: HANDLE = std::ptr::null_mut();
    // SAFETY: zeroed IO_STATUS_BLOCK is a valid out value.
    let mut iosb: IO_STATUS_BLOCK = unsafe { std::mem::zeroed() };
    // SAFETY: every pointer is valid for the call: `attributes` points at `unicode`, which points
    // at `wide`, all alive until the call returns; `handle` and `iosb` are out values.
    let status = unsafe {
        NtCreateFile(
            &mut handle,
            access,
            &attributes,
            &mut iosb,
            std::ptr::null(),
            0,
            SHARE_ALL,
            disposition,
            options,
            std::ptr::null(),
            0,
        )
    };
    if status < 0 {
        return Err(nt_error(status));
    }
    // SAFETY: NtCreateFile succeeded, so `handle` is an open handle that we now own.
    Ok(unsafe { OwnedHandle::from_raw_handle(handle as _) })
}

/// Attributes and reparse tag, read from the handle.
fn tag_info(h: &OwnedHandle) -> io::Result<FILE_ATTRIBUTE_TAG_INFO> {
    let mut info = FILE_ATTRIBUTE_TAG_INFO {
        FileAttributes: 0,
        ReparseTag: 0,
    };
    // SAFETY: `info` is a valid buffer of the size passed, for this information class.
    let ok = unsafe {
        GetFileInformationByHandleEx(
            raw(h),
            FileAttributeTagInfo,
            &mut info as *mut _ as *mut _,
            std::mem::size_of::<FILE_ATTRIBUTE_TAG_INFO>() as u32,
        )
    };
    if ok == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(info)
}

fn filetime_to_system(t: i64) -> Option<SystemTime> {
    // 100 ns intervals since 1601-01-01.
    const UNIX_EPOCH_AS_FILETIME: i64 = 116_444_736_000_000_000;
    let since_unix = t.checked_sub(UNIX_EPOCH_AS_FILETIME)?;
    if since_unix < 0 {
        return None;
    }
    let d = Duration::from_nanos(since_unix as u64).checked_mul(100)?;
    SystemTime::UNIX_EPOCH.checked_add(d)
}

fn meta_of(h: &OwnedHandle) -> io::Result<Meta> {
    // SAFETY: zeroed is a valid value for this plain struct.
    let mut info: BY_HANDLE_FILE_INFORMATION = unsafe { std::mem::zeroed() };
    // SAFETY: `info` is a valid out pointer for the call.
    if unsafe { GetFileInformationByHandle(raw(h), &mut info) } == 0 {
        return Err(io::Error::last_os_error());
    }
    let tag = if info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT != 0 {
        tag_info(h)?.ReparseTag
    } else {
        0
    };
    let kind = if is_name_surrogate(info.dwFileAttributes, tag) {
        EntryKind::Link
    } else if info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY != 0 {
        EntryKind::Dir
    } else {
        EntryKind::File
    };
    let write = ((info.ftLastWriteTime.dwHighDateTime as i64) << 32)
        | info.ftLastWriteTime.dwLowDateTime as i64;
    Ok(Meta {
        kind,
        len: ((info.nFileSizeHigh as u64) << 32) | info.nFileSizeLow as u64,
        modified: filetime_to_system(write),
        id: (
            info.dwVolumeSerialNumber as u64,
            ((info.nFileIndexHigh as u64) << 32) | info.nFileIndexLow as u64,
        ),
        links: info.nNumberOfLinks as u64,
    })
}

/// Marks an open handle for deletion (the entry goes when the handle closes).
fn dispose(h: &OwnedHandle) -> io::Result<()> {
    let ex = FILE_DISPOSITION_INFO_EX {
        Flags: FILE_DISPOSITION_FLAG_DELETE
            | FILE_DISPOSITION_FLAG_POSIX_SEMANTICS
            | FILE_DISPOSITION_FLAG_IGNORE_READONLY_ATTRIBUTE,
    };
    // SAFETY: `ex` is a valid buffer of the size passed, for this information class.
    let ok = unsafe {
        SetFileInformationByHandle(
            raw(h),
            FileDispositionInfoEx,
            &ex as *const _ as *const _,
            std::mem::size_of::<FILE_DISPOSITION_INFO_EX>() as u32,
        )
    };
    if ok != 0 {
        return Ok(());
    }
    let ex_error = io::Error::last_os_error();
    if ex_error.kind() == io::ErrorKind::DirectoryNotEmpty {
        return Err(ex_error);
    }
    // Before Windows 10 1809, on FAT, and under Wine: the classic disposition, after clearing a
    // read-only attribute on the handle (not an ACL change).
    let attributes = tag_info(h)?.FileAttributes;
    if attributes & FILE_ATTRIBUTE_READONLY != 0 {
        let mut basic: FILE_BASIC_INFO = FILE_BASIC_INFO {
            CreationTime: 0,
            LastAccessTime: 0,
            LastWriteTime: 0,
            ChangeTime: 0,
            FileAttributes: attributes & !FILE_ATTRIBUTE_READONLY,
        };
        if basic.FileAttributes == 0 {
            basic.FileAttributes = FILE_ATTRIBUTE_NORMAL;
        }
        // SAFETY: `basic` is a valid buffer of the size passed, for this information class;
        // zero times mean "leave unchanged".
        let ok = unsafe {
            SetFileInformationByHandle(
                raw(h),
                FileBasicInfo,
                &basic as *const _ as *const _,
                std::mem::size_of::<FILE_BASIC_INFO>() as u32,
            )
        };
        if ok == 0 {
            return Err(io::Error::last_os_error());
        }
    }
    let classic = FILE_DISPOSITION_INFO { DeleteFile: true };
    // SAFETY: as above, for FileDispositionInfo.
    let ok = unsafe {
        SetFileInformationByHandle(
            raw(h),
            FileDispositionInfo,
            &classic as *const _ as *const _,
            std::mem::size_of::<FILE_DISPOSITION_INFO>() as u32,
        )
    };
    if ok == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

impl Handle {
    pub fn open_anchor(path: &Path) -> io::Result<Handle> {
        let file = std::fs::OpenOptions::new()
            .access_mode(FILE_LIST_DIRECTORY | FILE_TRAVERSE | FILE_READ_ATTRIBUTES | SYNCHRONIZE)
            .share_mode(SHARE_ALL)
            .custom_flags(FILE_FLAG_BACKUP_SEMANTICS | FILE_FLAG_OPEN_REPARSE_POINT)
            .open(path)?;
        let h = OwnedHandle::from(file);
        let info = tag_info(&h)?;
        if is_name_surrogate(info.FileAttributes, info.ReparseTag)
            || info.FileAttributes & FILE_ATTRIBUTE_DIRECTORY == 0
        {
            return Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                "not a real folder (a link, junction or file)",
            ));
        }
        Ok(Handle { h })
    }

    pub fn open_dir(&self, name: &OsStr, for_delete: bool) -> io::Result<OpenedHandle> {
        let mut access = FILE_LIST_DIRECTORY | FILE_TRAVERSE | FILE_READ_ATTRIBUTES | SYNCHRONIZE;
        if for_delete {
            access |= DELETE | FILE_WRITE_ATTRIBUTES;
        }
        let h = match nt_open(
            &self.h,
            name,
            access,
            FILE_OPEN,
            FILE_DIRECTORY_FILE | OPEN_AS_ITSELF,
        ) {
            Ok(h) => h,
            Err(e) if e.kind() == io::ErrorKind::NotADirectory => return Ok(OpenedHandle::NotDir),
            Err(e) => return Err(e),
        };
        // A junction or directory link opens as a folder: the tag on the handle tells.
        let info = tag_info(&h)?;
        if is_name_surrogate(info.FileAttributes, info.ReparseTag) {
            return Ok(OpenedHandle::NotDir);
        }
        Ok(OpenedHandle::Dir(Handle { h }))
    }

    pub fn lister(&self) -> io::Result<Lister> {
        Ok(Lister {
            buf: vec![0u64; 64 * 1024 / 8],
            started: false,
            done: false,
        })
    }

    pub fn read_batch(&self, lister: &mut Lister, out: &mut Vec<Entry>) -> io::Result<bool> {
        while !lister.done && out.is_empty() {
            let class = if lister.started {
                FileIdBothDirectoryInfo
            } else {
                FileIdBothDirectoryRestartInfo
            };
            lister.started = true;
            let bytes = (lister.buf.len() * 8) as u32;
            // SAFETY: the buffer is 8-byte aligned and `bytes` long; the call fills it with
            // FILE_ID_BOTH_DIR_INFO records.
            let ok = unsafe {
                GetFileInformationByHandleEx(
                    raw(&self.h),
                    class,
                    lister.buf.as_mut_ptr() as *mut _,
                    bytes,
                )
            };
            if ok == 0 {
                let e = io::Error::last_os_error();
                // ERROR_NO_MORE_FILES (18): the end of the listing.
                if e.raw_os_error() == Some(18) {
                    lister.done = true;
                    break;
                }
                return Err(e);
            }
            let base = lister.buf.as_ptr() as *const u8;
            let mut offset = 0usize;
            loop {
                if offset + std::mem::size_of::<FILE_ID_BOTH_DIR_INFO>() > bytes as usize {
                    break;
                }
                // SAFETY: the record lies inside the buffer (checked above; records are 8-byte
                // aligned), written by the call; read unaligned to be safe.
                let info: FILE_ID_BOTH_DIR_INFO =
                    unsafe { std::ptr::read_unaligned(base.add(offset) as *const _) };
                let name_len = info.FileNameLength as usize / 2;
                let name_at = offset + std::mem::offset_of!(FILE_ID_BOTH_DIR_INFO, FileName);
                if name_at + name_len * 2 > bytes as usize {
                    break;
                }
                // SAFETY: the name lies inside the buffer (checked above).
                let name: Vec<u16> = (0..name_len)
                    .map(|i| unsafe {
                        std::ptr::read_unaligned(base.add(name_at + i * 2) as *const u16)
                    })
                    .collect();
                let dot = name == [b'.' as u16] || name == [b'.' as u16, b'.' as u16];
                if !dot {
                    let attributes = info.FileAttributes;
                    // For a reparse point the listing carries its tag in EaSize; when it does
                    // not (Wine), the kind is read from the entry's own handle.
                    let kind = if attributes & FILE_ATTRIBUTE_REPARSE_POINT != 0 {
                        if info.EaSize & NAME_SURROGATE != 0 {
                            Some(EntryKind::Link)
                        } else {
                            None
                        }
                    } else if attributes & FILE_ATTRIBUTE_DIRECTORY != 0 {
                        Some(EntryKind::Dir)
                    } else {
                        Some(EntryKind::File)
                    };
                    out.push(Entry {
                        name: OsString::from_wide(&name),
                        kind,
                        len: (kind == Some(EntryKind::File)).then_some(info.EndOfFile as u64),
                    });
                }
                if info.NextEntryOffset == 0 {
                    break;
                }
                offset += info.NextEntryOffset as usize;
            }
        }
        Ok(!out.is_empty())
    }

    fn open_itself(&self, name: &OsStr, access: u32) -> io::Result<OwnedHandle> {
        nt_open(
            &self.h,
            name,
            access | SYNCHRONIZE,
            FILE_OPEN,
            OPEN_AS_ITSELF,
        )
    }

    pub fn metadata_at(&self, name: &OsStr) -> io::Result<Meta> {
        meta_of(&self.open_itself(name, FILE_READ_ATTRIBUTES)?)
    }

    pub fn metadata(&self) -> io::Result<Meta> {
        meta_of(&self.h)
    }

    pub fn remove_entry(&self, name: &OsStr) -> io::Result<()> {
        let h = self.open_itself(name, DELETE | FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES)?;
        let info = tag_info(&h)?;
        if info.FileAttributes & FILE_ATTRIBUTE_DIRECTORY != 0
            && !is_name_surrogate(info.FileAttributes, info.ReparseTag)
        {
            return Err(io::ErrorKind::IsADirectory.into());
        }
        dispose(&h)
    }

    pub fn remove_dir(&self, _name: &OsStr, child: Handle) -> io::Result<()> {
        // The folder's own handle (opened with delete access) marks it; closing it removes it.
        dispose(&child.h)
    }

    pub fn rename(&self, name: &OsStr, to: &Handle, to_name: &OsStr) -> io::Result<()> {
        let h = self.open_itself(name, DELETE | FILE_READ_ATTRIBUTES)?;
        let wide: Vec<u16> = to_name.encode_wide().collect();
        let header = std::mem::offset_of!(FILE_RENAME_INFORMATION, FileName);
        let size = header + wide.len() * 2;
        let mut buf = vec![0u64; size.div_ceil(8) + 1];
        let info = buf.as_mut_ptr() as *mut FILE_RENAME_INFORMATION;
        // SAFETY: `buf` is 8-byte aligned and large enough for the header and the name; the
        // fields are written in place before the call reads them.
        unsafe {
            (*info).Anonymous.ReplaceIfExists = false;
            (*info).RootDirectory = raw(&to.h);
            (*info).FileNameLength = (wide.len() * 2) as u32;
            std::ptr::copy_nonoverlapping(
                wide.as_ptr(),
                (buf.as_mut_ptr() as *mut u8).add(header) as *mut u16,
                wide.len(),
            );
        }
        // SAFETY: zeroed IO_STATUS_BLOCK is a valid out value.
        let mut iosb: IO_STATUS_BLOCK = unsafe { std::mem::zeroed() };
        // SAFETY: `info` points at `size` valid bytes for FileRenameInformation; the handles
        // are open.
        let status = unsafe {
            NtSetInformationFile(
                raw(&h),
                &mut iosb,
                info as *const _,
                size as u32,
                FileRenameInformation,
            )
        };
        if status < 0 {
            return Err(nt_error(status));
        }
        Ok(())
    }

    pub fn create_dir(&self, name: &OsStr) -> io::Result<()> {
        nt_open(
            &self.h,
            name,
            FILE_LIST_DIRECTORY | SYNCHRONIZE,
            FILE_CREATE,
            FILE_DIRECTORY_FILE | OPEN_AS_ITSELF,
        )
        .map(drop)
    }

    pub fn create_file(&self, name: &OsStr) -> io::Result<std::fs::File> {
        // FILE_CREATE fails when anything has the name (a link included: the name is never
        // resolved through it); synchronous I/O for std's reads and writes.
        let h = nt_open(
            &self.h,
            name,
            FILE_GENERIC_WRITE | FILE_READ_ATTRIBUTES | SYNCHRONIZE,
            FILE_CREATE,
            FILE_NON_DIRECTORY_FILE | OPEN_AS_ITSELF,
        )?;
        Ok(std::fs::File::from(h))
    }

    pub fn sync_filesystem(&self) -> io::Result<()> {
        Ok(())
    }

    pub fn open_file(&self, name: &OsStr) -> io::Result<(std::fs::File, Meta)> {
        let h = match nt_open(
            &self.h,
            name,
            FILE_GENERIC_READ,
            FILE_OPEN,
            FILE_NON_DIRECTORY_FILE | OPEN_AS_ITSELF,
        ) {
            Ok(h) => h,
            Err(e) if e.kind() == io::ErrorKind::IsADirectory => return Err(not_a_regular_file()),
            Err(e) => return Err(e),
        };
        let meta = meta_of(&h)?;
        if meta.kind != EntryKind::File {
            return Err(not_a_regular_file());
        }
        Ok((std::fs::File::from(h), meta))
    }
}

/// See `dir_handle::link_count`.
pub fn link_count(file: &std::fs::File) -> io::Result<u64> {
    // SAFETY: zeroed is a valid value for this plain struct.
    let mut info: BY_HANDLE_FILE_INFORMATION = unsafe { std::mem::zeroed() };
    // SAFETY: the handle is open for as long as `file` lives; `info` is a valid out pointer.
    if unsafe { GetFileInformationByHandle(file.as_raw_handle() as _, &mut info) } == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(info.nNumberOfLinks as u64)
}
