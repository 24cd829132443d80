//! Finding the current user's Teams processes and quitting them: politely first, then by force,
//! reporting what survived. Every process is opened when it is found
//! ([`ProcessHandle`](crate::platform::process_handle::ProcessHandle)) and everything after that
//! goes through the handle, never through a pid number alone and never through another program.

use crate::clients::client_table::{ClientSpec, ProcessMatcher};
use crate::common::i18n::Msg;
use crate::platform::process_handle::{self, OpenError, ProcessHandle};
use crate::platform::user_folders::UserFolders;
use serde::Serialize;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use sysinfo::{Pid, ProcessRefreshKind, ProcessStatus, ProcessesToUpdate, System, UpdateKind};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunningProcess {
    pub pid: u32,
    pub name: String,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::common::lossy_path::opt"
    )]
    pub exe: Option<PathBuf>,
    pub client: &'static str,
    /// The data root this process named on its command line (`--user-data-dir=PATH` for clients
    /// whose table row says so); `None` for the client's usual data roots.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::common::lossy_path::opt"
    )]
    pub user_data_dir: Option<PathBuf>,
    /// Start time (seconds since the epoch), as the process list showed it.
    #[serde(skip)]
    pub start_time: u64,
    /// Command-line arguments (kept for version lookups such as `--webview-exe-version=`).
    #[serde(skip)]
    pub args: Vec<String>,
    /// The process, opened when it was found; `None` when it may not be opened (then it cannot
    /// be quit either and is reported as still running).
    #[serde(skip)]
    pub handle: Option<Arc<ProcessHandle>>,
}

/// Why the current user's Teams processes cannot be known. A clear is refused then: guessing
/// would either leave Teams running while its cache is removed, or quit another user's Teams.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProcessListError {
    /// The list of processes could not be read (teamsfix did not even find itself in it).
    Unreadable,
    /// The user teamsfix runs as could not be determined, so no process can be told to be theirs.
    UserUnknown,
}

impl ProcessListError {
    pub fn msg(self) -> Msg {
        match self {
            ProcessListError::Unreadable => Msg::new("processes.unreadable"),
            ProcessListError::UserUnknown => Msg::new("processes.user_unknown"),
        }
    }
}

/// Finds the processes of `clients` that belong to the user running teamsfix, and opens each.
pub fn find_running(
    clients: &[&'static ClientSpec],
    folders: &UserFolders,
) -> Result<Vec<RunningProcess>, ProcessListError> {
    // Without knowing who teamsfix runs as, no process can be told to be the user's.
    if !crate::platform::identity::current_user_known() {
        return Err(ProcessListError::UserUnknown);
    }
    let Ok(mut sys) = System::new() else {
        return Err(ProcessListError::Unreadable);
    };
    let own = sysinfo::get_current_pid().map_err(|_| ProcessListError::Unreadable)?;
    // First pass reads only names (cheap); details are read for the few candidates.
    sys.refresh_processes_specifics(ProcessesToUpdate::All, true, ProcessRefreshKind::nothing());
    // A list without teamsfix itself was not read: refuse rather than report "not running".
    if sys.process(own).is_none() {
        return Err(ProcessListError::Unreadable);
    }
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
    let mut detail_pids = candidates.clone();
    detail_pids.push(own);
    let kind = ProcessRefreshKind::nothing()
        .with_exe(UpdateKind::OnlyIfNotSet)
        .with_cmd(UpdateKind::OnlyIfNotSet)
        .with_user(UpdateKind::OnlyIfNotSet)
        .with_cwd(UpdateKind::OnlyIfNotSet);
    sys.refresh_processes_specifics(ProcessesToUpdate::Some(&detail_pids), false, kind);
    // Only the current user's processes: on a terminal server others run Teams too. Without
    // knowing who that is, no process matches.
    let own_user = sys
        .process(own)
        .and_then(|p| p.user_id().cloned())
        .ok_or(ProcessListError::UserUnknown)?;
    let mut found: Vec<RunningProcess> = Vec::new();
    for pid in candidates {
        let Some(p) = sys.process(pid) else { continue };
        if pid == own
            || matches!(p.status(), ProcessStatus::Zombie | ProcessStatus::Dead)
            || p.user_id() != Some(&own_user)
        {
            continue;
        }
        if let Some(r) = identify(clients, folders, pid, p) {
            // Kept in (client, pid) order by inserting in place: a handful of processes, and no
            // sort routine in the exe (the size budget).
            let at = found.partition_point(|q| (q.client, q.pid) < (r.client, r.pid));
            found.insert(at, r);
        }
    }
    Ok(found)
}

/// Matches one listed process against the clients and opens it.
fn identify(
    clients: &[&'static ClientSpec],
    folders: &UserFolders,
    pid: Pid,
    p: &sysinfo::Process,
) -> Option<RunningProcess> {
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
    })?;
    let start_time = p.start_time();
    // Opened now and checked against the start time the list showed: from here on the handle
    // is this process, whatever happens to its pid number.
    let handle = match ProcessHandle::open(pid.as_u32(), start_time) {
        Ok(h) => Some(Arc::new(h)),
        Err(OpenError::Gone) => return None,
        Err(OpenError::Denied) => None,
    };
    // A relative folder is relative to the process's working folder, as Chromium reads it.
    // One that cannot be resolved stays relative: it names no root teamsfix can find, but the
    // process still does not belong to the client's usual root.
    let user_data_dir = client
        .instance_roots()
        .and_then(|i| data_dir_arg(&args, i.arg_prefix))
        .map(|d| match p.cwd() {
            Some(cwd) if d.is_relative() && cwd.is_absolute() => cwd.join(d),
            _ => d,
        });
    Some(RunningProcess {
        pid: pid.as_u32(),
        name,
        exe,
        client: client.id,
        user_data_dir,
        start_time,
        args,
        handle,
    })
}

/// The path an argument such as `--user-data-dir=PATH` names (the last one counts, as in
/// Chromium; an empty value names none, and `--user-data-dir PATH` as two arguments is a switch
/// without a value to Chromium, so the usual root). It may be relative (to the process's working
/// folder).
pub fn data_dir_arg(args: &[String], prefix: &str) -> Option<PathBuf> {
    args.iter()
        .skip(1)
        .filter_map(|a| a.strip_prefix(prefix))
        .next_back()
        .map(|v| v.trim_matches('"'))
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

fn matcher_exe(m: &ProcessMatcher) -> &'static str {
    match m {
        ProcessMatcher::ExeName(n) => n,
        ProcessMatcher::ExeNameWithArg { exe, .. }
        | ProcessMatcher::ExeNameUnder { exe, .. }
        | ProcessMatcher::ExeNameInPackage { exe, .. } => exe,
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
        ProcessMatcher::ExeNameInPackage {
            exe: want,
            packages_folder,
            name_prefix,
            name_suffix,
        } => exe.is_some_and(|e| in_package(e, want, packages_folder, name_prefix, name_suffix)),
    }
}

/// True when `exe` is `<packages_folder>\\<prefix>...<suffix>\\<file>`, e.g.
/// `C:\\Program Files\\WindowsApps\\MSTeams_25306.804.4102.7193_x64__8wekyb3d8bbwe\\x.exe`.
/// Both separators are accepted, so the rule is tested on any OS.
pub fn in_package(
    exe: &Path,
    file: &str,
    packages_folder: &str,
    prefix: &str,
    suffix: &str,
) -> bool {
    let text = exe.to_string_lossy().replace('\\', "/");
    let mut parts = text.rsplit('/');
    let (Some(name), Some(package), Some(parent)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let lower = package.to_ascii_lowercase();
    let (prefix, suffix) = (prefix.to_ascii_lowercase(), suffix.to_ascii_lowercase());
    name.eq_ignore_ascii_case(file)
        && parent.eq_ignore_ascii_case(packages_folder)
        && lower.len() > prefix.len() + suffix.len()
        && lower.starts_with(&prefix)
        && lower.ends_with(&suffix)
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
    /// Set when nothing was quit because the processes could not be known: the caller must not
    /// clear either.
    #[serde(skip)]
    pub refused: Option<ProcessListError>,
}

impl QuitOutcome {
    /// Every process asked to quit has ended, and the list of processes could be read.
    pub fn all_gone(&self) -> bool {
        self.survivors.is_empty() && self.refused.is_none()
    }

    /// What a quit that could not list the processes comes to.
    pub fn refused(e: ProcessListError) -> QuitOutcome {
        QuitOutcome {
            refused: Some(e),
            ..Default::default()
        }
    }
}

/// Asks the processes to quit (Windows: WM_CLOSE to their windows; Unix: SIGTERM), waits up to
/// `polite_wait` on their handles, forces the rest through the same handles, waits a little more
/// and reports. A process without a handle cannot be asked and is reported as still running.
pub fn quit(procs: &[RunningProcess], polite_wait: Duration) -> QuitOutcome {
    let mut out = QuitOutcome::default();
    let mut held: Vec<(&ProcessHandle, &RunningProcess)> = Vec::new();
    for p in procs {
        match p.handle.as_deref() {
            Some(h) => held.push((h, p)),
            None => out.survivors.push(p.clone()),
        }
    }
    let handles: Vec<&ProcessHandle> = held.iter().map(|(h, _)| *h).collect();
    ask_politely(&handles);
    let alive = process_handle::wait_for_exit(&handles, polite_wait);
    for &i in &alive {
        handles[i].force();
    }
    let forced: Vec<&ProcessHandle> = alive.iter().map(|&i| handles[i]).collect();
    let still = process_handle::wait_for_exit(&forced, Duration::from_secs(5));
    for (i, (_, p)) in held.iter().enumerate() {
        let list = match alive.iter().position(|&a| a == i) {
            None => &mut out.closed,
            Some(j) if still.contains(&j) => &mut out.survivors,
            Some(_) => &mut out.forced,
        };
        list.push((*p).clone());
    }
    out
}

#[cfg(unix)]
fn ask_politely(handles: &[&ProcessHandle]) {
    for h in handles {
        h.ask_to_quit();
    }
}

#[cfg(windows)]
fn ask_politely(handles: &[&ProcessHandle]) {
    process_handle::close_windows(handles);
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
    fn the_calling_process_counts_only_inside_the_msteams_package() {
        let (_t, f) = folders();
        let c = client("windows-new").unwrap();
        let is_teams = |exe: &str| {
            let exe = Path::new(exe);
            let name = exe
                .to_string_lossy()
                .rsplit('\\')
                .next()
                .unwrap()
                .to_string();
            c.processes
                .iter()
                .any(|m| matches(m, &name, Some(exe), &[], &f))
        };
        assert!(is_teams(
            r"C:\Program Files\WindowsApps\MSTeams_25306.804.4102.7193_x64__8wekyb3d8bbwe\ms-teams_modulehost.exe"
        ));
        assert!(is_teams(
            r"D:\WindowsApps\MSTeams_26001.100.1.1_arm64__8wekyb3d8bbwe\MS-Teams_ModuleHost.exe"
        ));
        // The same name elsewhere, or in another package, is not Teams.
        assert!(!is_teams(
            r"C:\Program Files\Contoso\ms-teams_modulehost.exe"
        ));
        assert!(!is_teams(
            r"C:\Program Files\WindowsApps\MSTeamsFake_1.0.0.0_x64__abcdefghijk\ms-teams_modulehost.exe"
        ));
        assert!(!is_teams(
            r"C:\Users\a\Downloads\MSTeams_1_x64__8wekyb3d8bbwe\ms-teams_modulehost.exe"
        ));
    }

    #[test]
    fn a_user_data_dir_is_read_from_the_command_line() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            data_dir_arg(
                &args(&["teams-for-linux", "--user-data-dir=/home/a/.config/work"]),
                "--user-data-dir="
            ),
            Some(PathBuf::from("/home/a/.config/work"))
        );
        // The last one wins, as in Chromium; argv[0] and an empty value do not count; a
        // relative path is kept (the caller resolves it against the process's working folder).
        assert_eq!(
            data_dir_arg(
                &args(&["x", "--user-data-dir=/a", "--user-data-dir=/b"]),
                "--user-data-dir="
            ),
            Some(PathBuf::from("/b"))
        );
        assert_eq!(
            data_dir_arg(&args(&["x", "--user-data-dir=work"]), "--user-data-dir="),
            Some(PathBuf::from("work"))
        );
        assert_eq!(
            data_dir_arg(&args(&["x", "--user-data-dir="]), "--user-data-dir="),
            None
        );
        assert_eq!(
            data_dir_arg(&args(&["x", "--user-data-dir", "/a"]), "--user-data-dir="),
            None
        );
        assert_eq!(
            data_dir_arg(&args(&["--user-data-dir=/a"]), "--user-data-dir="),
            None
        );
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
