//! Exit codes, writing to the terminal (checked: a closed pipe or a full disk ends the program
//! politely, never with a panic), JSON printing and the terminal progress bar shared by the
//! commands.
//!
//! Every command writes through [`outln!`], [`out!`] and [`errln!`], never `println!`: std's
//! printing macros panic when stdout fails (`teamsfix-cli status --json | head -c 10`, a report
//! redirected to a full disk), and the release build aborts on a panic (exit 134).

use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::sync::OnceLock;
use std::time::Duration;
use teamsfix::common::i18n::{Lang, tr, tr_args};
use teamsfix::common::progress::{Phase, Progress, ProgressSink};

/// Documented in README.md; scripts rely on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    Ok = 0,
    /// Bad usage, or teamsfix refused (no confirmation, unsafe environment, unknown client).
    Refused = 2,
    /// A client could not be quit; its cache was not touched.
    StillRunning = 3,
    /// Some files could not be removed or archived, a restart failed, or an output (the
    /// terminal, a report, a bundle) could not be written.
    PartlyFailed = 4,
    /// Another teamsfix of this user is clearing, resetting, restoring, quitting or starting
    /// Teams (or writing a bundle): nothing was done. Try again later, or pass `--wait SECS`.
    Busy = 5,
}

/// The language of the messages about output that failed; set once by `main`.
static LANG: OnceLock<Lang> = OnceLock::new();

/// Whether the command was asked for `--json`; set once by `main`.
static JSON: OnceLock<bool> = OnceLock::new();

/// Call from `main` with the command's `--json`: a refusal before the command's own output
/// ([`fail`]) then still gives a JSON document on stdout.
pub fn set_json(json: bool) {
    let _ = JSON.set(json);
}

/// A command that stops before its own output: the message on stderr, and with `--json` a
/// document on stdout (`{"schema_version": 1, "error": ..., "exit_code": N}`), so a script that
/// parses stdout always gets JSON.
pub fn fail(lang: Lang, message: &str, code: Exit) -> Exit {
    if JSON.get().copied().unwrap_or(false) {
        print_json(&serde_json::json!({
            "schema_version": teamsfix::report::helpdesk::SCHEMA_VERSION,
            "error": message,
            "exit_code": code as i32,
        }));
    }
    error(lang, message);
    code
}

/// Call first thing in `main`: a reader that closes the pipe early (`| head`) ends the program
/// the way it ends every other Unix tool (by SIGPIPE, exit status 141 in a shell), instead of
/// every write failing with "broken pipe". Rust ignores SIGPIPE by default; this restores it.
pub fn init(lang: Lang) {
    let _ = LANG.set(lang);
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to its default has no preconditions; no handler
    // of ours is involved.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// Prints a line to stdout (see the module comment).
macro_rules! outln {
    () => {
        $crate::output::write_stdout(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::output::write_stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// Prints to stdout without a line break (see the module comment).
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::output::write_stdout(format_args!($($arg)*))
    };
}

/// Prints a line to stderr. A stderr that cannot be written is ignored: there is nowhere left
/// to say so.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::output::write_stderr(format_args!("{}\n", format_args!($($arg)*)))
    };
}

pub(crate) use {errln, out, outln};

/// Writes to stdout and flushes, so a failure shows at once (not at exit, where it would be
/// lost). A closed pipe ends the program quietly; any other failure (a full disk) says so on
/// stderr and ends it with [`Exit::PartlyFailed`].
pub fn write_stdout(args: std::fmt::Arguments) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.flush()) {
        stdout_failed(&e);
    }
}

pub fn write_stderr(args: std::fmt::Arguments) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_fmt(args).and_then(|()| err.flush());
}

fn stdout_failed(e: &std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        closed_pipe();
    }
    let lang = LANG.get().copied().unwrap_or_default();
    let reason = teamsfix::cache::tree_walk::describe_io_error(e);
    error(
        lang,
        &tr_args(lang, "helpdesk.cli.stdout_failed", &[("reason", &reason)]),
    );
    std::process::exit(Exit::PartlyFailed as i32);
}

/// The reader is gone: end as a closed pipe ends a program. On Unix that is SIGPIPE (restored
/// by [`init`]; raised here in case the write came back with EPIPE anyway). Windows has no
/// such signal: the program ends quietly with success, as the reader asked for no more.
fn closed_pipe() -> ! {
    #[cfg(unix)]
    // SAFETY: see `init`; raising a signal whose disposition is the default ends the process.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        libc::raise(libc::SIGPIPE);
    }
    std::process::exit(0)
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
    outln!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}

pub fn error(lang: Lang, message: &str) {
    errln!("{}: {message}", tr(lang, "cli.error"));
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
