//! The guide's content as the app shows it: every admin layer names its Microsoft pages, and the
//! MFA step opens the inviting organisation's security info only for a real domain.
#![cfg(feature = "gui")]

mod gui_support;

use eframe::egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use gui_support::started_on_empty_home;
use teamsfix::common::i18n::{Lang, tr};
use teamsfix::guide::admin_steps::{ADMIN_STEPS, DIAGNOSTICS_SOURCES, Section};

#[test]
fn the_admin_tab_names_every_source_in_both_languages() {
    for lang in Lang::ALL {
        let t = tempfile::tempdir().unwrap();
        let mut h = started_on_empty_home(t.path(), lang, 16000.0);
        h.get_by_label(&tr(lang, "gui.tab.admin")).click();
        h.run_steps(3);
        for section in Section::ALL {
            h.get_by_label(&tr(lang, section.key()));
        }
        for url in ADMIN_STEPS
            .iter()
            .flat_map(|s| s.sources.iter())
            .chain(DIAGNOSTICS_SOURCES)
        {
            assert!(h.get_all_by_label(url).count() >= 1, "{url} not shown");
        }
        // Every fix names the connection it needs, above the command.
        for step in ADMIN_STEPS {
            for cmd in step.commands() {
                assert!(h.get_all_by_label(cmd.connect).count() >= 1, "{}", step.id);
            }
        }
    }
}

#[test]
fn the_mfa_step_needs_the_inviting_organisations_domain() {
    let lang = Lang::Nl;
    let t = tempfile::tempdir().unwrap();
    let mut h = started_on_empty_home(t.path(), lang, 16000.0);
    let open = tr(lang, "gui.checklist.open_page");
    let disabled = |h: &egui_kittest::Harness<'_, teamsfix::gui::App>| {
        h.get_all_by_label(&open)
            .filter(|n| n.accesskit_node().is_disabled())
            .count()
    };
    // Without a domain, the MFA step's button is the only disabled "open the page" button.
    assert_eq!(disabled(&h), 1);
    let field = format!("{}:", tr(lang, "diagnose.org_domain"));
    h.get_by_role_and_label(Role::TextInput, &field).focus();
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, &field)
        .type_text("https://contoso.com/x");
    h.run_steps(3);
    assert_eq!(disabled(&h), 1, "a URL is not a domain");
    let t2 = tempfile::tempdir().unwrap();
    let mut h = started_on_empty_home(t2.path(), lang, 16000.0);
    h.get_by_role_and_label(Role::TextInput, &field).focus();
    h.run_steps(1);
    h.get_by_role_and_label(Role::TextInput, &field)
        .type_text("contoso.com");
    h.run_steps(3);
    assert_eq!(disabled(&h), 0);
}
