//! The machine teamsfix runs on: the user's folders and teamsfix's own, the checks that stand
//! between a path and anything that changes it, who teamsfix runs as, processes held by handles,
//! programs found by absolute path, the bounds on teamsfix's own growing outputs, and the
//! Windows-only calls.

pub mod app_folders;
pub mod dir_handle;
pub mod dll_hardening;
pub mod identity;
pub mod instance_lock;
pub mod mounts;
pub mod process_handle;
pub mod programs;
pub mod retention;
pub mod root_handle;
pub mod safety;
pub mod user_folders;
#[cfg(windows)]
pub mod windows;
pub mod windows_paths;
