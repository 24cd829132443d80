//! The helpdesk report: the machine, each client (version, verdict, running, cache sizes) and
//! what teamsfix did, as text, Markdown and JSON. JSON keys are documented in README.md and
//! stable for scripts; `schema_version` changes when they do.

use crate::cache::classes::CacheClass;
use crate::cache::scan::{ClassTallies, Tally};
use crate::clients::status::ClientState;
use crate::common::i18n::{Lang, tr, tr_args};
use crate::common::sizes::human_bytes;
use crate::report::journal::ActionRecord;
use serde::Serialize;
use std::path::PathBuf;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, Serialize)]
pub struct ProcessEntry {
    pub pid: u32,
    pub name: String,
}

/// One data root of one client, as scripts see it.
#[derive(Clone, Debug, Serialize)]
pub struct ClientEntry {
    pub id: &'static str,
    pub name: &'static str,
    pub variant: &'static str,
    #[serde(serialize_with = "crate::common::lossy_path::one")]
    pub data_root: PathBuf,
    /// Why teamsfix will not work in this data root (a link, outside the user's folders...).
    pub refused: Option<String>,
    pub version: Option<String>,
    pub version_source: Option<&'static str>,
    pub verdict: &'static str,
    pub verdict_reason: String,
    pub running: Vec<ProcessEntry>,
    /// Files and bytes per class; absent when not measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classes: Option<ClassTallies>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<Tally>,
}

impl ClientEntry {
    pub fn from_state(s: &ClientState, lang: Lang) -> ClientEntry {
        ClientEntry {
            id: s.inst.id(),
            name: s.inst.client.name,
            variant: s.inst.variant(),
            data_root: s.inst.shown_root.clone(),
            refused: s.inst.root.as_ref().err().map(|m| m.text(lang)),
            version: s.version.version.clone(),
            version_source: s.version.source,
            verdict: s.version.verdict.id(),
            verdict_reason: verdict_reason_text(&s.version.reason, lang),
            running: s
                .running
                .iter()
                .map(|p| ProcessEntry {
                    pid: p.pid,
                    name: p.name.clone(),
                })
                .collect(),
            classes: s.scan.as_ref().map(|x| x.tallies),
            total: s.scan.as_ref().map(|x| x.tallies.total()),
        }
    }
}

/// The reason text, with a retired client's replacement advice filled in.
pub fn verdict_reason_text(m: &crate::common::i18n::Msg, lang: Lang) -> String {
    let mut m = m.clone();
    if let Some(pos) = m.args.iter().position(|(k, _)| *k == "replacement_key") {
        let key = m.args.remove(pos).1;
        m.args.push(("replacement", tr(lang, &key)));
    }
    m.text(lang)
}

#[derive(Clone, Debug, Serialize)]
pub struct Machine {
    pub os: String,
    pub os_version: Option<String>,
    pub host: Option<String>,
    pub user: Option<String>,
    pub teamsfix_version: &'static str,
    pub portable: bool,
}

impl Machine {
    pub fn detect(portable: bool) -> Machine {
        Machine {
            os: std::env::consts::OS.to_string(),
            os_version: sysinfo::System::long_os_version().ok(),
            host: sysinfo::System::host_name().ok(),
            user: std::env::var("USERNAME")
                .or_else(|_| std::env::var("USER"))
                .ok(),
            teamsfix_version: env!("CARGO_PKG_VERSION"),
            portable,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct ChecklistLine {
    pub id: String,
    pub title: String,
    pub status: String,
}

/// The tenant audit's verdicts as the report shows them, rendered in the report's language
/// when the report is built (the report's JSON gets the audit's JSON form).
#[derive(Clone, Debug, Serialize)]
#[serde(transparent)]
pub struct AuditSection {
    json: serde_json::Value,
    #[serde(skip)]
    text: String,
    #[serde(skip)]
    markdown: String,
    #[serde(skip)]
    personal: Vec<String>,
}

impl AuditSection {
    pub fn new(audit: &crate::guide::audit::Audit, lang: Lang) -> AuditSection {
        use crate::guide::audit::render;
        AuditSection {
            json: audit.to_json(lang),
            text: render::to_text(audit, lang, 2),
            markdown: render::to_markdown(audit, lang, 2),
            personal: audit.personal_values(),
        }
    }

    /// Tenant ids, user names and guest addresses to hide with the other personal details.
    pub fn personal_values(&self) -> &[String] {
        &self.personal
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub generated_at: String,
    pub machine: Machine,
    pub clients: Vec<ClientEntry>,
    pub actions: Vec<ActionRecord>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checklist: Vec<ChecklistLine>,
    /// The tenant audit opened on the Admin tab (or given with `report --audit`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit: Option<AuditSection>,
}

/// `12 files, 3.4 MB` (or `1 file, 20 B`) in `lang`.
pub fn files_and_size(t: Tally, lang: Lang) -> String {
    tr_args(
        lang,
        "report.files_bytes",
        &[
            ("files", &t.files.to_string()),
            ("size", &human_bytes(t.bytes)),
        ],
    )
}

pub fn class_name(class: CacheClass, lang: Lang) -> String {
    tr(lang, &format!("class.{}.name", class.id()))
}

pub fn verdict_name(verdict: &str, lang: Lang) -> String {
    tr(lang, &format!("verdict.{verdict}"))
}

impl Report {
    /// The report of this machine as the CLI gives it: the clients in `states` (from
    /// `clients::status::collect`) and the journal's recent actions in `app_data`.
    pub fn new(
        states: &[ClientState],
        app_data: &std::path::Path,
        portable: bool,
        lang: Lang,
    ) -> Report {
        Report {
            schema_version: SCHEMA_VERSION,
            generated_at: crate::common::timestamps::now_rfc3339(),
            machine: Machine::detect(portable),
            clients: states
                .iter()
                .map(|s| ClientEntry::from_state(s, lang))
                .collect(),
            actions: crate::report::journal::recent(app_data, 50),
            checklist: Vec::new(),
            audit: None,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into())
    }

    pub fn to_text(&self, lang: Lang) -> String {
        self.render(lang, false)
    }

    pub fn to_markdown(&self, lang: Lang) -> String {
        self.render(lang, true)
    }

    fn render(&self, lang: Lang, md: bool) -> String {
        let mut o = String::new();
        heading(&mut o, md, 1, &tr(lang, "report.title"));
        let m = &self.machine;
        item(
            &mut o,
            md,
            &tr(lang, "report.generated"),
            &self.generated_at,
        );
        item(
            &mut o,
            md,
            &tr(lang, "report.os"),
            m.os_version.as_deref().unwrap_or(&m.os),
        );
        if let Some(host) = &m.host {
            item(&mut o, md, &tr(lang, "report.host"), host);
        }
        if let Some(user) = &m.user {
            item(&mut o, md, &tr(lang, "report.user"), user);
        }
        item(&mut o, md, "teamsfix", m.teamsfix_version);
        o.push('\n');
        heading(&mut o, md, 2, &tr(lang, "report.clients"));
        o.push_str(&clients_section(&self.clients, lang, md));
        heading(&mut o, md, 2, &tr(lang, "report.actions"));
        if self.actions.is_empty() {
            o.push_str(&tr(lang, "report.no_actions"));
            o.push_str("\n\n");
        }
        for a in &self.actions {
            let line = format!(
                "{} {} {}: {}",
                a.time,
                a.action,
                a.client,
                a.summary_in(lang)
            );
            if md {
                o.push_str(&format!("- {line}\n"));
            } else {
                o.push_str(&format!("  {line}\n"));
            }
        }
        if !self.actions.is_empty() {
            o.push('\n');
        }
        if !self.checklist.is_empty() {
            heading(&mut o, md, 2, &tr(lang, "report.checklist"));
            for l in &self.checklist {
                if md {
                    o.push_str(&format!("- [{}] {}\n", l.status, l.title));
                } else {
                    o.push_str(&format!("  [{}] {}\n", l.status, l.title));
                }
            }
            o.push('\n');
        }
        if let Some(a) = &self.audit {
            o.push_str(if md { &a.markdown } else { &a.text });
            o.push('\n');
        }
        o
    }

    /// Hides the personal details in a rendered report: the user name, e-mail addresses and
    /// paths in `home`, and the tenant audit's tenant ids, user names and guest addresses.
    pub fn redact(&self, text: &str, home: Option<&str>) -> String {
        let text = crate::report::redact::redact(text, home, self.machine.user.as_deref());
        match &self.audit {
            Some(a) => crate::report::redact::hide_values(&text, a.personal_values(), "<hidden>"),
            None => text,
        }
    }
}

/// The clients part of a report: one block per data root (also the CLI's `status` output).
pub fn clients_section(clients: &[ClientEntry], lang: Lang, md: bool) -> String {
    let mut o = String::new();
    if clients.is_empty() {
        o.push_str(&tr(lang, "report.no_clients"));
        o.push_str("\n\n");
    }
    for c in clients {
        let title = format!("{} ({}, {})", c.name, c.id, c.variant);
        o.push_str(&if md {
            format!("### {title}\n\n")
        } else {
            format!("* {title}\n")
        });
        item(
            &mut o,
            md,
            &tr(lang, "report.data_root"),
            &c.data_root.display().to_string(),
        );
        if let Some(r) = &c.refused {
            item(&mut o, md, &tr(lang, "report.refused"), r);
        }
        let version = c
            .version
            .clone()
            .unwrap_or_else(|| tr(lang, "report.unknown"));
        item(&mut o, md, &tr(lang, "report.version"), &version);
        let verdict = format!("{}: {}", verdict_name(c.verdict, lang), c.verdict_reason);
        item(&mut o, md, &tr(lang, "report.verdict"), &verdict);
        let running = if c.running.is_empty() {
            tr(lang, "report.not_running")
        } else {
            c.running
                .iter()
                .map(|p| format!("{} (pid {})", p.name, p.pid))
                .collect::<Vec<_>>()
                .join(", ")
        };
        item(&mut o, md, &tr(lang, "report.running"), &running);
        if let Some(classes) = &c.classes {
            for class in CacheClass::ALL {
                item(
                    &mut o,
                    md,
                    &class_name(class, lang),
                    &files_and_size(classes.get(class), lang),
                );
            }
        }
        o.push('\n');
    }
    o
}

fn heading(o: &mut String, md: bool, level: usize, text: &str) {
    if md {
        o.push_str(&format!("{} {text}\n\n", "#".repeat(level)));
    } else {
        let rule = if level == 1 { "=" } else { "-" }.repeat(text.chars().count());
        o.push_str(&format!("{text}\n{rule}\n"));
    }
}

fn item(o: &mut String, md: bool, key: &str, value: &str) {
    if md {
        o.push_str(&format!("- **{key}:** {value}\n"));
    } else {
        o.push_str(&format!("  {key}: {value}\n"));
    }
}
