//! The helpdesk parts of the app: "Save support bundle" on the Report tab, and on the Repair tab
//! the choice to keep a backup before a full reset and "Undo the last reset". The work runs on
//! the worker thread like every other job (`Job::Helpdesk`).

use super::app::{App, Level, Notice};
use super::worker::{Job, WorkerEnv};
use super::{style, widgets};
use crate::cache::backup;
use crate::clients::discover::{self, Installation};
use crate::clients::processes::QuitOutcome;
use crate::common::i18n::{Lang, Msg, tr, tr_args};
use crate::common::progress::{CancelToken, Phase, Progress, ProgressSink};
use crate::common::sizes::human_bytes;
use crate::repair::restore::{self, Found, RestoreResult};
use crate::report::bundle::{self, Bundle, BundleRequest, Destination, LeftOutReason};
use crate::report::helpdesk::{Report, files_and_size};
use eframe::egui::{self, RichText};
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::SystemTime;

/// What the helpdesk parts remember between frames.
pub struct HelpdeskUi {
    /// Keep a backup before a full reset (on by default).
    pub backup_before_reset: bool,
    /// The last bundle, or why it failed (shown in the language of the window, also after a
    /// switch).
    pub bundle: Option<Result<Bundle, crate::common::i18n::Msg>>,
    /// The data root (`client-variant`) whose undo waits for the user's confirmation.
    pub confirm_undo: Option<String>,
    /// The undo's confirmation opened or closed: the keyboard focus goes to its safe choice
    /// ("Not now") or back to "Undo the last reset" in the next frame (the button that had it
    /// is gone).
    undo_focus: Option<String>,
    /// The last restore per data root.
    pub restored: HashMap<String, RestoreResult>,
    /// The newest backup per data root, and what it was read for (see `refresh_backups`).
    backups: HashMap<String, Found>,
    backups_read_for: Option<(Option<SystemTime>, bool)>,
}

impl Default for HelpdeskUi {
    fn default() -> HelpdeskUi {
        HelpdeskUi {
            backup_before_reset: true,
            bundle: None,
            confirm_undo: None,
            undo_focus: None,
            restored: HashMap::new(),
            backups: HashMap::new(),
            backups_read_for: None,
        }
    }
}

impl HelpdeskUi {
    /// Escape: closes the undo's confirmation. True when it was open.
    pub fn close_undo_confirm(&mut self) -> bool {
        let open = self.confirm_undo.take();
        let was_open = open.is_some();
        if was_open {
            self.undo_focus = open;
        }
        was_open
    }
}

/// The helpdesk jobs for the worker.
#[derive(Clone, Debug)]
pub enum HelpdeskJob {
    /// Save a support bundle with this report in teamsfix's bundles folder.
    Bundle { report: Box<Report>, redact: bool },
    /// Quit the client, then put this backup back into its data root.
    Restore { label: String, backup: Box<Found> },
}

impl HelpdeskJob {
    /// Catalogue key naming the job in the progress bar.
    pub fn key(&self) -> &'static str {
        match self {
            HelpdeskJob::Bundle { .. } => "helpdesk.gui.job.bundle",
            HelpdeskJob::Restore { .. } => "helpdesk.gui.job.restore",
        }
    }
}

#[derive(Clone, Debug)]
pub enum HelpdeskOutcome {
    Bundled(Result<Bundle, Msg>),
    Restored {
        label: String,
        quit: QuitOutcome,
        result: RestoreResult,
    },
}

/// Closing the window now would leave a restore half done: the app asks to wait.
pub fn must_finish(job: &Job) -> bool {
    matches!(job, Job::Helpdesk(HelpdeskJob::Restore { .. }))
}

/// Runs a helpdesk job on the worker thread.
pub fn run(
    job: HelpdeskJob,
    env: &WorkerEnv,
    cancel: &CancelToken,
    progress: &dyn ProgressSink,
) -> HelpdeskOutcome {
    match job {
        HelpdeskJob::Bundle { report, redact } => {
            progress.report(Progress::Phase {
                phase: Phase::Scanning,
                total: None,
            });
            let installs = discover::discover(&env.folders, env.os);
            let req = BundleRequest {
                report: &report,
                lang: env.lang,
                redact,
                app_data: &env.app_folders.data,
                folders: &env.folders,
                installs: &installs,
                max_bytes: bundle::DEFAULT_MAX_BYTES,
                cancel,
            };
            let dest = Destination::Folder(bundle::bundles_folder(&env.app_folders.data));
            HelpdeskOutcome::Bundled(bundle::write(&req, &dest).map_err(|e| e.message()))
        }
        HelpdeskJob::Restore { label, backup } => {
            progress.report(Progress::Phase {
                phase: Phase::Quitting,
                total: None,
            });
            // The data root is found and checked again now: it may have changed since the scan.
            let inst = discover::discover(&env.folders, env.os)
                .into_iter()
                .find(|i| i.label() == label);
            let Some(inst) = inst else {
                return HelpdeskOutcome::Restored {
                    label,
                    quit: QuitOutcome::default(),
                    result: RestoreResult::Refused(Msg::new("helpdesk.restore.no_root")),
                };
            };
            // Only the processes of this data root; none and a refusal when they cannot be known.
            let quit = crate::repair::sequence::quit_for_clear(
                &[&inst],
                &env.folders,
                crate::repair::sequence::DEFAULT_QUIT_TIMEOUT,
                &env.journal(),
            );
            let result = restore::restore(&inst, &backup, &quit, &env.journal());
            HelpdeskOutcome::Restored {
                label,
                quit,
                result,
            }
        }
    }
}

/// Takes a finished helpdesk job into the app.
pub fn finished(app: &mut App, outcome: HelpdeskOutcome) {
    match outcome {
        HelpdeskOutcome::Bundled(result) => {
            app.notice = Some(match &result {
                Ok(b) => Notice::localized(Level::Ok, |lang| {
                    tr_args(
                        lang,
                        "helpdesk.gui.bundle.saved",
                        &[("path", &b.path.display().to_string())],
                    )
                }),
                Err(m) => Notice::localized(Level::Error, |lang| m.text(lang)),
            });
            app.helpdesk.bundle = Some(result);
        }
        HelpdeskOutcome::Restored {
            label,
            quit,
            result,
        } => {
            // "Start Teams" starts the same program that was quit for the undo.
            for p in quit.closed.iter().chain(&quit.forced) {
                if let Some(exe) = &p.exe {
                    app.last_exes.insert(p.client, exe.clone());
                }
            }
            app.notice = Some(Notice::localized(
                Level::from_ok(matches!(result.word(), "ok")),
                |lang| restore_line(lang, &result),
            ));
            app.helpdesk.restored.insert(label, result);
            app.helpdesk.backups_read_for = None;
            app.submit(Job::Scan);
        }
    }
}

fn restore_line(lang: Lang, result: &RestoreResult) -> String {
    match result {
        RestoreResult::Done(o) => tr_args(
            lang,
            "helpdesk.restore.summary",
            &[
                ("files", &o.restored.files.to_string()),
                ("kept", &o.kept.files.to_string()),
                ("failures", &o.failures.len().to_string()),
            ],
        ),
        RestoreResult::StillRunning(_) => tr(lang, "clear.still_running"),
        RestoreResult::Refused(m) => m.text(lang),
    }
}

/// The Report tab's "Save support bundle" and where the last one went.
pub fn bundle_section(app: &mut App, ui: &mut egui::Ui) {
    let lang = app.lang;
    let mut copied = false;
    ui.add_space(6.0);
    widgets::card(ui, None, |ui| {
        ui.label(
            RichText::new(tr(lang, "helpdesk.gui.bundle.heading"))
                .size(style::SECTION_SIZE)
                .strong(),
        );
        ui.label(tr(lang, "helpdesk.gui.bundle.intro"));
        let save = ui.add_enabled(
            !app.is_busy(),
            egui::Button::new(RichText::new(tr(lang, "helpdesk.gui.bundle.save")).strong()),
        );
        if save.clicked() {
            let report = Box::new(super::tab_report::build(app));
            app.submit(Job::Helpdesk(HelpdeskJob::Bundle {
                report,
                redact: app.report.redact,
            }));
        }
        match &app.helpdesk.bundle {
            None => {}
            Some(Ok(b)) => copied = bundle_result(ui, lang, b),
            Some(Err(m)) => {
                ui.label(RichText::new(m.text(lang)).color(style::bad(ui)));
            }
        }
    });
    if copied {
        app.notice = Some(Notice::localized(Level::Ok, |lang| {
            tr(lang, "helpdesk.gui.bundle.path_copied")
        }));
    }
}

/// What the bundle holds and where it is, with Open folder and Copy the path; true when the
/// path was copied.
fn bundle_result(ui: &mut egui::Ui, lang: Lang, b: &Bundle) -> bool {
    let mut copied = false;
    ui.add_space(4.0);
    let name = b
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let folder = b.path.parent().map(PathBuf::from).unwrap_or_default();
    ui.label(
        RichText::new(tr(lang, "helpdesk.gui.bundle.done"))
            .strong()
            .color(style::good(ui)),
    );
    widgets::field(
        ui,
        &tr(lang, "helpdesk.gui.bundle.file"),
        RichText::new(&name).monospace(),
    );
    widgets::field(
        ui,
        &tr(lang, "helpdesk.gui.bundle.folder"),
        RichText::new(folder.display().to_string()).monospace(),
    );
    widgets::field(
        ui,
        &tr(lang, "helpdesk.gui.bundle.size"),
        tr_args(
            lang,
            "helpdesk.gui.bundle.size_value",
            &[
                ("size", &human_bytes(b.bytes)),
                ("files", &(b.files.len() + 2).to_string()),
            ],
        ),
    );
    if b.redacted {
        ui.label(tr(lang, "helpdesk.bundle.redacted"));
    }
    // What is not in it, by reason, with what the user can do about it.
    for reason in [
        LeftOutReason::TooBig,
        LeftOutReason::NotText,
        LeftOutReason::Unreadable,
    ] {
        let count = b.left_out.iter().filter(|l| l.reason == reason).count();
        if count > 0 {
            let key = format!("helpdesk.gui.bundle.left_out.{}", reason.id());
            let text = tr_args(
                lang,
                &key,
                &[
                    ("count", &count.to_string()),
                    ("max", &human_bytes(b.max_bytes)),
                ],
            );
            ui.label(RichText::new(text).color(style::warn(ui)));
        }
    }
    if !b.left_out.is_empty() {
        ui.label(RichText::new(tr(lang, "helpdesk.gui.bundle.left_out_list")).weak());
    }
    ui.horizontal_wrapped(|ui| {
        if ui
            .button(tr(lang, "helpdesk.gui.bundle.open_folder"))
            .clicked()
        {
            widgets::open_folder_or_say(ui, &folder);
        }
        if ui
            .button(tr(lang, "helpdesk.gui.bundle.copy_path"))
            .clicked()
        {
            ui.ctx().copy_text(b.path.display().to_string());
            copied = true;
        }
    });
    ui.label(RichText::new(tr(lang, "helpdesk.gui.bundle.attach")).weak());
    copied
}

/// In the preview of a full reset: keep a backup first (ticked by default).
pub fn backup_choice(helpdesk: &mut HelpdeskUi, ui: &mut egui::Ui, lang: Lang) {
    ui.checkbox(
        &mut helpdesk.backup_before_reset,
        tr(lang, "helpdesk.gui.undo.keep_backup"),
    );
}

/// Reads the newest backup of every data root again when the backups folder changed, or when a
/// job started or ended (a backup's manifest is written last, inside its own folder).
fn refresh_backups(app: &mut App) {
    let dir = backup::backups_folder(&app.env.app_folders.data);
    let key = (
        std::fs::metadata(&dir).and_then(|m| m.modified()).ok(),
        app.is_busy(),
    );
    if app.helpdesk.backups_read_for == Some(key) {
        return;
    }
    app.helpdesk.backups_read_for = Some(key);
    app.helpdesk.backups.clear();
    for found in restore::undoable_per_root(&dir) {
        app.helpdesk
            .backups
            .insert(found.manifest.label.clone(), found);
    }
}

/// On a Repair tab card: "Undo the last reset" when a backup of this data root exists, with a
/// confirmation first, and what the last undo did.
pub fn undo_section(app: &mut App, ui: &mut egui::Ui, inst: &Installation) {
    refresh_backups(app);
    let lang = app.lang;
    let label = inst.label();
    let found = app.helpdesk.backups.get(&label).cloned();
    let result = app.helpdesk.restored.get(&label).cloned();
    if found.is_none() && result.is_none() {
        return;
    }
    ui.separator();
    ui.label(
        RichText::new(tr(lang, "helpdesk.gui.undo.heading"))
            .size(style::SECTION_SIZE)
            .strong(),
    );
    if let Some(found) = found {
        let m = &found.manifest;
        let t = m.total();
        ui.label(tr_args(
            lang,
            "helpdesk.gui.undo.what",
            &[
                ("time", &found.taken_at()),
                ("amount", &files_and_size(t, lang)),
            ],
        ));
        if !m.complete() {
            ui.label(
                RichText::new(tr_args(
                    lang,
                    "helpdesk.gui.undo.incomplete",
                    &[("count", &m.left_out.len().to_string())],
                ))
                .color(style::warn(ui)),
            );
        }
        let busy = app.is_busy();
        let focus = app.helpdesk.undo_focus.as_deref() == Some(label.as_str());
        if focus {
            app.helpdesk.undo_focus = None;
        }
        if app.helpdesk.confirm_undo.as_deref() == Some(label.as_str()) {
            let mut go = false;
            let mut not_now = false;
            widgets::card(ui, Some(style::warn(ui)), |ui| {
                let text = ui.label(tr(lang, "helpdesk.gui.undo.confirm_text"));
                widgets::announce(ui, &text);
                let row = ui.horizontal_wrapped(|ui| {
                    go = ui
                        .add_enabled(
                            !busy,
                            egui::Button::new(
                                RichText::new(tr(lang, "helpdesk.gui.undo.confirm")).strong(),
                            ),
                        )
                        .clicked();
                    let no = ui.button(tr(lang, "gui.repair.not_now"));
                    // The safe choice takes the focus: a second Enter must not undo.
                    if focus {
                        no.request_focus();
                    }
                    not_now = no.clicked();
                });
                if focus {
                    row.response.scroll_to_me(None);
                }
            });
            if go {
                app.helpdesk.confirm_undo = None;
                // The focus goes back to "Undo the last reset" (once the undo is done).
                app.helpdesk.undo_focus = Some(label.clone());
                app.helpdesk.restored.remove(&label);
                app.submit(Job::Helpdesk(HelpdeskJob::Restore {
                    label: label.clone(),
                    backup: Box::new(found.clone()),
                }));
            }
            if not_now {
                app.helpdesk.close_undo_confirm();
            }
        } else {
            let undo = ui.add_enabled(
                !busy,
                egui::Button::new(tr(lang, "helpdesk.gui.undo.button")),
            );
            if focus {
                undo.request_focus();
            }
            if undo.clicked() {
                app.helpdesk.confirm_undo = Some(label.clone());
                app.helpdesk.undo_focus = Some(label.clone());
            }
        }
    }
    if let Some(result) = result {
        restore_result(ui, lang, &result);
    }
}

fn restore_result(ui: &mut egui::Ui, lang: Lang, result: &RestoreResult) {
    let ok = result.word() == "ok";
    let color = if ok { style::good(ui) } else { style::bad(ui) };
    widgets::card(ui, Some(color), |ui| match result {
        RestoreResult::Done(o) => {
            let head = if ok {
                "helpdesk.gui.undo.done"
            } else {
                "helpdesk.gui.undo.done_partly"
            };
            ui.label(RichText::new(tr(lang, head)).strong().color(color));
            widgets::field(
                ui,
                &tr(lang, "helpdesk.gui.undo.restored"),
                crate::report::helpdesk::files_and_size(o.restored, lang),
            );
            if o.kept.files > 0 {
                widgets::field(
                    ui,
                    &tr(lang, "helpdesk.gui.undo.kept"),
                    crate::report::helpdesk::files_and_size(o.kept, lang),
                );
                ui.label(RichText::new(tr(lang, "helpdesk.gui.undo.kept_why")).weak());
            }
            for f in o.failures.iter().take(20) {
                ui.label(RichText::new(format!("{}: {}", f.path.display(), f.reason)).monospace());
            }
            ui.label(RichText::new(tr(lang, "gui.repair.restart_hint")).weak());
        }
        _ => {
            ui.label(RichText::new(restore_line(lang, result)).color(color));
        }
    });
}
