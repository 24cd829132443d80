//! The current user's folders, resolved once and checked: everything teamsfix reads or changes
//! must lie inside one of them.

use crate::common::i18n::Msg;
use crate::platform::identity;
use std::path::{Path, PathBuf};

/// The user folder a path in the table is relative to. Resolved by [`UserFolders::resolve`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base {
    /// The home folder (`~`, `%USERPROFILE%`).
    Home,
    /// `%APPDATA%` (Roaming) on Windows.
    RoamingAppData,
    /// `%LOCALAPPDATA%` on Windows.
    LocalAppData,
    /// `$XDG_CONFIG_HOME` or `~/.config` on Linux.
    XdgConfig,
}

#[derive(Clone, Debug)]
pub struct UserFolders {
    pub home: PathBuf,
    /// `%APPDATA%` on Windows, `~/.config` (XDG) on Linux, `~/Library/Application Support` on macOS.
    pub config: PathBuf,
    /// `%LOCALAPPDATA%` on Windows, `~/.local/share` on Linux, `~/Library/Application Support` on macOS.
    pub local_data: PathBuf,
    /// The same folders with links resolved: the only places a data root may resolve into.
    allowed: Vec<PathBuf>,
}

impl UserFolders {
    /// Resolves the folders of the user running teamsfix and refuses an unset or odd home
    /// (missing, not absolute, a file, or the root of a drive).
    pub fn detect() -> Result<UserFolders, Msg> {
        let base = directories::BaseDirs::new().ok_or_else(|| Msg::new("safety.no_home"))?;
        UserFolders::from_parts(
            base.home_dir().to_path_buf(),
            base.config_dir().to_path_buf(),
            base.data_local_dir().to_path_buf(),
        )
    }

    pub fn from_parts(
        home: PathBuf,
        config: PathBuf,
        local_data: PathBuf,
    ) -> Result<UserFolders, Msg> {
        let real_home = check_home(&home)?;
        let mut allowed = vec![real_home];
        for p in [&config, &local_data] {
            // The OS may place these outside the home folder (Windows folder redirection to a
            // share, a profile on a volume without a drive letter), but a folder that only gets
            // there through a link (a `~/.config` pointing elsewhere) is not trusted: data roots
            // below it are refused. A folder that does not exist yet cannot hold a data root and
            // is skipped.
            if let Ok(real) = std::fs::canonicalize(p)
                && !is_drive_root(p)
                && same_place(p, &real)
            {
                allowed.push(real);
            }
        }
        Ok(UserFolders {
            home,
            config,
            local_data,
            allowed,
        })
    }

    pub fn base(&self, base: Base) -> PathBuf {
        match base {
            Base::Home => self.home.clone(),
            Base::RoamingAppData | Base::XdgConfig => self.config.clone(),
            Base::LocalAppData => self.local_data.clone(),
        }
    }

    /// `base` joined with a `/`-separated path from the client table.
    pub fn resolve(&self, base: Base, rel: &str) -> PathBuf {
        let mut p = self.base(base);
        p.extend(rel.split('/').filter(|c| !c.is_empty()));
        p
    }

    /// The user folders with links resolved.
    pub fn allowed_roots(&self) -> &[PathBuf] {
        &self.allowed
    }
}

/// Refuses an unset or odd home (empty, relative, missing, a file, a drive root, reached through
/// a link to a drive root) and one that belongs to another user; returns it with links resolved.
fn check_home(home: &Path) -> Result<PathBuf, Msg> {
    let odd = || Msg::new("safety.odd_home").arg("path", home.display());
    if home.as_os_str().is_empty() || !home.is_absolute() || is_drive_root(home) {
        return Err(odd());
    }
    match std::fs::metadata(home) {
        Ok(m) if m.is_dir() => {}
        _ => return Err(odd()),
    }
    let real = std::fs::canonicalize(home).map_err(|_| odd())?;
    // A profile on a volume without a drive letter resolves to that volume's root: fine when the
    // volume is mounted at the home folder itself.
    if is_drive_root(&real) && !same_place(home, &real) {
        return Err(odd());
    }
    match identity::owned_by_current_user(&real) {
        Ok(true) => Ok(real),
        Ok(false) => Err(Msg::new("safety.not_owned")
            .arg("path", home.display())
            .arg("user", identity::current_user_name())),
        Err(e) => Err(Msg::new("safety.unreadable")
            .arg("path", home.display())
            .arg("reason", e)),
    }
}

/// True when `real` (canonical) is the folder `given` names without any link on the way.
/// Windows: compared as text after removing the verbatim prefixes (`\\?\`, `\\?\UNC\`); a
/// volume without a drive letter counts when the system confirms it is mounted at the folder
/// the given path names (FSLogix profile containers).
fn same_place(given: &Path, real: &Path) -> bool {
    #[cfg(windows)]
    {
        use crate::platform::windows_paths::{SamePlace, compare};
        match compare(&given.to_string_lossy(), &real.to_string_lossy()) {
            SamePlace::Same => true,
            SamePlace::ThroughVolumeMount {
                mount_point,
                volume,
            } => crate::platform::windows::volume_mounted_at(Path::new(&mount_point))
                .is_some_and(|v| v.eq_ignore_ascii_case(&volume)),
            SamePlace::Different => false,
        }
    }
    #[cfg(not(windows))]
    {
        given == real
    }
}

/// `/`, `C:\` and the like: a home folder there means the environment is broken.
fn is_drive_root(p: &Path) -> bool {
    p.parent().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_root_relative_and_missing_homes() {
        let t = tempfile::tempdir().unwrap();
        let ok = t.path().to_path_buf();
        assert!(UserFolders::from_parts(ok.clone(), ok.join("c"), ok.join("l")).is_ok());
        assert!(UserFolders::from_parts("/".into(), "/".into(), "/".into()).is_err());
        assert!(UserFolders::from_parts("relative".into(), ok.clone(), ok.clone()).is_err());
        assert!(UserFolders::from_parts(ok.join("missing"), ok.clone(), ok.clone()).is_err());
        std::fs::write(ok.join("file"), b"x").unwrap();
        assert!(UserFolders::from_parts(ok.join("file"), ok.clone(), ok.clone()).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_config_folder_reached_through_a_link_is_not_trusted() {
        let t = tempfile::tempdir().unwrap();
        let home = std::fs::canonicalize(t.path()).unwrap().join("home");
        let elsewhere = std::fs::canonicalize(t.path()).unwrap().join("elsewhere");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, home.join(".config")).unwrap();
        let f = UserFolders::from_parts(
            home.clone(),
            home.join(".config"),
            home.join(".local/share"),
        )
        .unwrap();
        assert_eq!(f.allowed_roots(), std::slice::from_ref(&home));
        // A real folder outside home given by the OS (folder redirection) is trusted.
        let f = UserFolders::from_parts(home.clone(), elsewhere.clone(), home.join(".local/share"))
            .unwrap();
        assert_eq!(f.allowed_roots(), &[home, elsewhere]);
    }

    #[test]
    fn resolve_joins_table_paths() {
        let t = tempfile::tempdir().unwrap();
        let f = UserFolders::from_parts(
            t.path().into(),
            t.path().join(".config"),
            t.path().join(".local/share"),
        )
        .unwrap();
        assert_eq!(
            f.resolve(Base::XdgConfig, "Microsoft/Microsoft Teams"),
            t.path()
                .join(".config")
                .join("Microsoft")
                .join("Microsoft Teams")
        );
    }
}
