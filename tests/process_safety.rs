//! Process and platform safety on Linux, with real processes and real folders: quitting through
//! pidfds, failing closed when the process list or the user cannot be read, refusing data roots
//! and home folders of another user, checking a root again right before it is moved, starting
//! programs only by absolute path, and teams-for-linux's user files and `--user-data-dir`
//! instances.
#![cfg(target_os = "linux")]

mod common;

use common::{FakeHome, TFL, client, files, is_root, process_lock, snapshot};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use teamsfix::cache::clear::Mode;
use teamsfix::clients::client_table::Os;
use teamsfix::clients::discover;
use teamsfix::common::i18n::Lang;
use teamsfix::common::progress::CancelToken;
use teamsfix::platform::user_folders::UserFolders;
use teamsfix::repair::sequence::{self, ClearPlan, ClearResult};
use teamsfix::report::journal::Journal;

/// A process whose executable is named `teams-for-linux` and whose command line names
/// `--user-data-dir=DIR`: a copy of the system shell (`sh -c 'read x' --user-data-dir=DIR` waits
/// on its stdin). Renamed `sleep` cannot be used: it rejects the unknown option.
fn spawn_instance(h: &FakeHome, dir: &Path) -> Child {
    spawn_instance_in(h, &dir.display().to_string(), &h.path(""))
}

/// [`spawn_instance`] with `--user-data-dir=ARG` as given (maybe relative), started in `cwd`.
fn spawn_instance_in(h: &FakeHome, arg: &str, cwd: &Path) -> Child {
    let bin = h.dir.path().join("bin-sh");
    std::fs::create_dir_all(&bin).unwrap();
    let exe = bin.join("teams-for-linux");
    if !exe.exists() {
        std::fs::copy(std::fs::canonicalize("/bin/sh").unwrap(), &exe).unwrap();
        // Run it once so no forked test thread still holds it open for writing.
        for _ in 0..200 {
            match Command::new(&exe).args(["-c", "exit 0"]).status() {
                Ok(_) => break,
                Err(e) if e.raw_os_error() == Some(26) => {
                    std::thread::sleep(Duration::from_millis(10))
                }
                Err(e) => panic!("{e}"),
            }
        }
    }
    let child = Command::new(&exe)
        .args(["-c", "read x"])
        .arg(format!("--user-data-dir={arg}"))
        .current_dir(cwd)
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    for _ in 0..200 {
        if std::fs::read(format!("/proc/{pid}/cmdline"))
            .is_ok_and(|c| String::from_utf8_lossy(&c).contains("--user-data-dir="))
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child
}

fn ended(child: &mut Child) -> bool {
    for _ in 0..100 {
        if child.try_wait().unwrap().is_some() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// A teams-for-linux data folder of a second account, as teams-for-linux leaves it.
fn instance_root(h: &FakeHome, rel: &str) -> PathBuf {
    h.write(&format!("{rel}/Preferences"), b"{}");
    h.write(&format!("{rel}/config.json"), br#"{"appTitle":"Work"}"#);
    h.write(&format!("{rel}/Cache/Cache_Data/f1"), &[1u8; 700]);
    h.write(&format!("{rel}/Partitions/teams-4-linux/IndexedDB/x"), b"s");
    h.write(&format!("{rel}/notes-of-the-user.txt"), b"mine");
    h.path(rel)
}

fn folders(h: &FakeHome) -> UserFolders {
    let home = h.path("");
    UserFolders::from_parts(
        home.clone(),
        home.join(".config"),
        home.join(".local/share"),
    )
    .unwrap()
}

#[test]
fn teams_for_linux_user_files_are_kept_and_safe_mode_removes_every_regenerable_cache() {
    let _lock = process_lock();
    let h = FakeHome::with_both_clients();
    let user_files = [
        "settings.json",
        "teams_settings.json",
        "stickers/party parrot.png",
        "config.json",
    ];
    for f in &user_files[..3] {
        h.write(&format!("{TFL}/{f}"), f.as_bytes());
    }
    let caches = [
        "GrShaderCache/data_0",
        "GraphiteDawnCache/data_1",
        "ShaderCache/index",
        "blob_storage/1b2c/1",
        "Service Worker/CacheStorage/ab/0",
        "Partitions/teams-4-linux/Service Worker/CacheStorage/cd/1",
        "Partitions/teams-4-linux/blob_storage/ef/2",
    ];
    for f in caches {
        h.write(&format!("{TFL}/{f}"), b"cache");
    }
    let (code, json) = h.clear_json("safe", "teams-for-linux");
    assert_eq!(code, 0, "{json}");
    for f in caches {
        assert!(
            !h.path(&format!("{TFL}/{f}")).exists(),
            "{f} must go in safe mode"
        );
    }
    // Sign-in state stays in safe mode.
    assert!(
        h.path(&format!("{TFL}/Partitions/teams-4-linux/IndexedDB"))
            .is_dir()
    );
    let kept: Vec<Vec<u8>> = user_files
        .iter()
        .map(|f| std::fs::read(h.path(&format!("{TFL}/{f}"))).unwrap())
        .collect();
    let (code, json) = h.clear_json("full", "teams-for-linux");
    assert_eq!(code, 0, "{json}");
    for (f, bytes) in user_files.iter().zip(&kept) {
        assert_eq!(
            &std::fs::read(h.path(&format!("{TFL}/{f}"))).unwrap(),
            bytes,
            "{f} is the user's and must survive a full reset"
        );
    }
    assert_eq!(
        files(&client(&json, "teams-for-linux")["removed"], "user_data"),
        0
    );
}

#[test]
fn a_user_data_dir_instance_is_listed_attributed_quit_and_cleared() {
    let _lock = process_lock();
    let mut h = FakeHome::with_both_clients();
    let work = instance_root(&h, "accounts/work");
    let default_pid = h.spawn_named("teams-for-linux");
    let mut instance = spawn_instance(&h, &work);
    // An instance naming the usual root explicitly is the usual root, not a new one.
    let mut explicit = spawn_instance(&h, &h.path(TFL));

    let (code, json) = h.run_json(&["status", "--json"]);
    assert_eq!(code, 0);
    let roots: Vec<&serde_json::Value> = json["clients"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == "teams-for-linux")
        .collect();
    assert_eq!(roots.len(), 2, "{json}");
    let inst = roots
        .iter()
        .find(|c| c["variant"] == "user-data-dir")
        .expect("the instance's root is listed");
    assert_eq!(inst["data_root"], work.to_str().unwrap());
    assert!(inst["refused"].is_null(), "{inst}");
    let pids = |c: &serde_json::Value| -> Vec<u64> {
        c["running"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["pid"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(pids(inst), vec![instance.id() as u64]);
    let native = roots.iter().find(|c| c["variant"] == "native").unwrap();
    let mut want = vec![default_pid as u64, explicit.id() as u64];
    want.sort();
    assert_eq!(pids(native), want);

    // A clear quits every instance and clears every root; the folder the user keeps their own
    // notes in, inside the instance's root, is not something teamsfix knows: it stays.
    let (code, json) = h.clear_json("full", "teams-for-linux");
    assert_eq!(code, 0, "{json}");
    assert!(h.has_exited(default_pid));
    assert!(ended(&mut instance));
    assert!(ended(&mut explicit));
    assert!(!work.join("Cache").exists());
    assert!(!work.join("Partitions/teams-4-linux/IndexedDB").exists());
    assert_eq!(
        std::fs::read(work.join("notes-of-the-user.txt")).unwrap(),
        b"mine"
    );
    assert!(work.join("config.json").is_file());
    let results: Vec<&str> = json["clients"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == "teams-for-linux")
        .map(|c| c["result"].as_str().unwrap())
        .collect();
    assert_eq!(results, ["ok", "ok"]);
}

/// `--user-data-dir=work space` (relative, with a space) names a folder below the instance's
/// working folder, as Chromium reads it: that root is found, the instance belongs to it (not
/// to the usual root), and a clear of the usual root does not quit it.
#[test]
fn a_relative_user_data_dir_belongs_to_the_folder_below_the_instance_working_folder() {
    let _lock = process_lock();
    let mut h = FakeHome::with_both_clients();
    let work = instance_root(&h, "accounts/work space");
    let default_pid = h.spawn_named("teams-for-linux");
    let mut instance = spawn_instance_in(&h, "work space", &h.path("accounts"));
    let f = folders(&h);
    let installs = discover::discover(&f, Os::Linux);
    let inst = installs
        .iter()
        .find(|i| i.shown_root == work)
        .expect("the relative instance root is found");
    assert!(inst.root.is_ok(), "{:?}", inst.root);
    let native = installs
        .iter()
        .find(|i| i.id() == "teams-for-linux" && i.variant() == "native")
        .unwrap();
    let data = h.data();
    let journal = Journal {
        data_dir: &data,
        lang: Lang::En,
    };
    // Clearing the usual root quits only the Teams that uses it.
    let quit = sequence::quit_for_clear(&[native], &f, Duration::from_secs(5), &journal);
    let quit_pids: Vec<u32> = quit
        .closed
        .iter()
        .chain(&quit.forced)
        .map(|p| p.pid)
        .collect();
    assert_eq!(quit_pids, vec![default_pid], "{quit:?}");
    assert!(!ended(&mut instance), "the other account keeps running");
    // Clearing the instance's root quits the instance.
    let quit = sequence::quit_for_clear(&[inst], &f, Duration::from_secs(5), &journal);
    assert_eq!(quit.closed.len(), 1, "{quit:?}");
    assert_eq!(quit.closed[0].pid, instance.id());
    assert!(ended(&mut instance));
}

#[test]
fn clearing_one_root_quits_only_the_processes_that_use_it() {
    let _lock = process_lock();
    let mut h = FakeHome::with_both_clients();
    let work = instance_root(&h, "accounts/work");
    let default_pid = h.spawn_named("teams-for-linux");
    let mut instance = spawn_instance(&h, &work);
    let f = folders(&h);
    let installs = discover::discover(&f, Os::Linux);
    let inst = installs
        .iter()
        .find(|i| i.shown_root == work)
        .expect("instance found");
    assert!(inst.is_instance_root());
    let data = h.data();
    let journal = Journal {
        data_dir: &data,
        lang: Lang::En,
    };
    let quit = sequence::quit_for_clear(&[inst], &f, Duration::from_secs(5), &journal);
    assert_eq!(quit.closed.len(), 1, "{quit:?}");
    assert_eq!(quit.closed[0].pid, instance.id());
    assert!(ended(&mut instance));
    assert!(
        !h.has_exited(default_pid),
        "the other account's Teams keeps running"
    );
}

#[test]
fn a_user_data_dir_outside_the_user_folders_or_not_a_data_root_is_refused_and_not_quit() {
    let _lock = process_lock();
    let h = FakeHome::new();
    let outside = h.outside.path().join("tfl");
    std::fs::create_dir_all(outside.join("Cache")).unwrap();
    std::fs::write(outside.join("Preferences"), b"{}").unwrap();
    std::fs::write(outside.join("Cache/f"), b"x").unwrap();
    // Inside the home folder but not a teams-for-linux folder: the user's documents.
    h.write("Documents/Cache/report.docx", b"important");
    let docs = h.path("Documents");
    let mut a = spawn_instance(&h, &outside);
    let mut b = spawn_instance(&h, &docs);
    let before_outside = snapshot(h.outside.path());
    let before_docs = snapshot(&docs);
    let (code, json) = h.run_json(&["clear-cache", "--mode", "full", "--yes", "--json"]);
    assert_eq!(code, 2, "{json}");
    let reasons: Vec<String> = json["clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            assert_eq!(c["result"], "refused");
            c["skipped_reason"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(reasons.len(), 2, "{json}");
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("outside your user folders"))
    );
    assert!(reasons.iter().any(|r| r.contains("does not look like one")));
    assert_eq!(snapshot(h.outside.path()), before_outside);
    assert_eq!(snapshot(&docs), before_docs);
    // Nothing will be cleared, so nothing is quit.
    assert!(json["quit"].as_array().unwrap().is_empty(), "{json}");
    assert!(!ended(&mut a) && !ended(&mut b));
    let _ = a.kill();
    let _ = b.kill();
    let _ = a.wait();
    let _ = b.wait();
}

#[test]
fn a_client_whose_roots_are_all_refused_is_not_quit() {
    let _lock = process_lock();
    let mut h = FakeHome::new();
    let target = h.outside.path().join("teams-for-linux");
    std::fs::create_dir_all(target.join("Cache")).unwrap();
    std::fs::create_dir_all(h.path(".config")).unwrap();
    std::os::unix::fs::symlink(&target, h.path(TFL)).unwrap();
    let pid = h.spawn_named("teams-for-linux");
    let (code, json) = h.run_json(&["clear-cache", "--mode", "safe", "--yes", "--json"]);
    assert_eq!(code, 2);
    assert_eq!(client(&json, "teams-for-linux")["result"], "refused");
    assert!(json["quit"].as_array().unwrap().is_empty());
    assert!(
        !h.has_exited(pid),
        "Teams must not be quit for a clear that will not happen"
    );
}

/// Runs the CLI in a private mount namespace where `setup` (shell code) has replaced `/proc`.
fn run_with_broken_proc(h: &FakeHome, setup: &str, args: &[&str]) -> std::process::Output {
    let script = format!("{setup}\nexec \"$0\" \"$@\"");
    let mut cmd = Command::new("unshare");
    cmd.args([
        "--mount",
        "--propagation",
        "private",
        "/bin/sh",
        "-c",
        &script,
    ])
    .arg(env!("CARGO_BIN_EXE_teamsfix-cli"))
    .arg("--lang")
    .arg("en")
    .args(args);
    let probe = h.cli_bare();
    for (k, v) in probe.get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    cmd.env("PATH", "/usr/bin:/bin")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn can_unshare() -> bool {
    is_root()
        && Command::new("unshare")
            .args(["--mount", "true"])
            .status()
            .is_ok_and(|s| s.success())
}

#[test]
fn an_unreadable_process_list_refuses_to_quit_or_clear() {
    if !can_unshare() {
        eprintln!("skipped: needs root and unshare to hide /proc from one process");
        return;
    }
    let _lock = process_lock();
    let mut h = FakeHome::with_both_clients();
    let pid = h.spawn_named("teams-for-linux");
    let before = snapshot(&h.path(""));
    let hide = "mount -t tmpfs none /proc";
    let out = run_with_broken_proc(
        &h,
        hide,
        &["clear-cache", "--mode", "full", "--yes", "--json"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("could not be read"), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for c in json["clients"].as_array().unwrap() {
        assert_eq!(c["result"], "refused", "{json}");
    }
    assert!(json["quit_refused"].is_string());
    assert_eq!(
        snapshot(&h.path("")),
        before,
        "nothing may change without knowing whether Teams runs"
    );
    assert!(!h.has_exited(pid));
    let out = run_with_broken_proc(&h, hide, &["quit", "--json"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(!h.has_exited(pid));
}

#[test]
fn an_unreadable_process_list_refuses_to_restore() {
    if !can_unshare() {
        eprintln!("skipped: needs root and unshare to hide /proc from one process");
        return;
    }
    let _lock = process_lock();
    let h = FakeHome::with_both_clients();
    // A full reset with its backup, read normally.
    let out = h
        .cli()
        .args([
            "clear-cache",
            "--mode",
            "full",
            "--client",
            "teams-for-linux",
            "--yes",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let before = snapshot(&h.path(""));
    // Undoing it without a readable process list: Teams may be running, so nothing is put back.
    let out = run_with_broken_proc(&h, "mount -t tmpfs none /proc", &["restore", "--json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("could not be read"), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["restored"][0]["result"], "refused", "{json}");
    assert_eq!(snapshot(&h.path("")), before, "nothing was restored");
}

#[test]
fn an_unknown_current_user_matches_no_process_and_refuses() {
    if !can_unshare() {
        eprintln!("skipped: needs root and unshare to hide /proc from one process");
        return;
    }
    let _lock = process_lock();
    let mut h = FakeHome::with_both_clients();
    let pid = h.spawn_named("teams-for-linux");
    let before = snapshot(&h.path(""));
    // teamsfix (which keeps this shell's pid through exec) is listed, but who runs it is not
    // readable: its status file, which holds the uid, is missing.
    let scratch = tempfile::tempdir().unwrap();
    let setup = format!(
        "S='{}'; cp /proc/$$/stat /proc/$$/cmdline \"$S\"/ && cp /proc/stat \"$S\"/procstat && \
         mount -t tmpfs none /proc && mkdir /proc/$$ && \
         cp \"$S\"/stat \"$S\"/cmdline /proc/$$/ && cp \"$S\"/procstat /proc/stat",
        scratch.path().display()
    );
    let out = run_with_broken_proc(
        &h,
        &setup,
        &["clear-cache", "--mode", "full", "--yes", "--json"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("which user it runs as"), "{stderr}");
    assert_eq!(snapshot(&h.path("")), before);
    assert!(!h.has_exited(pid));
}

/// A uid the user database does not know (a container, `setpriv --reuid` to a free number):
/// whose Teams this is cannot be told, so nothing is quit or cleared (exit 2, said in one line).
#[test]
fn a_uid_without_a_user_entry_refuses_to_clear() {
    let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
        .into_iter()
        .find(|p| Path::new(p).is_file());
    let (true, Some(setpriv)) = (is_root(), setpriv) else {
        eprintln!("skipped: needs root and setpriv to run as a uid nobody has");
        return;
    };
    let uid = 54329;
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    assert!(!passwd.lines().any(|l| l.split(':').nth(2) == Some("54329")));
    let _lock = process_lock();
    let h = FakeHome::with_both_clients();
    // The whole fake home (and a copy of the CLI) belongs to that uid, as a home would.
    let cli = h.dir.path().join("teamsfix-cli");
    std::fs::copy(env!("CARGO_BIN_EXE_teamsfix-cli"), &cli).unwrap();
    let chown = Command::new("chown")
        .args(["-R", "-h", &format!("{uid}:{uid}")])
        .arg(h.dir.path())
        .status()
        .unwrap();
    assert!(chown.success());
    let before = snapshot(&h.path(""));
    let mut cmd = Command::new(setpriv);
    cmd.args([
        &format!("--reuid={uid}"),
        &format!("--regid={uid}"),
        "--clear-groups",
    ])
    .arg(&cli)
    .args([
        "--lang",
        "en",
        "clear-cache",
        "--mode",
        "full",
        "--yes",
        "--json",
    ]);
    for (k, v) in h.cli_bare().get_envs() {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let out = cmd.stdin(Stdio::null()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("which user it runs as"), "{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for c in json["clients"].as_array().unwrap() {
        assert_eq!(c["result"], "refused", "{json}");
    }
    assert_eq!(snapshot(&h.path("")), before, "nothing may change");
}

#[test]
fn a_data_root_or_home_of_another_user_is_refused() {
    if !is_root() {
        eprintln!("skipped: needs root to give folders to another uid");
        return;
    }
    let _lock = process_lock();
    let mut h = FakeHome::with_both_clients();
    let pid = h.spawn_named("teams-for-linux");
    let chown = |p: &Path| {
        let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::chown(c.as_ptr(), 65534, 65534) }, 0);
    };
    chown(&h.path(TFL));
    let before = snapshot(&h.path(TFL));
    let (code, json) = h.clear_json("full", "teams-for-linux");
    assert_eq!(code, 2, "{json}");
    let c = client(&json, "teams-for-linux");
    assert_eq!(c["result"], "refused");
    assert!(
        c["skipped_reason"]
            .as_str()
            .unwrap()
            .contains("belongs to another user")
    );
    assert_eq!(snapshot(&h.path(TFL)), before);
    assert!(!h.has_exited(pid), "nothing to clear: Teams is not quit");

    chown(&h.path(""));
    let out = h.run(&["status"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("belongs to another user"));
}

#[test]
fn running_as_root_says_whose_teams_it_clears_on_stderr() {
    let h = FakeHome::with_both_clients();
    let out = h.run(&["status", "--json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if is_root() {
        assert!(stderr.contains("Running as administrator"), "{stderr}");
        assert!(stderr.contains(h.path("").to_str().unwrap()), "{stderr}");
    } else {
        assert!(!stderr.contains("Running as administrator"), "{stderr}");
    }
    // stdout stays one JSON document.
    serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap();
}

#[test]
fn the_root_is_checked_again_right_before_it_is_moved() {
    let _lock = process_lock();
    let h = FakeHome::with_both_clients();
    let f = folders(&h);
    let installs = discover::discover(&f, Os::Linux);
    let tfl = installs
        .iter()
        .find(|i| i.id() == "teams-for-linux")
        .unwrap();
    assert!(tfl.root.is_ok());
    // After discovery (minutes, in the app), the root is swapped for a link to elsewhere.
    let victim = h.outside.path().join("victim");
    std::fs::create_dir_all(victim.join("Cache")).unwrap();
    std::fs::write(victim.join("Cache/precious"), b"not a cache").unwrap();
    std::fs::rename(h.path(TFL), h.dir.path().join("moved-away")).unwrap();
    std::os::unix::fs::symlink(&victim, h.path(TFL)).unwrap();
    let before = snapshot(h.outside.path());
    let data = h.data();
    let journal = Journal {
        data_dir: &data,
        lang: Lang::En,
    };
    let archives = data.join("archives");
    let cancel = CancelToken::new();
    let plan = ClearPlan {
        mode: Mode::Full,
        dry_run: false,
        archives: &archives,
        cancel: &cancel,
        progress: &|_| {},
        folders: &f,
        archive_limits: Default::default(),
        backups: &data.join("backups"),
        backup: false,
    };
    let quit = sequence::quit_for_clear(&[tfl], &f, Duration::from_secs(1), &journal);
    let result = sequence::clear_installation(tfl, &quit, &plan, &journal);
    match &result {
        ClearResult::Refused(m) => assert_eq!(m.key, "safety.link"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(snapshot(h.outside.path()), before);
}

#[test]
fn a_program_in_a_relative_path_entry_is_never_started() {
    let h = FakeHome::with_both_clients();
    // A teams-for-linux in the current folder, reachable only through "." and "" in PATH.
    let cwd = h.dir.path().join("downloads");
    std::fs::create_dir_all(&cwd).unwrap();
    let marker = h.dir.path().join("planted-ran");
    let planted = cwd.join("teams-for-linux");
    std::fs::write(
        &planted,
        format!("#!/bin/sh\ntouch '{}'\n", marker.display()),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&planted, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = h
        .cli()
        .args(["restart", "--client", "teams-for-linux"])
        .env("PATH", ".::downloads")
        .current_dir(&cwd)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(out.status.code(), Some(4), "no way to start it: exit 4");
    assert!(
        !marker.exists(),
        "a program found through a relative PATH entry ran"
    );
}

/// `clear-cache --restart` starts a `--user-data-dir` instance that ran again as it ran: with
/// its own folder, as a Teams of its own (before, the instance and the usual root were one
/// client to start once, so the instance was started as the usual root or not at all).
#[test]
fn restart_after_a_clear_starts_the_instance_with_its_own_user_data_dir() {
    let _lock = process_lock();
    let h = FakeHome::with_both_clients();
    let work = instance_root(&h, "accounts/work");
    let mut instance = spawn_instance(&h, &work);
    let (code, json) = h.run_json(&[
        "clear-cache",
        "--mode",
        "safe",
        "--client",
        "teams-for-linux",
        "--restart",
        "--yes",
        "--json",
    ]);
    assert!(ended(&mut instance), "the instance was not quit");
    assert!(!work.join("Cache").exists(), "{json}");
    let restarted = json["restarted"].as_array().expect("restarted listed");
    let with_dir = format!("--user-data-dir={}", work.display());
    let started: Vec<&str> = restarted
        .iter()
        .filter_map(|r| r["command"].as_str())
        .filter(|c| c.ends_with(&with_dir))
        .collect();
    assert_eq!(started.len(), 1, "exit {code}: {json}");
    // The program that ran (a copy of sh, which prints its usage for the option and ends).
    assert!(
        started[0].starts_with(&h.dir.path().join("bin-sh").display().to_string()),
        "{started:?}"
    );
}
