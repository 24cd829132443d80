//! `teamsfix-cli`: the console front end of teamsfix, for helpdesk scripts and fleet tools.
//! Every command is a thin layer over the library; see README.md for exit codes and JSON keys.

mod audit_cmd;
mod bundle_cmd;
mod clear_cmd;
mod context;
mod diagnose_cmd;
mod output;
mod quit_cmd;
mod report_cmd;
mod restart_cmd;
mod restore_cmd;
mod results;
mod status_cmd;

use clap::{Parser, Subcommand, ValueEnum};
use std::process::ExitCode;
use teamsfix::cache::archive::ArchiveLimits;
use teamsfix::cache::clear::Mode;
use teamsfix::common::i18n::Lang;
use teamsfix::platform::retention::Limits;

#[derive(Parser)]
#[command(
    name = "teamsfix-cli",
    version,
    about = "Find, quit, clear and check Microsoft Teams clients; diagnose guest-access errors."
)]
struct Cli {
    /// Language of the output (default: the system's language).
    #[arg(long, global = true, value_enum)]
    lang: Option<LangArg>,
    /// When another teamsfix of this user is at work (clearing, resetting, restoring, quitting
    /// or starting Teams): wait up to SECS seconds for it to finish instead of stopping at once
    /// with exit code 5 (a bundle waits 60 seconds unless told otherwise).
    #[arg(long, global = true, value_name = "SECS",
          value_parser = clap::value_parser!(u64).range(0..=86_400))]
    wait: Option<u64>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Nl,
    En,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ModeArg {
    /// Only regenerable cache; the user stays signed in.
    Safe,
    /// Everything except the user's data; logs are archived first; signs the user out.
    Full,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FormatArg {
    Text,
    Markdown,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Show every Teams client on this machine: version, verdict, running processes, cache sizes.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Quit the running Teams clients (politely, then by force after the timeout).
    Quit {
        /// Seconds to wait for a polite quit before forcing.
        #[arg(long, default_value_t = 10)]
        timeout: u64,
        /// Only this client (repeatable); see `status` for ids.
        #[arg(long = "client", value_name = "ID")]
        clients: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Quit Teams and clear its cache, keeping the user's data and archiving the logs first.
    ClearCache {
        #[arg(long, value_enum, default_value_t = ModeArg::Safe)]
        mode: ModeArg,
        /// Only this client (repeatable); see `status` for ids.
        #[arg(long = "client", value_name = "ID")]
        clients: Vec<String>,
        /// Change nothing; report exactly what a real run would remove, keep and archive.
        #[arg(long)]
        dry_run: bool,
        /// Do not ask for confirmation (needed when there is no terminal).
        #[arg(long, short = 'y')]
        yes: bool,
        /// Start the cleared clients again afterwards.
        #[arg(long)]
        restart: bool,
        /// Seconds to wait for a polite quit before forcing.
        #[arg(long, default_value_t = 10)]
        timeout: u64,
        /// Most megabytes one log archive may hold (newest logs first; the rest is listed in it).
        #[arg(long, value_name = "MB", default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
        archive_cap_mb: u64,
        /// How many log archives are kept (the newest; older ones are removed).
        #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=10_000))]
        archives_keep: u64,
        /// Most megabytes all kept log archives may hold together (the newest is always kept).
        #[arg(long, value_name = "MB", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
        archives_max_mb: u64,
        #[arg(long)]
        json: bool,
        /// Only clear a data root whose temporary cache is larger than MB megabytes
        /// (1 MB = 1,000,000 bytes); otherwise do nothing, not even quit Teams, and exit 0.
        #[arg(long, value_name = "MB")]
        if_over: Option<u64>,
        /// Before a full reset, keep a backup of the sign-in and app data it removes, so
        /// `restore` can undo it (the default).
        #[arg(long, overrides_with = "no_backup")]
        backup: bool,
        /// Do not keep a backup before a full reset.
        #[arg(long, overrides_with = "backup")]
        no_backup: bool,
    },
    /// Start Teams again.
    Restart {
        #[arg(long = "client", value_name = "ID")]
        clients: Vec<String>,
    },
    /// Explain an error message (English or Dutch, or an AADSTS code) and what fixes it.
    Diagnose {
        /// The message as the user sees it (quote it), or - to read it from standard input
        /// (at most 16 KiB).
        message: String,
        #[arg(long)]
        json: bool,
    },
    /// A report of this machine and of what teamsfix did, for the helpdesk.
    Report {
        #[arg(long, value_enum, default_value_t = FormatArg::Text)]
        format: FormatArg,
        /// Write to this file instead of the terminal.
        #[arg(long)]
        output: Option<std::path::PathBuf>,
        /// Hide the user name, e-mail addresses and home-folder paths (and the audit's tenant
        /// ids, user names and guest addresses).
        #[arg(long)]
        redact: bool,
        /// Include the verdicts of this tenant audit result (or ScubaGear export).
        #[arg(long, value_name = "FILE")]
        audit: Option<std::path::PathBuf>,
    },
    /// Undo a full reset: put back the sign-in and app data kept in a backup before it (after
    /// quitting Teams; files Teams made again since are never overwritten).
    Restore {
        /// Only this client's backups (repeatable); see `status` for ids.
        #[arg(long = "client", value_name = "ID")]
        clients: Vec<String>,
        /// List the backups instead of restoring one.
        #[arg(long)]
        list: bool,
        #[arg(long)]
        json: bool,
        /// Seconds to wait for a polite quit before forcing.
        #[arg(long, default_value_t = 10)]
        timeout: u64,
        /// Restore never asks (it only adds files); accepted for scripts written for clear-cache.
        #[arg(long, short = 'y', hide = true)]
        yes: bool,
        /// The backup to put back (a name from --list); default: the last full reset.
        backup: Option<String>,
    },
    /// One zip for a helpdesk ticket: the report (text and JSON), teamsfix's journal, the Teams
    /// logs and log archives, and the support files Teams saved in Downloads.
    Bundle {
        /// Write the zip here (default: a new file named with the date and computer in
        /// teamsfix's bundles folder, where older bundles are pruned).
        #[arg(long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
        /// Hide the user name, e-mail addresses and home-folder paths, in the contents and in
        /// the file names; files that are not text are left out.
        #[arg(long)]
        redact: bool,
        /// The largest the zip may be, in MB (1 MB = 1,000,000 bytes); what does not fit is
        /// listed in contents.txt inside it.
        #[arg(long, value_name = "MB", default_value_t = 100,
              value_parser = clap::value_parser!(u64).range(1..=4000))]
        max_mb: u64,
        #[arg(long)]
        json: bool,
    },
    /// The tenant audit: a read-only PowerShell script, and verdicts from its result.
    #[command(subcommand)]
    Audit(AuditCommand),
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Write the read-only audit script (PowerShell) to stdout or a file.
    Script {
        /// The guest's e-mail address: also read the guest's account, home organisation and membership.
        #[arg(long, value_name = "EMAIL")]
        guest: Option<String>,
        /// The team's name or group id: also read its own guest setting, label, site and members.
        #[arg(long, value_name = "NAME|ID")]
        team: Option<String>,
        /// Write the script to this file (UTF-8 with BOM) instead of stdout.
        #[arg(long, value_name = "FILE")]
        output: Option<std::path::PathBuf>,
    },
    /// Judge an audit result (or a ScubaGear ProviderSettingsExport.json): a verdict per layer.
    Read {
        /// The result file the script wrote.
        file: std::path::PathBuf,
        #[arg(long)]
        json: bool,
    },
}

/// A command line clap cannot read: its message on stderr and exit 2, as always; with `--json`
/// on the line also a JSON document on stdout (a script that parses stdout gets JSON even for a
/// typo). `--help` and `--version` print as usual.
fn usage_error(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let shown = matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if !shown && std::env::args_os().any(|a| a == "--json") {
        // The message without the usage lines clap adds after an empty line.
        let text = e.to_string();
        let text = text.split("\n\n").next().unwrap_or_default();
        let text = text.strip_prefix("error: ").unwrap_or(text);
        let first = text.split_whitespace().collect::<Vec<_>>().join(" ");
        output::init(Lang::from_os());
        output::print_json(&serde_json::json!({
            "schema_version": teamsfix::report::helpdesk::SCHEMA_VERSION,
            "error": first,
            "exit_code": 2,
        }));
    }
    let _ = e.print();
    ExitCode::from(e.exit_code() as u8)
}

impl From<ModeArg> for Mode {
    fn from(m: ModeArg) -> Mode {
        match m {
            ModeArg::Safe => Mode::Safe,
            ModeArg::Full => Mode::Full,
        }
    }
}

fn main() -> ExitCode {
    teamsfix::platform::dll_hardening::restrict_dll_search_path();
    teamsfix::platform::instance_lock::note_process_start();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let lang = match cli.lang {
        Some(LangArg::Nl) => Lang::Nl,
        Some(LangArg::En) => Lang::En,
        None => Lang::from_os(),
    };
    output::init(lang);
    context::set_wait(cli.wait);
    output::set_json(match &cli.command {
        Command::Status { json }
        | Command::Quit { json, .. }
        | Command::ClearCache { json, .. }
        | Command::Diagnose { json, .. }
        | Command::Restore { json, .. }
        | Command::Bundle { json, .. }
        | Command::Audit(AuditCommand::Read { json, .. }) => *json,
        Command::Restart { .. }
        | Command::Report { .. }
        | Command::Audit(AuditCommand::Script { .. }) => false,
    });
    let code = match cli.command {
        Command::Status { json } => status_cmd::run(lang, json),
        Command::Quit {
            timeout,
            clients,
            json,
        } => quit_cmd::run(lang, timeout, &clients, json),
        Command::ClearCache {
            mode,
            clients,
            dry_run,
            yes,
            restart,
            timeout,
            archive_cap_mb,
            archives_keep,
            archives_max_mb,
            json,
            if_over,
            backup: _,
            no_backup,
        } => clear_cmd::run(
            lang,
            clear_cmd::Options {
                mode: mode.into(),
                clients,
                dry_run,
                yes,
                restart,
                timeout,
                archive_limits: ArchiveLimits {
                    cap: archive_cap_mb * 1_000_000,
                    keep: Limits {
                        keep: archives_keep as usize,
                        max_bytes: archives_max_mb * 1_000_000,
                    },
                },
                json,
                if_over,
                backup: !no_backup,
            },
        ),
        Command::Restart { clients } => restart_cmd::run(lang, &clients),
        Command::Diagnose { message, json } => diagnose_cmd::run(lang, &message, json),
        Command::Report {
            format,
            output,
            redact,
            audit,
        } => report_cmd::run(lang, format, output.as_deref(), redact, audit.as_deref()),
        Command::Restore {
            clients,
            list,
            json,
            timeout,
            yes: _,
            backup,
        } => restore_cmd::run(
            lang,
            restore_cmd::Options {
                clients,
                list,
                json,
                timeout,
                backup,
            },
        ),
        Command::Bundle {
            output,
            redact,
            max_mb,
            json,
        } => bundle_cmd::run(
            lang,
            bundle_cmd::Options {
                output,
                redact,
                max_mb,
                json,
            },
        ),
        Command::Audit(AuditCommand::Script {
            guest,
            team,
            output,
        }) => audit_cmd::script(lang, guest.as_deref(), team.as_deref(), output.as_deref()),
        Command::Audit(AuditCommand::Read { file, json }) => audit_cmd::read(lang, &file, json),
    };
    ExitCode::from(code as u8)
}
