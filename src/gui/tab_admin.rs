//! Admin tab: the server-side layers of guest access in the order to check them, Microsoft's
//! own tests, and the commands from older guides that do not work.

use super::app::App;
use super::{style, widgets};
use crate::common::i18n::tr;
use crate::guide::admin_steps::{ADMIN_STEPS, CORRECTIONS, FILES_DIAG_URL, GUEST_DIAG_URL};
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
    });

    for (n, step) in ADMIN_STEPS.iter().enumerate() {
        ui.add_space(6.0);
        ui.push_id(step.id, |ui| {
            widgets::card(ui, None, |ui| {
                ui.label(
                    RichText::new(format!(
                        "{}. {}",
                        n + 1,
                        tr(lang, &format!("admin.{}.title", step.id))
                    ))
                    .size(style::SECTION_SIZE)
                    .strong(),
                );
                ui.label(tr(lang, &format!("admin.{}.why", step.id)));
                if !step.portal.is_empty() {
                    widgets::field(ui, &tr(lang, "admin.portal"), step.portal);
                }
                widgets::command(ui, lang, &tr(lang, "admin.connect"), step.connect);
                widgets::command(ui, lang, &tr(lang, "admin.check"), step.check);
                widgets::command(ui, lang, &tr(lang, "admin.fix"), step.fix);
                widgets::field(ui, &tr(lang, "admin.role"), tr(lang, step.role_key));
                widgets::field(
                    ui,
                    &tr(lang, "admin.delay"),
                    tr(lang, &format!("admin.{}.delay", step.id)),
                );
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(format!("{}:", tr(lang, "admin.docs"))).strong());
                    ui.hyperlink(step.docs);
                });
            });
        });
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
