//! `teamsfix-cli restart`

use crate::context::Context;
use crate::output::{self, Exit};
use teamsfix::action_log::{self, ActionRecord};
use teamsfix::discover::Installation;
use teamsfix::i18n::{Lang, tr, tr_args};
use teamsfix::report::now_rfc3339;

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
    restart_each(&ctx, lang, &installs, &[])
}

/// Starts each client once (a client with several data roots is started once). `last_exes`
/// are the executables that ran before teamsfix quit them, per client id.
pub fn restart_each(
    ctx: &Context,
    lang: Lang,
    installs: &[Installation],
    last_exes: &[(&str, std::path::PathBuf)],
) -> Exit {
    let mut code = Exit::Ok;
    let mut started: Vec<&str> = Vec::new();
    for inst in installs {
        if started.contains(&inst.id()) {
            continue;
        }
        let last = last_exes
            .iter()
            .find(|(id, _)| *id == inst.id())
            .map(|(_, p)| p.as_path());
        let (result, summary) = match teamsfix::restart::restart(inst, last, &ctx.folders) {
            Ok(cmd) => {
                started.push(inst.id());
                println!(
                    "{}",
                    tr_args(
                        lang,
                        "cli.restart.started",
                        &[("name", inst.client.name), ("command", &cmd)]
                    )
                );
                ("ok", cmd)
            }
            Err(m) => {
                // Another data root of the same client may still have a way to start it.
                if installs.iter().filter(|i| i.id() == inst.id()).count() > 1 {
                    continue;
                }
                output::error(lang, &m.text(lang));
                code = Exit::PartlyFailed;
                ("failed", m.text(lang))
            }
        };
        let record = ActionRecord {
            time: now_rfc3339(),
            action: "restart".into(),
            client: inst.label(),
            result: result.into(),
            summary,
            archive: None,
        };
        let _ = action_log::append(&ctx.app.data, &record);
    }
    code
}
