//! `teamsfix-cli clear-cache`: quit, archive the logs, clear, report, optionally restart; with
//! `--if-over MB` only the data roots whose temporary cache is over the limit.

use crate::context::Context;
use crate::output::{self, Exit, TerminalProgress, outln};
use crate::results;
use serde_json::json;
use std::io::{BufRead, IsTerminal};
use teamsfix::cache::archive::{ArchiveLimits, NOT_ARCHIVED_LIST};
use teamsfix::cache::classes::CacheClass;
use teamsfix::cache::clear::Mode;
use teamsfix::clients::discover::Installation;
use teamsfix::clients::processes::QuitOutcome;
use teamsfix::common::i18n::{Lang, tr, tr_args};
use teamsfix::common::progress::CancelToken;
use teamsfix::common::sizes::human_bytes;
use teamsfix::platform::instance_lock::Job;
use teamsfix::repair::sequence::{self, ClearPlan, ClearResult};
use teamsfix::repair::threshold;
use teamsfix::report::helpdesk::{SCHEMA_VERSION, class_name, files_and_size};

pub struct Options {
    pub mode: Mode,
    pub clients: Vec<String>,
    pub dry_run: bool,
    pub yes: bool,
    pub restart: bool,
    pub timeout: u64,
    /// The cap of one log archive and how many archives are kept.
    pub archive_limits: ArchiveLimits,
    pub json: bool,
    /// Clear only data roots whose temporary cache is larger than this many MB.
    pub if_over: Option<u64>,
    /// Keep a backup before a full reset, so `restore` can undo it.
    pub backup: bool,
}

/// One data root's result, for the summary and the JSON output.
struct RootResult<'a> {
    inst: &'a Installation,
    /// `None` with `--if-over` when its temporary cache is not over the limit: left alone.
    cleared: Option<ClearResult>,
    /// The temporary cache measured for `--if-over`.
    regenerable_bytes: Option<u64>,
}

impl RootResult<'_> {
    fn cleared(&self) -> Option<&ClearResult> {
        self.cleared.as_ref()
    }

    /// Nothing was (or, in a dry run, would be) removed, and nothing went wrong.
    fn nothing_to_do(&self) -> bool {
        match &self.cleared {
            None => true,
            Some(ClearResult::Done(o)) => o.removed_total().files == 0 && o.failures.is_empty(),
            Some(_) => false,
        }
    }
}

pub fn run(lang: Lang, opts: Options) -> Exit {
    let ctx = match Context::new(lang) {
        Ok(c) => c,
        Err(e) => return e,
    };
    if let Err(e) = ctx.check_ids(&opts.clients) {
        return e;
    }
    // One teamsfix at a time from here to the restart (a dry run changes nothing).
    let job = match opts.mode {
        Mode::Full => Job::Reset,
        Mode::Safe => Job::Clear,
    };
    let _lock = if opts.dry_run {
        None
    } else {
        match ctx.lock(job, 0, opts.json) {
            Ok(l) => Some(l),
            Err(e) => return e,
        }
    };
    let installs = ctx.installations(&opts.clients);
    if installs.is_empty() {
        if opts.json {
            output::print_json(
                &json!({"schema_version": SCHEMA_VERSION, "mode": opts.mode.id(), "dry_run": opts.dry_run, "if_over_mb": opts.if_over, "nothing_to_do": true, "clients": [], "exit_code": 0}),
            );
        } else {
            outln!("{}", tr(lang, "cli.status.none"));
        }
        return Exit::Ok;
    }
    let cancel = CancelToken::new();

    // --if-over: measure first. A root at or under the limit is left alone, and a client with
    // no root over it is not even quit. Refused roots stay in, to be reported as refused.
    let measured: Vec<Option<u64>> = installs
        .iter()
        .map(|i| {
            opts.if_over
                .and_then(|_| threshold::regenerable_bytes(i, &cancel))
        })
        .collect();
    let chosen: Vec<bool> = measured
        .iter()
        .map(|m| match (opts.if_over, m) {
            (Some(mb), Some(bytes)) => threshold::is_over(*bytes, mb),
            _ => true,
        })
        .collect();
    let to_clear: Vec<&Installation> = installs
        .iter()
        .zip(&chosen)
        .filter(|(_, c)| **c)
        .map(|(i, _)| i)
        .collect();
    let clearable = to_clear.iter().any(|i| i.root.is_ok());

    if clearable && !opts.dry_run && !opts.yes && !confirm(lang, opts.mode, &to_clear, opts.json) {
        return Exit::Refused;
    }

    // Quit first: a running client holds its files open and rewrites its cache. Only the
    // processes of data roots that will be cleared; none when every root is refused or under
    // the --if-over limit.
    let quit = if opts.dry_run || !clearable {
        QuitOutcome::default()
    } else {
        ctx.quit_for_clear(&to_clear, opts.timeout, !opts.json)
    };
    if let Some(e) = quit.refused {
        output::error(lang, &e.msg().text(lang));
    }

    let progress = TerminalProgress::new(lang, !opts.json);
    let archives = ctx.app.archives();
    let backups = teamsfix::cache::backup::backups_folder(&ctx.app.data);
    let journal = ctx.journal();
    let plan = ClearPlan {
        mode: opts.mode,
        dry_run: opts.dry_run,
        archives: &archives,
        cancel: &cancel,
        progress: &progress,
        backups: &backups,
        backup: opts.backup,
        archive_limits: opts.archive_limits,
        folders: &ctx.folders,
    };
    let mut cleared = sequence::clear_installations(&to_clear, &quit, &plan, &journal).into_iter();
    progress.finish();
    let results: Vec<RootResult> = installs
        .iter()
        .zip(chosen.iter().zip(&measured))
        .map(|(inst, (chosen, measured))| RootResult {
            inst,
            cleared: chosen.then(|| cleared.next()).flatten(),
            regenerable_bytes: *measured,
        })
        .collect();

    let code = results
        .iter()
        .filter_map(|r| r.cleared().map(exit_of))
        .chain(quit.refused.map(output::exit_of_process_error))
        .max()
        .unwrap_or(Exit::Ok);
    let mut restarted = Vec::new();
    if opts.restart && !opts.dry_run {
        let cleared: Vec<&Installation> = results
            .iter()
            .filter(|r| r.cleared().and_then(ClearResult::outcome).is_some())
            .map(|r| r.inst)
            .collect();
        let last: Vec<(&str, std::path::PathBuf)> = quit
            .closed
            .iter()
            .chain(&quit.forced)
            .filter_map(|p| p.exe.clone().map(|e| (p.client, e)))
            .collect();
        restarted = sequence::restart_clients(&cleared, &last, &ctx.folders, &ctx.journal());
    }
    let code = code.max(results::restart_exit(&restarted));

    if opts.json {
        let mut v = to_json(lang, &opts, &quit, &results, code);
        if opts.restart {
            v["restarted"] = results::restarts_json(lang, &restarted);
        }
        output::print_json(&v);
        return code;
    }
    if clearable && !opts.dry_run && quit.refused.is_none() {
        results::print_quit(lang, &quit);
        outln!();
    }
    for r in &results {
        print_result(lang, &opts, r);
    }
    if let Some(mb) = opts.if_over
        && results.iter().all(RootResult::nothing_to_do)
    {
        outln!(
            "{}",
            tr_args(
                lang,
                "helpdesk.threshold.nothing_to_do",
                &[("limit", &human_bytes(threshold::limit_bytes(mb)))]
            )
        );
    }
    if opts.dry_run {
        outln!("{}", tr(lang, "clear.dry_run_note"));
    }
    if !restarted.is_empty() {
        outln!();
        results::print_restarts(lang, &restarted);
    }
    code
}

/// Asks on the terminal; refuses when there is none (scripts must pass --yes).
/// With `--json` the question goes to stderr: stdout holds only the JSON document.
fn confirm(lang: Lang, mode: Mode, installs: &[&Installation], json: bool) -> bool {
    if !std::io::stdin().is_terminal() {
        output::fail(lang, &tr(lang, "clear.no_terminal"), Exit::Refused);
        return false;
    }
    let say = |text: std::fmt::Arguments| {
        if json {
            output::write_stderr(text);
        } else {
            output::write_stdout(text);
        }
    };
    say(format_args!(
        "{}\n",
        tr(lang, &format!("mode.{}.what", mode.id()))
    ));
    for inst in installs {
        say(format_args!(
            "  - {} ({})\n",
            inst.client.name,
            inst.shown_root.display()
        ));
    }
    say(format_args!("{} ", tr(lang, "clear.confirm")));
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return false;
    }
    let yes = matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "j" | "ja"
    );
    if !yes {
        if json {
            output::fail(lang, &tr(lang, "clear.cancelled"), Exit::Refused);
        } else {
            outln!("{}", tr(lang, "clear.cancelled"));
        }
    }
    yes
}

fn to_json(
    lang: Lang,
    opts: &Options,
    quit: &QuitOutcome,
    results: &[RootResult],
    code: Exit,
) -> serde_json::Value {
    let clients: Vec<serde_json::Value> = results
        .iter()
        .map(|r| {
            let word = r.cleared().map_or("below_threshold", ClearResult::word);
            let mut v = json!({
                "id": r.inst.id(),
                "variant": r.inst.variant(),
                "data_root": r.inst.shown_root.to_string_lossy(),
                "result": word,
            });
            if let Some(bytes) = r.regenerable_bytes {
                v["regenerable_bytes"] = json!(bytes);
            }
            if let Some(reason) = skipped_reason(r, opts, lang) {
                v["skipped_reason"] = json!(reason);
            }
            if let Some(o) = r.cleared().and_then(ClearResult::outcome) {
                v["removed"] = json!(o.removed);
                v["kept"] = json!(o.kept);
                v["archive"] = json!(o.archive);
                v["archived"] = json!(o.archived);
                v["not_archived"] = json!(o.not_archived);
                v["archives_pruned"] = json!(o.archives_pruned);
                v["failures"] = json!(o.failures);
                v["cancelled"] = json!(o.cancelled);
                if let Some(b) = &o.backup {
                    v["backup"] = json!(b);
                }
            }
            v
        })
        .collect();
    json!({
        "schema_version": SCHEMA_VERSION,
        "mode": opts.mode.id(),
        "dry_run": opts.dry_run,
        "if_over_mb": opts.if_over,
        "nothing_to_do": results.iter().all(RootResult::nothing_to_do),
        "quit": results::quit_json(quit),
        "quit_refused": quit.refused.map(|e| e.msg().text(lang)),
        "clients": clients,
        "exit_code": code as i32,
    })
}

/// Why nothing was done to a data root, in words.
fn skipped_reason(r: &RootResult, opts: &Options, lang: Lang) -> Option<String> {
    match &r.cleared {
        None => Some(tr_args(
            lang,
            "helpdesk.threshold.below",
            &[
                ("size", &human_bytes(r.regenerable_bytes.unwrap_or(0))),
                (
                    "limit",
                    &human_bytes(threshold::limit_bytes(opts.if_over.unwrap_or(0))),
                ),
            ],
        )),
        Some(ClearResult::Refused(m)) => Some(m.text(lang)),
        Some(ClearResult::StillRunning(_)) => Some(tr(lang, "clear.still_running")),
        Some(ClearResult::Done(_)) => None,
    }
}

fn exit_of(result: &ClearResult) -> Exit {
    match result {
        ClearResult::Refused(m) if teamsfix::platform::instance_lock::is_busy(m) => Exit::Busy,
        ClearResult::StillRunning(_) => Exit::StillRunning,
        ClearResult::Refused(_) => Exit::Refused,
        ClearResult::Done(o) if !o.failures.is_empty() || o.cancelled => Exit::PartlyFailed,
        ClearResult::Done(_) => Exit::Ok,
    }
}

fn print_result(lang: Lang, opts: &Options, r: &RootResult) {
    let mode = opts.mode;
    let cap = human_bytes(opts.archive_limits.cap);
    outln!(
        "{} [{} / {}]  {}",
        r.inst.client.name,
        r.inst.id(),
        r.inst.variant(),
        r.inst.shown_root.display()
    );
    if let Some(reason) = skipped_reason(r, opts, lang) {
        outln!("  {}: {reason}", tr(lang, "clear.skipped"));
        outln!();
        return;
    }
    let Some(o) = r.cleared().and_then(ClearResult::outcome) else {
        return;
    };
    let (removed_key, kept_key) = if o.dry_run {
        ("clear.would_remove", "clear.would_keep")
    } else {
        ("clear.removed", "clear.kept")
    };
    for (key, tallies) in [(removed_key, &o.removed), (kept_key, &o.kept)] {
        let total = tallies.total();
        outln!("  {}: {}", tr(lang, key), files_and_size(total, lang));
        for class in CacheClass::ALL {
            let t = tallies.get(class);
            if !t.is_empty() {
                outln!(
                    "    {:<38} {}",
                    class_name(class, lang),
                    files_and_size(t, lang)
                );
            }
        }
    }
    if o.dry_run {
        if !o.archived.is_empty() {
            outln!(
                "  {}",
                tr_args(
                    lang,
                    "clear.would_archive",
                    &[
                        ("files", &o.archived.files.to_string()),
                        ("size", &human_bytes(o.archived.bytes))
                    ]
                )
            );
        }
    } else if let Some(a) = &o.archive {
        outln!(
            "  {}",
            tr_args(
                lang,
                "clear.archived",
                &[
                    ("files", &o.archived.files.to_string()),
                    ("path", &a.display().to_string())
                ]
            )
        );
        if !o.not_archived.is_empty() {
            outln!(
                "  {}",
                tr_args(
                    lang,
                    "clear.not_archived",
                    &[
                        ("files", &o.not_archived.files.to_string()),
                        ("size", &human_bytes(o.not_archived.bytes)),
                        ("cap", &cap),
                        ("list", &a.join(NOT_ARCHIVED_LIST).display().to_string()),
                    ]
                )
            );
        }
    }
    if o.dry_run && !o.not_archived.is_empty() {
        outln!(
            "  {}",
            tr_args(
                lang,
                "clear.would_not_archive",
                &[
                    ("files", &o.not_archived.files.to_string()),
                    ("size", &human_bytes(o.not_archived.bytes)),
                    ("cap", &cap),
                ]
            )
        );
    }
    if o.archives_pruned > 0 {
        outln!(
            "  {}",
            tr_args(
                lang,
                "clear.archives_pruned",
                &[("count", &o.archives_pruned.to_string())]
            )
        );
    }
    if let Some(b) = &o.backup {
        print_backup(lang, b);
    }
    if o.removed_total().files == 0 && o.failures.is_empty() && !o.dry_run {
        outln!("  {}", tr(lang, &format!("clear.nothing_{}", mode.id())));
    }
    if o.cancelled {
        outln!("  {}", tr(lang, "clear.was_cancelled"));
    }
    if !o.failures.is_empty() {
        outln!(
            "  {}",
            tr_args(
                lang,
                "clear.failures",
                &[("count", &o.failures.len().to_string())]
            )
        );
        for f in o.failures.iter().take(20) {
            outln!("    {}: {}", f.path.display(), f.reason);
        }
        if o.failures.len() > 20 {
            outln!("    ...");
        }
    }
    outln!();
}

/// Where the backup of a full reset went, and what did not fit in it.
fn print_backup(lang: Lang, b: &teamsfix::cache::backup::Backup) {
    if let Some(folder) = &b.folder {
        outln!(
            "  {}",
            tr_args(
                lang,
                "helpdesk.backup.kept",
                &[
                    (
                        "amount",
                        &files_and_size(
                            teamsfix::cache::scan::Tally {
                                files: b.files,
                                bytes: b.bytes
                            },
                            lang
                        )
                    ),
                    ("path", &folder.display().to_string()),
                ]
            )
        );
    }
    for u in &b.left_out {
        outln!(
            "  {}",
            tr_args(
                lang,
                "helpdesk.backup.too_big",
                &[("path", &u.rel), ("size", &human_bytes(u.bytes))]
            )
        );
    }
}
