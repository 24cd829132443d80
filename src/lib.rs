//! teamsfix: the UI-free core of the Teams repair assistant.
//!
//! One folder per layer, bottom up; a layer uses only the layers listed before it
//! (`docs/architecture.md` has the whole picture):
//!
//! - [`common`]: languages and translated messages, progress and cancellation, how times and
//!   sizes are written.
//! - [`platform`]: the user's folders and teamsfix's own, the checks a data root must pass,
//!   Windows calls and DLL hardening.
//! - [`cache`]: what a data root holds (classes and their rules), walking, sizing, archiving and
//!   clearing it.
//! - [`clients`]: the table of Teams clients, finding them, their processes and versions,
//!   starting them, and the state of every client on this machine.
//! - [`guide`]: the knowledge for people: error catalogue, diagnosis, checklist, admin steps.
//! - [`report`]: the journal of what teamsfix did, hiding personal details, the helpdesk report.
//! - [`repair`]: the sequence both front ends run (quit, clear, restart), journaled.
//!
//! The CLI (`src/bin/teamsfix-cli`) and the GUI ([`gui`], behind the `gui` feature) are thin
//! layers over these.

rust_i18n::i18n!("locales", fallback = "en");

pub mod cache;
pub mod clients;
pub mod common;
pub mod guide;
pub mod platform;
pub mod repair;
pub mod report;

#[cfg(feature = "gui")]
pub mod gui;

// The module paths of the flat layout before the layers (0.1), for code written against them
// (`repair` and `report` re-export their old contents in their own `mod.rs`).
#[doc(hidden)]
pub use {
    cache::{archive, classes as cache_class, clear, scan, tree_walk},
    clients::{client_table, discover, processes, restart, status, version},
    common::{i18n, progress},
    guide::{admin_steps, checklist, diagnose, error_catalogue},
    platform::{app_folders, dll_hardening, safety, user_folders},
    report::{journal as action_log, redact},
};
