//! `teamsfix-cli report`

use crate::FormatArg;
use crate::context::Context;
use crate::output::{self, Exit, errln, out};
use std::path::Path;
use teamsfix::clients::client_table::Os;
use teamsfix::common::i18n::{Lang, tr_args};
use teamsfix::common::progress::CancelToken;
use teamsfix::report::helpdesk::{AuditSection, Report};

pub fn run(
    lang: Lang,
    format: FormatArg,
    output_file: Option<&Path>,
    redact: bool,
    audit_file: Option<&Path>,
) -> Exit {
    let ctx = match Context::new(lang) {
        Ok(c) => c,
        Err(e) => return e,
    };
    // A tenant audit result to include: one that cannot be used stops the report (exit 2).
    let audit = match audit_file.map(teamsfix::guide::audit::open) {
        None => None,
        Some(Ok(a)) => Some(AuditSection::new(&a, lang)),
        Some(Err(e)) => {
            let file = audit_file
                .map(|f| f.display().to_string())
                .unwrap_or_default();
            output::error(
                lang,
                &tr_args(
                    lang,
                    "audit.cli.cannot_use",
                    &[("file", &file), ("reason", &e.msg().text(lang))],
                ),
            );
            return Exit::Refused;
        }
    };
    let states =
        teamsfix::clients::status::collect(&ctx.folders, Os::current(), true, &CancelToken::new());
    let mut report = Report::new(&states, &ctx.app.data, ctx.app.portable, lang);
    report.audit = audit;
    let mut text = match format {
        FormatArg::Text => report.to_text(lang),
        FormatArg::Markdown => report.to_markdown(lang),
        FormatArg::Json => report.to_json(),
    };
    if redact {
        let home = ctx.folders.home.to_string_lossy().into_owned();
        text = report.redact(&text, Some(&home));
    }
    match output_file {
        None => {
            out!("{text}");
            Exit::Ok
        }
        Some(path) => match write_report(path, &text) {
            Ok(()) => {
                errln!(
                    "{}",
                    tr_args(
                        lang,
                        "cli.report.saved",
                        &[("path", &path.display().to_string())]
                    )
                );
                Exit::Ok
            }
            Err(e) => {
                output::error(
                    lang,
                    &tr_args(
                        lang,
                        "cli.report.write_failed",
                        &[
                            ("path", &path.display().to_string()),
                            ("reason", &teamsfix::cache::tree_walk::describe_io_error(&e)),
                        ],
                    ),
                );
                Exit::PartlyFailed
            }
        },
    }
}

/// Writes the report to `path`. A file this run created and could not fill (a full disk) is
/// removed again: no empty or cut-off report is left behind.
fn write_report(path: &Path, text: &str) -> std::io::Result<()> {
    let existed = std::fs::symlink_metadata(path).is_ok();
    std::fs::write(path, text).inspect_err(|_| {
        if !existed && std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file()) {
            let _ = std::fs::remove_file(path);
        }
    })
}
