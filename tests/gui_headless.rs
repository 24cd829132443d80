//! The real `teamsfix` program started where no window can open says so in one line and points
//! at teamsfix-cli: no renderer errors, no "EventLoop can't be recreated".
#![cfg(all(feature = "gui", target_os = "linux"))]

use std::process::{Command, Stdio};

fn app(display: Option<&str>, lang: &str) -> (Option<i32>, String) {
    let t = tempfile::tempdir().unwrap();
    let mut c = Command::new(env!("CARGO_BIN_EXE_teamsfix"));
    c.args(["--lang", lang])
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WAYLAND_SOCKET")
        .env("HOME", t.path())
        .env("TEAMSFIX_DATA_DIR", t.path().join("data"))
        .env("XDG_RUNTIME_DIR", t.path())
        .stdin(Stdio::null());
    if let Some(d) = display {
        c.env("DISPLAY", d);
    }
    let out = c.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code(), stderr)
}

#[test]
fn without_a_display_the_app_says_so_in_one_line() {
    let (code, stderr) = app(None, "en");
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains("teamsfix-cli"), "{stderr}");
    assert!(stderr.contains("DISPLAY"), "{stderr}");
    assert!(!stderr.contains("EventLoop"), "{stderr}");
    assert!(!stderr.contains("renderer"), "{stderr}");
    let (_, stderr) = app(None, "nl");
    assert!(stderr.contains("Gebruik in een terminal"), "{stderr}");
}

#[test]
fn a_display_that_cannot_be_opened_gives_one_line_too() {
    // A display number no X server listens on (a session whose display went away).
    let (code, stderr) = app(Some(":4093"), "en");
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains("teamsfix-cli"), "{stderr}");
    assert!(!stderr.contains("can't be recreated"), "{stderr}");
    assert!(!stderr.contains("renderer failed"), "{stderr}");
}
