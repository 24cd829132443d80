//! The one-click repair on the first screen, driven with the keyboard only (Tab, Shift+Tab,
//! Enter, Space, Escape): a real Teams-like process is quit, the quick clean runs on a real
//! data root, Teams is started again, "Does Teams work now?" is asked and answered; "no" offers
//! the full reset, previewed (Escape closes the preview) and confirmed by key; "no" again leads
//! into the checklist at the step that matches. Every answer is in the journal.
#![cfg(feature = "gui")]

mod gui_support;

use eframe::egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use gui_support::FakeTeams;
use gui_support::{app, env, focused_name, press, settle, tab_to};
use std::path::{Path, PathBuf};
use teamsfix::common::i18n::{Lang, tr, tr_args};
use teamsfix::guide::checklist;
use teamsfix::report::journal;

const TFL: &str = ".config/teams-for-linux";
const SESSION: &str =
    "Partitions/teams-4-linux/IndexedDB/https_teams.microsoft.com_0.indexeddb.leveldb/000003.log";

/// A fake home in `dir` with a teams-for-linux data root holding every kind of data; returns
/// the home and the data root.
fn teams_for_linux(dir: &Path) -> (PathBuf, PathBuf) {
    let home = dir.join("home");
    let root = home.join(TFL);
    for (rel, bytes) in [
        ("Cache/Cache_Data/data_0", &[1u8; 4000][..]),
        ("GPUCache/data_1", &[2u8; 3000][..]),
        (SESSION, b"session"),
        ("config.json", b"{\"theme\":\"dark\"}"),
        ("logs/main.log", &[b'l'; 700][..]),
    ] {
        std::fs::create_dir_all(root.join(rel).parent().unwrap()).unwrap();
        std::fs::write(root.join(rel), bytes).unwrap();
    }
    (home, root)
}

/// The file names anywhere below `dir`.
fn walk_names(dir: &std::path::Path) -> Vec<String> {
    let mut names = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(e.path());
            } else {
                names.push(e.file_name().to_string_lossy().into_owned());
            }
        }
    }
    names
}

fn is_live(h: &egui_kittest::Harness<'_, teamsfix::gui::App>, text: &str) -> bool {
    h.get_all_by_label(text)
        .any(|n| n.accesskit_node().data().live().is_some())
}

#[test]
fn one_click_repair_and_full_reset_with_the_keyboard_only() {
    // The repair quits every teams-for-linux of this user: not while another test runs one.
    let _lock = gui_support::process_lock();
    let t = tempfile::tempdir().unwrap();
    let (home, root) = teams_for_linux(t.path());
    let mut teams = FakeTeams::start(t.path(), "teams-for-linux");
    let data = t.path().join("data");
    let lang = Lang::Nl;
    let mut h = app(env(&home, &data, lang), 720.0);
    settle(&mut h);

    // The first screen starts with the button, and says what it keeps.
    h.get_by_label(&tr(lang, "gui.one_click.what"));
    tab_to(&mut h, &tr(lang, "gui.one_click.button"), false);
    press(&mut h, Modifiers::NONE, Key::Enter);
    settle(&mut h);

    // Teams was quit, the temporary cache is gone, the sign-in, settings and logs stay.
    assert!(teams.has_exited(), "Teams was not quit");
    assert!(!root.join("Cache/Cache_Data/data_0").exists());
    assert!(!root.join("GPUCache/data_1").exists());
    assert!(root.join("config.json").exists());
    assert!(root.join("logs/main.log").exists());
    assert!(root.join(SESSION).exists());
    // Started again (the program that ran before), and the question is announced. (When not,
    // the journal says why: this failed once under heavy load and could not be repeated.)
    let started = tr_args(
        lang,
        "gui.one_click.result.started",
        &[("client", "Teams for Linux")],
    );
    if h.query_by_label(&started).is_none() {
        let log = teamsfix::report::journal::recent(&data, 20);
        panic!(
            "not started again; journal: {:?}",
            log.iter()
                .map(|r| (&r.action, &r.result, &r.summary))
                .collect::<Vec<_>>()
        );
    }
    let ask = tr(lang, "gui.one_click.ask");
    assert!(is_live(&h, &ask), "the question is not a live region");
    // The focus waits on the first answer; Tab goes on to "no", Space presses it.
    assert_eq!(focused_name(&h), Some(tr(lang, "gui.one_click.yes")));
    press(&mut h, Modifiers::NONE, Key::Tab);
    assert_eq!(focused_name(&h), Some(tr(lang, "gui.one_click.no")));
    press(&mut h, Modifiers::NONE, Key::Space);

    // The full reset is offered; first its preview.
    h.get_by_label(&tr(lang, "gui.one_click.offer_full"));
    assert_eq!(focused_name(&h), Some(tr(lang, "gui.one_click.show_full")));
    press(&mut h, Modifiers::NONE, Key::Enter);
    settle(&mut h);
    h.get_by_label(&tr(lang, "gui.one_click.preview_heading"));
    // The safe choice has the focus; Escape closes the preview and gives the focus back.
    assert_eq!(focused_name(&h), Some(tr(lang, "gui.repair.not_now")));
    press(&mut h, Modifiers::NONE, Key::Escape);
    assert!(
        h.query_by_label(&tr(lang, "gui.one_click.preview_heading"))
            .is_none()
    );
    assert_eq!(focused_name(&h), Some(tr(lang, "gui.one_click.show_full")));
    assert!(root.join("config.json").exists());

    // Again, and this time confirmed: Shift+Tab from "Not now" to the confirm button.
    press(&mut h, Modifiers::NONE, Key::Enter);
    settle(&mut h);
    let confirm = tr(lang, "gui.one_click.confirm_full");
    // The preview offers to keep a backup first (ticked).
    h.get_by_label(&tr(lang, "helpdesk.gui.undo.keep_backup"));
    tab_to(&mut h, &confirm, true);
    // The confirm button is in the window, not below its lower edge.
    let rect = h.get_by_label(&confirm).rect();
    assert!(rect.bottom() <= 720.0 && rect.top() >= 0.0, "{rect:?}");
    press(&mut h, Modifiers::NONE, Key::Enter);
    settle(&mut h);

    // The full reset removed the sign-in too, kept the settings, and saved the logs first.
    assert!(!root.join(SESSION).exists());
    assert!(root.join("config.json").exists());
    let archived = walk_names(&data.join("archives"));
    assert!(archived.iter().any(|n| n == "main.log"), "{archived:?}");
    // A backup of the sign-in was kept first (ticked by default in the preview), and its undo
    // is offered right below the question.
    let backups = teamsfix::cache::backup::backups_folder(&data);
    assert_eq!(teamsfix::repair::restore::list(&backups, None).len(), 1);
    h.get_by_label(&tr(lang, "helpdesk.gui.undo.button"));
    assert_eq!(focused_name(&h), Some(tr(lang, "gui.one_click.yes")));
    tab_to(&mut h, &tr(lang, "gui.one_click.no"), false);
    press(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(3);

    // Led into the checklist: the quit and both clears are done, the version is unknown (not
    // outdated), so the next open step is the guest's account.
    let step = checklist::step("right-account").unwrap();
    let title = tr(lang, &step.title_key());
    h.get_by_label(&tr_args(
        lang,
        "gui.one_click.checklist",
        &[("step", &title)],
    ));
    let badge = h
        .get_by_label(&tr(lang, "gui.one_click.continue_here"))
        .rect();
    assert!(
        badge.top() >= 0.0 && badge.bottom() <= 720.0,
        "step not in view: {badge:?}"
    );
    // The keyboard focus went to the step's own action.
    assert_eq!(focused_name(&h), Some(tr(lang, "gui.checklist.open_page")));

    // Every answer and action is in the journal.
    let log = journal::recent(&data, 20);
    let actions: Vec<(&str, &str)> = log
        .iter()
        .map(|r| (r.action.as_str(), r.result.as_str()))
        .collect();
    for expected in [
        ("quit", "ok"),
        ("clear", "ok"),
        ("restart", "ok"),
        ("teams_works", "not_working"),
    ] {
        assert!(
            actions.contains(&expected),
            "{expected:?} missing: {actions:?}"
        );
    }
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == ("teams_works", "not_working"))
            .count(),
        2
    );
}

#[test]
fn yes_ends_it_and_is_journaled() {
    let _lock = gui_support::process_lock();
    let t = tempfile::tempdir().unwrap();
    let (home, _) = teams_for_linux(t.path());
    let data = t.path().join("data");
    let lang = Lang::En;
    let mut h = app(env(&home, &data, lang), 720.0);
    settle(&mut h);
    tab_to(&mut h, &tr(lang, "gui.one_click.button"), false);
    press(&mut h, Modifiers::NONE, Key::Space);
    settle(&mut h);
    // Teams did not run, and teams-for-linux cannot be found to start here: the result says
    // so and offers "Start Teams" right there.
    h.get_by_label(&tr(lang, "gui.one_click.ask"));
    h.get_by_label(&tr(lang, "gui.repair.restart"));
    press(&mut h, Modifiers::NONE, Key::Enter);
    h.get_by_label(&tr(lang, "gui.one_click.fixed"));
    let log = journal::recent(&data, 20);
    let last = log.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.result.as_str()),
        ("teams_works", "works")
    );
    assert!(
        last.summary.contains(&tr(lang, "mode.safe.name")),
        "{last:?}"
    );
    // The checklist's first steps are marked done by the repair.
    assert_eq!(
        h.state().clients().map(|c| c.len()),
        Some(1),
        "the data root is still there"
    );
}

#[test]
fn the_button_says_why_when_there_is_nothing_to_repair() {
    // A running teams-for-linux with --user-data-dir (another test's) would be found too.
    let _lock = gui_support::process_lock();
    let t = tempfile::tempdir().unwrap();
    let lang = Lang::Nl;
    let h = gui_support::started_on_empty_home(t.path(), lang, 720.0);
    let name = tr(lang, "gui.one_click.button_none");
    let button = h.get_by_label(&name);
    assert!(button.accesskit_node().is_disabled());
    assert_eq!(
        button.accesskit_node().description().as_deref(),
        Some(tr(lang, "gui.repair.none_what").as_str())
    );
    h.get_by_label(&tr(lang, "gui.repair.none_what"));
    assert!(
        h.query_by_label(&tr(lang, "gui.one_click.button"))
            .is_none()
    );
}

#[test]
fn the_button_says_why_when_the_data_root_is_refused() {
    // A running teams-for-linux with --user-data-dir (another test's) would be found too.
    let _lock = gui_support::process_lock();
    // A data root that is a link to somewhere else is never touched.
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("home");
    let elsewhere = t.path().join("elsewhere/teams-data");
    std::fs::create_dir_all(elsewhere.join("Cache")).unwrap();
    std::fs::create_dir_all(home.join(".config")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, home.join(TFL)).unwrap();
    let lang = Lang::En;
    let mut h = app(env(&home, &t.path().join("data"), lang), 720.0);
    settle(&mut h);
    let name = tr(lang, "gui.one_click.button_refused");
    let button = h.get_by_label(&name);
    assert!(button.accesskit_node().is_disabled());
    let why = button.accesskit_node().description().unwrap_or_default();
    assert!(
        why.starts_with("teamsfix leaves the Teams folder alone"),
        "{why}"
    );
    assert!(elsewhere.join("Cache").exists());
}

/// Cancel (by keyboard: the focus is on it once the repair runs) stops the clear at a safe
/// point: here while Teams is still being closed, so nothing is removed; Teams is started again.
#[test]
fn cancel_stops_the_repair_and_says_so() {
    let _lock = gui_support::process_lock();
    let t = tempfile::tempdir().unwrap();
    let (home, root) = teams_for_linux(t.path());
    // It ignores the polite request: closing it takes the quit's full timeout.
    let mut teams = FakeTeams::start_stubborn(t.path(), "teams-for-linux");
    let data = t.path().join("data");
    let lang = Lang::En;
    let mut h = app(env(&home, &data, lang), 720.0);
    settle(&mut h);
    tab_to(&mut h, &tr(lang, "gui.one_click.button"), false);
    press(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(3);
    let step = tr_args(
        lang,
        "gui.one_click.step_of",
        &[
            ("n", "1"),
            ("total", "3"),
            ("step", &tr(lang, "gui.one_click.step.quit")),
        ],
    );
    assert!(is_live(&h, &step), "the step is not announced");
    assert_eq!(focused_name(&h), Some(tr(lang, "gui.cancel")));
    press(&mut h, Modifiers::NONE, Key::Enter);
    settle(&mut h);
    assert!(teams.has_exited(), "Teams was not closed by force");
    h.get_by_label(&tr(lang, "gui.one_click.stopped"));
    h.get_by_label(&tr(lang, "gui.one_click.result.forced"));
    // Nothing was removed, and the button is offered again.
    assert!(root.join("Cache/Cache_Data/data_0").exists());
    h.get_by_label(&tr(lang, "gui.one_click.button"));
    let log = journal::recent(&data, 20);
    assert!(
        log.iter()
            .any(|r| r.action == "clear" && r.result == "cancelled"),
        "{log:?}"
    );
}

/// Two data roots, one of them refused (a link to another folder): the one-click repair
/// repairs the other, and says, before and after, that the refused one was left alone and why
/// (never silently skipped).
#[test]
fn a_refused_root_beside_a_good_one_is_named_not_skipped() {
    let _lock = gui_support::process_lock();
    let t = tempfile::tempdir().unwrap();
    let (home, root) = teams_for_linux(t.path());
    // The retired classic Teams for Linux, its folder a link to somewhere else.
    let elsewhere = t.path().join("elsewhere/classic");
    std::fs::create_dir_all(elsewhere.join("Cache")).unwrap();
    std::fs::write(elsewhere.join("Cache/data_0"), b"x").unwrap();
    std::fs::create_dir_all(home.join(".config/Microsoft")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, home.join(".config/Microsoft/Microsoft Teams")).unwrap();
    let lang = Lang::En;
    let mut h = app(env(&home, &t.path().join("data"), lang), 1400.0);
    settle(&mut h);
    let button = tr(lang, "gui.one_click.button");
    assert!(!h.get_by_label(&button).accesskit_node().is_disabled());
    let classic = "Microsoft Teams for Linux (retired)";
    let said = |h: &egui_kittest::Harness<'_, teamsfix::gui::App>| {
        h.root().children_recursive().any(|n| {
            let a = n.accesskit_node();
            a.value()
                .or(a.label())
                .is_some_and(|v| v.contains(classic) && v.contains("is a link"))
        })
    };
    assert!(
        said(&h),
        "the button does not say the classic client is left alone"
    );
    tab_to(&mut h, &button, false);
    press(&mut h, Modifiers::NONE, Key::Enter);
    settle(&mut h);
    assert!(!root.join("Cache/Cache_Data/data_0").exists());
    assert!(elsewhere.join("Cache/data_0").exists());
    h.get_by_label(&tr(lang, "gui.one_click.ask"));
    assert!(
        said(&h),
        "the result does not say the classic client was left alone"
    );
}

/// Several data roots at once (teams-for-linux native and its Flatpak): one press clears the
/// temporary files of both, keeps the rest of both, and the result names each.
#[test]
fn several_data_roots_are_all_repaired_and_named() {
    let _lock = gui_support::process_lock();
    let t = tempfile::tempdir().unwrap();
    let (home, native) = teams_for_linux(t.path());
    let flatpak =
        home.join(".var/app/com.github.IsmaelMartinez.teams_for_linux/config/teams-for-linux");
    for (rel, bytes) in [
        ("Cache/Cache_Data/data_0", &[1u8; 2000][..]),
        ("config.json", b"{}"),
    ] {
        std::fs::create_dir_all(flatpak.join(rel).parent().unwrap()).unwrap();
        std::fs::write(flatpak.join(rel), bytes).unwrap();
    }
    let lang = Lang::Nl;
    let mut h = app(env(&home, &t.path().join("data"), lang), 1400.0);
    settle(&mut h);
    tab_to(&mut h, &tr(lang, "gui.one_click.button"), false);
    press(&mut h, Modifiers::NONE, Key::Enter);
    settle(&mut h);
    for root in [&native, &flatpak] {
        assert!(!root.join("Cache/Cache_Data/data_0").exists(), "{root:?}");
        assert!(root.join("config.json").exists(), "{root:?}");
    }
    assert!(native.join(SESSION).exists());
    // One line per data root, each saying which.
    for which in ["native", "flatpak"] {
        let line = format!("Teams for Linux ({which}):");
        assert!(
            h.query_all_by_label_contains(&line).next().is_some(),
            "no result line for {line}"
        );
    }
    h.get_by_label(&tr(lang, "gui.one_click.ask"));
}

/// The quick clean worked, but Teams could not be started again (no teams-for-linux to start
/// here): the status bar says both in the warning colour, with "Note:" in front, never as a
/// failure of the repair; in both languages, and announced.
#[test]
fn a_clean_that_worked_but_no_restart_is_a_warning_that_says_both() {
    let _lock = gui_support::process_lock();
    for lang in [Lang::Nl, Lang::En] {
        let t = tempfile::tempdir().unwrap();
        let (home, root) = teams_for_linux(t.path());
        let mut h = app(env(&home, &t.path().join("data"), lang), 720.0);
        settle(&mut h);
        tab_to(&mut h, &tr(lang, "gui.one_click.button"), false);
        press(&mut h, Modifiers::NONE, Key::Enter);
        settle(&mut h);
        assert!(!root.join("Cache/Cache_Data/data_0").exists());
        let notice = h.state().notice().cloned().expect("no status message");
        assert_eq!(notice.level, teamsfix::gui::Level::Warning, "{notice:?}");
        let headline = tr_args(
            lang,
            "gui.one_click.result.cleaned_not_started",
            &[("client", "Teams for Linux")],
        );
        assert!(notice.text(lang).starts_with(&headline), "{notice:?}");
        // What was removed is said too.
        let removed = tr_args(
            lang,
            "gui.one_click.result.cleared_safe",
            &[("client", "Teams for Linux"), ("size", "")],
        );
        for part in removed.split("  ") {
            assert!(
                notice.text(lang).contains(part),
                "{notice:?} lacks {part:?}"
            );
        }
        // The start's failure is said once (the headline), not twice.
        let no_way = tr_args(lang, "restart.no_way", &[("client", "Teams for Linux")]);
        assert!(!notice.text(lang).contains(&no_way), "{notice:?}");
        // Shown with the warning's word in front, and announced.
        let shown = format!("{} {}", tr(lang, "gui.notice.warning"), notice.text(lang));
        assert!(is_live(&h, &shown), "the warning is not announced: {shown}");
        assert!(h.query_by_label(&tr(lang, "gui.notice.error")).is_none());
    }
}

/// A teams-for-linux started with `--user-data-dir=PATH` (its documented way to run a second
/// account), beside the usual data root that does not run: one press quits the instance, clears
/// both, and starts again what ran: that instance, with its own `--user-data-dir` (not the
/// usual root in its place). "No" offers the full reset for the same roots, the instance's too
/// (it no longer runs, so a new scan no longer finds it).
#[test]
fn an_instance_with_its_own_user_data_dir_is_repaired_and_started_as_it_ran() {
    let _lock = gui_support::process_lock();
    let t = tempfile::tempdir().unwrap();
    let (home, usual) = teams_for_linux(t.path());
    // The second account's folder, as teams-for-linux leaves it (a marker file, its cache).
    let work = home.join("teams-work");
    for (rel, bytes) in [
        ("Preferences", &b"{}"[..]),
        ("config.json", b"{\"appTitle\":\"Work\"}"),
        ("Cache/Cache_Data/f1", &[7u8; 900][..]),
        (SESSION, b"work session"),
    ] {
        std::fs::create_dir_all(work.join(rel).parent().unwrap()).unwrap();
        std::fs::write(work.join(rel), bytes).unwrap();
    }
    let mut instance = gui_support::FakeTeams::start_instance(t.path(), &work);
    let data = t.path().join("data");
    let lang = Lang::En;
    let mut h = app(env(&home, &data, lang), 1400.0);
    settle(&mut h);
    let labels: Vec<String> = h
        .state()
        .clients()
        .unwrap()
        .iter()
        .map(|c| c.inst.label())
        .collect();
    assert!(
        labels.contains(&"teams-for-linux-user-data-dir-teams-work".to_string()),
        "{labels:?}"
    );
    tab_to(&mut h, &tr(lang, "gui.one_click.button"), false);
    press(&mut h, Modifiers::NONE, Key::Enter);
    settle(&mut h);

    assert!(instance.has_exited(), "the instance was not quit");
    for root in [&usual, &work] {
        assert!(!root.join("Cache/Cache_Data").join("data_0").exists());
        assert!(root.join("config.json").exists(), "{root:?}");
        assert!(root.join(SESSION).exists(), "{root:?}");
    }
    assert!(!work.join("Cache/Cache_Data/f1").exists());
    // Started once: the instance that ran, with its own folder.
    let log = journal::recent(&data, 20);
    let starts: Vec<_> = log.iter().filter(|r| r.action == "restart").collect();
    assert_eq!(starts.len(), 1, "{starts:?}");
    assert_eq!(starts[0].result, "ok", "{starts:?}");
    assert_eq!(starts[0].client, "teams-for-linux-user-data-dir-teams-work");
    assert!(
        starts[0]
            .summary
            .ends_with(&format!("--user-data-dir={}", work.display())),
        "{starts:?}"
    );
    assert_eq!(
        h.state().notice().map(|n| n.level),
        Some(teamsfix::gui::Level::Ok)
    );

    // Not fixed: the full reset's preview covers both roots, the instance's too.
    tab_to(&mut h, &tr(lang, "gui.one_click.no"), false);
    press(&mut h, Modifiers::NONE, Key::Enter);
    h.run_steps(2);
    press(&mut h, Modifiers::NONE, Key::Enter);
    settle(&mut h);
    h.get_by_label(&tr(lang, "gui.one_click.preview_heading"));
    for name in [
        "Teams for Linux (native)",
        "Teams for Linux (user-data-dir-teams-work)",
    ] {
        assert!(
            h.query_by_label(name).is_some(),
            "the preview does not name {name}"
        );
    }
    assert!(work.join(SESSION).exists());
}
