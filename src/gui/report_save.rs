//! Saving the report without a silent failure: the system's Save dialog when there is one
//! (opened off the UI thread, so the window keeps drawing), otherwise straight into teamsfix's
//! reports folder (`AppFolders::reports`). Either way the user is told where the report went,
//! or why it was not saved.
//!
//! A Linux desktop without an xdg desktop portal (and without zenity, rfd's fallback) cannot
//! show a Save dialog at all; rfd then returns "nothing chosen", exactly as when the user
//! cancels. So the app checks for the portal first, and also treats a dialog that "closes"
//! within a moment as one that never opened: nobody cancels a dialog that fast.

use eframe::egui;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

/// A dialog that answers sooner than this never showed.
const NEVER_SHOWN: Duration = Duration::from_millis(500);

/// The newest reports teamsfix keeps in its own reports folder; older ones are removed.
pub const KEEP_REPORTS: usize = 20;

/// What a file dialog is asked to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DialogRequest {
    /// A Save dialog (else an Open dialog).
    pub save: bool,
    pub title: String,
    /// The suggested file name (Save only).
    pub file_name: Option<String>,
    /// Name and extensions of each filter, the first one chosen; `*` is every file.
    pub filters: Vec<(String, Vec<String>)>,
}

/// Shows a file dialog and waits for its answer (called on a helper thread, never on the
/// window's): `Some(Some(path))` chosen, `Some(None)` closed without a file, `None` no dialog
/// could be shown. `None` in [`super::env::Environment`] is the system's dialog (rfd); tests
/// give their own, which may take as long as they like: the window keeps drawing meanwhile.
#[derive(Clone)]
#[allow(clippy::type_complexity)]
pub struct DialogFn(
    pub std::sync::Arc<dyn Fn(DialogRequest) -> Option<Option<PathBuf>> + Send + Sync>,
);

impl std::fmt::Debug for DialogFn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DialogFn")
    }
}

/// A file dialog that is open.
pub struct OpenDialog {
    rx: Receiver<Option<Option<PathBuf>>>,
    opened: Instant,
}

/// What became of an open dialog.
pub enum Answer {
    Waiting,
    Chosen(PathBuf),
    /// The user closed the dialog without choosing a file.
    Cancelled,
    /// No dialog could be shown.
    NoDialog,
}

/// Shows the dialog `request` asks for (the system's, or `custom`) without blocking the
/// window: the dialog is made here (rfd's advice: on the main thread) and waited for on a
/// helper thread, whose answer [`OpenDialog::poll`] takes in; the window is asked to repaint
/// when it comes.
pub fn show(
    parent: Option<&eframe::Frame>,
    request: DialogRequest,
    custom: Option<&DialogFn>,
    ctx: &egui::Context,
) -> OpenDialog {
    let (tx, rx) = std::sync::mpsc::channel();
    let repaint = ctx.clone();
    let wait: Box<dyn FnOnce() -> Option<Option<PathBuf>> + Send> = match custom {
        Some(f) => {
            let f = f.0.clone();
            Box::new(move || f(request))
        }
        None => {
            let mut dialog = rfd::AsyncFileDialog::new().set_title(&request.title);
            if let Some(name) = &request.file_name {
                dialog = dialog.set_file_name(name);
            }
            for (name, exts) in &request.filters {
                dialog = dialog.add_filter(name.as_str(), exts);
            }
            if let Some(frame) = parent {
                dialog = dialog.set_parent(frame);
            }
            if request.save {
                let answer = dialog.save_file();
                Box::new(move || Some(pollster::block_on(answer).map(|h| h.path().to_path_buf())))
            } else {
                let answer = dialog.pick_file();
                Box::new(move || Some(pollster::block_on(answer).map(|h| h.path().to_path_buf())))
            }
        }
    };
    // If no thread can be started, the sender goes with the closure: `poll` then reports that
    // no dialog was shown, and the caller says so.
    let _ = std::thread::Builder::new()
        .name("teamsfix-file-dialog".into())
        .spawn(move || {
            let chosen = wait();
            let _ = tx.send(chosen);
            repaint.request_repaint();
        });
    OpenDialog {
        rx,
        opened: Instant::now(),
    }
}

impl OpenDialog {
    pub fn poll(&self) -> Answer {
        match self.rx.try_recv() {
            Ok(Some(Some(path))) => Answer::Chosen(path),
            // rfd says "nothing chosen" also when it could not show a dialog at all.
            Ok(Some(None)) if self.opened.elapsed() < NEVER_SHOWN => Answer::NoDialog,
            Ok(Some(None)) => Answer::Cancelled,
            Ok(None) => Answer::NoDialog,
            Err(TryRecvError::Empty) => Answer::Waiting,
            Err(TryRecvError::Disconnected) => Answer::NoDialog,
        }
    }
}

/// Can this system show a Save dialog? Windows and macOS always can. Elsewhere rfd needs the
/// xdg desktop portal on the session bus, or zenity.
pub fn dialog_available() -> bool {
    if cfg!(any(windows, target_os = "macos")) {
        return true;
    }
    let runtime_bus = std::env::var_os("XDG_RUNTIME_DIR")
        .map(|d| Path::new(&d).join("bus"))
        .is_some_and(|p| p.exists());
    let bus =
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|a| !a.is_empty()) || runtime_bus;
    let path = std::env::var_os("PATH").unwrap_or_default();
    portal_or_zenity(bus, &data_dirs(), &path)
}

/// The xdg desktop portal is reachable (a session bus, and the portal's service file from
/// which the bus starts it on demand), or zenity is on `path`.
fn portal_or_zenity(bus: bool, data_dirs: &[PathBuf], path: &std::ffi::OsStr) -> bool {
    let service = "dbus-1/services/org.freedesktop.portal.Desktop.service";
    let portal = bus && data_dirs.iter().any(|d| d.join(service).is_file());
    portal || on_path(path, "zenity")
}

/// `$XDG_DATA_HOME` and `$XDG_DATA_DIRS`, with the defaults of the XDG base directory spec.
fn data_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    match std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        Some(d) => dirs.push(PathBuf::from(d)),
        None => {
            if let Some(home) = std::env::var_os("HOME") {
                dirs.push(Path::new(&home).join(".local/share"));
            }
        }
    }
    let system = std::env::var("XDG_DATA_DIRS")
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "/usr/local/share:/usr/share".into());
    dirs.extend(
        system
            .split(':')
            .filter(|d| !d.is_empty())
            .map(PathBuf::from),
    );
    dirs
}

fn on_path(path: &std::ffi::OsStr, program: &str) -> bool {
    std::env::split_paths(path).any(|dir| dir.is_absolute() && dir.join(program).is_file())
}

/// The name of a report saved in teamsfix's own folder: time first, so names sort by time.
pub fn default_name(extension: &str) -> String {
    format!(
        "{}_teamsfix-report.{extension}",
        crate::common::timestamps::timestamp_for_file_names()
    )
}

fn is_saved_report(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.contains("_teamsfix-report."))
        && std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file())
}

/// Writes `text` into `dir` under [`default_name`], then keeps only the newest
/// [`KEEP_REPORTS`] reports there (only teamsfix's own report files are counted or removed).
pub fn save_in(dir: &Path, extension: &str, text: &str) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(default_name(extension));
    std::fs::write(&path, text)?;
    let mine: Vec<PathBuf> = crate::platform::retention::entries(dir)
        .into_iter()
        .filter(|p| is_saved_report(p))
        .collect();
    let excess = mine.len().saturating_sub(KEEP_REPORTS);
    for old in &mine[..excess] {
        // A report that cannot be removed now is tried again after the next save.
        let _ = std::fs::remove_file(old);
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_newest_reports_and_nothing_else_is_touched() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path();
        std::fs::create_dir_all(dir).unwrap();
        for i in 0..KEEP_REPORTS + 3 {
            std::fs::write(
                dir.join(format!("2020-01-01_00-00-{i:02}_teamsfix-report.txt")),
                "x",
            )
            .unwrap();
        }
        std::fs::write(dir.join("2019-01-01_bundle.zip"), "keep me").unwrap();
        let saved = save_in(dir, "md", "# report").unwrap();
        assert_eq!(std::fs::read_to_string(&saved).unwrap(), "# report");
        let left = crate::platform::retention::entries(dir);
        assert!(left.contains(&dir.join("2019-01-01_bundle.zip")));
        let reports: Vec<_> = left.iter().filter(|p| is_saved_report(p)).collect();
        assert_eq!(reports.len(), KEEP_REPORTS);
        assert!(reports.contains(&&saved));
        assert!(!dir.join("2020-01-01_00-00-00_teamsfix-report.txt").exists());
    }

    #[test]
    fn a_dialog_needs_the_portal_on_a_bus_or_zenity() {
        let t = tempfile::tempdir().unwrap();
        let share = t.path().join("share");
        let bin = t.path().join("bin");
        std::fs::create_dir_all(share.join("dbus-1/services")).unwrap();
        std::fs::create_dir_all(&bin).unwrap();
        let dirs = vec![share.clone()];
        let empty_path = std::ffi::OsString::new();
        // A machine like the one this was found on: a bus, but no portal and no zenity.
        assert!(!portal_or_zenity(true, &dirs, &empty_path));
        let service = share.join("dbus-1/services/org.freedesktop.portal.Desktop.service");
        std::fs::write(&service, "[D-BUS Service]").unwrap();
        assert!(portal_or_zenity(true, &dirs, &empty_path));
        // Without a session bus the portal cannot be reached.
        assert!(!portal_or_zenity(false, &dirs, &empty_path));
        std::fs::write(bin.join("zenity"), "").unwrap();
        assert!(portal_or_zenity(false, &dirs, bin.as_os_str()));
    }

    #[test]
    fn a_folder_that_cannot_be_made_is_an_error() {
        let t = tempfile::tempdir().unwrap();
        let file = t.path().join("not-a-folder");
        std::fs::write(&file, "x").unwrap();
        assert!(save_in(&file.join("reports"), "txt", "r").is_err());
    }
}
