//! Admin tab: the server-side layers of guest access in the order to check them, Microsoft's
//! own tests, and the commands from older guides that do not work.

use super::app::App;
use super::{style, widgets};
use crate::common::i18n::{Lang, tr};
use crate::guide::admin_steps::{
    ADMIN_STEPS, AdminStep, CORRECTIONS, Command, DIAGNOSTICS_SOURCES, FILES_DIAG_URL,
    GUEST_DIAG_URL, Section,
};
use eframe::egui::{self, RichText};

pub fn show(app: &mut App, ui: &mut egui::Ui) {
    let lang = app.lang;
    widgets::heading(ui, tr(lang, "gui.admin.heading"));
    ui.label(tr(lang, "gui.admin.intro"));
    ui.add_space(6.0);
    super::audit_panel::show(app, ui);
    ui.add_space(6.0);

    widgets::card(ui, Some(style::accent(ui)), |ui| {
        widgets::section(ui, tr(lang, "admin.diagnostics_title"));
        ui.label(tr(lang, "admin.diagnostics_text"));
        ui.horizontal_wrapped(|ui| {
            widgets::link_button(ui, &tr(lang, "gui.admin.guest_diag"), GUEST_DIAG_URL);
            widgets::link_button(ui, &tr(lang, "gui.admin.files_diag"), FILES_DIAG_URL);
        });
        sources(ui, lang, DIAGNOSTICS_SOURCES);
    });

    let mut n = 0;
    for section in Section::ALL {
        ui.add_space(10.0);
        widgets::heading(ui, tr(lang, section.key()));
        for step in ADMIN_STEPS.iter().filter(|s| s.section == section) {
            n += 1;
            ui.add_space(6.0);
            ui.push_id(step.id, |ui| step_card(ui, lang, n, step));
        }
    }

    ui.add_space(10.0);
    widgets::card(ui, Some(style::bad(ui)), |ui| {
        widgets::section(ui, tr(lang, "admin.corrections.title"));
        ui.label(tr(lang, "admin.corrections.intro"));
        for c in CORRECTIONS {
            ui.add_space(6.0);
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(format!("{}:", tr(lang, "gui.admin.wrong")))
                        .strong()
                        .color(style::bad(ui)),
                );
                ui.label(
                    RichText::new(c.wrong)
                        .monospace()
                        .strikethrough()
                        .color(style::bad(ui)),
                );
            });
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(format!("{}:", tr(lang, "gui.admin.instead")))
                        .strong()
                        .color(style::good(ui)),
                );
                ui.label(tr(lang, &format!("admin.corrections.{}", c.id)));
            });
        }
    });
}

fn step_card(ui: &mut egui::Ui, lang: Lang, n: usize, step: &AdminStep) {
    widgets::card(ui, None, |ui| {
        ui.label(
            RichText::new(format!(
                "{n}. {}",
                tr(lang, &format!("admin.{}.title", step.id))
            ))
            .size(style::SECTION_SIZE)
            .strong(),
        );
        ui.label(tr(lang, &format!("admin.{}.why", step.id)));
        if !step.portal.is_empty() {
            widgets::field(ui, &tr(lang, "admin.portal"), step.portal);
        }
        command(ui, lang, &tr(lang, "admin.check"), &step.check);
        match &step.fix {
            Some(fix) => command(ui, lang, &tr(lang, "admin.fix"), fix),
            None => {
                ui.label(RichText::new(tr(lang, "admin.fix")).strong());
                ui.label(RichText::new(tr(lang, "admin.no_fix")).weak());
            }
        }
        widgets::field(ui, &tr(lang, "admin.role"), tr(lang, step.role_key));
        widgets::field(
            ui,
            &tr(lang, "admin.delay"),
            tr(lang, &format!("admin.{}.delay", step.id)),
        );
        sources(ui, lang, step.sources);
    });
}

/// A caption with the module, then the connection and the command in one code box: the Copy
/// button copies both, so the pasted script connects with the scopes it needs.
fn command(ui: &mut egui::Ui, lang: Lang, caption: &str, cmd: &Command) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(caption).strong());
        ui.label(
            RichText::new(format!(
                "({}: {})",
                tr(lang, "admin.module"),
                cmd.module_names()
            ))
            .weak(),
        );
    });
    ui.horizontal(|ui| {
        let copy = ui
            .button(tr(lang, "gui.copy"))
            .on_hover_text(tr(lang, "gui.copy_hint"));
        if copy.clicked() {
            ui.ctx().copy_text(cmd.script());
        }
        ui.vertical(|ui| {
            ui.add(egui::Label::new(RichText::new(cmd.connect).monospace().weak()).wrap());
            ui.add(egui::Label::new(RichText::new(cmd.run).monospace()).wrap());
        });
    });
}

/// One link per line: a link that starts mid-line and wraps becomes two clickable pieces in
/// egui, the second without a name for a screen reader (and on top of the first).
fn sources(ui: &mut egui::Ui, lang: Lang, urls: &[&str]) {
    ui.label(RichText::new(format!("{}:", tr(lang, "admin.sources"))).strong());
    ui.indent("sources", |ui| {
        for url in urls {
            ui.hyperlink(*url);
        }
    });
}
