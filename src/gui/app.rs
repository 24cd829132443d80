//! The window: a top bar (tabs, language, theme), the current tab, and a status bar with the
//! progress of the job under way and its Cancel button.

use super::env::Environment;
use super::state::{SavedState, ThemeChoice};
use super::tab_checklist::ChecklistUi;
use super::tab_repair::RepairUi;
use super::tab_report::ReportUi;
use super::worker::{ClearResult, Job, Outcome, Poll, Running, WorkerEnv};
use super::{screenshot::Screenshot, style, tab_admin, tab_checklist, tab_repair, tab_report};
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
}

/// A message in the status bar.
#[derive(Clone, Debug)]
pub struct Notice {
    pub ok: bool,
    pub text: String,
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
    pub(crate) helpdesk: super::helpdesk_panel::HelpdeskUi,
    /// The tenant audit section of the Admin tab and the result loaded there.
    pub(crate) audit: super::audit_panel::AuditUi,
    /// The executables that ran before teamsfix quit them, per client (to restart the same one).
    pub(crate) last_exes: HashMap<&'static str, PathBuf>,
    screenshot: Option<Screenshot>,
    applied_theme: Option<ThemeChoice>,
    styled: bool,
    first_frame_reported: bool,
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
            helpdesk: Default::default(),
            audit: super::audit_panel::AuditUi::from_env(),
            last_exes: HashMap::new(),
            screenshot: None,
            applied_theme: None,
            styled: false,
            first_frame_reported: false,
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
            self.notice = Some(Notice {
                ok: false,
                text: tr_args(
                    self.lang,
                    "gui.state_not_saved",
                    &[
                        ("path", &path.display().to_string()),
                        ("reason", &e.to_string()),
                    ],
                ),
            });
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
                    self.notice = Some(Notice {
                        ok: false,
                        text: self.tr("gui.job_lost"),
                    });
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
                self.notice = Some(tab_repair::clear_notice(self.lang, mode, &result));
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
                self.notice = Some(tab_repair::quit_notice(self.lang, client, &outcome));
                self.submit(Job::Scan);
            }
            Outcome::Restarted { label, result } => {
                let text = match &result {
                    Ok(cmd) => tr_args(self.lang, "gui.repair.restarted", &[("command", cmd)]),
                    Err(m) => m.text(self.lang),
                };
                self.notice = Some(Notice {
                    ok: result.is_ok(),
                    text,
                });
                self.repair.card(&label).result = None;
                self.submit(Job::Scan);
            }
            Outcome::Helpdesk(o) => super::helpdesk_panel::finished(self, o),
        }
    }

    fn remember_exes(&mut self, q: &QuitOutcome) {
        for p in q.closed.iter().chain(&q.forced) {
            if let Some(exe) = &p.exe {
                self.last_exes.insert(p.client, exe.clone());
            }
        }
    }

    fn top_bar(&mut self, ui: &mut egui::Ui) {
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.add_space(6.0);
            // Row 1: the name, then language and theme on the right.
            ui.horizontal(|ui| {
                ui.label(RichText::new("teamsfix").heading().strong());
                ui.label(RichText::new(self.tr("gui.subtitle")).weak());
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let theme = self.saved.theme;
                    let combo = egui::ComboBox::from_id_salt("theme")
                        .selected_text(self.tr(theme.key()))
                        .show_ui(ui, |ui| {
                            for t in ThemeChoice::ALL {
                                if ui.selectable_label(theme == t, self.tr(t.key())).clicked() {
                                    self.saved.theme = t;
                                    self.save_state();
                                }
                            }
                        });
                    let theme_label = ui.label(format!("{}:", self.tr("gui.theme.label")));
                    let _ = combo.response.labelled_by(theme_label.id);
                    ui.separator();
                    for lang in Lang::ALL.into_iter().rev() {
                        let button =
                            egui::Button::new(lang.native_name()).selected(self.lang == lang);
                        if ui.add(button).clicked() && self.lang != lang {
                            self.set_lang(lang);
                        }
                    }
                    ui.label(format!("{}:", self.tr("gui.language")));
                });
            });
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
            ui.add_space(4.0);
            // Row 2: the tabs.
            ui.horizontal(|ui| {
                for tab in Tab::ALL {
                    let text = RichText::new(self.tr(&tab.key())).size(style::SECTION_SIZE);
                    let button = egui::Button::new(text)
                        .selected(self.tab == tab)
                        .min_size(egui::vec2(120.0, 32.0));
                    if ui.add(button).clicked() {
                        self.tab = tab;
                    }
                }
            });
            ui.add_space(6.0);
        });
    }

    fn status_bar(&mut self, ui: &mut egui::Ui) {
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            ui.add_space(4.0);
            if let Some(running) = &self.running {
                let lang = self.lang;
                let mut text = tr(lang, running.job.key());
                if let Some(phase) = running.phase {
                    text = format!("{text} \u{2014} {}", tr(lang, phase.key()));
                }
                if running.done > 0 {
                    text = format!(
                        "{text} ({})",
                        tr_args(
                            lang,
                            "gui.files_done",
                            &[("count", &running.done.to_string())]
                        )
                    );
                }
                let fraction = match (running.total, running.done) {
                    (Some(total), done) if total > 0 => (done as f32 / total as f32).min(1.0),
                    _ => 0.0,
                };
                let cancel_token = running.cancel.clone();
                let cancelled = cancel_token.is_cancelled();
                ui.horizontal(|ui| {
                    let cancel =
                        ui.add_enabled(!cancelled, egui::Button::new(tr(lang, "gui.cancel")));
                    if cancel.clicked() {
                        cancel_token.cancel();
                    }
                    let bar = egui::ProgressBar::new(fraction).text(text).animate(true);
                    ui.add(bar);
                });
                if let Some(n) = &self.notice
                    && !n.ok
                {
                    ui.label(RichText::new(&n.text).color(style::bad(ui)));
                }
            } else if let Some(n) = &self.notice {
                ui.horizontal_wrapped(|ui| {
                    let color = if n.ok {
                        style::good(ui)
                    } else {
                        style::bad(ui)
                    };
                    ui.label(RichText::new(&n.text).color(color));
                });
            } else {
                let key = if self.env.app_folders.portable {
                    "gui.ready_portable"
                } else {
                    "gui.ready"
                };
                ui.label(RichText::new(self.tr(key)).weak());
            }
            ui.add_space(2.0);
        });
    }
}

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
            self.notice = Some(Notice {
                ok: false,
                text: self.tr("gui.close_busy"),
            });
        }
        let idle = !self.is_busy() && self.clients.is_some();
        if let Some(shot) = &mut self.screenshot {
            shot.logic(ctx, idle);
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        if !self.first_frame_reported {
            self.first_frame_reported = true;
            super::launch::report_first_frame();
        }
        self.top_bar(ui);
        self.status_bar(ui);
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt(self.tab.id())
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    ui.set_max_width(ui.available_width().min(1100.0));
                    match self.tab {
                        Tab::Checklist => tab_checklist::show(self, ui),
                        Tab::Repair => tab_repair::show(self, ui),
                        Tab::Admin => tab_admin::show(self, ui),
                        Tab::Report => tab_report::show(self, ui),
                    }
                    ui.add_space(12.0);
                });
        });
    }
}
