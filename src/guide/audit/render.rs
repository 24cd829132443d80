//! An audit as text or Markdown, in the user's language: the one-sentence headline, where the
//! result came from, then every layer in checking order with its verdict, deciding value and
//! why; for layers that block or may block also the fix, the role and the delay. Used by
//! `teamsfix-cli audit read` and by the helpdesk report.

use super::rules::Verdict;
use super::verdict::{Audit, Format};
use crate::common::i18n::{Lang, tr, tr_args};
use std::fmt::Write;

pub fn verdict_name(v: Verdict, lang: Lang) -> String {
    tr(lang, v.key())
}

/// Where the result came from, in one line.
pub fn source_line(a: &Audit, lang: Lang) -> String {
    let kind = match a.format {
        Format::Teamsfix => tr(lang, "audit.source.teamsfix"),
        Format::ScubaGear => tr(lang, "audit.source.scubagear"),
    };
    let mut parts = vec![kind];
    if let Some(m) = &a.made_by {
        parts.push(m.clone());
    }
    if let Some(t) = &a.tenant_id {
        parts.push(tr_args(lang, "audit.source.tenant", &[("id", t)]));
    }
    if let Some(at) = &a.ran_at {
        parts.push(at.clone());
    }
    if let Some(by) = &a.ran_by {
        parts.push(tr_args(lang, "audit.source.by", &[("user", by)]));
    }
    parts.join(", ")
}

fn inputs_line(a: &Audit, lang: Lang) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(g) = &a.guest {
        parts.push(tr_args(lang, "audit.source.guest", &[("guest", g)]));
    }
    if let Some(t) = &a.team {
        parts.push(tr_args(lang, "audit.source.team", &[("team", t)]));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// Plain text for a terminal; the title is underlined with `=` (level 1) or `-`.
pub fn to_text(a: &Audit, lang: Lang, level: usize) -> String {
    let mut o = String::new();
    let title = tr(lang, "audit.title");
    let rule = if level <= 1 { "=" } else { "-" };
    let _ = writeln!(o, "{title}\n{}", rule.repeat(title.chars().count()));
    let _ = writeln!(o, "{}", a.headline(lang));
    if let Some(note) = a.coverage_note(lang) {
        let _ = writeln!(o, "{note}");
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{}: {}",
        tr(lang, "audit.source.label"),
        source_line(a, lang)
    );
    if let Some(i) = inputs_line(a, lang) {
        let _ = writeln!(o, "{i}");
    }
    let _ = writeln!(o);
    let width = Verdict::ALL
        .iter()
        .map(|v| verdict_name(*v, lang).chars().count())
        .max()
        .unwrap_or(8);
    for (n, l) in a.layers.iter().enumerate() {
        let verdict = format!("[{}]", verdict_name(l.verdict, lang).to_uppercase());
        let _ = writeln!(
            o,
            "{:>2}. {:<w$} {}",
            n + 1,
            verdict,
            l.title(lang),
            w = width + 2
        );
        let pad = " ".repeat(width + 7);
        if !l.decided_by.is_empty() {
            let _ = writeln!(o, "{pad}{}", l.decided_text());
        }
        let _ = writeln!(o, "{pad}{}", l.why.text(lang));
        if matches!(l.verdict, Verdict::Blocks | Verdict::MayBlock)
            && let Some(layer) = l.layer()
        {
            if !l.fix.is_empty() {
                let _ = writeln!(o, "{pad}{}: {}", tr(lang, "audit.fix"), l.fix);
            }
            let _ = writeln!(
                o,
                "{pad}{}: {}. {}: {}.",
                tr(lang, "admin.role"),
                layer.role(lang),
                tr(lang, "admin.delay"),
                layer.delay(lang)
            );
            let _ = writeln!(o, "{pad}{}", layer.docs());
        }
    }
    o
}

/// Markdown: the headline, then one table row per layer, then the fixes.
pub fn to_markdown(a: &Audit, lang: Lang, heading_level: usize) -> String {
    let h = "#".repeat(heading_level.clamp(1, 5));
    let mut o = String::new();
    let _ = writeln!(o, "{h} {}\n", tr(lang, "audit.title"));
    let _ = writeln!(o, "**{}**\n", md_cell(&a.headline(lang)));
    if let Some(note) = a.coverage_note(lang) {
        let _ = writeln!(o, "{note}\n");
    }
    let _ = writeln!(
        o,
        "{}: {}\n",
        tr(lang, "audit.source.label"),
        md_cell(&source_line(a, lang))
    );
    if let Some(i) = inputs_line(a, lang) {
        let _ = writeln!(o, "{}\n", md_cell(&i));
    }
    let _ = writeln!(
        o,
        "| # | {} | {} | {} | {} |\n|---|---|---|---|---|",
        tr(lang, "audit.column.layer"),
        tr(lang, "audit.column.verdict"),
        tr(lang, "audit.column.value"),
        tr(lang, "audit.column.why"),
    );
    for (n, l) in a.layers.iter().enumerate() {
        let verdict = match l.verdict {
            Verdict::Blocks => format!("**{}**", verdict_name(l.verdict, lang)),
            v => verdict_name(v, lang),
        };
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            n + 1,
            md_cell(&l.title(lang)),
            verdict,
            md_code(&l.decided_text()),
            md_cell(&l.why.text(lang)),
        );
    }
    let to_fix: Vec<_> = a
        .layers
        .iter()
        .filter(|l| matches!(l.verdict, Verdict::Blocks | Verdict::MayBlock))
        .collect();
    if !to_fix.is_empty() {
        let _ = writeln!(o, "\n{h}# {}\n", tr(lang, "audit.fixes"));
        for l in to_fix {
            let Some(layer) = l.layer() else { continue };
            let _ = writeln!(
                o,
                "- **{}** ({})",
                md_cell(&l.title(lang)),
                verdict_name(l.verdict, lang)
            );
            if !l.fix.is_empty() {
                let _ = writeln!(
                    o,
                    "  - {}: `{}`",
                    tr(lang, "audit.fix"),
                    l.fix.replace('`', "'")
                );
            }
            let _ = writeln!(o, "  - {}: {}", tr(lang, "admin.role"), layer.role(lang));
            let _ = writeln!(o, "  - {}: {}", tr(lang, "admin.delay"), layer.delay(lang));
            let _ = writeln!(o, "  - {}", layer.docs());
        }
    }
    o
}

/// Text for a Markdown table cell: no line breaks, pipes escaped.
fn md_cell(s: &str) -> String {
    s.replace('\n', " ").replace('|', "\\|")
}

fn md_code(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("`{}`", md_cell(s).replace('`', "'"))
    }
}
