//! `teamsfix-cli quit`

use crate::context::Context;
use crate::output::{self, Exit};
use crate::results;
use serde_json::json;
use teamsfix::common::i18n::Lang;
use teamsfix::report::helpdesk::SCHEMA_VERSION;

pub fn run(lang: Lang, timeout: u64, ids: &[String], json: bool) -> Exit {
    let ctx = match Context::new(lang) {
        Ok(c) => c,
        Err(e) => return e,
    };
    if let Err(e) = ctx.check_ids(ids) {
        return e;
    }
    let _lock = match ctx.lock(teamsfix::platform::instance_lock::Job::Quit, 0, json) {
        Ok(l) => l,
        Err(e) => return e,
    };
    let outcome = ctx.quit(ids, timeout, !json);
    let code = match outcome.refused {
        Some(e) => {
            output::error(lang, &e.msg().text(lang));
            output::exit_of_process_error(e)
        }
        None if outcome.all_gone() => Exit::Ok,
        None => Exit::StillRunning,
    };
    if json {
        let mut doc = json!({
            "schema_version": SCHEMA_VERSION,
            "processes": results::quit_json(&outcome),
            "exit_code": code as i32,
        });
        if let Some(e) = outcome.refused {
            doc["quit_refused"] = json!(e.msg().text(lang));
        }
        output::print_json(&doc);
    } else if outcome.refused.is_none() {
        results::print_quit(lang, &outcome);
    }
    code
}
