//! Two teamsfix at once, as real processes: a fleet tool (Intune) runs `clear-cache` while the
//! user double-clicks teamsfix, a helpdesk agent starts a second copy. The first to start holds
//! the per-user lock in teamsfix's data folder for the whole of its work; every other clear,
//! reset, restore, quit, restart and bundle stops at once with exit code 5 and one line naming
//! it (or waits with `--wait SECS`). Without the lock, two clears of one data root reported
//! each other's files as failures (exit 4), a reset racing a reset refused with "the backup
//! could not be made", and a restore could be undone by a clear.
#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

mod common;
use common::{FakeHome, TFL, process_lock};

/// Starts `clear-cache --mode full` for teams-for-linux while a teams-for-linux that ignores
/// SIGTERM runs: it holds the lock while it waits `--timeout 600` seconds for Teams to quit.
/// Returns once the holder note in the data folder names it.
// The caller waits for the child it gets back (`stop`).
#[allow(clippy::zombie_processes)]
fn first_teamsfix_at_work(h: &mut FakeHome) -> Child {
    h.spawn_stubborn("teams-for-linux");
    let mut first = h
        .cli()
        .args([
            "clear-cache",
            "--mode",
            "full",
            "--client",
            "teams-for-linux",
            "--yes",
            "--timeout",
            "600",
            "--json",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let note = h.data().join("teamsfix.lock.owner");
    let started = Instant::now();
    loop {
        if let Ok(text) = std::fs::read_to_string(&note)
            && text.contains(&format!("\"pid\":{}", first.id()))
        {
            return first;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = first.kill();
            let _ = first.wait();
            panic!("the first teamsfix never took the lock");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn stop(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn a_second_teamsfix_stops_at_once_and_names_the_first() {
    let _lock = process_lock();
    let mut h = FakeHome::with_both_clients();
    let first = first_teamsfix_at_work(&mut h);
    let pid = first.id().to_string();
    let before = common::snapshot(&h.path(""));

    let attempts: [&[&str]; 6] = [
        &["clear-cache", "--mode", "safe", "--yes", "--json"],
        &["clear-cache", "--mode", "full", "--yes", "--json"],
        &["restore", "--json"],
        &["quit", "--timeout", "1", "--json"],
        &["bundle", "--wait", "0", "--json"],
        &["restart"],
    ];
    for args in attempts {
        let out = h.run(args);
        assert_eq!(out.status.code(), Some(5), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let line = stderr
            .lines()
            .find(|l| l.contains("Another teamsfix"))
            .unwrap_or_else(|| panic!("{args:?}: {stderr}"));
        assert!(
            line.contains(&pid) && line.contains("is resetting Teams"),
            "{args:?}: {line}"
        );
        if args.contains(&"--json") {
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
            assert_eq!(v["exit_code"], 5);
            assert_eq!(v["busy"], true);
        }
    }
    // Nothing of the data root changed, and the second teamsfix quit nothing.
    assert_eq!(common::snapshot(&h.path("")), before);
    assert!(!h.data().join("bundles").exists());

    // The lock goes with the process: killed, it holds nothing.
    stop(first);
    let (code, v) = h.run_json(&[
        "clear-cache",
        "--mode",
        "safe",
        "--client",
        "teams-for-linux",
        "--yes",
        "--timeout",
        "1",
        "--json",
    ]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(common::client(&v, "teams-for-linux")["result"], "ok");
}

#[test]
fn with_wait_a_second_teamsfix_waits_for_the_first_and_then_runs() {
    let _lock = process_lock();
    let mut h = FakeHome::with_both_clients();
    let first = first_teamsfix_at_work(&mut h);
    let mut second = h
        .cli()
        .args([
            "--wait",
            "600",
            "clear-cache",
            "--mode",
            "safe",
            "--client",
            "teams-for-linux",
            "--yes",
            "--timeout",
            "1",
            "--json",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // It says it waits, and for whom; only then is the first one stopped.
    let mut stderr = BufReader::new(second.stderr.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "no waiting line");
        if line.contains("Waiting for the other teamsfix") {
            break;
        }
    }
    assert!(line.contains(&first.id().to_string()), "{line}");
    stop(first);
    let out = second.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(common::client(&v, "teams-for-linux")["result"], "ok");
    assert!(!h.path(&format!("{TFL}/Cache/Cache_Data/f_0000")).exists());
}

#[test]
fn teams_started_by_a_clear_does_not_keep_the_lock() {
    let _lock = process_lock();
    let h = FakeHome::with_both_clients();
    // A teams-for-linux that stays running after teamsfix started it, and says who it is.
    let bin = h.dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let pidfile = h.dir.path().join("teams.pid");
    let exe = bin.join("teams-for-linux");
    std::fs::write(
        &exe,
        format!(
            "#!/bin/sh\necho $$ > '{}'\nexec sleep 600 </dev/null >/dev/null 2>&1\n",
            pidfile.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&exe, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let mut c = h.cli();
    c.env("PATH", format!("{}:/usr/bin:/bin", bin.display()));
    let out = c
        .args([
            "clear-cache",
            "--mode",
            "safe",
            "--client",
            "teams-for-linux",
            "--yes",
            "--restart",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let started = Instant::now();
    let teams: i32 = loop {
        if let Some(pid) = std::fs::read_to_string(&pidfile)
            .ok()
            .and_then(|t| t.trim().parse().ok())
        {
            break pid;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "Teams not started"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    // The lock is free while that Teams runs: the next teamsfix is not told another is at work.
    let out = h.run(&["quit", "--client", "linux-classic", "--timeout", "1"]);
    // SAFETY: kill(2) of the process this test's teamsfix started (its pid from the file).
    unsafe { libc::kill(teams, libc::SIGKILL) };
    assert_eq!(
        out.status.code(),
        Some(0),
        "the started Teams holds the lock"
    );
}
