//! One lock for every test that starts Teams-like processes or quits them: a clear quits every
//! process of the current user named like a client, including another test's, also one in
//! another test binary or another `cargo test` run on the same machine (a second checkout, CI
//! and a developer at once). So the lock is a file lock in the temp folder, held with a mutex for
//! the threads of this binary.

use std::sync::{Mutex, MutexGuard};

static THREADS: Mutex<()> = Mutex::new(());

/// Held while a test starts or quits processes; released when dropped.
pub struct ProcessLock {
    _file: std::fs::File,
    _threads: MutexGuard<'static, ()>,
}

pub fn process_lock() -> ProcessLock {
    let threads = THREADS.lock().unwrap_or_else(|e| e.into_inner());
    let path = std::env::temp_dir().join("teamsfix-process-tests.lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
    file.lock()
        .unwrap_or_else(|e| panic!("cannot lock {}: {e}", path.display()));
    ProcessLock {
        _file: file,
        _threads: threads,
    }
}
