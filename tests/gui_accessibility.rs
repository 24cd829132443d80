//! What a screen reader and a person with large text get: the AccessKit tree of every tab, in
//! both languages, has a name on every control (in the language shown), progress and results
//! are live regions; and at 100, 150 and 200 % display scale, and with the app's own zoom at
//! the default window size, nothing is cut off at the window's edge and nothing overlaps.
#![cfg(feature = "gui")]

mod gui_support;

use eframe::egui::accessibility::is_input;
use eframe::egui::accesskit::{Action, Live, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use gui_support::{Dropped, FakeTeams, env, process_lock, settle};
use std::collections::BTreeMap;
use std::path::Path;
use teamsfix::common::i18n::{Lang, tr, tr_args};
use teamsfix::gui::{App, Tab};

type AkNode<'a> = egui_kittest::kittest::AccessKitNode<'a>;

/// A control a person acts on or is told the state of (static text, whose name is its text,
/// is not one).
fn is_control(node: &AkNode<'_>) -> bool {
    let data = node.data();
    !matches!(node.role(), Role::Label | Role::TextRun)
        && (is_input(node.role())
            || node.role() == Role::ProgressIndicator
            || data.supports_action(Action::Click)
            || data.supports_action(Action::Focus))
}

/// What a screen reader says for a node: its name, or for static text the text.
fn spoken(node: &AkNode<'_>) -> Option<String> {
    if matches!(node.role(), Role::Label | Role::TextRun) {
        node.value()
    } else {
        node.label()
    }
}

/// Every control of the window without an accessible name, described.
fn unnamed<S>(h: &Harness<'_, S>) -> Vec<String> {
    h.root()
        .children_recursive()
        .map(|n| n.accesskit_node())
        .filter(|n| is_control(n) && !n.is_hidden())
        .filter(|n| n.label().is_none_or(|l| l.trim().is_empty()))
        .map(|n| format!("{:?} at {:?}", n.role(), n.raw_bounds()))
        .collect()
}

/// The catalogue texts of one language, by dotted key (the YAML subset the catalogues use).
fn catalogue(lang: &str) -> BTreeMap<String, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if !path.to_string_lossy().ends_with(&format!(".{lang}.yml")) {
            continue;
        }
        let mut stack: Vec<(usize, String)> = Vec::new();
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = line.len() - trimmed.len();
            let Some((key, value)) = trimmed.split_once(':') else {
                continue;
            };
            while stack.last().is_some_and(|(i, _)| *i >= indent) {
                stack.pop();
            }
            let key = key.trim().trim_matches('"').to_string();
            let value = value.trim();
            if value.is_empty() {
                stack.push((indent, key));
            } else {
                let mut path: Vec<&str> = stack.iter().map(|(_, k)| k.as_str()).collect();
                path.push(&key);
                out.insert(path.join("."), value.trim_matches('"').to_string());
            }
        }
    }
    out
}

/// Names in the Dutch window that are English catalogue texts (with a different Dutch text).
fn english_in_dutch(h: &Harness<'_, App>) -> Vec<String> {
    let en = catalogue("en");
    let nl = catalogue("nl");
    let dutch: Vec<&String> = nl.values().collect();
    let english: Vec<&String> = en
        .iter()
        .filter(|(k, v)| nl.get(*k) != Some(v) && !v.contains("%{") && !dutch.contains(v))
        .map(|(_, v)| v)
        .collect();
    h.root()
        .children_recursive()
        .filter_map(|n| spoken(&n.accesskit_node()))
        .filter(|l| english.contains(&l))
        .collect()
}

fn fake_home(dir: &Path) {
    let root = dir.join("home/.config/teams-for-linux");
    for (rel, bytes) in [
        ("Cache/Cache_Data/data_0", 4000),
        ("GPUCache/data_1", 300),
        (
            "IndexedDB/https_teams.microsoft.com_0.indexeddb.leveldb/000003.log",
            50,
        ),
        ("config.json", 20),
        ("logs/main.log", 70),
    ] {
        std::fs::create_dir_all(root.join(rel).parent().unwrap()).unwrap();
        std::fs::write(root.join(rel), vec![b'x'; bytes]).unwrap();
    }
}

fn harness(dir: &Path, lang: Lang, size: [f32; 2], ppp: f32) -> Harness<'static, App> {
    let env = env(&dir.join("home"), &dir.join("data"), lang);
    // kittest's own name check is off: the walk below is stricter and says where.
    let mut h = Harness::builder()
        .with_size(size)
        .with_pixels_per_point(ppp)
        .with_accessibility_check(false)
        .build_eframe(move |_cc| App::new(env));
    settle(&mut h);
    h
}

fn show(h: &mut Harness<'_, App>, lang: Lang, tab: Tab) {
    h.get_by_label(&tr(lang, &tab.key())).click();
    h.run_steps(3);
}

/// Every tab, and the Repair tab with its preview open, in both languages.
#[test]
fn every_control_has_a_name_in_the_language_shown() {
    let t = tempfile::tempdir().unwrap();
    fake_home(t.path());
    for lang in Lang::ALL {
        let mut h = harness(t.path(), lang, [1000.0, 4000.0], 1.0);
        let mut problems = Vec::new();
        for tab in Tab::ALL {
            show(&mut h, lang, tab);
            if tab == Tab::Repair {
                h.get_by_label(&tr(lang, "gui.repair.preview")).click();
                settle(&mut h);
                h.get_by_label(&tr(lang, "gui.repair.preview_heading"));
            }
            let controls = h
                .root()
                .children_recursive()
                .filter(|n| is_control(&n.accesskit_node()))
                .count();
            assert!(controls > 10, "{tab:?} shows only {controls} controls");
            for u in unnamed(&h) {
                problems.push(format!("{lang:?} {tab:?}: no name: {u}"));
            }
            if lang == Lang::Nl {
                for e in english_in_dutch(&h) {
                    problems.push(format!("{tab:?}: English in the Dutch window: {e:?}"));
                }
            }
        }
        assert!(problems.is_empty(), "{problems:#?}");
    }
}

/// The status line is a live region: a screen reader says when a job starts, moves to another
/// phase and ends; results are live regions too.
#[test]
fn progress_and_results_are_announced() {
    let t = tempfile::tempdir().unwrap();
    fake_home(t.path());
    let lang = Lang::En;
    let mut h = harness(t.path(), lang, [1000.0, 3000.0], 1.0);
    let live = |h: &Harness<'_, App>, text: &str| {
        h.root().children_recursive().any(|n| {
            let n = n.accesskit_node();
            n.data().live() == Some(Live::Polite) && spoken(&n).is_some_and(|l| l.contains(text))
        })
    };
    assert!(
        live(&h, &tr(lang, "gui.ready")),
        "the status line is not live"
    );
    show(&mut h, lang, Tab::Repair);
    h.get_by_label(&tr(lang, "gui.repair.preview")).click();
    // The click is handled in the first frame, the job starts and shows in the second.
    h.step();
    h.step();
    assert!(
        live(&h, &tr(lang, "gui.job.preview")),
        "the job under way is not announced"
    );
    settle(&mut h);
}

/// The check above can fail: a control without a name is found.
#[test]
fn the_name_check_finds_a_control_without_a_name() {
    let mut text = String::new();
    let mut checked = false;
    let mut h = Harness::builder()
        .with_accessibility_check(false)
        // egui's own fonts are not built in (the exe's size budget): the app's fonts draw.
        .with_context_setup(teamsfix::gui::install_fonts)
        .build_ui(move |ui| {
            let _ = ui.button("Named");
            let _ = ui.add(eframe::egui::Button::new(""));
            ui.text_edit_singleline(&mut text);
            ui.checkbox(&mut checked, "");
        });
    h.run();
    let found = unnamed(&h);
    assert_eq!(found.len(), 3, "{found:#?}");
}

/// What is drawn on the screen as one piece: a line of text, or a control (a control's own
/// text is part of it).
fn units<'t>(pane: egui_kittest::Node<'t>) -> Vec<(String, eframe::egui::Rect)> {
    pane.children_recursive()
        .filter(|n| {
            let a = n.accesskit_node();
            let text_line =
                a.role() == Role::TextRun && a.parent().is_some_and(|p| p.role() == Role::Label);
            a.raw_bounds().is_some() && !a.is_hidden() && (text_line || is_control(&a))
        })
        .map(|n| {
            let a = n.accesskit_node();
            let name = spoken(&a).unwrap_or_default();
            (format!("{:?} {name:?}", a.role()), n.rect())
        })
        .collect()
}

/// Pieces cut off at the window's left or right edge, or on top of each other, in the part of
/// each pane that is on the screen (the central one scrolls between the top and status bars).
fn layout_problems(h: &Harness<'_, App>, [width, height]: [f32; 2]) -> Vec<String> {
    let panes: Vec<_> = h
        .root()
        .children_recursive()
        .filter(|n| n.accesskit_node().role() == Role::Pane)
        .collect();
    assert_eq!(panes.len(), 3, "top bar, status bar, content");
    let top = units(panes[0]);
    let bottom = units(panes[1]);
    let band_top = top.iter().map(|(_, r)| r.bottom()).fold(0.0, f32::max);
    let band_bottom = bottom.iter().map(|(_, r)| r.top()).fold(f32::MAX, f32::min);
    let mut problems = Vec::new();
    // The fixed bars leave the tab itself room: at least a third of the window.
    if band_bottom - band_top < height / 3.0 {
        problems.push(format!(
            "the tab has {:.0} of {height} points between the bars",
            band_bottom - band_top
        ));
    }
    for (pane, visible) in [
        (top, None),
        (bottom, None),
        (units(panes[2]), Some(band_top..=band_bottom)),
    ] {
        for (name, r) in &pane {
            if r.right() > width + 0.5 || r.left() < -0.5 {
                problems.push(format!("cut off at the edge ({width}): {name} {r:?}"));
            }
        }
        let shown: Vec<(String, eframe::egui::Rect)> = pane
            .into_iter()
            .filter_map(|(name, r)| match &visible {
                None => Some((name, r)),
                Some(band) => {
                    let top = r.top().max(*band.start());
                    let bottom = r.bottom().min(*band.end());
                    (bottom - top > 1.0).then(|| {
                        let mut r = r;
                        r.min.y = top;
                        r.max.y = bottom;
                        (name, r)
                    })
                }
            })
            .collect();
        for (i, (a, ra)) in shown.iter().enumerate() {
            for (b, rb) in &shown[i + 1..] {
                let overlap = ra.intersect(*rb);
                if overlap.width() > 1.0 && overlap.height() > 1.0 {
                    problems.push(format!("overlap: {a} {ra:?} and {b} {rb:?}"));
                }
            }
        }
    }
    problems
}

/// 100, 150 and 200 % display scale at the default window size (1000 x 720 points), and the
/// app's own zoom at 150 and 200 % in a default window of 1000 x 720 pixels (then 667 and 500
/// points wide), in both languages: nothing cut off, nothing on top of something else.
#[test]
fn nothing_cut_off_or_overlapping_at_any_scale() {
    let t = tempfile::tempdir().unwrap();
    fake_home(t.path());
    let mut problems = Vec::new();
    let cases: [(&str, f32, [f32; 2]); 7] = [
        ("100 %", 1.0, [1000.0, 720.0]),
        ("150 %", 1.5, [1000.0, 720.0]),
        ("200 %", 2.0, [1000.0, 720.0]),
        ("zoom 150 %", 1.5, [1000.0 / 1.5, 720.0 / 1.5]),
        ("zoom 200 %", 2.0, [500.0, 360.0]),
        // A window of 800 x 600 pixels (a small screen) at 150 and 200 %.
        ("800x600 150 %", 1.5, [800.0 / 1.5, 400.0]),
        ("800x600 200 %", 2.0, [400.0, 300.0]),
    ];
    for lang in Lang::ALL {
        for (case, ppp, size) in cases {
            let mut h = harness(t.path(), lang, size, ppp);
            for tab in Tab::ALL {
                show(&mut h, lang, tab);
                for p in layout_problems(&h, size) {
                    problems.push(format!("{lang:?} {case} {tab:?}: {p}"));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// What is wrong for a screen reader in the window's present state: controls without a name,
/// English names in the Dutch window, and (when given) a text that should be announced but
/// is not a live region.
fn state_problems(h: &Harness<'_, App>, lang: Lang, state: &str, live: &[&str]) -> Vec<String> {
    let mut problems: Vec<String> = unnamed(h)
        .into_iter()
        .map(|u| format!("{lang:?} {state}: no name: {u}"))
        .collect();
    if lang == Lang::Nl {
        for e in english_in_dutch(h) {
            problems.push(format!("{state}: English in the Dutch window: {e:?}"));
        }
    }
    for text in live {
        let announced = h.root().children_recursive().any(|n| {
            let n = n.accesskit_node();
            n.data().live() == Some(Live::Polite) && spoken(&n).is_some_and(|l| l.contains(text))
        });
        if !announced {
            problems.push(format!("{lang:?} {state}: not announced: {text:?}"));
        }
    }
    problems
}

/// Steps until `text` is shown (a job on the worker thread).
fn wait_for(h: &mut Harness<'_, App>, text: &str) {
    for _ in 0..2000 {
        h.step();
        if h.query_all_by_label_contains(text).next().is_some() {
            h.run_steps(3);
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("{text:?} never appeared");
}

/// Every state the window goes through, in both languages: the one-click repair running, its
/// question, the full reset offered, previewed and done, its undo asked for, the checklist it
/// leads to; the Repair tab after it; an audit result open; the support bundle failing and
/// saved. Each state: every control named in the language shown, no English in the Dutch
/// window, and what changed announced.
#[test]
fn every_state_is_named_and_announced_in_both_languages() {
    let _lock = process_lock();
    let mut problems = Vec::new();
    for lang in Lang::ALL {
        let t = tempfile::tempdir().unwrap();
        fake_home(t.path());
        // It ignores the polite request to quit: the repair runs long enough to be looked at.
        let _teams = FakeTeams::start_stubborn(t.path(), "teams-for-linux");
        let mut h = harness(t.path(), lang, [1000.0, 4000.0], 1.0);
        let mut check = |h: &Harness<'_, App>, state: &str, live: &[&str]| {
            problems.extend(state_problems(h, lang, state, live));
        };
        h.get_by_label(&tr(lang, "gui.one_click.button")).click();
        h.run_steps(3);
        let step = tr(lang, "gui.one_click.step.quit");
        check(&h, "one-click running", &[&step]);
        wait_for(&mut h, &tr(lang, "gui.one_click.ask"));
        settle(&mut h);
        check(
            &h,
            "one-click asking",
            &[
                &tr(lang, "gui.one_click.ask"),
                &tr(lang, "gui.one_click.result.forced"),
            ],
        );
        h.get_by_label(&tr(lang, "gui.one_click.no")).click();
        h.run_steps(3);
        check(
            &h,
            "full reset offered",
            &[&tr(lang, "gui.one_click.offer_full")],
        );
        h.get_by_label(&tr(lang, "gui.one_click.show_full")).click();
        h.run_steps(2);
        settle(&mut h);
        check(&h, "full reset preview", &[]);
        h.get_by_label(&tr(lang, "gui.one_click.confirm_full"))
            .click();
        h.run_steps(2);
        settle(&mut h);
        check(&h, "full reset done", &[&tr(lang, "gui.one_click.ask")]);
        h.get_by_label(&tr(lang, "helpdesk.gui.undo.button"))
            .click();
        h.run_steps(3);
        check(
            &h,
            "undo confirmation",
            &[&tr(lang, "helpdesk.gui.undo.confirm_text")],
        );
        h.get_by_label(&tr(lang, "gui.repair.not_now")).click();
        h.run_steps(2);
        h.get_by_label(&tr(lang, "gui.one_click.no")).click();
        h.run_steps(3);
        check(&h, "led into the checklist", &[]);

        show(&mut h, lang, Tab::Repair);
        check(&h, "Repair tab after the repair", &[]);

        show(&mut h, lang, Tab::Admin);
        let audit =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit/two-blockers.json");
        h.input_mut()
            .dropped_files
            .push(std::sync::Arc::new(Dropped(audit)));
        wait_for(&mut h, &tr(lang, "audit.panel.close"));
        let loaded = tr_args(lang, "audit.panel.loaded", &[("file", "two-blockers.json")]);
        check(&h, "audit result open", &[&loaded]);

        show(&mut h, lang, Tab::Report);
        // The bundles folder is a file: the bundle fails, and says so.
        let bundles = t.path().join("data/bundles");
        std::fs::write(&bundles, b"not a folder").unwrap();
        h.get_by_label(&tr(lang, "helpdesk.gui.bundle.save"))
            .click();
        h.run_steps(2);
        settle(&mut h);
        check(&h, "bundle failed", &[]);
        std::fs::remove_file(&bundles).unwrap();
        h.get_by_label(&tr(lang, "helpdesk.gui.bundle.save"))
            .click();
        h.run_steps(2);
        settle(&mut h);
        // The status line says where it went.
        let saved = tr_args(lang, "helpdesk.gui.bundle.saved", &[("path", "")]);
        check(&h, "bundle saved", &[&saved]);
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// A small window at 200 % after the one-click repair, whose result is long (Teams could not be
/// started again): the status line does not push the tab out of the window, and nothing is cut
/// off or overlaps.
#[test]
fn a_long_result_leaves_the_tab_room_in_a_small_window() {
    let _lock = process_lock();
    let t = tempfile::tempdir().unwrap();
    fake_home(t.path());
    let mut problems = Vec::new();
    for lang in Lang::ALL {
        let size = [400.0, 300.0];
        let mut h = harness(t.path(), lang, size, 2.0);
        // By keyboard: in this window the button may lie below the visible part.
        gui_support::tab_to(&mut h, &tr(lang, "gui.one_click.button"), false);
        gui_support::press(
            &mut h,
            eframe::egui::Modifiers::NONE,
            eframe::egui::Key::Enter,
        );
        settle(&mut h);
        h.get_by_label(&tr(lang, "gui.one_click.ask"));
        for p in layout_problems(&h, size) {
            problems.push(format!("{lang:?}: {p}"));
        }
        for u in unnamed(&h) {
            problems.push(format!("{lang:?}: no name: {u}"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// States the walk above does not reach, in both languages: an audit file that cannot be used,
/// a repair whose data root was swapped for a link after the scan (refused: nothing removed),
/// a support bundle that could not be written. Each: every control named in the language
/// shown, and what went wrong announced, with the word that says it is an error.
#[test]
fn failures_are_named_and_announced_in_both_languages() {
    let _lock = process_lock();
    let mut problems = Vec::new();
    for lang in Lang::ALL {
        let t = tempfile::tempdir().unwrap();
        fake_home(t.path());
        let mut h = harness(t.path(), lang, [1000.0, 4000.0], 1.0);
        let mut check = |h: &Harness<'_, App>, state: &str, live: &[&str]| {
            problems.extend(state_problems(h, lang, state, live));
        };
        let error = tr(lang, "gui.notice.error");

        // An audit result that is not JSON.
        show(&mut h, lang, Tab::Admin);
        let bad = t.path().join("result.json");
        std::fs::write(&bad, b"PK\x03\x04 not json").unwrap();
        h.input_mut()
            .dropped_files
            .push(std::sync::Arc::new(Dropped(bad)));
        let cannot = tr_args(
            lang,
            "audit.panel.cannot_read",
            &[("file", "result.json"), ("reason", "")],
        );
        wait_for(&mut h, &cannot);
        check(&h, "audit file unusable", &[&format!("{error} {cannot}")]);

        // The data root swapped for a link after the scan: the repair refuses it.
        show(&mut h, lang, Tab::Checklist);
        let root = t.path().join("home/.config/teams-for-linux");
        let moved = t.path().join("elsewhere");
        std::fs::rename(&root, &moved).unwrap();
        std::os::unix::fs::symlink(&moved, &root).unwrap();
        h.get_by_label(&tr(lang, "gui.one_click.button")).click();
        h.run_steps(2);
        settle(&mut h);
        assert!(moved.join("Cache/Cache_Data/data_0").exists());
        let notice = h.state().notice().cloned().expect("no status message");
        assert_eq!(notice.level, teamsfix::gui::Level::Error, "{notice:?}");
        check(
            &h,
            "repair refused",
            &[&format!("{error} {}", notice.text(lang))],
        );
        std::fs::remove_file(&root).unwrap();
        std::fs::rename(&moved, &root).unwrap();

        // The bundles folder is a file: the bundle fails and says so.
        show(&mut h, lang, Tab::Report);
        std::fs::write(t.path().join("data/bundles"), b"not a folder").unwrap();
        h.get_by_label(&tr(lang, "helpdesk.gui.bundle.save"))
            .click();
        h.run_steps(2);
        settle(&mut h);
        let notice = h.state().notice().cloned().expect("no status message");
        assert_eq!(notice.level, teamsfix::gui::Level::Error, "{notice:?}");
        check(
            &h,
            "bundle failed",
            &[&format!("{error} {}", notice.text(lang))],
        );
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
