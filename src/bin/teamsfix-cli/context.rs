//! What every command needs: the user's folders, teamsfix's own folders, and the installations
//! selected with `--client`.

use crate::output::{self, Exit};
use teamsfix::action_log::Journal;
use teamsfix::app_folders::AppFolders;
use teamsfix::client_table::{self, Os};
use teamsfix::discover::{self, Installation};
use teamsfix::i18n::{Lang, tr_args};
use teamsfix::user_folders::UserFolders;

pub struct Context {
    pub lang: Lang,
    pub folders: UserFolders,
    pub app: AppFolders,
}

impl Context {
    pub fn new(lang: Lang) -> Result<Context, Exit> {
        match UserFolders::detect() {
            Ok(folders) => Ok(Context {
                lang,
                folders,
                app: AppFolders::detect(),
            }),
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
}
