//! `teamsfix-cli clear-cache`: quit, archive the logs, clear, report, optionally restart.

use crate::context::Context;
use crate::output::{self, Exit, TerminalProgress};
use crate::results;
use serde_json::json;
use std::io::{BufRead, IsTerminal, Write};
use teamsfix::cache::archive::{ArchiveLimits, NOT_ARCHIVED_LIST};
use teamsfix::cache::classes::CacheClass;
use teamsfix::cache::clear::Mode;
use teamsfix::clients::discover::Installation;
use teamsfix::clients::processes::QuitOutcome;
use teamsfix::common::i18n::{Lang, tr, tr_args};
use teamsfix::common::progress::CancelToken;
use teamsfix::common::sizes::human_bytes;
use teamsfix::repair::sequence::{self, ClearPlan, ClearResult};
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
}

/// One data root's result, for the summary and the JSON output.
struct RootResult<'a> {
    inst: &'a Installation,
    result: ClearResult,
}

pub fn run(lang: Lang, opts: Options) -> Exit {
    let ctx = match Context::new(lang) {
        Ok(c) => c,
        Err(e) => return e,
    };
    if let Err(e) = ctx.check_ids(&opts.clients) {
        return e;
    }
    let installs = ctx.installations(&opts.clients);
    if installs.is_empty() {
        if opts.json {
            output::print_json(
                &json!({"schema_version": SCHEMA_VERSION, "mode": opts.mode.id(), "dry_run": opts.dry_run, "clients": [], "exit_code": 0}),
            );
        } else {
            println!("{}", tr(lang, "cli.status.none"));
        }
        return Exit::Ok;
    }
    if !opts.dry_run && !opts.yes && !confirm(lang, opts.mode, &installs) {
        return Exit::Refused;
    }

    // Quit first: a running client holds its files open and rewrites its cache. Only the
    // processes of data roots that will be cleared; none when every root is refused.
    let refs: Vec<&Installation> = installs.iter().collect();
    let quit = if opts.dry_run {
        QuitOutcome::default()
    } else {
        ctx.quit_for_clear(&refs, opts.timeout, !opts.json)
    };
    if let Some(e) = quit.refused {
        output::error(lang, &e.msg().text(lang));
    }

    let progress = TerminalProgress::new(lang, !opts.json);
    let cancel = CancelToken::new();
    let archives = ctx.app.archives();
    let journal = ctx.journal();
    let plan = ClearPlan {
        mode: opts.mode,
        dry_run: opts.dry_run,
        archives: &archives,
        cancel: &cancel,
        progress: &progress,
        archive_limits: opts.archive_limits,
        folders: &ctx.folders,
    };
    let results: Vec<RootResult> = sequence::clear_installations(&refs, &quit, &plan, &journal)
        .into_iter()
        .zip(&installs)
        .map(|(result, inst)| RootResult { inst, result })
        .collect();
    progress.finish();

    let code = results
        .iter()
        .map(|r| exit_of(&r.result))
        .chain(quit.refused.map(output::exit_of_process_error))
        .max()
        .unwrap_or(Exit::Ok);
    let code = if opts.restart && !opts.dry_run {
        let cleared: Vec<&Installation> = results
            .iter()
            .filter(|r| r.result.outcome().is_some())
            .map(|r| r.inst)
            .collect();
        let last: Vec<(&str, std::path::PathBuf)> = quit
            .closed
            .iter()
            .chain(&quit.forced)
            .filter_map(|p| p.exe.clone().map(|e| (p.client, e)))
            .collect();
        if !opts.json {
            println!();
        }
        let restarted = sequence::restart_clients(&cleared, &last, &ctx.folders, &ctx.journal());
        code.max(results::print_restarts(lang, &restarted))
    } else {
        code
    };

    if opts.json {
        output::print_json(&to_json(lang, &opts, &quit, &results, code));
    } else {
        if !opts.dry_run && quit.refused.is_none() {
            results::print_quit(lang, &quit);
            println!();
        }
        for r in &results {
            print_result(lang, &opts, r);
        }
        if opts.dry_run {
            println!("{}", tr(lang, "clear.dry_run_note"));
        }
    }
    code
}

/// Asks on the terminal; refuses when there is none (scripts must pass --yes).
fn confirm(lang: Lang, mode: Mode, installs: &[Installation]) -> bool {
    if !std::io::stdin().is_terminal() {
        output::error(lang, &tr(lang, "clear.no_terminal"));
        return false;
    }
    println!("{}", tr(lang, &format!("mode.{}.what", mode.id())));
    for inst in installs {
        println!("  - {} ({})", inst.client.name, inst.shown_root.display());
    }
    print!("{} ", tr(lang, "clear.confirm"));
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    if std::io::stdin().lock().read_line(&mut answer).is_err() {
        return false;
    }
    let yes = matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "j" | "ja"
    );
    if !yes {
        println!("{}", tr(lang, "clear.cancelled"));
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
            let mut v = json!({
                "id": r.inst.id(),
                "variant": r.inst.variant(),
                "data_root": r.inst.shown_root,
                "result": r.result.word(),
            });
            if let Some(reason) = skipped_reason(&r.result, lang) {
                v["skipped_reason"] = json!(reason);
            }
            if let Some(o) = r.result.outcome() {
                v["removed"] = json!(o.removed);
                v["kept"] = json!(o.kept);
                v["archive"] = json!(o.archive);
                v["archived"] = json!(o.archived);
                v["not_archived"] = json!(o.not_archived);
                v["archives_pruned"] = json!(o.archives_pruned);
                v["failures"] = json!(o.failures);
                v["cancelled"] = json!(o.cancelled);
            }
            v
        })
        .collect();
    json!({
        "schema_version": SCHEMA_VERSION,
        "mode": opts.mode.id(),
        "dry_run": opts.dry_run,
        "quit": results::quit_json(quit),
        "quit_refused": quit.refused.map(|e| e.msg().text(lang)),
        "clients": clients,
        "exit_code": code as i32,
    })
}

/// Why nothing was done to a data root, in words.
fn skipped_reason(result: &ClearResult, lang: Lang) -> Option<String> {
    match result {
        ClearResult::Refused(m) => Some(m.text(lang)),
        ClearResult::StillRunning(_) => Some(tr(lang, "clear.still_running")),
        ClearResult::Done(_) => None,
    }
}

fn exit_of(result: &ClearResult) -> Exit {
    match result {
        ClearResult::StillRunning(_) => Exit::StillRunning,
        ClearResult::Refused(_) => Exit::Refused,
        ClearResult::Done(o) if !o.failures.is_empty() || o.cancelled => Exit::PartlyFailed,
        ClearResult::Done(_) => Exit::Ok,
    }
}

fn print_result(lang: Lang, opts: &Options, r: &RootResult) {
    let mode = opts.mode;
    let cap = human_bytes(opts.archive_limits.cap);
    println!(
        "{} [{} / {}]  {}",
        r.inst.client.name,
        r.inst.id(),
        r.inst.variant(),
        r.inst.shown_root.display()
    );
    if let Some(reason) = skipped_reason(&r.result, lang) {
        println!("  {}: {reason}", tr(lang, "clear.skipped"));
        println!();
        return;
    }
    let Some(o) = r.result.outcome() else { return };
    let (removed_key, kept_key) = if o.dry_run {
        ("clear.would_remove", "clear.would_keep")
    } else {
        ("clear.removed", "clear.kept")
    };
    for (key, tallies) in [(removed_key, &o.removed), (kept_key, &o.kept)] {
        let total = tallies.total();
        println!("  {}: {}", tr(lang, key), files_and_size(total, lang));
        for class in CacheClass::ALL {
            let t = tallies.get(class);
            if !t.is_empty() {
                println!(
                    "    {:<38} {}",
                    class_name(class, lang),
                    files_and_size(t, lang)
                );
            }
        }
    }
    if o.dry_run {
        if !o.archived.is_empty() {
            println!(
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
        println!(
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
            println!(
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
        println!(
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
        println!(
            "  {}",
            tr_args(
                lang,
                "clear.archives_pruned",
                &[("count", &o.archives_pruned.to_string())]
            )
        );
    }
    if o.removed_total().files == 0 && o.failures.is_empty() && !o.dry_run {
        println!("  {}", tr(lang, &format!("clear.nothing_{}", mode.id())));
    }
    if o.cancelled {
        println!("  {}", tr(lang, "clear.was_cancelled"));
    }
    if !o.failures.is_empty() {
        println!(
            "  {}",
            tr_args(
                lang,
                "clear.failures",
                &[("count", &o.failures.len().to_string())]
            )
        );
        for f in o.failures.iter().take(20) {
            println!("    {}: {}", f.path.display(), f.reason);
        }
        if o.failures.len() > 20 {
            println!("    ...");
        }
    }
    println!();
}
