//! `teamsfix-cli status`

use crate::context::Context;
use crate::output::{self, Exit};
use serde_json::json;
use teamsfix::cache_class::CacheClass;
use teamsfix::client_table::Os;
use teamsfix::i18n::{Lang, tr};
use teamsfix::progress::CancelToken;
use teamsfix::report::{
    ClientEntry, SCHEMA_VERSION, class_name, files_and_size, now_rfc3339, verdict_name,
};

pub fn run(lang: Lang, json: bool) -> Exit {
    let ctx = match Context::new(lang) {
        Ok(c) => c,
        Err(e) => return e,
    };
    let states = teamsfix::status::collect(&ctx.folders, Os::current(), true, &CancelToken::new());
    let entries: Vec<ClientEntry> = states
        .iter()
        .map(|s| ClientEntry::from_state(s, lang))
        .collect();
    if json {
        output::print_json(&json!({
            "schema_version": SCHEMA_VERSION,
            "generated_at": now_rfc3339(),
            "os": std::env::consts::OS,
            "clients": entries,
        }));
        return Exit::Ok;
    }
    print_human(lang, &entries);
    Exit::Ok
}

pub fn print_human(lang: Lang, entries: &[ClientEntry]) {
    if entries.is_empty() {
        println!("{}", tr(lang, "cli.status.none"));
        return;
    }
    for e in entries {
        println!("{} [{} / {}]", e.name, e.id, e.variant);
        println!(
            "  {:<16} {}",
            tr(lang, "report.data_root"),
            e.data_root.display()
        );
        if let Some(r) = &e.refused {
            println!("  {:<16} {r}", tr(lang, "report.refused"));
        }
        let version = e
            .version
            .clone()
            .unwrap_or_else(|| tr(lang, "report.unknown"));
        println!("  {:<16} {version}", tr(lang, "report.version"));
        println!(
            "  {:<16} {} - {}",
            tr(lang, "report.verdict"),
            verdict_name(e.verdict, lang).to_uppercase(),
            e.verdict_reason
        );
        let running = if e.running.is_empty() {
            tr(lang, "report.not_running")
        } else {
            e.running
                .iter()
                .map(|p| format!("{} ({})", p.name, p.pid))
                .collect::<Vec<_>>()
                .join(", ")
        };
        println!("  {:<16} {running}", tr(lang, "report.running"));
        if let Some(classes) = &e.classes {
            for class in CacheClass::ALL {
                println!(
                    "    {:<38} {}",
                    class_name(class, lang),
                    files_and_size(classes.get(class), lang)
                );
            }
        }
        println!();
    }
}
