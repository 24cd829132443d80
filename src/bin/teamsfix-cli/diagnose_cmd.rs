//! `teamsfix-cli diagnose`

use crate::output::{self, Exit, outln};
use serde_json::json;
use teamsfix::common::i18n::{Lang, tr, tr_args};
use teamsfix::guide::admin_steps;
use teamsfix::guide::checklist::{self, StepAction};
use teamsfix::guide::diagnose::{Diagnosis, MAX_MESSAGE_BYTES, MatchKind, diagnose, unknown_codes};
use teamsfix::guide::error_catalogue;
use teamsfix::report::helpdesk::SCHEMA_VERSION;

/// `message` is the text itself, or `-` to read it from standard input (a whole error page, as
/// a helpdesk script pipes it).
pub fn run(lang: Lang, message: &str, json: bool) -> Exit {
    let from_stdin;
    let message = if message == "-" {
        match read_stdin() {
            Ok(text) => {
                from_stdin = text;
                from_stdin.as_str()
            }
            Err(problem) => return refuse(lang, json, &problem.text(lang)),
        }
    } else {
        message
    };
    if message.len() > MAX_MESSAGE_BYTES {
        return refuse(lang, json, &InputProblem::TooLong.text(lang));
    }
    if message.trim().is_empty() {
        return refuse(lang, json, &tr(lang, "diagnose.empty"));
    }
    let found = diagnose(message);
    let unknown = unknown_codes(message);
    if json {
        let matches: Vec<serde_json::Value> = found.iter().map(|d| match_json(lang, d)).collect();
        let unknown: Vec<serde_json::Value> = unknown
            .iter()
            .map(|c| json!({"code": c, "lookup": error_catalogue::lookup_url(c)}))
            .collect();
        output::print_json(&json!({
            "schema_version": SCHEMA_VERSION,
            "message": message,
            "matches": matches,
            "unknown_codes": unknown,
        }));
        return Exit::Ok;
    }
    for code in &unknown {
        outln!(
            "{}",
            tr_args(
                lang,
                "diagnose.unknown_code",
                &[("code", code), ("url", &error_catalogue::lookup_url(code))],
            )
        );
    }
    let Some(best) = found.first() else {
        if unknown.is_empty() {
            outln!("{}", tr(lang, "diagnose.no_match"));
        } else {
            // The code was read; what helps now is where its cause is found.
            outln!();
            outln!("{}", tr(lang, "diagnose.unknown_next"));
        }
        return Exit::Ok;
    };
    if !unknown.is_empty() {
        outln!();
    }
    print_best(lang, best);
    if found.len() > 1 {
        outln!();
        outln!("{}:", tr(lang, "diagnose.also"));
        for d in &found[1..found.len().min(4)] {
            outln!("  - {}", tr(lang, &format!("errors.{}.title", d.error.id)));
        }
    }
    Exit::Ok
}

fn match_json(lang: Lang, d: &Diagnosis) -> serde_json::Value {
    json!({
        "id": d.error.id,
        "match": d.kind,
        "score": d.score,
        "confirmed_text": d.error.confirmed,
        "code": d.code,
        "code_confirmed": d.code_confirmed,
        "quote": d.error.quote,
        "source": d.error.sources.first(),
        "sources": d.error.sources,
        "title": tr(lang, &format!("errors.{}.title", d.error.id)),
        "cause": tr(lang, &format!("errors.{}.cause", d.error.id)),
        "steps": d.error.steps.iter().map(|s| json!({"id": s, "title": step_title(lang, s)})).collect::<Vec<_>>(),
        "admin_layers": d.error.layers,
    })
}

fn print_best(lang: Lang, best: &Diagnosis) {
    let error = best.error;
    outln!("{}", tr(lang, &format!("errors.{}.title", error.id)));
    if best.kind == MatchKind::Paraphrase || (best.kind == MatchKind::Phrase && !error.confirmed) {
        outln!("  ({})", tr(lang, "diagnose.paraphrase"));
    }
    if let Some(quote) = error.quote {
        outln!("  {}: \"{quote}\"", tr(lang, "diagnose.quote"));
    }
    if let (Some(code), false) = (&best.code, best.code_confirmed) {
        let canonical = error.codes.first().copied().unwrap_or_default();
        outln!(
            "  {}",
            tr_args(
                lang,
                "diagnose.alias_code",
                &[("code", code), ("canonical", canonical)],
            )
        );
    }
    outln!();
    outln!(
        "{}: {}",
        tr(lang, "diagnose.cause"),
        tr(lang, &format!("errors.{}.cause", error.id))
    );
    outln!();
    outln!("{}:", tr(lang, "diagnose.steps"));
    for (n, id) in error.steps.iter().enumerate() {
        let Some(step) = checklist::step(id) else {
            continue;
        };
        outln!(
            "  {}. [{}] {}",
            n + 1,
            tr(lang, step.who.key()),
            step_title(lang, id)
        );
        match step.action {
            StepAction::AdminLayer(layer) => {
                if let Some(a) = admin_steps::step(layer) {
                    if !a.portal.is_empty() {
                        outln!("       {}: {}", tr(lang, "admin.portal"), a.portal);
                    }
                    outln!(
                        "       {}, {} {}:",
                        tr(lang, "admin.check"),
                        tr(lang, "admin.module"),
                        a.check.module_names()
                    );
                    for line in a.check.script().lines() {
                        outln!("         {line}");
                    }
                }
            }
            StepAction::OpenUrl(url) => outln!("       {url}"),
            StepAction::OpenOrgUrl(template) => outln!(
                "       {}",
                template.replace("{domain}", &tr(lang, "diagnose.org_domain_placeholder"))
            ),
            StepAction::ClearCache(_) | StepAction::QuitTeams => {
                if let Some(cmd) = step.cli_command() {
                    outln!("       {cmd}");
                }
            }
            StepAction::None => {}
        }
    }
    outln!();
    for url in error.sources {
        outln!("{}: {url}", tr(lang, "diagnose.source"));
    }
}

fn step_title(lang: Lang, id: &str) -> String {
    checklist::step(id)
        .map(|s| tr(lang, &s.title_key()))
        .unwrap_or_else(|| id.to_string())
}

/// Bad input: the reason on stderr, and with `--json` also as JSON on stdout, so a script that
/// reads stdout sees why instead of nothing.
fn refuse(lang: Lang, json: bool, text: &str) -> Exit {
    if json {
        output::print_json(&json!({
            "schema_version": SCHEMA_VERSION,
            "error": text,
            "exit_code": Exit::Refused as i32,
        }));
    }
    output::error(lang, text);
    Exit::Refused
}

enum InputProblem {
    TooLong,
    NotText,
    Unreadable(String),
}

impl InputProblem {
    fn text(&self, lang: Lang) -> String {
        match self {
            InputProblem::TooLong => tr_args(
                lang,
                "diagnose.too_long",
                &[("max", &format!("{} KiB", MAX_MESSAGE_BYTES / 1024))],
            ),
            InputProblem::NotText => tr(lang, "diagnose.not_text"),
            InputProblem::Unreadable(reason) => {
                tr_args(lang, "diagnose.stdin_failed", &[("reason", reason)])
            }
        }
    }
}

/// Standard input as text: UTF-8 (with or without a byte-order mark) or UTF-16 with a
/// byte-order mark (what Windows PowerShell 5.1 writes to files). Read no further than one byte
/// past the limit, so a huge or endless input is refused without being held in memory.
fn read_stdin() -> Result<String, InputProblem> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_MESSAGE_BYTES as u64 * 2 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| InputProblem::Unreadable(e.to_string()))?;
    decode(&bytes)
}

fn decode(bytes: &[u8]) -> Result<String, InputProblem> {
    let utf16 = |le: bool| -> Result<String, InputProblem> {
        let body = &bytes[2..];
        if body.len() > MAX_MESSAGE_BYTES * 2 {
            return Err(InputProblem::TooLong);
        }
        if !body.len().is_multiple_of(2) {
            return Err(InputProblem::NotText);
        }
        let units = body.chunks_exact(2).map(|p| {
            if le {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| InputProblem::NotText)
    };
    match bytes {
        [0xFF, 0xFE, ..] => utf16(true),
        [0xFE, 0xFF, ..] => utf16(false),
        _ => {
            let body = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
            if body.len() > MAX_MESSAGE_BYTES {
                return Err(InputProblem::TooLong);
            }
            String::from_utf8(body.to_vec()).map_err(|_| InputProblem::NotText)
        }
    }
}
