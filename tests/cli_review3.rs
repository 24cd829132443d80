//! Black-box checks of the CLI from the second review round: the archive options apply to the
//! backups of a full reset, leftovers of an earlier run are reported as such, odd inputs.
#![cfg(unix)]

mod common;
use common::{FakeHome, TFL, client, process_lock};

/// `--archive-cap-mb`, `--archives-keep` and `--archives-max-mb` bound the backups of a full
/// reset as they bound the log archives (issue 12: "the same caps and pruning"); before, the
/// backups always used the defaults (200 MB, 10, 1 GB).
#[test]
fn the_archive_options_bound_the_backup_of_a_full_reset_too() {
    let _lock = process_lock();
    let h = FakeHome::with_both_clients();
    // Sign-in data of 1.5 MB in one unit: over a 1 MB cap, so left out of the backup.
    h.write(
        &format!("{TFL}/Partitions/teams-4-linux/Local Storage/leveldb/000009.ldb"),
        &vec![7u8; 1_500_000],
    );
    let backups = h.data().join("backups");
    for day in 1..=3 {
        std::fs::create_dir_all(backups.join(format!("2020-01-0{day}_00-00-00_old-native")))
            .unwrap();
    }
    let (code, json) = h.run_json(&[
        "clear-cache",
        "--mode",
        "full",
        "--client",
        "teams-for-linux",
        "--yes",
        "--json",
        "--archive-cap-mb",
        "1",
        "--archives-keep",
        "1",
    ]);
    assert_eq!(code, 0, "{json}");
    let b = &client(&json, "teams-for-linux")["backup"];
    let folder = b["folder"].as_str().expect("a backup of what fits");
    assert!(b["bytes"].as_u64().unwrap() <= 1_000_000, "{b}");
    let left_out = b["left_out"].as_array().unwrap();
    assert!(
        left_out
            .iter()
            .any(|u| u["bytes"].as_u64().unwrap() >= 1_500_000),
        "the unit over the cap is named: {b}"
    );
    // Pruned to the newest one: the new backup.
    let kept: Vec<_> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(kept, vec![std::path::PathBuf::from(folder)], "{kept:?}");
}
