//! What every command needs: the user's folders, teamsfix's own folders, and the installations
//! selected with `--client`.

use crate::output::{self, Exit, errln};
use std::time::Duration;
use teamsfix::clients::client_table::{self, Os};
use teamsfix::clients::discover::{self, Installation};
use teamsfix::clients::processes::QuitOutcome;
use teamsfix::common::i18n::{Lang, tr, tr_args};
use teamsfix::platform::app_folders::AppFolders;
use teamsfix::platform::user_folders::UserFolders;
use teamsfix::repair::sequence;
use teamsfix::report::journal::Journal;

pub struct Context {
    pub lang: Lang,
    pub folders: UserFolders,
    pub app: AppFolders,
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
            Err(m) => {
                output::error(lang, &m.text(lang));
                Err(Exit::Refused)
            }
        }
    }

    /// Checks `--client` ids against the table; an unknown id is a usage error.
    pub fn check_ids(&self, ids: &[String]) -> Result<(), Exit> {
        for id in ids {
            if client_table::client(id).is_none() {
                let valid: Vec<&str> = client_table::client_ids().collect();
                output::error(
                    self.lang,
                    &tr_args(
                        self.lang,
                        "cli.unknown_client",
                        &[("id", id), ("valid", &valid.join(", "))],
                    ),
                );
                return Err(Exit::Refused);
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
