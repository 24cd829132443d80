//! Property tests of clearing over random trees: nested folders, files, links to inside and to
//! outside the data root, hard links to a file outside, dangling links, FIFOs, unreadable
//! folders, non-ASCII, non-UTF-8 and very long names, leftovers of an interrupted run. For every
//! tree and mode:
//! - nothing outside the data root changes (a folder beside it, a folder outside the home), and
//!   nothing from outside is copied into an archive;
//! - the user's data is byte-identical afterwards;
//! - the dry run changes nothing and predicts what the real run removes, keeps and archives;
//! - a second run finds nothing to remove and no trash is left;
//! - every failure is reported at a path inside the data root as the user knows it.
#![cfg(unix)]

mod common;

use proptest::prelude::*;
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};
use teamsfix::cache::classes::{CacheClass, Layout};
use teamsfix::cache::clear::{self, ClearOutcome, ClearRequest, Mode};
use teamsfix::cache::scan;
use teamsfix::clients::client_table::{CLASSIC_LAYOUT, TEAMS_FOR_LINUX_LAYOUT};
use teamsfix::common::progress::{CancelToken, NoProgress};
use teamsfix::platform::safety::CheckedRoot;

#[derive(Clone, Debug)]
enum Spec {
    File(Vec<u8>),
    Dir(BTreeMap<OsString, Spec>),
    /// A folder nobody may read or enter (mode 000).
    Unreadable(BTreeMap<OsString, Spec>),
    LinkToOutsideDir,
    LinkToOutsideFile,
    /// A hard link to a file outside the data root: removing it is fine, copying it out is not.
    HardLinkToOutsideFile,
    /// A link to the user's own settings file inside the data root.
    LinkToUserData,
    Dangling,
    Fifo,
}

fn name() -> impl Strategy<Value = OsString> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "Cache", "GPUCache", "Code Cache", "IndexedDB", "Local Storage", "logs", "Crashpad",
            "Partitions", "teams-4-linux", "Cache_Data", "config.json", "Backgrounds", "Uploads",
            "settings.json", "desktop-config.json", "logs.txt", "media-stack", "Service Worker",
            "CacheStorage", "x.log", "Preferences", "tmp", ".teamsfix-trash-2026-01-01_00-00-00-7",
        ])
        .prop_map(OsString::from),
        1 => prop::sample::select(vec!["é ü", "日本語 フォルダ", "emoji 🎉", "line\nbreak", " lead"])
            .prop_map(OsString::from),
        1 => "[a-z]{1,8}".prop_map(OsString::from),
        // Very long: 250 bytes, close to NAME_MAX.
        1 => Just(OsString::from(format!("{}é", "l".repeat(248)))),
        // Not UTF-8.
        1 => Just(OsString::from_vec(vec![b'b', 0xff, 0xfe, b'z'])),
    ]
}

fn leaf() -> impl Strategy<Value = Spec> {
    prop_oneof![
        6 => prop::collection::vec(any::<u8>(), 0..300).prop_map(Spec::File),
        1 => Just(Spec::LinkToOutsideDir),
        1 => Just(Spec::LinkToOutsideFile),
        1 => Just(Spec::HardLinkToOutsideFile),
        1 => Just(Spec::LinkToUserData),
        1 => Just(Spec::Dangling),
        1 => Just(Spec::Fifo),
    ]
}

fn tree() -> impl Strategy<Value = BTreeMap<OsString, Spec>> {
    let spec = leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            6 => prop::collection::btree_map(name(), inner.clone(), 0..6).prop_map(Spec::Dir),
            1 => prop::collection::btree_map(name(), inner, 0..3).prop_map(Spec::Unreadable),
        ]
    });
    prop::collection::btree_map(name(), spec, 1..10)
}

struct World {
    _t: tempfile::TempDir,
    home: PathBuf,
    root: PathBuf,
    outside: PathBuf,
    archives: PathBuf,
    unreadable: Vec<PathBuf>,
}

fn build(dir: &Path, tree: &BTreeMap<OsString, Spec>, w: &mut World) {
    for (name, spec) in tree {
        let p = dir.join(name);
        match spec {
            Spec::File(bytes) => std::fs::write(&p, bytes).unwrap(),
            Spec::Dir(children) | Spec::Unreadable(children) => {
                std::fs::create_dir(&p).unwrap();
                build(&p, children, w);
                if matches!(spec, Spec::Unreadable(_)) {
                    w.unreadable.push(p.clone());
                }
            }
            Spec::LinkToOutsideDir => std::os::unix::fs::symlink(&w.outside, &p).unwrap(),
            Spec::LinkToOutsideFile => {
                std::os::unix::fs::symlink(w.outside.join("precious.txt"), &p).unwrap()
            }
            Spec::HardLinkToOutsideFile => {
                std::fs::hard_link(w.outside.join("precious.txt"), &p).unwrap()
            }
            Spec::LinkToUserData => {
                std::os::unix::fs::symlink(w.root.join("config.json"), &p).unwrap()
            }
            Spec::Dangling => std::os::unix::fs::symlink("no-such-target", &p).unwrap(),
            Spec::Fifo => {
                use std::os::unix::ffi::OsStrExt;
                let c = std::ffi::CString::new(p.as_os_str().as_bytes()).unwrap();
                // SAFETY: `c` is a valid NUL-terminated path.
                assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
            }
        }
    }
}

fn chmod(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode));
}

fn world(tree: &BTreeMap<OsString, Spec>, classic: bool, user_bytes: &[u8]) -> World {
    let t = tempfile::tempdir().unwrap();
    let base = std::fs::canonicalize(t.path()).unwrap();
    let home = base.join("home");
    let root = if classic {
        home.join(".config/Microsoft/Microsoft Teams")
    } else {
        home.join(".config/teams-for-linux")
    };
    let outside = base.join("outside");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::create_dir_all(outside.join("sub")).unwrap();
    std::fs::write(outside.join("precious.txt"), b"not yours").unwrap();
    std::fs::write(outside.join("sub/deeper.txt"), b"not yours either").unwrap();
    // A neighbour of the data root in the same user folder.
    std::fs::create_dir_all(home.join(".config/other-app")).unwrap();
    std::fs::write(home.join(".config/other-app/settings"), b"other").unwrap();
    let mut w = World {
        _t: t,
        home,
        root: root.clone(),
        outside,
        archives: base.join("data/archives"),
        unreadable: Vec::new(),
    };
    build(&root, tree, &mut w);
    // The user's own data, whatever the random tree put beside it.
    let user = if classic {
        root.join("Backgrounds/Uploads/mijn achtergrond é.png")
    } else {
        root.join("config.json")
    };
    if std::fs::symlink_metadata(&user).is_ok_and(|m| !m.is_file()) {
        let _ = std::fs::remove_dir_all(&user);
        let _ = std::fs::remove_file(&user);
    }
    // Anything not a folder on the way to it gives way.
    let mut up = user.parent();
    while let Some(dir) = up.filter(|d| d.starts_with(&root) && *d != root) {
        if std::fs::symlink_metadata(dir).is_ok_and(|m| !m.is_dir()) {
            std::fs::remove_file(dir).unwrap();
        }
        up = dir.parent();
    }
    std::fs::create_dir_all(user.parent().unwrap()).unwrap();
    std::fs::write(&user, user_bytes).unwrap();
    // Unreadable last, deepest first, so building could go on inside them.
    for p in w.unreadable.iter().rev() {
        chmod(p, 0o000);
    }
    w
}

impl Drop for World {
    fn drop(&mut self) {
        for p in &self.unreadable {
            chmod(p, 0o700);
        }
    }
}

/// Everything below `dir` except the data root and teamsfix's own data.
fn outside_the_root(w: &World) -> BTreeMap<PathBuf, String> {
    let mut all = common::snapshot(&w.home);
    let rel_root = w.root.strip_prefix(&w.home).unwrap().to_path_buf();
    all.retain(|p, _| !p.starts_with(&rel_root) || p == &rel_root);
    all.extend(
        common::snapshot(&w.outside)
            .into_iter()
            .map(|(p, v)| (Path::new("<outside>").join(p), v)),
    );
    all
}

/// The user's data: every entry of every unit of class `user_data`, with its content.
fn user_data(w: &World, layout: &Layout) -> BTreeMap<PathBuf, String> {
    let checked = checked(w);
    let s = scan::classify(&checked, layout);
    let mut out = BTreeMap::new();
    for u in s.units_of(CacheClass::UserData) {
        let p = w.root.join(&u.rel);
        let meta = std::fs::symlink_metadata(&p).unwrap();
        if meta.is_dir() {
            for (rel, v) in common::snapshot(&p) {
                out.insert(u.rel.join(rel), v);
            }
            out.insert(u.rel.clone(), "dir".into());
        } else if meta.is_file() {
            let bytes = std::fs::read(&p).unwrap();
            out.insert(u.rel.clone(), format!("file {bytes:?}"));
        } else {
            out.insert(u.rel.clone(), "link or special".into());
        }
    }
    out
}

fn checked(w: &World) -> CheckedRoot {
    CheckedRoot {
        shown: w.root.clone(),
        real: w.root.clone(),
    }
}

fn run(w: &World, layout: &Layout, mode: Mode, dry_run: bool) -> ClearOutcome {
    let cancel = CancelToken::new();
    let req = ClearRequest {
        mode,
        dry_run,
        archives: &w.archives,
        label: "prop",
        cancel: &cancel,
        progress: &NoProgress,
        archive_limits: Default::default(),
    };
    clear::clear(&checked(w), layout, &req)
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 40,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_clear_keeps_everything_it_must(
        t in tree(),
        classic in any::<bool>(),
        full in any::<bool>(),
        user_bytes in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let w = world(&t, classic, &user_bytes);
        let layout: &Layout = if classic { &CLASSIC_LAYOUT } else { &TEAMS_FOR_LINUX_LAYOUT };
        let mode = if full { Mode::Full } else { Mode::Safe };
        let outside_before = outside_the_root(&w);
        let users_before = user_data(&w, layout);
        let root_before = common::snapshot(&w.root);

        let dry = run(&w, layout, mode, true);
        prop_assert_eq!(&common::snapshot(&w.root), &root_before, "the dry run changed the data root");
        prop_assert!(!w.archives.exists(), "the dry run archived");

        let real = run(&w, layout, mode, false);
        prop_assert_eq!(&outside_the_root(&w), &outside_before, "something outside the data root changed");
        prop_assert_eq!(&user_data(&w, layout), &users_before, "the user's data changed");
        prop_assert_eq!(dry.removed, real.removed, "the dry run did not predict what goes");
        prop_assert_eq!(dry.kept, real.kept, "the dry run did not predict what stays");
        prop_assert_eq!(dry.archived, real.archived, "the dry run did not predict the archive");
        // Nothing from outside was copied out, not even through a hard link.
        for e in walkdir::WalkDir::new(&w.archives).into_iter().flatten() {
            if e.file_type().is_file() {
                prop_assert!(std::fs::read(e.path()).unwrap() != b"not yours",
                    "a file from outside the data root was archived: {}", e.path().display());
            }
        }
        if mode == Mode::Safe {
            prop_assert!(real.archive.is_none(), "a safe clear keeps the logs and writes no archive");
        }
        for f in &real.failures {
            prop_assert!(f.path.starts_with(&w.root), "failure outside the root: {:?}", f);
            let shown = f.path.to_string_lossy();
            prop_assert!(!shown.contains(&format!("{}-", clear::TRASH_PREFIX.trim_end_matches('-'))) || shown.contains("2026-01-01_00-00-00-7"),
                "a failure reported inside this run's trash: {:?}", f);
        }
        if is_root() {
            prop_assert!(real.failures.is_empty(), "failures: {:?}", real.failures);
        }

        let again = run(&w, layout, mode, false);
        prop_assert_eq!(again.removed_total().files, 0, "a second run removed something: {:?}", again.removed);
        prop_assert_eq!(&outside_the_root(&w), &outside_before);
        prop_assert_eq!(&user_data(&w, layout), &users_before);
        if is_root() {
            let trash: Vec<_> = std::fs::read_dir(&w.root).unwrap().flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with(clear::TRASH_PREFIX))
                .map(|e| e.file_name())
                .collect();
            prop_assert!(trash.is_empty(), "trash left behind: {:?}", trash);
        }
    }
}
