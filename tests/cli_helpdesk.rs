//! Black-box tests of the helpdesk tools of `teamsfix-cli` on Linux: output that cannot be
//! written (a closed pipe, a full disk), `clear-cache --if-over`, the support bundle, and a full
//! reset undone by `restore`. Real files in a fake home, real processes named like Teams.
#![cfg(target_os = "linux")]

mod common;

use common::{FakeHome, TFL, client, process_lock};
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
