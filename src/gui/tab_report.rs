//! Report tab: the helpdesk report (machine, clients, what teamsfix did, checklist progress)
//! previewed as text, Markdown or JSON, with Copy, Save as and hiding of personal details.

use super::app::{App, Notice};
use super::widgets;
use crate::common::i18n::{Lang, tr, tr_args};
use crate::common::timestamps::now_rfc3339;
use crate::guide::checklist::CHECKLIST;
use crate::report::helpdesk::{
    AuditSection, ChecklistLine, ClientEntry, Machine, Report, SCHEMA_VERSION,
};
use eframe::egui::{self, RichText};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Text,
    Markdown,
    Json,
}

impl Format {
    const ALL: [Format; 3] = [Format::Text, Format::Markdown, Format::Json];

    fn key(self) -> &'static str {
        match self {
            Format::Text => "gui.report.text",
            Format::Markdown => "gui.report.markdown",
            Format::Json => "gui.report.json",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Markdown => "md",
            Format::Json => "json",
        }
    }
}

pub struct ReportUi {
    pub format: Format,
    pub redact: bool,
    pub text: String,
    /// Something the report shows changed: build it again when the tab is shown.
    pub dirty: bool,
    machine: Option<Machine>,
}

impl Default for ReportUi {
    fn default() -> ReportUi {
        ReportUi {
            format: Format::Text,
            redact: true,
            text: String::new(),
            dirty: true,
            machine: None,
        }
    }
}

/// The report as the core builds it, with the checklist progress of this app.
pub fn build(app: &mut App) -> Report {
    let lang = app.lang;
    let portable = app.env.app_folders.portable;
    let machine = app
        .report
        .machine
        .get_or_insert_with(|| Machine::detect(portable))
        .clone();
    let checklist = CHECKLIST
        .iter()
        .map(|s| ChecklistLine {
            id: s.id.to_string(),
            title: tr(lang, &s.title_key()),
            status: tr(lang, app.saved.status(s.id).key()),
        })
        .collect();
    Report {
        schema_version: SCHEMA_VERSION,
        generated_at: now_rfc3339(),
        machine,
        clients: app
            .clients
            .iter()
            .flatten()
            .map(|s| ClientEntry::from_state(s, lang))
            .collect(),
        actions: crate::report::journal::recent(&app.env.app_folders.data, 50),
        checklist,
        audit: app.audit.audit().map(|a| AuditSection::new(a, lang)),
    }
}

fn render(app: &mut App) -> String {
    let lang = app.lang;
    let report = build(app);
    let text = match app.report.format {
        Format::Text => report.to_text(lang),
        Format::Markdown => report.to_markdown(lang),
        Format::Json => report.to_json(),
    };
    if app.report.redact {
        let home = app
            .env
            .folders
            .as_ref()
            .ok()
            .map(|f| f.home.to_string_lossy().into_owned());
        report.redact(&text, home.as_deref())
    } else {
        text
    }
}

pub fn show(app: &mut App, ui: &mut egui::Ui) {
    let lang = app.lang;
    if app.report.dirty {
        app.report.text = render(app);
        app.report.dirty = false;
    }
    widgets::heading(ui, tr(lang, "gui.report.heading"));
    ui.label(tr(lang, "gui.report.intro"));
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("{}:", tr(lang, "gui.report.format"))).strong());
        for f in Format::ALL {
            let button = egui::Button::new(tr(lang, f.key())).selected(app.report.format == f);
            if ui.add(button).clicked() && app.report.format != f {
                app.report.format = f;
                app.report.dirty = true;
            }
        }
        ui.separator();
        if ui
            .checkbox(&mut app.report.redact, tr(lang, "gui.report.redact"))
            .changed()
        {
            app.report.dirty = true;
        }
    });
    ui.horizontal_wrapped(|ui| {
        if ui.button(tr(lang, "gui.report.copy")).clicked() {
            ui.ctx().copy_text(app.report.text.clone());
            app.notice = Some(Notice {
                ok: true,
                text: tr(lang, "gui.report.copied"),
            });
        }
        if ui.button(tr(lang, "gui.report.save")).clicked() {
            save_as(app, lang);
        }
        if ui.button(tr(lang, "gui.report.refresh")).clicked() {
            app.report.dirty = true;
        }
    });
    super::helpdesk_panel::bundle_section(app, ui);
    ui.add_space(6.0);
    widgets::card(ui, None, |ui| {
        let label = ui.label(RichText::new(tr(lang, "gui.report.preview")).strong());
        let mut shown = app.report.text.as_str();
        let edit = ui.add(
            egui::TextEdit::multiline(&mut shown)
                .font(egui::TextStyle::Monospace)
                .desired_width(f32::INFINITY)
                .desired_rows(24),
        );
        let _ = edit.labelled_by(label.id);
    });
}

fn save_as(app: &mut App, lang: Lang) {
    let format = app.report.format;
    let name = format!(
        "teamsfix-report-{}.{}",
        crate::common::timestamps::timestamp_for_file_names(),
        format.extension()
    );
    let mut dialog = rfd::FileDialog::new()
        .set_title(tr(lang, "gui.report.save"))
        .set_file_name(name);
    // The chosen format first, so the dialog suggests it.
    for f in std::iter::once(format).chain(Format::ALL.into_iter().filter(|f| *f != format)) {
        dialog = dialog.add_filter(tr(lang, f.key()), &[f.extension()]);
    }
    let Some(path) = dialog.save_file() else {
        return;
    };
    // The extension the user typed picks the format.
    let chosen = match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("md") => Format::Markdown,
        Some("json") => Format::Json,
        Some("txt") => Format::Text,
        _ => format,
    };
    if chosen != format {
        app.report.format = chosen;
    }
    let text = render(app);
    app.report.text = text.clone();
    app.notice = Some(match std::fs::write(&path, text) {
        Ok(()) => Notice {
            ok: true,
            text: tr_args(
                lang,
                "cli.report.saved",
                &[("path", &path.display().to_string())],
            ),
        },
        Err(e) => Notice {
            ok: false,
            text: tr_args(
                lang,
                "cli.report.write_failed",
                &[
                    ("path", &path.display().to_string()),
                    ("reason", &e.to_string()),
                ],
            ),
        },
    });
}
