//! Small building blocks shared by the tabs.

use super::style;
use crate::common::i18n::{Lang, tr};
use eframe::egui::{self, RichText};

/// A framed card with a bit of air, optionally outlined in `highlight`.
pub fn card<R>(
    ui: &mut egui::Ui,
    highlight: Option<egui::Color32>,
    add: impl FnOnce(&mut egui::Ui) -> R,
) -> R {
    let mut frame = egui::Frame::group(ui.style())
        .inner_margin(egui::Margin::same(12))
        .corner_radius(6);
    if let Some(c) = highlight {
        frame = frame.stroke(egui::Stroke::new(2.0, c));
    }
    frame
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            add(ui)
        })
        .inner
}

pub fn section(ui: &mut egui::Ui, text: impl Into<String>) {
    ui.add_space(6.0);
    ui.label(RichText::new(text).size(style::SECTION_SIZE).strong());
}

/// `label: value` on one line, wrapping the value.
pub fn field(ui: &mut egui::Ui, label: &str, value: impl Into<RichText>) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("{label}:")).strong());
        ui.label(value.into());
    });
}

/// A caption, then a command in a code box with a Copy button. Empty commands are left out.
pub fn command(ui: &mut egui::Ui, lang: Lang, caption: &str, cmd: &str) {
    if cmd.is_empty() {
        return;
    }
    ui.label(RichText::new(caption).strong());
    ui.horizontal(|ui| {
        let copy = ui
            .button(tr(lang, "gui.copy"))
            .on_hover_text(tr(lang, "gui.copy_hint"));
        if copy.clicked() {
            ui.ctx().copy_text(cmd.to_string());
        }
        ui.add(egui::Label::new(RichText::new(cmd).monospace()).wrap());
    });
}

/// A button that opens `url` in the browser.
pub fn link_button(ui: &mut egui::Ui, text: &str, url: &str) -> egui::Response {
    let r = ui.button(text).on_hover_text(url);
    if r.clicked() {
        ui.ctx().open_url(egui::OpenUrl::new_tab(url));
    }
    r
}

/// Opens a folder in the file manager of the OS, started by its full path (never by bare name:
/// Windows would look next to teamsfix's exe first): `explorer.exe` from the Windows folder,
/// `/usr/bin/open` on macOS, `xdg-open` from an absolute PATH entry elsewhere.
pub fn open_folder(path: &std::path::Path) -> std::io::Result<()> {
    use crate::platform::programs;
    let program = if cfg!(windows) {
        programs::system_program("explorer.exe")
    } else if cfg!(target_os = "macos") {
        programs::system_program("open")
    } else {
        programs::find_program("xdg-open")
    }
    .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))?;
    let mut child = std::process::Command::new(program)
        .arg(path)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    std::thread::spawn(move || child.wait());
    Ok(())
}

/// A page heading, in the strong text colour.
pub fn heading(ui: &mut egui::Ui, text: impl Into<String>) {
    ui.label(RichText::new(text).heading().strong());
}
