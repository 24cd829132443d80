//! Look and feel: slightly larger text than egui's default (the users are office workers, not
//! developers), clear spacing, and colours that read in both light and dark mode.

use eframe::egui::{self, Color32, FontFamily, FontId, TextStyle};

pub fn apply(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (
                TextStyle::Heading,
                FontId::new(22.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Name("section".into()),
                FontId::new(17.0, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(15.0, FontFamily::Proportional)),
            (
                TextStyle::Button,
                FontId::new(15.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Small,
                FontId::new(12.5, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(13.5, FontFamily::Monospace),
            ),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(10.0, 5.0);
        style.spacing.interact_size.y = 26.0;
    });
}

/// The text size of section headings (between heading and body).
pub const SECTION_SIZE: f32 = 17.0;

/// Green that reads on both backgrounds.
pub fn good(ui: &egui::Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(110, 200, 120)
    } else {
        Color32::from_rgb(20, 120, 40)
    }
}

pub fn warn(ui: &egui::Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(240, 190, 80)
    } else {
        Color32::from_rgb(160, 90, 0)
    }
}

pub fn bad(ui: &egui::Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(255, 120, 110)
    } else {
        Color32::from_rgb(180, 30, 30)
    }
}

/// The accent used to highlight the steps that matter for the user's message.
pub fn accent(ui: &egui::Ui) -> Color32 {
    ui.visuals().selection.bg_fill
}

/// The colour of a version verdict (`ok`, `aging`, `outdated`, `restart`, `retired`, `unknown`).
pub fn verdict(ui: &egui::Ui, verdict: &str) -> Color32 {
    match verdict {
        "ok" => good(ui),
        "outdated" | "aging" | "restart" => warn(ui),
        "retired" => bad(ui),
        _ => ui.visuals().weak_text_color(),
    }
}

/// Text in the accent colour that stays readable on the panel background.
pub fn accent_text(ui: &egui::Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(120, 180, 255)
    } else {
        Color32::from_rgb(0, 90, 180)
    }
}
