//! `teamsfix-cli clear-cache`: quit, archive the logs, clear, report, optionally restart.

use crate::context::Context;
use crate::output::{self, Exit, TerminalProgress};
use crate::quit_cmd;
use serde_json::json;
use std::io::{BufRead, IsTerminal, Write};
use std::time::Duration;
use teamsfix::action_log::{self, ActionRecord};
use teamsfix::cache_class::CacheClass;
use teamsfix::clear::{self, ClearOutcome, ClearRequest, Mode};
use teamsfix::discover::Installation;
use teamsfix::i18n::{Lang, tr, tr_args};
use teamsfix::processes::{self, QuitOutcome};
use teamsfix::progress::CancelToken;
use teamsfix::report::{SCHEMA_VERSION, class_name, files_and_size, human_bytes, now_rfc3339};

pub struct Options {
    pub mode: Mode,
    pub clients: Vec<String>,
    pub dry_run: bool,
    pub yes: bool,
    pub restart: bool,
    pub timeout: u64,
    pub json: bool,
}

/// One data root's result, for the summary and the JSON output.
struct RootResult<'a> {
    inst: &'a Installation,
    /// Why nothing was done here (refused root, client still running).
    skipped: Option<(String, &'static str)>,
    outcome: Option<ClearOutcome>,
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

    // Quit first: a running client holds its files open and rewrites its cache.
    let quit = if opts.dry_run {
        QuitOutcome::default()
    } else {
        let running = quit_cmd::running_of(&ctx, &opts.clients);
        if !running.is_empty() && !opts.json {
            eprintln!(
                "{}",
                tr_args(
                    lang,
                    "cli.quit.asking",
                    &[("count", &running.len().to_string())]
                )
            );
        }
        let q = processes::quit(&running, Duration::from_secs(opts.timeout));
        quit_cmd::log_quit(&ctx, lang, &q);
        q
    };

    let progress = TerminalProgress::new(lang, !opts.json);
    let cancel = CancelToken::new();
    let archives = ctx.app.archives();
    let mut results = Vec::new();
    for inst in &installs {
        let skipped = match &inst.root {
            Err(m) => Some((m.text(lang), "refused")),
            Ok(_) if quit.survivors.iter().any(|p| p.client == inst.id()) => {
                Some((tr(lang, "cli.clear.still_running"), "still_running"))
            }
            Ok(_) => None,
        };
        let outcome = match (&inst.root, &skipped) {
            (Ok(root), None) => {
                progress.set_client(inst.client.name);
                let label = inst.label();
                let req = ClearRequest {
                    mode: opts.mode,
                    dry_run: opts.dry_run,
                    archives: &archives,
                    label: &label,
                    cancel: &cancel,
                    progress: &progress,
                };
                Some(clear::clear(root, inst.root_spec.layout, &req))
            }
            _ => None,
        };
        results.push(RootResult {
            inst,
            skipped,
            outcome,
        });
    }
    progress.finish();

    let mut code = Exit::Ok;
    for r in &results {
        let c = match (&r.skipped, &r.outcome) {
            (Some((_, "still_running")), _) => Exit::StillRunning,
            (Some(_), _) => Exit::Refused,
            (None, Some(o)) if !o.failures.is_empty() || o.cancelled => Exit::PartlyFailed,
            _ => Exit::Ok,
        };
        code = code.max(c);
        if !opts.dry_run {
            log_clear(&ctx, lang, opts.mode, r);
        }
    }

    if opts.restart && !opts.dry_run {
        let cleared: Vec<Installation> = results
            .iter()
            .filter(|r| r.outcome.is_some())
            .map(|r| r.inst.clone())
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
        code = code.max(crate::restart_cmd::restart_each(
            &ctx, lang, &cleared, &last,
        ));
    }

    if opts.json {
        output::print_json(&to_json(&opts, &quit, &results, code));
    } else {
        if !opts.dry_run {
            quit_cmd::print_quit(lang, &quit);
            println!();
        }
        for r in &results {
            print_result(lang, opts.mode, r);
        }
        if opts.dry_run {
            println!("{}", tr(lang, "cli.clear.dry_run_note"));
        }
    }
    code
}

/// Asks on the terminal; refuses when there is none (scripts must pass --yes).
fn confirm(lang: Lang, mode: Mode, installs: &[Installation]) -> bool {
    if !std::io::stdin().is_terminal() {
        output::error(lang, &tr(lang, "cli.clear.no_terminal"));
        return false;
    }
    println!("{}", tr(lang, &format!("mode.{}.what", mode.id())));
    for inst in installs {
        println!("  - {} ({})", inst.client.name, inst.shown_root.display());
    }
    print!("{} ", tr(lang, "cli.clear.confirm"));
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
        println!("{}", tr(lang, "cli.clear.cancelled"));
    }
    yes
}

fn to_json(
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
                "result": result_word(r),
            });
            if let Some((reason, _)) = &r.skipped {
                v["skipped_reason"] = json!(reason);
            }
            if let Some(o) = &r.outcome {
                v["removed"] = json!(o.removed);
                v["kept"] = json!(o.kept);
                v["archive"] = json!(o.archive);
                v["archived"] = json!(o.archived);
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
        "quit": quit_cmd::quit_json(quit),
        "clients": clients,
        "exit_code": code as i32,
    })
}

fn result_word(r: &RootResult) -> &'static str {
    match (&r.skipped, &r.outcome) {
        (Some((_, why)), _) => why,
        (None, Some(o)) if o.dry_run => "dry_run",
        (None, Some(o)) if o.cancelled => "cancelled",
        (None, Some(o)) if !o.failures.is_empty() => "partial",
        _ => "ok",
    }
}

fn print_result(lang: Lang, mode: Mode, r: &RootResult) {
    println!(
        "{} [{} / {}]  {}",
        r.inst.client.name,
        r.inst.id(),
        r.inst.variant(),
        r.inst.shown_root.display()
    );
    if let Some((reason, _)) = &r.skipped {
        println!("  {}: {reason}", tr(lang, "cli.clear.skipped"));
        println!();
        return;
    }
    let Some(o) = &r.outcome else { return };
    let (removed_key, kept_key) = if o.dry_run {
        ("cli.clear.would_remove", "cli.clear.would_keep")
    } else {
        ("cli.clear.removed", "cli.clear.kept")
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
                    "cli.clear.would_archive",
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
                "cli.clear.archived",
                &[
                    ("files", &o.archived.files.to_string()),
                    ("path", &a.display().to_string())
                ]
            )
        );
    }
    if o.removed_total().files == 0 && o.failures.is_empty() && !o.dry_run {
        println!(
            "  {}",
            tr(lang, &format!("cli.clear.nothing_{}", mode.id()))
        );
    }
    if o.cancelled {
        println!("  {}", tr(lang, "cli.clear.was_cancelled"));
    }
    if !o.failures.is_empty() {
        println!(
            "  {}",
            tr_args(
                lang,
                "cli.clear.failures",
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

fn log_clear(ctx: &Context, lang: Lang, mode: Mode, r: &RootResult) {
    let (result, summary, archive) = match (&r.skipped, &r.outcome) {
        (Some((reason, why)), _) => (*why, reason.clone(), None),
        (None, Some(o)) => {
            let t = o.removed_total();
            let summary = tr_args(
                lang,
                "cli.clear.summary",
                &[
                    ("mode", mode.id()),
                    ("files", &t.files.to_string()),
                    ("size", &human_bytes(t.bytes)),
                    ("failures", &o.failures.len().to_string()),
                ],
            );
            (result_word(r), summary, o.archive.clone())
        }
        _ => return,
    };
    let record = ActionRecord {
        time: now_rfc3339(),
        action: "clear".into(),
        client: r.inst.label(),
        result: result.into(),
        summary,
        archive,
    };
    let _ = action_log::append(&ctx.app.data, &record);
}
