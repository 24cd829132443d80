//! Long work off the UI thread: one job at a time on its own thread, reporting progress and its
//! result over a channel that the app drains in `logic()`. Every job can be cancelled.

use crate::cache::clear::{self, ClearOutcome, Mode};
use crate::clients::client_table::Os;
use crate::clients::discover::{self, Installation};
use crate::clients::processes::QuitOutcome;
use crate::clients::status::{self, ClientState};
use crate::common::i18n::{Lang, Msg};
use crate::common::progress::{CancelToken, Phase, Progress, ProgressSink};
use crate::platform::app_folders::AppFolders;
use crate::platform::user_folders::UserFolders;
use crate::repair::sequence;
use crate::report::journal::Journal;
use eframe::egui;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, TryRecvError};

/// What the worker does.
#[derive(Clone, Debug)]
pub enum Job {
    /// Find the clients, their versions and processes, and size their caches.
    Scan,
    /// Size what a clear in `mode` would remove and keep (changes nothing).
    Preview { inst: Installation, mode: Mode },
    /// Quit the client, then clear its data root (refused when it keeps running).
    Clear { inst: Installation, mode: Mode },
    /// Quit every process of one client, or of every client when `None`.
    Quit { client: Option<&'static str> },
    Restart {
        inst: Installation,
        last_exe: Option<PathBuf>,
    },
    /// The one-click repair: quit the clients of `insts`, clear their data roots in `mode`,
    /// start them again (see [`RepairJob`]).
    Repair(RepairJob),
    /// What the one-click repair in `mode` would remove and keep in each of `insts` (a dry run
    /// of the same sequence; changes nothing).
    RepairPreview {
        insts: Vec<Installation>,
        mode: Mode,
    },
    /// A support bundle, or undoing a full reset (see `helpdesk_panel`).
    Helpdesk(super::helpdesk_panel::HelpdeskJob),
}

/// The one-click repair of every data root teamsfix may work in, through the core's repair
/// sequence (`repair::sequence`): quit, clear, restart, each step journaled.
#[derive(Clone, Debug)]
pub struct RepairJob {
    pub insts: Vec<Installation>,
    pub mode: Mode,
    /// The executables that ran before an earlier quit, per client (to start the same one).
    pub last_exes: Vec<(&'static str, PathBuf)>,
    /// The clients to start when none of them was running before the repair (the GUI picks
    /// them from the scan: not a retired client when a current one is there).
    pub start_if_none_ran: Vec<&'static str>,
}

/// Which part of the one-click repair runs (shown as "step n of 3").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RepairStep {
    Quit,
    Clear,
    Start,
}

impl RepairStep {
    pub const ALL: [RepairStep; 3] = [RepairStep::Quit, RepairStep::Clear, RepairStep::Start];

    /// 1-based position, for "step n of 3".
    pub fn number(self) -> usize {
        RepairStep::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }

    pub fn key(self) -> &'static str {
        match self {
            RepairStep::Quit => "gui.one_click.step.quit",
            RepairStep::Clear => "gui.one_click.step.clear",
            RepairStep::Start => "gui.one_click.step.start",
        }
    }
}

/// How starting one client after the one-click repair went.
#[derive(Clone, Debug)]
pub struct Started {
    /// The client's product name.
    pub name: &'static str,
    /// The command that was started, or why none could be.
    pub result: Result<String, Msg>,
}

/// What the one-click repair (or its dry run) came to.
#[derive(Clone, Debug)]
pub struct Repaired {
    pub mode: Mode,
    pub dry_run: bool,
    pub quit: QuitOutcome,
    /// Per data root: its label and result, in the order of the job's installations.
    pub results: Vec<(String, ClearResult)>,
    pub started: Vec<Started>,
    /// Cancel was pressed: the clear stopped at the next safe point.
    pub cancelled: bool,
}

impl Job {
    /// Catalogue key naming the job in the progress bar.
    pub fn key(&self) -> &'static str {
        match self {
            Job::Scan => "gui.job.scan",
            Job::Preview { .. } => "gui.job.preview",
            Job::Clear { .. } => "gui.job.clear",
            Job::Quit { .. } => "gui.job.quit",
            Job::Restart { .. } => "gui.job.restart",
            Job::Repair(_) => "gui.job.repair",
            Job::RepairPreview { .. } => "gui.job.preview",
            Job::Helpdesk(j) => j.key(),
        }
    }
}

/// A clear's result as the Repair tab shows it.
pub use crate::repair::sequence::ClearResult;

#[derive(Clone, Debug)]
pub enum Outcome {
    Scanned(Vec<ClientState>),
    Previewed {
        label: String,
        mode: Mode,
        outcome: ClearOutcome,
    },
    Cleared {
        label: String,
        mode: Mode,
        quit: QuitOutcome,
        result: ClearResult,
    },
    Quit {
        client: Option<&'static str>,
        outcome: QuitOutcome,
    },
    Restarted {
        label: String,
        result: Result<String, Msg>,
    },
    Repaired(Repaired),
    Helpdesk(super::helpdesk_panel::HelpdeskOutcome),
}

enum Event {
    Progress(Progress),
    /// The one-click repair moved on to this step.
    Step(RepairStep),
    Finished(Box<Outcome>),
}

/// What the worker needs from the app; cloned into the thread.
#[derive(Clone)]
pub struct WorkerEnv {
    pub folders: UserFolders,
    pub app_folders: AppFolders,
    pub os: Os,
    pub lang: Lang,
    /// Keep a backup before a full reset, so it can be undone (on unless the user unticks it).
    pub backup_before_reset: bool,
}

impl WorkerEnv {
    pub(crate) fn journal(&self) -> Journal<'_> {
        Journal {
            data_dir: &self.app_folders.data,
            lang: self.lang,
        }
    }
}

/// A job under way.
pub struct Running {
    pub job: Job,
    pub cancel: CancelToken,
    pub phase: Option<Phase>,
    /// The step of a one-click repair under way.
    pub step: Option<RepairStep>,
    pub total: Option<u64>,
    pub done: u64,
    rx: Receiver<Event>,
}

/// What draining the channel found.
pub enum Poll {
    Busy,
    Finished(Box<Outcome>),
    /// The thread ended without a result (it panicked).
    Lost,
}

impl Running {
    /// Starts `job` on a new thread. `ctx` is asked to repaint on every message.
    pub fn start(job: Job, env: WorkerEnv, ctx: egui::Context) -> Running {
        let (tx, rx) = std::sync::mpsc::channel();
        let cancel = CancelToken::new();
        let thread_job = job.clone();
        let thread_cancel = cancel.clone();
        // If no thread can be started, the closure (and its sender) is dropped: `poll` then
        // reports the job as lost and the app says so, instead of the app ending.
        let _ = std::thread::Builder::new()
            .name("teamsfix-worker".into())
            .spawn(move || {
                let outcome = run(thread_job, &env, &thread_cancel, &tx, &ctx);
                let _ = tx.send(Event::Finished(Box::new(outcome)));
                ctx.request_repaint();
            });
        Running {
            job,
            cancel,
            phase: None,
            step: None,
            total: None,
            done: 0,
            rx,
        }
    }

    /// Takes every message that arrived; call from `logic()`.
    pub fn poll(&mut self) -> Poll {
        loop {
            match self.rx.try_recv() {
                Ok(Event::Progress(Progress::Phase { phase, total })) => {
                    self.phase = Some(phase);
                    self.total = total;
                    self.done = 0;
                }
                Ok(Event::Progress(Progress::Advance { done })) => self.done = done,
                Ok(Event::Progress(Progress::ClientCanStart { .. })) => {}
                Ok(Event::Step(step)) => {
                    self.step = Some(step);
                    self.phase = None;
                    self.total = None;
                    self.done = 0;
                }
                Ok(Event::Finished(o)) => return Poll::Finished(o),
                Err(TryRecvError::Empty) => return Poll::Busy,
                Err(TryRecvError::Disconnected) => return Poll::Lost,
            }
        }
    }
}

fn run(
    job: Job,
    env: &WorkerEnv,
    cancel: &CancelToken,
    tx: &Sender<Event>,
    ctx: &egui::Context,
) -> Outcome {
    let send = |p: Progress| {
        let _ = tx.send(Event::Progress(p));
        ctx.request_repaint();
    };
    match job {
        Job::Scan => {
            send(Progress::Phase {
                phase: Phase::Scanning,
                total: None,
            });
            Outcome::Scanned(status::collect(&env.folders, env.os, true, cancel))
        }
        Job::Preview { inst, mode } => {
            send(Progress::Phase {
                phase: Phase::Scanning,
                total: None,
            });
            let outcome = match &inst.root {
                Ok(root) => clear::preview(root, inst.root_spec.layout, mode, cancel).1,
                Err(_) => ClearOutcome {
                    dry_run: true,
                    ..Default::default()
                },
            };
            Outcome::Previewed {
                label: inst.label(),
                mode,
                outcome,
            }
        }
        Job::Quit { client } => {
            send(Progress::Phase {
                phase: Phase::Quitting,
                total: None,
            });
            let outcome = quit_client(env, client);
            Outcome::Quit { client, outcome }
        }
        Job::Clear { inst, mode } => {
            // Another teamsfix at work: say so, and do not even quit Teams.
            let _lock = match lock_for(env, mode) {
                Ok(l) => l,
                Err(m) => {
                    return Outcome::Cleared {
                        label: inst.label(),
                        mode,
                        quit: QuitOutcome::default(),
                        result: ClearResult::Refused(m),
                    };
                }
            };
            send(Progress::Phase {
                phase: Phase::Quitting,
                total: None,
            });
            // Only this data root's processes, and none when the root is refused.
            let quit = sequence::quit_for_clear(
                &[&inst],
                &env.folders,
                sequence::DEFAULT_QUIT_TIMEOUT,
                &env.journal(),
            );
            let archives = env.app_folders.archives();
            let backups = crate::cache::backup::backups_folder(&env.app_folders.data);
            let plan = sequence::ClearPlan {
                mode,
                dry_run: false,
                archives: &archives,
                cancel,
                progress: &send,
                backups: &backups,
                backup: env.backup_before_reset,
                archive_limits: Default::default(),
                folders: &env.folders,
            };
            let result = sequence::clear_installation(&inst, &quit, &plan, &env.journal());
            let label = inst.label();
            Outcome::Cleared {
                label,
                mode,
                quit,
                result,
            }
        }
        Job::Helpdesk(j) => {
            // A restore holds the lock from the quit on: another teamsfix at work, nothing is
            // quit (the core's restore takes it too, after the quit).
            use super::helpdesk_panel::{HelpdeskJob, HelpdeskOutcome};
            let _lock = match &j {
                HelpdeskJob::Restore { label, .. } => {
                    match crate::platform::instance_lock::acquire(
                        &env.app_folders.data,
                        crate::platform::instance_lock::Job::Restore,
                        std::time::Duration::ZERO,
                    ) {
                        Ok(l) => Some(l),
                        Err(m) => {
                            return Outcome::Helpdesk(HelpdeskOutcome::Restored {
                                label: label.clone(),
                                quit: QuitOutcome::default(),
                                result: crate::repair::restore::RestoreResult::Refused(m),
                            });
                        }
                    }
                }
                HelpdeskJob::Bundle { .. } => None,
            };
            Outcome::Helpdesk(super::helpdesk_panel::run(j, env, cancel, &send))
        }
        Job::Restart { inst, last_exe } => {
            let result = sequence::restart_installation(
                &inst,
                last_exe.as_deref(),
                &env.folders,
                &env.journal(),
            );
            Outcome::Restarted {
                label: inst.label(),
                result,
            }
        }
        Job::Repair(job) => {
            let step = |s: RepairStep| {
                let _ = tx.send(Event::Step(s));
                ctx.request_repaint();
            };
            Outcome::Repaired(repair(&job, env, cancel, &send, &step))
        }
        Job::RepairPreview { insts, mode } => {
            let refs: Vec<&Installation> = insts.iter().collect();
            let archives = env.app_folders.archives();
            let backups = crate::cache::backup::backups_folder(&env.app_folders.data);
            let plan = sequence::ClearPlan {
                mode,
                dry_run: true,
                archives: &archives,
                cancel,
                progress: &send,
                archive_limits: Default::default(),
                folders: &env.folders,
                backups: &backups,
                backup: false,
            };
            let results = sequence::clear_installations(
                &refs,
                &QuitOutcome::default(),
                &plan,
                &env.journal(),
            );
            Outcome::Repaired(Repaired {
                mode,
                dry_run: true,
                quit: QuitOutcome::default(),
                results: labelled(&insts, results),
                started: Vec::new(),
                cancelled: cancel.is_cancelled(),
            })
        }
    }
}

fn labelled(insts: &[Installation], results: Vec<ClearResult>) -> Vec<(String, ClearResult)> {
    insts.iter().map(Installation::label).zip(results).collect()
}

/// The one-click repair: the core's sequence (quit, clear, restart), each step journaled by it.
/// Teams is started again also after Cancel: the clear stops at a safe point and what was moved
/// aside is removed by the next run, so the user is never left without Teams.
fn repair(
    job: &RepairJob,
    env: &WorkerEnv,
    cancel: &CancelToken,
    progress: &dyn ProgressSink,
    step: &dyn Fn(RepairStep),
) -> Repaired {
    // One teamsfix at a time from the quit to the start; another at work: nothing is quit.
    let _lock = match lock_for(env, job.mode) {
        Ok(l) => l,
        Err(m) => {
            return Repaired {
                mode: job.mode,
                dry_run: false,
                quit: QuitOutcome::default(),
                results: job
                    .insts
                    .iter()
                    .map(|i| (i.label(), ClearResult::Refused(m.clone())))
                    .collect(),
                started: Vec::new(),
                cancelled: false,
            };
        }
    };
    let journal = env.journal();
    step(RepairStep::Quit);
    // Only the processes of the data roots that will be cleared (none of a refused root).
    let refs: Vec<&Installation> = job.insts.iter().collect();
    let quit = sequence::quit_for_clear(
        &refs,
        &env.folders,
        sequence::DEFAULT_QUIT_TIMEOUT,
        &journal,
    );

    step(RepairStep::Clear);
    let archives = env.app_folders.archives();
    // A full reset keeps a backup first when the user left that ticked, so it can be undone.
    let backups = crate::cache::backup::backups_folder(&env.app_folders.data);
    let plan = sequence::ClearPlan {
        mode: job.mode,
        dry_run: false,
        archives: &archives,
        cancel,
        progress,
        archive_limits: Default::default(),
        folders: &env.folders,
        backups: &backups,
        backup: env.backup_before_reset,
    };
    let results = sequence::clear_installations(&refs, &quit, &plan, &journal);

    step(RepairStep::Start);
    // Start what ran before, data root by data root (a teams-for-linux instance with its own
    // `--user-data-dir` is not its usual root); when nothing ran, what the user would start.
    let ran: Vec<&crate::clients::processes::RunningProcess> =
        quit.closed.iter().chain(&quit.forced).collect();
    let wanted = |inst: &Installation| {
        if ran.is_empty() {
            !inst.is_instance_root() && job.start_if_none_ran.contains(&inst.id())
        } else {
            ran.iter().any(|p| inst.owns(p))
        }
    };
    let to_start: Vec<&Installation> = job
        .insts
        .iter()
        .zip(&results)
        .filter(|(inst, r)| r.outcome().is_some() && wanted(inst))
        .map(|(inst, _)| inst)
        .collect();
    let mut last_exes = job.last_exes.clone();
    for p in quit.closed.iter().chain(&quit.forced) {
        if let Some(exe) = &p.exe {
            last_exes.retain(|(c, _)| *c != p.client);
            last_exes.push((p.client, exe.clone()));
        }
    }
    // The usual roots of a client start once (native, snap, flatpak tried in turn); each
    // instance root that ran starts on its own (the core's restart_clients does both).
    let restarted = sequence::restart_clients(&to_start, &last_exes, &env.folders, &journal);
    let started = restarted
        .into_iter()
        .map(|r| Started {
            name: r.name,
            result: r.result,
        })
        .collect();
    Repaired {
        mode: job.mode,
        dry_run: false,
        quit,
        results: labelled(&job.insts, results),
        started,
        cancelled: cancel.is_cancelled(),
    }
}

/// The lock that keeps a second teamsfix (a fleet tool, the CLI) out of a clear in `mode`
/// (`platform::instance_lock`); `Err`: the message naming the one at work.
fn lock_for(
    env: &WorkerEnv,
    mode: Mode,
) -> Result<crate::platform::instance_lock::InstanceLock, Msg> {
    use crate::platform::instance_lock::{Job, acquire};
    let job = match mode {
        Mode::Full => Job::Reset,
        Mode::Safe => Job::Clear,
    };
    acquire(&env.app_folders.data, job, std::time::Duration::ZERO)
}

/// Quits the current user's processes of one client, or of every client when `None`.
pub(crate) fn quit_client(env: &WorkerEnv, client: Option<&'static str>) -> QuitOutcome {
    let ids: Vec<&str> = client.into_iter().collect();
    sequence::quit_clients(
        &discover::clients_with_ids(env.os, &ids),
        &env.folders,
        sequence::DEFAULT_QUIT_TIMEOUT,
        &env.journal(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::instance_lock::{HOLDER_FILE, LOCK_FILE};

    /// Another teamsfix (a fleet tool, the CLI) holds the lock: a clear and a one-click repair
    /// from the app come back refused with its message, and nothing of the data root goes. The
    /// data root is new Teams' (its processes cannot run on the test machine, so nothing is quit
    /// even if the refusal came too late).
    #[test]
    fn another_teamsfix_at_work_refuses_the_apps_clear_and_repair() {
        let t = tempfile::tempdir().unwrap();
        let home = std::fs::canonicalize(t.path()).unwrap();
        let local = home.join("AppData/Local");
        let root = local.join("Packages/MSTeams_8wekyb3d8bbwe/LocalCache/Microsoft/MSTeams");
        std::fs::create_dir_all(root.join("EBWebView/Default/Cache/Cache_Data")).unwrap();
        let cached = root.join("EBWebView/Default/Cache/Cache_Data/f_000001");
        std::fs::write(&cached, b"cache").unwrap();
        let folders =
            UserFolders::from_parts(home.clone(), home.join("AppData/Roaming"), local).unwrap();
        let insts = discover::discover_with(&folders, Os::Windows, &[]);
        let inst = insts
            .iter()
            .find(|i| i.id() == "windows-new")
            .expect("new Teams found")
            .clone();
        assert!(inst.root.is_ok(), "{:?}", inst.root);
        let data = home.join("teamsfix-data");
        std::fs::create_dir_all(&data).unwrap();
        // As another process holds it: its own open file, locked, and its note.
        let other = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(data.join(LOCK_FILE))
            .unwrap();
        other.try_lock().unwrap();
        std::fs::write(
            data.join(HOLDER_FILE),
            r#"{"pid":4242,"started":"2026-11-25 01:12:30","job":"clear"}"#,
        )
        .unwrap();
        let env = WorkerEnv {
            folders,
            app_folders: AppFolders {
                data,
                portable: false,
            },
            os: Os::Windows,
            lang: Lang::En,
            backup_before_reset: true,
        };
        let (tx, _rx) = std::sync::mpsc::channel();
        let ctx = egui::Context::default();
        let cancel = CancelToken::new();
        let busy = |r: &ClearResult| matches!(r, ClearResult::Refused(m) if m.key == "lock.busy.clear" && m.text(Lang::En).contains("4242"));
        match run(
            Job::Clear {
                inst: inst.clone(),
                mode: Mode::Safe,
            },
            &env,
            &cancel,
            &tx,
            &ctx,
        ) {
            Outcome::Cleared { result, .. } => assert!(busy(&result), "{result:?}"),
            _ => panic!("not a clear's outcome"),
        }
        let job = RepairJob {
            insts: vec![inst],
            mode: Mode::Full,
            last_exes: Vec::new(),
            start_if_none_ran: vec!["windows-new"],
        };
        match run(Job::Repair(job), &env, &cancel, &tx, &ctx) {
            Outcome::Repaired(r) => {
                assert!(r.results.iter().all(|(_, x)| busy(x)), "{:?}", r.results);
                assert!(r.started.is_empty());
            }
            _ => panic!("not a repair's outcome"),
        }
        assert!(cached.is_file(), "nothing was cleared");
        drop(other);
    }
}
