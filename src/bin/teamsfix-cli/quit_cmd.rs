//! `teamsfix-cli quit`

use crate::context::Context;
use crate::output::{self, Exit};
use serde_json::json;
use std::time::Duration;
use teamsfix::client_table::{ClientSpec, Os};
use teamsfix::discover;
use teamsfix::i18n::{Lang, tr, tr_args};
use teamsfix::processes::{QuitOutcome, RunningProcess};
use teamsfix::repair;
use teamsfix::report::SCHEMA_VERSION;

pub fn run(lang: Lang, timeout: u64, ids: &[String], json: bool) -> Exit {
    let ctx = match Context::new(lang) {
        Ok(c) => c,
        Err(e) => return e,
    };
    if let Err(e) = ctx.check_ids(ids) {
        return e;
    }
    let outcome = quit(&ctx, ids, timeout, !json);
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

/// Quits the current user's processes of the clients in `ids` (all clients when empty).
pub fn quit(ctx: &Context, ids: &[String], timeout: u64, announce: bool) -> QuitOutcome {
    let clients: Vec<&'static ClientSpec> = discover::clients_for(Os::current())
        .into_iter()
        .filter(|c| ids.is_empty() || ids.iter().any(|id| id == c.id))
        .collect();
    if announce {
        eprintln!("{}", tr(ctx.lang, "progress.quitting"));
    }
    repair::quit_clients(
        &clients,
        &ctx.folders,
        Duration::from_secs(timeout),
        &ctx.journal(),
    )
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
        println!("{}", tr(lang, "quit.none_running"));
        return;
    }
    for (list, key) in [
        (&o.closed, "quit.closed"),
        (&o.forced, "quit.forced"),
        (&o.survivors, "quit.survived"),
    ] {
        for p in list {
            println!(
                "{}",
                tr_args(lang, key, &[("name", &p.name), ("pid", &p.pid.to_string())])
            );
        }
    }
}
