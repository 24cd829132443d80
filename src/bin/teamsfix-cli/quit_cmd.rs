//! `teamsfix-cli quit`

use crate::context::Context;
use crate::output::{self, Exit};
use serde_json::json;
use std::time::Duration;
use teamsfix::action_log::{self, ActionRecord};
use teamsfix::client_table::{self, Os};
use teamsfix::discover;
use teamsfix::i18n::{Lang, tr, tr_args};
use teamsfix::processes::{self, QuitOutcome, RunningProcess};
use teamsfix::report::{SCHEMA_VERSION, now_rfc3339};

pub fn run(lang: Lang, timeout: u64, ids: &[String], json: bool) -> Exit {
    let ctx = match Context::new(lang) {
        Ok(c) => c,
        Err(e) => return e,
    };
    if let Err(e) = ctx.check_ids(ids) {
        return e;
    }
    let running = running_of(&ctx, ids);
    if !json && !running.is_empty() {
        eprintln!(
            "{}",
            tr_args(
                lang,
                "cli.quit.asking",
                &[("count", &running.len().to_string())]
            )
        );
    }
    let outcome = processes::quit(&running, Duration::from_secs(timeout));
    log_quit(&ctx, lang, &outcome);
    let code = if outcome.all_gone() {
        Exit::Ok
    } else {
        Exit::StillRunning
    };
    if json {
        output::print_json(&json!({
            "schema_version": SCHEMA_VERSION,
            "processes": quit_json(&outcome),
            "exit_code": code as i32,
        }));
    } else {
        print_quit(lang, &outcome);
    }
    code
}

/// The current user's processes of the clients in `ids` (all clients when empty).
pub fn running_of(ctx: &Context, ids: &[String]) -> Vec<RunningProcess> {
    let clients: Vec<_> = discover::clients_for(Os::current())
        .into_iter()
        .filter(|c| ids.is_empty() || ids.iter().any(|id| id == c.id))
        .collect();
    processes::find_running(&clients, &ctx.folders)
}

pub fn quit_json(o: &QuitOutcome) -> serde_json::Value {
    let item = |p: &RunningProcess, result: &str| json!({"pid": p.pid, "name": p.name, "client": p.client, "result": result});
    let mut v: Vec<serde_json::Value> = o.closed.iter().map(|p| item(p, "closed")).collect();
    v.extend(o.forced.iter().map(|p| item(p, "forced")));
    v.extend(o.survivors.iter().map(|p| item(p, "still_running")));
    serde_json::Value::Array(v)
}

pub fn print_quit(lang: Lang, o: &QuitOutcome) {
    if o.closed.is_empty() && o.forced.is_empty() && o.survivors.is_empty() {
        println!("{}", tr(lang, "cli.quit.none_running"));
        return;
    }
    for (list, key) in [
        (&o.closed, "cli.quit.closed"),
        (&o.forced, "cli.quit.forced"),
        (&o.survivors, "cli.quit.survived"),
    ] {
        for p in list {
            println!(
                "{}",
                tr_args(lang, key, &[("name", &p.name), ("pid", &p.pid.to_string())])
            );
        }
    }
}

pub fn log_quit(ctx: &Context, lang: Lang, o: &QuitOutcome) {
    let mut clients: Vec<&str> = o
        .closed
        .iter()
        .chain(&o.forced)
        .chain(&o.survivors)
        .map(|p| p.client)
        .collect();
    clients.sort();
    clients.dedup();
    for client in clients {
        let count =
            |l: &[RunningProcess]| l.iter().filter(|p| p.client == client).count().to_string();
        let survivors = count(&o.survivors);
        let summary = tr_args(
            lang,
            "cli.quit.summary",
            &[
                ("closed", &count(&o.closed)),
                ("forced", &count(&o.forced)),
                ("survived", &survivors),
            ],
        );
        let record = ActionRecord {
            time: now_rfc3339(),
            action: "quit".into(),
            client: client_table::client(client)
                .map_or(client, |c| c.id)
                .to_string(),
            result: if survivors == "0" { "ok" } else { "failed" }.into(),
            summary,
            archive: None,
        };
        let _ = action_log::append(&ctx.app.data, &record);
    }
}
