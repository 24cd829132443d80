//! Fixtures shared by the GUI tests: the real app on a fake home of real temporary folders, and
//! stepping it until its worker thread is idle.
#![allow(dead_code)]

#[path = "../support/process_lock.rs"]
mod lock;
#[allow(unused_imports)]
pub use lock::process_lock;

use egui_kittest::Harness;
use std::path::Path;
use teamsfix::clients::client_table::Os;
use teamsfix::common::i18n::Lang;
use teamsfix::gui::{App, Environment};
use teamsfix::platform::app_folders::AppFolders;
use teamsfix::platform::user_folders::UserFolders;

/// An environment whose home folder is `home` (Linux layout) and whose own data is in `data`.
pub fn env(home: &Path, data: &Path, lang: Lang) -> Environment {
    let folders =
        UserFolders::from_parts(home.into(), home.join(".config"), home.join(".local/share"))
            .unwrap();
    Environment::new(
        folders,
        AppFolders {
            data: data.into(),
            portable: false,
        },
        Os::Linux,
        lang,
    )
}

/// The app in a window `height` pixels tall (tall enough that nothing the test reads scrolls).
pub fn app(env: Environment, height: f32) -> Harness<'static, App> {
    Harness::builder()
        .with_size([1000.0, height])
        .build_eframe(move |_cc| App::new(env))
}

/// The app on an empty fake home inside `dir`, after its first scan.
pub fn started_on_empty_home(dir: &Path, lang: Lang, height: f32) -> Harness<'static, App> {
    std::fs::create_dir_all(dir.join("home")).unwrap();
    let mut h = app(env(&dir.join("home"), &dir.join("data"), lang), height);
    settle(&mut h);
    h
}

/// Steps until the worker is idle (the first scan, a preview or a clear runs on a thread).
pub fn settle(h: &mut Harness<'_, App>) {
    for _ in 0..1000 {
        h.step();
        if !h.state().is_busy() {
            h.run_steps(3);
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the worker did not finish");
}

/// The widget with the keyboard focus, by its accessible name (`None` when nothing has it).
pub fn focused_name(h: &Harness<'_, App>) -> Option<String> {
    use egui_kittest::kittest::NodeT;
    h.root()
        .children_recursive()
        .find(|n| n.accesskit_node().is_focused())
        .map(|n| n.accesskit_node().label().unwrap_or_default())
}

/// The modifiers egui-winit reports for the Ctrl key on Windows and Linux.
pub const CTRL: eframe::egui::Modifiers = eframe::egui::Modifiers {
    alt: false,
    ctrl: true,
    shift: false,
    mac_cmd: false,
    command: true,
};

/// Presses a key (with modifiers) and lets two frames run.
pub fn press(h: &mut Harness<'_, App>, modifiers: eframe::egui::Modifiers, key: eframe::egui::Key) {
    h.key_press_modifiers(modifiers, key);
    h.run_steps(2);
}

/// Presses Tab (Shift+Tab with `back`) until the widget named `name` has the focus; fails when
/// it is not reached within a full round of the window's widgets.
pub fn tab_to(h: &mut Harness<'_, App>, name: &str, back: bool) {
    let modifiers = if back {
        eframe::egui::Modifiers::SHIFT
    } else {
        eframe::egui::Modifiers::NONE
    };
    for _ in 0..400 {
        if focused_name(h).as_deref() == Some(name) {
            return;
        }
        press(h, modifiers, eframe::egui::Key::Tab);
    }
    panic!(
        "Tab never reached {name:?} (focus is on {:?})",
        focused_name(h)
    );
}

/// A real process with a Teams client's name: a copy of `sleep` under that name, ended when
/// dropped. Hold `process_lock()` while one runs.
pub struct FakeTeams {
    child: std::process::Child,
}

impl FakeTeams {
    /// Starts `dir/bin/<name> 600`.
    pub fn start(dir: &Path, name: &str) -> FakeTeams {
        FakeTeams::spawn(dir, name, false)
    }

    /// Like `start`, but it ignores the polite request to quit (as Teams does when it stays in
    /// the tray): it goes only when forced, after the quit's timeout.
    pub fn start_stubborn(dir: &Path, name: &str) -> FakeTeams {
        FakeTeams::spawn(dir, name, true)
    }

    fn spawn(dir: &Path, name: &str, stubborn: bool) -> FakeTeams {
        let bin = dir.join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let exe = bin.join(name);
        let sleep = ["/bin/sleep", "/usr/bin/sleep"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .expect("sleep");
        std::fs::copy(sleep, &exe).unwrap();
        // A thread that forks while the copy is open keeps it busy until it execs: retry.
        for _ in 0..200 {
            let mut cmd = if stubborn {
                let mut sh = std::process::Command::new("/bin/sh");
                sh.arg("-c")
                    .arg(format!("trap '' TERM; exec '{}' 600", exe.display()));
                sh
            } else {
                let mut c = std::process::Command::new(&exe);
                c.arg("600");
                c
            };
            match cmd.spawn() {
                Ok(child) => {
                    // Running under its name (the shell has exec'd it).
                    let pid = child.id();
                    for _ in 0..200 {
                        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm"));
                        if comm.is_ok_and(|c| c.trim() == name) {
                            break;
                        }
                        std::thread::sleep(std::time::Duration::from_millis(10));
                    }
                    return FakeTeams { child };
                }
                Err(e) if e.raw_os_error() == Some(26) => {
                    std::thread::sleep(std::time::Duration::from_millis(10))
                }
                Err(e) => panic!("cannot run {}: {e}", exe.display()),
            }
        }
        panic!("{} stayed busy", exe.display());
    }

    /// A teams-for-linux instance started with `--user-data-dir=ROOT`: a copy of the system
    /// shell named `dir/bin-sh/teams-for-linux` (`sh -c 'read x' --user-data-dir=ROOT` waits
    /// on its stdin; a renamed `sleep` rejects the option).
    pub fn start_instance(dir: &Path, root: &Path) -> FakeTeams {
        let bin = dir.join("bin-sh");
        std::fs::create_dir_all(&bin).unwrap();
        let exe = bin.join("teams-for-linux");
        std::fs::copy(std::fs::canonicalize("/bin/sh").unwrap(), &exe).unwrap();
        // A thread that forks while the copy is open keeps it busy until it execs: retry.
        for _ in 0..200 {
            let spawned = std::process::Command::new(&exe)
                .args(["-c", "read x"])
                .arg(format!("--user-data-dir={}", root.display()))
                .stdin(std::process::Stdio::piped())
                .spawn();
            match spawned {
                Ok(child) => {
                    let pid = child.id();
                    for _ in 0..200 {
                        if std::fs::read(format!("/proc/{pid}/cmdline"))
                            .is_ok_and(|c| String::from_utf8_lossy(&c).contains("--user-data-dir="))
                        {
                            break;
                        }
                        std::thread::sleep(std::time::Duration::from_millis(10));
                    }
                    return FakeTeams { child };
                }
                Err(e) if e.raw_os_error() == Some(26) => {
                    std::thread::sleep(std::time::Duration::from_millis(10))
                }
                Err(e) => panic!("cannot run {}: {e}", exe.display()),
            }
        }
        panic!("{} stayed busy", exe.display());
    }

    /// True when it has ended (within a second).
    pub fn has_exited(&mut self) -> bool {
        for _ in 0..50 {
            if self.child.try_wait().unwrap().is_some() {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        false
    }
}

impl Drop for FakeTeams {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A file dropped on the window (egui's `DroppedFile`), read from disk when asked.
#[derive(Debug)]
pub struct Dropped(pub std::path::PathBuf);

impl eframe::egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// A file of `tests/fixtures/audit`.
pub fn audit_fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/audit")
        .join(name)
}
