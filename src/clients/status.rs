//! The state of every client on this machine: where its data is, its version and verdict,
//! whether it runs, and how much its cache holds per class.

use crate::cache::scan::{self, Scan};
use crate::clients::client_table::Os;
use crate::clients::discover::{self, Installation};
use crate::clients::processes::{self, RunningProcess};
use crate::clients::version::{self, VersionCheck};
use crate::common::progress::CancelToken;
use crate::platform::user_folders::UserFolders;

#[derive(Clone, Debug)]
pub struct ClientState {
    pub inst: Installation,
    pub version: VersionCheck,
    pub running: Vec<RunningProcess>,
    /// Sizes per class; `None` when sizing was not asked for or the root is refused.
    pub scan: Option<Scan>,
}

/// Discovers the installed clients, their running processes and versions, and (with `sizes`)
/// their cache sizes.
pub fn collect(
    folders: &UserFolders,
    os: Os,
    sizes: bool,
    cancel: &CancelToken,
) -> Vec<ClientState> {
    let clients: Vec<_> = discover::clients_for(os);
    // An unreadable process list shows as "not running" here; a clear refuses in that case.
    let running = processes::find_running(&clients, folders).unwrap_or_default();
    let installs = discover::discover_with(folders, os, &running);
    installs
        .into_iter()
        .map(|inst| {
            let mine: Vec<RunningProcess> =
                running.iter().filter(|p| inst.owns(p)).cloned().collect();
            let version = version::check(inst.client, inst.root.as_ref().ok(), &mine);
            let scan = match (&inst.root, sizes) {
                (Ok(root), true) => Some(scan::scan(root, inst.root_spec.layout, cancel)),
                _ => None,
            };
            ClientState {
                inst,
                version,
                running: mine,
                scan,
            }
        })
        .collect()
}
