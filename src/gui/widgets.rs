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

/// Where [`open_folder_or_say`] leaves why a folder could not be opened, for the status bar.
pub fn open_failed_id() -> egui::Id {
    egui::Id::unique("teamsfix_open_folder_failed")
}

/// Opens `path` in the file manager; when that cannot be done (no file manager, as on a Linux
/// without xdg-open), says so in the status bar (the window takes it in next frame): a button
/// that does nothing would be a silent failure.
pub fn open_folder_or_say(ui: &egui::Ui, path: &std::path::Path) {
    if let Err(e) = open_folder(path) {
        let shown = path.display().to_string();
        let notice = super::app::Notice::localized(super::app::Level::Error, |lang| {
            if e.kind() == std::io::ErrorKind::NotFound {
                crate::common::i18n::tr_args(lang, "gui.no_file_manager", &[("path", &shown)])
            } else {
                crate::common::i18n::tr_args(
                    lang,
                    "gui.open_folder_failed",
                    &[("path", &shown), ("reason", &e.to_string())],
                )
            }
        });
        ui.ctx()
            .data_mut(|d| d.insert_temp(open_failed_id(), Some(notice)));
        ui.ctx().request_repaint();
    }
}

/// A one-line text field keeps the keyboard focus when Enter is pressed in it (egui lets it go,
/// so the next Tab would start again at the top of the window). True when Enter was pressed.
pub fn enter_keeps_focus(ui: &egui::Ui, field: &egui::Response) -> bool {
    let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    if entered {
        field.request_focus();
    }
    entered
}

/// A page heading, in the strong text colour.
pub fn heading(ui: &mut egui::Ui, text: impl Into<String>) {
    ui.label(RichText::new(text).heading().strong());
}

/// Marks `response` as a polite live region: a screen reader announces its text when it
/// changes (progress, results, questions), without moving the focus.
pub fn announce(ui: &egui::Ui, response: &egui::Response) {
    ui.ctx().accesskit_node_builder(response.id, |node| {
        node.set_live(egui::accesskit::Live::Polite);
    });
}

/// Gives a widget without text of its own (a spinner, a bare progress bar) its accessible name.
pub fn name(ui: &egui::Ui, response: &egui::Response, name: &str) {
    name_id(ui.ctx(), response.id, name);
}

/// Like [`name`], for a widget known by its id only (egui's own parts, e.g. a scroll bar).
pub fn name_id(ctx: &egui::Context, id: egui::Id, name: &str) {
    let name = name.to_string();
    ctx.accesskit_node_builder(id, move |node| {
        node.set_label(name);
    });
}

/// Adds an accessible description to a widget: read after its name (why a button is disabled).
pub fn describe(ui: &egui::Ui, response: &egui::Response, text: &str) {
    let text = text.to_string();
    ui.ctx().accesskit_node_builder(response.id, move |node| {
        node.set_description(text);
    });
}

/// The one big action of a screen: large text on a strong fill that reads in both themes.
pub fn primary_button(ui: &mut egui::Ui, enabled: bool, text: &str) -> egui::Response {
    let button = egui::Button::new(
        RichText::new(text)
            .size(style::PRIMARY_SIZE)
            .strong()
            .color(egui::Color32::WHITE),
    )
    .fill(style::primary_fill())
    .min_size(egui::vec2(200.0, 40.0));
    ui.add_enabled(enabled, button)
}

/// A button of a set of choices (a tab, a language, a status, a format): the chosen one in the
/// strong fill with white text. egui's own selected look (a pale blue beside grey) differs from
/// the others by 1.3:1 in the light theme and 1.5:1 in the dark one; WCAG 1.4.11 asks 3:1.
pub fn choice(ui: &egui::Ui, text: impl Into<RichText>, selected: bool) -> egui::Button<'static> {
    let text: RichText = text.into();
    if selected {
        let dark = ui.visuals().dark_mode;
        egui::Button::new(text.color(style::chosen_text(dark)))
            .fill(style::chosen_fill(dark))
            .selected(true)
    } else {
        egui::Button::new(text)
    }
}
