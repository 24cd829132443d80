//! The one table of Teams clients teamsfix knows: where each keeps its data, how its processes
//! are recognised, what is inside its data root, how to read its version and how to start it.
//!
//! Facts come from shared/reference/teams-clients.md. Nothing about a specific client should be
//! decided anywhere else in the code: add a row or a field here instead.

use crate::cache::classes::{CacheClass::*, Layout, rule};
use crate::cache::clear::TRASH_PATTERN;
pub use crate::platform::user_folders::Base;

/// Operating systems a client exists on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Os {
    Windows,
    Macos,
    Linux,
}

impl Os {
    pub const fn current() -> Os {
        if cfg!(windows) {
            Os::Windows
        } else if cfg!(target_os = "macos") {
            Os::Macos
        } else {
            Os::Linux
        }
    }
}

/// One place a client keeps data: a data root and the layout of what is inside it.
#[derive(Debug)]
pub struct RootSpec {
    /// Short name of the install variant (`native`, `snap`, `flatpak`, `insiders`, `caches`, ...).
    pub variant: &'static str,
    pub base: Base,
    /// Path below `base`, `/`-separated.
    pub path: &'static str,
    pub layout: &'static Layout,
    /// How to start the client installed this way, tried in order.
    pub launch: &'static [Launch],
}

/// How a running process is recognised as belonging to a client.
#[derive(Debug)]
pub enum ProcessMatcher {
    /// The executable's file name (ASCII case-insensitive). Linux truncates process names to
    /// 15 characters, so the executable path is preferred over the process name.
    ExeName(&'static str),
    /// The executable's path ends with this (`/` separated), e.g. `.app/Contents/MacOS/MSTeams`.
    ExePathEnds(&'static str),
    /// An executable with this name whose command line contains one of these markers. Used for
    /// new Teams' WebView2 children: other apps run `msedgewebview2.exe` too and must be left alone.
    ExeNameWithArg {
        exe: &'static str,
        any_arg_contains: &'static [&'static str],
    },
    /// An executable with a common name (`Update.exe`) that only counts when it lives below this
    /// folder.
    ExeNameUnder {
        exe: &'static str,
        base: Base,
        dir: &'static str,
    },
    /// An executable that only counts when it lies in an installed package's folder: directly in
    /// `<packages_folder>/<name_prefix>...<name_suffix>` (an MSIX install folder under
    /// `WindowsApps`, `MSTeams_<version>_<arch>__8wekyb3d8bbwe`).
    ExeNameInPackage {
        exe: &'static str,
        packages_folder: &'static str,
        name_prefix: &'static str,
        name_suffix: &'static str,
    },
}

/// A client that can run several instances, each with a data root named on its command line
/// (teams-for-linux's `--user-data-dir=PATH`). Each such root is a data root of its own, found
/// from the running processes; a process belongs to the root it names.
#[derive(Debug)]
pub struct InstanceRoots {
    /// The argument that names the root, with its `=`.
    pub arg_prefix: &'static str,
    /// How such a root is treated (its `base` and `path` are not used).
    pub root: RootSpec,
    /// A file or folder every real data root of this client holds; a path named on a command
    /// line that lacks it is refused (it is not a data root of this client).
    pub marker_any_of: &'static [&'static str],
}

/// Where a client's version can be read, tried in order.
#[derive(Debug)]
pub enum VersionSource {
    /// A string key in a JSON file below the data root (classic Teams' `settings.json`).
    JsonKey {
        file: &'static str,
        key: &'static str,
    },
    /// The newest log file in `dir` (below the data root) whose name starts with `file_prefix`;
    /// the text after `marker` on a line, up to the end of the version number.
    LogLine {
        dir: &'static str,
        file_prefix: &'static str,
        marker: &'static str,
    },
    /// A command-line argument of a running process of the client (`--webview-exe-version=`).
    ProcessArg { prefix: &'static str },
    /// The version in the installed MSIX package of this family (Windows only).
    AppxPackageFamily(&'static str),
    /// A string in an app bundle's `Info.plist` (macOS).
    PlistKey {
        plist: &'static str,
        key: &'static str,
    },
    /// The first version-like word printed by `program args`, found on PATH.
    CommandOutput {
        program: &'static str,
        args: &'static [&'static str],
    },
}

/// How to start a client again.
#[derive(Debug)]
pub enum Launch {
    /// Run a program found in the absolute entries of PATH (never a relative or empty one).
    Program {
        program: &'static str,
        args: &'static [&'static str],
    },
    /// Run a program of the OS by its full path: Windows' system folders (`explorer.exe`), or
    /// `/usr/bin` and `/bin` (`open` on macOS). Never looked up by bare name.
    SystemProgram {
        program: &'static str,
        args: &'static [&'static str],
    },
    /// Run an executable below a user folder with arguments.
    ExeUnder {
        base: Base,
        path: &'static str,
        args: &'static [&'static str],
    },
    /// Run again the executable that was running before teamsfix quit it.
    LastRunningExe,
}

/// Where a client stands in Microsoft's lifecycle.
#[derive(Debug)]
pub enum Lifecycle {
    /// No longer works; the fix is another client. `since` is an ISO date.
    Retired {
        since: &'static str,
        replacement_key: &'static str,
    },
    /// Supported. `minimum` is the lowest version Microsoft names for full function;
    /// `dated_versions` says the first number of the version is the build date as `YYDDD`
    /// (new Teams: `24335.x` is day 335 of 2024), so its age can be estimated.
    Current {
        minimum: Option<&'static str>,
        dated_versions: bool,
    },
}

#[derive(Debug)]
pub struct ClientSpec {
    /// Stable id used on the command line and in JSON.
    pub id: &'static str,
    /// Product name as Microsoft or its authors write it (not translated).
    pub name: &'static str,
    pub os: Os,
    pub roots: &'static [RootSpec],
    pub processes: &'static [ProcessMatcher],
    pub version: &'static [VersionSource],
    pub lifecycle: Lifecycle,
    /// Extra data roots of running instances, for clients that have them. Only Linux clients
    /// have them (checked by a test), so the Windows build leaves that code out (size budget).
    pub instances: Option<InstanceRoots>,
}

/// Classic Teams (Electron 1.x) on Windows, macOS and Linux share one layout.
pub static CLASSIC_LAYOUT: Layout = Layout {
    rules: &[
        rule("Cache", Regenerable),
        rule("Code Cache", Regenerable),
        rule("GPUCache", Regenerable),
        rule("Application Cache", Regenerable),
        rule("Service Worker/CacheStorage", Regenerable),
        rule("Service Worker/ScriptCache", Regenerable),
        rule("blob_storage", Regenerable),
        rule("tmp", Regenerable),
        rule(TRASH_PATTERN, Regenerable),
        rule("IndexedDB", Session),
        rule("Local Storage", Session),
        rule("databases", Session),
        rule("Session Storage", Session),
        rule("Cookies", Session),
        rule("Cookies-journal", Session),
        rule("Backgrounds/Uploads", UserData),
        rule("desktop-config.json", UserData),
        rule("settings.json", UserData),
        rule("logs.txt", Diagnostics),
        rule("*.log", Diagnostics),
        rule("media-stack", Diagnostics),
        rule("Crashpad", Diagnostics),
    ],
    default_class: Other,
};

/// New Teams 2.x (WebView2) data root `...\LocalCache\Microsoft\MSTeams`, and its macOS twin.
pub static NEW_TEAMS_LAYOUT: Layout = Layout {
    rules: &[
        rule("EBWebView/*/Cache", Regenerable),
        rule("EBWebView/*/Code Cache", Regenerable),
        rule("EBWebView/*/GPUCache", Regenerable),
        rule("EBWebView/*/Service Worker/CacheStorage", Regenerable),
        rule("EBWebView/*/Service Worker/ScriptCache", Regenerable),
        // Chromium's GPU shader caches, kept per user-data folder (content/browser/gpu:
        // `GrShaderCache`, `GraphiteDawnCache`, `ShaderCache`): rebuilt on the next start.
        rule("EBWebView/GrShaderCache", Regenerable),
        rule("EBWebView/GraphiteDawnCache", Regenerable),
        rule("EBWebView/ShaderCache", Regenerable),
        rule(TRASH_PATTERN, Regenerable),
        rule("EBWebView/*/IndexedDB", Session),
        rule("EBWebView/*/Local Storage", Session),
        rule("EBWebView/*/WebStorage", Session),
        rule("EBWebView/*/Session Storage", Session),
        rule("EBWebView/*/Network/Cookies", Session),
        rule("EBWebView/*/Network/Cookies-journal", Session),
        rule("Backgrounds/Uploads", UserData),
        rule("app_settings.json", UserData),
        rule("Logs", Diagnostics),
        rule("PerfLog", Diagnostics),
        rule("PerfLogs", Diagnostics),
        rule("EBWebView/Crashpad", Diagnostics),
    ],
    default_class: Other,
};

/// teams-for-linux (Electron, community client).
pub static TEAMS_FOR_LINUX_LAYOUT: Layout = Layout {
    rules: &[
        rule("Cache", Regenerable),
        rule("GPUCache", Regenerable),
        rule("Code Cache", Regenerable),
        rule("DawnCache", Regenerable),
        rule("DawnGraphiteCache", Regenerable),
        rule("DawnWebGPUCache", Regenerable),
        rule("DIPS-wal", Regenerable),
        rule("SharedStorage-wal", Regenerable),
        rule("Cookies-journal", Regenerable),
        rule("Partitions/*/Cache", Regenerable),
        rule("Partitions/*/GPUCache", Regenerable),
        rule("Partitions/*/Code Cache", Regenerable),
        rule("Partitions/*/DIPS-wal", Regenerable),
        rule("Partitions/*/SharedStorage-wal", Regenerable),
        rule("Partitions/*/Cookies-journal", Regenerable),
        // Responses the web app cached through the Cache API, re-fetched on demand.
        rule("Service Worker/CacheStorage", Regenerable),
        rule("Partitions/*/Service Worker/CacheStorage", Regenerable),
        // Blobs Chromium pages to disk during a session; it empties the folder at start-up.
        rule("blob_storage", Regenerable),
        rule("Partitions/*/blob_storage", Regenerable),
        // GPU shader caches (as for WebView2 above).
        rule("GrShaderCache", Regenerable),
        rule("GraphiteDawnCache", Regenerable),
        rule("ShaderCache", Regenerable),
        rule(TRASH_PATTERN, Regenerable),
        rule("IndexedDB", Session),
        rule("Local Storage", Session),
        rule("Session Storage", Session),
        rule("WebStorage", Session),
        rule("Cookies", Session),
        rule("Partitions", Session),
        rule("config.json", UserData),
        // electron-store: the profile list and partitions.
        rule("settings.json", UserData),
        // The user's own "Save settings" backup.
        rule("teams_settings.json", UserData),
        // Stickers the user imported.
        rule("stickers", UserData),
        rule("logs", Diagnostics),
        rule("Crashpad", Diagnostics),
    ],
    default_class: Other,
};

/// A teams-for-linux data root named on a running instance's command line. The same classes as
/// the usual root, except that what no rule knows is kept in every mode: teamsfix did not choose
/// this folder itself, so it removes only what it recognises.
pub static TEAMS_FOR_LINUX_INSTANCE_LAYOUT: Layout = Layout {
    rules: TEAMS_FOR_LINUX_LAYOUT.rules,
    default_class: UserData,
};

/// A folder that holds only regenerable cache (macOS `~/Library/Caches/com.microsoft.teams`).
pub static ALL_REGENERABLE_LAYOUT: Layout = Layout {
    rules: &[],
    default_class: Regenerable,
};

/// New Teams' macOS group container: shared state between Teams and its extensions.
pub static MACOS_GROUP_CONTAINER_LAYOUT: Layout = Layout {
    rules: &[
        rule(TRASH_PATTERN, Regenerable),
        rule("Library/Logs", Diagnostics),
        rule("Library/Application Support/Logs", Diagnostics),
    ],
    default_class: Session,
};

const NEW_TEAMS_FAMILY: &str = "MSTeams_8wekyb3d8bbwe";

pub static CLIENTS: &[ClientSpec] = &[
    ClientSpec {
        id: "windows-new",
        name: "Microsoft Teams (new)",
        os: Os::Windows,
        roots: &[RootSpec {
            variant: "msix",
            base: Base::LocalAppData,
            path: "Packages/MSTeams_8wekyb3d8bbwe/LocalCache/Microsoft/MSTeams",
            layout: &NEW_TEAMS_LAYOUT,
            launch: &[Launch::SystemProgram {
                program: "explorer.exe",
                args: &["shell:AppsFolder\\MSTeams_8wekyb3d8bbwe!MSTeams"],
            }],
        }],
        processes: &[
            ProcessMatcher::ExeName("ms-teams.exe"),
            ProcessMatcher::ExeName("ms-teamsupdate.exe"),
            // The calling stack's child process since January 2026 (Microsoft 365 message
            // center MC1189656, updated 2025-11-26). It holds files of the data root open like
            // ms-teams.exe, so it is quit and waited for with it. Matched only in the MSTeams
            // package's install folder (where ms-teams.exe lives; the notice does not name the
            // folder).
            ProcessMatcher::ExeNameInPackage {
                exe: "ms-teams_modulehost.exe",
                packages_folder: "WindowsApps",
                name_prefix: "MSTeams_",
                name_suffix: "__8wekyb3d8bbwe",
            },
            ProcessMatcher::ExeNameWithArg {
                exe: "msedgewebview2.exe",
                any_arg_contains: &["--webview-exe-name=ms-teams.exe", NEW_TEAMS_FAMILY],
            },
        ],
        version: &[
            VersionSource::AppxPackageFamily(NEW_TEAMS_FAMILY),
            VersionSource::ProcessArg {
                prefix: "--webview-exe-version=",
            },
            VersionSource::LogLine {
                dir: "Logs",
                file_prefix: "MSTeams_",
                marker: "DesktopApp: Version:",
            },
        ],
        lifecycle: Lifecycle::Current {
            minimum: Some("23320.3021.2567.4799"),
            dated_versions: true,
        },
        instances: None,
    },
    ClientSpec {
        id: "windows-classic",
        name: "Microsoft Teams classic",
        os: Os::Windows,
        roots: &[RootSpec {
            variant: "per-user",
            base: Base::RoamingAppData,
            path: "Microsoft/Teams",
            layout: &CLASSIC_LAYOUT,
            launch: &[Launch::ExeUnder {
                base: Base::LocalAppData,
                path: "Microsoft/Teams/Update.exe",
                args: &["--processStart", "Teams.exe"],
            }],
        }],
        processes: &[
            ProcessMatcher::ExeNameUnder {
                exe: "Teams.exe",
                base: Base::LocalAppData,
                dir: "Microsoft/Teams",
            },
            ProcessMatcher::ExeNameUnder {
                exe: "Update.exe",
                base: Base::LocalAppData,
                dir: "Microsoft/Teams",
            },
            ProcessMatcher::ExeNameUnder {
                exe: "Squirrel.exe",
                base: Base::LocalAppData,
                dir: "Microsoft/Teams",
            },
        ],
        version: &[VersionSource::JsonKey {
            file: "settings.json",
            key: "version",
        }],
        lifecycle: Lifecycle::Retired {
            since: "2025-07-01",
            replacement_key: "version.replacement.new_teams",
        },
        instances: None,
    },
    ClientSpec {
        id: "macos-new",
        name: "Microsoft Teams (new)",
        os: Os::Macos,
        roots: &[
            RootSpec {
                variant: "container",
                base: Base::Home,
                path: "Library/Containers/com.microsoft.teams2/Data/Library/Application Support/Microsoft/MSTeams",
                layout: &NEW_TEAMS_LAYOUT,
                launch: &[Launch::SystemProgram {
                    program: "open",
                    args: &["-b", "com.microsoft.teams2"],
                }],
            },
            RootSpec {
                variant: "group-container",
                base: Base::Home,
                path: "Library/Group Containers/UBF8T346G9.com.microsoft.teams",
                layout: &MACOS_GROUP_CONTAINER_LAYOUT,
                launch: &[Launch::SystemProgram {
                    program: "open",
                    args: &["-b", "com.microsoft.teams2"],
                }],
            },
        ],
        processes: &[ProcessMatcher::ExePathEnds(".app/Contents/MacOS/MSTeams")],
        version: &[VersionSource::PlistKey {
            plist: "/Applications/Microsoft Teams.app/Contents/Info.plist",
            key: "CFBundleShortVersionString",
        }],
        lifecycle: Lifecycle::Current {
            minimum: Some("23320.3021.2567.4799"),
            dated_versions: true,
        },
        instances: None,
    },
    ClientSpec {
        id: "macos-classic",
        name: "Microsoft Teams classic",
        os: Os::Macos,
        roots: &[
            RootSpec {
                variant: "application-support",
                base: Base::Home,
                path: "Library/Application Support/Microsoft/Teams",
                layout: &CLASSIC_LAYOUT,
                launch: &[Launch::SystemProgram {
                    program: "open",
                    args: &["-b", "com.microsoft.teams"],
                }],
            },
            RootSpec {
                variant: "caches",
                base: Base::Home,
                path: "Library/Caches/com.microsoft.teams",
                layout: &ALL_REGENERABLE_LAYOUT,
                launch: &[],
            },
        ],
        processes: &[
            ProcessMatcher::ExePathEnds(".app/Contents/MacOS/Teams"),
            ProcessMatcher::ExePathEnds(
                "Microsoft Teams Helper.app/Contents/MacOS/Microsoft Teams Helper",
            ),
        ],
        version: &[VersionSource::PlistKey {
            plist: "/Applications/Microsoft Teams classic.app/Contents/Info.plist",
            key: "CFBundleShortVersionString",
        }],
        lifecycle: Lifecycle::Retired {
            since: "2025-07-01",
            replacement_key: "version.replacement.new_teams",
        },
        instances: None,
    },
    ClientSpec {
        id: "linux-classic",
        name: "Microsoft Teams for Linux (retired)",
        os: Os::Linux,
        roots: &[
            RootSpec {
                variant: "native",
                base: Base::XdgConfig,
                path: "Microsoft/Microsoft Teams",
                layout: &CLASSIC_LAYOUT,
                launch: &[
                    Launch::LastRunningExe,
                    Launch::Program {
                        program: "teams",
                        args: &[],
                    },
                ],
            },
            RootSpec {
                variant: "insiders",
                base: Base::XdgConfig,
                path: "Microsoft/Microsoft Teams - Insiders",
                layout: &CLASSIC_LAYOUT,
                launch: &[
                    Launch::LastRunningExe,
                    Launch::Program {
                        program: "teams-insiders",
                        args: &[],
                    },
                ],
            },
            RootSpec {
                variant: "snap",
                base: Base::Home,
                path: "snap/teams/current/.config/Microsoft/Microsoft Teams",
                layout: &CLASSIC_LAYOUT,
                launch: &[Launch::Program {
                    program: "snap",
                    args: &["run", "teams"],
                }],
            },
        ],
        processes: &[
            ProcessMatcher::ExeName("teams"),
            ProcessMatcher::ExeName("teams-insiders"),
        ],
        version: &[VersionSource::JsonKey {
            file: "settings.json",
            key: "version",
        }],
        // Microsoft announced the retirement for early December 2022 (message center MC412007);
        // no page gives the day, so only the month is stated.
        lifecycle: Lifecycle::Retired {
            since: "2022-12",
            replacement_key: "version.replacement.linux",
        },
        instances: None,
    },
    ClientSpec {
        id: "teams-for-linux",
        name: "Teams for Linux",
        os: Os::Linux,
        roots: &[
            RootSpec {
                variant: "native",
                base: Base::XdgConfig,
                path: "teams-for-linux",
                layout: &TEAMS_FOR_LINUX_LAYOUT,
                launch: &[
                    Launch::LastRunningExe,
                    Launch::Program {
                        program: "teams-for-linux",
                        args: &[],
                    },
                ],
            },
            RootSpec {
                variant: "snap",
                base: Base::Home,
                path: "snap/teams-for-linux/current/.config/teams-for-linux",
                layout: &TEAMS_FOR_LINUX_LAYOUT,
                launch: &[Launch::Program {
                    program: "snap",
                    args: &["run", "teams-for-linux"],
                }],
            },
            RootSpec {
                variant: "flatpak",
                base: Base::Home,
                path: ".var/app/com.github.IsmaelMartinez.teams_for_linux/config/teams-for-linux",
                layout: &TEAMS_FOR_LINUX_LAYOUT,
                launch: &[Launch::Program {
                    program: "flatpak",
                    args: &["run", "com.github.IsmaelMartinez.teams_for_linux"],
                }],
            },
        ],
        processes: &[ProcessMatcher::ExeName("teams-for-linux")],
        version: &[VersionSource::CommandOutput {
            program: "teams-for-linux",
            args: &["--version"],
        }],
        lifecycle: Lifecycle::Current {
            minimum: None,
            dated_versions: false,
        },
        // teams-for-linux's documented way to run several accounts at once.
        instances: Some(InstanceRoots {
            arg_prefix: "--user-data-dir=",
            root: RootSpec {
                variant: "user-data-dir",
                base: Base::Home,
                path: "",
                layout: &TEAMS_FOR_LINUX_INSTANCE_LAYOUT,
                launch: &[Launch::LastRunningExe],
            },
            // Electron writes these into every user-data folder on its first start.
            marker_any_of: &["Preferences", "Local State", "config.json"],
        }),
    },
];

pub fn client(id: &str) -> Option<&'static ClientSpec> {
    CLIENTS.iter().find(|c| c.id == id)
}

pub fn client_ids() -> impl Iterator<Item = &'static str> {
    CLIENTS.iter().map(|c| c.id)
}

impl ClientSpec {
    /// The client's running-instance roots, where this build looks for them: never on Windows,
    /// where no client has them (so the code is left out of the exe).
    pub fn instance_roots(&self) -> Option<&InstanceRoots> {
        self.instances.as_ref().filter(|_| !cfg!(windows))
    }
}

/// Every layout in the table (for table tests).
pub fn layouts() -> impl Iterator<Item = &'static Layout> {
    CLIENTS
        .iter()
        .flat_map(|c| c.roots.iter().map(|r| r.layout))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::classes::CacheClass;
    use crate::cache::scan::{Tally, scan};
    use crate::cache::tree_walk::EntryKind;
    use crate::common::progress::CancelToken;
    use crate::platform::safety::CheckedRoot;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut seen = HashSet::new();
        for c in CLIENTS {
            assert!(seen.insert(c.id), "duplicate id {}", c.id);
            assert!(
                c.id.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'),
                "{}",
                c.id
            );
            assert!(!c.roots.is_empty() && !c.processes.is_empty() && !c.version.is_empty());
        }
        for id in [
            "windows-new",
            "windows-classic",
            "macos-new",
            "macos-classic",
            "linux-classic",
            "teams-for-linux",
        ] {
            assert!(client(id).is_some(), "missing {id}");
        }
    }

    #[test]
    fn root_paths_are_relative_and_never_a_bare_package_folder() {
        for c in CLIENTS {
            let mut variants = HashSet::new();
            for r in c.roots {
                assert!(
                    variants.insert(r.variant),
                    "{}: duplicate variant {}",
                    c.id,
                    r.variant
                );
                assert!(
                    !r.path.starts_with('/') && !r.path.contains('\\') && !r.path.contains("..")
                );
                assert!(!r.path.is_empty());
                // Microsoft requires the MSIX package folder and its direct children to stay.
                if r.path.starts_with("Packages/") {
                    assert!(
                        r.path.split('/').count() > 3,
                        "{}: too shallow a root {}",
                        c.id,
                        r.path
                    );
                }
                // A macOS container root itself cannot be removed: clear below its Data child.
                if r.path.starts_with("Library/Containers/") {
                    assert!(r.path.contains("/Data/"));
                }
            }
        }
    }

    #[test]
    fn every_layout_keeps_user_data_and_archives_diagnostics() {
        for c in CLIENTS {
            for r in c.roots {
                let l = r.layout;
                if std::ptr::eq(l, &ALL_REGENERABLE_LAYOUT) {
                    continue;
                }
                assert!(
                    l.rules.iter().any(|x| x.class == CacheClass::Diagnostics),
                    "{} {}",
                    c.id,
                    r.variant
                );
                assert!(
                    l.rules.iter().any(|x| x.pattern == TRASH_PATTERN),
                    "{} {}: trash must be cleared",
                    c.id,
                    r.variant
                );
            }
        }
        for layout in [&CLASSIC_LAYOUT, &NEW_TEAMS_LAYOUT, &TEAMS_FOR_LINUX_LAYOUT] {
            assert!(layout.rules.iter().any(|x| x.class == CacheClass::UserData));
            assert!(
                layout
                    .rules
                    .iter()
                    .any(|x| x.class == CacheClass::Regenerable)
            );
            assert!(layout.rules.iter().any(|x| x.class == CacheClass::Session));
        }
    }

    /// The class a full path ends up with, walking down from the root as the scanner does.
    fn class_of(layout: &Layout, path: &str) -> CacheClass {
        let parts: Vec<&str> = path.split('/').collect();
        (1..=parts.len()).fold(layout.default_class, |class, i| {
            layout.classify(&parts[..i], class).class
        })
    }

    #[test]
    fn reference_paths_classify_as_documented() {
        let c = |p| class_of(&NEW_TEAMS_LAYOUT, p);
        assert_eq!(
            c("EBWebView/WV2Profile_tfw/Cache/Cache_Data/f_000001"),
            CacheClass::Regenerable
        );
        assert_eq!(
            c("EBWebView/WV2Profile_tfw/IndexedDB/x"),
            CacheClass::Session
        );
        assert_eq!(
            c("EBWebView/WV2Profile_tfw/Network/Cookies"),
            CacheClass::Session
        );
        assert_eq!(c("Backgrounds/Uploads/a.png"), CacheClass::UserData);
        assert_eq!(c("app_settings.json"), CacheClass::UserData);
        assert_eq!(c("Logs/MSTeams_2026-11-01.log"), CacheClass::Diagnostics);
        assert_eq!(
            c("EBWebView/Crashpad/reports/x.dmp"),
            CacheClass::Diagnostics
        );
        assert_eq!(c("tma_settings.json"), CacheClass::Other);
        let c = |p| class_of(&TEAMS_FOR_LINUX_LAYOUT, p);
        assert_eq!(
            c("Partitions/teams-4-linux/Cache/x"),
            CacheClass::Regenerable
        );
        assert_eq!(
            c("Partitions/teams-4-linux/IndexedDB/x"),
            CacheClass::Session
        );
        assert_eq!(c("config.json"), CacheClass::UserData);
        assert_eq!(c("logs/main.log"), CacheClass::Diagnostics);
        assert_eq!(c("Preferences"), CacheClass::Other);
        // The user's own files are kept in every mode; the caches Chromium rebuilds are not.
        for kept in [
            "settings.json",
            "teams_settings.json",
            "stickers/cat.png",
            "config.json",
        ] {
            assert_eq!(c(kept), CacheClass::UserData, "{kept}");
        }
        for regen in [
            "GrShaderCache/data_0",
            "GraphiteDawnCache/x",
            "ShaderCache/index",
            "blob_storage/a/1",
            "Service Worker/CacheStorage/h/0",
            "Partitions/teams-4-linux/Service Worker/CacheStorage/h/0",
            "Partitions/teams-4-linux/blob_storage/a/1",
        ] {
            assert_eq!(c(regen), CacheClass::Regenerable, "{regen}");
        }
        assert_eq!(
            c("Partitions/teams-4-linux/Service Worker/Database/x"),
            CacheClass::Session
        );
        // A root named on a command line keeps what no rule knows.
        assert_eq!(
            class_of(&TEAMS_FOR_LINUX_INSTANCE_LAYOUT, "my notes.txt"),
            CacheClass::UserData
        );
        assert_eq!(
            class_of(&TEAMS_FOR_LINUX_INSTANCE_LAYOUT, "Cache/x"),
            CacheClass::Regenerable
        );
        let c = |p| class_of(&NEW_TEAMS_LAYOUT, p);
        for regen in [
            "EBWebView/GrShaderCache/data_0",
            "EBWebView/GraphiteDawnCache/x",
            "EBWebView/ShaderCache/js",
        ] {
            assert_eq!(c(regen), CacheClass::Regenerable, "{regen}");
        }
        let c = |p| class_of(&CLASSIC_LAYOUT, p);
        assert_eq!(
            c("Service Worker/CacheStorage/a/b"),
            CacheClass::Regenerable
        );
        assert_eq!(c("Service Worker/Database/x"), CacheClass::Other);
        assert_eq!(c("Local Storage/leveldb/1.ldb"), CacheClass::Session);
        assert_eq!(c("desktop-config.json"), CacheClass::UserData);
        assert_eq!(c("main.log"), CacheClass::Diagnostics);
        assert_eq!(
            c(".teamsfix-trash-2026-01-01_00-00-00-1/0/x"),
            CacheClass::Regenerable
        );
    }

    #[test]
    fn only_linux_clients_have_instance_roots() {
        for c in CLIENTS {
            assert!(c.instances.is_none() || c.os == Os::Linux, "{}", c.id);
        }
    }

    #[test]
    fn no_windows_client_reads_its_version_from_a_command() {
        // version.rs leaves command_version out of the Windows build on this ground.
        for c in CLIENTS.iter().filter(|c| c.os == Os::Windows) {
            assert!(
                !c.version
                    .iter()
                    .any(|v| matches!(v, VersionSource::CommandOutput { .. })),
                "{}",
                c.id
            );
        }
    }

    #[test]
    fn process_matchers_never_match_bare_webview2() {
        let c = client("windows-new").unwrap();
        for m in c.processes {
            if let ProcessMatcher::ExeName(n) = m {
                assert!(!n.eq_ignore_ascii_case("msedgewebview2.exe"));
            }
        }
    }

    // A data root of each layout, split into units and sized by the scanner.

    fn root(p: &std::path::Path) -> CheckedRoot {
        CheckedRoot {
            shown: p.into(),
            real: std::fs::canonicalize(p).unwrap(),
        }
    }

    fn file(p: std::path::PathBuf, len: usize) {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, vec![b'x'; len]).unwrap();
    }

    #[test]
    fn new_teams_tree_is_split_into_units_and_sized() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path();
        file(r.join("EBWebView/WV2Profile_tfw/Cache/Cache_Data/f1"), 100);
        file(r.join("EBWebView/WV2Profile_tfw/Cache/Cache_Data/f2"), 50);
        file(r.join("EBWebView/WV2Profile_tfw/IndexedDB/db"), 7);
        file(r.join("EBWebView/WV2Profile_tfw/Preferences"), 3);
        file(r.join("EBWebView/Crashpad/reports/a.dmp"), 9);
        file(r.join("Backgrounds/Uploads/mijn achtergrond é.png"), 11);
        file(r.join("app_settings.json"), 2);
        file(r.join("Logs/MSTeams_1.log"), 5);
        let s = scan(&root(r), &NEW_TEAMS_LAYOUT, &CancelToken::new());
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        assert_eq!(
            s.tallies.get(CacheClass::Regenerable),
            Tally {
                files: 2,
                bytes: 150
            }
        );
        assert_eq!(
            s.tallies.get(CacheClass::Session),
            Tally { files: 1, bytes: 7 }
        );
        assert_eq!(
            s.tallies.get(CacheClass::UserData),
            Tally {
                files: 2,
                bytes: 13
            }
        );
        assert_eq!(
            s.tallies.get(CacheClass::Diagnostics),
            Tally {
                files: 2,
                bytes: 14
            }
        );
        assert_eq!(
            s.tallies.get(CacheClass::Other),
            Tally { files: 1, bytes: 3 }
        );
        // The Cache folder is one unit, not one unit per file.
        assert_eq!(s.units_of(CacheClass::Regenerable).count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn links_and_fifos_are_units_and_never_followed() {
        let t = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        file(outside.path().join("big"), 1000);
        let r = t.path();
        file(r.join("Cache/a"), 1);
        std::os::unix::fs::symlink(outside.path(), r.join("Cache/escape")).unwrap();
        std::os::unix::fs::symlink(outside.path(), r.join("IndexedDB")).unwrap();
        let fifo = std::ffi::CString::new(r.join("Cache/pipe").to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        let s = scan(&root(r), &TEAMS_FOR_LINUX_LAYOUT, &CancelToken::new());
        assert_eq!(
            s.tallies.get(CacheClass::Regenerable),
            Tally { files: 3, bytes: 1 }
        );
        let link = s
            .units
            .iter()
            .find(|u| u.rel == std::path::Path::new("IndexedDB"))
            .unwrap();
        assert_eq!(link.kind, EntryKind::Link);
        assert_eq!(link.tally, Tally { files: 1, bytes: 0 });
    }
}
