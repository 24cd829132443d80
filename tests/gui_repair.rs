//! The Repair tab on a fake home made of real folders: a teams-for-linux data root is found,
//! previewed and cleared with the quick clean; the temporary cache really goes, the user's data
//! and the sign-in stay, and the action is logged.
#![cfg(feature = "gui")]

mod gui_support;

use egui_kittest::kittest::Queryable;
use gui_support::{app, env, process_lock, settle};
use std::path::Path;
use teamsfix::common::i18n::{Lang, tr, tr_args};

fn write(path: &Path, bytes: usize) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, vec![b'x'; bytes]).unwrap();
}

#[test]
fn quick_clean_clears_the_cache_and_keeps_the_users_data() {
    // The clear quits every teams-for-linux of this user: not while another test runs one.
    let _lock = process_lock();
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("home");
    let root = home.join(".config/teams-for-linux");
    write(&root.join("Cache/Cache_Data/data_0"), 4000);
    write(&root.join("Cache/Cache_Data/f_000001"), 12000);
    write(&root.join("GPUCache/data_1"), 3000);
    write(
        &root.join("IndexedDB/https_teams.microsoft.com_0.indexeddb.leveldb/000003.log"),
        500,
    );
    write(&root.join("config.json"), 50);
    write(&root.join("logs/main.log"), 700);
    let data = t.path().join("data");
    let mut h = app(env(&home, &data, Lang::En), 3000.0);
    settle(&mut h);
    assert_eq!(h.state().clients().unwrap().len(), 1);

    let lang = Lang::En;
    h.get_by_label(&tr(lang, "gui.tab.repair")).click();
    h.run_steps(2);
    h.get_by_label("Teams for Linux");
    // The safe mode is preselected; the preview comes before anything is removed.
    h.get_by_label(&tr(lang, "mode.safe.name"));
    h.get_by_label(&tr(lang, "gui.repair.preview")).click();
    settle(&mut h);
    h.get_by_label(&tr(lang, "gui.repair.preview_heading"));
    assert!(
        root.join("Cache/Cache_Data/data_0").exists(),
        "the preview must not remove anything"
    );
    let confirm = tr_args(
        lang,
        "gui.repair.confirm",
        &[("mode", &tr(lang, "mode.safe.name"))],
    );
    h.get_by_label(&confirm).click();
    settle(&mut h);

    // Cleared: the temporary cache is gone, the sign-in, settings and logs stay.
    assert!(!root.join("Cache/Cache_Data/data_0").exists());
    assert!(!root.join("GPUCache/data_1").exists());
    assert!(root.join("config.json").exists());
    assert!(
        root.join("IndexedDB/https_teams.microsoft.com_0.indexeddb.leveldb/000003.log")
            .exists()
    );
    assert!(root.join("logs/main.log").exists());
    h.get_by_label(&tr(lang, "gui.repair.done"));
    // The clear is logged, and the checklist step is marked done.
    let log = teamsfix::report::journal::recent(&data, 10);
    assert!(
        log.iter().any(|r| r.action == "clear" && r.result == "ok"),
        "{log:?}"
    );
    h.get_by_label(&tr(lang, "gui.tab.checklist")).click();
    h.run_steps(2);
    let total = teamsfix::guide::checklist::CHECKLIST.len().to_string();
    h.get_by_label_contains(&tr_args(
        lang,
        "gui.checklist.progress",
        &[("done", "2"), ("total", &total)],
    ));
}

#[test]
fn no_installation_says_what_to_do() {
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let mut h = app(env(&home, &t.path().join("data"), Lang::Nl), 1500.0);
    settle(&mut h);
    h.get_by_label("Herstellen").click();
    h.run_steps(2);
    h.get_by_label(&tr(Lang::Nl, "report.no_clients"));
    h.get_by_label(&tr(Lang::Nl, "gui.repair.none_what"));
}
