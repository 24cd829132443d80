//! Long work off the UI thread: one job at a time on its own thread, reporting progress and its
//! result over a channel that the app drains in `logic()`. Every job can be cancelled.

use crate::action_log::{self, ActionRecord};
use crate::app_folders::AppFolders;
use crate::clear::{self, ClearOutcome, ClearRequest, Mode};
use crate::client_table::Os;
use crate::discover::{self, Installation};
use crate::i18n::{Lang, Msg, tr, tr_args};
use crate::processes::{self, QuitOutcome, RunningProcess};
use crate::progress::{CancelToken, Phase, Progress};
use crate::report::{human_bytes, now_rfc3339};
use crate::status::{self, ClientState};
use crate::user_folders::UserFolders;
use eframe::egui;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, TryRecvError};
use std::time::Duration;

/// How long Teams gets to quit politely before it is forced (the CLI's default).
pub const QUIT_TIMEOUT: Duration = Duration::from_secs(10);

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
        }
    }
}

/// A clear's result as the Repair tab shows it.
#[derive(Clone, Debug)]
pub enum ClearResult {
    Done(ClearOutcome),
    /// These processes survived the quit; the cache was not touched.
    StillRunning(Vec<RunningProcess>),
    /// The data root is refused (a link, outside the user's folders...).
    Refused(Msg),
}

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
        std::thread::Builder::new()
            .name("teamsfix-worker".into())
            .spawn(move || {
                let outcome = run(thread_job, &env, &thread_cancel, &tx, &ctx);
                let _ = tx.send(Event::Finished(Box::new(outcome)));
                ctx.request_repaint();
            })
            .expect("cannot start a thread");
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
            // Quit first: a running client holds its files open and rewrites its cache.
            send(Progress::Phase {
                phase: Phase::Quitting,
                total: None,
            });
            let quit = quit_client(env, Some(inst.id()));
            let result = if !quit.survivors.is_empty() {
                ClearResult::StillRunning(quit.survivors.clone())
            } else {
                match &inst.root {
                    Err(m) => ClearResult::Refused(m.clone()),
                    Ok(root) => {
                        let label = inst.label();
                        let archives = env.app_folders.archives();
                        let sink = send;
                        let req = ClearRequest {
                            mode,
                            dry_run: false,
                            archives: &archives,
                            label: &label,
                            cancel,
                            progress: &sink,
                        };
                        ClearResult::Done(clear::clear(root, inst.root_spec.layout, &req))
                    }
                }
            };
            log_clear(env, &inst, mode, &result);
            Outcome::Cleared {
                label: inst.label(),
                mode,
                quit,
                result,
            }
        }
        Job::Restart { inst, last_exe } => {
            let result = crate::restart::restart(&inst, last_exe.as_deref(), &env.folders);
            let (word, summary) = match &result {
                Ok(cmd) => ("ok", cmd.clone()),
                Err(m) => ("failed", m.text(env.lang)),
            };
            log(env, "restart", &inst.label(), word, summary, None);
            Outcome::Restarted {
                label: inst.label(),
                result,
            }
        }
    }
}

/// Quits the current user's processes of one client and logs what happened (as the CLI does).
fn quit_client(env: &WorkerEnv, client: Option<&'static str>) -> QuitOutcome {
    let clients: Vec<_> = discover::clients_for(env.os)
        .into_iter()
        .filter(|c| client.is_none_or(|id| c.id == id))
        .collect();
    let running = processes::find_running(&clients, &env.folders);
    if running.is_empty() {
        return QuitOutcome::default();
    }
    let outcome = processes::quit(&running, QUIT_TIMEOUT);
    // One journal line per client, as the CLI writes them.
    let mut ids: Vec<&'static str> = running.iter().map(|p| p.client).collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        let count = |l: &[RunningProcess]| l.iter().filter(|p| p.client == id).count().to_string();
        let survived = count(&outcome.survivors);
        let summary = tr_args(
            env.lang,
            "cli.quit.summary",
            &[
                ("closed", &count(&outcome.closed)),
                ("forced", &count(&outcome.forced)),
                ("survived", &survived),
            ],
        );
        let word = if survived == "0" { "ok" } else { "failed" };
        log(env, "quit", id, word, summary, None);
    }
    outcome
}

fn log_clear(env: &WorkerEnv, inst: &Installation, mode: Mode, result: &ClearResult) {
    let lang = env.lang;
    let (word, summary, archive) = match result {
        ClearResult::StillRunning(_) => {
            ("still_running", tr(lang, "cli.clear.still_running"), None)
        }
        ClearResult::Refused(m) => ("refused", m.text(lang), None),
        ClearResult::Done(o) => {
            let t = o.removed_total();
            let summary = tr_args(
                lang,
                "cli.clear.summary",
                &[
                    ("mode", mode.id()),
                    ("files", &t.files.to_string()),
                    ("size", &human_bytes(t.bytes)),
                    ("failures", &o.failures.len().to_string()),
                ],
            );
            let word = if o.cancelled {
                "cancelled"
            } else if !o.failures.is_empty() {
                "partial"
            } else {
                "ok"
            };
            (word, summary, o.archive.clone())
        }
    };
    log(env, "clear", &inst.label(), word, summary, archive);
}

fn log(
    env: &WorkerEnv,
    action: &str,
    client: &str,
    result: &str,
    summary: String,
    archive: Option<PathBuf>,
) {
    let record = ActionRecord {
        time: now_rfc3339(),
        action: action.into(),
        client: client.into(),
        result: result.into(),
        summary,
        archive,
    };
    let _ = action_log::append(&env.app_folders.data, &record);
}
