//! The machine teamsfix runs on: the user's folders and teamsfix's own, the checks that stand
//! between a path and anything that changes it, the bounds on teamsfix's own growing outputs,
//! and the Windows-only calls.

pub mod app_folders;
pub mod dir_handle;
pub mod dll_hardening;
pub mod retention;
pub mod root_handle;
pub mod safety;
pub mod user_folders;
#[cfg(windows)]
pub mod windows;
