//! `teamsfix-cli audit script|read`: write the read-only tenant audit script, and judge its
//! result file (or a ScubaGear export).

use crate::output::{self, Exit, errln, out};
use std::path::Path;
use teamsfix::common::i18n::{Lang, tr_args};
use teamsfix::guide::audit::{self, ScriptOptions, render, script};

/// `audit script`: the script on stdout, or in `output` (UTF-8 with a byte-order mark, so
/// Windows PowerShell 5.1 reads names with accents correctly).
pub fn script(
    lang: Lang,
    guest: Option<&str>,
    team: Option<&str>,
    output_file: Option<&Path>,
) -> Exit {
    let mut opts = ScriptOptions::default();
    if let Some(g) = guest {
        match script::check_guest(g) {
            Ok(g) => opts.guest = Some(g),
            Err(m) => return refuse(lang, &m.text(lang)),
        }
    }
    if let Some(t) = team {
        match script::check_team(t) {
            Ok(t) => opts.team = Some(t),
            Err(m) => return refuse(lang, &m.text(lang)),
        }
    }
    let text = audit::generate(&opts);
    let Some(path) = output_file else {
        out!("{text}");
        return Exit::Ok;
    };
    let shown = path.display().to_string();
    match std::fs::write(path, script::file_bytes(&text)) {
        Ok(()) => {
            errln!(
                "{}",
                tr_args(lang, "audit.cli.script_written", &[("path", &shown)])
            );
            Exit::Ok
        }
        Err(e) => {
            output::error(
                lang,
                &tr_args(
                    lang,
                    "audit.cli.write_failed",
                    &[("path", &shown), ("reason", &e.to_string())],
                ),
            );
            Exit::PartlyFailed
        }
    }
}

/// `audit read FILE`: every layer's verdict; exit 2 when the file cannot be used.
pub fn read(lang: Lang, file: &Path, json: bool) -> Exit {
    match audit::open(file) {
        Ok(a) => {
            if json {
                output::print_json(&a.to_json(lang));
            } else {
                out!("{}", render::to_text(&a, lang, 1));
            }
            Exit::Ok
        }
        Err(e) => {
            let text = tr_args(
                lang,
                "audit.cli.cannot_use",
                &[
                    ("file", &file.display().to_string()),
                    ("reason", &e.msg().text(lang)),
                ],
            );
            // With --json a script gets the error as JSON too, as from the other commands.
            if json {
                output::print_json(&serde_json::json!({
                    "schema_version": audit::SCHEMA_VERSION,
                    "error": text,
                    "error_code": e.id(),
                    "exit_code": Exit::Refused as i32,
                }));
            }
            refuse(lang, &text)
        }
    }
}

fn refuse(lang: Lang, message: &str) -> Exit {
    output::error(lang, message);
    Exit::Refused
}
