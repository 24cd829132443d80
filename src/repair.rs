//! The repair sequence both front ends run: quit a client's processes, clear its data roots,
//! start it again. Each step is written to the action journal, so a later report says what was
//! done. The CLI and the GUI only choose what to run and show the results.

use crate::action_log::Journal;
use crate::clear::{self, ClearOutcome, ClearRequest, Mode};
use crate::client_table::ClientSpec;
use crate::discover::Installation;
use crate::i18n::Msg;
use crate::processes::{self, QuitOutcome, RunningProcess};
use crate::progress::{CancelToken, ProgressSink};
use crate::user_folders::UserFolders;
use std::path::Path;
use std::time::Duration;

/// How long Teams gets to quit politely before it is forced (the reference's 10-15 s).
pub const DEFAULT_QUIT_TIMEOUT: Duration = Duration::from_secs(10);

/// Finds and quits the current user's processes of `clients`, and journals one line per client.
pub fn quit_clients(
    clients: &[&'static ClientSpec],
    folders: &UserFolders,
    timeout: Duration,
    journal: &Journal,
) -> QuitOutcome {
    let running = processes::find_running(clients, folders);
    let outcome = processes::quit(&running, timeout);
    journal.record_quit(&outcome);
    outcome
}

/// What a clear of one data root came to.
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

/// What a clear of one or more data roots shares.
pub struct ClearPlan<'a> {
    pub mode: Mode,
    pub dry_run: bool,
    /// teamsfix's archive folder (`AppFolders::archives`).
    pub archives: &'a Path,
    pub cancel: &'a CancelToken,
    pub progress: &'a dyn ProgressSink,
}

/// Clears one data root; see [`clear_installations`].
pub fn clear_installation(
    inst: &Installation,
    quit: &QuitOutcome,
    plan: &ClearPlan,
    journal: &Journal,
) -> ClearResult {
    let label = inst.label();
    let req = plan.request(&label);
    let result = complete(stage(inst, quit, &req), &req);
    if !plan.dry_run {
        journal.record_clear(&label, plan.mode, &result);
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
    let labels: Vec<String> = insts.iter().map(|i| i.label()).collect();
    let requests: Vec<ClearRequest> = labels.iter().map(|label| plan.request(label)).collect();
    let staged: Vec<_> = insts
        .iter()
        .zip(&requests)
        .map(|(inst, req)| stage(inst, quit, req))
        .collect();
    let results: Vec<ClearResult> = staged
        .into_iter()
        .zip(&requests)
        .map(|(s, req)| complete(s, req))
        .collect();
    if !plan.dry_run {
        for (label, result) in labels.iter().zip(&results) {
            journal.record_clear(label, plan.mode, result);
        }
    }
    results
}

impl<'a> ClearPlan<'a> {
    fn request(&self, label: &'a str) -> ClearRequest<'a> {
        ClearRequest {
            mode: self.mode,
            dry_run: self.dry_run,
            archives: self.archives,
            label,
            cancel: self.cancel,
            progress: self.progress,
        }
    }
}

/// A data root after step one of a clear.
enum Staged {
    /// Archived and moved aside; the deletion is still to come.
    MovedAside(clear::MovedAside),
    /// Nothing more to do: refused, still running, or a dry run.
    Finished(ClearResult),
}

/// Step one of a clear: refuse, or archive and move aside (a dry run comes back finished).
fn stage(inst: &Installation, quit: &QuitOutcome, req: &ClearRequest) -> Staged {
    let survivors: Vec<RunningProcess> = quit
        .survivors
        .iter()
        .filter(|p| p.client == inst.id())
        .cloned()
        .collect();
    match &inst.root {
        Err(m) => Staged::Finished(ClearResult::Refused(m.clone())),
        Ok(_) if !survivors.is_empty() => Staged::Finished(ClearResult::StillRunning(survivors)),
        Ok(root) => match clear::move_aside(root, inst.root_spec.layout, req) {
            Ok(aside) => Staged::MovedAside(aside),
            Err(dry_run) => Staged::Finished(ClearResult::Done(*dry_run)),
        },
    }
}

/// Step two: delete what was moved aside.
fn complete(staged: Staged, req: &ClearRequest) -> ClearResult {
    match staged {
        Staged::MovedAside(aside) => ClearResult::Done(aside.finish(req)),
        Staged::Finished(result) => result,
    }
}

/// Starts the client of `inst` again (see `restart::restart`) and journals the result.
pub fn restart_installation(
    inst: &Installation,
    last_exe: Option<&Path>,
    folders: &UserFolders,
    journal: &Journal,
) -> Result<String, Msg> {
    let result = crate::restart::restart(inst, last_exe, folders);
    journal.record_restart(&inst.label(), &result);
    result
}
