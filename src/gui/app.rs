//! The window: a top bar (tabs, language, theme, text size), the current tab, and a status bar
//! with the progress of the job under way and its Cancel button.

use super::env::Environment;
use super::keyboard::{self, KeyboardUi};
use super::one_click::{self, OneClickUi};
use super::state::{SavedState, ThemeChoice};
use super::tab_checklist::ChecklistUi;
use super::tab_repair::RepairUi;
use super::tab_report::ReportUi;
use super::worker::{ClearResult, Job, Outcome, Poll, Running, WorkerEnv};
use super::{
    screenshot::Screenshot, style, tab_admin, tab_checklist, tab_repair, tab_report, widgets,
};
use crate::cache::clear::Mode;
use crate::clients::processes::QuitOutcome;
use crate::clients::status::ClientState;
use crate::common::i18n::{Lang, tr, tr_args};
use crate::guide::checklist::StepStatus;
use eframe::egui::{self, RichText};
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    #[default]
    Checklist,
    Repair,
    Admin,
    Report,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Checklist, Tab::Repair, Tab::Admin, Tab::Report];

    pub fn id(self) -> &'static str {
        match self {
            Tab::Checklist => "checklist",
            Tab::Repair => "repair",
            Tab::Admin => "admin",
            Tab::Report => "report",
        }
    }

    pub fn from_id(id: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|t| t.id() == id)
    }

    pub fn key(self) -> String {
        format!("gui.tab.{}", self.id())
    }

    fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    /// The tab to the right (Ctrl+Tab), the first after the last.
    pub fn next(self) -> Tab {
        Tab::ALL[(self.index() + 1) % Tab::ALL.len()]
    }

    /// The tab to the left (Ctrl+Shift+Tab), the last before the first.
    pub fn previous(self) -> Tab {
        Tab::ALL[(self.index() + Tab::ALL.len() - 1) % Tab::ALL.len()]
    }
}

/// How a message in the status bar reads: done, done with something left to do, failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Ok,
    /// It went through, but not all of it (a clean that worked after which Teams could not be
    /// started, a cancelled clear): said in the warning colour with a word in front, never as a
    /// failure.
    Warning,
    Error,
}

impl Level {
    pub fn from_ok(ok: bool) -> Level {
        if ok { Level::Ok } else { Level::Error }
    }

    /// The word in front of the message (the colour is not the only sign: WCAG 1.4.1).
    pub fn prefix_key(self) -> Option<&'static str> {
        match self {
            Level::Ok => None,
            Level::Warning => Some("gui.notice.warning"),
            Level::Error => Some("gui.notice.error"),
        }
    }
}

/// A message in the status bar, written in every language of the app, so that switching the
/// language switches it too.
#[derive(Clone, Debug)]
pub struct Notice {
    pub level: Level,
    texts: [String; Lang::ALL.len()],
}

impl Notice {
    /// A message whose text does not depend on the language (or was written in one already).
    pub fn new(level: Level, text: String) -> Notice {
        Notice {
            level,
            texts: Lang::ALL.map(|_| text.clone()),
        }
    }

    pub fn error(text: String) -> Notice {
        Notice::new(Level::Error, text)
    }

    /// A message written by `text` in each language.
    pub fn localized(level: Level, text: impl Fn(Lang) -> String) -> Notice {
        Notice {
            level,
            texts: Lang::ALL.map(text),
        }
    }

    /// A message made by `make` in each language (its level is the same in all of them).
    pub fn each(make: impl Fn(Lang) -> Notice) -> Notice {
        let made = Lang::ALL.map(&make);
        Notice {
            level: made[0].level,
            texts: std::array::from_fn(|i| made[i].text(Lang::ALL[i]).to_string()),
        }
    }

    /// The message in `lang`, without its level's word.
    pub fn text(&self, lang: Lang) -> &str {
        let i = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
        &self.texts[i]
    }

    /// The message as shown and announced, with its level's word in front.
    pub fn shown(&self, lang: Lang) -> String {
        match self.level.prefix_key() {
            Some(key) => format!("{} {}", tr(lang, key), self.text(lang)),
            None => self.text(lang).to_string(),
        }
    }
}

pub struct App {
    pub(crate) env: Environment,
    pub(crate) lang: Lang,
    pub(crate) saved: SavedState,
    pub(crate) tab: Tab,
    /// The clients found by the last scan; `None` until the first scan finished.
    pub(crate) clients: Option<Vec<ClientState>>,
    pub(crate) running: Option<Running>,
    queue: VecDeque<Job>,
    pub(crate) notice: Option<Notice>,
    pub(crate) checklist: ChecklistUi,
    pub(crate) repair: RepairUi,
    pub(crate) report: ReportUi,
    pub(crate) one_click: OneClickUi,
    pub(crate) keyboard: KeyboardUi,
    pub(crate) helpdesk: super::helpdesk_panel::HelpdeskUi,
    /// The tenant audit section of the Admin tab and the result loaded there.
    pub(crate) audit: super::audit_panel::AuditUi,
    /// The executables that ran before teamsfix quit them, per client (to restart the same one).
    pub(crate) last_exes: HashMap<&'static str, PathBuf>,
    screenshot: Option<Screenshot>,
    applied_theme: Option<ThemeChoice>,
    /// The saved zoom was handed to egui (it takes effect in the next frame).
    zoom_applied: bool,
    styled: bool,
    first_frame_reported: bool,
    /// The widths of the top bar's title and settings in the last frame (to lay them out side
    /// by side only when they fit).
    top_widths: (f32, f32),
    /// The widths of the three settings groups in the last frame (to wrap between them).
    settings_widths: [f32; 3],
}

impl App {
    pub fn new(env: Environment) -> App {
        let saved = SavedState::load(&env.app_folders.state_file());
        let lang = saved.lang.unwrap_or(env.lang);
        let checklist = ChecklistUi::from_saved(&saved);
        let mut queue = VecDeque::new();
        if env.folders.is_ok() {
            queue.push_back(Job::Scan);
        }
        App {
            env,
            lang,
            saved,
            tab: Tab::default(),
            clients: None,
            running: None,
            queue,
            notice: None,
            checklist,
            repair: RepairUi::default(),
            report: ReportUi::default(),
            one_click: OneClickUi::default(),
            keyboard: KeyboardUi::default(),
            helpdesk: Default::default(),
            audit: super::audit_panel::AuditUi::from_env(),
            last_exes: HashMap::new(),
            screenshot: None,
            applied_theme: None,
            zoom_applied: false,
            styled: false,
            first_frame_reported: false,
            top_widths: (0.0, 0.0),
            settings_widths: [0.0; 3],
        }
    }

    /// Opens on `tab` (the `--tab` option).
    pub fn with_tab(mut self, tab: Tab) -> App {
        self.tab = tab;
        self
    }

    /// Uses `lang` for this run without saving it (the `--lang` option).
    pub fn with_lang(mut self, lang: Lang) -> App {
        self.lang = lang;
        self
    }

    /// Takes a screenshot once the first scan is shown, saves it and closes the window.
    pub fn with_screenshot(mut self, shot: Screenshot) -> App {
        self.screenshot = Some(shot);
        self
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// True while a job runs or waits.
    pub fn is_busy(&self) -> bool {
        self.running.is_some() || !self.queue.is_empty()
    }

    pub fn clients(&self) -> Option<&[ClientState]> {
        self.clients.as_deref()
    }

    /// The message in the status bar, if any.
    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    pub(crate) fn tr(&self, key: &str) -> String {
        tr(self.lang, key)
    }

    pub(crate) fn set_lang(&mut self, lang: Lang) {
        self.lang = lang;
        self.saved.lang = Some(lang);
        self.save_state();
        self.report.dirty = true;
    }

    pub(crate) fn set_step(&mut self, step: &str, status: StepStatus) {
        self.saved.set_status(step, status);
        self.save_state();
        self.report.dirty = true;
    }

    pub(crate) fn save_state(&mut self) {
        let path = self.env.app_folders.state_file();
        if let Err(e) = self.saved.save(&path) {
            self.notice = Some(Notice::localized(Level::Error, |lang| {
                tr_args(
                    lang,
                    "gui.state_not_saved",
                    &[
                        ("path", &path.display().to_string()),
                        ("reason", &e.to_string()),
                    ],
                )
            }));
        }
    }

    /// Queues a job; it starts when the one under way is finished.
    pub(crate) fn submit(&mut self, job: Job) {
        if !matches!(job, Job::Scan) || !self.queue.iter().any(|j| matches!(j, Job::Scan)) {
            self.queue.push_back(job);
        }
    }

    fn worker_env(&self) -> Option<WorkerEnv> {
        let folders = self.env.folders.as_ref().ok()?.clone();
        Some(WorkerEnv {
            folders,
            app_folders: self.env.app_folders.clone(),
            os: self.env.os,
            lang: self.lang,
            backup_before_reset: self.helpdesk.backup_before_reset,
        })
    }

    fn pump(&mut self, ctx: &egui::Context) {
        if let Some(running) = &mut self.running {
            match running.poll() {
                Poll::Busy => {}
                Poll::Finished(outcome) => {
                    self.running = None;
                    self.finished(*outcome);
                }
                Poll::Lost => {
                    self.running = None;
                    self.notice = Some(Notice::localized(Level::Error, |lang| {
                        tr(lang, "gui.job_lost")
                    }));
                }
            }
        }
        if self.running.is_none()
            && let Some(job) = self.queue.pop_front()
            && let Some(env) = self.worker_env()
        {
            if !matches!(job, Job::Scan) {
                self.notice = None;
            }
            self.running = Some(Running::start(job, env, ctx.clone()));
        }
        if self.running.is_some() {
            // Only while work runs: an idle window uses no CPU.
            ctx.request_repaint_after(Duration::from_millis(100));
        }
    }

    fn finished(&mut self, outcome: Outcome) {
        self.report.dirty = true;
        match outcome {
            Outcome::Scanned(states) => self.clients = Some(states),
            Outcome::Previewed {
                label,
                mode,
                outcome,
            } => {
                let card = self.repair.card(&label);
                if card.mode == mode {
                    card.preview = Some(outcome);
                    card.preview_arrived = true;
                }
            }
            Outcome::Cleared {
                label,
                mode,
                quit,
                result,
            } => {
                self.remember_exes(&quit);
                if let ClearResult::Done(o) = &result
                    && !o.cancelled
                {
                    self.mark_cleared(mode);
                }
                self.notice = Some(Notice::each(|lang| {
                    tab_repair::clear_notice(lang, mode, &result)
                }));
                let card = self.repair.card(&label);
                card.preview = None;
                card.result = Some(result);
                self.submit(Job::Scan);
            }
            Outcome::Quit { client, outcome } => {
                self.remember_exes(&outcome);
                let ok = outcome.survivors.is_empty();
                if ok && self.saved.status("quit-teams") == StepStatus::Open {
                    self.saved.set_status("quit-teams", StepStatus::Done);
                    self.save_state();
                }
                self.notice = Some(Notice::each(|lang| {
                    tab_repair::quit_notice(lang, client, &outcome)
                }));
                self.submit(Job::Scan);
            }
            Outcome::Restarted { label, result } => {
                self.notice =
                    Some(Notice::localized(
                        Level::from_ok(result.is_ok()),
                        |lang| match &result {
                            Ok(cmd) => tr_args(lang, "gui.repair.restarted", &[("command", cmd)]),
                            Err(m) => m.text(lang),
                        },
                    ));
                self.repair.card(&label).result = None;
                self.submit(Job::Scan);
            }
            Outcome::Repaired(r) => {
                if !r.dry_run {
                    self.remember_exes(&r.quit);
                    self.submit(Job::Scan);
                }
                one_click::finished(self, r);
            }
            Outcome::Helpdesk(o) => super::helpdesk_panel::finished(self, o),
        }
    }

    /// A clear in `mode` went through: its checklist steps (and quitting Teams) are done.
    pub(crate) fn mark_cleared(&mut self, mode: Mode) {
        let step = match mode {
            Mode::Safe => "clear-cache-safe",
            Mode::Full => "clear-cache-full",
        };
        for s in ["quit-teams", step] {
            if self.saved.status(s) == StepStatus::Open {
                self.saved.set_status(s, StepStatus::Done);
            }
        }
        self.save_state();
    }

    fn remember_exes(&mut self, q: &QuitOutcome) {
        for p in q.closed.iter().chain(&q.forced) {
            if let Some(exe) = &p.exe {
                self.last_exes.insert(p.client, exe.clone());
            }
        }
    }

    /// The name, the settings and (when run elevated) the administrator notice: at the top of
    /// the window, or, in a short window (a large zoom or display scale on a small screen), at
    /// the top of the scrolling content, so that the fixed bars leave room for the tab itself.
    fn header(&mut self, ui: &mut egui::Ui) {
        // Row 1: the name on the left, the settings on the right, in reading order (so Tab
        // goes left to right too). When they do not fit side by side (a narrow window, a
        // large zoom) the settings go on a row of their own.
        let full = ui.available_width();
        let widths = self.top_widths;
        // The settings' width on one line (measured per group, so also when they wrapped).
        let separators = 2.0 * (2.0 * ui.spacing().item_spacing.x + 1.0);
        let natural = self.settings_widths.iter().sum::<f32>() + separators;
        let one_row =
            widths.0 > 0.0 && self.settings_widths[2] > 0.0 && widths.0 + natural + 24.0 <= full;
        let mut title_w = widths.0;
        let mut settings_w = widths.1;
        if one_row {
            ui.horizontal(|ui| {
                title_w = self.title(ui, false);
                ui.add_space((ui.available_width() - natural).max(0.0));
                settings_w = self.settings(ui, false);
            });
        } else {
            ui.horizontal_wrapped(|ui| {
                title_w = self.title(ui, true);
            });
            ui.horizontal_wrapped(|ui| {
                settings_w = self.settings(ui, true);
            });
        }
        if (title_w, settings_w) != self.top_widths {
            self.top_widths = (title_w, settings_w);
            ui.ctx().request_repaint();
        }
        // Run as root or elevated: whose Teams a repair works on (never silently).
        if let Some(m) = &self.env.elevated {
            ui.add_space(4.0);
            let bad = style::bad(ui);
            egui::Frame::group(ui.style())
                .stroke(egui::Stroke::new(1.5, bad))
                .inner_margin(egui::Margin::symmetric(10, 6))
                .show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.label(RichText::new(m.text(self.lang)).color(bad).strong());
                });
        }
    }

    fn top_bar(&mut self, ui: &mut egui::Ui, short: bool) {
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.add_space(6.0);
            if !short {
                self.header(ui);
            }
            let full = ui.available_width();
            ui.add_space(4.0);
            // Row 2: the tabs (Ctrl+Tab, Ctrl+1..4), a tab list to a screen reader.
            let tabs = egui::UiBuilder::new()
                .accessibility_role(egui::accesskit::Role::TabList)
                .accessibility_label(self.tr("gui.tabs"));
            // Equal tab widths where there is room; in a narrow window just their text.
            let tab_width = if full >= 700.0 { 110.0 } else { 0.0 };
            ui.scope_builder(tabs, |ui| {
                ui.horizontal_wrapped(|ui| {
                    for (n, tab) in Tab::ALL.into_iter().enumerate() {
                        let selected = self.tab == tab;
                        let text = RichText::new(self.tr(&tab.key())).size(style::SECTION_SIZE);
                        let button = widgets::choice(ui, text, selected)
                            .min_size(egui::vec2(tab_width, 32.0));
                        let response = ui.add(button).on_hover_text(format!("Ctrl+{}", n + 1));
                        if selected && std::mem::take(&mut self.keyboard.focus_tab) {
                            response.request_focus();
                        }
                        ui.ctx().accesskit_node_builder(response.id, |node| {
                            node.set_role(egui::accesskit::Role::Tab);
                            node.clear_toggled();
                            node.set_selected(selected);
                        });
                        if response.clicked() {
                            self.tab = tab;
                        }
                    }
                });
            });
            ui.add_space(6.0);
        });
    }

    /// The app's name and what it is for; returns the width used. With `wrap` it may take
    /// several lines (when it stands alone on its row).
    fn title(&self, ui: &mut egui::Ui, wrap: bool) -> f32 {
        // A narrow window (a large zoom) leaves the subtitle out: the window's title has it.
        let room = ui.available_width() >= 700.0;
        row(ui, wrap, |ui| {
            ui.label(RichText::new("teamsfix").heading().strong());
            if room {
                ui.label(RichText::new(self.tr("gui.subtitle")).weak());
            }
        })
    }

    /// Language, theme and text size; returns the width used.
    fn settings(&mut self, ui: &mut egui::Ui, wrap: bool) -> f32 {
        // Each label stays with its control; a narrow window wraps between the groups (egui
        // cannot wrap a group it has not measured: last frame's widths tell where).
        let last = self.settings_widths;
        let mut widths = last;
        let w = row(ui, wrap, |ui| {
            for (n, width) in widths.iter_mut().enumerate() {
                if n > 0 {
                    if !wrap {
                        ui.separator();
                    } else if ui.available_size_before_wrap().x < last[n] {
                        ui.end_row();
                    }
                }
                *width = ui
                    .horizontal(|ui| self.settings_group(ui, n))
                    .response
                    .rect
                    .width();
            }
        });
        if widths != last {
            self.settings_widths = widths;
            ui.ctx().request_repaint();
        }
        w
    }

    /// One group of the settings: 0 language, 1 theme, 2 text size.
    fn settings_group(&mut self, ui: &mut egui::Ui, n: usize) {
        match n {
            0 => {
                ui.label(format!("{}:", self.tr("gui.language")));
                for lang in Lang::ALL {
                    let button = widgets::choice(ui, lang.native_name(), self.lang == lang);
                    if ui.add(button).clicked() && self.lang != lang {
                        self.set_lang(lang);
                    }
                }
            }
            1 => {
                let theme_label = ui.label(format!("{}:", self.tr("gui.theme.label")));
                let theme = self.saved.theme;
                let mut chosen = false;
                let combo = egui::ComboBox::from_id_salt("theme")
                    .selected_text(self.tr(theme.key()))
                    .show_ui(ui, |ui| {
                        for t in ThemeChoice::ALL {
                            if ui.selectable_label(theme == t, self.tr(t.key())).clicked() {
                                self.saved.theme = t;
                                self.save_state();
                                chosen = true;
                            }
                        }
                        // Chosen by key (Space or Enter) as by mouse: the list closes.
                        if chosen {
                            ui.close();
                        }
                    });
                if chosen {
                    combo.response.request_focus();
                }
                let _ = combo.response.labelled_by(theme_label.id);
            }
            _ => {
                let zoom_label = ui.label(format!("{}:", self.tr("gui.zoom.label")));
                let zoom = ui.ctx().zoom_factor();
                let percent = |z: f32| format!("{} %", (z * 100.0).round());
                let mut chosen = false;
                let combo = egui::ComboBox::from_id_salt("zoom")
                    .selected_text(percent(zoom))
                    .width(80.0)
                    .show_ui(ui, |ui| {
                        for z in ZOOM_STEPS {
                            if ui
                                .selectable_label((zoom - z).abs() < 0.01, percent(z))
                                .clicked()
                            {
                                ui.ctx().set_zoom_factor(z);
                                chosen = true;
                            }
                        }
                        if chosen {
                            ui.close();
                        }
                    });
                if chosen {
                    combo.response.request_focus();
                }
                let _ = combo
                    .response
                    .labelled_by(zoom_label.id)
                    .on_hover_text(self.tr("gui.zoom.keys"));
            }
        }
    }

    fn status_bar(&mut self, ui: &mut egui::Ui) {
        // A long message may not push the tab out of a short window: the bar takes at most a
        // fifth of the window's height (at least two lines) and scrolls beyond that.
        let line = ui.text_style_height(&egui::TextStyle::Body);
        let max_height = (ui.ctx().content_rect().height() * 0.2).max(2.0 * line + 8.0);
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            let scrolled = egui::ScrollArea::vertical()
                .id_salt("status_scroll")
                .max_height(max_height)
                .auto_shrink([false, true])
                .show(ui, |ui| self.status_lines(ui));
            // Its scroll bar (shown when the message is long) has no name of its own.
            widgets::name_id(
                ui.ctx(),
                scrolled.id.with(1usize),
                &self.tr("gui.status_scroll"),
            );
        });
    }

    /// The job under way with its progress and Cancel, or the last result, or "Ready".
    fn status_lines(&mut self, ui: &mut egui::Ui) {
        {
            ui.add_space(4.0);
            let lang = self.lang;
            // One line a screen reader announces when it changes: the job and its phase (not
            // the file counts: those change ten times a second), or the last result.
            if let Some(running) = &self.running {
                let mut line = tr(lang, running.job.key());
                if let (Some(step), Job::Repair(job)) = (running.step, &running.job) {
                    let step = one_click::step_text(lang, step, job.mode);
                    line = format!("{line} \u{2014} {step}");
                }
                if let Some(phase) = running.phase {
                    line = format!("{line} \u{2014} {}", tr(lang, phase.key()));
                }
                let counts = (running.done > 0).then(|| {
                    tr_args(
                        lang,
                        "gui.files_done",
                        &[("count", &running.done.to_string())],
                    )
                });
                let fraction = match (running.total, running.done) {
                    (Some(total), done) if total > 0 => (done as f32 / total as f32).min(1.0),
                    _ => 0.0,
                };
                let cancel_token = running.cancel.clone();
                let cancelled = cancel_token.is_cancelled();
                ui.horizontal_wrapped(|ui| {
                    let cancel =
                        ui.add_enabled(!cancelled, egui::Button::new(tr(lang, "gui.cancel")));
                    if cancel.clicked() {
                        cancel_token.cancel();
                    }
                    let mut bar = egui::ProgressBar::new(fraction)
                        .animate(true)
                        .desired_width(ui.available_width().clamp(120.0, 260.0));
                    if let Some(c) = &counts {
                        bar = bar.text(c.as_str());
                    }
                    let bar = ui.add(bar);
                    if counts.is_none() {
                        widgets::name(ui, &bar, &line);
                    }
                    let status = ui.label(&line);
                    widgets::announce(ui, &status);
                });
                if let Some(n) = &self.notice
                    && n.level != Level::Ok
                {
                    let r = ui.label(RichText::new(n.shown(lang)).color(style::level(ui, n.level)));
                    widgets::announce(ui, &r);
                }
            } else if let Some(n) = &self.notice {
                ui.horizontal_wrapped(|ui| {
                    let color = style::level(ui, n.level);
                    let status = ui.label(RichText::new(n.shown(lang)).color(color));
                    widgets::announce(ui, &status);
                });
            } else {
                let key = if self.env.app_folders.portable {
                    "gui.ready_portable"
                } else {
                    "gui.ready"
                };
                ui.horizontal_wrapped(|ui| {
                    let status = ui.label(RichText::new(self.tr(key)).weak());
                    widgets::announce(ui, &status);
                });
            }
            ui.add_space(2.0);
        }
    }
}

/// Lays `add` out in a row (wrapping when `wrap`); returns the row's width.
fn row(ui: &mut egui::Ui, wrap: bool, add: impl FnOnce(&mut egui::Ui)) -> f32 {
    let response = if wrap {
        ui.horizontal_wrapped(add).response
    } else {
        ui.horizontal(add).response
    };
    response.rect.width()
}

/// A window shorter than this (in points: a large zoom or display scale on a small screen)
/// shows the name and settings at the top of the scrolling content instead of in the fixed top
/// bar, which then holds only the tabs.
const SHORT_WINDOW: f32 = 480.0;

/// The text sizes offered in the top bar (Ctrl+plus / Ctrl+minus go in steps of 10 %).
const ZOOM_STEPS: [f32; 5] = [1.0, 1.25, 1.5, 1.75, 2.0];

impl eframe::App for App {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        if !self.styled {
            style::apply(ctx);
            self.styled = true;
        }
        if self.applied_theme != Some(self.saved.theme) {
            ctx.set_theme(self.saved.theme.preference());
            self.applied_theme = Some(self.saved.theme);
        }
        // The zoom is remembered: applied at start (it takes effect in the next frame), saved
        // when Ctrl+plus / Ctrl+minus or the text size list changed it.
        if !self.zoom_applied {
            ctx.set_zoom_factor(self.saved.zoom());
            self.zoom_applied = true;
        } else if (ctx.zoom_factor() - self.saved.zoom).abs() > 0.001 {
            self.saved.zoom = ctx.zoom_factor();
            self.save_state();
        }
        tab_report::poll_dialog(self);
        if let Some(notice) = ctx
            .data_mut(|d| d.remove_temp::<Option<Notice>>(widgets::open_failed_id()))
            .flatten()
        {
            self.notice = Some(notice);
        }
        self.pump(ctx);
        super::audit_panel::logic(self, ctx);
        // Closing during a clear would leave the cache half removed: ask to wait or cancel.
        if ctx.input(|i| i.viewport().close_requested())
            && self.running.as_ref().is_some_and(|r| {
                matches!(r.job, Job::Clear { .. }) || super::helpdesk_panel::must_finish(&r.job)
            })
            && self.screenshot.is_none()
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.notice = Some(Notice::localized(Level::Error, |lang| {
                tr(lang, "gui.close_busy")
            }));
        }
        let idle = !self.is_busy() && self.clients.is_some();
        if let Some(shot) = &mut self.screenshot {
            shot.logic(ctx, idle);
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        if !self.first_frame_reported {
            self.first_frame_reported = true;
            super::launch::report_first_frame();
        }
        keyboard::shortcuts(self, ui.ctx());
        let short = ui.ctx().content_rect().height() < SHORT_WINDOW;
        self.top_bar(ui, short);
        self.status_bar(ui);
        egui::CentralPanel::default().show(ui, |ui| {
            let scrolled = egui::ScrollArea::vertical()
                .id_salt(self.tab.id())
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    let focus_in_bars = keyboard::focus_in_bars(ui.ctx());
                    ui.set_max_width(ui.available_width().min(1100.0));
                    if short {
                        self.header(ui);
                        ui.separator();
                    }
                    match self.tab {
                        Tab::Checklist => tab_checklist::show(self, ui),
                        Tab::Repair => tab_repair::show(self, ui),
                        Tab::Admin => tab_admin::show(self, ui),
                        Tab::Report => tab_report::show(self, ui),
                    }
                    ui.add_space(12.0);
                    keyboard::follow_focus(self, ui, focus_in_bars);
                });
            // egui's scroll bar has no name of its own: it scrolls the tab.
            let name = tr_args(
                self.lang,
                "gui.scroll",
                &[("tab", &self.tr(&self.tab.key()))],
            );
            widgets::name_id(ui.ctx(), scrolled.id.with(1usize), &name);
        });
        tab_report::open_requested_dialog(self, Some(frame), ui.ctx());
        super::audit_panel::open_requested_dialogs(self, Some(frame), ui.ctx());
        keyboard::focus_ring(self, ui.ctx());
    }
}
