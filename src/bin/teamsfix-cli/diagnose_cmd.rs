//! `teamsfix-cli diagnose`

use crate::output::{self, Exit, outln};
use serde_json::json;
use teamsfix::common::i18n::{Lang, tr};
use teamsfix::guide::admin_steps;
use teamsfix::guide::checklist::{self, StepAction};
use teamsfix::guide::diagnose::diagnose;
use teamsfix::report::helpdesk::SCHEMA_VERSION;

pub fn run(lang: Lang, message: &str, json: bool) -> Exit {
    if message.trim().is_empty() {
        output::error(lang, &tr(lang, "diagnose.empty"));
        return Exit::Refused;
    }
    let found = diagnose(message);
    if json {
        let matches: Vec<serde_json::Value> = found
            .iter()
            .map(|d| {
                json!({
                    "id": d.error.id,
                    "match": d.kind,
                    "score": d.score,
                    "confirmed_text": d.error.confirmed,
                    "title": tr(lang, &format!("errors.{}.title", d.error.id)),
                    "cause": tr(lang, &format!("errors.{}.cause", d.error.id)),
                    "steps": d.error.steps.iter().map(|s| json!({"id": s, "title": step_title(lang, s)})).collect::<Vec<_>>(),
                    "admin_layers": d.error.layers,
                })
            })
            .collect();
        output::print_json(
            &json!({"schema_version": SCHEMA_VERSION, "message": message, "matches": matches}),
        );
        return Exit::Ok;
    }
    let Some(best) = found.first() else {
        outln!("{}", tr(lang, "diagnose.no_match"));
        return Exit::Ok;
    };
    outln!("{}", tr(lang, &format!("errors.{}.title", best.error.id)));
    if !best.error.confirmed {
        outln!("  ({})", tr(lang, "diagnose.paraphrase"));
    }
    outln!();
    outln!(
        "{}: {}",
        tr(lang, "diagnose.cause"),
        tr(lang, &format!("errors.{}.cause", best.error.id))
    );
    outln!();
    outln!("{}:", tr(lang, "diagnose.steps"));
    for (n, id) in best.error.steps.iter().enumerate() {
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
                    outln!("       {}: {}", tr(lang, "admin.check"), a.check);
                }
            }
            StepAction::OpenUrl(url) => outln!("       {url}"),
            StepAction::ClearCache(mode) => {
                outln!("       teamsfix-cli clear-cache --mode {}", mode.id())
            }
            StepAction::QuitTeams => outln!("       teamsfix-cli quit"),
            StepAction::None => {}
        }
    }
    if found.len() > 1 {
        outln!();
        outln!("{}:", tr(lang, "diagnose.also"));
        for d in &found[1..found.len().min(4)] {
            outln!("  - {}", tr(lang, &format!("errors.{}.title", d.error.id)));
        }
    }
    Exit::Ok
}

fn step_title(lang: Lang, id: &str) -> String {
    checklist::step(id)
        .map(|s| tr(lang, &s.title_key()))
        .unwrap_or_else(|| id.to_string())
}
