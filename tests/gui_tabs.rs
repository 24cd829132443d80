//! The Admin and Report tabs: every admin layer in order with its read-only check, the wrong
//! commands of older guides marked as wrong, and a report that hides the home folder.
#![cfg(feature = "gui")]

mod gui_support;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use gui_support::{app, env, settle};
use std::path::Path;
use teamsfix::common::i18n::{Lang, tr};
use teamsfix::gui::App;
use teamsfix::guide::admin_steps::{ADMIN_STEPS, CORRECTIONS};

fn harness(home: &Path, data: &Path, lang: Lang) -> Harness<'static, App> {
    let mut h = app(env(home, data, lang), 9000.0);
    settle(&mut h);
    h
}

#[test]
fn admin_tab_lists_every_layer_and_the_corrections() {
    let t = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(t.path().join("home")).unwrap();
    let lang = Lang::Nl;
    let mut h = harness(&t.path().join("home"), &t.path().join("data"), lang);
    h.get_by_label(&tr(lang, "gui.tab.admin")).click();
    h.run_steps(3);
    for (n, step) in ADMIN_STEPS.iter().enumerate() {
        h.get_by_label(&format!(
            "{}. {}",
            n + 1,
            tr(lang, &format!("admin.{}.title", step.id))
        ));
        assert!(
            h.get_all_by_label(step.check.run).count() >= 1,
            "{}",
            step.id
        );
    }
    for c in CORRECTIONS {
        // (The ADSync command is both a real fix for hybrid sync and a wrong fix for guests.)
        assert!(h.get_all_by_label(c.wrong).count() >= 1, "{}", c.wrong);
        h.get_by_label(&tr(lang, &format!("admin.corrections.{}", c.id)));
    }
    // One Copy per check and per fix (each copies its connection with the command).
    let commands: usize = ADMIN_STEPS.iter().map(|s| s.commands().count()).sum();
    assert!(h.get_all_by_label(&tr(lang, "gui.copy")).count() >= commands);
}

#[test]
fn report_hides_the_home_folder_and_lists_the_checklist() {
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("home");
    std::fs::create_dir_all(home.join(".config/teams-for-linux/Cache")).unwrap();
    std::fs::write(home.join(".config/teams-for-linux/Cache/data_0"), b"x").unwrap();
    let lang = Lang::En;
    let mut h = harness(&home, &t.path().join("data"), lang);
    h.get_by_label(&tr(lang, "gui.tab.report")).click();
    h.run_steps(3);
    let text = h
        .get_by_label(&tr(lang, "gui.report.preview"))
        .value()
        .unwrap();
    assert!(text.contains("~/.config/teams-for-linux"), "{text}");
    assert!(!text.contains(&home.display().to_string()), "{text}");
    assert!(text.contains(&tr(lang, "report.checklist")), "{text}");
    // Unticking the box shows the real path.
    h.get_by_label(&tr(lang, "gui.report.redact")).click();
    h.run_steps(3);
    let text = h
        .get_by_label(&tr(lang, "gui.report.preview"))
        .value()
        .unwrap();
    assert!(text.contains(&home.display().to_string()), "{text}");
}
