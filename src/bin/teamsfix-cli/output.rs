//! Exit codes, JSON printing and the terminal progress bar shared by the commands.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;
use teamsfix::common::i18n::{Lang, tr};
use teamsfix::common::progress::{Phase, Progress, ProgressSink};

/// Documented in README.md; scripts rely on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    Ok = 0,
    /// Bad usage, or teamsfix refused (no confirmation, unsafe environment, unknown client).
    Refused = 2,
    /// A client could not be quit; its cache was not touched.
    StillRunning = 3,
    /// Some files could not be removed or archived, or a restart failed.
    PartlyFailed = 4,
}

/// The exit code of a quit or clear refused because the processes could not be known: the user
/// unknown is an unsafe environment (2); an unreadable process list means Teams may still run
/// (3).
pub fn exit_of_process_error(e: teamsfix::clients::processes::ProcessListError) -> Exit {
    match e {
        teamsfix::clients::processes::ProcessListError::UserUnknown => Exit::Refused,
        teamsfix::clients::processes::ProcessListError::Unreadable => Exit::StillRunning,
    }
}

pub fn print_json(value: &serde_json::Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}

pub fn error(lang: Lang, message: &str) {
    eprintln!("{}: {message}", tr(lang, "cli.error"));
}

/// A spinner with the current phase and a file count, on stderr, only on a terminal.
pub struct TerminalProgress {
    bar: ProgressBar,
    lang: Lang,
}

impl TerminalProgress {
    pub fn new(lang: Lang, enabled: bool) -> TerminalProgress {
        let bar = if enabled && std::io::stderr().is_terminal() {
            let b = ProgressBar::new_spinner();
            b.set_style(
                ProgressStyle::with_template("{spinner} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            b.enable_steady_tick(Duration::from_millis(120));
            b
        } else {
            ProgressBar::hidden()
        };
        TerminalProgress { bar, lang }
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl ProgressSink for TerminalProgress {
    fn report(&self, p: Progress) {
        match p {
            Progress::Phase { phase, .. } => {
                self.bar.set_message(tr(self.lang, phase.key()));
                if phase == Phase::Deleting {
                    self.bar.set_position(0);
                }
            }
            Progress::Advance { done } => {
                let phase = tr(self.lang, Phase::Deleting.key());
                self.bar.set_message(format!("{phase} ({done})"));
            }
            Progress::ClientCanStart { .. } => {}
        }
    }
}
