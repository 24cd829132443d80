//! Malformed files thrown at `teamsfix-cli audit read`: every one gets a clear message and exit
//! 2 (or, when it can be read, the same verdicts), never a panic or a hang. The files are real
//! files in a temporary folder: cut off at every tenth of its length (a run stopped while it
//! wrote), UTF-16 with and without a byte-order mark (Windows PowerShell 5.1's `Out-File`),
//! nested a hundred thousand deep, just under and over 10 MB, a link to a device, a dangling
//! link, a folder.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/audit")
        .join(name)
}

/// `audit read FILE [--json]`, stopped (and failed) if it runs for more than a minute.
fn read(file: &Path, json: bool) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_teamsfix-cli"));
    cmd.args(["--lang", "en", "audit", "read"]).arg(file);
    if json {
        cmd.arg("--json");
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("audit read {} hangs", file.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn refused(file: &Path, says: &str) {
    let out = read(file, false);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{}: {err}", file.display());
    assert!(out.stdout.is_empty(), "{}", file.display());
    assert!(err.contains(says), "{}: {err}", file.display());
    assert!(!err.contains("panicked"), "{err}");
}

fn verdicts(out: &Output) -> Vec<(String, String)> {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["id"].as_str().unwrap().to_string(),
                l["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_file_cut_off_while_it_was_written_says_so() {
    let t = tempfile::tempdir().unwrap();
    let whole = std::fs::read(fixture("two-blockers.json")).unwrap();
    for tenth in 1..10 {
        let cut = whole.len() * tenth / 10;
        let file = t.path().join(format!("cut-{tenth}.json"));
        std::fs::write(&file, &whole[..cut]).unwrap();
        refused(&file, "ends in the middle");
        // The same in UTF-16, cut anywhere (also in the middle of a character).
        let text = String::from_utf8(whole.clone()).unwrap();
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let cut16 = utf16.len() * tenth / 10 + tenth % 2;
        std::fs::write(&file, &utf16[..cut16]).unwrap();
        refused(&file, "ends in the middle");
    }
}

#[test]
fn every_encoding_windows_powershell_writes_is_read() {
    let t = tempfile::tempdir().unwrap();
    let whole = std::fs::read(fixture("two-blockers.json")).unwrap();
    let want = verdicts(&read(&fixture("two-blockers.json"), true));
    let text = String::from_utf8(whole).unwrap().replace('\n', "\r\n");
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let encodings: Vec<(&str, Vec<u8>)> = vec![
        // Windows PowerShell 5.1: `Out-File` and `>` (UTF-16LE with a BOM), `-Encoding utf8`
        // (UTF-8 with a BOM); PowerShell 7: UTF-8 without one.
        ("utf16le-bom", [&[0xFF, 0xFE][..], &le].concat()),
        ("utf16be-bom", [&[0xFE, 0xFF][..], &be].concat()),
        ("utf16le", le.clone()),
        ("utf8-bom", [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat()),
        ("utf8", text.as_bytes().to_vec()),
    ];
    for (name, bytes) in encodings {
        let file = t.path().join(format!("{name}.json"));
        std::fs::write(&file, bytes).unwrap();
        assert_eq!(verdicts(&read(&file, true)), want, "{name}");
    }
}

#[test]
fn deep_big_and_odd_files_are_refused_with_the_reason() {
    let t = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = t.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    // Nested far deeper than any result: refused, not a stack overflow.
    let deep = format!(
        "{{\"tool\":\"teamsfix-audit\",\"schema_version\":1,\"layers\":{}{}}}",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    refused(&write("deep.json", deep.as_bytes()), "not JSON");
    // A key written twice: which value counts is a guess, so the file is refused, naming it.
    let all_ok = std::fs::read_to_string(fixture("all-ok.json")).unwrap();
    let twice = all_ok.replacen(
        "\"AllowToAddGuests\": \"True\"",
        "\"AllowToAddGuests\": \"True\", \"AllowToAddGuests\": \"False\"",
        1,
    );
    assert_ne!(twice, all_ok);
    refused(&write("twice.json", twice.as_bytes()), "AllowToAddGuests");
    let deep_object = "{\"a\":".repeat(100_000);
    refused(
        &write("deep-object.json", deep_object.as_bytes()),
        "not JSON",
    );
    // Another schema version, written as a string or a fraction too.
    let mut v: Value =
        serde_json::from_slice(&std::fs::read(fixture("all-ok.json")).unwrap()).unwrap();
    for other in [
        json!(2),
        json!("2"),
        json!(0),
        json!(1.5),
        json!(null),
        json!("one"),
    ] {
        v["schema_version"] = other.clone();
        refused(
            &write("other.json", v.to_string().as_bytes()),
            "another version of the audit script",
        );
    }
    // One, written as "1" or 1.0, is ours.
    for ours in [json!("1"), json!(1.0)] {
        v["schema_version"] = ours;
        let out = read(&write("ours.json", v.to_string().as_bytes()), false);
        assert_eq!(out.status.code(), Some(0));
    }
    refused(&write("array.json", b"[]"), "neither");
    refused(&write("number.json", b"42"), "neither");
    refused(&write("null.json", b"null"), "neither");
    refused(&write("space.json", b"  \r\n "), "not JSON");
    refused(&write("zeros.json", &[0u8; 4096]), "not JSON");
    refused(&write("latin1.json", b"{\"a\": \"caf\xe9\"}"), "not text");
    // Just over the limit: refused before it is read.
    let big = t.path().join("big.json");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(10_000_001)
        .unwrap();
    refused(&big, "larger than 10.0 MB");
    // Just under it, and full of policies: read and judged.
    let mut v: Value =
        serde_json::from_slice(&std::fs::read(fixture("all-ok.json")).unwrap()).unwrap();
    let policy = v["layers"]["conditional-access"]["values"]["Policies"][0].clone();
    let one = policy.to_string().len() + 1;
    let n = (9_900_000 - v.to_string().len()) / one;
    v["layers"]["conditional-access"]["values"]["Policies"] = Value::Array(vec![policy; n]);
    let file = write("large.json", v.to_string().as_bytes());
    assert!(std::fs::metadata(&file).unwrap().len() <= 10_000_000);
    assert!(std::fs::metadata(&file).unwrap().len() > 9_000_000);
    let out = read(&file, false);
    assert_eq!(out.status.code(), Some(0));
    // A folder, a file that is not there.
    refused(t.path(), "not a regular file");
    refused(&t.path().join("gone.json"), "cannot be read");
}

#[cfg(unix)]
#[test]
fn links_to_devices_and_dangling_links_are_refused() {
    let t = tempfile::tempdir().unwrap();
    let zero = t.path().join("zero.json");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    refused(&zero, "not a regular file");
    let dangling = t.path().join("dangling.json");
    std::os::unix::fs::symlink(t.path().join("nothing-here"), &dangling).unwrap();
    refused(&dangling, "cannot be read");
    // A file that disappears between two reads: the second is told so.
    let file = t.path().join("short-lived.json");
    std::fs::copy(fixture("all-ok.json"), &file).unwrap();
    assert_eq!(read(&file, false).status.code(), Some(0));
    std::fs::remove_file(&file).unwrap();
    refused(&file, "cannot be read");
}

#[test]
fn with_json_the_error_is_json_too() {
    let t = tempfile::tempdir().unwrap();
    let whole = std::fs::read(fixture("all-ok.json")).unwrap();
    let cut = t.path().join("cut.json");
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    let cases = [
        (cut, "truncated"),
        (t.path().to_path_buf(), "not_a_file"),
        (t.path().join("gone.json"), "io"),
    ];
    for (file, code) in cases {
        let out = read(&file, true);
        assert_eq!(out.status.code(), Some(2));
        let v: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert_eq!(v["error_code"], code);
        assert_eq!(v["exit_code"], 2);
        assert!(v["error"].as_str().unwrap().contains("Cannot use"));
        assert!(!out.stderr.is_empty());
    }
}
