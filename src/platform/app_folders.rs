//! teamsfix's own folders: settings, checklist state, diagnostics archives and saved reports.
//!
//! Portable mode: when a file named [`PORTABLE_MARKER`] sits next to the executable, everything
//! goes into a `teamsfix-data` folder next to it (a USB stick keeps its own state). Otherwise the
//! per-user data folder of the OS is used. teamsfix never writes the registry.
//! `TEAMSFIX_DATA_DIR` overrides both (for tests and fleet tools that want a fixed place).

use std::path::{Path, PathBuf};

pub const PORTABLE_MARKER: &str = "teamsfix.portable";
pub const PORTABLE_DATA_DIR: &str = "teamsfix-data";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppFolders {
    pub data: PathBuf,
    pub portable: bool,
}

impl AppFolders {
    pub fn detect() -> AppFolders {
        if let Some(dir) = std::env::var_os("TEAMSFIX_DATA_DIR").filter(|d| !d.is_empty()) {
            // A relative folder is taken from the current folder, once: every path teamsfix
            // prints (archives, backups, bundles) is then one the reader can open from anywhere.
            let dir = PathBuf::from(dir);
            return AppFolders {
                data: std::path::absolute(&dir).unwrap_or(dir),
                portable: false,
            };
        }
        let exe_dir = std::env::current_exe()
            .ok()
            .and_then(|e| e.parent().map(Path::to_path_buf));
        if let Some(dir) = exe_dir
            && let Some(portable) = AppFolders::portable_in(&dir)
        {
            return portable;
        }
        let data = directories::ProjectDirs::from("", "", "teamsfix")
            .map(|p| p.data_local_dir().to_path_buf())
            .unwrap_or_else(|| std::env::temp_dir().join("teamsfix"));
        AppFolders {
            data,
            portable: false,
        }
    }

    /// Portable folders next to an executable in `exe_dir`, when the marker is there.
    pub fn portable_in(exe_dir: &Path) -> Option<AppFolders> {
        exe_dir.join(PORTABLE_MARKER).is_file().then(|| AppFolders {
            data: exe_dir.join(PORTABLE_DATA_DIR),
            portable: true,
        })
    }

    /// Where diagnostics are archived before a clear; one timestamped folder per clear.
    pub fn archives(&self) -> PathBuf {
        self.data.join("archives")
    }

    pub fn reports(&self) -> PathBuf {
        self.data.join("reports")
    }

    /// The GUI's settings and checklist state.
    pub fn state_file(&self) -> PathBuf {
        self.data.join("state.json")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portable_only_with_marker() {
        let t = tempfile::tempdir().unwrap();
        assert!(AppFolders::portable_in(t.path()).is_none());
        std::fs::write(t.path().join(PORTABLE_MARKER), b"").unwrap();
        let p = AppFolders::portable_in(t.path()).unwrap();
        assert!(p.portable);
        assert_eq!(p.data, t.path().join(PORTABLE_DATA_DIR));
        assert_eq!(
            p.archives(),
            t.path().join(PORTABLE_DATA_DIR).join("archives")
        );
    }
}
