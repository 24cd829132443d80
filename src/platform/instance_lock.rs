//! One teamsfix at a time changes a user's Teams: a lock file in teamsfix's data folder, held
//! for the whole of a clear, full reset, restore, quit or restart (and, shared, while a support
//! bundle reads the log archives and backups a clear would prune).
//!
//! Fleets run teamsfix from Intune while the user double-clicks it, and helpdesk agents start a
//! second copy. Two clears of the same data root at once report each other's files as failures,
//! a restore during a clear is undone by it, pruning removes an archive a bundle is reading, and
//! each run starts Teams again. So a second teamsfix does not start such work: it says in one
//! line which teamsfix holds the lock (process id, when it started, what it does) and stops
//! (the CLI with exit code 5), or waits for it when asked to (`--wait SECS`).
//!
//! The lock is the OS's file lock (`File::try_lock`: `flock` on Unix, `LockFileEx` on Windows),
//! so it goes with the process: a teamsfix that crashed or was killed holds nothing. Who holds
//! it is written next to it ([`HOLDER_FILE`]; a locked file cannot be read on Windows). Within
//! one process the lock is re-entrant: the CLI takes it for a whole command, and the core's
//! steps (which take it themselves, so the app's worker is covered too) find it held already.
//!
//! When the data folder cannot hold a lock file at all (a read-only or full disk), the work goes
//! ahead without one: no other teamsfix of this user could take it either, and a safe clear must
//! still work there.

use crate::common::i18n::Msg;
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The lock file in teamsfix's data folder.
pub const LOCK_FILE: &str = "teamsfix.lock";
/// Who holds the lock: one JSON line, written by the holder after it took the lock.
pub const HOLDER_FILE: &str = "teamsfix.lock.owner";

/// What the holder of the lock does (named in the message a second teamsfix shows).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    /// A quick clean (safe mode).
    Clear,
    /// A full reset.
    Reset,
    /// Putting a backup back.
    Restore,
    /// Quitting Teams.
    Quit,
    /// Starting Teams again.
    Restart,
    /// The one-click repair (quit, clear, start).
    Repair,
    /// Writing a support bundle (a shared lock: several bundles may be written at once).
    Bundle,
}

impl Job {
    pub fn id(self) -> &'static str {
        match self {
            Job::Clear => "clear",
            Job::Reset => "reset",
            Job::Restore => "restore",
            Job::Quit => "quit",
            Job::Restart => "restart",
            Job::Repair => "repair",
            Job::Bundle => "bundle",
        }
    }

    fn from_id(id: &str) -> Option<Job> {
        [
            Job::Clear,
            Job::Reset,
            Job::Restore,
            Job::Quit,
            Job::Restart,
            Job::Repair,
            Job::Bundle,
        ]
        .into_iter()
        .find(|j| j.id() == id)
    }

    /// The catalogue key of "another teamsfix is doing this".
    fn busy_key(job: Option<Job>) -> &'static str {
        match job {
            Some(Job::Clear) => "lock.busy.clear",
            Some(Job::Reset) => "lock.busy.reset",
            Some(Job::Restore) => "lock.busy.restore",
            Some(Job::Quit) => "lock.busy.quit",
            Some(Job::Restart) => "lock.busy.restart",
            Some(Job::Repair) => "lock.busy.repair",
            Some(Job::Bundle) => "lock.busy.bundle",
            None => "lock.busy.unknown",
        }
    }
}

/// The message keys of a refusal because another teamsfix holds the lock start with this.
pub const BUSY_KEY_PREFIX: &str = "lock.busy.";

/// Whether `m` says another teamsfix is at work (the CLI exits with its own code for it).
pub fn is_busy(m: &Msg) -> bool {
    m.key.starts_with(BUSY_KEY_PREFIX)
}

/// The data folders whose lock this process holds, with how often it was taken.
static HELD: Mutex<Vec<(PathBuf, usize)>> = Mutex::new(Vec::new());

/// Held while it lives; released when dropped (and by the OS when the process ends).
#[derive(Debug)]
pub struct InstanceLock {
    dir: PathBuf,
    /// The locked file; `None` when this process held the lock already (re-entrant) or when
    /// the data folder cannot hold a lock file.
    file: Option<File>,
    exclusive: bool,
    counted: bool,
}

impl Drop for InstanceLock {
    fn drop(&mut self) {
        if self.counted {
            let mut held = HELD.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(i) = held.iter().position(|(d, _)| *d == self.dir) {
                held[i].1 -= 1;
                if held[i].1 == 0 {
                    held.remove(i);
                }
            }
        }
        if let Some(file) = self.file.take() {
            // The holder's note goes before the lock: once unlocked, the next holder writes its
            // own. A shared holder leaves it (another may still hold the lock).
            if self.exclusive {
                let _ = std::fs::remove_file(self.dir.join(HOLDER_FILE));
            }
            let _ = file.unlock();
        }
    }
}

/// Takes the lock for `job` in `app_data` (teamsfix's data folder), waiting up to `wait` for
/// another teamsfix to finish. `Err`: another teamsfix holds it; the message names it.
pub fn acquire(app_data: &Path, job: Job, wait: Duration) -> Result<InstanceLock, Msg> {
    acquire_as(app_data, job, wait, &mut |_| {})
}

/// [`acquire`], calling `waiting` once with the message about the holder when it has to wait
/// (the CLI says so on stderr).
pub fn acquire_as(
    app_data: &Path,
    job: Job,
    wait: Duration,
    waiting: &mut dyn FnMut(&Msg),
) -> Result<InstanceLock, Msg> {
    let exclusive = job != Job::Bundle;
    let dir = app_data.to_path_buf();
    {
        let mut held = HELD.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = held.iter_mut().find(|(d, _)| *d == dir) {
            entry.1 += 1;
            return Ok(InstanceLock {
                dir,
                file: None,
                exclusive,
                counted: true,
            });
        }
    }
    let Some(file) = open_lock_file(&dir) else {
        // No lock file can exist here: go ahead (see the module comment).
        return Ok(InstanceLock {
            dir,
            file: None,
            exclusive,
            counted: false,
        });
    };
    let started = Instant::now();
    let mut said = false;
    loop {
        let r = if exclusive {
            file.try_lock()
        } else {
            file.try_lock_shared()
        };
        match r {
            Ok(()) => break,
            Err(std::fs::TryLockError::WouldBlock) => {
                let busy = holder_message(&dir);
                if started.elapsed() >= wait {
                    return Err(busy);
                }
                if !said {
                    waiting(&busy);
                    said = true;
                }
                std::thread::sleep(Duration::from_millis(100).min(wait));
            }
            // The file system has no locks (some network shares): go ahead as without a file.
            Err(std::fs::TryLockError::Error(_)) => {
                return Ok(InstanceLock {
                    dir,
                    file: None,
                    exclusive,
                    counted: false,
                });
            }
        }
    }
    write_holder(&dir, job);
    HELD.lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((dir.clone(), 1));
    Ok(InstanceLock {
        dir,
        file: Some(file),
        exclusive,
        counted: true,
    })
}

/// Opens (or makes) the lock file; `None` when the folder cannot hold one.
fn open_lock_file(dir: &Path) -> Option<File> {
    let _ = std::fs::create_dir_all(dir);
    let path = dir.join(LOCK_FILE);
    let mut opts = OpenOptions::new();
    opts.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Never through a link planted in its place.
        opts.custom_flags(libc::O_NOFOLLOW).mode(0o600);
    }
    if let Ok(f) = opts.open(&path) {
        return Some(f);
    }
    // A read-only folder with the file already there: a lock needs no write access.
    let mut ro = OpenOptions::new();
    ro.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        ro.custom_flags(libc::O_NOFOLLOW);
    }
    ro.open(&path).ok()
}

/// Who holds the lock, as written by [`write_holder`].
#[derive(serde::Serialize, serde::Deserialize)]
struct Holder {
    pid: u32,
    /// Local time, `2026-11-25 01:12:30`.
    started: String,
    job: String,
}

/// When this process started (the holder note says when the holder began, not when it took
/// the lock), as local time.
fn process_start() -> String {
    static START: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    START
        .get_or_init(|| {
            let t = crate::common::timestamps::timestamp_for_file_names();
            match t.split_once('_') {
                Some((day, time)) => format!("{day} {}", time.replace('-', ":")),
                None => t,
            }
        })
        .clone()
}

/// Remembers when this process started; call early (the front ends do in `main`).
pub fn note_process_start() {
    let _ = process_start();
}

fn write_holder(dir: &Path, job: Job) {
    let holder = Holder {
        pid: std::process::id(),
        started: process_start(),
        job: job.id().to_string(),
    };
    let Ok(text) = serde_json::to_string(&holder) else {
        return;
    };
    // Written aside and renamed over: a reader sees the old note or the new one, never half.
    let tmp = dir.join(format!("{HOLDER_FILE}.{}", std::process::id()));
    if std::fs::write(&tmp, text).is_ok() && std::fs::rename(&tmp, dir.join(HOLDER_FILE)).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// "Another teamsfix (process 1234, started 2026-11-25 01:12) is clearing ...".
fn holder_message(dir: &Path) -> Msg {
    use std::io::Read;
    // At most 4 KiB: whatever is there (even a link to an endless device) is read only so far.
    let mut text = Vec::new();
    let mut opts = OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Never waits on a FIFO put in its place.
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let holder: Option<Holder> = opts
        .open(dir.join(HOLDER_FILE))
        .and_then(|f| f.take(4096).read_to_end(&mut text))
        .ok()
        .and_then(|_| serde_json::from_slice(&text).ok());
    match holder {
        Some(h) => Msg::new(Job::busy_key(Job::from_id(&h.job)))
            .arg("pid", h.pid)
            .arg("started", h.started),
        None => Msg::new(Job::busy_key(None))
            .arg("pid", "?")
            .arg("started", "?"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn re_entrant_within_a_process_and_released_when_dropped() {
        let t = tempfile::tempdir().unwrap();
        let data = t.path().join("data");
        let outer = acquire(&data, Job::Reset, Duration::ZERO).unwrap();
        assert!(outer.file.is_some());
        let holder = std::fs::read_to_string(data.join(HOLDER_FILE)).unwrap();
        assert!(holder.contains(&format!("\"pid\":{}", std::process::id())));
        assert!(holder.contains("\"job\":\"reset\""), "{holder}");
        {
            let inner = acquire(&data, Job::Clear, Duration::ZERO).unwrap();
            assert!(inner.file.is_none());
        }
        // Another open file description of the same file (as another process would have) is
        // refused while the lock is held, and gets it once it is released.
        let other = File::open(data.join(LOCK_FILE)).unwrap();
        assert!(matches!(
            other.try_lock(),
            Err(std::fs::TryLockError::WouldBlock)
        ));
        drop(outer);
        assert!(!data.join(HOLDER_FILE).exists());
        other.try_lock().unwrap();
        let m = holder_message(&data);
        assert_eq!(m.key, "lock.busy.unknown");
        assert!(is_busy(&m));
    }

    #[test]
    fn the_message_names_the_holder() {
        let t = tempfile::tempdir().unwrap();
        std::fs::write(
            t.path().join(HOLDER_FILE),
            r#"{"pid":4242,"started":"2026-11-25 01:12:30","job":"restore"}"#,
        )
        .unwrap();
        let m = holder_message(t.path());
        assert_eq!(m.key, "lock.busy.restore");
        let en = m.text(crate::common::i18n::Lang::En);
        assert!(
            en.contains("4242") && en.contains("2026-11-25 01:12:30"),
            "{en}"
        );
        let nl = m.text(crate::common::i18n::Lang::Nl);
        assert!(nl.contains("4242") && nl != en, "{nl}");
    }

    #[cfg(unix)]
    #[test]
    fn an_odd_holder_note_is_read_without_hanging() {
        let t = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/dev/zero", t.path().join(HOLDER_FILE)).unwrap();
        assert_eq!(holder_message(t.path()).key, "lock.busy.unknown");
        std::fs::remove_file(t.path().join(HOLDER_FILE)).unwrap();
        let fifo = std::ffi::CString::new(t.path().join(HOLDER_FILE).to_str().unwrap().as_bytes())
            .unwrap();
        // SAFETY: `fifo` is a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        assert_eq!(holder_message(t.path()).key, "lock.busy.unknown");
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_that_cannot_hold_a_lock_file_does_not_stop_the_work() {
        use std::os::unix::fs::PermissionsExt;
        let t = tempfile::tempdir().unwrap();
        let ro = t.path().join("ro");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o500)).unwrap();
        let writable = std::fs::write(ro.join("probe"), b"").is_ok();
        let l = acquire(&ro, Job::Clear, Duration::ZERO);
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o700)).unwrap();
        if writable {
            return; // running as root: the folder is writable anyway
        }
        assert!(l.unwrap().file.is_none());
    }
}
