//! Black-box tests of the helpdesk tools of `teamsfix-cli` on Linux: output that cannot be
//! written (a closed pipe, a full disk), `clear-cache --if-over`, the support bundle, and a full
//! reset undone by `restore`. Real files in a fake home, real processes named like Teams.
#![cfg(target_os = "linux")]

mod common;

use common::{CLASSIC, FakeHome, TFL, client, process_lock};
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;

/// Runs the CLI with stdout on a pipe whose reader is already gone, as `| head -c 10` leaves it
/// once `head` has read enough; returns the exit status and stderr.
fn run_into_closed_pipe(h: &FakeHome, args: &[&str]) -> (std::process::ExitStatus, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = h
        .cli()
        .args(args)
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    (
        out.status,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_closed_pipe_ends_the_cli_like_any_unix_tool() {
    let h = FakeHome::with_both_clients();
    for args in [
        &["status", "--json"][..],
        &["status"],
        &["report"],
        &["report", "--format", "json", "--redact"],
        &["diagnose", "AADSTS50020"],
        &["clear-cache", "--dry-run", "--json"],
    ] {
        let (status, stderr) = run_into_closed_pipe(&h, args);
        // Ended by SIGPIPE (a shell shows 141), not by a panic (101) or an abort (134).
        assert_eq!(
            status.signal(),
            Some(libc::SIGPIPE),
            "{args:?}: {status:?} {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        let stderr = without_elevated_notice(&stderr);
        assert!(stderr.is_empty(), "{args:?} should stop quietly: {stderr}");
    }
}

#[test]
fn a_closed_pipe_after_some_output_also_ends_quietly() {
    // The real pipeline: the reader takes the first bytes and goes away.
    let h = FakeHome::with_both_clients();
    let mut child = h
        .cli()
        .args(["report", "--format", "json"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 10];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(&first[..1], b"{");
    // The report may fit into the pipe before the reader goes: then it ends normally.
    assert!(
        out.status.signal() == Some(libc::SIGPIPE) || out.status.code() == Some(0),
        "{:?} {stderr}",
        out.status
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_full_disk_gives_a_clear_message_and_exit_4() {
    let h = FakeHome::with_both_clients();
    // A report file on a full disk.
    let out = h.run(&["report", "--output", "/dev/full"]);
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("/dev/full"), "{stderr}");
    assert!(stderr.contains("No space left"), "{stderr}");
    // Standard output redirected to a full disk.
    for args in [
        &["status", "--json"][..],
        &["report"],
        &["diagnose", "AADSTS50020"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = h
            .cli()
            .args(args)
            .stdin(Stdio::null())
            .stdout(full)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(4), "{args:?}: {stderr}");
        assert!(stderr.contains("disk full"), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        let stderr = without_elevated_notice(&stderr);
        assert_eq!(stderr.lines().count(), 1, "{args:?}: one line: {stderr}");
    }
}

/// A teams-for-linux data root with `cache_bytes` of temporary cache and some sign-in data.
fn home_with_cache(cache_bytes: usize) -> FakeHome {
    let h = FakeHome::new();
    let mut left = cache_bytes;
    let mut n = 0;
    while left > 0 {
        let size = left.min(400_000);
        h.write(
            &format!("{TFL}/Cache/Cache_Data/f_{n:04}"),
            &vec![b'c'; size],
        );
        left -= size;
        n += 1;
    }
    h.write(&format!("{TFL}/IndexedDB/x.leveldb/LOG"), b"signed in");
    h.write(&format!("{TFL}/config.json"), b"{}");
    h
}

#[test]
fn if_over_leaves_a_cache_at_or_under_the_limit_and_teams_running() {
    let _lock = process_lock();
    let mut h = home_with_cache(2_000_000);
    let teams = h.spawn_named("teams-for-linux");
    // Exactly at the limit is not over it.
    for limit in ["2", "3", "500"] {
        let (code, json) = h.run_json(&["clear-cache", "--if-over", limit, "--yes", "--json"]);
        assert_eq!(code, 0, "{json}");
        assert_eq!(json["nothing_to_do"], true, "{json}");
        assert_eq!(json["if_over_mb"], limit.parse::<u64>().unwrap());
        let c = client(&json, "teams-for-linux");
        assert_eq!(c["result"], "below_threshold", "{json}");
        assert_eq!(c["regenerable_bytes"], 2_000_000);
        assert!(json["quit"].as_array().unwrap().is_empty(), "{json}");
    }
    assert!(
        !h.has_exited(teams),
        "Teams must not be quit when there is nothing to do"
    );
    assert!(h.path(&format!("{TFL}/Cache/Cache_Data/f_0000")).exists());
    let out = h.run(&["clear-cache", "--if-over", "3", "--yes"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Nothing to do"), "{stdout}");
    assert!(!h.has_exited(teams));
}

#[test]
fn if_over_clears_a_cache_over_the_limit() {
    let _lock = process_lock();
    let mut h = home_with_cache(2_000_000);
    let teams = h.spawn_named("teams-for-linux");
    // A dry run (what the Intune detection script asks) says it would clear, and changes nothing.
    let (code, json) = h.run_json(&["clear-cache", "--if-over", "1", "--dry-run", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(json["nothing_to_do"], false, "{json}");
    assert_eq!(client(&json, "teams-for-linux")["result"], "dry_run");
    assert!(!h.has_exited(teams));
    let (code, json) = h.run_json(&["clear-cache", "--if-over", "1", "--yes", "--json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["nothing_to_do"], false);
    let c = client(&json, "teams-for-linux");
    assert_eq!(c["result"], "ok");
    assert_eq!(c["regenerable_bytes"], 2_000_000);
    assert_eq!(c["removed"]["regenerable"]["bytes"], 2_000_000);
    assert!(h.has_exited(teams), "a client over the limit is quit first");
    assert!(!h.path(&format!("{TFL}/Cache/Cache_Data/f_0000")).exists());
    // The safe mode keeps the sign-in.
    assert!(h.path(&format!("{TFL}/IndexedDB/x.leveldb/LOG")).exists());
    // Now the cache is empty: nothing to do.
    let (code, json) = h.run_json(&["clear-cache", "--if-over", "0", "--yes", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(json["nothing_to_do"], true, "{json}");
}

/// Bytes that do not compress (a simple generator; seeded, so runs are alike).
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// Run as root (as CI does), every command first says on stderr whose Teams it works on
/// (issue 8's elevated notice); that line is expected and not part of what is checked here.
fn without_elevated_notice(stderr: &str) -> String {
    stderr
        .lines()
        .filter(|l| {
            !(common::is_root()
                && (l.starts_with("Running as administrator:")
                    || l.starts_with("Uitgevoerd als beheerder:")))
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Every entry of a zip: name and content.
fn unzip(path: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
        out.insert(f.name().unwrap().to_string(), bytes);
    }
    out
}

const USER: &str = "jdevries";
const MAIL: &str = "j.devries@contoso.nl";

/// Both clients, logs that name the user, and the support files
/// Teams saves in Downloads (new Teams' web logs and support folder, classic Teams' log).
fn home_for_a_bundle() -> FakeHome {
    let h = FakeHome::with_both_clients();
    let home = h.path("");
    let home = home.to_str().unwrap().trim_end_matches('/');
    h.write(
        &format!("{TFL}/logs/main.log"),
        format!("signed in as {MAIL} ({USER}) profile {home}/.config/teams-for-linux\n").as_bytes(),
    );
    h.write("Downloads/PROD-WebLogs-2026-11-24.zip", &noise(5000, 1));
    h.write(
        "Downloads/MSTeams Support Logs 2026-11-24/slimcore/slimcore-0.blog",
        &noise(3000, 2),
    );
    h.write(
        &format!("Downloads/MSTeams Diagnostics Log {USER} 11_24_2026.txt"),
        format!("user {MAIL}\n").as_bytes(),
    );
    h.write("Downloads/holiday.jpg", b"not a Teams file");
    h
}

#[test]
fn the_bundle_holds_the_report_journal_logs_archives_and_teams_support_files() {
    let _lock = process_lock();
    let h = home_for_a_bundle();
    // A full reset archives the logs it removes (a quick clean leaves them in place and writes
    // no archive): the bundle takes the newest archive per client. Teams then writes new logs.
    let (code, clear) = h.run_json(&[
        "clear-cache",
        "--mode",
        "full",
        "--no-backup",
        "--yes",
        "--json",
    ]);
    assert_eq!(code, 0, "{clear}");
    let home = h.path("");
    let home = home.to_str().unwrap().trim_end_matches('/');
    h.write(
        &format!("{TFL}/logs/main.log"),
        format!("signed in again as {MAIL} ({USER}) profile {home}/.config/teams-for-linux\n")
            .as_bytes(),
    );
    h.write(&format!("{CLASSIC}/logs.txt"), b"classic log\n");
    let archive = client(&clear, "teams-for-linux")["archive"]
        .as_str()
        .unwrap()
        .to_string();
    let archive_name = std::path::Path::new(&archive)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let zip_path = h.dir.path().join("bundle.zip");
    let out = h
        .cli()
        .env("USER", USER)
        .args(["bundle", "--output", zip_path.to_str().unwrap(), "--json"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["path"], zip_path.to_str().unwrap());
    assert_eq!(json["bytes"], std::fs::metadata(&zip_path).unwrap().len());
    let z = unzip(&zip_path);
    let names: Vec<&String> = z.keys().collect();

    // The report as text and JSON, for both clients.
    let text = String::from_utf8(z["teamsfix-report.txt"].clone()).unwrap();
    assert!(
        text.contains("Teams for Linux") && text.contains("linux-classic"),
        "{text}"
    );
    let report: serde_json::Value = serde_json::from_slice(&z["teamsfix-report.json"]).unwrap();
    assert_eq!(report["clients"].as_array().unwrap().len(), 2);
    assert_eq!(report["machine"]["user"], USER);
    // teamsfix's journal: the clear above.
    let journal = String::from_utf8(z["teamsfix-journal.jsonl"].clone()).unwrap();
    assert!(journal.contains("\"action\":\"clear\""), "{journal}");
    // The newest archive per client, byte for byte, and the logs still in each data root.
    let archived = format!("archives/{archive_name}/logs/main.log");
    assert_eq!(
        z[&archived],
        std::fs::read(format!("{archive}/logs/main.log")).unwrap()
    );
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("archives/") && n.ends_with("_linux-classic-native/logs.txt")),
        "{names:?}"
    );
    assert_eq!(z["logs/linux-classic-native/logs.txt"], b"classic log\n");
    assert!(z.contains_key("logs/teams-for-linux-native/logs/main.log"));
    // Teams' own support files from Downloads, and nothing else from there.
    assert_eq!(z["downloads/PROD-WebLogs-2026-11-24.zip"], noise(5000, 1));
    assert_eq!(
        z["downloads/MSTeams Support Logs 2026-11-24/slimcore/slimcore-0.blog"],
        noise(3000, 2)
    );
    assert!(z.contains_key(&format!(
        "downloads/MSTeams Diagnostics Log {USER} 11_24_2026.txt"
    )));
    assert!(!names.iter().any(|n| n.contains("holiday")), "{names:?}");
    // What is in it and what is not, for people and for tools.
    let contents: serde_json::Value = serde_json::from_slice(&z["contents.json"]).unwrap();
    assert_eq!(contents["left_out_count"], 0, "{contents}");
    assert!(String::from_utf8_lossy(&z["contents.txt"]).contains("Everything fitted"));
    // Nothing of the user was hidden: this bundle was not asked to.
    assert!(String::from_utf8_lossy(&z[&archived]).contains(MAIL));
}

#[test]
fn a_redacted_bundle_hides_personal_details_in_names_and_content() {
    let h = home_for_a_bundle();
    let home = h.path("");
    let home = home.to_str().unwrap().trim_end_matches('/').to_string();
    let zip_path = h.dir.path().join("redacted.zip");
    let out = h
        .cli()
        .env("USER", USER)
        .args(["bundle", "--redact", "--output", zip_path.to_str().unwrap()])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let z = unzip(&zip_path);
    for (name, bytes) in &z {
        assert!(!name.contains(USER), "a name shows the user: {name}");
        let text = String::from_utf8_lossy(bytes);
        for secret in [USER, MAIL, home.as_str()] {
            assert!(!text.contains(secret), "{name} shows {secret}");
        }
    }
    let log = String::from_utf8_lossy(&z["logs/teams-for-linux-native/logs/main.log"]).into_owned();
    assert!(
        log.contains("<e-mail>") && log.contains("<user>") && log.contains("~/.config"),
        "{log}"
    );
    assert!(
        z.contains_key("downloads/MSTeams Diagnostics Log <user> 11_24_2026.txt"),
        "{:?}",
        z.keys()
    );
    let report = String::from_utf8_lossy(&z["teamsfix-report.txt"]).into_owned();
    assert!(report.contains("<user>"), "{report}");
    // Files that are not text cannot be cleaned: left out, and listed with the reason.
    assert!(!z.contains_key("downloads/PROD-WebLogs-2026-11-24.zip"));
    let contents: serde_json::Value = serde_json::from_slice(&z["contents.json"]).unwrap();
    let left: Vec<(&str, &str)> = contents["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["name"].as_str().unwrap(), l["reason"].as_str().unwrap()))
        .collect();
    assert!(
        left.contains(&("downloads/PROD-WebLogs-2026-11-24.zip", "not_text")),
        "{left:?}"
    );
    assert_eq!(contents["redacted"], true);
}

#[test]
fn the_bundle_stays_under_its_cap_and_lists_what_did_not_fit() {
    let h = FakeHome::with_both_clients();
    for i in 0..4 {
        h.write(&format!("{TFL}/logs/big-{i}.log"), &noise(450_000, 10 + i));
    }
    let zip_path = h.dir.path().join("capped.zip");
    let (code, json) = h.run_json(&[
        "bundle",
        "--max-mb",
        "1",
        "--output",
        zip_path.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 0, "{json}");
    let size = std::fs::metadata(&zip_path).unwrap().len();
    assert!(size <= 1_000_000, "{size} bytes");
    assert_eq!(json["bytes"], size);
    let z = unzip(&zip_path);
    assert!(
        z.contains_key("teamsfix-report.txt") && z.contains_key("teamsfix-journal.jsonl")
            || z.contains_key("teamsfix-report.json")
    );
    let big_in = z.keys().filter(|n| n.contains("/big-")).count();
    assert!(
        (1..4).contains(&big_in),
        "{big_in} of 4 big logs fit in 1 MB: {:?}",
        z.keys()
    );
    let contents: serde_json::Value = serde_json::from_slice(&z["contents.json"]).unwrap();
    let too_big: Vec<&str> = contents["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["reason"] == "too_big")
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(too_big.len(), 4 - big_in, "{too_big:?}");
    assert!(String::from_utf8_lossy(&z["contents.txt"]).contains("did not fit"));
}

#[test]
fn bundles_go_to_teamsfixs_folder_named_by_date_and_computer_and_are_pruned() {
    let h = FakeHome::with_both_clients();
    let folder = h.data().join("bundles");
    std::fs::create_dir_all(&folder).unwrap();
    for day in 1..=6 {
        std::fs::write(
            folder.join(format!("2020-01-0{day}_10-00-00_teamsfix-bundle_old.zip")),
            b"old",
        )
        .unwrap();
    }
    let (code, json) = h.run_json(&["bundle", "--json"]);
    assert_eq!(code, 0, "{json}");
    let path = std::path::PathBuf::from(json["path"].as_str().unwrap());
    assert_eq!(path.parent().unwrap(), folder);
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let host = sysinfo_host();
    assert!(
        name.ends_with(&format!("_teamsfix-bundle_{host}.zip")),
        "{name} (host {host})"
    );
    assert_eq!(&name[4..5], "-");
    assert!(unzip(&path).contains_key("teamsfix-report.txt"));
    // The newest 5 are kept: the new one and four of the old.
    let left: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left.len(), 5, "{left:?}");
    assert!(
        !left
            .iter()
            .any(|n| n.starts_with("2020-01-01") || n.starts_with("2020-01-02"))
    );
    assert_eq!(json["pruned"].as_array().unwrap().len(), 2);
}

/// The computer's name as the bundle's file name carries it.
fn sysinfo_host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .unwrap()
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[test]
fn a_bundle_on_a_full_disk_fails_clearly_with_exit_4() {
    let h = FakeHome::with_both_clients();
    let out = h.run(&["bundle", "--output", "/dev/full"]);
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("disk full") && stderr.contains("/dev/full"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Nothing from outside the data root reaches the bundle: not through a hard link in the logs
/// (a file with another name), not through a folder of the logs that is a link.
#[test]
fn a_bundle_never_carries_a_file_from_outside_through_a_link_in_the_logs() {
    let h = FakeHome::with_both_clients();
    let secret = h.outside.path().join("id_secret");
    std::fs::write(&secret, b"TOP-SECRET-KEY").unwrap();
    std::fs::hard_link(&secret, h.path(&format!("{TFL}/logs/hard.log"))).unwrap();
    std::os::unix::fs::symlink(h.outside.path(), h.path(&format!("{TFL}/logs/linked"))).unwrap();
    let zip = h.dir.path().join("b.zip");
    let out = h.run(&["bundle", "--output", zip.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files = unzip(&zip);
    assert!(
        files.keys().any(|n| n.ends_with("logs/main.log")),
        "{:?}",
        files.keys()
    );
    for (name, body) in &files {
        assert!(
            !body.windows(14).any(|w| w == b"TOP-SECRET-KEY"),
            "{name} carries a file from outside"
        );
    }
    // The archive of a full reset does not copy it either, and the file outside stays.
    let (code, json) = h.clear_json("full", "teams-for-linux");
    assert_eq!(code, 0, "{json}");
    for e in walkdir::WalkDir::new(h.data()).into_iter().flatten() {
        if e.file_type().is_file() {
            let body = std::fs::read(e.path()).unwrap();
            assert!(
                !body.windows(14).any(|w| w == b"TOP-SECRET-KEY"),
                "{} carries a file from outside",
                e.path().display()
            );
        }
    }
    assert_eq!(std::fs::read(&secret).unwrap(), b"TOP-SECRET-KEY");
}

/// A real full file system (a small tmpfs; needs root): the bundle and the report fail with one
/// clear line and exit 4, leave no partial file, and the zip writer adds no message of its own.
#[test]
fn a_bundle_or_report_on_a_really_full_disk_leaves_nothing_and_says_one_line() {
    if !common::is_root() {
        eprintln!("skipped: needs root to mount a small tmpfs");
        return;
    }
    let h = FakeHome::with_both_clients();
    // Logs that do not compress and do not fit.
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let noise: Vec<u8> = (0..400_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 32) as u8
        })
        .collect();
    h.write(&format!("{TFL}/logs/big.log"), &noise);
    let small = h.dir.path().join("small");
    std::fs::create_dir_all(&small).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=128k", "teamsfix-full"])
        .arg(&small)
        .status();
    if !mounted.is_ok_and(|s| s.success()) {
        eprintln!("skipped: cannot mount a tmpfs here");
        return;
    }
    struct Unmount<'a>(&'a std::path::Path);
    impl Drop for Unmount<'_> {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(self.0).status();
        }
    }
    let _unmount = Unmount(&small);
    let zip = small.join("bundle.zip");
    let out = h.run(&["bundle", "--output", zip.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    let stderr = without_elevated_notice(&stderr);
    assert!(stderr.contains("disk full"), "{stderr}");
    assert!(!stderr.contains("ZipWriter"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(!zip.exists(), "no partial zip is left");
    // The disk filled to the last byte: a report does not fit either.
    let filler: Vec<u8> = vec![7u8; 4096];
    let mut f = std::fs::File::create(small.join("filler")).unwrap();
    while std::io::Write::write_all(&mut f, &filler).is_ok() {}
    drop(f);
    let report = small.join("report.txt");
    let out = h.run(&["report", "--output", report.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("disk full"), "{stderr}");
    assert!(!report.exists(), "no empty or partial report is left");
}

#[test]
fn a_bundle_cannot_go_to_a_pipe_and_says_so() {
    let h = FakeHome::with_both_clients();
    let (reader, writer) = std::io::pipe().unwrap();
    let out = h
        .cli()
        .args(["bundle", "--output", "/dev/stdout"])
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    drop(reader);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    let stderr = without_elevated_notice(&stderr);
    assert!(stderr.contains("--output"), "{stderr}");
    assert!(
        !stderr.contains("ZipWriter") && !stderr.contains("panicked"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
}

/// The sign-in and app data of teams-for-linux in the fixture: what a full reset removes and
/// its backup keeps (relative to the data root).
const SIGN_IN: [&str; 4] = [
    "Partitions/teams-4-linux/IndexedDB/https_teams.microsoft.com_0.indexeddb.leveldb/000003.log",
    "Partitions/teams-4-linux/Local Storage/leveldb/CURRENT",
    "IndexedDB/x.leveldb/LOG",
    "Preferences",
];

#[test]
fn a_full_reset_is_undone_byte_for_byte_and_newer_files_are_left_alone() {
    let _lock = process_lock();
    let mut h = FakeHome::with_both_clients();
    let root = h.path(TFL);
    let before: Vec<(Vec<u8>, std::time::SystemTime)> = SIGN_IN
        .iter()
        .map(|f| {
            let p = root.join(f);
            (
                std::fs::read(&p).unwrap(),
                std::fs::metadata(&p).unwrap().modified().unwrap(),
            )
        })
        .collect();
    let teams = h.spawn_named("teams-for-linux");
    let (code, json) = h.clear_json("full", "teams-for-linux");
    assert_eq!(code, 0, "{json}");
    assert!(h.has_exited(teams));
    let c = client(&json, "teams-for-linux");
    let backup = c["backup"]["folder"]
        .as_str()
        .expect("a backup")
        .to_string();
    assert!(
        backup.starts_with(h.data().join("backups").to_str().unwrap()),
        "{backup}"
    );
    assert_eq!(c["backup"]["files"], 4, "{c}");
    for f in SIGN_IN {
        assert!(!root.join(f).exists(), "{f} should be gone after the reset");
    }

    // Teams runs again and makes one of the files anew, and a file of its own.
    let newer = root.join(SIGN_IN[1]);
    std::fs::create_dir_all(newer.parent().unwrap()).unwrap();
    std::fs::write(&newer, b"MANIFEST-NEW").unwrap();
    std::fs::write(root.join("IndexedDB-new.ldb"), b"new").unwrap();
    let teams = h.spawn_named("teams-for-linux");

    let (code, json) = h.run_json(&["restore", "--json"]);
    assert_eq!(code, 0, "{json}");
    assert!(h.has_exited(teams), "restore quits Teams first");
    let r = &json["restored"][0];
    assert_eq!(r["id"], "teams-for-linux");
    assert_eq!(r["result"], "ok");
    assert_eq!(r["restored"]["files"], 3, "{r}");
    assert_eq!(r["kept"]["files"], 1);
    assert_eq!(r["kept_paths"][0], SIGN_IN[1]);
    for (i, f) in SIGN_IN.iter().enumerate() {
        let p = root.join(f);
        if i == 1 {
            assert_eq!(
                std::fs::read(&p).unwrap(),
                b"MANIFEST-NEW",
                "the newer file is left alone"
            );
            continue;
        }
        assert_eq!(std::fs::read(&p).unwrap(), before[i].0, "{f} byte for byte");
        assert_eq!(
            std::fs::metadata(&p).unwrap().modified().unwrap(),
            before[i].1,
            "{f} time"
        );
    }
    assert_eq!(
        std::fs::read(root.join("IndexedDB-new.ldb")).unwrap(),
        b"new"
    );
    // The journal says so; a second restore finds everything in place.
    let log = std::fs::read_to_string(h.data().join("actions.jsonl")).unwrap();
    assert!(log.contains("\"action\":\"restore\""), "{log}");
    let (code, again) = h.run_json(&["restore", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(again["restored"][0]["restored"]["files"], 0);
    assert_eq!(again["restored"][0]["kept"]["files"], 4);
    // The list names it; a name from the list restores that backup.
    let (code, list) = h.run_json(&["restore", "--list", "--json"]);
    assert_eq!(code, 0);
    let name = list["backups"][0]["name"].as_str().unwrap();
    assert!(backup.ends_with(name));
    assert_eq!(list["backups"][0]["complete"], true);
    let (code, _) = h.run_json(&["restore", name, "--json"]);
    assert_eq!(code, 0);
}

/// A later full reset without a backup is the last reset: "undo the last reset" must not put
/// back the older backup (sign-in data from before the earlier reset) in its place.
#[test]
fn undo_after_a_reset_without_backup_puts_nothing_back() {
    let _lock = process_lock();
    let h = FakeHome::with_both_clients();
    let root = h.path(TFL);
    let (code, json) = h.clear_json("full", "teams-for-linux");
    assert_eq!(code, 0, "{json}");
    assert!(client(&json, "teams-for-linux")["backup"]["folder"].is_string());
    // Teams signs in again (new sign-in data), then a reset without a backup.
    std::fs::create_dir_all(root.join(SIGN_IN[0]).parent().unwrap()).unwrap();
    std::fs::write(root.join(SIGN_IN[0]), b"second sign-in").unwrap();
    let (code, json) = h.run_json(&[
        "clear-cache",
        "--mode",
        "full",
        "--client",
        "teams-for-linux",
        "--no-backup",
        "--yes",
        "--json",
    ]);
    assert_eq!(code, 0, "{json}");
    assert!(!root.join(SIGN_IN[0]).exists());

    let (code, json) = h.run_json(&["restore", "--json"]);
    assert_eq!(code, 2, "refused: the last reset kept nothing: {json}");
    assert!(
        json["error"].as_str().unwrap().contains("kept no backup"),
        "{json}"
    );
    for f in SIGN_IN {
        assert!(
            !root.join(f).exists(),
            "{f} must not come back from the older backup"
        );
    }
    let out = h.run(&["restore"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("kept no backup"));

    // The older backup is still listed (the record is not) and can be put back by name.
    let (code, list) = h.run_json(&["restore", "--list", "--json"]);
    assert_eq!(code, 0);
    let backups = list["backups"].as_array().unwrap();
    assert_eq!(backups.len(), 1, "{list}");
    let name = backups[0]["name"].as_str().unwrap();
    let (code, json) = h.run_json(&["restore", name, "--json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["restored"][0]["restored"]["files"], 4, "{json}");
}

#[test]
fn reset_and_restore_keep_sign_in_data_private_and_bring_back_long_and_odd_names() {
    use std::os::unix::fs::PermissionsExt;
    let _lock = process_lock();
    let h = FakeHome::with_both_clients();
    let root = h.path(TFL);
    // Chromium keeps its cookies readable by the user only; a name at the 255-byte limit.
    h.write(&format!("{TFL}/Cookies"), b"session-cookie");
    std::fs::set_permissions(root.join("Cookies"), std::fs::Permissions::from_mode(0o600)).unwrap();
    let long = format!("IndexedDB/{}", "n".repeat(255));
    h.write(&format!("{TFL}/{long}"), b"long name");
    // A name that is not valid UTF-8.
    let odd = root
        .join("IndexedDB")
        .join(<std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(b"a\xffb.ldb"));
    std::fs::write(&odd, b"not unicode").unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let (code, json) = h.clear_json("full", "teams-for-linux");
    assert_eq!(code, 0, "{json}");
    let backup = std::path::PathBuf::from(
        client(&json, "teams-for-linux")["backup"]["folder"]
            .as_str()
            .expect("a backup"),
    );
    // In the backup (and the log archive) nothing is open to group or others.
    for top in [backup.clone(), h.data().join("archives")] {
        for e in walkdir::WalkDir::new(&top).min_depth(1) {
            let e = e.unwrap();
            let m = mode(e.path());
            assert_eq!(m & 0o077, 0, "{} is {m:o}", e.path().display());
        }
    }
    assert!(!root.join("Cookies").exists());
    let (code, json) = h.run_json(&["restore", "--json"]);
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["restored"][0]["result"], "ok", "{json}");
    assert_eq!(
        std::fs::read(root.join("Cookies")).unwrap(),
        b"session-cookie"
    );
    assert_eq!(
        mode(&root.join("Cookies")),
        0o600,
        "the cookies stay private"
    );
    assert_eq!(std::fs::read(root.join(&long)).unwrap(), b"long name");
    assert_eq!(std::fs::read(&odd).unwrap(), b"not unicode");
    let leftovers: Vec<_> = walkdir::WalkDir::new(&root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("teamsfix-restore"))
        .map(|e| e.path().to_path_buf())
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn restore_never_follows_a_link_planted_on_the_way() {
    let _lock = process_lock();
    let h = FakeHome::with_both_clients();
    let root = h.path(TFL);
    let (code, json) = h.clear_json("full", "teams-for-linux");
    assert_eq!(code, 0, "{json}");
    // Where the sign-in data goes back, a link to a folder outside the home now waits.
    let trap = h.outside.path().join("trap");
    std::fs::create_dir_all(&trap).unwrap();
    std::fs::remove_dir_all(root.join("Partitions")).unwrap();
    std::os::unix::fs::symlink(&trap, root.join("Partitions")).unwrap();
    let (code, json) = h.run_json(&["restore", "--json"]);
    assert_eq!(code, 4, "partly restored: {json}");
    let r = &json["restored"][0];
    assert_eq!(r["result"], "partial");
    assert_eq!(r["failures"].as_array().unwrap().len(), 2, "{r}");
    assert!(
        r["failures"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("in the way"),
        "{r}"
    );
    assert_eq!(
        std::fs::read_dir(&trap).unwrap().count(),
        0,
        "nothing written through the link"
    );
    // The rest is back.
    assert!(root.join("Preferences").is_file());
    assert!(root.join("IndexedDB/x.leveldb/LOG").is_file());
}

#[test]
fn restore_refuses_a_data_root_that_changed_kind() {
    let _lock = process_lock();
    let h = FakeHome::with_both_clients();
    let root = h.path(TFL);
    let (code, _) = h.clear_json("full", "teams-for-linux");
    assert_eq!(code, 0);
    // The data root is now a link to another folder in the home.
    let elsewhere = h.path(".config/elsewhere");
    std::fs::rename(&root, &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &root).unwrap();
    let before = common::snapshot(&elsewhere);
    let (code, json) = h.run_json(&["restore", "--json"]);
    assert_eq!(code, 2, "{json}");
    assert_eq!(json["restored"][0]["result"], "refused");
    assert_eq!(common::snapshot(&elsewhere), before, "nothing was written");
}

#[test]
fn restore_refuses_a_data_root_that_became_a_file_and_says_not_restored() {
    let _lock = process_lock();
    let h = FakeHome::with_both_clients();
    let root = h.path(TFL);
    let (code, _) = h.clear_json("full", "teams-for-linux");
    assert_eq!(code, 0);
    std::fs::rename(&root, h.path(".config/moved-away")).unwrap();
    std::fs::write(&root, b"a file now").unwrap();
    let out = h.run(&["restore", "--client", "teams-for-linux"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.contains("Not restored") && stdout.contains("not a folder"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("Not cleared"),
        "a restore is not a clear: {stdout}"
    );
    assert_eq!(std::fs::read(&root).unwrap(), b"a file now");
}

#[test]
fn restore_refuses_a_data_root_that_changed_owner() {
    if !common::is_root() {
        eprintln!("skipped: changing a folder's owner needs root");
        return;
    }
    let _lock = process_lock();
    let h = FakeHome::with_both_clients();
    let root = h.path(TFL);
    let (code, _) = h.clear_json("full", "teams-for-linux");
    assert_eq!(code, 0);
    let c = std::ffi::CString::new(root.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::lchown(c.as_ptr(), 54321, 54321) }, 0);
    let before = common::snapshot(&root);
    let (code, json) = h.run_json(&["restore", "--json"]);
    assert_eq!(code, 2, "{json}");
    let reason = json["restored"][0]["skipped_reason"]
        .as_str()
        .unwrap_or_default();
    assert!(
        reason.contains("owner")
            || reason.contains("not the one")
            || reason.contains("another user"),
        "{json}"
    );
    assert_eq!(common::snapshot(&root), before, "nothing was written");
}

#[test]
fn no_backup_means_nothing_to_undo_and_a_backup_that_fails_stops_the_reset() {
    let _lock = process_lock();
    let h = FakeHome::with_both_clients();
    let (code, json) = h.run_json(&[
        "clear-cache",
        "--mode",
        "full",
        "--no-backup",
        "--client",
        "teams-for-linux",
        "--yes",
        "--json",
    ]);
    assert_eq!(code, 0, "{json}");
    assert!(client(&json, "teams-for-linux").get("backup").is_none());
    // No backup, only the record that this reset kept nothing (one small manifest).
    let (_, list) = h.run_json(&["restore", "--list", "--json"]);
    assert_eq!(list["backups"].as_array().unwrap().len(), 0, "{list}");
    let copied = teamsfix::platform::retention::size_of(&h.data().join("backups"));
    assert!(copied < 4096, "{copied} bytes kept without a backup");
    let (code, json) = h.run_json(&["restore", "--json"]);
    assert_eq!(code, 2, "{json}");
    assert!(json["error"].as_str().unwrap().contains("nothing to undo"));

    // The backup cannot be made (its folder is a file): the reset is refused, nothing removed.
    let h = FakeHome::with_both_clients();
    std::fs::create_dir_all(h.data()).unwrap();
    std::fs::write(h.data().join("backups"), b"in the way").unwrap();
    let before = common::snapshot(&h.path(TFL));
    let (code, json) = h.clear_json("full", "teams-for-linux");
    assert_eq!(code, 2, "{json}");
    let c = client(&json, "teams-for-linux");
    assert_eq!(c["result"], "refused");
    assert!(
        c["skipped_reason"].as_str().unwrap().contains("backup"),
        "{c}"
    );
    assert_eq!(
        common::snapshot(&h.path(TFL)),
        before,
        "nothing was removed"
    );
}

#[test]
fn every_cli_write_goes_through_the_checked_macros() {
    // std's println!/print!/eprintln! panic when the output cannot be written (a closed pipe,
    // a full disk); teamsfix-cli writes through outln!/out!/errln! (output.rs) instead.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/bin/teamsfix-cli");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            // A macro name standing alone (`println!(`, not part of `outln!(`).
            let used = |mac: &str| {
                code.match_indices(mac).any(|(i, _)| {
                    code[..i]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !c.is_alphanumeric() && c != '_')
                })
            };
            if ["println!(", "print!(", "eprintln!(", "eprint!("]
                .into_iter()
                .any(used)
            {
                found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "use outln!/out!/errln!: {found:#?}");
}
