//! `teamsfix-cli restore`: list the backups of full resets, or put one back (undo a reset).

use crate::context::Context;
use crate::output::{self, Exit, errln, outln};
use crate::results;
use serde_json::json;
use teamsfix::cache::backup;
use teamsfix::clients::discover::Installation;
use teamsfix::clients::processes::QuitOutcome;
use teamsfix::common::i18n::{Lang, Msg, tr, tr_args};
use teamsfix::common::sizes::human_bytes;
use teamsfix::platform::instance_lock::Job;
use teamsfix::repair::restore::{self, Found, RestoreResult};
use teamsfix::report::helpdesk::{SCHEMA_VERSION, files_and_size};

pub struct Options {
    pub clients: Vec<String>,
    pub list: bool,
    pub json: bool,
    pub timeout: u64,
    pub backup: Option<String>,
}

pub fn run(lang: Lang, opts: Options) -> Exit {
    let ctx = match Context::new(lang) {
        Ok(c) => c,
        Err(e) => return e,
    };
    if let Err(e) = ctx.check_ids(&opts.clients) {
        return e;
    }
    let dir = backup::backups_folder(&ctx.app.data);
    // Listing reads only; a restore holds the lock from choosing the backup to the end (a
    // clear of another teamsfix would prune the backups or remove what is put back).
    let _lock = if opts.list {
        None
    } else {
        match ctx.lock(Job::Restore, 0, opts.json) {
            Ok(l) => Some(l),
            Err(e) => return e,
        }
    };
    let wanted = |f: &Found| opts.clients.is_empty() || opts.clients.contains(&f.manifest.client);
    if opts.list {
        let all: Vec<Found> = restore::list(&dir, None)
            .into_iter()
            .filter(|f| wanted(f))
            .collect();
        print_list(lang, &opts, &dir, &all);
        return Exit::Ok;
    }

    // Which backups: the one named, or those of the last full reset.
    let chosen: Vec<Found> = match &opts.backup {
        Some(name) => match restore::find(&dir, name) {
            Some(f) if wanted(&f) => vec![f],
            _ => {
                return refuse(
                    lang,
                    &opts,
                    Msg::new("helpdesk.restore.unknown_backup")
                        .arg("name", name)
                        .arg("folder", dir.display()),
                );
            }
        },
        None => {
            let mut last = restore::last_reset(&dir, None);
            last.retain(|f| wanted(f));
            if opts.clients.len() == 1 && last.is_empty() {
                last = restore::last_reset(&dir, Some(&opts.clients[0]));
            }
            // A data root whose last reset kept nothing has nothing to undo: an older backup of
            // it is not "the last reset" (it stays listed and can be named).
            let (backups, kept_nothing): (Vec<Found>, Vec<Found>) =
                last.into_iter().partition(Found::is_backup);
            if let Some(record) = kept_nothing.first() {
                let m = Msg::new("helpdesk.restore.kept_nothing")
                    .arg(
                        "roots",
                        kept_nothing
                            .iter()
                            .map(|f| f.manifest.data_root.display().to_string())
                            .collect::<Vec<_>>()
                            .join(", "),
                    )
                    .arg("time", record.taken_at());
                if backups.is_empty() {
                    return refuse(lang, &opts, m);
                }
                if !opts.json {
                    errln!("{}", m.text(lang));
                }
            }
            backups
        }
    };
    if chosen.is_empty() {
        return refuse(
            lang,
            &opts,
            Msg::new("helpdesk.restore.none").arg("folder", dir.display()),
        );
    }

    // The data roots as they are now (checked again), and their clients quit first.
    let installs = ctx.installations(&[]);
    let targets: Vec<(&Found, Option<&Installation>)> = chosen
        .iter()
        .map(|f| {
            let inst = installs.iter().find(|i| i.label() == f.manifest.label);
            (f, inst)
        })
        .collect();
    // Only the processes of the data roots being restored (another instance keeps running);
    // none when every one of them is refused.
    let roots: Vec<&Installation> = targets.iter().filter_map(|(_, i)| *i).collect();
    let quit = if roots.is_empty() {
        QuitOutcome::default()
    } else {
        ctx.quit_for_clear(&roots, opts.timeout, !opts.json)
    };
    if let Some(e) = quit.refused {
        output::error(lang, &e.msg().text(lang));
    }
    let journal = ctx.journal();
    let results: Vec<(&Found, Option<&Installation>, RestoreResult)> = targets
        .into_iter()
        .map(|(f, inst)| {
            let result = match inst {
                Some(inst) => restore::restore(inst, f, &quit, &journal),
                None => RestoreResult::Refused(Msg::new("helpdesk.restore.no_root")),
            };
            (f, inst, result)
        })
        .collect();
    let code = results
        .iter()
        .map(|(_, _, r)| exit_of(r))
        .chain(quit.refused.map(output::exit_of_process_error))
        .max()
        .unwrap_or(Exit::Ok);

    if opts.json {
        let restored: Vec<serde_json::Value> = results
            .iter()
            .map(|(f, inst, r)| result_json(lang, f, *inst, r))
            .collect();
        output::print_json(&json!({
            "schema_version": SCHEMA_VERSION,
            "quit": results::quit_json(&quit),
            "restored": restored,
            "exit_code": code as i32,
        }));
        return code;
    }
    if !roots.is_empty() && quit.refused.is_none() {
        results::print_quit(lang, &quit);
        outln!();
    }
    for (f, _, r) in &results {
        print_result(lang, f, r);
    }
    code
}

fn refuse(lang: Lang, opts: &Options, m: Msg) -> Exit {
    let text = m.text(lang);
    if opts.json {
        output::print_json(&json!({
            "schema_version": SCHEMA_VERSION,
            "restored": [],
            "error": text,
            "exit_code": Exit::Refused as i32,
        }));
    }
    output::error(lang, &text);
    Exit::Refused
}

fn exit_of(r: &RestoreResult) -> Exit {
    match r {
        RestoreResult::Done(o) if !o.failures.is_empty() => Exit::PartlyFailed,
        RestoreResult::Done(_) => Exit::Ok,
        RestoreResult::StillRunning(_) => Exit::StillRunning,
        RestoreResult::Refused(m) if teamsfix::platform::instance_lock::is_busy(m) => Exit::Busy,
        RestoreResult::Refused(_) => Exit::Refused,
    }
}

fn found_json(f: &Found) -> serde_json::Value {
    let m = &f.manifest;
    let t = m.total();
    json!({
        "name": f.name(),
        "path": f.folder.to_string_lossy(),
        "id": m.client,
        "variant": m.variant,
        "data_root": m.data_root.to_string_lossy(),
        "created_at": m.created_at,
        "files": t.files,
        "bytes": t.bytes,
        "complete": m.complete(),
        "not_in_backup": m.left_out,
    })
}

fn print_list(lang: Lang, opts: &Options, dir: &std::path::Path, all: &[Found]) {
    if opts.json {
        output::print_json(&json!({
            "schema_version": SCHEMA_VERSION,
            "folder": dir.to_string_lossy(),
            "backups": all.iter().map(found_json).collect::<Vec<_>>(),
        }));
        return;
    }
    if all.is_empty() {
        outln!(
            "{}",
            tr_args(
                lang,
                "helpdesk.restore.list_none",
                &[("folder", &dir.display().to_string())]
            )
        );
        return;
    }
    outln!(
        "{}",
        tr_args(
            lang,
            "helpdesk.restore.list_heading",
            &[("folder", &dir.display().to_string())]
        )
    );
    for f in all {
        let m = &f.manifest;
        let state = if m.complete() {
            tr(lang, "helpdesk.restore.complete")
        } else {
            tr_args(
                lang,
                "helpdesk.restore.incomplete",
                &[("count", &m.left_out.len().to_string())],
            )
        };
        outln!(
            "  {}  {} / {}  {}  {}",
            f.name(),
            m.client,
            m.variant,
            files_and_size(m.total(), lang),
            state
        );
    }
}

fn result_json(
    lang: Lang,
    f: &Found,
    inst: Option<&Installation>,
    r: &RestoreResult,
) -> serde_json::Value {
    let mut v = json!({
        "backup": f.folder.to_string_lossy(),
        "id": f.manifest.client,
        "variant": f.manifest.variant,
        "data_root": inst.map_or(f.manifest.data_root.to_string_lossy(), |i| i.shown_root.to_string_lossy()),
        "result": r.word(),
    });
    match r {
        RestoreResult::Done(o) => {
            v["restored"] = json!(o.restored);
            v["kept"] = json!(o.kept);
            v["kept_paths"] = json!(o.kept_paths);
            v["failures"] = json!(o.failures);
            v["not_in_backup"] = json!(o.not_in_backup);
        }
        RestoreResult::StillRunning(_) => {
            v["skipped_reason"] = json!(tr(lang, "clear.still_running"));
        }
        RestoreResult::Refused(m) => v["skipped_reason"] = json!(m.text(lang)),
    }
    v
}

fn print_result(lang: Lang, f: &Found, r: &RestoreResult) {
    let m = &f.manifest;
    outln!("{} / {}  {}", m.client, m.variant, m.data_root.display());
    outln!(
        "  {}",
        tr_args(
            lang,
            "helpdesk.restore.from",
            &[("path", &f.folder.display().to_string())]
        )
    );
    match r {
        RestoreResult::Done(o) => {
            outln!(
                "  {}: {}",
                tr(lang, "helpdesk.gui.undo.restored"),
                files_and_size(o.restored, lang)
            );
            if o.kept.files > 0 {
                outln!(
                    "  {}: {}",
                    tr(lang, "helpdesk.gui.undo.kept"),
                    files_and_size(o.kept, lang)
                );
                outln!("    {}", tr(lang, "helpdesk.gui.undo.kept_why"));
                for p in o.kept_paths.iter().take(10) {
                    outln!("    {p}");
                }
            }
            for u in &o.not_in_backup {
                outln!(
                    "  {}",
                    tr_args(
                        lang,
                        "helpdesk.backup.too_big",
                        &[("path", &u.rel), ("size", &human_bytes(u.bytes))]
                    )
                );
            }
            if !o.failures.is_empty() {
                outln!(
                    "  {}",
                    tr_args(
                        lang,
                        "helpdesk.restore.failures",
                        &[("count", &o.failures.len().to_string())]
                    )
                );
                for p in o.failures.iter().take(20) {
                    outln!("    {}: {}", p.path.display(), p.reason);
                }
            }
        }
        RestoreResult::StillRunning(_) => {
            outln!(
                "  {}: {}",
                tr(lang, "cli.restore.not_restored"),
                tr(lang, "clear.still_running")
            )
        }
        RestoreResult::Refused(m) => outln!(
            "  {}: {}",
            tr(lang, "cli.restore.not_restored"),
            m.text(lang)
        ),
    }
    outln!();
}
