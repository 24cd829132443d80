//! Long work off the UI thread: one job at a time on its own thread, reporting progress and its
//! result over a channel that the app drains in `logic()`. Every job can be cancelled.

use crate::cache::clear::{self, ClearOutcome, Mode};
use crate::clients::client_table::Os;
use crate::clients::discover::{self, Installation};
use crate::clients::processes::QuitOutcome;
use crate::clients::status::{self, ClientState};
use crate::common::i18n::{Lang, Msg};
use crate::common::progress::{CancelToken, Phase, Progress};
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
    /// A support bundle, or undoing a full reset (see `helpdesk_panel`).
    Helpdesk(super::helpdesk_panel::HelpdeskJob),
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
    Helpdesk(super::helpdesk_panel::HelpdeskOutcome),
}

enum Event {
    Progress(Progress),
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
                backups: env.backup_before_reset.then_some(backups.as_path()),
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
        Job::Helpdesk(j) => Outcome::Helpdesk(super::helpdesk_panel::run(j, env, cancel, &send)),
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
    }
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
