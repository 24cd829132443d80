//! The window without a mouse: Tab and Shift+Tab reach every control of every tab, and the
//! keyboard focus stays in view; Ctrl+Tab, Ctrl+Shift+Tab and Ctrl+1..4 switch tabs; Escape
//! closes the clear's preview (its buttons were scrolled into view at the default window size)
//! and gives the focus back; after a quick clean "Start Teams" is right there; Ctrl+plus zooms
//! and the zoom is remembered.
#![cfg(feature = "gui")]

mod gui_support;

use eframe::egui::accesskit::{Action, Role};
use eframe::egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use gui_support::{CTRL, app, env, focused_name, press, settle, tab_to};
use std::collections::BTreeSet;
use std::path::Path;
use teamsfix::common::i18n::{Lang, tr, tr_args};
use teamsfix::gui::{App, SavedState, Tab};
use teamsfix::platform::app_folders::AppFolders;

fn fake_home(dir: &Path) {
    let root = dir.join("home/.config/teams-for-linux");
    for (rel, bytes) in [
        ("Cache/Cache_Data/data_0", 4000),
        ("GPUCache/data_1", 300),
        ("config.json", 20),
        ("logs/main.log", 70),
    ] {
        std::fs::create_dir_all(root.join(rel).parent().unwrap()).unwrap();
        std::fs::write(root.join(rel), vec![b'x'; bytes]).unwrap();
    }
}

fn shown_tab(h: &Harness<'_, App>, lang: Lang) -> Tab {
    // The selected tab button is the one marked selected in the accessibility tree.
    Tab::ALL
        .into_iter()
        .find(|t| {
            let name = tr(lang, &t.key());
            let tab = h.get_by_label(&name);
            tab.accesskit_node().role() == Role::Tab
                && tab.accesskit_node().is_selected() == Some(true)
        })
        .expect("a tab is selected")
}

#[test]
fn ctrl_tab_and_ctrl_digits_switch_tabs() {
    let t = tempfile::tempdir().unwrap();
    let lang = Lang::En;
    let mut h = gui_support::started_on_empty_home(t.path(), lang, 720.0);
    assert_eq!(shown_tab(&h, lang), Tab::Checklist);
    press(&mut h, CTRL, Key::Tab);
    assert_eq!(shown_tab(&h, lang), Tab::Repair);
    press(&mut h, CTRL, Key::Tab);
    press(&mut h, CTRL, Key::Tab);
    press(&mut h, CTRL, Key::Tab);
    assert_eq!(shown_tab(&h, lang), Tab::Checklist, "wraps around");
    press(&mut h, CTRL | Modifiers::SHIFT, Key::Tab);
    assert_eq!(shown_tab(&h, lang), Tab::Report);
    for (key, tab) in [Key::Num3, Key::Num1, Key::Num4, Key::Num2]
        .into_iter()
        .zip([Tab::Admin, Tab::Checklist, Tab::Report, Tab::Repair])
    {
        press(&mut h, CTRL, key);
        assert_eq!(shown_tab(&h, lang), tab);
    }
}

/// Every enabled control of every tab takes the focus with Tab, in a window of the default
/// size; the focused control is scrolled into view; Shift+Tab goes back the same way.
#[test]
fn tab_reaches_every_control_and_keeps_it_in_view() {
    let t = tempfile::tempdir().unwrap();
    fake_home(t.path());
    let lang = Lang::Nl;
    let (w, hgt) = (1000.0, 720.0);
    let mut h = app(
        env(&t.path().join("home"), &t.path().join("data"), lang),
        hgt,
    );
    settle(&mut h);
    for tab in Tab::ALL {
        h.get_by_label(&tr(lang, &tab.key())).click();
        h.run_steps(3);
        let focusable: BTreeSet<String> = h
            .root()
            .children_recursive()
            .map(|n| n.accesskit_node())
            .filter(|n| n.data().supports_action(Action::Focus) && !n.is_disabled())
            .map(|n| format!("{:?}", n.id()))
            .collect();
        let mut visited = Vec::new();
        for _ in 0..focusable.len() + 5 {
            press(&mut h, Modifiers::NONE, Key::Tab);
            let node = h
                .root()
                .children_recursive()
                .find(|n| n.accesskit_node().is_focused())
                .unwrap_or_else(|| panic!("{tab:?}: Tab left nothing focused"));
            // In sight: whole, or (a text box taller than the window) at least partly.
            let r = node.rect();
            let whole = r.top() >= -1.0 && r.bottom() <= hgt + 1.0;
            let partly = r.height() > hgt / 2.0 && r.top() < hgt && r.bottom() > 0.0;
            assert!(
                (whole || partly) && r.right() <= w + 1.0,
                "{tab:?}: the focused {:?} is out of sight at {r:?}",
                node.accesskit_node().label()
            );
            visited.push(format!("{:?}", node.accesskit_node().id()));
        }
        let seen: BTreeSet<String> = visited.iter().cloned().collect();
        let missed: Vec<&String> = focusable.difference(&seen).collect();
        assert!(missed.is_empty(), "{tab:?}: Tab never reached {missed:?}");
        // Shift+Tab walks back through the same controls.
        let last = visited.last().unwrap().clone();
        press(&mut h, Modifiers::SHIFT, Key::Tab);
        let back = h
            .root()
            .children_recursive()
            .find(|n| n.accesskit_node().is_focused())
            .map(|n| format!("{:?}", n.accesskit_node().id()))
            .unwrap();
        let before_last = visited.iter().rev().find(|v| **v != last).unwrap();
        assert_eq!(&back, before_last, "{tab:?}: Shift+Tab did not go back");
    }
}

/// Point 5 of the issue, by keyboard: the preview's buttons are in the window at the default
/// size, Escape closes the preview, and after the quick clean "Start Teams" is right there.
#[test]
fn preview_in_view_escape_closes_it_and_start_teams_after_the_clean() {
    let _lock = gui_support::process_lock();
    let t = tempfile::tempdir().unwrap();
    fake_home(t.path());
    let lang = Lang::En;
    let mut h = app(
        env(&t.path().join("home"), &t.path().join("data"), lang),
        720.0,
    );
    settle(&mut h);
    press(&mut h, CTRL, Key::Num2);
    let preview = tr(lang, "gui.repair.preview");
    tab_to(&mut h, &preview, false);
    press(&mut h, Modifiers::NONE, Key::Enter);
    settle(&mut h);
    h.run_steps(5);
    let confirm = tr_args(
        lang,
        "gui.repair.confirm",
        &[("mode", &tr(lang, "mode.safe.name"))],
    );
    for name in [confirm.clone(), tr(lang, "gui.repair.not_now")] {
        let r = h.get_by_label(&name).rect();
        assert!(
            r.top() >= 0.0 && r.bottom() <= 720.0,
            "{name} is out of sight: {r:?}"
        );
    }
    assert_eq!(focused_name(&h), Some(tr(lang, "gui.repair.not_now")));
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(
        h.query_by_label(&confirm).is_none(),
        "Escape did not close the preview"
    );
    assert_eq!(focused_name(&h), Some(preview.clone()));

    press(&mut h, Modifiers::NONE, Key::Space);
    settle(&mut h);
    tab_to(&mut h, &confirm, true);
    press(&mut h, Modifiers::NONE, Key::Enter);
    settle(&mut h);
    h.get_by_label(&tr(lang, "gui.repair.done"));
    assert!(
        !t.path()
            .join("home/.config/teams-for-linux/Cache/Cache_Data/data_0")
            .exists()
    );
    h.get_by_label(&tr(lang, "gui.repair.closed_now"));
    // Two "Start Teams" now: the card's own and the one in the result, enabled.
    let start = tr(lang, "gui.repair.restart");
    let starts: Vec<_> = h.get_all_by_label(&start).collect();
    assert_eq!(starts.len(), 2);
    assert!(starts.iter().all(|n| !n.accesskit_node().is_disabled()));
}

#[test]
fn ctrl_plus_zooms_and_the_zoom_is_remembered() {
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("home");
    let data = t.path().join("data");
    std::fs::create_dir_all(&home).unwrap();
    let mut h = app(env(&home, &data, Lang::En), 720.0);
    settle(&mut h);
    press(&mut h, CTRL, Key::Plus);
    press(&mut h, CTRL, Key::Plus);
    h.run_steps(2);
    let state = AppFolders {
        data: data.clone(),
        portable: false,
    }
    .state_file();
    assert!((SavedState::load(&state).zoom - 1.2).abs() < 0.01);
    assert_eq!(zoom_shown(&h), "120 %");
    press(&mut h, CTRL, Key::Minus);
    h.run_steps(2);
    assert!((SavedState::load(&state).zoom - 1.1).abs() < 0.01);
    drop(h);

    // A new window opens at the saved zoom.
    let mut h = app(env(&home, &data, Lang::En), 720.0);
    settle(&mut h);
    h.run_steps(2);
    assert_eq!(zoom_shown(&h), "110 %");
}

/// The text size shown in the top bar.
fn zoom_shown(h: &Harness<'_, App>) -> String {
    let label = tr(Lang::En, "gui.zoom.label");
    h.get_by_role_and_label(Role::ComboBox, &format!("{label}:"))
        .accesskit_node()
        .value()
        .unwrap_or_default()
}

/// "Undo the last reset" by keyboard: its confirmation takes the focus on its safe choice,
/// Escape closes it and gives the focus back to the button, and Enter on the confirmation
/// puts the sign-in data back.
#[test]
fn undo_confirmation_with_the_keyboard_and_escape() {
    let _lock = gui_support::process_lock();
    let t = tempfile::tempdir().unwrap();
    fake_home(t.path());
    let root = t.path().join("home/.config/teams-for-linux");
    let session = root.join("IndexedDB/https_teams.microsoft.com_0.indexeddb.leveldb/000003.log");
    std::fs::create_dir_all(session.parent().unwrap()).unwrap();
    std::fs::write(&session, b"signed in").unwrap();
    let lang = Lang::En;
    let mut h = app(
        env(&t.path().join("home"), &t.path().join("data"), lang),
        720.0,
    );
    settle(&mut h);
    // A full reset (with its backup) from the Repair tab, by keyboard.
    press(&mut h, CTRL, Key::Num2);
    tab_to(&mut h, &tr(lang, "mode.full.name"), false);
    press(&mut h, Modifiers::NONE, Key::Space);
    tab_to(&mut h, &tr(lang, "gui.repair.preview"), false);
    press(&mut h, Modifiers::NONE, Key::Enter);
    settle(&mut h);
    let confirm_full = tr_args(
        lang,
        "gui.repair.confirm",
        &[("mode", &tr(lang, "mode.full.name"))],
    );
    tab_to(&mut h, &confirm_full, true);
    press(&mut h, Modifiers::NONE, Key::Enter);
    settle(&mut h);
    assert!(!session.exists(), "the full reset removed the sign-in");

    let undo = tr(lang, "helpdesk.gui.undo.button");
    let not_now = tr(lang, "gui.repair.not_now");
    let confirm_text = tr(lang, "helpdesk.gui.undo.confirm_text");
    tab_to(&mut h, &undo, false);
    press(&mut h, Modifiers::NONE, Key::Enter);
    h.get_by_label(&confirm_text);
    assert_eq!(
        focused_name(&h),
        Some(not_now.clone()),
        "the confirmation did not take the focus"
    );
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(
        h.query_by_label(&confirm_text).is_none(),
        "Escape did not close the undo's confirmation"
    );
    assert_eq!(focused_name(&h), Some(undo.clone()), "the focus was lost");
    // Not now closes it the same way.
    press(&mut h, Modifiers::NONE, Key::Space);
    assert_eq!(focused_name(&h), Some(not_now.clone()));
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert!(h.query_by_label(&confirm_text).is_none());
    assert_eq!(focused_name(&h), Some(undo.clone()));
    // And the undo itself, by keyboard.
    press(&mut h, Modifiers::NONE, Key::Enter);
    tab_to(&mut h, &tr(lang, "helpdesk.gui.undo.confirm"), true);
    press(&mut h, Modifiers::NONE, Key::Enter);
    settle(&mut h);
    h.get_by_label(&tr(lang, "helpdesk.gui.undo.done"));
    assert_eq!(std::fs::read(&session).unwrap(), b"signed in");
    // The confirmation is gone: the focus is back on the button that opened it.
    h.run_steps(3);
    assert_eq!(focused_name(&h), Some(undo));
}

/// After Ctrl+Tab, Ctrl+Shift+Tab or Ctrl+1..4 the keyboard focus is on the tab now shown (in
/// the tab list, where a screen reader says which tab it is), not lost with the old tab's
/// controls; Tab goes on into the new tab.
#[test]
fn the_focus_follows_a_tab_switch() {
    let t = tempfile::tempdir().unwrap();
    fake_home(t.path());
    let lang = Lang::En;
    let mut h = app(
        env(&t.path().join("home"), &t.path().join("data"), lang),
        720.0,
    );
    settle(&mut h);
    // Somewhere in the Checklist's content.
    tab_to(&mut h, &tr(lang, "gui.one_click.button"), false);
    for (mods, key, tab) in [
        (CTRL, Key::Tab, Tab::Repair),
        (CTRL, Key::Num4, Tab::Report),
        (CTRL | Modifiers::SHIFT, Key::Tab, Tab::Admin),
        (CTRL, Key::Num1, Tab::Checklist),
    ] {
        press(&mut h, mods, key);
        assert_eq!(shown_tab(&h, lang), tab);
        assert_eq!(
            focused_name(&h),
            Some(tr(lang, &tab.key())),
            "after switching to {tab:?} the focus is not on its tab"
        );
    }
    press(&mut h, CTRL, Key::Num2);
    // Tab goes on from the tab list into the Repair tab's content.
    tab_to(&mut h, &tr(lang, "gui.repair.rescan"), false);
}

/// A button that starts a job is disabled while it runs, and egui drops its focus then: when
/// the job is done the focus is back on it (not lost, so the next Tab goes on from there).
#[test]
fn the_focus_comes_back_after_a_job() {
    let t = tempfile::tempdir().unwrap();
    fake_home(t.path());
    let lang = Lang::Nl;
    let mut h = app(
        env(&t.path().join("home"), &t.path().join("data"), lang),
        720.0,
    );
    settle(&mut h);
    for (tab, button) in [
        (Key::Num4, "helpdesk.gui.bundle.save"),
        (Key::Num2, "gui.repair.rescan"),
    ] {
        press(&mut h, CTRL, tab);
        let name = tr(lang, button);
        tab_to(&mut h, &name, false);
        press(&mut h, Modifiers::NONE, Key::Enter);
        settle(&mut h);
        h.run_steps(3);
        assert_eq!(
            focused_name(&h),
            Some(name.clone()),
            "the focus did not come back to {name:?}"
        );
    }
}

/// A drop-down list of the top bar (theme, text size) chosen from by keyboard: Space opens it,
/// the arrow keys move, Space chooses; the list then closes (as after a mouse click) and the
/// focus is back on the list's button, so Tab goes on from there.
#[test]
fn a_choice_by_keyboard_closes_the_list() {
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let lang = Lang::Nl;
    let mut h = app(env(&home, &t.path().join("data"), lang), 720.0);
    settle(&mut h);
    let theme = format!("{}:", tr(lang, "gui.theme.label"));
    gui_support::tab_to(&mut h, &theme, false);
    press(&mut h, Modifiers::NONE, Key::Space);
    let light = tr(lang, "gui.theme.light");
    assert!(h.query_by_label(&light).is_some(), "the list did not open");
    press(&mut h, Modifiers::NONE, Key::ArrowDown);
    press(&mut h, Modifiers::NONE, Key::ArrowDown);
    assert_eq!(gui_support::focused_name(&h), Some(light.clone()));
    press(&mut h, Modifiers::NONE, Key::Space);
    h.run_steps(2);
    assert_eq!(
        teamsfix::gui::SavedState::load(
            &teamsfix::platform::app_folders::AppFolders {
                data: t.path().join("data"),
                portable: false,
            }
            .state_file()
        )
        .theme,
        teamsfix::gui::ThemeChoice::Light
    );
    assert!(h.query_by_label(&light).is_none(), "the list stayed open");
    assert_eq!(gui_support::focused_name(&h), Some(theme));
}

/// The same for "Pick the message" on the Checklist: chosen by keyboard, the list closes and
/// the message's likely cause is shown.
#[test]
fn a_message_picked_by_keyboard_closes_the_list() {
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let lang = Lang::En;
    let mut h = app(env(&home, &t.path().join("data"), lang), 720.0);
    settle(&mut h);
    let first = tr(lang, "gui.checklist.pick_none");
    tab_to(&mut h, &tr(lang, "gui.checklist.pick"), false);
    press(&mut h, Modifiers::NONE, Key::Space);
    press(&mut h, Modifiers::NONE, Key::ArrowDown);
    let chosen = focused_name(&h).expect("nothing focused in the list");
    assert_ne!(chosen, first);
    // The entry after it (not chosen: shown only while the list is open).
    press(&mut h, Modifiers::NONE, Key::ArrowDown);
    let other = focused_name(&h).expect("nothing focused in the list");
    assert_ne!(other, chosen);
    press(&mut h, Modifiers::NONE, Key::ArrowUp);
    assert_eq!(focused_name(&h), Some(chosen.clone()));
    press(&mut h, Modifiers::NONE, Key::Space);
    h.run_steps(2);
    assert!(
        h.query_all_by_label(&other).next().is_none(),
        "the list stayed open"
    );
    // The list shows the message chosen.
    let pick = tr(lang, "gui.checklist.pick");
    let value = h
        .get_by_role_and_label(Role::ComboBox, &pick)
        .accesskit_node()
        .value();
    assert_eq!(value, Some(chosen));
}
