//! Finding the current user's Teams processes and quitting them: politely first, then by force,
//! reporting what survived.

use crate::clients::client_table::{ClientSpec, ProcessMatcher};
use crate::platform::user_folders::UserFolders;
use serde::Serialize;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use sysinfo::{Pid, ProcessRefreshKind, ProcessStatus, ProcessesToUpdate, System, UpdateKind};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunningProcess {
    pub pid: u32,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exe: Option<PathBuf>,
    pub client: &'static str,
    /// Start time (seconds since the epoch): with the pid it identifies the process even if the
    /// pid is reused while teamsfix waits.
    #[serde(skip)]
    pub start_time: u64,
    /// Command-line arguments (kept for version lookups such as `--webview-exe-version=`).
    #[serde(skip)]
    pub args: Vec<String>,
}

/// Finds the processes of `clients` that belong to the user running teamsfix.
pub fn find_running(clients: &[&'static ClientSpec], folders: &UserFolders) -> Vec<RunningProcess> {
    let Ok(mut sys) = System::new() else {
        return Vec::new();
    };
    // First pass reads only names (cheap); details are read for the few candidates.
    sys.refresh_processes_specifics(ProcessesToUpdate::All, true, ProcessRefreshKind::nothing());
    let candidates: Vec<Pid> = sys
        .processes()
        .iter()
        .filter(|(_, p)| {
            clients
                .iter()
                .any(|c| c.processes.iter().any(|m| name_could_match(m, p.name())))
        })
        .map(|(pid, _)| *pid)
        .collect();
    let own = sysinfo::get_current_pid().ok();
    let mut detail_pids = candidates.clone();
    detail_pids.extend(own);
    let kind = ProcessRefreshKind::nothing()
        .with_exe(UpdateKind::OnlyIfNotSet)
        .with_cmd(UpdateKind::OnlyIfNotSet)
        .with_user(UpdateKind::OnlyIfNotSet);
    sys.refresh_processes_specifics(ProcessesToUpdate::Some(&detail_pids), false, kind);
    let own_user = own
        .and_then(|pid| sys.process(pid))
        .and_then(|p| p.user_id().cloned());

    let mut found = Vec::new();
    for pid in candidates {
        let Some(p) = sys.process(pid) else { continue };
        if Some(pid) == own || matches!(p.status(), ProcessStatus::Zombie | ProcessStatus::Dead) {
            continue;
        }
        // Only the current user's processes: on a terminal server others run Teams too.
        if own_user.is_some() && p.user_id() != own_user.as_ref() {
            continue;
        }
        let args: Vec<String> = p
            .cmd()
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let exe = p.exe().map(Path::to_path_buf);
        let name = p.name().to_string_lossy().into_owned();
        let client = clients.iter().find(|c| {
            c.processes
                .iter()
                .any(|m| matches(m, &name, exe.as_deref(), &args, folders))
        });
        if let Some(c) = client {
            found.push(RunningProcess {
                pid: pid.as_u32(),
                name,
                exe,
                client: c.id,
                start_time: p.start_time(),
                args,
            });
        }
    }
    found.sort_by_key(|p| (p.client, p.pid));
    found
}

fn matcher_exe(m: &ProcessMatcher) -> &'static str {
    match m {
        ProcessMatcher::ExeName(n) => n,
        ProcessMatcher::ExeNameWithArg { exe, .. } | ProcessMatcher::ExeNameUnder { exe, .. } => {
            exe
        }
        ProcessMatcher::ExePathEnds(p) => p.rsplit('/').next().unwrap_or(p),
    }
}

/// A cheap first test on the process name alone. Linux keeps only 15 characters of a name (macOS
/// 16), so a long name may arrive truncated.
fn name_could_match(m: &ProcessMatcher, name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    let want = matcher_exe(m);
    let want_stem = want.strip_suffix(".exe").unwrap_or(want);
    let eq = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    eq(&name, want)
        || eq(&name, want_stem)
        || (name.len() >= 15
            && want.len() > name.len()
            && want.get(..name.len()).is_some_and(|w| eq(w, &name)))
}

/// The executable's file name, or the process name when the executable cannot be read.
fn exe_file_name<'a>(name: &'a str, exe: Option<&'a Path>) -> std::borrow::Cow<'a, str> {
    exe.and_then(Path::file_name)
        .map(|f| f.to_string_lossy())
        .unwrap_or(std::borrow::Cow::Borrowed(name))
}

/// The full test of one process against one matcher.
pub fn matches(
    m: &ProcessMatcher,
    name: &str,
    exe: Option<&Path>,
    args: &[String],
    folders: &UserFolders,
) -> bool {
    let file = exe_file_name(name, exe);
    match m {
        ProcessMatcher::ExeName(want) => file.eq_ignore_ascii_case(want),
        ProcessMatcher::ExePathEnds(suffix) => exe
            .map(|e| e.to_string_lossy().replace('\\', "/"))
            .is_some_and(|e| e.ends_with(suffix)),
        ProcessMatcher::ExeNameWithArg {
            exe: want,
            any_arg_contains,
        } => {
            file.eq_ignore_ascii_case(want)
                && args.iter().any(|a| {
                    let a = a.to_ascii_lowercase();
                    any_arg_contains
                        .iter()
                        .any(|marker| a.contains(&marker.to_ascii_lowercase()))
                })
        }
        ProcessMatcher::ExeNameUnder {
            exe: want,
            base,
            dir,
        } => {
            let under = folders.resolve(*base, dir);
            file.eq_ignore_ascii_case(want)
                && exe.is_some_and(|e| path_starts_with_ignore_case(e, &under))
        }
    }
}

fn path_starts_with_ignore_case(path: &Path, prefix: &Path) -> bool {
    let norm = |p: &Path| p.to_string_lossy().replace('\\', "/").to_ascii_lowercase();
    let (p, pre) = (norm(path), norm(prefix));
    p.starts_with(&pre) && p[pre.len()..].starts_with('/')
}

/// What happened to each process asked to quit.
#[derive(Clone, Debug, Default, Serialize)]
pub struct QuitOutcome {
    /// Ended after the polite request.
    pub closed: Vec<RunningProcess>,
    /// Ended only when forced.
    pub forced: Vec<RunningProcess>,
    /// Still running: files may stay locked; the caller must not clear.
    pub survivors: Vec<RunningProcess>,
}

impl QuitOutcome {
    pub fn all_gone(&self) -> bool {
        self.survivors.is_empty()
    }
}

/// Asks the processes to quit (Windows: WM_CLOSE to their windows; Unix: SIGTERM), waits up to
/// `polite_wait`, forces the rest, waits a little more and reports.
pub fn quit(procs: &[RunningProcess], polite_wait: Duration) -> QuitOutcome {
    let mut out = QuitOutcome::default();
    if procs.is_empty() {
        return out;
    }
    let Ok(mut sys) = System::new() else {
        out.survivors = procs.to_vec();
        return out;
    };
    let pids: Vec<Pid> = procs.iter().map(|p| Pid::from_u32(p.pid)).collect();
    sys.refresh_processes_specifics(
        ProcessesToUpdate::Some(&pids),
        true,
        ProcessRefreshKind::nothing(),
    );
    ask_politely(&sys, procs);
    let mut alive = wait_for_exit(&mut sys, procs.to_vec(), polite_wait);
    out.closed = procs
        .iter()
        .filter(|p| !alive.contains(p))
        .cloned()
        .collect();
    if !alive.is_empty() {
        for p in &alive {
            if let Some(proc_) = sys.process(Pid::from_u32(p.pid))
                && proc_.start_time() == p.start_time
            {
                proc_.kill();
            }
        }
        let forced_set = alive.clone();
        alive = wait_for_exit(&mut sys, alive, Duration::from_secs(5));
        out.forced = forced_set
            .into_iter()
            .filter(|p| !alive.contains(p))
            .collect();
    }
    out.survivors = alive;
    out
}

#[cfg(unix)]
fn ask_politely(sys: &System, procs: &[RunningProcess]) {
    for p in procs {
        if let Some(proc_) = sys.process(Pid::from_u32(p.pid))
            && proc_.start_time() == p.start_time
        {
            proc_.kill_with(sysinfo::Signal::Term);
        }
    }
}

#[cfg(windows)]
fn ask_politely(_sys: &System, procs: &[RunningProcess]) {
    let pids: Vec<u32> = procs.iter().map(|p| p.pid).collect();
    crate::platform::windows::close_windows_of(&pids);
}

/// Waits until the processes are gone (or are zombies) or the time is up; returns the living.
fn wait_for_exit(
    sys: &mut System,
    mut alive: Vec<RunningProcess>,
    limit: Duration,
) -> Vec<RunningProcess> {
    let start = Instant::now();
    loop {
        let pids: Vec<Pid> = alive.iter().map(|p| Pid::from_u32(p.pid)).collect();
        sys.refresh_processes_specifics(
            ProcessesToUpdate::Some(&pids),
            true,
            ProcessRefreshKind::nothing(),
        );
        alive.retain(|p| {
            sys.process(Pid::from_u32(p.pid)).is_some_and(|q| {
                q.start_time() == p.start_time
                    && !matches!(q.status(), ProcessStatus::Zombie | ProcessStatus::Dead)
            })
        });
        if alive.is_empty() || start.elapsed() >= limit {
            return alive;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clients::client_table::client;

    fn folders() -> (tempfile::TempDir, UserFolders) {
        let t = tempfile::tempdir().unwrap();
        let f = UserFolders::from_parts(
            t.path().into(),
            t.path().join("Roaming"),
            t.path().join("Local"),
        )
        .unwrap();
        (t, f)
    }

    #[test]
    fn webview2_only_with_a_teams_command_line() {
        let (_t, f) = folders();
        let c = client("windows-new").unwrap();
        let is_teams = |args: &[&str]| {
            let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
            c.processes
                .iter()
                .any(|m| matches(m, "msedgewebview2.exe", None, &args, &f))
        };
        assert!(is_teams(&[
            "msedgewebview2.exe",
            "--webview-exe-name=ms-teams.exe",
            "--webview-exe-version=25306.804.4102.7193"
        ]));
        assert!(is_teams(&[
            "x",
            r"--user-data-dir=C:\Users\a\AppData\Local\Packages\MSTeams_8wekyb3d8bbwe\LocalCache\Microsoft\MSTeams\EBWebView"
        ]));
        assert!(!is_teams(&[
            "msedgewebview2.exe",
            "--webview-exe-name=olk.exe",
            r"--user-data-dir=C:\Users\a\AppData\Local\Microsoft\Olk\EBWebView"
        ]));
        assert!(!is_teams(&["msedgewebview2.exe"]));
    }

    #[test]
    fn classic_update_exe_only_below_its_folder() {
        let (_t, f) = folders();
        let c = client("windows-classic").unwrap();
        let own = f.resolve(
            crate::platform::user_folders::Base::LocalAppData,
            "Microsoft/Teams/Update.exe",
        );
        let other = f.resolve(
            crate::platform::user_folders::Base::LocalAppData,
            "Discord/Update.exe",
        );
        assert!(
            c.processes
                .iter()
                .any(|m| matches(m, "Update.exe", Some(&own), &[], &f))
        );
        assert!(
            !c.processes
                .iter()
                .any(|m| matches(m, "Update.exe", Some(&other), &[], &f))
        );
    }

    #[test]
    fn macos_matches_paths_not_substrings() {
        let (_t, f) = folders();
        let c = client("macos-new").unwrap();
        let m = |p: &str| {
            c.processes
                .iter()
                .any(|x| matches(x, "n", Some(Path::new(p)), &[], &f))
        };
        assert!(m(
            "/Applications/Microsoft Teams.app/Contents/MacOS/MSTeams"
        ));
        assert!(!m(
            "/Library/Audio/Plug-Ins/HAL/MSTeamsAudioDevice.driver/Contents/MacOS/MSTeamsAudioDevice"
        ));
        assert!(!m(
            "/Applications/Microsoft Teams.app/Contents/PlugIns/TeamsWidgetExtension.appex/Contents/MacOS/TeamsWidgetExtension"
        ));
    }

    #[test]
    fn truncated_linux_names_are_candidates() {
        let m = ProcessMatcher::ExeName("teams-for-linux-extra");
        assert!(name_could_match(&m, OsStr::new("teams-for-linux")));
        assert!(!name_could_match(
            &ProcessMatcher::ExeName("teams"),
            OsStr::new("teamsx")
        ));
        assert!(name_could_match(
            &ProcessMatcher::ExeName("ms-teams.exe"),
            OsStr::new("MS-Teams.exe")
        ));
    }
}
