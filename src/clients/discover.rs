//! Finding which clients of the table have data on this machine.

use crate::clients::client_table::{CLIENTS, ClientSpec, InstanceRoots, Os, RootSpec};
use crate::clients::processes::{self, RunningProcess};
use crate::common::i18n::Msg;
use crate::platform::safety::{self, CheckedRoot, RootProblem};
use crate::platform::user_folders::UserFolders;
use std::path::{Path, PathBuf};

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

    /// `client-variant`, used to name archives and in logs. A running instance's own data root
    /// (`--user-data-dir`) adds its folder name: `teams-for-linux-user-data-dir-work`.
    pub fn label(&self) -> String {
        if self.is_instance_root() {
            let name = self
                .shown_root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let name: String = name
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() || c == '-' || c == '_' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            format!("{}-{}-{name}", self.client.id, self.root_spec.variant)
        } else {
            format!("{}-{}", self.client.id, self.root_spec.variant)
        }
    }

    /// True for a data root named on a running instance's command line.
    pub fn is_instance_root(&self) -> bool {
        self.client
            .instance_roots()
            .is_some_and(|i| std::ptr::eq(&i.root, self.root_spec))
    }

    /// Whether process `p` uses this data root: a process that names a data root on its command
    /// line belongs to that root only; one that names none belongs to the client's usual roots.
    pub fn owns(&self, p: &RunningProcess) -> bool {
        if p.client != self.id() {
            return false;
        }
        match &p.user_data_dir {
            // A folder that stayed relative (its process's working folder unknown) is no root
            // teamsfix knows; never resolved against teamsfix's own working folder.
            Some(dir) => dir.is_absolute() && same_folder(dir, &self.shown_root),
            None => !self.is_instance_root(),
        }
    }

    /// Checks the data root again, as discovery did: right before anything in it moves, since
    /// discovery may have been minutes ago. Refused when it fails now or is another folder.
    pub fn recheck(&self, folders: &UserFolders) -> Result<CheckedRoot, Msg> {
        let before = self.root.clone()?;
        let now = match self
            .client
            .instance_roots()
            .filter(|_| self.is_instance_root())
        {
            Some(instances) => check_instance_root(&self.shown_root, instances, folders),
            None => safety::check_root(&self.shown_root, folders),
        };
        match now {
            Ok(now) if now.real == before.real => Ok(now),
            // Another folder now, or none: the root changed since it was checked.
            Ok(_) | Err(RootProblem::Missing) => {
                Err(Msg::new("safety.root_changed").arg("path", self.shown_root.display()))
            }
            Err(RootProblem::Refused(m)) => Err(m),
        }
    }
}

/// The same folder: the same path, or the same folder once links in its parents are resolved.
fn same_folder(a: &Path, b: &Path) -> bool {
    a == b
        || match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
}

/// The checks of [`safety::check_root`], and the client's marker: a folder named on a command
/// line must look like a data root of that client.
fn check_instance_root(
    path: &Path,
    instances: &InstanceRoots,
    folders: &UserFolders,
) -> Result<CheckedRoot, RootProblem> {
    let root = safety::check_root(path, folders)?;
    let has_marker = instances.marker_any_of.iter().any(|m| {
        safety::join_inside(&root.real, Path::new(m))
            .is_some_and(|p| std::fs::symlink_metadata(p).is_ok())
    });
    if has_marker {
        Ok(root)
    } else {
        Err(RootProblem::Refused(
            Msg::new("safety.not_a_data_root")
                .arg("path", path.display())
                .arg("markers", instances.marker_any_of.join(", ")),
        ))
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

/// Every data root of the clients for `os` that exists, checked; with the data roots that running
/// instances name on their command lines. Missing roots are left out; roots that exist but are
/// unsafe are included with the reason they are refused. When the process list cannot be read,
/// only the table's roots are found (and a clear is refused by the quit step).
pub fn discover(folders: &UserFolders, os: Os) -> Vec<Installation> {
    let running = processes::find_running(&clients_for(os), folders).unwrap_or_default();
    discover_with(folders, os, &running)
}

/// [`discover`] with the running processes already listed.
pub fn discover_with(
    folders: &UserFolders,
    os: Os,
    running: &[RunningProcess],
) -> Vec<Installation> {
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
        let Some(instances) = client.instance_roots() else {
            continue;
        };
        let table_roots: Vec<PathBuf> = found
            .iter()
            .filter(|i| i.id() == client.id)
            .map(|i| i.shown_root.clone())
            .collect();
        // In the order the processes were listed, each folder once (a handful: no sort needed).
        let mut named: Vec<&PathBuf> = Vec::new();
        for dir in running
            .iter()
            .filter(|p| p.client == client.id)
            .filter_map(|p| p.user_data_dir.as_ref())
            .filter(|d| d.is_absolute())
        {
            if !named.contains(&dir) {
                named.push(dir);
            }
        }
        for dir in named {
            // An instance started with the usual root named explicitly is the usual root.
            if table_roots.iter().any(|t| same_folder(t, dir))
                || found
                    .iter()
                    .any(|i| i.id() == client.id && same_folder(&i.shown_root, dir))
            {
                continue;
            }
            let root = match check_instance_root(dir, instances, folders) {
                Ok(r) => Ok(r),
                Err(RootProblem::Missing) => continue,
                Err(RootProblem::Refused(m)) => Err(m),
            };
            found.push(Installation {
                client,
                root_spec: &instances.root,
                shown_root: dir.clone(),
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
