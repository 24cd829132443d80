//! "Save as..." on the Report tab never fails in silence: on a system without a Save dialog
//! (a Linux desktop without an xdg desktop portal, like the machine the tests run on) the report
//! goes into teamsfix's reports folder and the window says where, with "Open the folder"; when
//! writing fails, it says why.
#![cfg(feature = "gui")]

mod gui_support;

use egui_kittest::kittest::Queryable;
use gui_support::{app, env, settle};
use teamsfix::common::i18n::{Lang, tr, tr_args};
use teamsfix::platform::app_folders::AppFolders;

#[test]
fn without_a_save_dialog_the_report_goes_to_the_reports_folder() {
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("home");
    let data = t.path().join("data");
    std::fs::create_dir_all(&home).unwrap();
    let lang = Lang::Nl;
    let mut h = app(env(&home, &data, lang), 1500.0);
    settle(&mut h);
    h.get_by_label(&tr(lang, "gui.tab.report")).click();
    h.run_steps(3);
    // Markdown, so the saved file's extension follows the format shown.
    h.get_by_label(&tr(lang, "gui.report.markdown")).click();
    h.run_steps(2);
    h.get_by_label(&tr(lang, "gui.report.save")).click();
    h.run_steps(3);

    let reports = AppFolders {
        data: data.clone(),
        portable: false,
    }
    .reports();
    let saved: Vec<_> = std::fs::read_dir(&reports)
        .expect("the reports folder was made")
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(saved.len(), 1, "{saved:?}");
    let file = &saved[0];
    assert!(
        file.to_string_lossy().ends_with("_teamsfix-report.md"),
        "{file:?}"
    );
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.starts_with('#'), "not Markdown: {text}");
    // Said where, next to the button (and announced), with a way to open the folder.
    let said = tr_args(
        lang,
        "gui.report.no_dialog",
        &[("path", &file.display().to_string())],
    );
    assert!(h.get_all_by_label(&said).count() >= 1);
    h.get_by_label(&tr(lang, "gui.report.open_folder"));
}

#[test]
fn a_failed_save_says_why() {
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("home");
    let data = t.path().join("data");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(&data).unwrap();
    // The reports folder cannot be made: a file is in its place.
    std::fs::write(data.join("reports"), b"in the way").unwrap();
    let lang = Lang::En;
    let mut h = app(env(&home, &data, lang), 1500.0);
    settle(&mut h);
    h.get_by_label(&tr(lang, "gui.tab.report")).click();
    h.run_steps(3);
    h.get_by_label(&tr(lang, "gui.report.save")).click();
    h.run_steps(3);
    let start = tr_args(
        lang,
        "cli.report.write_failed",
        &[("path", &data.join("reports").display().to_string())],
    );
    let start = start.split("%{reason}").next().unwrap().to_string();
    assert!(
        h.get_all_by_label_contains(&start).count() >= 1,
        "no message starting with {start:?}"
    );
    assert!(
        h.query_by_label(&tr(lang, "gui.report.open_folder"))
            .is_none()
    );
}
