//! What the app needs from the machine, resolved once and injectable: tests pass a fake home
//! made of real temporary folders and their own data folder.

use crate::clients::client_table::Os;
use crate::common::i18n::{Lang, Msg};
use crate::platform::app_folders::AppFolders;
use crate::platform::user_folders::UserFolders;

#[derive(Clone, Debug)]
pub struct Environment {
    /// The user's folders, or why they could not be resolved (then no repair is offered).
    pub folders: Result<UserFolders, Msg>,
    pub app_folders: AppFolders,
    pub os: Os,
    /// The language used when no choice was saved yet.
    pub lang: Lang,
    /// The system can show a Save dialog (not so on a Linux desktop without an xdg desktop
    /// portal): otherwise "Save as..." saves in teamsfix's reports folder and says where.
    pub file_dialog: bool,
    /// Shows the file dialogs instead of the system's (tests: the dialog of a test answers
    /// when the test says so, on a helper thread like the system's).
    pub dialog: Option<super::report_save::DialogFn>,
    /// Set when teamsfix runs as root or elevated: names whose Teams it works on (a banner).
    pub elevated: Option<Msg>,
}

impl Environment {
    /// An environment made of these parts, without a Save dialog (tests never open windows of
    /// the system).
    pub fn new(folders: UserFolders, app_folders: AppFolders, os: Os, lang: Lang) -> Environment {
        Environment {
            folders: Ok(folders),
            app_folders,
            os,
            lang,
            file_dialog: false,
            dialog: None,
            elevated: None,
        }
    }

    /// The real machine: the current user's folders, teamsfix's folders (portable aware), the
    /// OS and its language.
    pub fn detect() -> Environment {
        let folders = UserFolders::detect();
        let elevated = folders
            .as_ref()
            .ok()
            .and_then(crate::repair::sequence::elevated_notice);
        Environment {
            folders,
            app_folders: AppFolders::detect(),
            os: Os::current(),
            lang: Lang::from_os(),
            file_dialog: super::report_save::dialog_available(),
            dialog: None,
            elevated,
        }
    }
}
