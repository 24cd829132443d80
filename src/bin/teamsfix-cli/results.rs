//! How the results several commands share are shown: quitting (`quit`, `clear-cache`) and
//! starting again (`restart`, `clear-cache --restart`).

use crate::output::{self, Exit, outln};
use serde_json::json;
use teamsfix::clients::processes::{QuitOutcome, RunningProcess};
use teamsfix::common::i18n::{Lang, tr, tr_args};
use teamsfix::repair::sequence::Restarted;

pub fn quit_json(o: &QuitOutcome) -> serde_json::Value {
    let item = |p: &RunningProcess, result: &str| json!({"pid": p.pid, "name": p.name, "client": p.client, "result": result});
    let mut v: Vec<serde_json::Value> = o.closed.iter().map(|p| item(p, "closed")).collect();
    v.extend(o.forced.iter().map(|p| item(p, "forced")));
    v.extend(o.survivors.iter().map(|p| item(p, "still_running")));
    serde_json::Value::Array(v)
}

pub fn print_quit(lang: Lang, o: &QuitOutcome) {
    if o.closed.is_empty() && o.forced.is_empty() && o.survivors.is_empty() {
        outln!("{}", tr(lang, "quit.none_running"));
        return;
    }
    for (list, key) in [
        (&o.closed, "quit.closed"),
        (&o.forced, "quit.forced"),
        (&o.survivors, "quit.survived"),
    ] {
        for p in list {
            outln!(
                "{}",
                tr_args(lang, key, &[("name", &p.name), ("pid", &p.pid.to_string())])
            );
        }
    }
}

/// One line per client started (or why it could not be); `PartlyFailed` when any failed.
pub fn print_restarts(lang: Lang, restarted: &[Restarted]) -> Exit {
    for r in restarted {
        match &r.result {
            Ok(command) => outln!(
                "{}",
                tr_args(
                    lang,
                    "restart.started",
                    &[("name", r.name), ("command", command)]
                )
            ),
            Err(m) => output::error(lang, &m.text(lang)),
        }
    }
    restart_exit(restarted)
}

/// `PartlyFailed` when a client could not be started.
pub fn restart_exit(restarted: &[Restarted]) -> Exit {
    if restarted.iter().any(|r| r.result.is_err()) {
        Exit::PartlyFailed
    } else {
        Exit::Ok
    }
}

/// `[{ "name", "command" }]`, or `"error"` instead of `"command"` for a client not started.
pub fn restarts_json(lang: Lang, restarted: &[Restarted]) -> serde_json::Value {
    restarted
        .iter()
        .map(|r| match &r.result {
            Ok(command) => json!({"name": r.name, "command": command}),
            Err(m) => json!({"name": r.name, "error": m.text(lang)}),
        })
        .collect()
}
