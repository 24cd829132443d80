//! The Audit section of the Admin tab, driven headless (egui_kittest): an audit result dropped
//! on the window is read, the first blocking layer is named in one sentence, every layer shows
//! its verdict; the Checklist marks the matching admin steps; the report carries the verdicts and
//! hides the tenant id and the guest's address when personal details are hidden.
#![cfg(feature = "gui")]

mod gui_support;

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use gui_support::{Dropped, audit_fixture as fixture, started_on_empty_home};
use std::path::Path;
use std::sync::Arc;
use teamsfix::common::i18n::{Lang, tr, tr_args};
use teamsfix::gui::App;
use teamsfix::guide::audit;

/// Drops `file` on the window and steps until the section shows it (it is read on a thread).
fn drop_file(h: &mut Harness<'static, App>, file: &Path, lang: Lang) {
    h.input_mut()
        .dropped_files
        .push(Arc::new(Dropped(file.to_path_buf())));
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let done = [
        tr_args(lang, "audit.panel.loaded", &[("file", &name)]),
        tr_args(
            lang,
            "audit.panel.cannot_read",
            &[("file", &name), ("reason", "")],
        ),
    ];
    for _ in 0..500 {
        h.step();
        if done
            .iter()
            .any(|d| h.query_all_by_label_contains(d).next().is_some())
        {
            h.run_steps(3);
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the dropped file was not read");
}

#[test]
fn a_dropped_result_names_the_first_blocker_and_marks_the_checklist() {
    let t = tempfile::tempdir().unwrap();
    let lang = Lang::Nl;
    let mut h = started_on_empty_home(t.path(), lang, 9000.0);
    let file = fixture("two-blockers.json");
    drop_file(&mut h, &file, lang);
    // Dropping a result shows the Admin tab, with the first blocker in one sentence.
    let expected = audit::open(&file).unwrap();
    let headline = expected.headline(lang);
    assert!(
        headline.contains("AllowGuestsToAccessGroups = False"),
        "{headline}"
    );
    h.get_by_label(&headline);
    for l in &expected.layers {
        assert!(
            h.query_all_by_label(&l.title(lang)).count() >= 1,
            "{} is not listed",
            l.layer
        );
    }
    // Both blocking layers show their verdict; the fix of the first one can be copied.
    assert!(
        h.get_all_by_label(&tr(lang, "audit.verdict.blocks"))
            .count()
            >= 2
    );
    h.get_by_label(&expected.first_blocker().unwrap().fix);

    // The Checklist marks the steps of both blocking layers.
    h.get_by_label(&tr(lang, "gui.tab.checklist")).click();
    h.run_steps(3);
    let mark = tr_args(
        lang,
        "audit.panel.checklist_mark",
        &[
            ("verdict", &tr(lang, "audit.verdict.blocks")),
            ("value", "AllowGuestsToAccessGroups = False"),
        ],
    );
    let badge = h.get_by_label(&mark).rect();
    let title = tr(lang, "admin.m365-groups-guests.title");
    let below = h.get_all_by_label(&title).any(|n| {
        let r = n.rect();
        r.top() >= badge.bottom() - 1.0 && r.top() - badge.bottom() < 30.0
    });
    assert!(below, "the badge is not on the Microsoft 365 Groups step");
    let label_mark = tr_args(
        lang,
        "audit.panel.checklist_mark",
        &[
            ("verdict", &tr(lang, "audit.verdict.blocks")),
            (
                "value",
                "Label = Confidential; AllowAccessToGuestUsers = False",
            ),
        ],
    );
    h.get_by_label(&label_mark);

    // The report carries the verdicts; the tenant id and the guest are hidden by default.
    h.get_by_label(&tr(lang, "gui.tab.report")).click();
    h.run_steps(3);
    let text = h
        .get_by_label(&tr(lang, "gui.report.preview"))
        .value()
        .unwrap();
    assert!(text.contains(&tr(lang, "audit.title")), "{text}");
    assert!(text.contains(&headline), "{text}");
    assert!(
        !text.contains("6f1c2b7a-3d4e-4f50-9a8b-1c2d3e4f5a6b"),
        "{text}"
    );
    assert!(!text.contains("jan.devries"), "{text}");
    assert!(!text.contains("admin@contoso"), "{text}");
    h.get_by_label(&tr(lang, "gui.report.redact")).click();
    h.run_steps(3);
    let text = h
        .get_by_label(&tr(lang, "gui.report.preview"))
        .value()
        .unwrap();
    assert!(
        text.contains("6f1c2b7a-3d4e-4f50-9a8b-1c2d3e4f5a6b"),
        "{text}"
    );
}

#[test]
fn a_file_it_cannot_use_is_named_with_the_reason() {
    let t = tempfile::tempdir().unwrap();
    let bad = t.path().join("notes.json");
    std::fs::write(&bad, "these are my notes").unwrap();
    let lang = Lang::En;
    let mut h = started_on_empty_home(&t.path().join("app"), lang, 4000.0);
    drop_file(&mut h, &bad, lang);
    h.get_all_by_label_contains("it is not JSON")
        .next()
        .expect("the reason is shown");
    // The window still works: the audit section is there without a result.
    h.get_by_label(&tr(lang, "audit.panel.open"));
    assert!(h.query_by_label(&tr(lang, "audit.panel.close")).is_none());
}

#[test]
fn the_script_for_a_guest_is_checked_and_shown() {
    let t = tempfile::tempdir().unwrap();
    let lang = Lang::En;
    let mut h = started_on_empty_home(t.path(), lang, 4000.0);
    h.get_by_label(&tr(lang, "gui.tab.admin")).click();
    h.run_steps(3);
    let guest = tr(lang, "audit.panel.guest");
    h.get_by_label(&guest).focus();
    h.run_steps(1);
    h.get_by_label(&guest).type_text("jan fabrikam");
    h.run_steps(2);
    // Not an address: said so, and the script cannot be copied.
    h.get_by_label(&tr_args(
        lang,
        "audit.input.bad_guest",
        &[("value", "jan fabrikam")],
    ));
    assert!(
        h.get_by_label(&tr(lang, "audit.panel.copy_script"))
            .accesskit_node()
            .is_disabled()
    );

    let t = tempfile::tempdir().unwrap();
    let mut h = started_on_empty_home(t.path(), lang, 4000.0);
    h.get_by_label(&tr(lang, "gui.tab.admin")).click();
    h.run_steps(3);
    h.get_by_label(&guest).focus();
    h.run_steps(1);
    h.get_by_label(&guest).type_text("jan@fabrikam.com");
    h.run_steps(2);
    assert!(
        !h.get_by_label(&tr(lang, "audit.panel.copy_script"))
            .accesskit_node()
            .is_disabled()
    );
    h.get_by_label(&tr(lang, "audit.panel.show_script")).click();
    h.run_steps(3);
    let shown = h
        .query_all_by(|n| {
            n.value()
                .is_some_and(|v| v.contains("[string]$Guest = 'jan@fabrikam.com'"))
        })
        .count();
    assert!(shown > 0, "the script for the guest is shown");
}

/// Enter in a one-line field keeps the keyboard there (egui lets the focus go, and the next Tab
/// started again at the top of the window): Tab then goes on to the next field.
#[test]
fn enter_in_a_field_keeps_the_keyboard_there() {
    use eframe::egui::{Key, Modifiers};
    let t = tempfile::tempdir().unwrap();
    let lang = Lang::Nl;
    let mut h = started_on_empty_home(t.path(), lang, 4000.0);
    h.get_by_label(&tr(lang, "gui.tab.admin")).click();
    h.run_steps(3);
    let guest = tr(lang, "audit.panel.guest");
    gui_support::tab_to(&mut h, &guest, false);
    h.get_by_label(&guest).type_text("jan@fabrikam.com");
    h.run_steps(2);
    gui_support::press(&mut h, Modifiers::NONE, Key::Enter);
    assert_eq!(gui_support::focused_name(&h), Some(guest));
    gui_support::press(&mut h, Modifiers::NONE, Key::Tab);
    assert_eq!(
        gui_support::focused_name(&h),
        Some(tr(lang, "audit.panel.team"))
    );
}

/// The status bar follows a language switch: a message shown in Dutch is shown in English after
/// the switch (it stayed in Dutch until the next job).
#[test]
fn the_status_bar_follows_a_language_switch() {
    let t = tempfile::tempdir().unwrap();
    let mut h = started_on_empty_home(t.path(), Lang::Nl, 4000.0);
    h.get_by_label(&tr(Lang::Nl, "gui.tab.admin")).click();
    h.run_steps(3);
    h.get_by_label(&tr(Lang::Nl, "audit.panel.copy_script"))
        .click();
    h.run_steps(3);
    let copied = |lang| tr(lang, "audit.panel.script_copied");
    assert!(h.query_by_label(&copied(Lang::Nl)).is_some());
    h.get_by_label(Lang::En.native_name()).click();
    h.run_steps(3);
    assert!(
        h.query_by_label(&copied(Lang::En)).is_some(),
        "the status bar did not follow the switch"
    );
    assert!(h.query_by_label(&copied(Lang::Nl)).is_none());
}
