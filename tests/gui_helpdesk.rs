//! The helpdesk parts of the app, driven headless (egui_kittest) on a fake home of real
//! folders: "Save support bundle" on the Report tab writes a real zip and says where it went;
//! a full reset from the Repair tab keeps a backup, and "Undo the last reset" puts it back.
#![cfg(feature = "gui")]

mod gui_support;

use egui_kittest::kittest::Queryable;
use gui_support::{app, env, process_lock, settle};
use std::io::Read;
use std::path::Path;
use teamsfix::common::i18n::{Lang, tr, tr_args};

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

fn zip_entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().unwrap().to_string(), bytes)
        })
        .collect()
}

#[test]
fn the_bundle_button_saves_a_zip_and_shows_where_it_went() {
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("home");
    let root = home.join(".config/teams-for-linux");
    write(&root.join("Cache/data_0"), b"cache");
    write(
        &root.join("logs/main.log"),
        format!("started in {}\n", home.display()).as_bytes(),
    );
    write(
        &home.join("Downloads/PROD-WebLogs-1.zip"),
        b"PK\x03\x04\0\0weblogs",
    );
    let data = t.path().join("data");
    for lang in [Lang::En, Lang::Nl] {
        let mut h = app(env(&home, &data, lang), 2400.0);
        settle(&mut h);
        h.get_by_label(&tr(lang, "gui.tab.report")).click();
        h.run_steps(3);
        h.get_by_label(&tr(lang, "helpdesk.gui.bundle.save"))
            .click();
        h.run_steps(2);
        settle(&mut h);
        // Where it went, with a way to open the folder.
        h.get_by_label(&tr(lang, "helpdesk.gui.bundle.done"));
        h.get_by_label(&tr(lang, "helpdesk.gui.bundle.open_folder"));
        h.get_by_label(&tr(lang, "helpdesk.gui.bundle.copy_path"));
        let folder = data.join("bundles");
        h.get_by_label(&folder.display().to_string());
        let zips: Vec<_> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        let zip = zips.iter().max().unwrap();
        h.get_by_label(&zip.file_name().unwrap().to_string_lossy());
        let entries = zip_entries(zip);
        let get = |name: &str| {
            entries
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_else(|| panic!("no {name} in {entries:?}"))
        };
        // The app's report, with the checklist, and personal details hidden (the tab's default).
        let report = get("teamsfix-report.txt");
        assert!(report.contains(&tr(lang, "report.checklist")), "{report}");
        assert!(!report.contains(&home.display().to_string()), "{report}");
        let log = get("logs/teams-for-linux-native/logs/main.log");
        assert_eq!(log, "started in ~\n");
        // Redacted: Teams' binary web logs are left out, and listed.
        assert!(!entries.iter().any(|(n, _)| n.contains("WebLogs")));
        assert!(get("contents.json").contains("not_text"));
    }
}

#[test]
fn a_full_reset_from_the_app_can_be_undone() {
    // The reset and the undo quit every teams-for-linux of this user.
    let _lock = process_lock();
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("home");
    let root = home.join(".config/teams-for-linux");
    let session = root.join("IndexedDB/https_teams.microsoft.com_0.indexeddb.leveldb/000003.log");
    write(&root.join("Cache/data_0"), b"cache");
    write(&session, b"signed in as the guest");
    write(&root.join("Preferences"), b"{\"p\":1}");
    write(&root.join("config.json"), b"{}");
    let data = t.path().join("data");
    let lang = Lang::En;
    let mut h = app(env(&home, &data, lang), 3000.0);
    settle(&mut h);
    h.get_by_label(&tr(lang, "gui.tab.repair")).click();
    h.run_steps(2);
    h.get_by_label(&tr(lang, "mode.full.name")).click();
    h.run_steps(2);
    h.get_by_label(&tr(lang, "gui.repair.preview")).click();
    settle(&mut h);
    // The backup is offered, and on.
    let keep_label = tr(lang, "helpdesk.gui.undo.keep_backup");
    let keep = format!("{:?}", h.get_by_label(&keep_label));
    assert!(keep.contains("toggled: True"), "{keep}");
    let confirm = tr_args(
        lang,
        "gui.repair.confirm",
        &[("mode", &tr(lang, "mode.full.name"))],
    );
    h.get_by_label(&confirm).click();
    settle(&mut h);
    assert!(!session.exists(), "the full reset removed the sign-in");
    assert!(root.join("config.json").exists());

    // Undo: asked first, then done.
    h.get_by_label(&tr(lang, "helpdesk.gui.undo.heading"));
    h.get_by_label(&tr(lang, "helpdesk.gui.undo.button"))
        .click();
    h.run_steps(2);
    h.get_by_label(&tr(lang, "helpdesk.gui.undo.confirm_text"));
    h.get_by_label(&tr(lang, "helpdesk.gui.undo.confirm"))
        .click();
    h.run_steps(2);
    settle(&mut h);
    h.get_by_label(&tr(lang, "helpdesk.gui.undo.done"));
    assert_eq!(std::fs::read(&session).unwrap(), b"signed in as the guest");
    assert_eq!(
        std::fs::read(root.join("Preferences")).unwrap(),
        b"{\"p\":1}"
    );
    assert!(
        !root.join("Cache/data_0").exists(),
        "the cache is not part of the backup"
    );
    let log = teamsfix::report::journal::recent(&data, 10);
    assert!(
        log.iter()
            .any(|r| r.action == "restore" && r.result == "ok"),
        "{log:?}"
    );
}

/// "Open folder" and "Copy the path" after a bundle never do nothing: the copy says so, and
/// where no program can show a folder (a Linux without xdg-open, as on this test machine when
/// it has none) the status bar says so and names the folder.
#[test]
fn the_bundle_buttons_say_what_they_did() {
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("home");
    write(&home.join(".config/teams-for-linux/Cache/data_0"), b"cache");
    let data = t.path().join("data");
    let lang = Lang::Nl;
    let mut h = app(env(&home, &data, lang), 2400.0);
    settle(&mut h);
    h.get_by_label(&tr(lang, "gui.tab.report")).click();
    h.run_steps(3);
    h.get_by_label(&tr(lang, "helpdesk.gui.bundle.save"))
        .click();
    h.run_steps(2);
    settle(&mut h);
    h.get_by_label(&tr(lang, "helpdesk.gui.bundle.copy_path"))
        .click();
    h.run_steps(2);
    let notice = h.state().notice().cloned().unwrap();
    assert_eq!(
        notice.text(lang),
        tr(lang, "helpdesk.gui.bundle.path_copied")
    );
    let has_opener = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .any(|d| d.is_absolute() && d.join("xdg-open").is_file());
    if !has_opener {
        h.get_by_label(&tr(lang, "helpdesk.gui.bundle.open_folder"))
            .click();
        h.run_steps(2);
        let notice = h.state().notice().cloned().unwrap();
        assert_eq!(notice.level, teamsfix::gui::Level::Error);
        let folder = data.join("bundles").display().to_string();
        assert_eq!(
            notice.text(lang),
            tr_args(lang, "gui.no_file_manager", &[("path", &folder)])
        );
    }
}
