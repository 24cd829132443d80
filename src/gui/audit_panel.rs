//! The Audit section of the Admin tab: make the read-only audit script (for one guest and one
//! team if given), copy or save it; open its result (or a ScubaGear export) with a file dialog
//! or by dropping it on the window, read on a thread; then the first blocking layer in one
//! sentence and every layer's verdict with its deciding value, why, fix, role and delay. The
//! checklist marks the steps of blocking layers (`checklist_mark`), and the report includes the
//! verdicts (`tab_report`).

use super::app::{App, Level, Notice, Tab};
use super::report_save::{Answer, DialogRequest, OpenDialog};
use super::{style, widgets};
use crate::common::i18n::{Lang, tr, tr_args};
use crate::guide::audit::script::{self, ScriptOptions};
use crate::guide::audit::{self, Audit, LoadError, Verdict};
use eframe::egui::{self, Color32, RichText};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::Duration;

/// Set to an audit result to open it at start (used for screenshots).
pub const PRELOAD_ENV: &str = "TEAMSFIX_AUDIT_RESULT";

pub struct Loaded {
    pub audit: Audit,
    /// The file's name, as shown.
    pub file: String,
}

struct Reading {
    file: String,
    rx: Receiver<Result<Audit, LoadError>>,
}

#[derive(Default)]
pub struct AuditUi {
    pub guest: String,
    pub team: String,
    pub show_script: bool,
    pub loaded: Option<Loaded>,
    /// The last file that could not be used (its name) and why: shown in the current language.
    pub error: Option<(String, LoadError)>,
    reading: Option<Reading>,
    script_cache: Option<(ScriptOptions, String)>,
    /// A path typed in (for a system without an Open dialog, and for the keyboard).
    pub path: String,
    /// "Open audit result..." was pressed: the window opens the dialog after this frame.
    open_requested: bool,
    /// The Open dialog, while it is open (the window keeps drawing).
    open_dialog: Option<OpenDialog>,
    /// "Save script as..." was pressed for these inputs.
    save_requested: Option<ScriptOptions>,
    /// The Save dialog for the script, while it is open.
    save_dialog: Option<(OpenDialog, ScriptOptions)>,
    /// No Open dialog could be shown: say so, and where to type the path instead.
    pub no_open_dialog: bool,
    /// Move the keyboard focus to the path field (after no dialog could be shown).
    focus_path: bool,
}

impl AuditUi {
    /// A fresh section; with `TEAMSFIX_AUDIT_RESULT` set, that result is opened at once.
    pub fn from_env() -> AuditUi {
        let mut ui = AuditUi::default();
        if let Some(path) = std::env::var_os(PRELOAD_ENV).filter(|p| !p.is_empty()) {
            let path = PathBuf::from(path);
            let file = file_name(&path);
            match audit::open(&path) {
                Ok(audit) => ui.loaded = Some(Loaded { audit, file }),
                Err(e) => ui.error = Some((file, e)),
            }
        }
        ui
    }

    pub fn audit(&self) -> Option<&Audit> {
        self.loaded.as_ref().map(|l| &l.audit)
    }

    pub fn is_reading(&self) -> bool {
        self.reading.is_some()
    }

    /// Reads `path` on a thread; the window keeps drawing.
    pub fn start_read(&mut self, path: PathBuf, ctx: &egui::Context) {
        let (tx, rx) = std::sync::mpsc::channel();
        let file = file_name(&path);
        let repaint = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("audit-read".into())
            .spawn({
                let path = path.clone();
                move || {
                    let _ = tx.send(audit::open(&path));
                    repaint.request_repaint();
                }
            });
        match spawned {
            Ok(_) => self.reading = Some(Reading { file, rx }),
            // No thread: read here (at most 10 MB, a fraction of a second).
            Err(_) => {
                let (tx, rx) = std::sync::mpsc::channel();
                let _ = tx.send(audit::open(&path));
                self.reading = Some(Reading { file, rx });
            }
        }
        self.error = None;
    }

    /// The script's inputs, or why one is not usable.
    fn options(&self) -> Result<ScriptOptions, crate::common::i18n::Msg> {
        let mut opts = ScriptOptions::default();
        if !self.guest.trim().is_empty() {
            opts.guest = Some(script::check_guest(&self.guest)?);
        }
        if !self.team.trim().is_empty() {
            opts.team = Some(script::check_team(&self.team)?);
        }
        Ok(opts)
    }

    /// The script for the current inputs (made again only when they change).
    fn script(&mut self, opts: &ScriptOptions) -> &str {
        if self.script_cache.as_ref().is_none_or(|(o, _)| o != opts) {
            self.script_cache = Some((opts.clone(), audit::generate(opts)));
        }
        self.script_cache
            .as_ref()
            .map(|(_, s)| s.as_str())
            .unwrap_or("")
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Every frame: files dropped on the window are read (and the Admin tab shown), a read that
/// finished is taken in, and a hovering file gets a hint.
pub fn logic(app: &mut App, ctx: &egui::Context) {
    let dropped = ctx.input(|i| i.raw.dropped_files.clone());
    if let Some(path) = dropped
        .iter()
        .map(|f| f.path().to_path_buf())
        .find(|p| !p.as_os_str().is_empty())
    {
        app.audit.start_read(path, ctx);
        app.tab = Tab::Admin;
    }
    poll_dialogs(app, ctx);
    if let Some(reading) = &app.audit.reading {
        match reading.rx.try_recv() {
            Ok(result) => {
                let file = reading.file.clone();
                app.audit.reading = None;
                finished(app, file, result);
            }
            Err(TryRecvError::Empty) => ctx.request_repaint_after(Duration::from_millis(100)),
            Err(TryRecvError::Disconnected) => {
                let file = reading.file.clone();
                app.audit.reading = None;
                finished(app, file, Err(LoadError::Io("the reader stopped".into())));
            }
        }
    }
    if ctx.input(|i| !i.raw.hovered_files.is_empty()) {
        let text = tr(app.lang, "audit.panel.dropping");
        let screen = ctx.content_rect();
        let painter = ctx.layer_painter(egui::LayerId::new(
            egui::Order::Foreground,
            egui::Id::unique("audit_drop"),
        ));
        painter.rect_filled(screen, 0.0, Color32::from_black_alpha(160));
        painter.text(
            screen.center(),
            egui::Align2::CENTER_CENTER,
            text,
            egui::FontId::proportional(22.0),
            Color32::WHITE,
        );
    }
}

fn finished(app: &mut App, file: String, result: Result<Audit, LoadError>) {
    match result {
        Ok(audit) => {
            app.notice = Some(Notice::localized(Level::Ok, |lang| {
                tr_args(lang, "audit.panel.loaded", &[("file", &file)])
            }));
            app.audit.loaded = Some(Loaded { audit, file });
            app.audit.error = None;
        }
        Err(e) => {
            app.notice = Some(Notice::localized(Level::Error, |lang| {
                tr_args(
                    lang,
                    "audit.panel.cannot_read",
                    &[("file", &file), ("reason", &e.msg().text(lang))],
                )
            }));
            app.audit.error = Some((file, e));
        }
    }
    app.report.dirty = true;
}

pub fn verdict_color(ui: &egui::Ui, v: Verdict) -> Color32 {
    match v {
        Verdict::Blocks => style::bad(ui),
        Verdict::MayBlock => style::warn(ui),
        Verdict::Ok => style::good(ui),
        Verdict::NotRead => ui.visuals().weak_text_color(),
    }
}

/// The Audit section, drawn at the top of the Admin tab.
pub fn show(app: &mut App, ui: &mut egui::Ui) {
    let lang = app.lang;
    let loaded = app.audit.loaded.is_some();
    widgets::card(ui, Some(style::accent(ui)), |ui| {
        widgets::section(ui, tr(lang, "audit.panel.heading"));
        ui.label(tr(lang, "audit.panel.intro"));
        ui.add_space(2.0);
        // Step 1 folds away once a result is open, so the verdicts come into view.
        egui::CollapsingHeader::new(RichText::new(tr(lang, "audit.panel.step_script")).strong())
            .id_salt(("audit_step_script", loaded))
            .default_open(!loaded)
            .show(ui, |ui| {
                ui.label(tr(lang, "audit.panel.step_script_text"));
                inputs(app, ui, lang);
            });
        ui.label(RichText::new(tr(lang, "audit.panel.step_open")).strong());
        open_row(app, ui, lang);
    });
    if app.audit.loaded.is_some() {
        ui.add_space(6.0);
        result(app, ui, lang);
    }
}

fn inputs(app: &mut App, ui: &mut egui::Ui, lang: Lang) {
    egui::Grid::new("audit_inputs")
        .num_columns(2)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            let label = ui.label(tr(lang, "audit.panel.guest"));
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut app.audit.guest)
                        .hint_text(tr(lang, "audit.panel.guest_hint"))
                        .desired_width(320.0),
                )
                .labelled_by(label.id);
            widgets::enter_keeps_focus(ui, &field);
            ui.end_row();
            let label = ui.label(tr(lang, "audit.panel.team"));
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut app.audit.team)
                        .hint_text(tr(lang, "audit.panel.team_hint"))
                        .desired_width(320.0),
                )
                .labelled_by(label.id);
            widgets::enter_keeps_focus(ui, &field);
            ui.end_row();
        });
    let opts = app.audit.options();
    if let Err(m) = &opts {
        ui.label(RichText::new(m.text(lang)).color(style::bad(ui)));
    }
    ui.horizontal_wrapped(|ui| {
        let ok = opts.is_ok();
        if ui
            .add_enabled(ok, egui::Button::new(tr(lang, "audit.panel.copy_script")))
            .clicked()
            && let Ok(o) = &opts
        {
            let text = app.audit.script(o).to_string();
            ui.ctx().copy_text(text);
            app.notice = Some(Notice::localized(Level::Ok, |lang| {
                tr(lang, "audit.panel.script_copied")
            }));
        }
        if ui
            .add_enabled(ok, egui::Button::new(tr(lang, "audit.panel.save_script")))
            .clicked()
            && let Ok(o) = &opts
        {
            if app.env.file_dialog {
                app.audit.save_requested = Some(o.clone());
            } else {
                save_script_in_folder(app, o);
            }
        }
        ui.checkbox(
            &mut app.audit.show_script,
            tr(lang, "audit.panel.show_script"),
        );
    });
    if app.audit.show_script
        && let Ok(o) = &opts
    {
        let text = app.audit.script(o).to_string();
        egui::ScrollArea::vertical()
            .id_salt("audit_script")
            .max_height(260.0)
            .show(ui, |ui| {
                let mut shown = text.as_str();
                ui.add(
                    egui::TextEdit::multiline(&mut shown)
                        .font(egui::TextStyle::Monospace)
                        .desired_width(f32::INFINITY),
                );
            });
    }
}

/// The filters of the Open dialog: audit results first, and every file (a result renamed, a
/// ScubaGear export saved under another extension). macOS merges all filters into one list of
/// allowed types, in which "*" is no type: there, no filter at all.
pub fn open_filters(lang: Lang) -> Vec<(String, Vec<String>)> {
    if cfg!(target_os = "macos") {
        return Vec::new();
    }
    vec![
        (tr(lang, "audit.panel.filter_json"), vec!["json".into()]),
        (tr(lang, "audit.panel.filter_all"), vec!["*".into()]),
    ]
}

/// Opens the dialogs asked for this frame (called by the window with its handle, so they are
/// modal to it); neither blocks the window: each is waited for on a helper thread.
pub fn open_requested_dialogs(app: &mut App, frame: Option<&eframe::Frame>, ctx: &egui::Context) {
    let lang = app.lang;
    if std::mem::take(&mut app.audit.open_requested) {
        let request = DialogRequest {
            save: false,
            title: tr(lang, "audit.panel.open"),
            file_name: None,
            filters: open_filters(lang),
        };
        app.audit.open_dialog = Some(super::report_save::show(
            frame,
            request,
            app.env.dialog.as_ref(),
            ctx,
        ));
    }
    if let Some(opts) = app.audit.save_requested.take() {
        let request = DialogRequest {
            save: true,
            title: tr(lang, "audit.panel.save_script"),
            file_name: Some(script::FILE_NAME.to_string()),
            filters: vec![(tr(lang, "audit.panel.filter_ps1"), vec!["ps1".into()])],
        };
        let dialog = super::report_save::show(frame, request, app.env.dialog.as_ref(), ctx);
        app.audit.save_dialog = Some((dialog, opts));
    }
}

/// Takes in the answers of the dialogs when they come.
fn poll_dialogs(app: &mut App, ctx: &egui::Context) {
    if let Some(dialog) = &app.audit.open_dialog {
        match dialog.poll() {
            Answer::Waiting => {}
            Answer::Chosen(path) => {
                app.audit.open_dialog = None;
                app.audit.start_read(path, ctx);
            }
            Answer::Cancelled => app.audit.open_dialog = None,
            Answer::NoDialog => {
                app.audit.open_dialog = None;
                no_open_dialog(app);
            }
        }
    }
    if let Some((dialog, opts)) = &app.audit.save_dialog {
        let opts = opts.clone();
        match dialog.poll() {
            Answer::Waiting => {}
            Answer::Chosen(path) => {
                app.audit.save_dialog = None;
                save_script_to(app, &opts, &path);
            }
            Answer::Cancelled => {
                app.audit.save_dialog = None;
                app.notice = Some(Notice::localized(Level::Warning, |lang| {
                    tr(lang, "audit.panel.script_not_saved")
                }));
            }
            Answer::NoDialog => {
                app.audit.save_dialog = None;
                save_script_in_folder(app, &opts);
            }
        }
    }
}

/// No Open dialog can be shown (a Linux desktop without an xdg desktop portal or zenity):
/// say so, and take the keyboard to the path field.
fn no_open_dialog(app: &mut App) {
    app.audit.no_open_dialog = true;
    app.audit.focus_path = true;
    app.notice = Some(Notice::localized(Level::Warning, |lang| {
        tr(lang, "audit.panel.no_open_dialog")
    }));
}

fn save_script_to(app: &mut App, opts: &ScriptOptions, path: &Path) {
    let text = app.audit.script(opts).to_string();
    let shown = path.display().to_string();
    app.notice = Some(match std::fs::write(path, script::file_bytes(&text)) {
        Ok(()) => Notice::localized(Level::Ok, |lang| {
            tr_args(lang, "audit.panel.script_saved", &[("path", &shown)])
        }),
        Err(e) => Notice::localized(Level::Error, |lang| {
            tr_args(
                lang,
                "audit.panel.save_failed",
                &[("path", &shown), ("reason", &e.to_string())],
            )
        }),
    });
}

/// Without a Save dialog: the script goes into teamsfix's reports folder, and the status bar
/// says where.
fn save_script_in_folder(app: &mut App, opts: &ScriptOptions) {
    let dir = app.env.app_folders.reports();
    let path = dir.join(script::FILE_NAME);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        app.notice = Some(Notice::localized(Level::Error, |lang| {
            tr_args(
                lang,
                "audit.panel.save_failed",
                &[
                    ("path", &path.display().to_string()),
                    ("reason", &e.to_string()),
                ],
            )
        }));
        return;
    }
    save_script_to(app, opts, &path);
}

fn open_row(app: &mut App, ui: &mut egui::Ui, lang: Lang) {
    ui.horizontal_wrapped(|ui| {
        let busy =
            app.audit.is_reading() || app.audit.open_dialog.is_some() || app.audit.open_requested;
        if ui
            .add_enabled(!busy, egui::Button::new(tr(lang, "audit.panel.open")))
            .clicked()
        {
            if app.env.file_dialog {
                app.audit.open_requested = true;
                app.audit.no_open_dialog = false;
            } else {
                no_open_dialog(app);
            }
        }
        ui.label(RichText::new(tr(lang, "audit.panel.drop_hint")).weak());
        if let Some(r) = &app.audit.reading {
            ui.spinner();
            ui.label(tr_args(lang, "audit.panel.reading", &[("file", &r.file)]));
        }
    });
    if app.audit.open_dialog.is_some() {
        let r = ui.label(RichText::new(tr(lang, "audit.panel.dialog_open")).weak());
        widgets::announce(ui, &r);
    }
    if app.audit.no_open_dialog {
        ui.label(RichText::new(tr(lang, "audit.panel.no_open_dialog")).color(style::warn(ui)));
    }
    // The path typed in (or pasted): Enter or the button opens it. Once a result is open it
    // gives way to the result (the Open button and dropping stay), unless no dialog can be
    // shown: then it is the keyboard's only way to another file.
    if app.audit.loaded.is_some() && !app.audit.no_open_dialog && app.env.file_dialog {
        return error_line(app, ui, lang);
    }
    let mut open_typed = false;
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(tr(lang, "audit.panel.path"));
        let edit = ui
            .add(
                egui::TextEdit::singleline(&mut app.audit.path)
                    .hint_text(tr(lang, "audit.panel.path_hint"))
                    .desired_width(ui.available_width().clamp(160.0, 560.0)),
            )
            .labelled_by(label.id);
        if std::mem::take(&mut app.audit.focus_path) {
            edit.request_focus();
            edit.scroll_to_me(None);
        }
        let entered = widgets::enter_keeps_focus(ui, &edit);
        let typed = !app.audit.path.trim().is_empty();
        let button = ui.add_enabled(
            typed && !app.audit.is_reading(),
            egui::Button::new(tr(lang, "audit.panel.open_path")),
        );
        open_typed = typed && (entered || button.clicked());
    });
    if open_typed {
        let path = PathBuf::from(app.audit.path.trim());
        app.audit.start_read(path, ui.ctx());
    }
    error_line(app, ui, lang);
}

/// Why the last file could not be used, in the window's language.
fn error_line(app: &App, ui: &mut egui::Ui, lang: Lang) {
    if let Some((file, e)) = &app.audit.error {
        let text = tr_args(
            lang,
            "audit.panel.cannot_read",
            &[("file", file), ("reason", &e.msg().text(lang))],
        );
        ui.label(RichText::new(text).color(style::bad(ui)));
    }
}

fn result(app: &mut App, ui: &mut egui::Ui, lang: Lang) {
    let mut close = false;
    let Some(loaded) = &app.audit.loaded else {
        return;
    };
    let a = &loaded.audit;
    let border = if a.first_blocker().is_some() {
        style::bad(ui)
    } else if a.count(Verdict::MayBlock) > 0 {
        style::warn(ui)
    } else {
        style::good(ui)
    };
    widgets::card(ui, Some(border), |ui| {
        ui.horizontal_wrapped(|ui| {
            widgets::section(ui, tr(lang, "audit.panel.result_heading"));
            ui.label(RichText::new(&loaded.file).weak());
            if ui.button(tr(lang, "audit.panel.close")).clicked() {
                close = true;
            }
        });
        ui.label(
            RichText::new(a.headline(lang))
                .size(style::SECTION_SIZE)
                .strong()
                .color(border),
        );
        ui.label(tr_args(
            lang,
            "audit.panel.counts",
            &[
                ("blocks", &a.count(Verdict::Blocks).to_string()),
                ("may", &a.count(Verdict::MayBlock).to_string()),
                ("ok", &a.count(Verdict::Ok).to_string()),
                ("not_read", &a.count(Verdict::NotRead).to_string()),
            ],
        ));
        if let Some(note) = a.coverage_note(lang) {
            ui.label(RichText::new(note).weak());
        }
        widgets::field(
            ui,
            &tr(lang, "audit.source.label"),
            audit::render::source_line(a, lang),
        );
        ui.separator();
        for (n, l) in a.layers.iter().enumerate() {
            ui.push_id(l.layer, |ui| layer_row(ui, lang, n, l));
        }
    });
    if close {
        app.audit.loaded = None;
        app.report.dirty = true;
    }
}

/// One layer: a single line when it is OK (why on hover), with why, fix, role and delay when
/// it blocks or may block, with the reason when it was not read.
fn layer_row(ui: &mut egui::Ui, lang: Lang, n: usize, l: &audit::LayerVerdict) {
    ui.add_space(2.0);
    let row = ui.horizontal_wrapped(|ui| {
        ui.label(format!("{}.", n + 1));
        ui.label(
            RichText::new(audit::render::verdict_name(l.verdict, lang))
                .strong()
                .color(verdict_color(ui, l.verdict)),
        );
        ui.label(RichText::new(l.title(lang)).strong());
        if !l.decided_by.is_empty() {
            ui.label(RichText::new(l.decided_text()).monospace());
        }
    });
    if l.verdict == Verdict::Ok {
        row.response.on_hover_text(l.why.text(lang));
        return;
    }
    ui.indent(l.layer, |ui| {
        ui.label(l.why.text(lang));
        if matches!(l.verdict, Verdict::Blocks | Verdict::MayBlock)
            && let Some(layer) = l.layer()
        {
            widgets::command(ui, lang, &tr(lang, "audit.fix"), &l.fix);
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(format!("{}:", tr(lang, "admin.role"))).strong());
                ui.label(layer.role(lang));
                ui.label(RichText::new(format!("{}:", tr(lang, "admin.delay"))).strong());
                ui.label(layer.delay(lang));
                ui.hyperlink_to(tr(lang, "admin.sources"), layer.docs());
            });
        }
    });
    ui.add_space(4.0);
}

/// For a checklist step: the colour to outline it in when the loaded audit marks it.
pub fn mark_color(app: &App, ui: &egui::Ui, step: &str) -> Option<Color32> {
    let l = app.audit.audit()?.mark_for_step(step)?;
    Some(verdict_color(ui, l.verdict))
}

/// For a checklist step the loaded audit marks: a line saying so, with the deciding value.
pub fn checklist_mark(app: &App, ui: &mut egui::Ui, step: &str) {
    let lang = app.lang;
    let Some(l) = app.audit.audit().and_then(|a| a.mark_for_step(step)) else {
        return;
    };
    let verdict = audit::render::verdict_name(l.verdict, lang);
    let text = if l.decided_by.is_empty() {
        tr_args(
            lang,
            "audit.panel.checklist_mark_plain",
            &[("verdict", &verdict)],
        )
    } else {
        tr_args(
            lang,
            "audit.panel.checklist_mark",
            &[("verdict", &verdict), ("value", &l.decided_text())],
        )
    };
    ui.label(
        RichText::new(text)
            .strong()
            .color(verdict_color(ui, l.verdict)),
    );
}
