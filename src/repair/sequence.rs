//! The repair sequence both front ends run: quit a client's processes, clear its data roots,
//! start it again. Each step is written to the action journal, so a later report says what was
//! done. The CLI and the GUI only choose what to run and show the results.

use crate::cache::archive::ArchiveLimits;
use crate::cache::clear::{self, ClearOutcome, ClearRequest, Mode};
use crate::clients::client_table::ClientSpec;
use crate::clients::discover::Installation;
use crate::clients::processes::{self, QuitOutcome, RunningProcess};
use crate::common::i18n::{Msg, tr, tr_args};
use crate::common::progress::{CancelToken, ProgressSink};
use crate::common::sizes::human_bytes;
use crate::platform::instance_lock::{self, InstanceLock, Job as LockJob};
use crate::platform::user_folders::UserFolders;
use crate::report::journal::Journal;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long Teams gets to quit politely before it is forced (the reference's 10-15 s).
pub const DEFAULT_QUIT_TIMEOUT: Duration = Duration::from_secs(10);

/// Finds and quits the current user's processes of `clients` (every instance), and journals one
/// line per client. When the processes cannot be known (the list is unreadable, the user
/// unknown), nothing is quit and the outcome says why (`QuitOutcome::refused`).
pub fn quit_clients(
    clients: &[&'static ClientSpec],
    folders: &UserFolders,
    timeout: Duration,
    journal: &Journal,
) -> QuitOutcome {
    let outcome = match processes::find_running(clients, folders) {
        Ok(running) => processes::quit(&running, timeout),
        Err(e) => QuitOutcome::refused(e),
    };
    journal.record_quit(&outcome);
    outcome
}

/// Quits the processes that use the data roots about to be cleared, before the clear: those of
/// roots that are not refused. A client whose every root is refused is not quit (nothing of it
/// will be cleared), and a process of another instance (another `--user-data-dir`) keeps
/// running. Refused like [`quit_clients`] when the processes cannot be known.
pub fn quit_for_clear(
    insts: &[&Installation],
    folders: &UserFolders,
    timeout: Duration,
    journal: &Journal,
) -> QuitOutcome {
    let clearable: Vec<&Installation> = insts.iter().copied().filter(|i| i.root.is_ok()).collect();
    let mut clients: Vec<&'static ClientSpec> = clearable.iter().map(|i| i.client).collect();
    clients.dedup_by_key(|c| c.id);
    if clients.is_empty() {
        return QuitOutcome::default();
    }
    let outcome = match processes::find_running(&clients, folders) {
        Ok(running) => {
            let mine: Vec<RunningProcess> = running
                .into_iter()
                .filter(|p| clearable.iter().any(|i| i.owns(p)))
                .collect();
            processes::quit(&mine, timeout)
        }
        Err(e) => QuitOutcome::refused(e),
    };
    journal.record_quit(&outcome);
    outcome
}

/// When teamsfix runs as root or elevated: a notice naming whose Teams it works on (the user it
/// runs as and that user's home folder). Data roots of other users are refused anyway
/// (`platform::safety`); the notice makes sure the person at the keyboard knows.
pub fn elevated_notice(folders: &UserFolders) -> Option<Msg> {
    crate::platform::identity::is_elevated().then(|| {
        Msg::new("elevated.notice")
            .arg("user", crate::platform::identity::current_user_name())
            .arg("home", folders.home.display())
    })
}

/// What a clear of one data root came to.
// One per data root, never in a hot path: the outcome stays inline.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum ClearResult {
    Done(ClearOutcome),
    /// These processes survived the quit; the cache was not touched.
    StillRunning(Vec<RunningProcess>),
    /// The data root is refused (a link, outside the user's folders...); nothing was touched.
    Refused(Msg),
}

impl ClearResult {
    /// The stable word scripts and the journal use: `ok`, `partial`, `cancelled`, `dry_run`,
    /// `still_running`, `refused`.
    pub fn word(&self) -> &'static str {
        match self {
            ClearResult::StillRunning(_) => "still_running",
            ClearResult::Refused(_) => "refused",
            ClearResult::Done(o) if o.dry_run => "dry_run",
            ClearResult::Done(o) if o.cancelled => "cancelled",
            ClearResult::Done(o) if !o.failures.is_empty() => "partial",
            ClearResult::Done(_) => "ok",
        }
    }

    pub fn outcome(&self) -> Option<&ClearOutcome> {
        match self {
            ClearResult::Done(o) => Some(o),
            _ => None,
        }
    }
}

/// One journal line for a clear of one data root.
fn record_clear(journal: &Journal, label: &str, mode: Mode, result: &ClearResult) {
    let summary = |lang| match result {
        ClearResult::StillRunning(_) => tr(lang, "clear.still_running"),
        ClearResult::Refused(m) => m.text(lang),
        ClearResult::Done(o) => {
            let t = o.removed_total();
            tr_args(
                lang,
                "clear.summary",
                &[
                    ("mode", mode.id()),
                    ("files", &t.files.to_string()),
                    ("size", &human_bytes(t.bytes)),
                    ("failures", &o.failures.len().to_string()),
                ],
            )
        }
    };
    let archive = result.outcome().and_then(|o| o.archive.clone());
    journal.write("clear", label, result.word(), summary, archive);
}

/// What a clear of one or more data roots shares.
pub struct ClearPlan<'a> {
    pub mode: Mode,
    pub dry_run: bool,
    /// teamsfix's archive folder (`AppFolders::archives`).
    pub archives: &'a Path,
    pub cancel: &'a CancelToken,
    pub progress: &'a dyn ProgressSink,
    /// teamsfix's backups folder (`cache::backup::backups_folder`). Before a full reset, a
    /// backup of what it removes is kept there when `backup` is set, so the reset can be undone
    /// (`restore::backup_before_reset`); without one, a record that the reset kept nothing.
    pub backups: &'a Path,
    pub backup: bool,
    /// The cap of one log archive and how many archives are kept.
    pub archive_limits: ArchiveLimits,
    /// The user's folders: every root is checked against them again right before it is touched.
    pub folders: &'a UserFolders,
}

/// Clears one data root; see [`clear_installations`].
pub fn clear_installation(
    inst: &Installation,
    quit: &QuitOutcome,
    plan: &ClearPlan,
    journal: &Journal,
) -> ClearResult {
    let _lock = match plan.lock(journal) {
        Ok(l) => l,
        Err(m) => return ClearResult::Refused(m),
    };
    let label = inst.label();
    let req = plan.request(&label);
    let result = complete(
        stage(inst, quit, plan.folders, &req, plan),
        &req,
        inst,
        plan.folders,
    );
    if !plan.dry_run {
        record_clear(journal, &label, plan.mode, &result);
    }
    result
}

/// Clears data roots, unless a root is refused or its client survived `quit` (the caller quits
/// first: a running client holds its files open and rewrites its cache). Every root is archived
/// and moved aside first, so each client can start again within milliseconds; the deletions
/// run after that, so no client waits for another's. Results come back in the order of
/// `insts`; real runs are journaled.
pub fn clear_installations(
    insts: &[&Installation],
    quit: &QuitOutcome,
    plan: &ClearPlan,
    journal: &Journal,
) -> Vec<ClearResult> {
    let _lock = match plan.lock(journal) {
        Ok(l) => l,
        Err(m) => {
            return insts
                .iter()
                .map(|_| ClearResult::Refused(m.clone()))
                .collect();
        }
    };
    let labels: Vec<String> = insts.iter().map(|i| i.label()).collect();
    let requests: Vec<ClearRequest> = labels.iter().map(|label| plan.request(label)).collect();
    let staged: Vec<_> = insts
        .iter()
        .zip(&requests)
        .map(|(inst, req)| stage(inst, quit, plan.folders, req, plan))
        .collect();
    let results: Vec<ClearResult> = staged
        .into_iter()
        .zip(&requests)
        .zip(insts)
        .map(|((s, req), inst)| complete(s, req, inst, plan.folders))
        .collect();
    if !plan.dry_run {
        for (label, result) in labels.iter().zip(&results) {
            record_clear(journal, label, plan.mode, result);
        }
    }
    results
}

impl<'a> ClearPlan<'a> {
    /// The lock that keeps a second teamsfix out while this clear runs (none for a dry run,
    /// which changes nothing). `Err`: another teamsfix is at work; its message.
    fn lock(&self, journal: &Journal) -> Result<Option<InstanceLock>, Msg> {
        if self.dry_run {
            return Ok(None);
        }
        let job = match self.mode {
            Mode::Full => LockJob::Reset,
            Mode::Safe => LockJob::Clear,
        };
        instance_lock::acquire(journal.data_dir, job, Duration::ZERO).map(Some)
    }

    fn request(&self, label: &'a str) -> ClearRequest<'a> {
        ClearRequest {
            mode: self.mode,
            dry_run: self.dry_run,
            archives: self.archives,
            label,
            cancel: self.cancel,
            progress: self.progress,
            archive_limits: self.archive_limits,
        }
    }
}

/// A data root after step one of a clear.
enum Staged {
    /// Archived (and backed up) and moved aside; the deletion is still to come.
    MovedAside(clear::MovedAside, Option<Box<crate::cache::backup::Backup>>),
    /// Nothing more to do: refused, still running, or a dry run.
    Finished(ClearResult),
}

/// Step one of a clear: refuse, or archive and move aside (a dry run comes back finished). The
/// root is checked again here, right before anything moves: discovery may have been minutes ago
/// (in the app), and the folder may have been swapped for a link since.
fn stage(
    inst: &Installation,
    quit: &QuitOutcome,
    folders: &UserFolders,
    req: &ClearRequest,
    plan: &ClearPlan,
) -> Staged {
    if let Err(m) = &inst.root {
        return Staged::Finished(ClearResult::Refused(m.clone()));
    }
    if let Some(e) = quit.refused {
        return Staged::Finished(ClearResult::Refused(e.msg()));
    }
    let survivors: Vec<RunningProcess> = quit
        .survivors
        .iter()
        .filter(|p| inst.owns(p))
        .cloned()
        .collect();
    if !survivors.is_empty() {
        return Staged::Finished(ClearResult::StillRunning(survivors));
    }
    match inst.recheck(folders) {
        Err(m) => Staged::Finished(ClearResult::Refused(m)),
        Ok(root) => {
            // No backup, no full reset: a backup that cannot be made refuses the reset.
            let backup = match super::restore::backup_before_reset(
                inst,
                &root,
                req,
                plan.backups,
                plan.backup,
            ) {
                Ok(b) => b.map(Box::new),
                Err(m) => return Staged::Finished(ClearResult::Refused(m)),
            };
            match clear::move_aside(&root, inst.root_spec.layout, req) {
                Ok(aside) => Staged::MovedAside(aside, backup),
                Err(dry_run) => Staged::Finished(ClearResult::Done(*dry_run)),
            }
        }
    }
}

/// Step two: delete what was moved aside.
fn complete(
    staged: Staged,
    req: &ClearRequest,
    inst: &Installation,
    folders: &UserFolders,
) -> ClearResult {
    match staged {
        Staged::MovedAside(aside, backup) => {
            let mut outcome = clear::ClearOutcome {
                backup,
                ..aside.finish(req)
            };
            explain_in_use(&mut outcome, inst, folders);
            ClearResult::Done(outcome)
        }
        Staged::Finished(result) => result,
    }
}

/// A file held open by another program: say "is Teams still running?" only when a process of
/// this client is running now (the quit went through, so it was started again meanwhile).
fn explain_in_use(outcome: &mut ClearOutcome, inst: &Installation, folders: &UserFolders) {
    if !outcome.failures.iter().any(|f| f.in_use) {
        return;
    }
    // A process list that cannot be read says nothing either way: keep the plain reason.
    let running = processes::find_running(&[inst.client], folders)
        .map(|found| found.iter().any(|p| inst.owns(p)))
        .unwrap_or(false);
    if running {
        for f in outcome.failures.iter_mut().filter(|f| f.in_use) {
            f.reason = "in use by another program (is Teams still running?)".into();
        }
    }
}

/// Starts the client of `inst` again (see `restart::restart`) and journals the result.
pub fn restart_installation(
    inst: &Installation,
    last_exe: Option<&Path>,
    folders: &UserFolders,
    journal: &Journal,
) -> Result<String, Msg> {
    // Not while another teamsfix clears or restores (Teams would start in the middle of it).
    let _lock = instance_lock::acquire(journal.data_dir, LockJob::Restart, Duration::ZERO)?;
    let result = crate::clients::restart::restart(inst, last_exe, folders);
    journal.record_restart(&inst.label(), &result);
    result
}

/// How starting one client again went.
pub struct Restarted {
    /// The client's product name.
    pub name: &'static str,
    /// The command that was started, or why none could be.
    pub result: Result<String, Msg>,
}

/// Starts each client of `installs` once: a client with several usual data roots (native,
/// snap, flatpak) tries them in turn, each with its own way to start. A data root a running
/// instance named (teams-for-linux's `--user-data-dir`) is started on its own, with that folder:
/// it is another Teams, not another way to start the same one. `last_exes` are the executables
/// that ran before teamsfix quit them, per client id.
pub fn restart_clients(
    installs: &[&Installation],
    last_exes: &[(&str, PathBuf)],
    folders: &UserFolders,
    journal: &Journal,
) -> Vec<Restarted> {
    let last_of = |id: &str| {
        last_exes
            .iter()
            .find(|(c, _)| *c == id)
            .map(|(_, p)| p.as_path())
    };
    let mut out = Vec::new();
    let mut ids: Vec<&str> = Vec::new();
    for inst in installs.iter().filter(|i| !i.is_instance_root()) {
        if !ids.contains(&inst.id()) {
            ids.push(inst.id());
        }
    }
    for id in ids {
        let mut last_result = None;
        for inst in installs
            .iter()
            .filter(|i| i.id() == id && !i.is_instance_root())
        {
            let result = restart_installation(inst, last_of(id), folders, journal);
            let started = result.is_ok();
            last_result = Some(Restarted {
                name: inst.client.name,
                result,
            });
            if started {
                break;
            }
        }
        out.extend(last_result);
    }
    for inst in installs.iter().filter(|i| i.is_instance_root()) {
        out.push(Restarted {
            name: inst.client.name,
            result: restart_installation(inst, last_of(inst.id()), folders, journal),
        });
    }
    out
}
