//! Honest results of `teamsfix-cli clear-cache` on Linux: a file that cannot be removed is
//! reported at the path the user knows (not inside the trash folder), without blaming a Teams
//! that is not running; a file system mounted inside a cache is never entered; bounded archives
//! (safe mode writes none, the cap and the count hold, what did not fit is listed).
#![cfg(target_os = "linux")]

mod common;

use common::{FakeHome, TFL, client, process_lock};
use std::path::Path;
use std::process::Command;

fn failures(json: &serde_json::Value, id: &str) -> Vec<(String, String)> {
    client(json, id)["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_file_that_cannot_be_removed_is_reported_where_the_user_knows_it() {
    if !common::is_root() {
        eprintln!("skipped: needs root for an immutable file (chattr +i)");
        return;
    }
    let _lock = process_lock();
    let h = FakeHome::with_both_clients();
    h.write(&format!("{TFL}/Cache/locked/c.txt"), b"stuck");
    let locked = h.path(&format!("{TFL}/Cache/locked/c.txt"));
    if !common::set_immutable(&locked, true) {
        eprintln!("skipped: the file system does not support chattr +i");
        return;
    }
    let (code, json) = h.clear_json("safe", "teams-for-linux");
    // Wherever the clear left it, make it removable again for the temp folder's cleanup.
    common::make_removable(&h.path(TFL), "c.txt");
    assert_eq!(code, 4, "{json}");
    let c = client(&json, "teams-for-linux");
    assert_eq!(c["result"], "partial");
    let f = failures(&json, "teams-for-linux");
    assert_eq!(
        f.len(),
        1,
        "only the file is reported, not its folders: {f:?}"
    );
    assert_eq!(Path::new(&f[0].0), locked, "{f:?}");
    assert!(!f[0].0.contains(".teamsfix-trash"), "{f:?}");
    assert!(f[0].1.contains("permission denied"), "{f:?}");
    assert!(!f[0].1.contains("Teams still running"), "{f:?}");
    // Everything else of the cache went.
    assert_eq!(common::files(&c["removed"], "regenerable"), 46);
}

#[test]
fn a_file_system_mounted_in_the_cache_is_not_entered() {
    if !common::is_root() {
        eprintln!("skipped: needs root to mount a tmpfs");
        return;
    }
    let _lock = process_lock();
    let h = FakeHome::with_both_clients();
    let mnt = h.path(&format!("{TFL}/Cache/mounted"));
    std::fs::create_dir_all(&mnt).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "teamsfix-test"])
        .arg(&mnt)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: cannot mount a tmpfs here");
        return;
    }
    std::fs::write(mnt.join("other-disk.txt"), b"not a cache").unwrap();
    let (code, json) = h.clear_json("full", "teams-for-linux");
    // A second clear finds the same mount at the same place and does nothing else.
    let (_, again) = h.clear_json("full", "teams-for-linux");
    // Find the mount wherever the clear left it, check, unmount.
    let mounts = std::fs::read_to_string("/proc/self/mounts").unwrap();
    let at = mounts
        .lines()
        .find(|l| l.starts_with("teamsfix-test "))
        .and_then(|l| l.split(' ').nth(1))
        .map(|p| p.replace("\\040", " "))
        .expect("the tmpfs is still mounted");
    let kept = std::fs::read(Path::new(&at).join("other-disk.txt"));
    let _ = Command::new("umount").arg(&at).status();
    assert_eq!(kept.unwrap(), b"not a cache");
    assert_eq!(
        Path::new(&at),
        mnt,
        "the mount stays where it was (not moved into the trash with its folder)"
    );
    let f2 = failures(&again, "teams-for-linux");
    assert_eq!(f2.len(), 1, "{f2:?}");
    assert_eq!(Path::new(&f2[0].0), mnt, "{f2:?}");
    assert_eq!(
        common::files(&client(&again, "teams-for-linux")["removed"], "regenerable"),
        0
    );
    assert_eq!(code, 4, "{json}");
    let f = failures(&json, "teams-for-linux");
    assert!(
        f.iter()
            .any(|(p, r)| Path::new(p) == mnt && r.contains("mounted")),
        "{f:?}"
    );
    assert!(
        f.iter().all(|(p, _)| !p.contains(".teamsfix-trash")),
        "{f:?}"
    );
}

#[test]
fn safe_mode_writes_no_archive_and_full_mode_archives_are_bounded() {
    let _lock = process_lock();
    let h = FakeHome::with_both_clients();
    // Logs of 3 x 400 kB beside main.log: with a cap of 1 MB the newest two fit.
    for (i, name) in ["old.log", "mid.log", "new.log"].iter().enumerate() {
        let p = h.path(&format!("{TFL}/logs/{name}"));
        std::fs::write(&p, vec![b'l'; 400_000]).unwrap();
        let t =
            std::time::SystemTime::now() - std::time::Duration::from_secs(3600 * (3 - i as u64));
        std::fs::File::options()
            .write(true)
            .open(&p)
            .unwrap()
            .set_modified(t)
            .unwrap();
    }
    let archives = h.data().join("archives");
    let (code, json) = h.run_json(&["clear-cache", "--mode", "safe", "--yes", "--json"]);
    assert_eq!(code, 0, "{json}");
    assert!(client(&json, "teams-for-linux")["archive"].is_null());
    assert!(
        !archives.exists(),
        "a safe clear keeps the logs and archives nothing"
    );
    assert!(h.path(&format!("{TFL}/logs/new.log")).is_file());

    // Old archives beyond the count are pruned.
    for d in 1..=4 {
        std::fs::create_dir_all(archives.join(format!("2000-01-0{d}_10-00-00_old"))).unwrap();
    }
    let args = [
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
        "2",
    ];
    let (code, dry) = h.run_json(&[&args[..], &["--dry-run"]].concat());
    assert_eq!(code, 0, "{dry}");
    let (code, json) = h.run_json(&args);
    assert_eq!(code, 0, "{json}");
    let c = client(&json, "teams-for-linux");
    // The fake home's own main.log (19 bytes), new.log and mid.log.
    assert_eq!(c["archived"]["files"], 3, "{c}");
    assert_eq!(c["not_archived"]["files"], 1, "{c}");
    assert_eq!(c["not_archived"]["bytes"], 400_000, "{c}");
    assert_eq!(client(&dry, "teams-for-linux")["archived"], c["archived"]);
    assert_eq!(
        client(&dry, "teams-for-linux")["not_archived"],
        c["not_archived"]
    );
    assert_eq!(c["archives_pruned"], 3, "{c}");
    let archive = Path::new(c["archive"].as_str().unwrap());
    assert!(archive.join("logs/new.log").is_file());
    assert!(archive.join("logs/mid.log").is_file());
    assert!(!archive.join("logs/old.log").exists());
    let list = std::fs::read_to_string(archive.join("not-archived.txt")).unwrap();
    assert!(list.contains("logs/old.log"), "{list}");
    let left: Vec<_> = std::fs::read_dir(&archives).unwrap().flatten().collect();
    assert_eq!(left.len(), 2, "{left:?}");
    assert!(
        !h.path(&format!("{TFL}/logs")).exists(),
        "a full clear removes the logs"
    );
    // --help documents the caps.
    let help = h.run(&["clear-cache", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    for opt in ["--archive-cap-mb", "--archives-keep", "--archives-max-mb"] {
        assert!(help.contains(opt), "{help}");
    }
}

#[test]
fn the_log_count_reads_right_for_one_file_and_for_more() {
    let _lock = process_lock();
    let h = FakeHome::with_both_clients();
    // teams-for-linux has one log file, linux-classic two.
    let text = |args: &[&str]| {
        let out = h.run(args);
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let dry = text(&["clear-cache", "--mode", "full", "--dry-run"]);
    assert!(dry.contains("Would save 1 log file ("), "{dry}");
    assert!(dry.contains("Would save 2 log files ("), "{dry}");
    let real = text(&["clear-cache", "--mode", "full", "--yes", "--no-backup"]);
    assert!(real.contains("Logs saved: 1 file in "), "{real}");
    assert!(real.contains("Logs saved: 2 files in "), "{real}");
    assert!(!real.contains(" 1 files"), "{real}");
}
