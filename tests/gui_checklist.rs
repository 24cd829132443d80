//! The checklist tab, driven through its accessibility tree (egui_kittest): diagnosing a pasted
//! message highlights the right steps, the language switch shows Dutch, and the checklist state
//! and language survive a new app instance. Real temporary folders, no mocks.
#![cfg(feature = "gui")]

mod gui_support;

use egui_kittest::kittest::Queryable;
use gui_support::{app, env, settle, started_on_empty_home};
use teamsfix::common::i18n::{Lang, tr, tr_args};
use teamsfix::gui::SavedState;
use teamsfix::guide::checklist;
use teamsfix::guide::error_catalogue;
use teamsfix::platform::app_folders::AppFolders;

#[test]
fn pasted_message_highlights_its_steps() {
    let t = tempfile::tempdir().unwrap();
    let mut h = started_on_empty_home(t.path(), Lang::En, 3000.0);

    let lang = Lang::En;
    h.get_by_label(&tr(lang, "gui.checklist.paste")).focus();
    h.run_steps(1);
    h.get_by_label(&tr(lang, "gui.checklist.paste")).type_text(
        "AADSTS50020: User account from identity provider live.com does not exist in tenant",
    );
    h.run_steps(2);
    h.get_by_label(&tr(lang, "gui.checklist.find")).click();
    h.run_steps(3);

    let error = error_catalogue::error("aadsts50020").unwrap();
    // The likely cause is shown.
    h.get_by_label(&tr(lang, "errors.aadsts50020.cause"));
    // Every step of the entry carries its rank badge, right above its own title.
    for (n, id) in error.steps.iter().enumerate() {
        let badge = h
            .get_by_label_contains(&tr_args(
                lang,
                "gui.checklist.recommended",
                &[("n", &(n + 1).to_string())],
            ))
            .rect();
        let title = tr(lang, &checklist::step(id).unwrap().title_key());
        let below = h.get_all_by_label(&title).any(|node| {
            let r = node.rect();
            r.top() >= badge.bottom() - 1.0 && r.top() - badge.bottom() < 30.0
        });
        assert!(below, "step {id} is not highlighted as number {}", n + 1);
    }
    // And no other step is.
    let extra = tr_args(
        lang,
        "gui.checklist.recommended",
        &[("n", &(error.steps.len() + 1).to_string())],
    );
    assert!(h.query_by_label_contains(&extra).is_none());
}

/// A code that is not in Microsoft's list (AADSTS650051) is shown with the entry it is an
/// alias of, and the window says so, as the CLI does; a listed code is not marked.
#[test]
fn a_pasted_unlisted_code_is_marked_as_not_in_microsofts_list() {
    let t = tempfile::tempdir().unwrap();
    let mut h = started_on_empty_home(t.path(), Lang::En, 3000.0);
    let lang = Lang::En;
    let paste = |h: &mut egui_kittest::Harness<'static, teamsfix::gui::App>, text: &str| {
        h.get_by_label(&tr(lang, "gui.checklist.paste")).focus();
        h.run_steps(1);
        h.get_by_label(&tr(lang, "gui.checklist.paste"))
            .type_text(text);
        h.run_steps(2);
        h.get_by_label(&tr(lang, "gui.checklist.find")).click();
        h.run_steps(3);
    };
    paste(&mut h, "AADSTS650051");
    let note = tr_args(
        lang,
        "diagnose.alias_code",
        &[("code", "650051"), ("canonical", "65005")],
    );
    h.get_by_label(&note);
    h.get_by_label(&tr(lang, "errors.aadsts65005.cause"));

    let t = tempfile::tempdir().unwrap();
    let mut h = started_on_empty_home(t.path(), Lang::En, 3000.0);
    paste(&mut h, "AADSTS65005");
    h.get_by_label(&tr(lang, "errors.aadsts65005.cause"));
    assert!(
        h.query_by_label_contains("is not in Microsoft's list")
            .is_none(),
        "a listed code is not marked"
    );
}

/// A code the catalogue does not know is named in the window with Microsoft's page for it and
/// what to do next, as the CLI does (the window used to say only "not in the catalogue"); a
/// pasted accented word before a number does not bring the app down.
#[test]
fn a_pasted_unknown_code_is_named_with_microsofts_page() {
    let t = tempfile::tempdir().unwrap();
    let mut h = started_on_empty_home(t.path(), Lang::En, 3000.0);
    let lang = Lang::En;
    h.get_by_label(&tr(lang, "gui.checklist.paste")).focus();
    h.run_steps(1);
    h.get_by_label(&tr(lang, "gui.checklist.paste"))
        .type_text("Foutcode: 700016 (aanmelden in het café één 5002)");
    h.run_steps(2);
    h.get_by_label(&tr(lang, "gui.checklist.find")).click();
    h.run_steps(3);
    let url = error_catalogue::lookup_url("700016");
    h.get_by_label(&tr_args(
        lang,
        "diagnose.unknown_code",
        &[("code", "700016"), ("url", &url)],
    ));
    h.get_by_label(&tr(lang, "diagnose.unknown_next"));
    assert!(h.query_by_label(&tr(lang, "diagnose.no_match")).is_none());
}

/// At the default window height the diagnosis appears below the window's edge: it is brought
/// into view (the user pressed the button and must see its answer).
#[test]
fn the_diagnosis_is_scrolled_into_view() {
    let t = tempfile::tempdir().unwrap();
    let height = 720.0;
    let mut h = started_on_empty_home(t.path(), Lang::Nl, height);
    let lang = Lang::Nl;
    h.get_by_label(&tr(lang, "gui.checklist.paste")).focus();
    h.run_steps(1);
    h.get_by_label(&tr(lang, "gui.checklist.paste"))
        .type_text("AADSTS50020");
    h.run_steps(2);
    h.get_by_label(&tr(lang, "gui.checklist.find")).click();
    h.run_steps(4);
    let cause = h.get_by_label(&tr(lang, "errors.aadsts50020.cause")).rect();
    assert!(
        cause.bottom() <= height && cause.top() >= 0.0,
        "the cause is out of sight: {cause:?} in a window {height} points high"
    );
}

#[test]
fn picking_a_known_message_shows_its_cause() {
    let t = tempfile::tempdir().unwrap();
    let mut h = started_on_empty_home(t.path(), Lang::En, 3000.0);
    h.get_by_label(&tr(Lang::En, "gui.checklist.pick")).click();
    h.run_steps(3);
    h.get_by_label(&tr(Lang::En, "errors.couldnt-add-member.title"))
        .click();
    h.run_steps(3);
    h.get_by_label(&tr(Lang::En, "errors.couldnt-add-member.cause"));
    h.get_by_label_contains(&tr_args(
        Lang::En,
        "gui.checklist.recommended",
        &[("n", "1")],
    ));
}

#[test]
fn language_switch_shows_dutch_and_is_remembered() {
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("home");
    let data = t.path().join("data");
    std::fs::create_dir_all(&home).unwrap();
    let mut h = app(env(&home, &data, Lang::En), 3000.0);
    settle(&mut h);
    h.get_by_label(&tr(Lang::En, "gui.tab.repair"));
    h.get_by_label("Nederlands").click();
    h.run_steps(3);
    assert_eq!(h.state().lang(), Lang::Nl);
    h.get_by_label("Herstellen");
    h.get_by_label("Controlelijst");
    h.get_by_label("Wat zie je?");
    assert!(h.query_by_label("Repair").is_none());
    drop(h);

    // A new instance (same data folder, English system) opens in Dutch.
    let mut h = app(env(&home, &data, Lang::En), 3000.0);
    settle(&mut h);
    assert_eq!(h.state().lang(), Lang::Nl);
    h.get_by_label("Beheerstappen");
}

#[test]
fn step_status_survives_a_new_instance() {
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("home");
    let data = t.path().join("data");
    std::fs::create_dir_all(&home).unwrap();
    let lang = Lang::En;
    let mut h = app(env(&home, &data, lang), 3000.0);
    settle(&mut h);
    let total = checklist::CHECKLIST.len().to_string();
    h.get_by_label_contains(&tr_args(
        lang,
        "gui.checklist.progress",
        &[("done", "0"), ("total", &total)],
    ));
    // The status buttons come in checklist order: the first "Done" belongs to the first step,
    // the first "Not applicable" too; mark the first step done and the second not applicable.
    h.get_all_by_label(&tr(lang, "status.done"))
        .next()
        .unwrap()
        .click();
    h.run_steps(2);
    h.get_all_by_label(&tr(lang, "status.not_applicable"))
        .nth(1)
        .unwrap()
        .click();
    h.run_steps(2);
    h.get_by_label_contains(&tr_args(
        lang,
        "gui.checklist.progress",
        &[("done", "2"), ("total", &total)],
    ));
    drop(h);

    let saved = SavedState::load(
        &AppFolders {
            data: data.clone(),
            portable: false,
        }
        .state_file(),
    );
    assert_eq!(
        saved.status(checklist::CHECKLIST[0].id),
        checklist::StepStatus::Done
    );
    assert_eq!(
        saved.status(checklist::CHECKLIST[1].id),
        checklist::StepStatus::NotApplicable
    );

    let mut h = app(env(&home, &data, lang), 3000.0);
    settle(&mut h);
    h.get_by_label_contains(&tr_args(
        lang,
        "gui.checklist.progress",
        &[("done", "2"), ("total", &total)],
    ));
}
