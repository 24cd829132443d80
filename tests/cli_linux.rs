//! Black-box tests of `teamsfix-cli` on Linux: a fake home of real folders holding
//! teams-for-linux and linux-classic data, and real processes named like the clients.
#![cfg(target_os = "linux")]

mod common;

use common::{CLASSIC, FakeHome, TFL, client, files, process_lock, snapshot};
use std::path::Path;

#[test]
fn status_finds_both_clients_their_versions_processes_and_sizes() {
    let _lock = process_lock();
    let mut h = FakeHome::with_both_clients();
    let pid = h.spawn_named("teams-for-linux");
    let (code, json) = h.run_json(&["status", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(json["schema_version"], 1);
    let tfl = client(&json, "teams-for-linux");
    assert_eq!(tfl["variant"], "native");
    assert!(tfl["data_root"].as_str().unwrap().ends_with(TFL));
    assert_eq!(tfl["running"][0]["pid"], pid);
    assert_eq!(tfl["running"][0]["name"], "teams-for-linux");
    let classes = &tfl["classes"];
    // 40 cache files + read-only file + link + js + GPU data + FIFO + partition cache.
    assert_eq!(files(classes, "regenerable"), 46);
    assert_eq!(files(classes, "session"), 3);
    assert_eq!(files(classes, "user_data"), 1);
    assert_eq!(files(classes, "diagnostics"), 1);
    assert_eq!(files(classes, "other"), 1);
    let classic = client(&json, "linux-classic");
    assert_eq!(classic["version"], "1.5.00.8070");
    assert_eq!(classic["verdict"], "retired");
    assert!(classic["running"].as_array().unwrap().is_empty());
    assert_eq!(files(&classic["classes"], "user_data"), 3);
    assert_eq!(files(&classic["classes"], "diagnostics"), 2);
}

#[test]
fn dry_run_changes_nothing_and_predicts_the_real_run() {
    let _lock = process_lock();
    let mut h = FakeHome::with_both_clients();
    let pid = h.spawn_named("teams-for-linux");
    let before = snapshot(&h.path(""));
    let (code, dry) = h.run_json(&["clear-cache", "--mode", "full", "--dry-run", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(dry["dry_run"], true);
    assert_eq!(
        snapshot(&h.path("")),
        before,
        "a dry run must change nothing"
    );
    assert!(
        !h.data().join("archives").exists(),
        "a dry run must not archive"
    );
    assert!(!h.has_exited(pid), "a dry run must not quit Teams");
    let (code, real) = h.run_json(&["clear-cache", "--mode", "full", "--yes", "--json"]);
    assert_eq!(code, 0);
    for id in ["teams-for-linux", "linux-classic"] {
        assert_eq!(
            client(&dry, id)["removed"],
            client(&real, id)["removed"],
            "{id}"
        );
        assert_eq!(client(&dry, id)["kept"], client(&real, id)["kept"], "{id}");
    }
}

#[test]
fn full_clear_quits_clears_keeps_user_data_archives_logs_and_is_idempotent() {
    let _lock = process_lock();
    let mut h = FakeHome::with_both_clients();
    let teams = h.spawn_named("teams-for-linux");
    let classic = h.spawn_named("teams");
    // Same 15-character process name as teams-for-linux, but another program: must survive.
    let lookalike = h.spawn_named("teams-for-linux-helper");
    let unrelated = h.spawn_named("sleep");
    let user_files = [
        format!("{TFL}/config.json"),
        format!("{CLASSIC}/settings.json"),
        format!("{CLASSIC}/desktop-config.json"),
        format!("{CLASSIC}/Backgrounds/Uploads/vergadering é.png"),
    ];
    let kept_before: Vec<Vec<u8>> = user_files
        .iter()
        .map(|f| std::fs::read(h.path(f)).unwrap())
        .collect();
    let outside_before = snapshot(h.outside.path());

    let (code, json) = h.run_json(&["clear-cache", "--mode", "full", "--yes", "--json"]);
    assert_eq!(code, 0, "{json}");
    assert!(h.has_exited(teams), "teams-for-linux must be quit");
    assert!(h.has_exited(classic), "teams (classic) must be quit");
    assert!(
        !h.has_exited(lookalike),
        "a look-alike process must survive"
    );
    assert!(
        !h.has_exited(unrelated),
        "an unrelated process must survive"
    );
    let quit: Vec<u64> = json["quit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["pid"].as_u64().unwrap())
        .collect();
    assert!(
        quit.contains(&(teams as u64)) && quit.contains(&(classic as u64)) && quit.len() == 2,
        "{quit:?}"
    );

    // The user's data is kept byte for byte; nothing outside the home folder was touched.
    for (f, bytes) in user_files.iter().zip(&kept_before) {
        assert_eq!(&std::fs::read(h.path(f)).unwrap(), bytes, "{f}");
    }
    assert_eq!(snapshot(h.outside.path()), outside_before);
    // Cache, session and other data are gone; only the user's data (and empty folders) remain.
    let left: Vec<String> = snapshot(&h.path(".config"))
        .into_iter()
        .filter(|(_, kind)| kind != "dir")
        .map(|(p, _)| p.to_string_lossy().into_owned())
        .collect();
    let mut expected: Vec<String> = user_files
        .iter()
        .map(|f| f.trim_start_matches(".config/").to_string())
        .collect();
    expected.sort();
    assert_eq!(left, expected);
    assert!(!h.path(&format!("{TFL}/Cache")).exists());
    assert!(!h.path(&format!("{CLASSIC}/Local Storage")).exists());

    // Logs were archived before they were removed, with their content.
    let tfl = client(&json, "teams-for-linux");
    let archive = Path::new(tfl["archive"].as_str().expect("archive path"));
    assert!(archive.starts_with(h.data()));
    assert_eq!(
        std::fs::read(archive.join("logs/main.log")).unwrap(),
        b"2026-11-24 started\n"
    );
    let classic_archive = Path::new(client(&json, "linux-classic")["archive"].as_str().unwrap());
    assert_eq!(
        std::fs::read(classic_archive.join("logs.txt")).unwrap(),
        b"classic log\n"
    );
    assert!(classic_archive.join("media-stack/trace 1.blog").is_file());
    assert_eq!(files(&tfl["removed"], "regenerable"), 46);
    assert_eq!(files(&tfl["removed"], "user_data"), 0);
    assert!(tfl["failures"].as_array().unwrap().is_empty());

    // A second run finds nothing to remove.
    let (code, again) = h.run_json(&["clear-cache", "--mode", "full", "--yes", "--json"]);
    assert_eq!(code, 0);
    for id in ["teams-for-linux", "linux-classic"] {
        let removed = &client(&again, id)["removed"];
        for class in [
            "regenerable",
            "session",
            "user_data",
            "diagnostics",
            "other",
        ] {
            assert_eq!(files(removed, class), 0, "{id} {class}");
        }
    }
    // The action journal records what was done, for the report.
    let report = h.run(&["report", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    assert!(
        report["actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["action"] == "clear" && a["client"] == "teams-for-linux-native")
    );
}

#[test]
fn safe_clear_keeps_the_sign_in() {
    let _lock = process_lock();
    let h = FakeHome::with_both_clients();
    let (code, json) = h.clear_json("safe", "teams-for-linux");
    assert_eq!(code, 0);
    assert_eq!(
        json["clients"].as_array().unwrap().len(),
        1,
        "--client limits the clear"
    );
    assert!(!h.path(&format!("{TFL}/Cache")).exists());
    assert!(
        !h.path(&format!("{TFL}/Partitions/teams-4-linux/Cache"))
            .exists()
    );
    assert!(
        h.path(&format!("{TFL}/Partitions/teams-4-linux/IndexedDB"))
            .is_dir()
    );
    assert!(h.path(&format!("{TFL}/IndexedDB/x.leveldb/LOG")).is_file());
    assert!(
        h.path(&format!("{TFL}/logs/main.log")).is_file(),
        "safe mode keeps logs in place"
    );
    assert!(
        h.path(&format!("{CLASSIC}/Cache/f")).is_file(),
        "other clients untouched"
    );
}

#[test]
fn a_stubborn_process_is_forced() {
    let _lock = process_lock();
    let mut h = FakeHome::with_both_clients();
    let pid = h.spawn_stubborn("teams-for-linux");
    let (code, json) = h.run_json(&["quit", "--timeout", "1", "--json"]);
    assert_eq!(code, 0);
    let p = json["processes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["pid"] == pid)
        .unwrap();
    assert_eq!(p["result"], "forced");
    assert!(h.has_exited(pid));
}

#[test]
fn another_users_teams_is_left_alone() {
    if !common::is_root() {
        eprintln!("skipped: needs root to start a process as another user");
        return;
    }
    let _lock = process_lock();
    let h = FakeHome::with_both_clients();
    let bin = h.dir.path().join("other-bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::copy("/bin/sleep", bin.join("teams-for-linux")).unwrap();
    let mut other = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(bin.join("teams-for-linux"))
        .arg("600")
        .spawn()
        .expect("setpriv");
    std::thread::sleep(std::time::Duration::from_millis(200));
    let (code, json) = h.run_json(&["quit", "--timeout", "1", "--json"]);
    let still = other.try_wait().unwrap().is_none();
    let _ = other.kill();
    let _ = other.wait();
    assert_eq!(code, 0);
    assert!(
        json["processes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["pid"] != other.id())
    );
    assert!(still, "another user's Teams must not be quit");
}

#[test]
fn refuses_without_confirmation_when_there_is_no_terminal() {
    let h = FakeHome::with_both_clients();
    let before = snapshot(&h.path(""));
    let out = h.run(&["clear-cache", "--mode", "full"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--yes"));
    assert_eq!(snapshot(&h.path("")), before);
}

#[test]
fn a_data_root_that_is_a_link_is_refused_and_untouched() {
    let _lock = process_lock();
    let h = FakeHome::new();
    let target = h.outside.path().join("teams-for-linux");
    std::fs::create_dir_all(target.join("Cache")).unwrap();
    std::fs::write(target.join("Cache/f"), b"x").unwrap();
    std::fs::create_dir_all(h.path(".config")).unwrap();
    std::os::unix::fs::symlink(&target, h.path(TFL)).unwrap();
    let before = snapshot(h.outside.path());
    let (code, json) = h.run_json(&["clear-cache", "--mode", "full", "--yes", "--json"]);
    assert_eq!(code, 2);
    let c = client(&json, "teams-for-linux");
    assert_eq!(c["result"], "refused");
    assert!(c["skipped_reason"].as_str().unwrap().contains("link"));
    assert_eq!(snapshot(h.outside.path()), before);
}

#[test]
fn a_root_that_resolves_outside_the_user_folders_is_refused() {
    let _lock = process_lock();
    let h = FakeHome::new();
    let real_config = h.outside.path().join("config");
    std::fs::create_dir_all(real_config.join("teams-for-linux/Cache")).unwrap();
    std::fs::write(real_config.join("teams-for-linux/Cache/f"), b"x").unwrap();
    std::os::unix::fs::symlink(&real_config, h.path(".config")).unwrap();
    let before = snapshot(h.outside.path());
    let (code, json) = h.run_json(&["clear-cache", "--mode", "safe", "--yes", "--json"]);
    assert_eq!(code, 2);
    assert_eq!(client(&json, "teams-for-linux")["result"], "refused");
    assert_eq!(snapshot(h.outside.path()), before);
}

#[test]
fn odd_home_folders_are_refused_with_a_message() {
    let h = FakeHome::new();
    for home in ["/", "relative/home", "/nonexistent/home"] {
        let out = h.cli().env("HOME", home).args(["status"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "HOME={home}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("home folder"),
            "HOME={home}"
        );
    }
}

#[test]
fn an_interrupted_deletion_is_finished_by_the_next_run() {
    let _lock = process_lock();
    let h = FakeHome::with_both_clients();
    // What a killed run leaves: units already moved into a trash folder inside the data root.
    h.write(
        &format!("{TFL}/.teamsfix-trash-2026-11-24_10-00-00-123/0/Cache_Data/f"),
        &[0u8; 100],
    );
    h.write(
        &format!("{TFL}/.teamsfix-trash-2026-11-24_10-00-00-123/1/x"),
        b"y",
    );
    let (code, json) = h.clear_json("safe", "teams-for-linux");
    assert_eq!(code, 0);
    let leftovers: Vec<_> = std::fs::read_dir(h.path(TFL))
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".teamsfix-trash")
        })
        .collect();
    assert!(leftovers.is_empty(), "trash left behind: {leftovers:?}");
    // 46 regenerable files of the tree plus 2 left over by the interrupted run.
    assert_eq!(
        files(&client(&json, "teams-for-linux")["removed"], "regenerable"),
        48
    );
}

#[test]
fn unknown_client_ids_and_bad_arguments_are_usage_errors() {
    let h = FakeHome::new();
    let out = h.run(&["clear-cache", "--client", "skype", "--yes"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("teams-for-linux"));
    assert_eq!(
        h.run(&["clear-cache", "--mode", "everything"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(h.run(&["diagnose", "  "]).status.code(), Some(2));
}

#[test]
fn diagnose_explains_english_and_dutch_messages() {
    let h = FakeHome::new();
    let (code, json) = h.run_json(&[
        "diagnose",
        "AADSTS50020: User account from identity provider does not exist in tenant",
        "--json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(json["matches"][0]["id"], "aadsts50020");
    assert!(
        json["matches"][0]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == "right-account")
    );
    let out = h
        .cli_bare()
        .args([
            "--lang",
            "nl",
            "diagnose",
            "Gasttoegang in Teams is uitgeschakeld",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Teams: gasttoegang toestaan"), "{text}");
    assert!(text.contains("Get-CsTeamsClientConfiguration"), "{text}");
}

#[test]
fn report_in_every_format_and_redacted() {
    let h = FakeHome::with_both_clients();
    let md = String::from_utf8(h.run(&["report", "--format", "markdown"]).stdout).unwrap();
    assert!(md.starts_with("# teamsfix report"), "{md}");
    assert!(md.contains("### Teams for Linux"));
    let home = h
        .path("")
        .to_string_lossy()
        .trim_end_matches('/')
        .to_string();
    assert!(md.contains(&home));
    let red = String::from_utf8(h.run(&["report", "--format", "text", "--redact"]).stdout).unwrap();
    assert!(!red.contains(&home), "{red}");
    let file = h.dir.path().join("report out é.json");
    let out = h.run(&[
        "report",
        "--format",
        "json",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(json["schema_version"], 1);
    assert_eq!(
        h.run(&["report", "--output", "/nonexistent-dir/x.txt"])
            .status
            .code(),
        Some(4)
    );
}
