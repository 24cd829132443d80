//! Finding a program to start by an absolute path, never by bare name.
//!
//! Windows looks for a program started by bare name in the exe's own folder first, so a
//! `taskkill.exe` or `explorer.exe` lying next to teamsfix on a stick would run. Every program
//! teamsfix starts is therefore resolved here to a full path first:
//!
//! - Windows: only the system folders (`GetSystemWindowsDirectoryW`, `GetSystemDirectoryW`),
//!   never `PATH` or the exe's folder.
//! - Unix: the absolute entries of `PATH`; empty and relative entries (which mean "the current
//!   folder") are skipped.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// The directories of a `PATH` value that may be searched: absolute ones only, in order.
pub fn trusted_path_dirs(path_var: &OsStr) -> Vec<PathBuf> {
    std::env::split_paths(path_var)
        .filter(|d| !d.as_os_str().is_empty() && d.is_absolute())
        .collect()
}

/// A program by file name in the absolute entries of `PATH` (Unix), or in the system folders
/// (Windows, where `PATH` is not searched). `None` when it is in none of them.
pub fn find_program(name: &str) -> Option<PathBuf> {
    if name.is_empty() || Path::new(name).components().count() != 1 {
        return None;
    }
    if cfg!(windows) {
        return system_program(name);
    }
    let path = std::env::var_os("PATH")?;
    trusted_path_dirs(&path)
        .into_iter()
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// A program that ships with the OS: Windows' system folders (`C:\Windows`, then
/// `C:\Windows\System32`), or on Unix the fixed system folders `/usr/bin` and `/bin`.
pub fn system_program(name: &str) -> Option<PathBuf> {
    if name.is_empty() || Path::new(name).components().count() != 1 {
        return None;
    }
    for dir in system_dirs().into_iter().flatten() {
        let p = dir.join(name);
        if p.is_file() {
            return Some(p);
        }
    }
    None
}

#[cfg(windows)]
fn system_dirs() -> [Option<PathBuf>; 2] {
    use crate::platform::windows::{system_directory, windows_directory};
    [windows_directory(), system_directory()]
}

#[cfg(not(windows))]
fn system_dirs() -> [Option<PathBuf>; 2] {
    [Some(PathBuf::from("/usr/bin")), Some(PathBuf::from("/bin"))]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn empty_and_relative_path_entries_are_skipped() {
        let dirs = trusted_path_dirs(OsStr::new(":.:bin:/usr/local/bin::./x:/usr/bin"));
        assert_eq!(
            dirs,
            vec![PathBuf::from("/usr/local/bin"), PathBuf::from("/usr/bin")]
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_program_in_the_current_folder_is_not_found_by_name() {
        let t = tempfile::tempdir().unwrap();
        std::fs::write(t.path().join("teams-for-linux"), b"#!/bin/sh\n").unwrap();
        // find_program reads the process's PATH; the pure part decides which folders count.
        let path = std::env::join_paths(["", ".", t.path().to_str().unwrap()]).unwrap();
        let found: Vec<PathBuf> = trusted_path_dirs(&path)
            .into_iter()
            .map(|d| d.join("teams-for-linux"))
            .filter(|p| p.is_file())
            .collect();
        assert_eq!(found, vec![t.path().join("teams-for-linux")]);
        assert!(find_program("../teams-for-linux").is_none());
        assert!(find_program("").is_none());
        assert!(system_program("sh").is_some_and(|p| p.is_absolute()));
    }
}
