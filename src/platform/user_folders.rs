//! The current user's folders, resolved once and checked: everything teamsfix reads or changes
//! must lie inside one of them.

use crate::common::i18n::Msg;
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
        check_home(&home)?;
        let real_home = std::fs::canonicalize(&home)
            .map_err(|_| Msg::new("safety.odd_home").arg("path", home.display()))?;
        let mut allowed = vec![real_home];
        for p in [&config, &local_data] {
            // The OS may place these outside the home folder (Windows folder redirection), but
            // a folder that only gets there through a link (a `~/.config` pointing elsewhere)
            // is not trusted: data roots below it are refused. A folder that does not exist
            // yet cannot hold a data root and is skipped.
            if let Ok(real) = std::fs::canonicalize(p)
                && !is_drive_root(&real)
                && same_path(&real, p)
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

fn check_home(home: &Path) -> Result<(), Msg> {
    if home.as_os_str().is_empty() || !home.is_absolute() {
        return Err(Msg::new("safety.odd_home").arg("path", home.display()));
    }
    match std::fs::metadata(home) {
        Ok(m) if m.is_dir() => {}
        _ => return Err(Msg::new("safety.odd_home").arg("path", home.display())),
    }
    let real = std::fs::canonicalize(home)
        .map_err(|_| Msg::new("safety.odd_home").arg("path", home.display()))?;
    if is_drive_root(&real) {
        return Err(Msg::new("safety.odd_home").arg("path", home.display()));
    }
    Ok(())
}

/// True when `real` (canonical) is `given` without any link resolved on the way. Windows'
/// canonical form carries a `\\?\` prefix, which is ignored here.
fn same_path(real: &Path, given: &Path) -> bool {
    let strip = |p: &Path| {
        let s = p.to_string_lossy().replace('\\', "/");
        s.trim_start_matches("//?/")
            .trim_end_matches('/')
            .to_ascii_lowercase()
    };
    strip(real) == strip(given)
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
