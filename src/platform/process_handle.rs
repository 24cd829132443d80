//! A process held by a handle, so that asking it to quit, waiting for it and forcing it all reach
//! the process the process list showed, never another one that got its pid number later.
//!
//! - Windows: `OpenProcess(PROCESS_TERMINATE | SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION)`;
//!   the creation time is read on that handle (`GetProcessTimes`) and must be the one the list
//!   showed; waiting is `WaitForMultipleObjects`, forcing is `TerminateProcess` on the same handle.
//!   While teamsfix holds the handle, Windows does not give the pid to another process.
//! - Linux: `pidfd_open`, the start time checked after the pidfd is open, `pidfd_send_signal`
//!   (SIGTERM, then SIGKILL) and `poll` on the pidfd. Kernels before 5.3 have no pidfd: then the
//!   start time is checked again right before each signal sent by pid (a narrow window remains).
//! - macOS: by pid, with the start-time check before each signal.
//!
//! Nothing here starts a program: no `taskkill`, no `kill` command.

use std::time::{Duration, Instant};

/// Why a process could not be opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenError {
    /// It ended, or its pid now belongs to another process (another start time).
    Gone,
    /// It runs but may not be opened (another user's, a protected process).
    Denied,
}

/// An open process. Dropping it closes the handle.
pub struct ProcessHandle {
    pid: u32,
    /// Seconds since the epoch, as the process list reported it.
    start_time: u64,
    os: imp::Handle,
}

impl std::fmt::Debug for ProcessHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ProcessHandle({} by {})", self.pid, self.method())
    }
}

impl PartialEq for ProcessHandle {
    fn eq(&self, other: &Self) -> bool {
        self.pid == other.pid && self.start_time == other.start_time
    }
}

impl Eq for ProcessHandle {}

impl ProcessHandle {
    /// Opens process `pid` and confirms on the opened handle that it started at `start_time`
    /// (seconds since the epoch, as the process list showed it).
    pub fn open(pid: u32, start_time: u64) -> Result<ProcessHandle, OpenError> {
        let os = imp::open(pid, start_time)?;
        Ok(ProcessHandle {
            pid,
            start_time,
            os,
        })
    }

    /// Like [`ProcessHandle::open`] but without a pidfd: by pid with the start-time check, what
    /// Linux kernels before 5.3 get. For tests of that path.
    #[cfg(target_os = "linux")]
    #[doc(hidden)]
    pub fn open_by_pid(pid: u32, start_time: u64) -> Result<ProcessHandle, OpenError> {
        let os = imp::open_by_pid(pid, start_time)?;
        Ok(ProcessHandle {
            pid,
            start_time,
            os,
        })
    }

    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// How the process is held: `pidfd`, `pid` (with the start-time check) or `handle`.
    pub fn method(&self) -> &'static str {
        imp::method(&self.os)
    }

    /// True when the process has ended (a zombie that nobody reaped yet counts as ended).
    pub fn has_exited(&self) -> bool {
        imp::has_exited(&self.os, self.pid)
    }

    /// Unix: SIGTERM. Windows has no signal: [`close_windows`] asks politely there.
    #[cfg(unix)]
    pub fn ask_to_quit(&self) -> bool {
        imp::signal(&self.os, self.pid, libc::SIGTERM)
    }

    /// Ends the process now (Unix: SIGKILL; Windows: `TerminateProcess` on the handle).
    pub fn force(&self) -> bool {
        imp::force(&self.os, self.pid)
    }
}

/// Windows: posts WM_CLOSE to the top-level windows of these processes (Teams may then stay in
/// the tray; the caller waits and forces). The pids cannot have been reused: their handles are
/// held. Returns how many windows were asked.
#[cfg(windows)]
pub fn close_windows(procs: &[&ProcessHandle]) -> usize {
    let pids: Vec<u32> = procs.iter().map(|p| p.pid).collect();
    crate::platform::windows::close_windows_of(&pids)
}

/// Waits until every process in `procs` has ended or `limit` has passed; returns the indices of
/// those still running.
pub fn wait_for_exit(procs: &[&ProcessHandle], limit: Duration) -> Vec<usize> {
    let start = Instant::now();
    loop {
        let alive: Vec<usize> = (0..procs.len())
            .filter(|&i| !procs[i].has_exited())
            .collect();
        let elapsed = start.elapsed();
        if alive.is_empty() || elapsed >= limit {
            return alive;
        }
        let slice = (limit - elapsed).min(Duration::from_millis(100));
        let waiting: Vec<&ProcessHandle> = alive.iter().map(|&i| procs[i]).collect();
        imp::wait_any(&waiting, slice);
    }
}

#[cfg(target_os = "linux")]
mod imp {
    use super::{OpenError, ProcessHandle};
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    use std::time::Duration;

    pub enum Handle {
        Pidfd(OwnedFd),
        /// No pidfd on this kernel: by pid, checking this start time (clock ticks since boot)
        /// before every signal.
        Pid {
            start_ticks: u64,
        },
    }

    pub fn method(h: &Handle) -> &'static str {
        match h {
            Handle::Pidfd(_) => "pidfd",
            Handle::Pid { .. } => "pid",
        }
    }

    pub fn open(pid: u32, start_time: u64) -> Result<Handle, OpenError> {
        // SAFETY: pidfd_open(pid, flags) takes two integers and returns a new fd or -1.
        let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid as libc::pid_t, 0) };
        if fd < 0 {
            let err = std::io::Error::last_os_error().raw_os_error();
            return match err {
                Some(libc::ESRCH) => Err(OpenError::Gone),
                // ENOSYS: a kernel before 5.3 (or a sandbox that forbids the call).
                Some(libc::ENOSYS) | Some(libc::EPERM) => open_by_pid(pid, start_time),
                _ => Err(OpenError::Denied),
            };
        }
        // SAFETY: the syscall returned a new file descriptor that nothing else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(fd as i32) };
        // The pidfd now pins one process; it is the one the list showed when it started then.
        match start_of(pid) {
            Some((secs, _)) if secs == start_time => Ok(Handle::Pidfd(fd)),
            _ => Err(OpenError::Gone),
        }
    }

    pub fn open_by_pid(pid: u32, start_time: u64) -> Result<Handle, OpenError> {
        match start_of(pid) {
            Some((secs, ticks)) if secs == start_time => Ok(Handle::Pid { start_ticks: ticks }),
            _ => Err(OpenError::Gone),
        }
    }

    /// The start of process `pid`: seconds since the epoch (boot time plus the start in clock
    /// ticks, the way the process list computes it) and the raw clock ticks since boot.
    fn start_of(pid: u32) -> Option<(u64, u64)> {
        let (ticks, _) = stat_of(pid)?;
        // SAFETY: sysconf has no preconditions.
        let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
        let hz = u64::try_from(hz).ok().filter(|h| *h > 0)?;
        Some((ticks / hz + boot_time()?, ticks))
    }

    /// Field 22 (start time in clock ticks) and field 3 (state) of `/proc/<pid>/stat`.
    fn stat_of(pid: u32) -> Option<(u64, u8)> {
        let stat = std::fs::read(format!("/proc/{pid}/stat")).ok()?;
        // The name (field 2) is in parentheses and may hold spaces: split after the last ')'.
        let close = stat.iter().rposition(|&b| b == b')')?;
        let rest = std::str::from_utf8(stat.get(close + 2..)?).ok()?;
        let mut fields = rest.split_ascii_whitespace();
        let state = fields.next()?.bytes().next()?;
        // `rest` starts at field 3; field 22 is 19 further on.
        let ticks = fields.nth(18)?.parse().ok()?;
        Some((ticks, state))
    }

    fn boot_time() -> Option<u64> {
        let stat = std::fs::read_to_string("/proc/stat").ok()?;
        stat.lines()
            .find_map(|l| l.strip_prefix("btime "))?
            .trim()
            .parse()
            .ok()
    }

    /// By pid: still the same process (same start) and not yet a zombie.
    fn same_and_alive(pid: u32, start_ticks: u64) -> bool {
        stat_of(pid).is_some_and(|(t, state)| t == start_ticks && !matches!(state, b'Z' | b'X'))
    }

    pub fn has_exited(h: &Handle, pid: u32) -> bool {
        match h {
            Handle::Pidfd(fd) => {
                let mut p = libc::pollfd {
                    fd: fd.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: one valid pollfd, no wait. A pidfd is readable once the process ended.
                let n = unsafe { libc::poll(&mut p, 1, 0) };
                n > 0 && p.revents != 0
            }
            Handle::Pid { start_ticks } => !same_and_alive(pid, *start_ticks),
        }
    }

    pub fn signal(h: &Handle, pid: u32, sig: i32) -> bool {
        match h {
            Handle::Pidfd(fd) => {
                // SAFETY: pidfd_send_signal(pidfd, sig, info = NULL, flags = 0).
                let rc = unsafe {
                    libc::syscall(
                        libc::SYS_pidfd_send_signal,
                        fd.as_raw_fd(),
                        sig,
                        std::ptr::null::<libc::siginfo_t>(),
                        0u32,
                    )
                };
                rc == 0
            }
            Handle::Pid { start_ticks } => {
                if !same_and_alive(pid, *start_ticks) {
                    return false;
                }
                // SAFETY: kill(2) with a pid checked just above to be the same process.
                unsafe { libc::kill(pid as libc::pid_t, sig) == 0 }
            }
        }
    }

    pub fn force(h: &Handle, pid: u32) -> bool {
        signal(h, pid, libc::SIGKILL)
    }

    pub fn wait_any(procs: &[&ProcessHandle], limit: Duration) {
        let mut fds: Vec<libc::pollfd> = procs
            .iter()
            .filter_map(|p| match &p.os {
                Handle::Pidfd(fd) => Some(libc::pollfd {
                    fd: fd.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                }),
                Handle::Pid { .. } => None,
            })
            .collect();
        // Processes held by pid cannot be waited for: poll them every 50 ms.
        let by_pid = fds.len() < procs.len();
        let ms = if by_pid {
            limit.min(Duration::from_millis(50))
        } else {
            limit
        };
        let ms = i32::try_from(ms.as_millis()).unwrap_or(i32::MAX);
        if fds.is_empty() {
            std::thread::sleep(Duration::from_millis(ms as u64));
            return;
        }
        // SAFETY: `fds` is a valid array of pollfd of this length.
        unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, ms) };
    }
}

#[cfg(all(unix, not(target_os = "linux")))]
mod imp {
    use super::{OpenError, ProcessHandle};
    use std::time::Duration;

    /// macOS and the other Unix systems: by pid, with the start-time check before each signal.
    pub struct Handle {
        start_time: u64,
    }

    pub fn method(_h: &Handle) -> &'static str {
        "pid"
    }

    pub fn open(pid: u32, start_time: u64) -> Result<Handle, OpenError> {
        if same_and_alive(pid, start_time) {
            Ok(Handle { start_time })
        } else {
            Err(OpenError::Gone)
        }
    }

    fn same_and_alive(pid: u32, start_time: u64) -> bool {
        use sysinfo::{Pid, ProcessRefreshKind, ProcessStatus, ProcessesToUpdate, System};
        let Ok(mut sys) = System::new() else {
            return false;
        };
        let p = Pid::from_u32(pid);
        sys.refresh_processes_specifics(
            ProcessesToUpdate::Some(&[p]),
            true,
            ProcessRefreshKind::nothing(),
        );
        sys.process(p).is_some_and(|q| {
            q.start_time() == start_time
                && !matches!(q.status(), ProcessStatus::Zombie | ProcessStatus::Dead)
        })
    }

    pub fn has_exited(h: &Handle, pid: u32) -> bool {
        !same_and_alive(pid, h.start_time)
    }

    pub fn signal(h: &Handle, pid: u32, sig: i32) -> bool {
        if !same_and_alive(pid, h.start_time) {
            return false;
        }
        // SAFETY: kill(2) with a pid checked just above to be the same process.
        unsafe { libc::kill(pid as libc::pid_t, sig) == 0 }
    }

    pub fn force(h: &Handle, pid: u32) -> bool {
        signal(h, pid, libc::SIGKILL)
    }

    pub fn wait_any(_procs: &[&ProcessHandle], limit: Duration) {
        std::thread::sleep(limit.min(Duration::from_millis(50)));
    }
}

#[cfg(windows)]
mod imp {
    use super::{OpenError, ProcessHandle};
    use std::os::windows::io::{AsRawHandle, FromRawHandle, OwnedHandle};
    use std::time::Duration;
    use windows_sys::Win32::Foundation::{
        ERROR_ACCESS_DENIED, FILETIME, GetLastError, HANDLE, WAIT_OBJECT_0,
    };
    use windows_sys::Win32::System::Threading::{
        GetProcessTimes, OpenProcess, PROCESS_QUERY_LIMITED_INFORMATION, PROCESS_SYNCHRONIZE,
        PROCESS_TERMINATE, TerminateProcess, WaitForMultipleObjects, WaitForSingleObject,
    };

    pub struct Handle(OwnedHandle);

    pub fn method(_h: &Handle) -> &'static str {
        "handle"
    }

    pub fn open(pid: u32, start_time: u64) -> Result<Handle, OpenError> {
        let rights = PROCESS_TERMINATE | PROCESS_SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION;
        // SAFETY: plain Win32 call; a null result is handled.
        let raw = unsafe { OpenProcess(rights, 0, pid) };
        if raw.is_null() {
            // SAFETY: reads the calling thread's last error.
            let err = unsafe { GetLastError() };
            return Err(if err == ERROR_ACCESS_DENIED {
                OpenError::Denied
            } else {
                OpenError::Gone
            });
        }
        // SAFETY: OpenProcess returned a new handle that nothing else owns.
        let handle = unsafe { OwnedHandle::from_raw_handle(raw as _) };
        match creation_time(raw) {
            Some(t) if t == start_time => Ok(Handle(handle)),
            _ => Err(OpenError::Gone),
        }
    }

    /// The creation time read on the handle, in seconds since the epoch (as the list shows it).
    fn creation_time(h: HANDLE) -> Option<u64> {
        let zero = FILETIME {
            dwLowDateTime: 0,
            dwHighDateTime: 0,
        };
        let (mut created, mut exited, mut kernel, mut user) = (zero, zero, zero, zero);
        // SAFETY: a valid process handle with limited-query rights and four out pointers.
        let ok = unsafe { GetProcessTimes(h, &mut created, &mut exited, &mut kernel, &mut user) };
        if ok == 0 {
            return None;
        }
        let ticks = (u64::from(created.dwHighDateTime) << 32) | u64::from(created.dwLowDateTime);
        (ticks / 10_000_000).checked_sub(11_644_473_600)
    }

    fn raw(h: &Handle) -> HANDLE {
        h.0.as_raw_handle() as HANDLE
    }

    pub fn has_exited(h: &Handle, _pid: u32) -> bool {
        // SAFETY: a valid handle with SYNCHRONIZE; zero timeout.
        unsafe { WaitForSingleObject(raw(h), 0) == WAIT_OBJECT_0 }
    }

    pub fn force(h: &Handle, _pid: u32) -> bool {
        // SAFETY: a valid handle with PROCESS_TERMINATE.
        unsafe { TerminateProcess(raw(h), 1) != 0 }
    }

    pub fn wait_any(procs: &[&ProcessHandle], limit: Duration) {
        // WaitForMultipleObjects takes at most 64 handles; more than 64 Teams processes are
        // waited for 64 at a time, in turn.
        let handles: Vec<HANDLE> = procs.iter().take(64).map(|p| raw(&p.os)).collect();
        let ms = u32::try_from(limit.as_millis()).unwrap_or(u32::MAX);
        // SAFETY: an array of valid handles with SYNCHRONIZE, of this length; wait for any.
        unsafe { WaitForMultipleObjects(handles.len() as u32, handles.as_ptr(), 0, ms) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn start_time_of(pid: u32) -> u64 {
        use sysinfo::{Pid, ProcessRefreshKind, ProcessesToUpdate, System};
        let mut sys = System::new().unwrap();
        sys.refresh_processes_specifics(
            ProcessesToUpdate::Some(&[Pid::from_u32(pid)]),
            true,
            ProcessRefreshKind::nothing(),
        );
        sys.process(Pid::from_u32(pid)).unwrap().start_time()
    }

    #[cfg(unix)]
    fn sleeper() -> std::process::Child {
        std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap()
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_pidfd_quits_the_process_it_opened() {
        let mut child = sleeper();
        let pid = child.id();
        let h = ProcessHandle::open(pid, start_time_of(pid)).unwrap();
        assert_eq!(h.method(), "pidfd");
        assert!(!h.has_exited());
        assert!(h.ask_to_quit());
        assert!(wait_for_exit(&[&h], Duration::from_secs(5)).is_empty());
        // Exited but not reaped yet (a zombie): ended all the same.
        assert!(h.has_exited());
        child.wait().unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn without_a_pidfd_the_start_time_is_checked() {
        let mut child = sleeper();
        let pid = child.id();
        let start = start_time_of(pid);
        // Another start time: the pid is someone else's now; nothing is opened.
        assert_eq!(
            ProcessHandle::open_by_pid(pid, start + 1).unwrap_err(),
            OpenError::Gone
        );
        assert_eq!(
            ProcessHandle::open(pid, start + 1).unwrap_err(),
            OpenError::Gone
        );
        let h = ProcessHandle::open_by_pid(pid, start).unwrap();
        assert_eq!(h.method(), "pid");
        assert!(h.force());
        assert!(wait_for_exit(&[&h], Duration::from_secs(5)).is_empty());
        child.wait().unwrap();
        // Reaped: the pid is free; a signal sent now must not go anywhere.
        assert!(!h.force());
    }

    #[cfg(unix)]
    #[test]
    fn a_process_that_ended_is_gone() {
        let mut child = sleeper();
        let pid = child.id();
        let start = start_time_of(pid);
        child.kill().unwrap();
        child.wait().unwrap();
        assert_eq!(
            ProcessHandle::open(pid, start).unwrap_err(),
            OpenError::Gone
        );
    }

    #[cfg(unix)]
    #[test]
    fn waiting_reports_who_is_still_running() {
        let mut child = sleeper();
        let pid = child.id();
        let h = ProcessHandle::open(pid, start_time_of(pid)).unwrap();
        let t = Instant::now();
        assert_eq!(wait_for_exit(&[&h], Duration::from_millis(300)), vec![0]);
        assert!(t.elapsed() >= Duration::from_millis(300));
        assert!(h.force());
        assert!(wait_for_exit(&[&h], Duration::from_secs(5)).is_empty());
        child.wait().unwrap();
    }
}
