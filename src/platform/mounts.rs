//! Where other file systems are mounted below a folder (Linux: `/proc/self/mountinfo`).
//!
//! A clear never enters a mount point (the handle walk stops at it), but moving a folder aside
//! moves the mounts inside it along: a bind mount in `Cache/sub` would end up in the trash
//! folder, no longer where the user put it and where the report says it was left. Knowing the
//! mount points first, a clear deletes the units that hold one where they are, so every mount
//! stays at its place. Advisory only: where the list cannot be read (or on other systems) the
//! walk still never crosses a mount.

use std::path::{Path, PathBuf};

/// The mount points strictly below `root` (a canonical path), relative to it.
pub fn below(root: &Path) -> Vec<PathBuf> {
    #[cfg(target_os = "linux")]
    {
        match std::fs::read("/proc/self/mountinfo") {
            Ok(text) => parse_below(&text, root),
            Err(_) => Vec::new(),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = root;
        Vec::new()
    }
}

/// The mount points in a `mountinfo` text (field 5, octal escapes such as `\040` for a space)
/// strictly below `root`, relative to it.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn parse_below(mountinfo: &[u8], root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for line in mountinfo.split(|b| *b == b'\n') {
        let Some(field) = line.split(|b| *b == b' ').nth(4) else {
            continue;
        };
        let point = unescape(field);
        if let Ok(rel) = point.strip_prefix(root)
            && !rel.as_os_str().is_empty()
            && !out.iter().any(|p: &PathBuf| p == rel)
        {
            out.push(rel.to_path_buf());
        }
    }
    out
}

/// Undoes mountinfo's octal escapes (`\040` space, `\011` tab, `\012` newline, `\134` backslash).
fn unescape(field: &[u8]) -> PathBuf {
    let mut bytes = Vec::with_capacity(field.len());
    let mut i = 0;
    while i < field.len() {
        if field[i] == b'\\'
            && i + 3 < field.len()
            && field[i + 1..i + 4]
                .iter()
                .all(|c| (b'0'..=b'7').contains(c))
        {
            let v = field[i + 1..i + 4]
                .iter()
                .fold(0u32, |acc, c| acc * 8 + u32::from(c - b'0'));
            bytes.push(v as u8);
            i += 4;
        } else {
            bytes.push(field[i]);
            i += 1;
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        PathBuf::from(std::ffi::OsString::from_vec(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_mount_points_strictly_below_a_root_with_escapes() {
        let info = b"22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n\
            40 22 0:35 / /home/a/.config/teams-for-linux/Cache/my\\040disk rw - tmpfs t rw\n\
            41 22 0:36 / /home/a/.config/teams-for-linux rw - tmpfs t rw\n\
            42 22 0:37 /x /home/a/.config/teams-for-linux-other/y rw - ext4 /dev/sdb rw\n";
        let root = Path::new("/home/a/.config/teams-for-linux");
        assert_eq!(parse_below(info, root), [PathBuf::from("Cache/my disk")]);
        assert!(parse_below(b"garbage\n\n", root).is_empty());
    }
}
