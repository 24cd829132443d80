//! Report tab: the helpdesk report (machine, clients, what teamsfix did, checklist progress)
//! previewed as text, Markdown or JSON, with Copy, Save as and hiding of personal details.

use super::app::{App, Level, Notice};
use super::report_save::{self, Answer, OpenDialog};
use super::{style, widgets};
use crate::common::i18n::{tr, tr_args};
use crate::common::timestamps::now_rfc3339;
use crate::guide::checklist::CHECKLIST;
use crate::report::helpdesk::{
    AuditSection, ChecklistLine, ClientEntry, Machine, Report, SCHEMA_VERSION,
};
use eframe::egui::{self, RichText};
use std::path::{Path, PathBuf};

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
    /// "Save as..." was pressed: the window opens the dialog after this frame (it needs the
    /// window's handle to make the dialog modal).
    dialog_requested: bool,
    dialog: Option<OpenDialog>,
    /// Where the last save went, or why it failed: shown under the buttons.
    saved: Option<SavedNote>,
}

/// The outcome of the last save, shown next to the buttons.
pub struct SavedNote {
    ok: bool,
    text: String,
    /// The folder to open with "Open the folder".
    folder: Option<PathBuf>,
}

impl Default for ReportUi {
    fn default() -> ReportUi {
        ReportUi {
            format: Format::Text,
            redact: true,
            text: String::new(),
            dirty: true,
            machine: None,
            dialog_requested: false,
            dialog: None,
            saved: None,
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
            let button = super::widgets::choice(ui, tr(lang, f.key()), app.report.format == f);
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
            app.notice = Some(Notice::localized(Level::Ok, |lang| {
                tr(lang, "gui.report.copied")
            }));
        }
        let dialog_open = app.report.dialog.is_some() || app.report.dialog_requested;
        let save = ui.add_enabled(!dialog_open, egui::Button::new(tr(lang, "gui.report.save")));
        if save.clicked() {
            app.report.saved = None;
            if app.env.file_dialog {
                app.report.dialog_requested = true;
            } else {
                save_in_reports_folder(app, "gui.report.no_dialog");
            }
        }
        if ui.button(tr(lang, "gui.report.refresh")).clicked() {
            app.report.dirty = true;
        }
    });
    if app.report.dialog.is_some() {
        let r = ui.label(RichText::new(tr(lang, "gui.report.dialog_open")).weak());
        widgets::announce(ui, &r);
    }
    if let Some(note) = &app.report.saved {
        let mut open = None;
        widgets::card(
            ui,
            Some(if note.ok {
                style::good(ui)
            } else {
                style::bad(ui)
            }),
            |ui| {
                let color = if note.ok {
                    style::good(ui)
                } else {
                    style::bad(ui)
                };
                let r = ui.label(RichText::new(&note.text).color(color));
                widgets::announce(ui, &r);
                if let Some(folder) = &note.folder
                    && ui.button(tr(lang, "gui.report.open_folder")).clicked()
                {
                    open = Some(folder.clone());
                }
            },
        );
        if let Some(folder) = open {
            widgets::open_folder_or_say(ui, &folder);
        }
    }
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

/// Opens the Save dialog asked for this frame (called by the window with its handle).
pub fn open_requested_dialog(app: &mut App, frame: Option<&eframe::Frame>, ctx: &egui::Context) {
    if !std::mem::take(&mut app.report.dialog_requested) {
        return;
    }
    let lang = app.lang;
    let format = app.report.format;
    let name = format!(
        "teamsfix-report-{}.{}",
        crate::common::timestamps::timestamp_for_file_names(),
        format.extension()
    );
    // The chosen format first, so the dialog suggests it.
    let filters: Vec<(String, &str)> = std::iter::once(format)
        .chain(Format::ALL.into_iter().filter(|f| *f != format))
        .map(|f| (tr(lang, f.key()), f.extension()))
        .collect();
    let request = report_save::DialogRequest {
        save: true,
        title: tr(lang, "gui.report.save"),
        file_name: Some(name),
        filters: filters
            .into_iter()
            .map(|(n, ext)| (n, vec![ext.to_string()]))
            .collect(),
    };
    app.report.dialog = Some(report_save::show(
        frame,
        request,
        app.env.dialog.as_ref(),
        ctx,
    ));
}

/// Takes the Save dialog's answer when it came (called every frame from `logic`).
pub fn poll_dialog(app: &mut App) {
    let Some(dialog) = &app.report.dialog else {
        return;
    };
    match dialog.poll() {
        Answer::Waiting => return,
        Answer::Chosen(path) => save_to(app, &path),
        Answer::Cancelled => {
            app.report.saved = Some(SavedNote {
                ok: false,
                text: tr(app.lang, "gui.report.not_saved"),
                folder: None,
            });
        }
        Answer::NoDialog => save_in_reports_folder(app, "gui.report.no_dialog"),
    }
    app.report.dialog = None;
}

/// The format a file name asks for by its extension, else `fallback`.
fn format_of(path: &Path, fallback: Format) -> Format {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("md") => Format::Markdown,
        Some("json") => Format::Json,
        Some("txt") => Format::Text,
        _ => fallback,
    }
}

/// Writes the report where the user chose, in the format its extension asks for.
fn save_to(app: &mut App, path: &Path) {
    let lang = app.lang;
    let chosen = format_of(path, app.report.format);
    if chosen != app.report.format {
        app.report.format = chosen;
    }
    let text = render(app);
    app.report.text = text.clone();
    let result = std::fs::write(path, text);
    let folder = path.parent().map(Path::to_path_buf);
    record_save(
        app,
        path,
        result.map(|()| path.to_path_buf()),
        folder,
        tr_args(
            lang,
            "cli.report.saved",
            &[("path", &path.display().to_string())],
        ),
    );
}

/// Saves in teamsfix's reports folder and says so (`why_key` says why not where the user chose).
pub fn save_in_reports_folder(app: &mut App, why_key: &str) {
    let lang = app.lang;
    let dir = app.env.app_folders.reports();
    let text = render(app);
    app.report.text = text.clone();
    let result = report_save::save_in(&dir, app.report.format.extension(), &text);
    let shown = match &result {
        Ok(p) => p.display().to_string(),
        Err(_) => dir.display().to_string(),
    };
    let ok_text = tr_args(lang, why_key, &[("path", &shown)]);
    record_save(app, &dir, result, Some(dir.clone()), ok_text);
}

/// Shows how a save went, next to the buttons and in the status bar.
fn record_save(
    app: &mut App,
    target: &Path,
    result: std::io::Result<PathBuf>,
    folder: Option<PathBuf>,
    ok_text: String,
) {
    let lang = app.lang;
    let note = match result {
        Ok(_) => SavedNote {
            ok: true,
            text: ok_text,
            folder,
        },
        Err(e) => SavedNote {
            ok: false,
            text: tr_args(
                lang,
                "cli.report.write_failed",
                &[
                    ("path", &target.display().to_string()),
                    ("reason", &e.to_string()),
                ],
            ),
            folder: None,
        },
    };
    app.notice = Some(Notice::new(Level::from_ok(note.ok), note.text.clone()));
    app.report.saved = Some(note);
}
