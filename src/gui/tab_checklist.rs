//! Checklist tab, the first screen: "Repair Teams" (one click, `one_click`), "What do you see?"
//! (pick or paste the message, see the likely cause), then every step of the checklist grouped
//! by who does it, with its action and a status.

use super::app::{App, Tab};
use super::state::SavedState;
use super::worker::Job;
use super::{one_click, style, widgets};
use crate::common::i18n::{Lang, tr, tr_args};
use crate::guide::admin_steps;
use crate::guide::checklist::{CHECKLIST, ChecklistStep, StepAction, StepStatus, Who};
use crate::guide::diagnose::{MatchKind, diagnose, unknown_codes};
use crate::guide::error_catalogue::{self, ERRORS, KnownError};
use eframe::egui::{self, RichText};

/// What the diagnosis found.
#[derive(Clone, Debug)]
pub enum Found {
    /// The best match (with how it matched when the text was pasted) and other candidates.
    Match {
        error: &'static KnownError,
        kind: Option<MatchKind>,
        others: Vec<&'static KnownError>,
        /// The code pasted when it is not in Microsoft's list (an alias of `error`'s first code).
        alias: Option<String>,
    },
    /// Nothing fits; `unknown` are the codes in the text that the catalogue does not know
    /// (shown with Microsoft's page for each, as the CLI does).
    NoMatch { unknown: Vec<String> },
}

#[derive(Default)]
pub struct ChecklistUi {
    /// The message pasted or typed by the user.
    pub pasted: String,
    pub found: Option<Found>,
    /// The step the one-click repair leads to when it did not help: marked, and brought into
    /// view (with the keyboard focus on its first button) once.
    pub lead: Option<&'static str>,
    lead_pending: bool,
    /// A new diagnosis is shown: bring its card into view once (it appears below the field,
    /// often below the window's edge).
    scroll_to_result: bool,
    /// The inviting organisation's domain, for steps that open one of its pages.
    pub org_domain: String,
}

impl ChecklistUi {
    pub fn from_saved(_saved: &SavedState) -> ChecklistUi {
        ChecklistUi::default()
    }

    pub fn pick(&mut self, id: &str) {
        if let Some(error) = error_catalogue::error(id) {
            self.found = Some(Found::Match {
                error,
                kind: None,
                others: Vec::new(),
                alias: None,
            });
            self.scroll_to_result = true;
        }
    }

    pub fn diagnose_pasted(&mut self) {
        let found = diagnose(&self.pasted);
        self.found = Some(match found.first() {
            None => Found::NoMatch {
                unknown: unknown_codes(&self.pasted),
            },
            Some(best) => Found::Match {
                error: best.error,
                kind: Some(best.kind),
                others: found[1..].iter().take(3).map(|d| d.error).collect(),
                alias: best.code.clone().filter(|_| !best.code_confirmed),
            },
        });
        self.scroll_to_result = true;
    }

    /// Marks `step` as where to go on, and brings it into view.
    pub fn lead_to(&mut self, step: &'static str) {
        self.lead = Some(step);
        self.lead_pending = true;
    }

    pub fn lead_to_none(&mut self) {
        self.lead = None;
        self.lead_pending = false;
    }

    /// The steps that matter for the diagnosed message, most useful first.
    pub fn highlighted(&self) -> &'static [&'static str] {
        match &self.found {
            Some(Found::Match { error, .. }) => error.steps,
            _ => &[],
        }
    }
}

fn error_title(lang: Lang, id: &str) -> String {
    tr(lang, &format!("errors.{id}.title"))
}

pub fn show(app: &mut App, ui: &mut egui::Ui) {
    let lang = app.lang;
    one_click::show(app, ui);
    ui.add_space(10.0);
    widgets::heading(ui, tr(lang, "gui.checklist.heading"));
    ui.label(tr(lang, "gui.checklist.intro"));
    ui.add_space(6.0);
    what_do_you_see(app, ui);
    if let Some(found) = app.checklist.found.clone() {
        ui.add_space(6.0);
        diagnosis(app, ui, &found);
    }
    ui.add_space(10.0);
    ui.separator();
    steps(app, ui);
}

fn what_do_you_see(app: &mut App, ui: &mut egui::Ui) {
    let lang = app.lang;
    widgets::card(ui, None, |ui| {
        widgets::section(ui, tr(lang, "gui.checklist.what_heading"));
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(tr(lang, "gui.checklist.pick"));
            let selected = match &app.checklist.found {
                Some(Found::Match {
                    error, kind: None, ..
                }) => error_title(lang, error.id),
                _ => tr(lang, "gui.checklist.pick_none"),
            };
            let mut picked: Option<&'static str> = None;
            let combo = egui::ComboBox::from_id_salt("pick_error")
                .selected_text(selected)
                .width(ui.available_width().min(560.0))
                .show_ui(ui, |ui| {
                    for e in ERRORS {
                        if ui
                            .selectable_label(false, error_title(lang, e.id))
                            .clicked()
                        {
                            picked = Some(e.id);
                        }
                    }
                    // Chosen by key as by mouse: the list closes.
                    if picked.is_some() {
                        ui.close();
                    }
                });
            let _ = combo.response.labelled_by(label.id);
            if let Some(id) = picked {
                app.checklist.pick(id);
            }
        });
        ui.add_space(4.0);
        let label = ui.label(tr(lang, "gui.checklist.paste"));
        let edit = ui.add(
            egui::TextEdit::multiline(&mut app.checklist.pasted)
                .hint_text(tr(lang, "gui.checklist.paste_hint"))
                .desired_rows(2)
                .desired_width(f32::INFINITY),
        );
        let _ = edit.labelled_by(label.id);
        ui.horizontal(|ui| {
            let enabled = !app.checklist.pasted.trim().is_empty();
            if ui
                .add_enabled(enabled, egui::Button::new(tr(lang, "gui.checklist.find")))
                .clicked()
            {
                app.checklist.diagnose_pasted();
            }
            if app.checklist.found.is_some()
                && ui.button(tr(lang, "gui.checklist.forget")).clicked()
            {
                app.checklist.found = None;
                app.checklist.pasted.clear();
            }
        });
    });
}

fn diagnosis(app: &mut App, ui: &mut egui::Ui, found: &Found) {
    let lang = app.lang;
    let accent = style::accent(ui);
    let top = ui.cursor().min;
    widgets::card(ui, Some(accent), |ui| match found {
        Found::NoMatch { unknown } if unknown.is_empty() => {
            ui.label(tr(lang, "diagnose.no_match"));
        }
        Found::NoMatch { unknown } => {
            for code in unknown {
                let url = crate::guide::error_catalogue::lookup_url(code);
                ui.label(crate::common::i18n::tr_args(
                    lang,
                    "diagnose.unknown_code",
                    &[("code", code), ("url", &url)],
                ));
                ui.hyperlink(url);
            }
            ui.label(tr(lang, "diagnose.unknown_next"));
        }
        Found::Match {
            error,
            kind,
            others,
            alias,
        } => {
            ui.label(
                RichText::new(error_title(lang, error.id))
                    .size(style::SECTION_SIZE)
                    .strong(),
            );
            if *kind == Some(MatchKind::Paraphrase)
                || (*kind == Some(MatchKind::Phrase) && !error.confirmed)
            {
                ui.label(
                    RichText::new(tr(lang, "diagnose.paraphrase"))
                        .italics()
                        .weak(),
                );
            }
            if let Some(quote) = error.quote {
                widgets::field(
                    ui,
                    &tr(lang, "diagnose.quote"),
                    RichText::new(format!("\u{201c}{quote}\u{201d}")).italics(),
                );
            }
            if let Some(code) = alias {
                let canonical = error.codes.first().copied().unwrap_or_default();
                ui.label(
                    RichText::new(tr_args(
                        lang,
                        "diagnose.alias_code",
                        &[("code", code), ("canonical", canonical)],
                    ))
                    .italics(),
                );
            }
            widgets::field(
                ui,
                &tr(lang, "diagnose.cause"),
                tr(lang, &format!("errors.{}.cause", error.id)),
            );
            ui.add_space(4.0);
            ui.label(RichText::new(format!("{}:", tr(lang, "diagnose.steps"))).strong());
            for (n, id) in error.steps.iter().enumerate() {
                if let Some(step) = crate::guide::checklist::step(id) {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(format!("{}.", n + 1));
                        ui.label(tr(lang, &step.title_key()));
                        ui.label(RichText::new(format!("({})", tr(lang, step.who.key()))).weak());
                    });
                }
            }
            ui.label(RichText::new(tr(lang, "gui.checklist.highlight_note")).weak());
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(format!("{}:", tr(lang, "diagnose.source"))).strong());
                for url in error.sources {
                    ui.hyperlink(*url);
                }
            });
            if !others.is_empty() {
                ui.add_space(4.0);
                ui.label(RichText::new(format!("{}:", tr(lang, "diagnose.also"))).strong());
                for other in others {
                    if ui.link(error_title(lang, other.id)).clicked() {
                        app.checklist.pick(other.id);
                    }
                }
            }
        }
    });
    if std::mem::take(&mut app.checklist.scroll_to_result) {
        let card =
            egui::Rect::from_min_max(top, egui::pos2(ui.max_rect().right(), ui.cursor().min.y));
        ui.scroll_to_rect(card, None);
    }
}

fn steps(app: &mut App, ui: &mut egui::Ui) {
    let lang = app.lang;
    widgets::heading(ui, tr(lang, "gui.checklist.steps_heading"));
    let finished = CHECKLIST
        .iter()
        .filter(|s| app.saved.status(s.id).is_finished())
        .count();
    let total = CHECKLIST.len();
    let progress_text = tr_args(
        lang,
        "gui.checklist.progress",
        &[
            ("done", &finished.to_string()),
            ("total", &total.to_string()),
        ],
    );
    // Wrapping: in a narrow window (a large zoom) a row wider than the window would also widen
    // every card below it past the window's edge.
    ui.horizontal_wrapped(|ui| {
        // The count stands beside the bar: inside it, the bar's rounded end covers the text at 0 %.
        let width = ui.available_width().min(240.0);
        ui.add(egui::ProgressBar::new(finished as f32 / total as f32).desired_width(width))
            .labelled_by(ui.label(&progress_text).id);
        if finished > 0 && ui.button(tr(lang, "gui.checklist.reset")).clicked() {
            app.saved.steps.clear();
            app.save_state();
            app.report.dirty = true;
        }
    });
    let highlighted = app.checklist.highlighted();
    for who in [Who::User, Who::Guest, Who::Admin] {
        ui.add_space(8.0);
        widgets::heading(
            ui,
            tr(lang, &format!("gui.checklist.group.{}", who_id(who))),
        );
        for step in CHECKLIST.iter().filter(|s| s.who == who) {
            let rank = highlighted.iter().position(|h| *h == step.id);
            step_card(app, ui, step, rank);
        }
    }
}

fn who_id(who: Who) -> &'static str {
    match who {
        Who::User => "user",
        Who::Guest => "guest",
        Who::Admin => "admin",
    }
}

fn step_card(app: &mut App, ui: &mut egui::Ui, step: &'static ChecklistStep, rank: Option<usize>) {
    let lang = app.lang;
    let led_here = app.checklist.lead == Some(step.id);
    let focus_here = led_here && std::mem::take(&mut app.checklist.lead_pending);
    let highlight = (rank.is_some() || led_here)
        .then(|| style::accent(ui))
        .or_else(|| super::audit_panel::mark_color(app, ui, step.id));
    let status = app.saved.status(step.id);
    let card = ui.push_id(step.id, |ui| {
        widgets::card(ui, highlight, |ui| {
            if led_here {
                let badge = ui.label(
                    RichText::new(tr(lang, "gui.one_click.continue_here"))
                        .strong()
                        .color(style::accent_text(ui)),
                );
                widgets::announce(ui, &badge);
            }
            if let Some(n) = rank {
                ui.label(
                    RichText::new(tr_args(
                        lang,
                        "gui.checklist.recommended",
                        &[("n", &(n + 1).to_string())],
                    ))
                    .strong()
                    .color(style::accent_text(ui)),
                );
            }
            super::audit_panel::checklist_mark(app, ui, step.id);
            let mut title = RichText::new(tr(lang, &step.title_key()))
                .size(style::SECTION_SIZE)
                .strong();
            if status == StepStatus::Done {
                title = title.color(style::good(ui));
            }
            ui.horizontal_wrapped(|ui| {
                ui.label(title);
            });
            ui.label(tr(lang, &step.why_key()));
            widgets::field(ui, &tr(lang, "gui.checklist.who"), tr(lang, step.who.key()));
            let focused = action(app, ui, step, focus_here);
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(format!("{}:", tr(lang, "gui.checklist.status"))).strong());
                for s in [
                    StepStatus::Done,
                    StepStatus::Skipped,
                    StepStatus::NotApplicable,
                    StepStatus::Open,
                ] {
                    let button = widgets::choice(ui, tr(lang, s.key()), status == s);
                    let response = ui.add(button);
                    if focus_here && !focused && s == StepStatus::Done {
                        response.request_focus();
                    }
                    if response.clicked() && status != s {
                        app.set_step(step.id, s);
                    }
                }
            });
        });
    });
    if focus_here {
        card.response.scroll_to_me(Some(egui::Align::TOP));
    }
    ui.add_space(4.0);
}

/// The step's own action; with `focus`, its first button takes the keyboard focus (true when
/// there was one).
fn action(app: &mut App, ui: &mut egui::Ui, step: &ChecklistStep, focus: bool) -> bool {
    let lang = app.lang;
    let first = match step.action {
        StepAction::None => None,
        StepAction::QuitTeams => {
            ui.horizontal_wrapped(|ui| {
                let quit = ui.add_enabled(
                    app.running.is_none(),
                    egui::Button::new(tr(lang, "gui.repair.quit")),
                );
                if quit.clicked() {
                    app.submit(Job::Quit { client: None });
                }
                let go = ui.button(tr(lang, "gui.checklist.go_repair"));
                if go.clicked() {
                    app.tab = Tab::Repair;
                }
                // The quit button is disabled while a job runs: then the other one.
                Some(if quit.enabled() { quit } else { go })
            })
            .inner
        }
        StepAction::ClearCache(mode) => {
            let text = tr_args(
                lang,
                "gui.checklist.go_clear",
                &[("mode", &tr(lang, &format!("mode.{}.name", mode.id())))],
            );
            // Long in Dutch: it wraps in a narrow window rather than run past its edge.
            let go = ui.add(egui::Button::new(text).wrap());
            if go.clicked() {
                app.repair.set_mode_everywhere(mode);
                app.tab = Tab::Repair;
            }
            Some(go)
        }
        StepAction::OpenUrl(url) => Some(widgets::link_button(
            ui,
            &tr(lang, "gui.checklist.open_page"),
            url,
        )),
        StepAction::OpenOrgUrl(template) => Some(
            ui.horizontal_wrapped(|ui| {
                let label = ui.label(format!("{}:", tr(lang, "diagnose.org_domain")));
                let edit = ui.add(
                    egui::TextEdit::singleline(&mut app.checklist.org_domain)
                        .hint_text(tr(lang, "diagnose.org_domain_hint"))
                        .desired_width(220.0),
                );
                let edit = edit.labelled_by(label.id);
                widgets::enter_keeps_focus(ui, &edit);
                let url = StepAction::org_url(template, &app.checklist.org_domain);
                ui.add_enabled_ui(url.is_some(), |ui| {
                    widgets::link_button(
                        ui,
                        &tr(lang, "gui.checklist.open_page"),
                        url.as_deref().unwrap_or(template),
                    );
                });
                // The domain comes first: the page needs it.
                edit
            })
            .inner,
        ),
        StepAction::AdminLayer(layer) => admin_steps::step(layer).map(|a| {
            if !a.portal.is_empty() {
                widgets::field(ui, &tr(lang, "admin.portal"), a.portal);
            }
            widgets::command(ui, lang, &tr(lang, "admin.check"), &a.check.script());
            let go = ui.button(tr(lang, "gui.checklist.go_admin"));
            if go.clicked() {
                app.tab = Tab::Admin;
            }
            go
        }),
    };
    match first {
        Some(button) if focus => {
            button.request_focus();
            true
        }
        _ => false,
    }
}
