//! `teamsfix-cli restart`

use crate::context::Context;
use crate::output::{Exit, outln};
use crate::results;
use teamsfix::clients::discover::Installation;
use teamsfix::common::i18n::{Lang, tr};
use teamsfix::repair::sequence;

pub fn run(lang: Lang, ids: &[String]) -> Exit {
    let ctx = match Context::new(lang) {
        Ok(c) => c,
        Err(e) => return e,
    };
    if let Err(e) = ctx.check_ids(ids) {
        return e;
    }
    let _lock = match ctx.lock(teamsfix::platform::instance_lock::Job::Restart, 0, false) {
        Ok(l) => l,
        Err(e) => return e,
    };
    let installs = ctx.installations(ids);
    if installs.is_empty() {
        outln!("{}", tr(lang, "cli.status.none"));
        return Exit::Ok;
    }
    let refs: Vec<&Installation> = installs.iter().collect();
    let restarted = sequence::restart_clients(&refs, &[], &ctx.folders, &ctx.journal());
    results::print_restarts(lang, &restarted)
}
