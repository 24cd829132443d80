//! What every command needs: the user's folders, teamsfix's own folders, and the installations
//! selected with `--client`.

use crate::output::{self, Exit, errln};
use std::time::Duration;
use teamsfix::clients::client_table::{self, Os};
use teamsfix::clients::discover::{self, Installation};
use teamsfix::clients::processes::QuitOutcome;
use teamsfix::common::i18n::{Lang, tr, tr_args};
use teamsfix::platform::app_folders::AppFolders;
use teamsfix::platform::instance_lock::{self, InstanceLock, Job};
use teamsfix::platform::user_folders::UserFolders;
use teamsfix::repair::sequence;
use teamsfix::report::journal::Journal;

pub struct Context {
    pub lang: Lang,
    pub folders: UserFolders,
    pub app: AppFolders,
}

/// How long to wait for another teamsfix that holds the lock (`--wait SECS`; see
/// `teamsfix::platform::instance_lock`). Set once by `main`.
static WAIT: std::sync::OnceLock<Option<u64>> = std::sync::OnceLock::new();

pub fn set_wait(secs: Option<u64>) {
    let _ = WAIT.set(secs);
}

impl Context {
    pub fn new(lang: Lang) -> Result<Context, Exit> {
        match UserFolders::detect() {
            Ok(folders) => {
                // Run as root or elevated, say whose Teams this is (stderr: JSON stays valid).
                if let Some(m) = teamsfix::repair::sequence::elevated_notice(&folders) {
                    errln!("{}", m.text(lang));
                }
                Ok(Context {
                    lang,
                    folders,
                    app: AppFolders::detect(),
                })
            }
            Err(m) => Err(output::fail(lang, &m.text(lang), Exit::Refused)),
        }
    }

    /// Takes the lock that keeps a second teamsfix of this user out for the whole command
    /// (`--wait SECS`, else `default_wait`). Busy: says which teamsfix holds it in one line on
    /// stderr (with `json`, also a JSON document on stdout) and gives [`Exit::Busy`].
    pub fn lock(&self, job: Job, default_wait: u64, json: bool) -> Result<InstanceLock, Exit> {
        let wait = WAIT.get().copied().flatten().unwrap_or(default_wait);
        let lang = self.lang;
        let mut waiting = |busy: &teamsfix::common::i18n::Msg| {
            errln!(
                "{}",
                tr_args(lang, "lock.waiting", &[("busy", &busy.text(lang))])
            );
        };
        instance_lock::acquire_as(&self.app.data, job, Duration::from_secs(wait), &mut waiting)
            .map_err(|m| {
                let text = m.text(lang);
                if json {
                    output::print_json(&serde_json::json!({
                        "schema_version": teamsfix::report::helpdesk::SCHEMA_VERSION,
                        "busy": true,
                        "error": text,
                        "exit_code": Exit::Busy as i32,
                    }));
                }
                output::error(lang, &text);
                Exit::Busy
            })
    }

    /// Checks `--client` ids against the table; an unknown id is a usage error.
    pub fn check_ids(&self, ids: &[String]) -> Result<(), Exit> {
        for id in ids {
            if client_table::client(id).is_none() {
                let valid: Vec<&str> = client_table::client_ids().collect();
                return Err(output::fail(
                    self.lang,
                    &tr_args(
                        self.lang,
                        "cli.unknown_client",
                        &[("id", id), ("valid", &valid.join(", "))],
                    ),
                    Exit::Refused,
                ));
            }
        }
        Ok(())
    }

    /// The action journal in teamsfix's data folder, written in the output language.
    pub fn journal(&self) -> Journal<'_> {
        Journal {
            data_dir: &self.app.data,
            lang: self.lang,
        }
    }

    /// The installations on this machine, limited to `ids` when any are given.
    pub fn installations(&self, ids: &[String]) -> Vec<Installation> {
        discover::discover(&self.folders, Os::current())
            .into_iter()
            .filter(|i| ids.is_empty() || ids.iter().any(|id| id == i.id()))
            .collect()
    }

    /// Quits the processes of the data roots about to be cleared (see
    /// `sequence::quit_for_clear`). `announce` says so on stderr first.
    pub fn quit_for_clear(
        &self,
        insts: &[&Installation],
        timeout: u64,
        announce: bool,
    ) -> QuitOutcome {
        if announce {
            errln!("{}", tr(self.lang, "progress.quitting"));
        }
        sequence::quit_for_clear(
            insts,
            &self.folders,
            Duration::from_secs(timeout),
            &self.journal(),
        )
    }

    /// Quits the current user's processes of the clients in `ids` (all clients when empty),
    /// through the core's repair sequence (journaled). `announce` says so on stderr first.
    pub fn quit(&self, ids: &[String], timeout: u64, announce: bool) -> QuitOutcome {
        if announce {
            errln!("{}", tr(self.lang, "progress.quitting"));
        }
        sequence::quit_clients(
            &discover::clients_with_ids(Os::current(), ids),
            &self.folders,
            Duration::from_secs(timeout),
            &self.journal(),
        )
    }
}
