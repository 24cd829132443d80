//! "Open audit result..." on the Admin tab: the file dialog never blocks the window (it is
//! waited for on a helper thread, the answer comes by channel), it offers every file besides
//! JSON, and where no dialog can be shown the app says so and takes a typed path instead,
//! by keyboard. The dialog here is the test's own: it answers only when the test says so.
#![cfg(feature = "gui")]

mod gui_support;

use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use gui_support::{CTRL, audit_fixture, env, focused_name, press, settle};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use teamsfix::common::i18n::{Lang, tr};
use teamsfix::gui::{App, DialogFn, DialogRequest};
use teamsfix::guide::audit;

/// A dialog that sends each request to the test and answers what the test sends back.
fn test_dialog() -> (DialogFn, Receiver<DialogRequest>, Sender<Option<PathBuf>>) {
    let (req_tx, req_rx) = channel();
    let (ans_tx, ans_rx) = channel::<Option<PathBuf>>();
    let req_tx = Mutex::new(req_tx);
    let ans_rx = Mutex::new(ans_rx);
    let f = DialogFn(Arc::new(move |r: DialogRequest| {
        req_tx.lock().unwrap().send(r).unwrap();
        Some(ans_rx.lock().unwrap().recv().ok().flatten())
    }));
    (f, req_rx, ans_tx)
}

fn started(
    dir: &std::path::Path,
    lang: Lang,
    dialog: Option<DialogFn>,
) -> egui_kittest::Harness<'static, App> {
    std::fs::create_dir_all(dir.join("home")).unwrap();
    let mut e = env(&dir.join("home"), &dir.join("data"), lang);
    e.file_dialog = dialog.is_some();
    e.dialog = dialog;
    let mut h = gui_support::app(e, 1400.0);
    settle(&mut h);
    press(&mut h, CTRL, Key::Num3);
    h
}

/// Steps until `what` is true (the reader runs on a thread).
fn step_until(
    h: &mut egui_kittest::Harness<'static, App>,
    what: impl Fn(&egui_kittest::Harness<'static, App>) -> bool,
) {
    for _ in 0..1000 {
        h.step();
        if what(h) {
            h.run_steps(2);
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("never happened");
}

#[test]
fn the_open_dialog_does_not_block_the_window_and_offers_every_file() {
    for lang in Lang::ALL {
        let t = tempfile::tempdir().unwrap();
        let (dialog, requests, answer) = test_dialog();
        let mut h = started(t.path(), lang, Some(dialog));
        let open = tr(lang, "audit.panel.open");
        h.get_by_label(&open).click();
        h.run_steps(2);
        let request = requests
            .recv_timeout(std::time::Duration::from_secs(30))
            .expect("no dialog was opened");
        assert!(!request.save);
        assert_eq!(request.title, open);
        if !cfg!(target_os = "macos") {
            assert_eq!(
                request.filters,
                vec![
                    (
                        tr(lang, "audit.panel.filter_json"),
                        vec!["json".to_string()]
                    ),
                    (tr(lang, "audit.panel.filter_all"), vec!["*".to_string()]),
                ]
            );
        }
        // The dialog is open and has not answered: the window keeps drawing (these frames
        // would never come if the dialog ran on the window's thread), says where to look,
        // and offers no second dialog.
        h.run_steps(5);
        h.get_by_label(&tr(lang, "audit.panel.dialog_open"));
        assert!(h.get_by_label(&open).accesskit_node().is_disabled());
        // Ctrl+1 still switches tabs meanwhile.
        press(&mut h, CTRL, Key::Num1);
        assert_eq!(focused_name(&h), Some(tr(lang, "gui.tab.checklist")));
        press(&mut h, CTRL, Key::Num3);
        // A result chosen: it is read and its first blocker named.
        let file = audit_fixture("two-blockers.json");
        answer.send(Some(file.clone())).unwrap();
        let headline = audit::open(&file).unwrap().headline(lang);
        step_until(&mut h, |h| {
            h.query_all_by_label_contains(&headline).next().is_some()
        });
        assert!(!h.get_by_label(&open).accesskit_node().is_disabled());
        assert!(
            h.query_by_label(&tr(lang, "audit.panel.dialog_open"))
                .is_none()
        );
        // With a dialog at hand, the path field gives way to the result.
        assert!(h.query_by_label(&tr(lang, "audit.panel.path")).is_none());
    }
}

/// The dialog could not be shown (a Linux desktop
/// without an xdg desktop portal). Never silent: the app says so, the keyboard focus goes to
/// the path field, and a path typed there and Enter open the result.
#[test]
fn without_a_dialog_a_typed_path_opens_the_result() {
    for lang in Lang::ALL {
        let t = tempfile::tempdir().unwrap();
        let none = DialogFn(Arc::new(|_| None));
        let mut h = started(t.path(), lang, Some(none));
        h.get_by_label(&tr(lang, "audit.panel.open")).click();
        let said = tr(lang, "audit.panel.no_open_dialog");
        step_until(&mut h, |h| {
            h.query_all_by_label_contains(&said).next().is_some()
        });
        assert_eq!(focused_name(&h), Some(tr(lang, "audit.panel.path")));
        let file = audit_fixture("two-blockers.json");
        h.get_by_label(&tr(lang, "audit.panel.path"))
            .type_text(&file.display().to_string());
        h.run_steps(1);
        press(&mut h, Modifiers::NONE, Key::Enter);
        let headline = audit::open(&file).unwrap().headline(lang);
        step_until(&mut h, |h| {
            h.query_all_by_label_contains(&headline).next().is_some()
        });
    }
}

/// No dialog on this system at all (the environment knows it): the same, without trying.
#[test]
fn no_dialog_at_all_is_said_not_silent() {
    let t = tempfile::tempdir().unwrap();
    let lang = Lang::Nl;
    let mut h = started(t.path(), lang, None);
    h.get_by_label(&tr(lang, "audit.panel.open")).click();
    h.run_steps(3);
    h.get_by_label(&tr(lang, "audit.panel.no_open_dialog"));
    assert_eq!(focused_name(&h), Some(tr(lang, "audit.panel.path")));
    // A wrong path is named with the reason, and the field keeps it to correct.
    let gone = t.path().join("nergens.json");
    h.get_by_label(&tr(lang, "audit.panel.path"))
        .type_text(&gone.display().to_string());
    h.run_steps(1);
    h.get_by_label(&tr(lang, "audit.panel.open_path")).click();
    step_until(&mut h, |h| {
        h.query_all_by_label_contains("nergens.json").count() >= 2
    });
    assert_eq!(
        h.state().notice().map(|n| n.level),
        Some(teamsfix::gui::Level::Error)
    );
}

/// "Save script as...": the Save dialog does not block either; the script goes where it was
/// chosen. Without a dialog it goes into teamsfix's reports folder, and the status bar says
/// where (never nothing at all).
#[test]
fn the_script_is_saved_where_chosen_or_in_the_reports_folder() {
    let lang = Lang::En;
    let t = tempfile::tempdir().unwrap();
    let (dialog, requests, answer) = test_dialog();
    let mut h = started(t.path(), lang, Some(dialog));
    let save = tr(lang, "audit.panel.save_script");
    h.get_by_label(&save).click();
    h.run_steps(2);
    let request = requests
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("no dialog was opened");
    assert!(request.save);
    assert_eq!(request.file_name.as_deref(), Some("teamsfix-audit.ps1"));
    h.run_steps(3);
    let chosen = t.path().join("chosen.ps1");
    answer.send(Some(chosen.clone())).unwrap();
    step_until(&mut h, |_| chosen.exists());
    let text = std::fs::read(&chosen).unwrap();
    assert!(String::from_utf8_lossy(&text).contains("Get-"));
    assert_eq!(
        h.state().notice().map(|n| n.level),
        Some(teamsfix::gui::Level::Ok)
    );

    let t2 = tempfile::tempdir().unwrap();
    let mut h = started(t2.path(), lang, None);
    h.get_by_label(&save).click();
    h.run_steps(3);
    let saved = t2.path().join("data/reports/teamsfix-audit.ps1");
    assert!(saved.exists(), "not in the reports folder");
    let notice = h.state().notice().cloned().unwrap();
    assert!(
        notice.text(lang).contains(&saved.display().to_string()),
        "{notice:?}"
    );
}
