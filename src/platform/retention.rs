//! Keeping teamsfix's own growing outputs (log archives, reset backups, support bundles) within
//! bounds: each kind lives in one folder of teamsfix's data folder, one entry (a folder or a
//! file) per run, named so that names sort by time (`common::timestamps::timestamp_for_file_names`
//! first). After a new entry is written, the oldest entries are pruned until at most `keep`
//! remain and they hold at most `max_bytes` together. The newest entry is never pruned, even
//! when it alone is over `max_bytes`: the caller caps a single entry itself.
//!
//! Only teamsfix writes into these folders, but they may sit on a USB stick or a synced profile:
//! links are never followed, neither when sizing nor when removing.

use std::path::{Path, PathBuf};

/// How many entries and bytes one kind of output may keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Entries kept, newest first (at least one).
    pub keep: usize,
    /// Bytes all kept entries may hold together.
    pub max_bytes: u64,
}

/// The default bounds of the log archives and of the backups a full reset keeps: the newest 10,
/// at most 1 GB together (a daily Intune remediation must not fill an FSLogix profile disk).
pub const DEFAULT_LIMITS: Limits = Limits {
    keep: 10,
    max_bytes: 1_000_000_000,
};

/// The default cap of one entry (one archive, one backup): 200 MB, newest files first.
pub const DEFAULT_ENTRY_CAP: u64 = 200_000_000;

/// What a prune did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pruned {
    /// Entries removed, oldest first.
    pub removed: Vec<PathBuf>,
    /// Entries kept and the bytes they hold.
    pub kept: usize,
    pub kept_bytes: u64,
    /// Entries that should have gone but could not be removed, with the reason.
    pub failures: Vec<(PathBuf, String)>,
}

/// The entries directly in `dir`, oldest first (by name; see the module comment). Names
/// starting with `.` are teamsfix's work in progress and left out.
pub fn entries(dir: &Path) -> Vec<PathBuf> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<PathBuf> = read
        .flatten()
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    names.sort();
    names
}

/// Bytes of the regular files in `path` (a file, or a folder walked without following links).
pub fn size_of(path: &Path) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    if !meta.is_dir() {
        return if meta.is_file() { meta.len() } else { 0 };
    }
    walkdir::WalkDir::new(path)
        .follow_links(false)
        .follow_root_links(false)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

/// Removes the oldest entries of `dir` until `limits` hold (see the module comment).
pub fn prune(dir: &Path, limits: Limits) -> Pruned {
    let mut out = Pruned::default();
    let all = entries(dir);
    // Walk from the newest: keep while within both limits, the newest always.
    let mut total = 0u64;
    let mut cut = 0usize;
    for (i, entry) in all.iter().enumerate().rev() {
        let size = size_of(entry);
        let kept_so_far = all.len() - 1 - i;
        let newest = kept_so_far == 0;
        if !newest && (kept_so_far >= limits.keep.max(1) || total + size > limits.max_bytes) {
            cut = i + 1;
            break;
        }
        total += size;
    }
    for entry in &all[..cut] {
        match remove_entry(entry) {
            Ok(()) => out.removed.push(entry.clone()),
            Err(e) => out.failures.push((entry.clone(), e.to_string())),
        }
    }
    out.kept = all.len() - cut;
    out.kept_bytes = total;
    out
}

/// Removes one entry: a link as a link, a file, or a folder with everything in it (std's
/// `remove_dir_all` does not follow links below its start; the start is checked here).
fn remove_entry(path: &Path) -> std::io::Result<()> {
    let meta = std::fs::symlink_metadata(path)?;
    if meta.is_dir() {
        std::fs::remove_dir_all(path)
    } else {
        // A file, or a link (on Windows a link to a folder is removed with remove_dir).
        std::fs::remove_file(path).or_else(|e| {
            if cfg!(windows) && meta.file_type().is_symlink() {
                std::fs::remove_dir(path)
            } else {
                Err(e)
            }
        })
    }
}

/// Bytes free for this user on the volume that holds `path` (or its nearest existing parent);
/// `None` when the system cannot say.
pub fn available_space(path: &Path) -> Option<u64> {
    let mut p = path;
    while std::fs::symlink_metadata(p).is_err() {
        p = p.parent()?;
    }
    available_space_at(p)
}

#[cfg(unix)]
fn available_space_at(path: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is a NUL-terminated path and `st` a valid out pointer for the call.
    if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
        return None;
    }
    Some((st.f_bavail as u64).saturating_mul(st.f_frsize as u64))
}

#[cfg(windows)]
fn available_space_at(path: &Path) -> Option<u64> {
    crate::platform::windows::available_space(path)
}

#[cfg(not(any(unix, windows)))]
fn available_space_at(_path: &Path) -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(dir: &Path, name: &str, bytes: usize) {
        let d = dir.join(name);
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("f"), vec![0u8; bytes]).unwrap();
    }

    #[test]
    fn keeps_the_newest_within_count_and_bytes() {
        let t = tempfile::tempdir().unwrap();
        for (i, size) in [100, 100, 100, 100, 100].iter().enumerate() {
            entry(t.path(), &format!("2026-01-0{}_10-00-00_x", i + 1), *size);
        }
        std::fs::create_dir(t.path().join(".in-progress")).unwrap();
        let p = prune(
            t.path(),
            Limits {
                keep: 3,
                max_bytes: 10_000,
            },
        );
        assert_eq!(p.removed.len(), 2);
        assert!(p.removed[0].ends_with("2026-01-01_10-00-00_x"));
        assert_eq!((p.kept, p.kept_bytes), (3, 300));
        assert!(t.path().join(".in-progress").exists());
        let p = prune(
            t.path(),
            Limits {
                keep: 10,
                max_bytes: 250,
            },
        );
        assert_eq!(p.removed.len(), 1);
        assert_eq!((p.kept, p.kept_bytes), (2, 200));
        assert_eq!(entries(t.path()).len(), 2);
    }

    #[test]
    fn the_newest_entry_stays_even_when_too_big() {
        let t = tempfile::tempdir().unwrap();
        entry(t.path(), "2026-01-01_a", 10);
        entry(t.path(), "2026-01-02_b", 1000);
        let p = prune(
            t.path(),
            Limits {
                keep: 5,
                max_bytes: 100,
            },
        );
        assert_eq!(p.removed.len(), 1);
        assert_eq!((p.kept, p.kept_bytes), (1, 1000));
    }

    #[cfg(unix)]
    #[test]
    fn links_are_removed_as_links_and_never_followed() {
        let t = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("precious"), vec![1u8; 5000]).unwrap();
        std::os::unix::fs::symlink(outside.path(), t.path().join("2026-01-01_link")).unwrap();
        let d = t.path().join("2026-01-02_real");
        std::fs::create_dir(&d).unwrap();
        std::os::unix::fs::symlink(outside.path(), d.join("inner")).unwrap();
        entry(t.path(), "2026-01-03_new", 10);
        assert_eq!(size_of(&d), 0, "a link inside is not followed when sizing");
        let p = prune(
            t.path(),
            Limits {
                keep: 1,
                max_bytes: 1 << 30,
            },
        );
        assert_eq!(p.removed.len(), 2);
        assert!(outside.path().join("precious").exists());
        assert_eq!(
            std::fs::read(outside.path().join("precious"))
                .unwrap()
                .len(),
            5000
        );
    }

    #[test]
    fn free_space_is_read_for_a_folder_not_yet_made() {
        let t = tempfile::tempdir().unwrap();
        let free = available_space(&t.path().join("not/yet/made"));
        assert!(free.is_some_and(|b| b > 0), "{free:?}");
    }
}
