//! The checks that stand between a path and anything that changes it.

use crate::common::i18n::Msg;
use crate::platform::identity;
use crate::platform::user_folders::UserFolders;
use std::path::{Path, PathBuf};

/// A data root that passed every check: it exists, is a real folder (not a link or junction),
/// resolves strictly inside one of the user's folders, and belongs to the user teamsfix runs as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedRoot {
    /// The path as the client table builds it (shown to people).
    pub shown: PathBuf,
    /// The same folder with links in its parents resolved; all work happens below this path.
    pub real: PathBuf,
}

/// Why a data root is not there or not safe to work in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RootProblem {
    /// Nothing at that path: the client is not installed this way (not an error).
    Missing,
    /// Something is there but teamsfix will not touch it; the message says why.
    Refused(Msg),
}

pub fn check_root(path: &Path, folders: &UserFolders) -> Result<CheckedRoot, RootProblem> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(RootProblem::Missing),
        Err(e) => {
            return Err(RootProblem::Refused(
                Msg::new("safety.unreadable")
                    .arg("path", path.display())
                    .arg("reason", e),
            ));
        }
    };
    if meta.file_type().is_symlink() {
        return Err(RootProblem::Refused(
            Msg::new("safety.link").arg("path", path.display()),
        ));
    }
    if !meta.is_dir() {
        return Err(RootProblem::Refused(
            Msg::new("safety.not_folder").arg("path", path.display()),
        ));
    }
    let real = std::fs::canonicalize(path).map_err(|e| {
        RootProblem::Refused(
            Msg::new("safety.unreadable")
                .arg("path", path.display())
                .arg("reason", e),
        )
    })?;
    let inside = folders
        .allowed_roots()
        .iter()
        .any(|allowed| real.starts_with(allowed) && real != *allowed);
    if !inside {
        return Err(RootProblem::Refused(
            Msg::new("safety.outside_user_folders")
                .arg("path", path.display())
                .arg("real", real.display()),
        ));
    }
    if folders
        .allowed_roots()
        .iter()
        .any(|allowed| allowed.starts_with(&real))
    {
        return Err(RootProblem::Refused(
            Msg::new("safety.is_user_folder").arg("path", path.display()),
        ));
    }
    // A data root of another user is not teamsfix's to clear, even when teamsfix could (run as
    // root or elevated, with a home folder or AppData pointing at someone else's profile).
    match identity::owned_by_current_user(&real) {
        Ok(true) => {}
        Ok(false) => {
            return Err(RootProblem::Refused(
                Msg::new("safety.not_owned")
                    .arg("path", path.display())
                    .arg("user", identity::current_user_name()),
            ));
        }
        Err(e) => {
            return Err(RootProblem::Refused(
                Msg::new("safety.unreadable")
                    .arg("path", path.display())
                    .arg("reason", e),
            ));
        }
    }
    std::fs::read_dir(&real).map_err(|e| {
        RootProblem::Refused(
            Msg::new("safety.unreadable")
                .arg("path", path.display())
                .arg("reason", e),
        )
    })?;
    Ok(CheckedRoot {
        shown: path.to_path_buf(),
        real,
    })
}

/// True when `candidate`, which must be below `root`, really is below it (no `..` tricks).
pub fn is_strictly_inside(candidate: &Path, root: &Path) -> bool {
    candidate != root
        && candidate.starts_with(root)
        && candidate
            .strip_prefix(root)
            .map(|rel| {
                rel.components()
                    .all(|c| matches!(c, std::path::Component::Normal(_)))
            })
            .unwrap_or(false)
}

/// Joins a relative path onto a root after checking it cannot climb out.
pub fn join_inside(root: &Path, rel: &Path) -> Option<PathBuf> {
    let p = root.join(rel);
    is_strictly_inside(&p, root).then_some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folders(home: &Path) -> UserFolders {
        UserFolders::from_parts(home.into(), home.join(".config"), home.join(".local/share"))
            .unwrap()
    }

    #[test]
    fn accepts_a_real_folder_inside_home() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join(".config/teams-for-linux");
        std::fs::create_dir_all(&root).unwrap();
        let c = check_root(&root, &folders(t.path())).unwrap();
        assert!(c.real.ends_with("teams-for-linux"));
    }

    #[test]
    fn missing_is_not_an_error_but_links_files_and_home_are_refused() {
        let t = tempfile::tempdir().unwrap();
        let home = t.path().join("home");
        std::fs::create_dir_all(home.join(".config")).unwrap();
        let f = folders(&home);
        assert_eq!(
            check_root(&home.join(".config/none"), &f),
            Err(RootProblem::Missing)
        );
        std::fs::write(home.join(".config/file"), b"x").unwrap();
        assert!(matches!(
            check_root(&home.join(".config/file"), &f),
            Err(RootProblem::Refused(_))
        ));
        assert!(matches!(
            check_root(&home, &f),
            Err(RootProblem::Refused(_))
        ));
        assert!(matches!(
            check_root(&home.join(".config"), &f),
            Err(RootProblem::Refused(_))
        ));
        #[cfg(unix)]
        {
            let outside = t.path().join("outside");
            std::fs::create_dir_all(&outside).unwrap();
            std::os::unix::fs::symlink(&outside, home.join(".config/link")).unwrap();
            let r = check_root(&home.join(".config/link"), &f);
            assert!(matches!(r, Err(RootProblem::Refused(ref m)) if m.key == "safety.link"));
            // A parent that is a link pointing outside the user's folders is refused too.
            std::fs::create_dir_all(outside.join("teams-for-linux")).unwrap();
            std::os::unix::fs::symlink(&outside, home.join("elsewhere")).unwrap();
            let r = check_root(&home.join("elsewhere/teams-for-linux"), &f);
            assert!(
                matches!(r, Err(RootProblem::Refused(ref m)) if m.key == "safety.outside_user_folders")
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_root_owned_by_another_user_is_refused() {
        if !identity::is_elevated() {
            eprintln!("skipped: needs root to give a folder to another uid");
            return;
        }
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join(".config/teams-for-linux");
        std::fs::create_dir_all(&root).unwrap();
        let c = std::ffi::CString::new(root.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::chown(c.as_ptr(), 65534, 65534) }, 0);
        let r = check_root(&root, &folders(t.path()));
        assert!(matches!(r, Err(RootProblem::Refused(ref m)) if m.key == "safety.not_owned"));
    }

    #[test]
    fn join_inside_refuses_climbing_out() {
        let root = Path::new("/a/b");
        assert!(join_inside(root, Path::new("c/d")).is_some());
        assert!(join_inside(root, Path::new("../c")).is_none());
        assert!(join_inside(root, Path::new("")).is_none());
        assert!(join_inside(root, Path::new("/etc")).is_none());
    }
}
