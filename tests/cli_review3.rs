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

/// A file that cannot be removed stays in a trash folder; the next clear deletes that leftover
/// and, when it still cannot remove the file, reports it at its original path and says it is a
/// leftover of an earlier clear (it said `<root>/.teamsfix-trash-<run>/0/locked/c.txt`).
#[cfg(target_os = "linux")]
#[test]
fn a_leftover_that_still_cannot_be_removed_is_reported_where_it_came_from() {
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
    let (first, json1) = h.clear_json("safe", "teams-for-linux");
    let (second, json2) = h.clear_json("safe", "teams-for-linux");
    let (third, json3) = h.clear_json("safe", "teams-for-linux");
    common::make_removable(&h.path(TFL), "c.txt");
    let (last, json4) = h.clear_json("safe", "teams-for-linux");
    assert_eq!(first, 4, "{json1}");
    let f1 = &client(&json1, "teams-for-linux")["failures"];
    assert_eq!(f1[0]["path"], locked.to_str().unwrap(), "{f1}");
    for (code, json) in [(second, &json2), (third, &json3)] {
        assert_eq!(code, 4, "{json}");
        let f = client(json, "teams-for-linux")["failures"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0]["path"], locked.to_str().unwrap(), "{f:?}");
        let reason = f[0]["reason"].as_str().unwrap();
        assert!(
            reason.contains("left over from an earlier clear"),
            "{reason}"
        );
    }
    assert_eq!(last, 0, "{json4}");
    let leftovers: Vec<_> = std::fs::read_dir(h.path(TFL))
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".teamsfix-trash-")
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// `--json` gives a JSON document on stdout whatever stops the command early: an unknown client
/// id, no terminal to confirm, an odd home folder, a command line clap cannot read. Before, stdout
/// was empty and only stderr spoke.
#[test]
fn json_is_always_json_on_stdout_with_the_message_on_stderr() {
    let h = FakeHome::with_both_clients();
    let cases: [(&[&str], i32, &str); 8] = [
        (&["quit", "--json", "--client", "nope"], 2, "Unknown client"),
        (
            &["clear-cache", "--json", "--yes", "--client", "nope"],
            2,
            "Unknown client",
        ),
        (
            &["restore", "--json", "--client", "nope"],
            2,
            "Unknown client",
        ),
        (&["clear-cache", "--json"], 2, "confirmation"),
        (
            &["clear-cache", "--json", "--archive-cap-mb", "0"],
            2,
            "archive-cap-mb",
        ),
        (&["status", "--json", "--bogus"], 2, "--bogus"),
        (&["diagnose", "--json"], 2, "MESSAGE"),
        (&["bundle", "--json", "--max-mb", "x"], 2, "max-mb"),
    ];
    for (args, code, says) in cases {
        let out = h.run(args);
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {:?}", out.stdout));
        assert_eq!(v["exit_code"], code, "{args:?}");
        assert_eq!(v["schema_version"], 1, "{args:?}");
        assert!(v["error"].as_str().unwrap().contains(says), "{args:?}: {v}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(says),
            "{args:?}: the message is on stderr too"
        );
    }
    // An odd home folder: refused (exit 2), in JSON too.
    for home in ["relative/home", "/nonexistent-teamsfix-home", "/"] {
        let out = h
            .cli()
            .env("HOME", home)
            .args(["status", "--json"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{home}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect(home);
        assert!(v["error"].as_str().unwrap().contains("home folder"), "{v}");
    }
    // Help is still help.
    let out = h.run(&["status", "--help", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Usage"));
}

/// File names on Linux are bytes. A home folder, a cache file or a `--output` file whose name is
/// not UTF-8 made `status --json`, `clear-cache --json` and `bundle --json` panic (exit 101:
/// serde refuses such a path and `json!` unwraps); they are written with U+FFFD instead.
#[test]
fn names_that_are_not_utf8_never_break_the_json() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let _lock = process_lock();
    let h = FakeHome::new();
    let home = h.dir.path().join(OsStr::from_bytes(b"h\xffome"));
    let root = home.join(".config/teams-for-linux");
    std::fs::create_dir_all(root.join("Cache")).unwrap();
    std::fs::create_dir_all(root.join("logs")).unwrap();
    std::fs::write(root.join("config.json"), b"{}").unwrap();
    std::fs::write(root.join("logs/main.log"), b"log").unwrap();
    std::fs::write(root.join("Cache").join(OsStr::from_bytes(b"f\xfe")), b"x").unwrap();
    let zip = h.dir.path().join(OsStr::from_bytes(b"b\xff.zip"));
    let runs: [Vec<&OsStr>; 3] = [
        vec![OsStr::new("status"), OsStr::new("--json")],
        vec![
            OsStr::new("clear-cache"),
            OsStr::new("--mode"),
            OsStr::new("full"),
            OsStr::new("--yes"),
            OsStr::new("--json"),
        ],
        vec![
            OsStr::new("bundle"),
            OsStr::new("--json"),
            OsStr::new("--output"),
            zip.as_os_str(),
        ],
    ];
    for args in runs {
        let out = h
            .cli()
            .env("HOME", &home)
            .args(&args)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {out:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {out:?}"));
        assert!(v.to_string().contains('\u{fffd}'), "{args:?}: {v}");
    }
    assert!(zip.is_file());
    assert!(
        !root.join("Cache").exists()
            || std::fs::read_dir(root.join("Cache"))
                .unwrap()
                .next()
                .is_none()
    );
}

/// `--if-over MB` at the cache's exact size, one byte below and one above (1 MB = 1,000,000
/// bytes: only strictly larger clears).
#[test]
fn if_over_at_the_exact_size_and_one_byte_either_side() {
    let _lock = process_lock();
    for (bytes, over) in [(1_999_999u64, false), (2_000_000, false), (2_000_001, true)] {
        let h = FakeHome::new();
        h.write(&format!("{TFL}/config.json"), b"{}");
        h.write(
            &format!("{TFL}/Cache/Cache_Data/a"),
            &vec![1u8; bytes as usize - 1000],
        );
        h.write(&format!("{TFL}/Cache/Cache_Data/b"), &[2u8; 1000]);
        let (code, v) = h.run_json(&["clear-cache", "--if-over", "2", "--yes", "--json"]);
        assert_eq!(code, 0, "{v}");
        let c = client(&v, "teams-for-linux");
        assert_eq!(c["regenerable_bytes"], bytes, "{v}");
        assert_eq!(v["nothing_to_do"], !over, "{bytes}: {v}");
        assert_eq!(c["result"], if over { "ok" } else { "below_threshold" });
        assert_eq!(
            h.path(&format!("{TFL}/Cache/Cache_Data/a")).exists(),
            !over,
            "{bytes}"
        );
    }
}

/// Two bundles at once (a helpdesk script and the user; bundles share the lock): each gets its
/// own zip, both complete. They shared one work file when started in the same second: one
/// failed with "not found" (exit 4) and the other's zip could hold both's bytes.
#[test]
fn two_bundles_at_once_each_get_their_own_complete_zip() {
    let h = FakeHome::with_both_clients();
    let mut paths = std::collections::BTreeSet::new();
    for _ in 0..2 {
        let spawn = |redact: bool| {
            let mut c = h.cli();
            c.args(["bundle", "--json"]);
            if redact {
                c.arg("--redact");
            }
            c.stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn(false), spawn(true));
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            assert_eq!(out.status.code(), Some(0));
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            paths.insert(v["path"].as_str().unwrap().to_string());
            let zip = std::fs::File::open(v["path"].as_str().unwrap()).unwrap();
            let mut z = zip::ZipArchive::new(zip).expect("a complete zip");
            for i in 0..z.len() {
                std::io::copy(&mut z.by_index(i).unwrap(), &mut std::io::sink()).unwrap();
            }
        }
    }
    assert_eq!(paths.len(), 4, "every bundle has its own file: {paths:?}");
}

/// A machine with two clients and three log archives each (two of them in the same second: the
/// second named `-2`): the bundle holds the report, the journal, both data roots' logs and the
/// newest archive of each client only, and reads as the helpdesk reads it (a valid zip whose
/// contents.txt names every file).
#[test]
fn a_bundle_of_several_clients_with_several_archives_each() {
    let h = FakeHome::with_both_clients();
    let archives = h.data().join("archives");
    let made = [
        ("2026-11-20_10-00-00_teams-for-linux-native", "tfl old"),
        (
            "2026-11-24_09-00-00_teams-for-linux-native",
            "tfl same second, first",
        ),
        ("2026-11-24_09-00-00_teams-for-linux-native-2", "tfl newest"),
        ("2026-11-21_10-00-00_linux-classic-native", "classic old"),
        ("2026-11-22_10-00-00_linux-classic-native", "classic middle"),
        ("2026-11-23_10-00-00_linux-classic-native", "classic newest"),
    ];
    for (name, text) in made {
        let logs = archives.join(name).join("logs");
        std::fs::create_dir_all(&logs).unwrap();
        std::fs::write(logs.join("main.log"), format!("{text}\n")).unwrap();
    }
    let zip_path = h.dir.path().join("ticket.zip");
    let (code, v) = h.run_json(&["bundle", "--json", "--output", zip_path.to_str().unwrap()]);
    assert_eq!(code, 0, "{v}");
    let mut z = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let mut names = Vec::new();
    let mut text = String::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        names.push(f.name().unwrap().to_string());
        let mut s = String::new();
        if std::io::Read::read_to_string(&mut f, &mut s).is_ok() {
            text.push_str(&s);
        }
    }
    for want in [
        "teamsfix-report.txt",
        "teamsfix-report.json",
        "contents.txt",
        "contents.json",
        "archives/2026-11-24_09-00-00_teams-for-linux-native-2/logs/main.log",
        "archives/2026-11-23_10-00-00_linux-classic-native/logs/main.log",
        "logs/teams-for-linux-native/logs/main.log",
        "logs/linux-classic-native/logs.txt",
    ] {
        assert!(names.iter().any(|n| n == want), "{want} missing: {names:?}");
    }
    assert_eq!(
        names.iter().filter(|n| n.starts_with("archives/")).count(),
        2,
        "only the newest archive per client: {names:?}"
    );
    assert!(text.contains("tfl newest") && text.contains("classic newest"));
    assert!(!text.contains("tfl old") && !text.contains("classic middle"));
    let report: serde_json::Value = {
        let mut f = z.by_name("teamsfix-report.json").unwrap();
        let mut s = String::new();
        std::io::Read::read_to_string(&mut f, &mut s).unwrap();
        serde_json::from_str(&s).unwrap()
    };
    assert_eq!(report["schema_version"], 1);
    let mut contents = String::new();
    std::io::Read::read_to_string(&mut z.by_name("contents.txt").unwrap(), &mut contents).unwrap();
    for n in names.iter().filter(|n| !n.starts_with("contents.")) {
        assert!(contents.contains(n.as_str()), "contents.txt misses {n}");
    }
}

/// `clear-cache --json` asked on a terminal: the question goes to stderr, stdout holds only the
/// JSON document (the question and the list of roots were on stdout, before the JSON).
#[cfg(target_os = "linux")]
#[test]
fn the_question_of_a_json_clear_goes_to_stderr() {
    use std::io::Write;
    use std::os::fd::FromRawFd;
    let _lock = process_lock();
    let h = FakeHome::with_both_clients();
    for (answer, code) in [("n\n", 2), ("y\n", 0)] {
        let (mut master, mut slave) = (0, 0);
        // SAFETY: openpty writes two new descriptors into the integers passed.
        let r = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                std::ptr::null(),
            )
        };
        assert_eq!(r, 0);
        // SAFETY: both descriptors are new and owned here from now on.
        let (mut master, slave) = unsafe {
            (
                std::fs::File::from_raw_fd(master),
                std::fs::File::from_raw_fd(slave),
            )
        };
        master.write_all(answer.as_bytes()).unwrap();
        let out = h
            .cli()
            .args(["clear-cache", "--client", "teams-for-linux", "--json"])
            .stdin(slave)
            .output()
            .unwrap();
        drop(master);
        assert_eq!(out.status.code(), Some(code), "{out:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{answer:?}: {e}: {out:?}"));
        assert_eq!(v["exit_code"], code);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("teams-for-linux"),
            "the question names the root: {err}"
        );
    }
}

/// A relative `TEAMSFIX_DATA_DIR` is taken from the current folder once: the archive a clear
/// names is a path the reader can open from anywhere (it was printed relative, `reldata/...`).
#[test]
fn a_relative_data_folder_gives_absolute_paths() {
    let _lock = process_lock();
    let h = FakeHome::with_both_clients();
    let out = h
        .cli()
        .current_dir(h.dir.path())
        .env("TEAMSFIX_DATA_DIR", "reldata")
        .args([
            "clear-cache",
            "--mode",
            "full",
            "--no-backup",
            "--client",
            "teams-for-linux",
            "--yes",
            "--json",
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let archive = client(&v, "teams-for-linux")["archive"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(std::path::Path::new(&archive).is_absolute(), "{archive}");
    assert!(archive.starts_with(h.dir.path().join("reldata").to_str().unwrap()));
    assert!(std::path::Path::new(&archive).is_dir());
}
