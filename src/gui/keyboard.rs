//! Working without a mouse: Ctrl+Tab / Ctrl+Shift+Tab and Ctrl+1..4 switch tabs, Escape closes
//! a preview, the widget with the keyboard focus is kept in view and drawn with a clear ring.
//! (Tab / Shift+Tab, Enter and Space on buttons, and Ctrl+plus / Ctrl+minus are egui's own.)

use super::app::{App, Tab};
use super::style;
use eframe::egui::{self, Id, Key, Modifiers};

#[derive(Default)]
pub struct KeyboardUi {
    /// The user moves with the keyboard (since the last Tab or arrow key, until the next
    /// mouse click): then the focus ring is drawn, as browsers do with `:focus-visible`.
    keyboard_mode: bool,
    /// The widget that had the focus in the last frame.
    last_focus: Option<Id>,
    /// The widget that lost the keyboard focus because it was disabled while a job ran (a
    /// button that started it): it gets the focus back once it is enabled again, so the next
    /// Tab goes on from there instead of from the top of the window.
    disabled_focus: Option<Id>,
    /// The tab was switched by keyboard: its button in the tab list takes the focus (the
    /// widget that had it went with the old tab).
    pub focus_tab: bool,
}

/// Before the widgets of a frame: the shortcuts of the window.
pub fn shortcuts(app: &mut App, ctx: &egui::Context) {
    let (tab_moves, pointer_pressed) = ctx.input(|i| {
        let moved = i.events.iter().any(|e| {
            matches!(
                e,
                egui::Event::Key {
                    key: Key::Tab
                        | Key::ArrowUp
                        | Key::ArrowDown
                        | Key::ArrowLeft
                        | Key::ArrowRight,
                    pressed: true,
                    ..
                }
            )
        });
        (moved, i.pointer.any_pressed())
    });
    if tab_moves {
        app.keyboard.keyboard_mode = true;
    }
    if pointer_pressed {
        app.keyboard.keyboard_mode = false;
    }

    // Ctrl+Shift+Tab first: Ctrl+Tab matches it too (extra Shift is ignored).
    let switch = ctx.input_mut(|i| {
        if i.consume_key(Modifiers::CTRL | Modifiers::SHIFT, Key::Tab) {
            return Some(app.tab.previous());
        }
        if i.consume_key(Modifiers::CTRL, Key::Tab) {
            return Some(app.tab.next());
        }
        let digits = [Key::Num1, Key::Num2, Key::Num3, Key::Num4];
        Tab::ALL
            .into_iter()
            .zip(digits)
            .find(|(_, key)| i.consume_key(Modifiers::COMMAND, *key))
            .map(|(tab, _)| tab)
    });
    if let Some(tab) = switch {
        app.tab = tab;
        app.keyboard.focus_tab = true;
    }

    // Escape closes what is open: a drop-down list first (egui does that itself), else the
    // undo's confirmation, else a preview. The focus then goes back to the button that opened it.
    let escape = ctx.input(|i| i.key_pressed(Key::Escape));
    if escape && !egui::Popup::is_any_open(ctx) {
        let _ = app.helpdesk.close_undo_confirm()
            || app.one_click.close_preview()
            || app.repair.close_previews();
    }
}

/// Inside the central scroll area, after its content: when the focus moved to a widget of the
/// content that is (partly) out of sight, scroll it into view (egui does not). `in_bars`: the
/// focused widget is in the top or status bar (registered before the content this frame).
pub fn follow_focus(app: &mut App, ui: &egui::Ui, in_bars: bool) {
    let ctx = ui.ctx();
    let focused = ctx.memory(|m| m.focused());
    if focused == app.keyboard.last_focus {
        return;
    }
    // A part of the content that brought itself into view this frame (a preview, a step the
    // repair leads to) keeps that place.
    let placed = ctx.viewport(|v| v.this_pass.scroll_target.iter().any(Option::is_some));
    if let Some(id) = focused
        && !in_bars
        && !placed
        && let Some(response) = ctx.read_response(id)
    {
        response.scroll_to_me(None);
    }
}

/// True when the focused widget already drew itself this frame (it is in a bar, not in the
/// content that is drawn next).
pub fn focus_in_bars(ctx: &egui::Context) -> bool {
    match ctx.memory(|m| m.focused()) {
        Some(id) => ctx.viewport(|v| v.this_pass.widgets.get(id).is_some()),
        None => false,
    }
}

/// At the end of a frame: a ring around the widget with the keyboard focus, clear in both
/// themes (egui's own focus look is a thin outline only).
pub fn focus_ring(app: &mut App, ctx: &egui::Context) {
    let focused = ctx.memory(|m| m.focused());
    give_back_focus(app, ctx, focused);
    app.keyboard.last_focus = focused;
    if !app.keyboard.keyboard_mode {
        return;
    }
    let Some(response) = focused.and_then(|id| ctx.read_response(id)) else {
        return;
    };
    if !response.interact_rect.is_positive() {
        return;
    }
    let painter = ctx
        .layer_painter(response.layer_id)
        .with_clip_rect(response.interact_rect.expand(4.0));
    let color = style::focus_ring(ctx.global_style().visuals.dark_mode);
    painter.rect_stroke(
        response.rect.expand(2.5),
        egui::CornerRadius::same(5),
        egui::Stroke::new(2.0, color),
        egui::StrokeKind::Outside,
    );
}

/// egui drops the focus of a widget that is disabled (a button while the job it started runs):
/// remember it, and when it is enabled again and nothing else took the focus, give it back.
fn give_back_focus(app: &mut App, ctx: &egui::Context, focused: Option<Id>) {
    let keyboard = &mut app.keyboard;
    if focused.is_some() || !keyboard.keyboard_mode {
        keyboard.disabled_focus = None;
        return;
    }
    if keyboard.disabled_focus.is_none()
        && let Some(last) = keyboard.last_focus
        && ctx.read_response(last).is_some_and(|r| !r.enabled())
    {
        keyboard.disabled_focus = Some(last);
    }
    if let Some(id) = keyboard.disabled_focus {
        match ctx.read_response(id) {
            Some(r) if r.enabled() => {
                ctx.memory_mut(|m| m.request_focus(id));
                keyboard.disabled_focus = None;
                ctx.request_repaint();
            }
            Some(_) => {}
            // Gone (another tab, a closed section): nothing to give back.
            None => keyboard.disabled_focus = None,
        }
    }
}
