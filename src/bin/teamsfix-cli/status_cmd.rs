//! `teamsfix-cli status`

use crate::context::Context;
use crate::output::{self, Exit, out, outln};
use serde_json::json;
use teamsfix::clients::client_table::Os;
use teamsfix::common::i18n::{Lang, tr};
use teamsfix::common::progress::CancelToken;
use teamsfix::common::timestamps::now_rfc3339;
use teamsfix::report::helpdesk::{ClientEntry, SCHEMA_VERSION};

pub fn run(lang: Lang, json: bool) -> Exit {
    let ctx = match Context::new(lang) {
        Ok(c) => c,
        Err(e) => return e,
    };
    let states =
        teamsfix::clients::status::collect(&ctx.folders, Os::current(), true, &CancelToken::new());
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

fn print_human(lang: Lang, entries: &[ClientEntry]) {
    if entries.is_empty() {
        outln!("{}", tr(lang, "cli.status.none"));
    } else {
        out!(
            "{}",
            teamsfix::report::helpdesk::clients_section(entries, lang, false)
        );
    }
}
