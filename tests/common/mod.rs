//! Shared fixtures for the black-box CLI tests: a fake home of real folders and files, real
//! processes named like Teams clients, and a snapshot of a tree to compare before and after.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};

#[path = "../support/process_lock.rs"]
mod lock;
#[allow(unused_imports)]
pub use lock::process_lock;

pub struct FakeHome {
    pub dir: tempfile::TempDir,
    /// Somewhere outside the home folder that must never be touched.
    pub outside: tempfile::TempDir,
    pub children: Vec<Child>,
}

pub const TFL: &str = ".config/teams-for-linux";
pub const CLASSIC: &str = ".config/Microsoft/Microsoft Teams";

impl FakeHome {
    pub fn new() -> FakeHome {
        let h = FakeHome {
            dir: tempfile::tempdir().unwrap(),
            outside: tempfile::tempdir().unwrap(),
            children: Vec::new(),
        };
        std::fs::create_dir_all(h.path("")).unwrap();
        h
    }

    pub fn home(&self) -> &Path {
        self.dir.path()
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("teamsfix-data")
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join("home").join(rel)
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    /// teams-for-linux and linux-classic trees with every class, spaces and non-ASCII names,
    /// a link that points outside the home folder and a FIFO.
    pub fn with_both_clients() -> FakeHome {
        let h = FakeHome::new();
        // teams-for-linux
        for i in 0..40 {
            h.write(
                &format!("{TFL}/Cache/Cache_Data/f_{i:04}"),
                &vec![b'c'; 1000 + i],
            );
        }
        h.write(
            &format!("{TFL}/Code Cache/js/index-dir/the-real-index"),
            b"js",
        );
        h.write(&format!("{TFL}/GPUCache/data_1"), &[1u8; 500]);
        h.write(
            &format!("{TFL}/Partitions/teams-4-linux/Cache/Cache_Data/p1"),
            &[2u8; 300],
        );
        h.write(&format!("{TFL}/Partitions/teams-4-linux/IndexedDB/https_teams.microsoft.com_0.indexeddb.leveldb/000003.log"), b"session");
        h.write(
            &format!("{TFL}/Partitions/teams-4-linux/Local Storage/leveldb/CURRENT"),
            b"MANIFEST-1",
        );
        h.write(&format!("{TFL}/IndexedDB/x.leveldb/LOG"), b"idb");
        h.write(&format!("{TFL}/Preferences"), b"{}");
        h.write(
            &format!("{TFL}/config.json"),
            br#"{"closeAppOnCross":true,"customBGServiceBaseUrl":"mine"}"#,
        );
        h.write(&format!("{TFL}/logs/main.log"), b"2026-11-24 started\n");
        h.write(&format!("{TFL}/Cache/Cache_Data/read only"), b"ro");
        let ro = h.path(&format!("{TFL}/Cache/Cache_Data/read only"));
        let mut perms = std::fs::metadata(&ro).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(&ro, perms).unwrap();
        // linux-classic
        h.write(&format!("{CLASSIC}/Cache/f"), &[3u8; 2000]);
        h.write(
            &format!("{CLASSIC}/Service Worker/CacheStorage/abc/def/0"),
            &[4u8; 100],
        );
        h.write(
            &format!("{CLASSIC}/Service Worker/Database/MANIFEST"),
            b"other",
        );
        h.write(
            &format!("{CLASSIC}/Local Storage/leveldb/000005.ldb"),
            b"tenant=old",
        );
        h.write(&format!("{CLASSIC}/Cookies"), b"cookie");
        h.write(
            &format!("{CLASSIC}/settings.json"),
            br#"{"version":"1.5.00.8070","ring":"general"}"#,
        );
        h.write(
            &format!("{CLASSIC}/desktop-config.json"),
            br#"{"theme":"darkV2"}"#,
        );
        h.write(
            &format!("{CLASSIC}/Backgrounds/Uploads/vergadering é.png"),
            &[0x89, b'P', b'N', b'G', 1, 2, 3],
        );
        h.write(&format!("{CLASSIC}/logs.txt"), b"classic log\n");
        h.write(&format!("{CLASSIC}/media-stack/trace 1.blog"), b"media");
        // Must never be touched: a file outside the home folder reached through a link.
        std::fs::write(h.outside.path().join("precious.txt"), b"not yours").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(h.outside.path(), h.path(&format!("{TFL}/Cache/escape")))
                .unwrap();
            let fifo =
                std::ffi::CString::new(h.path(&format!("{TFL}/GPUCache/pipe")).to_str().unwrap())
                    .unwrap();
            assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        }
        h
    }

    /// The CLI with this home and English output.
    pub fn cli(&self) -> Command {
        let mut c = self.cli_bare();
        c.arg("--lang").arg("en");
        c
    }

    /// The CLI with this home, no language chosen.
    pub fn cli_bare(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_teamsfix-cli"));
        c.env("HOME", self.path(""))
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_DATA_HOME")
            .env("TEAMSFIX_DATA_DIR", self.data())
            .env("PATH", self.dir.path().join("bin"))
            .env("LANG", "en_US.UTF-8");
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        let out = self
            .cli()
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        eprintln!(
            "teamsfix-cli {args:?} -> {:?}\n--- stdout\n{}\n--- stderr\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    pub fn run_json(&self, args: &[&str]) -> (i32, serde_json::Value) {
        let out = self.run(args);
        let v = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
        (out.status.code().unwrap_or(-1), v)
    }

    /// `clear-cache --mode MODE --client CLIENT --yes --json`: exit code and JSON.
    pub fn clear_json(&self, mode: &str, client: &str) -> (i32, serde_json::Value) {
        self.run_json(&[
            "clear-cache",
            "--mode",
            mode,
            "--client",
            client,
            "--yes",
            "--json",
        ])
    }

    /// Starts a copy of a small real program under this name (`sleep`, renamed) and keeps it.
    pub fn spawn_named(&mut self, name: &str) -> u32 {
        let exe = self.renamed_sleep(name);
        let child = Command::new(&exe).arg("600").spawn().unwrap();
        let pid = child.id();
        self.children.push(child);
        wait_until_listed(pid);
        pid
    }

    /// Like `spawn_named`, but the process ignores SIGTERM (as Teams does when it stays in the tray).
    pub fn spawn_stubborn(&mut self, name: &str) -> u32 {
        let exe = self.renamed_sleep(name);
        let script = format!("trap '' TERM; exec '{}' 600", exe.display());
        let child = Command::new("/bin/sh")
            .arg("-c")
            .arg(script)
            .spawn()
            .unwrap();
        let pid = child.id();
        self.children.push(child);
        wait_until_named(pid, name);
        pid
    }

    /// A copy of `sleep` under this name, ready to run. Another test thread that forks while the
    /// copy is open for writing keeps that file descriptor until it execs, and until then running
    /// the copy fails with "text file busy"; so wait until the copy has run once.
    fn renamed_sleep(&self, name: &str) -> PathBuf {
        let bin = self.dir.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let exe = bin.join(name);
        if !exe.exists() {
            std::fs::copy(sleep_path(), &exe).unwrap();
        }
        for _ in 0..200 {
            match Command::new(&exe).arg("0").status() {
                Ok(_) => return exe,
                Err(e) if e.raw_os_error() == Some(26) => {
                    std::thread::sleep(std::time::Duration::from_millis(10))
                }
                Err(e) => panic!("cannot run {}: {e}", exe.display()),
            }
        }
        panic!("{} stayed busy", exe.display());
    }

    /// True when the process with this pid has ended (reaped here if it was our child).
    pub fn has_exited(&mut self, pid: u32) -> bool {
        for _ in 0..50 {
            if let Some(c) = self.children.iter_mut().find(|c| c.id() == pid) {
                if c.try_wait().unwrap().is_some() {
                    return true;
                }
            } else {
                return !Path::new(&format!("/proc/{pid}")).exists();
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        false
    }
}

impl Drop for FakeHome {
    fn drop(&mut self) {
        for c in &mut self.children {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn sleep_path() -> &'static str {
    ["/bin/sleep", "/usr/bin/sleep"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("sleep")
}

fn wait_until_listed(pid: u32) {
    for _ in 0..100 {
        if Path::new(&format!("/proc/{pid}/exe")).exists() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

fn wait_until_named(pid: u32, name: &str) {
    for _ in 0..200 {
        if std::fs::read_to_string(format!("/proc/{pid}/comm"))
            .is_ok_and(|c| name.starts_with(c.trim()))
        {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// Every path below `root` (links not followed) with its kind and a hash of its content.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, String> {
    let mut map = BTreeMap::new();
    for e in walkdir::WalkDir::new(root).follow_links(false).min_depth(1) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(root).unwrap().to_path_buf();
        let ft = e.file_type();
        let v = if ft.is_symlink() {
            format!(
                "link -> {}",
                std::fs::read_link(e.path()).unwrap().display()
            )
        } else if ft.is_dir() {
            "dir".to_string()
        } else if ft.is_file() {
            let bytes = std::fs::read(e.path()).unwrap();
            format!("file {} {:016x}", bytes.len(), fnv(&bytes))
        } else {
            "special".to_string()
        };
        map.insert(rel, v);
    }
    map
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ *b as u64).wrapping_mul(0x100000001b3)
    })
}

pub fn client<'a>(json: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    json["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no client {id} in {json}"))
}

pub fn files(json: &serde_json::Value, class: &str) -> u64 {
    json[class]["files"].as_u64().unwrap()
}

pub fn is_root() -> bool {
    #[cfg(unix)]
    {
        unsafe { libc::geteuid() == 0 }
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// Makes a file immutable (`chattr +i`, root only) or removable again; false where the file
/// system or the machine cannot (the test then says it is skipped).
#[allow(dead_code)]
pub fn set_immutable(path: &Path, on: bool) -> bool {
    std::process::Command::new("chattr")
        .arg(if on { "+i" } else { "-i" })
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

/// Makes every file named `name` below `dir` removable again (wherever a clear left it).
#[allow(dead_code)]
pub fn make_removable(dir: &Path, name: &str) {
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if entry.file_name() == name {
            set_immutable(entry.path(), false);
        }
    }
}
