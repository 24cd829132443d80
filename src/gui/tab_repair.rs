//! Repair tab: a card per Teams installation (version and verdict, running or not, cache size
//! per class) with Quit, Restart and Clear cache (safe or full, previewed before it runs).

use super::app::{App, Level, Notice};
use super::worker::{ClearResult, Job};
use super::{style, widgets};
use crate::cache::classes::CacheClass;
use crate::cache::clear::{ClearOutcome, Mode};
use crate::cache::scan::{ClassTallies, Tally};
use crate::clients::processes::QuitOutcome;
use crate::clients::status::ClientState;
use crate::common::i18n::{Lang, tr, tr_args};
use crate::common::sizes::human_bytes;
use crate::report::helpdesk::{class_name, verdict_name, verdict_reason_text};
use eframe::egui::{self, RichText};
use std::collections::HashMap;

#[derive(Default)]
pub struct CardUi {
    pub mode: Mode,
    /// The preview for `mode`, shown before the user confirms.
    pub preview: Option<ClearOutcome>,
    pub result: Option<ClearResult>,
    /// The preview just arrived: bring its buttons into view and focus "Not now" once.
    pub preview_arrived: bool,
    /// The preview was closed: give the focus back to the button that opened it.
    refocus_preview_button: bool,
}

#[derive(Default)]
pub struct RepairUi {
    cards: HashMap<String, CardUi>,
    default_mode: Mode,
}

impl RepairUi {
    pub fn card(&mut self, label: &str) -> &mut CardUi {
        let mode = self.default_mode;
        self.cards
            .entry(label.to_string())
            .or_insert_with(|| CardUi {
                mode,
                ..Default::default()
            })
    }

    /// Escape: closes every open preview. True when one was open.
    pub fn close_previews(&mut self) -> bool {
        let mut closed = false;
        for card in self.cards.values_mut() {
            if card.preview.take().is_some() {
                card.refocus_preview_button = true;
                closed = true;
            }
        }
        closed
    }

    /// Pre-selects `mode` on every card (from a checklist step).
    pub fn set_mode_everywhere(&mut self, mode: Mode) {
        self.default_mode = mode;
        for card in self.cards.values_mut() {
            if card.mode != mode {
                card.mode = mode;
                card.preview = None;
            }
        }
    }
}

fn files_size(lang: Lang, t: Tally) -> String {
    crate::report::helpdesk::files_and_size(t, lang)
}

pub fn show(app: &mut App, ui: &mut egui::Ui) {
    let lang = app.lang;
    widgets::heading(ui, tr(lang, "gui.repair.heading"));
    ui.label(tr(lang, "gui.repair.intro"));
    ui.add_space(6.0);
    if let Err(m) = &app.env.folders {
        ui.label(RichText::new(m.text(lang)).color(style::bad(ui)));
        return;
    }
    let Some(clients) = app.clients.clone() else {
        ui.horizontal(|ui| {
            let spinner = ui.spinner();
            widgets::name(ui, &spinner, &tr(lang, "gui.repair.looking"));
            ui.label(tr(lang, "gui.repair.looking"));
        });
        return;
    };
    ui.horizontal(|ui| {
        if ui
            .add_enabled(
                !app.is_busy(),
                egui::Button::new(tr(lang, "gui.repair.rescan")),
            )
            .clicked()
        {
            app.submit(Job::Scan);
        }
        ui.label(
            RichText::new(tr_args(
                lang,
                "gui.repair.found",
                &[("count", &clients.len().to_string())],
            ))
            .weak(),
        );
    });
    if clients.is_empty() {
        widgets::card(ui, None, |ui| {
            ui.label(RichText::new(tr(lang, "report.no_clients")).strong());
            ui.label(tr(lang, "gui.repair.none_what"));
        });
        return;
    }
    for state in &clients {
        ui.add_space(6.0);
        ui.push_id(state.inst.label(), |ui| client_card(app, ui, state));
    }
}

fn client_card(app: &mut App, ui: &mut egui::Ui, state: &ClientState) {
    let lang = app.lang;
    let label = state.inst.label();
    let busy = app.is_busy();
    widgets::card(ui, None, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(state.inst.client.name).heading().strong());
            ui.label(RichText::new(format!("({})", state.inst.variant())).weak());
        });
        widgets::field(
            ui,
            &tr(lang, "report.data_root"),
            RichText::new(state.inst.shown_root.display().to_string()).monospace(),
        );
        if let Err(m) = &state.inst.root {
            widgets::field(
                ui,
                &tr(lang, "report.refused"),
                RichText::new(m.text(lang)).color(style::warn(ui)),
            );
        }
        // Wide windows: facts on the left, actions on the right, so Clear is in view.
        if ui.available_width() > 760.0 {
            ui.columns(2, |cols| {
                let (left, right) = cols.split_at_mut(1);
                let top_down = egui::Layout::top_down(egui::Align::Min);
                left[0].with_layout(top_down, |ui| facts(ui, lang, state, &label));
                right[0].with_layout(top_down, |ui| actions(app, ui, state, busy));
            });
        } else {
            facts(ui, lang, state, &label);
            actions(app, ui, state, busy);
        }
    });
}

/// Version and verdict (in words and in colour), running or not, sizes per class.
fn facts(ui: &mut egui::Ui, lang: Lang, state: &ClientState, label: &str) {
    let verdict = state.version.verdict.id();
    let version = state
        .version
        .version
        .clone()
        .unwrap_or_else(|| tr(lang, "report.unknown"));
    widgets::field(ui, &tr(lang, "report.version"), version);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("{}:", tr(lang, "report.verdict"))).strong());
        ui.label(
            RichText::new(verdict_name(verdict, lang))
                .strong()
                .color(style::verdict(ui, verdict)),
        );
    });
    ui.label(verdict_reason_text(&state.version.reason, lang));
    let running = if state.running.is_empty() {
        RichText::new(tr(lang, "gui.repair.not_running"))
    } else {
        RichText::new(tr_args(
            lang,
            "gui.repair.running",
            &[("count", &state.running.len().to_string())],
        ))
        .color(style::warn(ui))
    };
    widgets::field(ui, &tr(lang, "report.running"), running);
    if let Some(scan) = &state.scan {
        sizes(ui, lang, &scan.tallies, &format!("sizes-{label}"));
    }
}

/// Quit, Start, and the clear with its preview and result.
fn actions(app: &mut App, ui: &mut egui::Ui, state: &ClientState, busy: bool) {
    let lang = app.lang;
    ui.horizontal_wrapped(|ui| {
        let quit = ui.add_enabled(
            !busy && !state.running.is_empty(),
            egui::Button::new(tr(lang, "gui.repair.quit")),
        );
        if quit.clicked() {
            app.submit(Job::Quit {
                client: Some(state.inst.id()),
            });
        }
        let restart = ui.add_enabled(
            !busy && state.running.is_empty(),
            egui::Button::new(tr(lang, "gui.repair.restart")),
        );
        if restart.clicked() {
            let last_exe = app.last_exes.get(state.inst.id()).cloned();
            app.submit(Job::Restart {
                inst: state.inst.clone(),
                last_exe,
            });
        }
    });
    if state.inst.root.is_ok() {
        ui.separator();
        clear_section(app, ui, state);
        super::helpdesk_panel::undo_section(app, ui, &state.inst);
    }
}

/// Files and size per class, in a grid.
fn sizes(ui: &mut egui::Ui, lang: Lang, tallies: &ClassTallies, id: &str) {
    ui.label(RichText::new(format!("{}:", tr(lang, "gui.repair.sizes"))).strong());
    egui::Grid::new(id)
        .num_columns(2)
        .spacing([24.0, 4.0])
        .show(ui, |ui| {
            for class in CacheClass::ALL {
                ui.label(class_name(class, lang))
                    .on_hover_text(tr(lang, &format!("class.{}.what", class.id())));
                ui.label(files_size(lang, tallies.get(class)));
                ui.end_row();
            }
        });
}

fn clear_section(app: &mut App, ui: &mut egui::Ui, state: &ClientState) {
    let lang = app.lang;
    let label = state.inst.label();
    let busy = app.is_busy();
    ui.label(
        RichText::new(tr(lang, "gui.repair.clear_heading"))
            .size(style::SECTION_SIZE)
            .strong(),
    );
    let card = app.repair.card(&label);
    for mode in Mode::ALL {
        let name = tr(lang, &format!("mode.{}.name", mode.id()));
        if ui.radio_value(&mut card.mode, mode, name).changed() {
            card.preview = None;
        }
        ui.indent(mode.id(), |ui| {
            ui.label(RichText::new(tr(lang, &format!("mode.{}.what", mode.id()))).weak());
        });
    }
    let mode = card.mode;
    let mut start_preview = false;
    let mut start_clear = false;
    match &card.preview {
        None => {
            ui.add_space(4.0);
            let button = ui.add_enabled(!busy, egui::Button::new(tr(lang, "gui.repair.preview")));
            if std::mem::take(&mut card.refocus_preview_button) {
                button.request_focus();
            }
            start_preview = button.clicked();
        }
        Some(p) => {
            let mut cancel_preview = false;
            let arrived = std::mem::take(&mut card.preview_arrived);
            widgets::card(ui, Some(style::warn(ui)), |ui| {
                ui.label(RichText::new(tr(lang, "gui.repair.preview_heading")).strong());
                preview(ui, lang, p);
                if !state.running.is_empty() {
                    ui.label(
                        RichText::new(tr(lang, "gui.repair.will_quit")).color(style::warn(ui)),
                    );
                }
                if mode == Mode::Full {
                    ui.label(
                        RichText::new(tr(lang, "gui.repair.full_signs_out")).color(style::warn(ui)),
                    );
                    super::helpdesk_panel::backup_choice(&mut app.helpdesk, ui, lang);
                }
                let row = ui.horizontal_wrapped(|ui| {
                    let text = tr_args(
                        lang,
                        "gui.repair.confirm",
                        &[("mode", &tr(lang, &format!("mode.{}.name", mode.id())))],
                    );
                    start_clear = ui
                        .add_enabled(!busy, egui::Button::new(RichText::new(text).strong()))
                        .clicked();
                    let not_now = ui.button(tr(lang, "gui.repair.not_now"));
                    // The safe choice takes the focus: a second Enter must not clear.
                    if arrived {
                        not_now.request_focus();
                    }
                    cancel_preview = not_now.clicked();
                });
                if arrived {
                    // At the default window size the preview ends below the window's edge:
                    // bring its buttons into view.
                    ui.scroll_to_rect(row.response.rect.expand2(egui::vec2(0.0, 16.0)), None);
                }
            });
            if cancel_preview {
                card.preview = None;
                card.refocus_preview_button = true;
            }
        }
    }
    let mut start_teams = false;
    if let Some(result) = &card.result {
        ui.add_space(4.0);
        let can_start = !busy && state.running.is_empty();
        start_teams = result_view(ui, lang, result, can_start);
    }
    if start_preview {
        card.result = None;
        app.submit(Job::Preview {
            inst: state.inst.clone(),
            mode,
        });
    }
    if start_clear {
        app.submit(Job::Clear {
            inst: state.inst.clone(),
            mode,
        });
    }
    if start_teams {
        let last_exe = app.last_exes.get(state.inst.id()).cloned();
        app.submit(Job::Restart {
            inst: state.inst.clone(),
            last_exe,
        });
    }
}

/// What a clear would remove, keep and archive.
pub(crate) fn preview(ui: &mut egui::Ui, lang: Lang, p: &ClearOutcome) {
    let removed = p.removed.total();
    if removed.files == 0 {
        ui.label(tr(lang, "gui.repair.preview_nothing"));
    }
    for (key, tallies) in [
        ("clear.would_remove", &p.removed),
        ("clear.would_keep", &p.kept),
    ] {
        let t = tallies.total();
        if t.is_empty() {
            continue;
        }
        widgets::field(ui, &tr(lang, key), files_size(lang, t));
        ui.indent(key, |ui| {
            for class in CacheClass::ALL {
                let t = tallies.get(class);
                if !t.is_empty() {
                    ui.label(format!(
                        "{}: {}",
                        class_name(class, lang),
                        files_size(lang, t)
                    ));
                }
            }
        });
    }
    if !p.archived.is_empty() {
        ui.label(tr_args(
            lang,
            "clear.would_archive",
            &[
                ("files", &p.archived.files.to_string()),
                ("size", &human_bytes(p.archived.bytes)),
            ],
        ));
    }
}

/// The result of a clear, announced to screen readers; after a clear, "Start Teams" right there
/// (enabled when `can_start`). True when that was pressed.
fn result_view(ui: &mut egui::Ui, lang: Lang, result: &ClearResult, can_start: bool) -> bool {
    let mut start = false;
    match result {
        ClearResult::StillRunning(procs) => {
            widgets::card(ui, Some(style::bad(ui)), |ui| {
                let head =
                    ui.label(RichText::new(tr(lang, "clear.still_running")).color(style::bad(ui)));
                widgets::announce(ui, &head);
                for p in procs {
                    ui.label(format!("{} (pid {})", p.name, p.pid));
                }
            });
        }
        ClearResult::Refused(m) => {
            widgets::card(ui, Some(style::bad(ui)), |ui| {
                let head = ui.label(RichText::new(m.text(lang)).color(style::bad(ui)));
                widgets::announce(ui, &head);
            });
        }
        ClearResult::Done(o) => {
            let ok = o.failures.is_empty() && !o.cancelled;
            let color = if ok { style::good(ui) } else { style::warn(ui) };
            widgets::card(ui, Some(color), |ui| {
                let head = if ok {
                    "gui.repair.done"
                } else {
                    "gui.repair.done_partly"
                };
                let head = ui.label(RichText::new(tr(lang, head)).strong().color(color));
                widgets::announce(ui, &head);
                widgets::field(
                    ui,
                    &tr(lang, "clear.removed"),
                    files_size(lang, o.removed.total()),
                );
                widgets::field(
                    ui,
                    &tr(lang, "clear.kept"),
                    files_size(lang, o.kept.total()),
                );
                if let Some(folder) = &o.archive {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(tr_args(
                            lang,
                            "clear.archived",
                            &[
                                ("files", &o.archived.files.to_string()),
                                ("path", &folder.display().to_string()),
                            ],
                        ));
                    });
                    if ui.button(tr(lang, "gui.repair.open_archive")).clicked() {
                        widgets::open_folder_or_say(ui, folder);
                    }
                }
                if o.cancelled {
                    ui.label(tr(lang, "clear.was_cancelled"));
                }
                if !o.failures.is_empty() {
                    ui.label(
                        RichText::new(tr_args(
                            lang,
                            "clear.failures",
                            &[("count", &o.failures.len().to_string())],
                        ))
                        .color(style::warn(ui)),
                    );
                    for f in o.failures.iter().take(20) {
                        ui.label(
                            RichText::new(format!("{}: {}", f.path.display(), f.reason))
                                .monospace(),
                        );
                    }
                    if o.failures.len() > 20 {
                        ui.label("...");
                    }
                }
                ui.add_space(4.0);
                ui.horizontal_wrapped(|ui| {
                    ui.label(tr(lang, "gui.repair.closed_now"));
                    start = ui
                        .add_enabled(can_start, egui::Button::new(tr(lang, "gui.repair.restart")))
                        .clicked();
                });
            });
        }
    }
    start
}

/// The status-bar line after a clear.
pub fn clear_notice(lang: Lang, mode: Mode, result: &ClearResult) -> Notice {
    match result {
        ClearResult::Done(o) => {
            let t = o.removed_total();
            let text = tr_args(
                lang,
                "clear.summary",
                &[
                    ("mode", &tr(lang, &format!("mode.{}.name", mode.id()))),
                    ("files", &t.files.to_string()),
                    ("size", &human_bytes(t.bytes)),
                    ("failures", &o.failures.len().to_string()),
                ],
            );
            // Cancelled by the user is no failure: what was removed stays removed.
            let level = if !o.failures.is_empty() {
                Level::Error
            } else if o.cancelled {
                Level::Warning
            } else {
                Level::Ok
            };
            Notice::new(level, text)
        }
        ClearResult::StillRunning(_) => {
            Notice::localized(Level::Error, |lang| tr(lang, "clear.still_running"))
        }
        ClearResult::Refused(m) => Notice::localized(Level::Error, |lang| m.text(lang)),
    }
}

/// The status-bar line after a quit.
pub fn quit_notice(lang: Lang, _client: Option<&'static str>, o: &QuitOutcome) -> Notice {
    if let Some(e) = o.refused {
        return Notice::localized(Level::Error, |lang| e.msg().text(lang));
    }
    if o.closed.is_empty() && o.forced.is_empty() && o.survivors.is_empty() {
        return Notice::localized(Level::Ok, |lang| tr(lang, "quit.none_running"));
    }
    let count = |l: &[crate::clients::processes::RunningProcess]| l.len().to_string();
    let text = tr_args(
        lang,
        "quit.summary",
        &[
            ("closed", &count(&o.closed)),
            ("forced", &count(&o.forced)),
            ("survived", &count(&o.survivors)),
        ],
    );
    Notice::new(Level::from_ok(o.survivors.is_empty()), text)
}
