//! `teamsfix-cli restart`

use crate::context::Context;
use crate::output::{self, Exit};
use std::path::PathBuf;
use teamsfix::discover::Installation;
use teamsfix::i18n::{Lang, tr, tr_args};
use teamsfix::repair;

pub fn run(lang: Lang, ids: &[String]) -> Exit {
    let ctx = match Context::new(lang) {
        Ok(c) => c,
        Err(e) => return e,
    };
    if let Err(e) = ctx.check_ids(ids) {
        return e;
    }
    let installs = ctx.installations(ids);
    if installs.is_empty() {
        println!("{}", tr(lang, "cli.status.none"));
        return Exit::Ok;
    }
    let refs: Vec<&Installation> = installs.iter().collect();
    restart_each(&ctx, &refs, &[])
}

/// Starts each client once (a client with several data roots is started once). `last_exes`
/// are the executables that ran before teamsfix quit them, per client id.
pub fn restart_each(
    ctx: &Context,
    installs: &[&Installation],
    last_exes: &[(&str, PathBuf)],
) -> Exit {
    let lang = ctx.lang;
    let mut code = Exit::Ok;
    let mut ids: Vec<&str> = installs.iter().map(|i| i.id()).collect();
    ids.dedup();
    for id in ids {
        let last = last_exes
            .iter()
            .find(|(c, _)| *c == id)
            .map(|(_, p)| p.as_path());
        // Try the client's data roots in turn: each knows its own way to start (native, snap, flatpak).
        let mut error = None;
        let started = installs.iter().filter(|i| i.id() == id).find_map(|inst| {
            match repair::restart_installation(inst, last, &ctx.folders, &ctx.journal()) {
                Ok(command) => Some((inst.client.name, command)),
                Err(m) => {
                    error = Some(m);
                    None
                }
            }
        });
        match (started, error) {
            (Some((name, command)), _) => println!(
                "{}",
                tr_args(
                    lang,
                    "restart.started",
                    &[("name", name), ("command", &command)]
                )
            ),
            (None, Some(m)) => {
                output::error(lang, &m.text(lang));
                code = Exit::PartlyFailed;
            }
            (None, None) => {}
        }
    }
    code
}
