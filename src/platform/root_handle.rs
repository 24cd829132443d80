//! Opening a checked data root as a handle, so that nothing after the check goes by path.
//!
//! `CheckedRoot::real` is canonical: every component of it is a real folder, no link. It is opened
//! from the top of its volume one component at a time, each relative to the one before, never
//! following a link ([`Dir::open_dir`]): if any component has been swapped for a link or junction
//! since the check, the open fails instead of landing somewhere else. The handle is then compared
//! with the folder the user knows (`CheckedRoot::shown`, read now): same device and file number,
//! and `real` still lies strictly inside one of the user's folders (checked by `check_root` on the
//! same canonical path). Opening from the volume's top rather than from the user folder is the
//! stricter of the two: no folder above the data root can be a link either.

use crate::platform::dir_handle::Dir;
use crate::platform::safety::CheckedRoot;
use std::path::{Component, Path, PathBuf};

/// Opens `root` (see the module comment). The error says which component was refused.
pub fn open(root: &CheckedRoot) -> std::io::Result<Dir> {
    let mut anchor = PathBuf::new();
    let mut rest = Vec::new();
    for c in root.real.components() {
        match c {
            Component::Prefix(_) | Component::RootDir if rest.is_empty() => anchor.push(c),
            Component::Normal(name) => rest.push(name),
            _ => return Err(refused(&root.real, "not a canonical path")),
        }
    }
    if anchor.as_os_str().is_empty() || rest.is_empty() {
        return Err(refused(&root.real, "not below the top of a volume"));
    }
    let mut dir = Dir::open_anchor(&anchor)?;
    let mut walked = anchor.clone();
    for name in rest {
        walked.push(name);
        // The user's folders may sit on their own volume (a home on its own partition, a
        // profile disk): a mount point on the way to the data root is normal. Below the root the
        // walk never crosses one.
        dir = match dir.open_dir_across_mounts(name)? {
            Some(d) => d,
            None => return Err(refused(&walked, "became a link or is not a folder")),
        };
    }
    let opened = dir.metadata()?;
    // The folder the user knows, opened by its path (its last component not followed): both
    // identities are read from handles, the same way on every OS.
    let shown = Dir::open_anchor(&root.shown).and_then(|d| d.metadata());
    if shown.map(|m| m.id).ok() != Some(opened.id) {
        return Err(refused(
            &root.shown,
            "is no longer the folder that was checked",
        ));
    }
    Ok(dir)
}

fn refused(path: &Path, why: &str) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::PermissionDenied,
        format!("{}: {why}", path.display()),
    )
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn checked(p: &Path) -> CheckedRoot {
        CheckedRoot {
            shown: p.into(),
            real: std::fs::canonicalize(p).unwrap(),
        }
    }

    #[test]
    fn opens_the_checked_folder_and_refuses_a_swapped_one() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join("home/.config/teams-for-linux");
        std::fs::create_dir_all(root.join("Cache")).unwrap();
        let c = checked(&root);
        let d = open(&c).unwrap();
        assert_eq!(
            d.metadata_at(std::ffi::OsStr::new("Cache")).unwrap().kind,
            crate::platform::dir_handle::EntryKind::Dir
        );
        // Swapped for a link to a folder elsewhere after the check: refused.
        let outside = t.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::rename(&root, t.path().join("moved")).unwrap();
        std::os::unix::fs::symlink(&outside, &root).unwrap();
        assert!(open(&c).is_err());
        // A parent swapped for a link: refused too.
        std::fs::remove_file(&root).unwrap();
        std::fs::rename(t.path().join("home/.config"), t.path().join("config-real")).unwrap();
        std::fs::rename(
            t.path().join("moved"),
            t.path().join("config-real/teams-for-linux"),
        )
        .unwrap();
        std::os::unix::fs::symlink(t.path().join("config-real"), t.path().join("home/.config"))
            .unwrap();
        assert!(open(&c).is_err());
    }
}
