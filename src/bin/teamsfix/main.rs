//! `teamsfix`: the desktop app. See `teamsfix::gui`.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use clap::Parser;
use std::path::PathBuf;
use std::process::ExitCode;
use teamsfix::common::i18n::Lang;
use teamsfix::gui::{Options, Tab};

/// teamsfix: repair assistant for Microsoft Teams guest access.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Render the window, save a PNG screenshot to FILE and exit.
    #[arg(long, value_name = "FILE")]
    screenshot: Option<PathBuf>,
    /// The tab to open: checklist, repair, admin or report.
    #[arg(long, value_parser = ["checklist", "repair", "admin", "report"])]
    tab: Option<String>,
    /// The language for this run: nl or en (default: the saved choice, else the system's).
    #[arg(long, value_parser = ["nl", "en"])]
    lang: Option<String>,
}

fn main() -> ExitCode {
    teamsfix::platform::dll_hardening::restrict_dll_search_path();
    teamsfix::gui::mark_start();
    let args = Args::parse();
    teamsfix::gui::run(Options {
        screenshot: args.screenshot,
        tab: args.tab.as_deref().and_then(Tab::from_id),
        lang: args.lang.as_deref().and_then(Lang::from_code),
    })
}
