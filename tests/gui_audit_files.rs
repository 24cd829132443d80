//! Malformed files dropped on the app's window (the same reader as "Open audit result..."):
//! each gets a message that names the file and says what is wrong, in English and Dutch; the
//! window keeps working, and a good file dropped afterwards is read. Also a result written by
//! Windows PowerShell 5.1 (UTF-16 with a byte-order mark).
#![cfg(feature = "gui")]

mod gui_support;

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use gui_support::{Dropped, audit_fixture as fixture, started_on_empty_home};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use teamsfix::common::i18n::{Lang, tr, tr_args};
use teamsfix::gui::App;
use teamsfix::guide::audit;

/// Drops `file` on the window and steps until the reader is done with it; returns whether a
/// result is now shown for it.
fn drop_file(h: &mut Harness<'static, App>, file: &Path, lang: Lang) -> bool {
    h.input_mut()
        .dropped_files
        .push(Arc::new(Dropped(file.to_path_buf())));
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let loaded = tr_args(lang, "audit.panel.loaded", &[("file", &name)]);
    let failed = tr_args(
        lang,
        "audit.panel.cannot_read",
        &[("file", &name), ("reason", "")],
    );
    for _ in 0..1000 {
        h.step();
        let is_loaded = h.query_all_by_label_contains(&loaded).next().is_some();
        if is_loaded || h.query_all_by_label_contains(&failed).next().is_some() {
            h.run_steps(3);
            return is_loaded;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("{name} was not read");
}

#[test]
fn malformed_files_dropped_on_the_window_are_named_with_the_reason() {
    for lang in Lang::ALL {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("files");
        std::fs::create_dir_all(&dir).unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let p = dir.join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        };
        let whole = std::fs::read(fixture("two-blockers.json")).unwrap();
        let mut newer: serde_json::Value = serde_json::from_slice(&whole).unwrap();
        newer["schema_version"] = serde_json::json!(7);
        let big = dir.join("big.json");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(audit::MAX_FILE_BYTES + 1)
            .unwrap();
        let bad: Vec<(PathBuf, audit::LoadError)> = vec![
            (
                write("empty.json", b""),
                audit::LoadError::NotJson(String::new()),
            ),
            (
                write("cut.json", &whole[..whole.len() / 2]),
                audit::LoadError::Truncated,
            ),
            (
                write("picture.png", b"\x89PNG\r\n\x1a\n\xff\xfe\xfd"),
                audit::LoadError::NotText,
            ),
            (
                write("newer.json", newer.to_string().as_bytes()),
                audit::LoadError::SchemaVersion("7".into()),
            ),
            (
                write("list.json", b"[1, 2]"),
                audit::LoadError::UnknownFormat,
            ),
            (
                write("deep.json", "[".repeat(100_000).as_bytes()),
                audit::LoadError::NotJson(String::new()),
            ),
            (
                write(
                    "twice.json",
                    String::from_utf8(whole.clone())
                        .unwrap()
                        .replacen("{", "{\"tool\": \"x\", \"tool\": \"y\", ", 1)
                        .as_bytes(),
                ),
                audit::LoadError::DuplicateKey("tool".into()),
            ),
            (big, audit::LoadError::TooBig(audit::MAX_FILE_BYTES + 1)),
            (dir.join("gone.json"), audit::LoadError::Io(String::new())),
        ];
        let mut h = started_on_empty_home(&t.path().join("app"), lang, 4000.0);
        for (file, error) in &bad {
            assert!(!drop_file(&mut h, file, lang), "{}", file.display());
            // The reason is the reader's own, in the app's language.
            let reason = error.msg().text(lang);
            let stem = reason.split(['(', ':']).next().unwrap().trim().to_string();
            assert!(
                h.query_all_by_label_contains(&stem).next().is_some(),
                "{lang:?} {}: no {stem:?}",
                file.display()
            );
        }
        // A folder dropped on the window.
        assert!(!drop_file(&mut h, &dir, lang));
        h.get_all_by_label_contains(&audit::LoadError::NotAFile.msg().text(lang))
            .next()
            .expect("a folder is named as not a file");
        // The window still works: the Open button is there and enabled, and a good file
        // dropped now is read.
        assert!(
            !h.get_by_label(&tr(lang, "audit.panel.open"))
                .accesskit_node()
                .is_disabled()
        );
        let text = String::from_utf8(whole.clone()).unwrap();
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let good = write("from-powershell-5.json", &utf16);
        assert!(drop_file(&mut h, &good, lang), "{lang:?}: the good file");
        let headline = audit::open(&good).unwrap().headline(lang);
        assert!(headline.contains(&tr(lang, "admin.m365-groups-guests.title")));
        h.get_all_by_label_contains(&headline)
            .next()
            .expect("the first blocker is named");
    }
}

#[test]
fn the_reason_follows_the_language_of_the_window() {
    let t = tempfile::tempdir().unwrap();
    let whole = std::fs::read(fixture("two-blockers.json")).unwrap();
    let cut = t.path().join("cut.json");
    std::fs::write(&cut, &whole[..whole.len() / 3]).unwrap();
    let mut h = started_on_empty_home(&t.path().join("app"), Lang::En, 4000.0);
    assert!(!drop_file(&mut h, &cut, Lang::En));
    let reason = |lang| audit::LoadError::Truncated.msg().text(lang);
    h.get_all_by_label_contains(&reason(Lang::En))
        .next()
        .expect("the English reason");
    h.get_by_label("Nederlands").click();
    h.run_steps(4);
    let dutch = tr_args(
        Lang::Nl,
        "audit.panel.cannot_read",
        &[("file", "cut.json"), ("reason", &reason(Lang::Nl))],
    );
    h.get_all_by_label_contains(&dutch)
        .next()
        .expect("the Dutch reason after switching");
}
