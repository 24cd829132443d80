//! Finding which clients of the table have data on this machine.

use crate::clients::client_table::{CLIENTS, ClientSpec, Os, RootSpec};
use crate::common::i18n::Msg;
use crate::platform::safety::{self, CheckedRoot, RootProblem};
use crate::platform::user_folders::UserFolders;
use std::path::PathBuf;

/// One data root of one client found on this machine.
#[derive(Clone, Debug)]
pub struct Installation {
    pub client: &'static ClientSpec,
    pub root_spec: &'static RootSpec,
    /// The data root as people know it.
    pub shown_root: PathBuf,
    /// The checked root, or why teamsfix refuses to work in it.
    pub root: Result<CheckedRoot, Msg>,
}

impl Installation {
    pub fn id(&self) -> &'static str {
        self.client.id
    }

    pub fn variant(&self) -> &'static str {
        self.root_spec.variant
    }

    /// `client-variant`, used to name archives and in logs.
    pub fn label(&self) -> String {
        format!("{}-{}", self.client.id, self.root_spec.variant)
    }
}

/// The clients of the table that run on `os`.
pub fn clients_for(os: Os) -> Vec<&'static ClientSpec> {
    CLIENTS.iter().filter(|c| c.os == os).collect()
}

/// The clients for `os` whose ids are in `ids`, or all of them when `ids` is empty.
pub fn clients_with_ids(os: Os, ids: &[impl AsRef<str>]) -> Vec<&'static ClientSpec> {
    clients_for(os)
        .into_iter()
        .filter(|c| ids.is_empty() || ids.iter().any(|id| id.as_ref() == c.id))
        .collect()
}

/// Every data root of the clients for `os` that exists, checked. Missing roots are left out;
/// roots that exist but are unsafe are included with the reason they are refused.
pub fn discover(folders: &UserFolders, os: Os) -> Vec<Installation> {
    let mut found = Vec::new();
    for client in clients_for(os) {
        for root_spec in client.roots {
            let shown_root = folders.resolve(root_spec.base, root_spec.path);
            let root = match safety::check_root(&shown_root, folders) {
                Ok(r) => Ok(r),
                Err(RootProblem::Missing) => continue,
                Err(RootProblem::Refused(m)) => Err(m),
            };
            found.push(Installation {
                client,
                root_spec,
                shown_root,
                root,
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_linux_roots_and_refuses_links() {
        let t = tempfile::tempdir().unwrap();
        let home = t.path();
        std::fs::create_dir_all(home.join(".config/teams-for-linux")).unwrap();
        std::fs::create_dir_all(
            home.join(".var/app/com.github.IsmaelMartinez.teams_for_linux/config/teams-for-linux"),
        )
        .unwrap();
        #[cfg(unix)]
        {
            std::fs::create_dir_all(home.join(".config/Microsoft")).unwrap();
            std::os::unix::fs::symlink("/tmp", home.join(".config/Microsoft/Microsoft Teams"))
                .unwrap();
        }
        let folders =
            UserFolders::from_parts(home.into(), home.join(".config"), home.join(".local/share"))
                .unwrap();
        let found = discover(&folders, Os::Linux);
        let labels: Vec<String> = found.iter().map(|i| i.label()).collect();
        assert!(
            labels.contains(&"teams-for-linux-native".to_string()),
            "{labels:?}"
        );
        assert!(
            labels.contains(&"teams-for-linux-flatpak".to_string()),
            "{labels:?}"
        );
        #[cfg(unix)]
        {
            let classic = found.iter().find(|i| i.id() == "linux-classic").unwrap();
            assert_eq!(classic.root.as_ref().unwrap_err().key, "safety.link");
        }
        assert!(!labels.iter().any(|l| l.starts_with("windows")));
    }
}
