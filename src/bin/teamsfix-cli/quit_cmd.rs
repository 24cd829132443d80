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
    let outcome = ctx.quit(ids, timeout, !json);
    let code = if outcome.all_gone() {
        Exit::Ok
    } else {
        Exit::StillRunning
    };
    if json {
        output::print_json(&json!({
            "schema_version": SCHEMA_VERSION,
            "processes": results::quit_json(&outcome),
            "exit_code": code as i32,
        }));
    } else {
        results::print_quit(lang, &outcome);
    }
    code
}
