//! `teamsfix-cli bundle`: one zip for a helpdesk ticket (see `teamsfix::report::bundle`).

use crate::context::Context;
use crate::output::{self, Exit, outln};
use serde_json::json;
use std::path::PathBuf;
use teamsfix::clients::client_table::Os;
use teamsfix::clients::discover::Installation;
use teamsfix::common::i18n::{Lang, tr, tr_args};
use teamsfix::common::progress::CancelToken;
use teamsfix::common::sizes::human_bytes;
use teamsfix::report::bundle::{self, BundleRequest, Destination};
use teamsfix::report::helpdesk::{Report, SCHEMA_VERSION};

pub struct Options {
    pub output: Option<PathBuf>,
    pub redact: bool,
    pub max_mb: u64,
    pub json: bool,
}

pub fn run(lang: Lang, opts: Options) -> Exit {
    let ctx = match Context::new(lang) {
        Ok(c) => c,
        Err(e) => return e,
    };
    // Shared: several bundles at once are fine, a clear or restore pruning what is read is not.
    let _lock = match ctx.lock(
        teamsfix::platform::instance_lock::Job::Bundle,
        bundle::BUSY_WAIT.as_secs(),
        opts.json,
    ) {
        Ok(l) => l,
        Err(e) => return e,
    };
    let cancel = CancelToken::new();
    let states = teamsfix::clients::status::collect(&ctx.folders, Os::current(), true, &cancel);
    let report = Report::new(&states, &ctx.app.data, ctx.app.portable, lang);
    let installs: Vec<Installation> = states.into_iter().map(|s| s.inst).collect();
    let req = BundleRequest {
        report: &report,
        lang,
        redact: opts.redact,
        app_data: &ctx.app.data,
        folders: &ctx.folders,
        installs: &installs,
        max_bytes: opts.max_mb.saturating_mul(1_000_000),
        cancel: &cancel,
    };
    let dest = match &opts.output {
        Some(p) => Destination::File(p.clone()),
        None => Destination::Folder(bundle::bundles_folder(&ctx.app.data)),
    };
    match bundle::write(&req, &dest) {
        Ok(b) => {
            if opts.json {
                output::print_json(&json!({
                    "schema_version": SCHEMA_VERSION,
                    "path": b.path.to_string_lossy(),
                    "bytes": b.bytes,
                    "max_bytes": b.max_bytes,
                    "redacted": b.redacted,
                    "files": b.files.len(),
                    "left_out": b.left_out,
                    "elapsed_ms": b.elapsed_ms,
                    "pruned": b.pruned.iter().map(|p| p.to_string_lossy()).collect::<Vec<_>>(),
                    "exit_code": 0,
                }));
                return Exit::Ok;
            }
            outln!(
                "{}",
                tr_args(
                    lang,
                    "helpdesk.bundle.saved",
                    &[
                        ("path", &b.path.display().to_string()),
                        ("size", &human_bytes(b.bytes)),
                        ("files", &(b.files.len() + 2).to_string()),
                        ("seconds", &format!("{:.1}", b.elapsed_ms as f64 / 1000.0)),
                    ]
                )
            );
            if b.redacted {
                outln!("{}", tr(lang, "helpdesk.bundle.redacted"));
            }
            if !b.left_out.is_empty() {
                outln!(
                    "{}",
                    tr_args(
                        lang,
                        "helpdesk.bundle.left_out",
                        &[("count", &b.left_out.len().to_string())]
                    )
                );
            }
            Exit::Ok
        }
        Err(e) => {
            let code = match e {
                bundle::BundleError::Busy(_) => Exit::Busy,
                _ => Exit::PartlyFailed,
            };
            let text = e.message().text(lang);
            if opts.json {
                output::print_json(&json!({
                    "schema_version": SCHEMA_VERSION,
                    "error": text,
                    "exit_code": code as i32,
                }));
            }
            output::error(lang, &text);
            code
        }
    }
}
