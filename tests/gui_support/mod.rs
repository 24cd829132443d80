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
