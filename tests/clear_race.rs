//! A hostile process races the clear: while teamsfix walks, moves aside and deletes, a thread of
//! the same user keeps renaming folders of the cache and of the trash away and putting links to
//! folders outside the data root in their place (what a compromised sandboxed Teams can do in its
//! own data root). Whatever the timing, nothing outside the data root may change.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use teamsfix::cache::clear::{self, ClearRequest, Mode};
use teamsfix::clients::client_table::TEAMS_FOR_LINUX_LAYOUT;
use teamsfix::common::progress::{CancelToken, NoProgress};
use teamsfix::platform::safety::CheckedRoot;

mod common;

/// Renames every real folder it finds below `dir` (the cache and the trash) and puts a link to
/// a victim folder outside in its place; returns how many swaps it made.
fn swap_once(dir: &Path, victims: &[PathBuf], n: &AtomicU64, depth: u32) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let Ok(ft) = e.file_type() else { continue };
        if !ft.is_dir() {
            continue;
        }
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if depth > 0 && !name.starts_with("moved-") {
            let k = n.fetch_add(1, Ordering::Relaxed);
            let aside = dir.join(format!("moved-{k}"));
            if std::fs::rename(&p, &aside).is_ok() {
                let victim = &victims[(k as usize) % victims.len()];
                let _ = std::os::unix::fs::symlink(victim, &p);
                swap_once(&aside, victims, n, depth + 1);
                continue;
            }
        }
        swap_once(&p, victims, n, depth + 1);
    }
}

fn cache_tree(root: &Path, round: usize) {
    for d in 0..30 {
        for s in 0..3 {
            let dir = root.join(format!("Cache/d{d}/s{s}"));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("f0"), format!("{round}")).unwrap();
            std::fs::write(dir.join("f1"), b"cache").unwrap();
        }
    }
    for d in 0..10 {
        let dir = root.join(format!("Partitions/teams-4-linux/Cache/Cache_Data/x{d}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("data"), b"cache").unwrap();
    }
    std::fs::write(root.join("config.json"), b"{\"mine\":true}").unwrap();
}

#[test]
fn links_swapped_in_during_a_clear_never_lead_outside() {
    let t = tempfile::tempdir().unwrap();
    let home = std::fs::canonicalize(t.path()).unwrap();
    let root = home.join(".config/teams-for-linux");
    let outside = home.join("outside");
    let victims: Vec<PathBuf> = (0..6).map(|i| outside.join(format!("v{i}"))).collect();
    for v in &victims {
        for s in 0..3 {
            std::fs::create_dir_all(v.join(format!("s{s}"))).unwrap();
            std::fs::write(v.join(format!("s{s}/f0")), b"precious").unwrap();
            std::fs::write(v.join(format!("s{s}/f1")), b"precious").unwrap();
        }
        std::fs::write(v.join("f0"), b"precious").unwrap();
        std::fs::write(v.join("data"), b"precious").unwrap();
    }
    let before = common::snapshot(&outside);
    let archives = home.join("archives");
    let swaps = AtomicU64::new(0);
    let rounds = 15;
    for round in 0..rounds {
        cache_tree(&root, round);
        let checked = CheckedRoot {
            shown: root.clone(),
            real: root.clone(),
        };
        let stop = AtomicBool::new(false);
        std::thread::scope(|s| {
            s.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    swap_once(&root, &victims, &swaps, 0);
                }
            });
            let cancel = CancelToken::new();
            let req = ClearRequest {
                mode: Mode::Full,
                dry_run: false,
                archives: &archives,
                label: "race",
                cancel: &cancel,
                progress: &NoProgress,
                archive_limits: Default::default(),
            };
            let _ = clear::clear(&checked, &TEAMS_FOR_LINUX_LAYOUT, &req);
            stop.store(true, Ordering::Relaxed);
        });
        let after = common::snapshot(&outside);
        assert_eq!(
            after.len(),
            before.len(),
            "round {round}: something outside the data root was deleted ({} of {} entries left)",
            after.len(),
            before.len()
        );
        assert_eq!(after, before, "round {round}: outside changed");
        assert_eq!(
            std::fs::read(root.join("config.json")).unwrap(),
            b"{\"mine\":true}"
        );
        // Clean up what the attacker left (links are removed as links by std here).
        std::fs::remove_dir_all(&root).unwrap();
        std::fs::create_dir_all(&root).unwrap();
    }
    assert!(
        swaps.load(Ordering::Relaxed) > rounds as u64 * 10,
        "the attacker hardly ran: {} swaps",
        swaps.load(Ordering::Relaxed)
    );
}
