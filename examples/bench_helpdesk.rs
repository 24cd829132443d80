//! Benchmark of the helpdesk tools: the support bundle on a machine with several Teams clients,
//! and the backup a full reset keeps (and the restore that undoes it).
//!
//! ```text
//! cargo build --release --bin teamsfix-cli && cargo run --release --example bench_helpdesk -- [--runs K] [--bin-dir DIR]
//! ```
//!
//! It generates (seeded, in a fresh temporary folder) a home with three data roots
//! (teams-for-linux native and flatpak, the classic Linux client) holding text logs, encrypted-like
//! media logs, a crash dump, session data and cache; a log archive from a quick clean; and Teams'
//! own support files in Downloads (web-log zips, a support-logs folder, a classic diagnostics log)
//! plus a file that must stay out. Then it measures the release `teamsfix-cli`:
//!
//! - `bundle` (default cap 100 MB) and `bundle --redact`: time, zip size, files in and left out;
//! - a full reset of 150 MB of sign-in data in 3,030 files with and without the backup, and the
//!   restore of that backup.
//!
//! Every result is checked: the zip is under its cap and holds the report and the journal; the
//! restore gives back the data byte for byte. Exit 2 on a wrong result. Linux only.

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("the benchmark runs on Linux only");
    std::process::exit(2);
}

#[cfg(target_os = "linux")]
fn main() {
    linux::main();
}

#[cfg(target_os = "linux")]
mod linux {
    use std::path::{Path, PathBuf};
    use std::process::{Command, Stdio};
    use std::time::Instant;

    /// xorshift: seeded bytes that do not compress (encrypted media logs, dumps, zips).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn bytes(&mut self, n: usize) -> Vec<u8> {
            (0..n).map(|_| (self.next() >> 24) as u8).collect()
        }
    }

    fn write(path: &Path, bytes: &[u8]) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    /// A text log of about `mb` MB, Teams-like lines that name a user.
    fn log(path: &Path, mb: usize, rng: &mut Rng) {
        let mut s = String::with_capacity(mb * 1_000_000 + 200);
        let scenarios = ["login", "sync", "call", "chat", "presence"];
        let mut n = 0u64;
        while s.len() < mb * 1_000_000 {
            n += 1;
            s.push_str(&format!(
                "2026-11-24T10:{:02}:{:02}.{:03}Z Inf TeamsEvent: scenario={} id={:016x} corr={:016x}{:016x} user=j.devries@contoso.nl took={}ms\n",
                n % 60,
                (n / 60) % 60,
                n % 1000,
                scenarios[(rng.next() % 5) as usize],
                rng.next(),
                rng.next(),
                rng.next(),
                rng.next() % 900
            ));
        }
        write(path, s.as_bytes());
    }

    fn generate(home: &Path) {
        let mut rng = Rng(0x5eed_1234_abcd_ef01);
        let tfl = home.join(".config/teams-for-linux");
        for i in 0..4 {
            log(&tfl.join(format!("logs/main{i}.log")), 6, &mut rng);
        }
        write(&tfl.join("Cache/Cache_Data/data_1"), &rng.bytes(50_000_000));
        write(&tfl.join("config.json"), b"{}");
        let flatpak =
            home.join(".var/app/com.github.IsmaelMartinez.teams_for_linux/config/teams-for-linux");
        for i in 0..2 {
            log(&flatpak.join(format!("logs/main{i}.log")), 5, &mut rng);
        }
        write(
            &flatpak.join("Cache/Cache_Data/data_1"),
            &rng.bytes(20_000_000),
        );
        let classic = home.join(".config/Microsoft/Microsoft Teams");
        log(&classic.join("logs.txt"), 12, &mut rng);
        for i in 0..6 {
            write(
                &classic.join(format!("media-stack/trace{i}.blog")),
                &rng.bytes(4_000_000),
            );
        }
        write(
            &classic.join("Crashpad/reports/crash1.dmp"),
            &rng.bytes(6_000_000),
        );
        let d = home.join("Downloads");
        write(
            &d.join("PROD-WebLogs-2026-11-24_10-00.zip"),
            &rng.bytes(8_000_000),
        );
        write(
            &d.join("PROD-WebLogs-2026-11-20_10-00.zip"),
            &rng.bytes(7_000_000),
        );
        for i in 0..5 {
            write(
                &d.join(format!(
                    "MSTeams Support Logs 2026-11-24_10-00/slimcore/slimcore-{i}.blog"
                )),
                &rng.bytes(6_000_000),
            );
        }
        log(
            &d.join("MSTeams Diagnostics Log 11_24_2026__10_00_00.txt"),
            3,
            &mut rng,
        );
        write(&d.join("holiday.mp4"), &rng.bytes(4_000_000));
    }

    /// 150 MB of sign-in data in 3,030 files, and some cache, for the backup rows.
    fn generate_session(home: &Path) {
        let mut rng = Rng(0x0bac_cafe_0000_0001);
        let root = home.join(".config/teams-for-linux");
        let idb = root.join("IndexedDB");
        for i in 0..3000 {
            write(
                &idb.join(format!(
                    "https_teams.microsoft.com_0.indexeddb.blob/1/{:02x}/{i}",
                    i % 256
                )),
                &rng.bytes(40_000),
            );
        }
        for i in 0..30 {
            write(
                &idb.join(format!(
                    "https_teams.microsoft.com_0.indexeddb.leveldb/{i:06}.ldb"
                )),
                &rng.bytes(1_000_000),
            );
        }
        write(
            &root.join("Cache/Cache_Data/data_1"),
            &rng.bytes(40_000_000),
        );
        write(&root.join("config.json"), b"{}");
    }

    struct Env {
        cli: PathBuf,
        work: PathBuf,
    }

    impl Env {
        fn run(&self, home: &Path, args: &[&str]) -> (f64, serde_json::Value) {
            let start = Instant::now();
            let out = Command::new(&self.cli)
                .args(["--lang", "en"])
                .args(args)
                .env("HOME", home)
                .env_remove("XDG_CONFIG_HOME")
                .env_remove("XDG_DATA_HOME")
                .env("TEAMSFIX_DATA_DIR", self.work.join("data"))
                .stdin(Stdio::null())
                .stderr(Stdio::null())
                .output()
                .unwrap_or_else(|e| fail(&format!("cannot run {}: {e}", self.cli.display())));
            let secs = start.elapsed().as_secs_f64();
            let v = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
            (secs, v)
        }
    }

    fn fail(msg: &str) -> ! {
        eprintln!("FAIL: {msg}");
        std::process::exit(2);
    }

    fn median(mut v: Vec<f64>) -> f64 {
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    }

    fn copy_tree(from: &Path, to: &Path) {
        let _ = std::fs::remove_dir_all(to);
        let ok = Command::new("cp")
            .args(["-a"])
            .arg(from)
            .arg(to)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            fail("cp -a failed");
        }
    }

    pub fn main() {
        let mut runs = 3usize;
        let mut bin_dir: Option<PathBuf> = None;
        let mut args = std::env::args().skip(1);
        while let Some(a) = args.next() {
            match a.as_str() {
                "--runs" => runs = args.next().and_then(|v| v.parse().ok()).unwrap_or(3).max(1),
                "--bin-dir" => bin_dir = args.next().map(PathBuf::from),
                _ => fail(&format!("unknown argument {a}")),
            }
        }
        let bin_dir = bin_dir.unwrap_or_else(|| {
            let exe = std::env::current_exe().unwrap();
            // target/release/examples/bench_helpdesk -> target/release
            exe.parent().and_then(Path::parent).unwrap().to_path_buf()
        });
        let cli = bin_dir.join("teamsfix-cli");
        if !cli.is_file() {
            fail(&format!(
                "{} is missing: cargo build --release --bin teamsfix-cli",
                cli.display()
            ));
        }
        let tmp = tempfile::tempdir().unwrap();
        let env = Env {
            cli,
            work: tmp.path().to_path_buf(),
        };
        let home = tmp.path().join("home");
        generate(&home);
        // A quick clean first: its log archive goes into the bundle too.
        let (_, clear) = env.run(&home, &["clear-cache", "--yes", "--json"]);
        if clear["exit_code"] != 0 {
            fail(&format!("clear-cache failed: {clear}"));
        }
        println!("| measurement | figure |");
        println!("|---|---|");
        for (label, extra) in [("bundle", &[][..]), ("bundle --redact", &["--redact"][..])] {
            let mut times = Vec::new();
            let mut last = serde_json::Value::Null;
            for _ in 0..runs {
                let mut a = vec!["bundle", "--json"];
                a.extend_from_slice(extra);
                let (t, v) = env.run(&home, &a);
                if v["exit_code"] != 0 {
                    fail(&format!("{label} failed: {v}"));
                }
                let path = PathBuf::from(v["path"].as_str().unwrap_or_default());
                let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                if size == 0 || size > v["max_bytes"].as_u64().unwrap_or(0) {
                    fail(&format!("{label}: {size} bytes, cap {}", v["max_bytes"]));
                }
                let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap())
                    .unwrap_or_else(|e| fail(&format!("{label}: not a zip: {e}")));
                for needed in [
                    "teamsfix-report.txt",
                    "teamsfix-journal.jsonl",
                    "contents.json",
                ] {
                    if zip.by_name(needed).is_err() {
                        fail(&format!("{label}: no {needed}"));
                    }
                }
                times.push(t);
                last = v;
            }
            println!(
                "| `{label}` of 3 data roots, a log archive and Teams' support files (260 MB) | {:.1} s (median of {runs}), {:.1} MB zip, {} files in, {} left out |",
                median(times),
                last["bytes"].as_u64().unwrap_or(0) as f64 / 1e6,
                last["files"].as_u64().unwrap_or(0) + 2,
                last["left_out"].as_array().map_or(0, |a| a.len())
            );
        }

        // The backup a full reset keeps, and the restore.
        let original = tmp.path().join("session.orig");
        generate_session(&original);
        let (mut with, mut without, mut restore) = (Vec::new(), Vec::new(), Vec::new());
        for run in 0..runs {
            for backup in if run % 2 == 0 {
                [true, false]
            } else {
                [false, true]
            } {
                let h = tmp.path().join("session");
                let _ = std::fs::remove_dir_all(tmp.path().join("data"));
                copy_tree(&original, &h);
                let flag = if backup { "--backup" } else { "--no-backup" };
                let (t, v) = env.run(
                    &h,
                    &["clear-cache", "--mode", "full", flag, "--yes", "--json"],
                );
                if v["exit_code"] != 0 {
                    fail(&format!("full reset failed: {v}"));
                }
                if !backup {
                    without.push(t);
                    continue;
                }
                with.push(t);
                let (t, v) = env.run(&h, &["restore", "--json"]);
                if v["exit_code"] != 0 || v["restored"][0]["restored"]["files"] != 3030 {
                    fail(&format!("restore failed: {v}"));
                }
                restore.push(t);
                let same = Command::new("diff")
                    .args(["-r", "-q"])
                    .arg(original.join(".config/teams-for-linux/IndexedDB"))
                    .arg(h.join(".config/teams-for-linux/IndexedDB"))
                    .status()
                    .is_ok_and(|s| s.success());
                if !same {
                    fail("the restored sign-in data differs from the original");
                }
            }
        }
        println!(
            "| full reset of 150 MB sign-in data (3,030 files) + 40 MB cache | {:.1} s with the backup, {:.1} s without |",
            median(with),
            median(without)
        );
        println!(
            "| restore of that backup (byte for byte) | {:.1} s |",
            median(restore)
        );
    }
}
