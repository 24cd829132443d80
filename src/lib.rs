//! teamsfix: the UI-free core of the Teams repair assistant.
//!
//! Layers, bottom up: the knowledge tables (`client_table`, `error_catalogue`, `checklist`,
//! `admin_steps`), the engine (`discover`, `scan`, `clear`, `processes`, `version`, `restart`),
//! and the output (`report`). The CLI (`src/bin/teamsfix-cli`) and the GUI (`gui`, behind the
//! `gui` feature) are thin layers over these.

rust_i18n::i18n!("locales", fallback = "en");

pub mod action_log;
pub mod admin_steps;
pub mod app_folders;
pub mod archive;
pub mod cache_class;
pub mod checklist;
pub mod clear;
pub mod client_table;
pub mod diagnose;
pub mod discover;
pub mod dll_hardening;
pub mod error_catalogue;
pub mod i18n;
pub mod processes;
pub mod progress;
pub mod redact;
pub mod repair;
pub mod report;
pub mod restart;
pub mod safety;
pub mod scan;
pub mod status;
pub mod tree_walk;
pub mod user_folders;
pub mod version;
#[cfg(windows)]
pub mod windows_platform;

#[cfg(feature = "gui")]
pub mod gui;
