//! A backup of what a full reset removes, so the reset can be undone (`repair::restore` puts it
//! back). It holds the sign-in and session data and the other app data of one data root; the
//! temporary cache (Teams rebuilds it) and the logs (archived before every clear anyway) are
//! left out, and the user's own data is never removed, so it needs no backup.
//!
//! The copy is the archive's hardened copy-out through the data root's handle
//! (`cache::archive::plan` and `archive`: folders opened without following links, special files
//! never opened, each file checked on its handle to be a regular file). Bounds are the log
//! archives' (`ArchiveLimits`: the CLI's `--archive-cap-mb`, `--archives-keep`,
//! `--archives-max-mb`, by default `retention::DEFAULT_ENTRY_CAP` and `DEFAULT_LIMITS`): one
//! backup holds at most the cap, whole units only (a half-copied database is worth nothing),
//! sign-in data first and smallest first; what does not fit is listed in its manifest. The
//! backups folder is pruned to the same limits after each new backup.

use crate::cache::archive;
use crate::cache::classes::{CacheClass, Layout};
use crate::cache::scan::{self, Tally, Unit};
use crate::common::i18n::Msg;
use crate::common::progress::CancelToken;
use crate::common::sizes::human_bytes;
use crate::platform::retention;
use crate::platform::safety::CheckedRoot;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, SystemTime};

/// The manifest inside every backup folder; a folder without it is incomplete and ignored.
pub const MANIFEST: &str = "teamsfix-backup.json";
pub const BACKUP_SCHEMA: u32 = 1;

/// The folder in teamsfix's data folder that holds the backups, one folder per reset of one
/// data root (`<time>_<client>-<variant>`).
pub fn backups_folder(app_data: &Path) -> PathBuf {
    app_data.join("backups")
}

/// Every backup this process takes carries the same run id, so "undo the last reset" finds all
/// the data roots one `clear-cache --mode full` reset together.
pub fn run_id() -> &'static str {
    static RUN: OnceLock<String> = OnceLock::new();
    RUN.get_or_init(|| {
        format!(
            "{}-{}",
            crate::common::timestamps::timestamp_for_file_names(),
            std::process::id()
        )
    })
}

/// What the data root was when the backup was taken; a restore refuses a root that changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RootIdentity {
    /// `folder`: a real folder (a data root is never anything else once checked).
    pub kind: String,
    /// The owner (`uid:1000` on Unix); `None` where teamsfix cannot read it.
    pub owner: Option<String>,
}

impl RootIdentity {
    /// The identity of a checked root as it is now.
    pub fn of(root: &CheckedRoot) -> std::io::Result<RootIdentity> {
        let meta = std::fs::symlink_metadata(&root.real)?;
        let kind = if meta.file_type().is_symlink() {
            "link"
        } else if meta.is_dir() {
            "folder"
        } else {
            "file"
        };
        Ok(RootIdentity {
            kind: kind.into(),
            owner: owner_of(&meta),
        })
    }
}

#[cfg(unix)]
fn owner_of(meta: &std::fs::Metadata) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    Some(format!("uid:{}", meta.uid()))
}

#[cfg(not(unix))]
fn owner_of(_meta: &std::fs::Metadata) -> Option<String> {
    None
}

/// One unit (a folder or file of one class) in the backup, or left out of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackedUnit {
    /// Relative to the data root, `/`-separated.
    pub rel: String,
    pub class: String,
    pub files: u64,
    pub bytes: u64,
}

/// One file in the backup and its modification time in the data root (Unix seconds and
/// nanoseconds), which a restore gives back to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackedFile {
    /// `/`-separated, for people (a name that is not valid Unicode shows U+FFFD here).
    pub rel: String,
    /// The exact path when `rel` is not it (a name that is not valid Unicode): hex of its bytes
    /// on Unix, of its UTF-16 units on Windows. What a restore uses when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rel_exact: Option<String>,
    pub bytes: u64,
    pub modified_s: i64,
    pub modified_ns: u32,
}

impl BackedFile {
    /// The file's path relative to the data root, exactly as it was.
    pub fn path(&self) -> PathBuf {
        self.rel_exact
            .as_deref()
            .and_then(exact_path)
            .unwrap_or_else(|| PathBuf::from(&self.rel))
    }

    pub fn modified(&self) -> SystemTime {
        if self.modified_s >= 0 {
            SystemTime::UNIX_EPOCH + Duration::new(self.modified_s as u64, self.modified_ns)
        } else {
            SystemTime::UNIX_EPOCH
        }
    }
}

/// `teamsfix-backup.json`: what a backup holds and where it belongs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub schema_version: u32,
    pub created_at: String,
    pub run: String,
    /// `client-variant`.
    pub label: String,
    pub client: String,
    pub variant: String,
    /// The data root as people know it.
    #[serde(serialize_with = "crate::common::lossy_path::one")]
    pub data_root: PathBuf,
    pub root: RootIdentity,
    pub units: Vec<BackedUnit>,
    pub files: Vec<BackedFile>,
    /// Units too big for the cap: a restore cannot bring these back.
    pub left_out: Vec<BackedUnit>,
    /// Links and special files met in the units: never copied, so never restored.
    pub skipped: Vec<String>,
    /// A record, not a backup: the full reset at `created_at` removed sign-in or app data and
    /// kept nothing to put back (run without a backup, or every unit over the cap: `left_out`). It
    /// stops "undo the last reset" from reaching back to an older backup of the same data root.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nothing_kept: bool,
}

impl Manifest {
    /// A manifest for `of`, made now in this run, that holds nothing yet.
    fn new(of: &BackupOf, root: RootIdentity) -> Manifest {
        Manifest {
            schema_version: BACKUP_SCHEMA,
            created_at: crate::common::timestamps::now_rfc3339(),
            run: run_id().to_string(),
            label: of.label.to_string(),
            client: of.client.to_string(),
            variant: of.variant.to_string(),
            data_root: of.shown_root.to_path_buf(),
            root,
            units: Vec::new(),
            files: Vec::new(),
            left_out: Vec::new(),
            skipped: Vec::new(),
            nothing_kept: false,
        }
    }

    pub fn total(&self) -> Tally {
        Tally {
            files: self.files.len() as u64,
            bytes: self.files.iter().map(|f| f.bytes).sum(),
        }
    }

    pub fn complete(&self) -> bool {
        self.left_out.is_empty()
    }

    /// Reads the manifest of the backup in `folder` (at most 64 MB).
    pub fn read(folder: &Path) -> Option<Manifest> {
        use std::io::Read;
        let f = std::fs::File::open(folder.join(MANIFEST)).ok()?;
        let mut text = String::new();
        f.take(64 << 20).read_to_string(&mut text).ok()?;
        let m: Manifest = serde_json::from_str(&text).ok()?;
        (m.schema_version == BACKUP_SCHEMA).then_some(m)
    }
}

/// Which data root a backup is for.
pub struct BackupOf<'a> {
    pub label: &'a str,
    pub client: &'a str,
    pub variant: &'a str,
    pub shown_root: &'a Path,
}

/// A backup that was taken.
#[derive(Clone, Debug, Serialize)]
pub struct Backup {
    /// `None` when every unit was too big for the cap (then nothing was copied).
    #[serde(serialize_with = "crate::common::lossy_path::opt")]
    pub folder: Option<PathBuf>,
    pub files: u64,
    pub bytes: u64,
    /// Units too big for the cap (not in the backup).
    pub left_out: Vec<BackedUnit>,
    /// Older backups removed to stay within the limits.
    #[serde(skip)]
    pub pruned: Vec<PathBuf>,
}

/// The classes a full reset removes that are worth keeping.
pub fn backed_up(class: CacheClass) -> bool {
    matches!(class, CacheClass::Session | CacheClass::Other)
}

/// Takes a backup of what a full reset of `root` removes (see the module comment) into a new
/// folder in `backups`. `Ok(None)`: there is nothing to keep. An error means no backup exists
/// (a half-made one is removed): the caller must not reset.
pub fn take(
    root: &CheckedRoot,
    layout: &Layout,
    of: &BackupOf,
    backups: &Path,
    limits: archive::ArchiveLimits,
) -> Result<Option<Backup>, Msg> {
    let cap = limits.cap;
    let failed = |reason: String| Msg::new("helpdesk.backup.failed").arg("reason", reason);
    let identity = RootIdentity::of(root).map_err(|e| failed(describe(&e)))?;
    let dir = crate::platform::root_handle::open(root).map_err(|e| failed(describe(&e)))?;
    let shown = root.shown.as_path();
    let s = scan::classify_in(&dir, shown, layout);
    let mut units: Vec<Unit> = s.units.into_iter().filter(|u| backed_up(u.class)).collect();
    if units.is_empty() {
        // Nothing is lost, so an older backup still undoes the last reset that removed any.
        return Ok(None);
    }
    let mut problems = Vec::new();
    scan::size_units_in(&dir, shown, &mut units, &CancelToken::new(), &mut problems);
    if let Some(p) = problems.first() {
        return Err(failed(format!("{}: {}", p.path.display(), p.reason)));
    }
    // Whole units, sign-in data first, smallest first, while they fit under the cap.
    units.sort_by_key(|u| (u.class != CacheClass::Session, u.tally.bytes));
    let mut total = 0u64;
    let (mut chosen, mut left_out) = (Vec::new(), Vec::new());
    for u in units {
        if total + u.tally.bytes <= cap {
            total += u.tally.bytes;
            chosen.push(u);
        } else {
            left_out.push(backed_unit(&u));
        }
    }
    if chosen.is_empty() {
        // Everything is too big: no backup, and the caller says what could not be kept.
        record_nothing_kept(root, of, backups, left_out.clone(), limits.keep);
        return Ok(Some(Backup {
            folder: None,
            files: 0,
            bytes: 0,
            left_out,
            pruned: Vec::new(),
        }));
    }
    // Room for the copy and some to spare: a backup must not fill the disk.
    let need = total + total / 10 + 10_000_000;
    if let Some(free) = retention::available_space(backups)
        && free < need
    {
        return Err(Msg::new("helpdesk.backup.no_space")
            .arg("need", human_bytes(need))
            .arg("free", human_bytes(free)));
    }
    let refs: Vec<&Unit> = chosen.iter().collect();
    // Every file of the chosen units (the cap was applied to whole units above).
    let plan = archive::plan(&dir, shown, &refs, u64::MAX);
    let limits = archive::ArchiveLimits {
        cap: u64::MAX,
        keep: limits.keep,
    };
    let copied = archive::archive(&dir, shown, &plan, backups, of.label, limits);
    let Some(folder) = copied.folder.clone() else {
        let reason = copied
            .failures
            .first()
            .map(|p| format!("{}: {}", p.path.display(), p.reason))
            .unwrap_or_default();
        return Err(failed(reason));
    };
    let remove_half_made = |reason: String| {
        let _ = std::fs::remove_dir_all(&folder);
        failed(reason)
    };
    if let Some(p) = copied.failures.first() {
        return Err(remove_half_made(format!(
            "{}: {}",
            p.path.display(),
            p.reason
        )));
    }
    let files = backed_files(&plan);
    let manifest = Manifest {
        units: chosen.iter().map(backed_unit).collect(),
        files,
        left_out: left_out.clone(),
        skipped: copied
            .skipped
            .iter()
            .filter_map(|p| p.strip_prefix(shown).ok())
            .map(slashed)
            .collect(),
        ..Manifest::new(of, identity)
    };
    if let Err(e) = write_manifest(&folder, &manifest) {
        return Err(remove_half_made(describe(&e)));
    }
    // `archive::archive` pruned the backups folder to `limits.keep`.
    let pruned = copied.pruned;
    let t = manifest.total();
    Ok(Some(Backup {
        folder: Some(folder),
        files: t.files,
        bytes: t.bytes,
        left_out,
        pruned,
    }))
}

/// A full reset of `root` runs without a backup: when it removes something a backup would
/// have kept, record that it kept nothing (see [`record_nothing_kept`]).
pub fn record_reset_without_backup(
    root: &CheckedRoot,
    layout: &Layout,
    of: &BackupOf,
    backups: &Path,
    keep: retention::Limits,
) {
    let Ok(dir) = crate::platform::root_handle::open(root) else {
        return;
    };
    let s = scan::classify_in(&dir, root.shown.as_path(), layout);
    if s.units.iter().any(|u| backed_up(u.class)) {
        record_nothing_kept(root, of, backups, Vec::new(), keep);
    }
}

/// Writes the record of a full reset of `root` that keeps nothing to put back (see
/// [`Manifest::nothing_kept`]), then prunes the backups folder as a backup would. Best effort: a
/// record that cannot be written only means an undo may offer an older backup, which still
/// never overwrites a file that exists.
pub fn record_nothing_kept(
    root: &CheckedRoot,
    of: &BackupOf,
    backups: &Path,
    left_out: Vec<BackedUnit>,
    keep: retention::Limits,
) {
    let Ok(identity) = RootIdentity::of(root) else {
        return;
    };
    let Ok(folder) = archive::new_archive_folder(backups, of.label) else {
        return;
    };
    let record = Manifest {
        left_out,
        nothing_kept: true,
        ..Manifest::new(of, identity)
    };
    if write_manifest(&folder, &record).is_err() {
        let _ = std::fs::remove_dir_all(&folder);
        return;
    }
    retention::prune(backups, keep);
}

fn backed_unit(u: &Unit) -> BackedUnit {
    BackedUnit {
        rel: slashed(&u.rel),
        class: u.class.id().to_string(),
        files: u.tally.files,
        bytes: u.tally.bytes,
    }
}

/// A relative path with `/` separators (the manifest's form on every system).
pub fn slashed(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// [`BackedFile::rel_exact`] of `rel` (components joined by `/`).
fn exact_hex(rel: &Path) -> String {
    let mut units: Vec<u16> = Vec::new();
    for (i, c) in rel.components().enumerate() {
        if i > 0 {
            units.push(u16::from(b'/'));
        }
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            units.extend(c.as_os_str().as_bytes().iter().map(|b| u16::from(*b)));
        }
        #[cfg(windows)]
        {
            use std::os::windows::ffi::OsStrExt;
            units.extend(c.as_os_str().encode_wide());
        }
    }
    let width = if cfg!(windows) { 4 } else { 2 };
    units.iter().map(|u| format!("{u:0width$x}")).collect()
}

/// The path a [`BackedFile::rel_exact`] holds; `None` when it is not well formed.
fn exact_path(hex: &str) -> Option<PathBuf> {
    let width = if cfg!(windows) { 4 } else { 2 };
    if !hex.is_ascii() || !hex.len().is_multiple_of(width) {
        return None;
    }
    let units: Vec<u16> = (0..hex.len())
        .step_by(width)
        .map(|i| u16::from_str_radix(&hex[i..i + width], 16).ok())
        .collect::<Option<_>>()?;
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        let bytes: Vec<u8> = units.iter().map(|u| *u as u8).collect();
        Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
    }
    #[cfg(windows)]
    {
        use std::os::windows::ffi::OsStringExt;
        Some(PathBuf::from(std::ffi::OsString::from_wide(&units)))
    }
}

fn describe(e: &std::io::Error) -> String {
    crate::cache::tree_walk::describe_io_error(e)
}

/// Every file of the backup, with the size and modification time its original had in the data
/// root when it was listed (a restore gives the time back; the copy's own is the time of the copy).
fn backed_files(plan: &archive::ArchivePlan) -> Vec<BackedFile> {
    let mut out: Vec<BackedFile> = plan
        .chosen
        .iter()
        .map(|f| {
            let (s, ns) = match f.modified.map(|m| m.duration_since(SystemTime::UNIX_EPOCH)) {
                Some(Ok(d)) => (d.as_secs() as i64, d.subsec_nanos()),
                _ => (0, 0),
            };
            BackedFile {
                rel: slashed(&f.rel),
                rel_exact: f.rel.to_str().is_none().then(|| exact_hex(&f.rel)),
                bytes: f.len,
                modified_s: s,
                modified_ns: ns,
            }
        })
        .collect();
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    out
}

/// Writes the manifest last, through a temporary name: a backup without it is incomplete.
fn write_manifest(folder: &Path, m: &Manifest) -> std::io::Result<()> {
    use std::io::Write;
    let tmp = folder.join(format!(".{MANIFEST}.tmp"));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&tmp)?;
    f.write_all(
        serde_json::to_string_pretty(m)
            .unwrap_or_default()
            .as_bytes(),
    )?;
    f.sync_all()?;
    std::fs::rename(&tmp, folder.join(MANIFEST))
}

/// The backups in `backups` with a readable manifest, newest first.
pub fn list(backups: &Path) -> Vec<(PathBuf, Manifest)> {
    let mut out: Vec<(PathBuf, Manifest)> = retention::entries(backups)
        .into_iter()
        .filter_map(|p| Manifest::read(&p).map(|m| (p, m)))
        .collect();
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::classes::rule;

    static LAYOUT: Layout = Layout {
        rules: &[
            rule("Cache", CacheClass::Regenerable),
            rule("Cookies", CacheClass::Session),
            rule("IndexedDB", CacheClass::Session),
            rule("logs", CacheClass::Diagnostics),
            rule("config.json", CacheClass::UserData),
        ],
        default_class: CacheClass::Other,
    };

    fn write(path: &Path, bytes: usize) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, vec![7u8; bytes]).unwrap();
    }

    fn root(t: &Path) -> CheckedRoot {
        let real = std::fs::canonicalize(t).unwrap();
        CheckedRoot {
            shown: real.clone(),
            real,
        }
    }

    fn cap(bytes: u64) -> archive::ArchiveLimits {
        archive::ArchiveLimits {
            cap: bytes,
            ..Default::default()
        }
    }

    #[test]
    fn keeps_sign_in_data_first_whole_units_within_the_cap_and_prunes() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path().join("root");
        write(&r.join("Cache/data_0"), 9000);
        write(&r.join("Cookies"), 100);
        write(&r.join("IndexedDB/a/1.ldb"), 3000);
        write(&r.join("IndexedDB/a/2.ldb"), 2000);
        write(&r.join("Preferences"), 300);
        write(&r.join("logs/main.log"), 50);
        write(&r.join("config.json"), 10);
        let backups = t.path().join("backups");
        for day in 1..=10 {
            std::fs::create_dir_all(backups.join(format!("2020-01-{day:02}_00-00-00_old")))
                .unwrap();
        }
        let of = BackupOf {
            label: "teams-for-linux-native",
            client: "teams-for-linux",
            variant: "native",
            shown_root: &r,
        };
        let b = take(&root(&r), &LAYOUT, &of, &backups, cap(1000))
            .unwrap()
            .unwrap();
        let folder = b.folder.clone().unwrap();
        // Cookies (sign-in, 100 B) and Preferences (other, 300 B) fit; IndexedDB (5 kB) does not.
        assert_eq!((b.files, b.bytes), (2, 400));
        assert_eq!(b.left_out.len(), 1);
        assert_eq!(b.left_out[0].rel, "IndexedDB");
        assert_eq!(
            std::fs::read(folder.join("Cookies")).unwrap(),
            vec![7u8; 100]
        );
        assert!(!folder.join("Cache").exists() && !folder.join("logs").exists());
        assert!(!folder.join("config.json").exists());
        let m = Manifest::read(&folder).unwrap();
        assert_eq!(m.label, "teams-for-linux-native");
        assert!(!m.complete());
        assert_eq!(m.run, run_id());
        let rels: Vec<&str> = m.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, ["Cookies", "Preferences"]);
        let original = std::fs::metadata(r.join("Preferences"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(m.files[1].modified(), original);
        #[cfg(unix)]
        assert!(
            m.root
                .owner
                .as_deref()
                .is_some_and(|o| o.starts_with("uid:"))
        );
        // The backups folder keeps the newest 10: the oldest one went.
        assert_eq!(b.pruned.len(), 1);
        assert!(b.pruned[0].ends_with("2020-01-01_00-00-00_old"));
        assert_eq!(
            list(&backups).len(),
            1,
            "only folders with a manifest are backups"
        );
    }

    #[test]
    fn nothing_to_keep_is_no_backup() {
        let t = tempfile::tempdir().unwrap();
        let r = t.path().join("root");
        write(&r.join("Cache/data_0"), 10);
        write(&r.join("config.json"), 10);
        let of = BackupOf {
            label: "x-native",
            client: "x",
            variant: "native",
            shown_root: &r,
        };
        let backups = t.path().join("backups");
        assert!(
            take(&root(&r), &LAYOUT, &of, &backups, cap(1000))
                .unwrap()
                .is_none()
        );
        // Nothing is lost: no record either, so an undo still reaches the last reset that
        // removed sign-in data.
        assert!(!backups.exists());
    }
}
