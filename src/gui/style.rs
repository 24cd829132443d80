//! Look and feel: slightly larger text than egui's default (the users are office workers, not
//! developers), clear spacing, and colours that read in both light and dark mode. The fonts:
//! `fonts.rs` (Segoe UI on Windows, the bundled fonts elsewhere).

use eframe::egui::{self, Color32, FontFamily, FontId, TextStyle};

pub fn apply(ctx: &egui::Context) {
    super::fonts::install(ctx);
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
        // A scroll bar that takes its own room: egui's floating one lies over the text's edge.
        style.spacing.scroll = egui::style::ScrollStyle::solid();
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

/// The colour of a status message of `level`.
pub fn level(ui: &egui::Ui, level: super::app::Level) -> Color32 {
    match level {
        super::app::Level::Ok => good(ui),
        super::app::Level::Warning => warn(ui),
        super::app::Level::Error => bad(ui),
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

/// The text size of the one big action of a screen.
pub const PRIMARY_SIZE: f32 = 19.0;

/// The fill of the one big action: white text on it has a contrast of 6.9:1, and it stands
/// out on the light and the dark background alike.
pub fn primary_fill() -> Color32 {
    Color32::from_rgb(0, 90, 180)
}

/// The fill of the chosen button of a set (tab, language, status, format): the strong blue on
/// the light theme, a light blue on the dark one (the strong blue is too close to the dark
/// theme's grey buttons).
pub fn chosen_fill(dark_mode: bool) -> Color32 {
    if dark_mode {
        Color32::from_rgb(100, 170, 255)
    } else {
        primary_fill()
    }
}

/// The text on [`chosen_fill`].
pub fn chosen_text(dark_mode: bool) -> Color32 {
    if dark_mode {
        Color32::BLACK
    } else {
        Color32::WHITE
    }
}

/// The keyboard focus ring: white on the dark theme, black on the light one (over 15:1 against
/// the panel; WCAG 2.1 asks 3:1), and unlike any colour the cards are outlined in.
pub fn focus_ring(dark_mode: bool) -> Color32 {
    if dark_mode {
        Color32::WHITE
    } else {
        Color32::BLACK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 2.1 contrast ratio of two colours.
    fn contrast(a: Color32, b: Color32) -> f32 {
        let lum = |c: Color32| {
            let ch = |v: u8| {
                let v = v as f32 / 255.0;
                if v <= 0.039_28 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * ch(c.r()) + 0.7152 * ch(c.g()) + 0.0722 * ch(c.b())
        };
        let (x, y) = (lum(a), lum(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    /// The status bar's messages (done, warning, error) read as text on the panel in both
    /// themes: at least 4.5:1 (WCAG 1.4.3), on the panel and in a window.
    #[test]
    fn status_colours_have_text_contrast_in_both_themes() {
        for visuals in [egui::Visuals::light(), egui::Visuals::dark()] {
            let ctx = egui::Context::default();
            ctx.set_visuals(visuals.clone());
            let mut colours = Vec::new();
            let mut out = ctx.run_ui(Default::default(), |ui| {
                for level in [
                    crate::gui::Level::Ok,
                    crate::gui::Level::Warning,
                    crate::gui::Level::Error,
                ] {
                    colours.push((level, level_colour(ui, level)));
                }
            });
            out.textures_delta.clear();
            assert_eq!(colours.len(), 3);
            for (level, c) in colours {
                for bg in [visuals.panel_fill, visuals.window_fill] {
                    let ratio = contrast(c, bg);
                    assert!(
                        ratio >= 4.5,
                        "{level:?} dark {}: {ratio:.2} on {bg:?}",
                        visuals.dark_mode
                    );
                }
            }
        }
    }

    fn level_colour(ui: &egui::Ui, level: crate::gui::Level) -> Color32 {
        super::level(ui, level)
    }

    /// The chosen tab, language, status or format stands out from the others by at least 3:1
    /// (WCAG 1.4.11) in both themes, its text by at least 4.5:1; egui's own selected fill
    /// does not (checked here too, so the test notices when egui's look changes).
    #[test]
    fn the_chosen_button_stands_out_in_both_themes() {
        for visuals in [egui::Visuals::light(), egui::Visuals::dark()] {
            let dark = visuals.dark_mode;
            let others = visuals.widgets.inactive.weak_bg_fill;
            let chosen = chosen_fill(dark);
            assert!(contrast(chosen, others) >= 3.0, "dark {dark}");
            assert!(contrast(chosen, visuals.panel_fill) >= 3.0, "dark {dark}");
            assert!(contrast(chosen_text(dark), chosen) >= 4.5, "dark {dark}");
            assert!(
                contrast(visuals.selection.bg_fill, others) < 3.0,
                "dark {dark}"
            );
            // The focus ring (drawn around the widget, on the panel) reads against the panel.
            assert!(
                contrast(focus_ring(dark), visuals.panel_fill) >= 3.0,
                "dark {dark}"
            );
        }
    }
}
