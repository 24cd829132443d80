//! The support bundle: one zip to attach to a helpdesk ticket, holding the report (text and
//! JSON), teamsfix's journal, the logs of every Teams data root and the newest log archive per
//! client, and the support files Teams itself saves in the Downloads folder.
//!
//! Teams' own support files, as Microsoft names them ("Collect Teams client diagnostic logs for
//! Microsoft support", <https://learn.microsoft.com/en-us/microsoftteams/log-files>, 2024-09-11;
//! the VDI 2.0 troubleshooting page, 2025-05-29, names the zip `PROD-WebLogs-*.zip`): new Teams
//! writes "MS Teams Support Log Files" (a folder `MSTeams Support Logs ...`) and web logs named by
//! cloud, `Prod-Weblogs`, `Life-Weblogs`, `GCCH-Weblogs` and `DOD-Weblogs`; classic Teams wrote
//! `MSTeams Diagnostics Log <local date and time>` (a folder, earlier a `.txt` file; the
//! 2021 revision of the same page).
//!
//! Bounds: the zip never grows past its cap (default 100 MB); what did not fit is listed inside
//! it (`contents.txt`, `contents.json`). Bundles saved in teamsfix's own folder are pruned like
//! the log archives (`platform::retention`). With redaction, personal details are hidden in
//! everything teamsfix writes into the zip, in the text logs and in every name inside it; a file
//! that is not text cannot be cleaned and is left out (and listed).

use crate::cache::classes::CacheClass;
use crate::cache::scan;
use crate::clients::discover::Installation;
use crate::common::i18n::{Lang, Msg, tr, tr_args};
use crate::common::progress::CancelToken;
use crate::common::sizes::human_bytes;
use crate::common::timestamps::timestamp_for_file_names;
use crate::platform::dir_handle::Dir;
use crate::platform::retention::{self, Limits};
use crate::platform::user_folders::UserFolders;
use crate::report::helpdesk::Report;
use crate::report::{journal, redact};
use serde::Serialize;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Instant, SystemTime};

/// The default cap of one bundle.
pub const DEFAULT_MAX_BYTES: u64 = 100_000_000;
/// The smallest cap accepted: the reports, the journal and the contents lists must fit.
pub const MIN_MAX_BYTES: u64 = 1_000_000;
/// The largest cap: plain (not zip64) entries, and a size any ticket system refuses long before.
pub const MAX_MAX_BYTES: u64 = 4_000_000_000;
/// Bundles kept in teamsfix's data folder: the newest 5, at most 500 MB together.
pub const LIMITS: Limits = Limits {
    keep: 5,
    max_bytes: 500_000_000,
};
/// How many of each kind of Teams support file in the Downloads folder are taken, newest first
/// (estimated: Microsoft documents no number; older collections are rarely what a ticket is about).
const NEWEST_PER_KIND: usize = 3;
/// Teams' own support files in the Downloads folder, by the start of their names (compared
/// without regard to case); see the module comment for the source.
pub const DOWNLOADS_KINDS: [&str; 6] = [
    "PROD-WebLogs",
    "Life-WebLogs",
    "GCCH-WebLogs",
    "DOD-WebLogs",
    "MSTeams Support Logs",
    "MSTeams Diagnostics Log",
];
/// Room kept free under the cap for the contents lists and the zip's central directory.
const RESERVE: u64 = 160_000;
/// The contents lists name at most this many files each; the rest are counted.
const LIST_LINES: usize = 1000;
/// At most this many files are considered per source (a folder of logs).
const FILES_PER_SOURCE: usize = 20_000;

/// The folder in teamsfix's data folder where bundles are saved by default.
pub fn bundles_folder(app_data: &Path) -> PathBuf {
    app_data.join("bundles")
}

/// `2026-11-24_10-00-00_teamsfix-bundle_PC-042.zip`: the time first (so the bundles folder
/// sorts and prunes by time), then the computer's name.
pub fn default_file_name(host: Option<&str>) -> String {
    let host: String = host
        .unwrap_or("computer")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(63)
        .collect();
    format!("{}_teamsfix-bundle_{host}.zip", timestamp_for_file_names())
}

/// Where the zip goes.
#[derive(Clone, Debug)]
pub enum Destination {
    /// A new file with the default name in this folder (teamsfix's bundles folder: pruned).
    Folder(PathBuf),
    /// Exactly this file (`--output`): written in place, replaced if it exists, not pruned.
    File(PathBuf),
}

pub struct BundleRequest<'a> {
    pub report: &'a Report,
    pub lang: Lang,
    /// Hide personal details (the user name, e-mail addresses, the home folder).
    pub redact: bool,
    /// teamsfix's data folder: the journal and the log archives.
    pub app_data: &'a Path,
    pub folders: &'a UserFolders,
    /// The data roots whose logs go in (refused roots are left alone).
    pub installs: &'a [Installation],
    pub max_bytes: u64,
    pub cancel: &'a CancelToken,
}

/// A file in the bundle.
#[derive(Clone, Debug, Serialize)]
pub struct Included {
    /// Its name inside the zip.
    pub name: String,
    /// Its size before compression (after redaction).
    pub bytes: u64,
}

/// Why a file is not in the bundle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeftOutReason {
    /// It did not fit under the cap.
    TooBig,
    /// Personal details were to be hidden, but the file is not text.
    NotText,
    /// It could not be read (the detail says why).
    Unreadable,
}

#[derive(Clone, Debug, Serialize)]
pub struct LeftOut {
    /// The name it would have had inside the zip.
    pub name: String,
    pub bytes: u64,
    pub reason: LeftOutReason,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A bundle that was written.
#[derive(Clone, Debug, Serialize)]
pub struct Bundle {
    #[serde(serialize_with = "crate::common::lossy_path::one")]
    pub path: PathBuf,
    /// Size of the zip.
    pub bytes: u64,
    pub max_bytes: u64,
    pub redacted: bool,
    pub files: Vec<Included>,
    pub left_out: Vec<LeftOut>,
    pub elapsed_ms: u64,
    /// Older bundles removed from the bundles folder to stay within [`LIMITS`].
    #[serde(serialize_with = "crate::common::lossy_path::many")]
    pub pruned: Vec<PathBuf>,
}

/// Why no bundle was written. Nothing is left behind (a partial zip is removed).
#[derive(Clone, Debug)]
pub enum BundleError {
    Cancelled,
    /// The zip could not be written (a full disk, no permission).
    Write {
        path: PathBuf,
        reason: String,
    },
    /// The destination cannot hold a zip: a pipe or a terminal, which cannot seek back to
    /// finish the zip's headers (`--output /dev/stdout | ...`). Nothing was written.
    NotAFile {
        path: PathBuf,
    },
    /// Not enough free space for even a full bundle of what there is.
    NoSpace {
        path: PathBuf,
        need: u64,
        free: u64,
    },
    /// Another teamsfix is clearing, resetting or restoring (it would prune the archives being
    /// read): it did not finish within [`BUSY_WAIT`].
    Busy(Msg),
}

/// How long a bundle waits for another teamsfix's clear or restore to finish.
pub const BUSY_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

impl BundleError {
    pub fn message(&self) -> Msg {
        match self {
            BundleError::Cancelled => Msg::new("helpdesk.bundle.cancelled"),
            BundleError::Write { path, reason } => Msg::new("helpdesk.bundle.write_failed")
                .arg("path", path.display())
                .arg("reason", reason),
            BundleError::NotAFile { path } => {
                Msg::new("report.bundle_needs_a_file").arg("path", path.display())
            }
            BundleError::NoSpace { path, need, free } => Msg::new("helpdesk.bundle.no_space")
                .arg("path", path.display())
                .arg("need", human_bytes(*need))
                .arg("free", human_bytes(*free)),
            BundleError::Busy(m) => m.clone(),
        }
    }
}

/// Writes a support bundle to `dest`.
pub fn write(req: &BundleRequest, dest: &Destination) -> Result<Bundle, BundleError> {
    // A clear or restore of another teamsfix would prune the archives and backups read here.
    let _lock = crate::platform::instance_lock::acquire(
        req.app_data,
        crate::platform::instance_lock::Job::Bundle,
        BUSY_WAIT,
    )
    .map_err(BundleError::Busy)?;
    let started = Instant::now();
    let max_bytes = req.max_bytes.clamp(MIN_MAX_BYTES, MAX_MAX_BYTES);
    let redaction = req.redact.then(|| Redaction {
        home: req.folders.home.to_string_lossy().into_owned(),
        user: req.report.machine.user.clone(),
        audit: req
            .report
            .audit
            .as_ref()
            .map(|a| a.personal_values().to_vec())
            .unwrap_or_default(),
    });
    let fixed = fixed_files(req, redaction.as_ref());
    let candidates = gather(req);

    // Where the bytes go: the bundles folder gets a hidden work file renamed at the end.
    let (path, work) = match dest {
        Destination::Folder(dir) => {
            let name = default_file_name(req.report.machine.host.as_deref());
            // Per process: two bundles in the same second (a script and the app) never write
            // into one file.
            let work = dir.join(format!(".{name}.{}.partial", std::process::id()));
            (dir.join(&name), work)
        }
        Destination::File(p) => (p.clone(), p.clone()),
    };
    let write_error = |e: &std::io::Error| BundleError::Write {
        path: path.clone(),
        reason: crate::cache::tree_walk::describe_io_error(e),
    };
    if let Destination::Folder(dir) = dest {
        std::fs::create_dir_all(dir).map_err(|e| write_error(&e))?;
        let need = candidates
            .iter()
            .map(|c| c.bytes)
            .sum::<u64>()
            .saturating_add(RESERVE)
            .min(max_bytes);
        if let Some(free) = retention::available_space(dir)
            && free < need
        {
            return Err(BundleError::NoSpace {
                path: dir.clone(),
                need,
                free,
            });
        }
    }
    // The logs and the report inside are the user's: a new zip is readable by the user only
    // (Unix 0600, whatever the umask; a file named with --output that exists keeps its own).
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut file = opts.open(&work).map_err(|e| write_error(&e))?;
    if file.stream_position().is_err() {
        return Err(BundleError::NotAFile { path });
    }
    let created_regular = file.metadata().map(|m| m.is_file()).unwrap_or(false);
    let cleanup = || {
        if created_regular {
            let _ = std::fs::remove_file(&work);
        }
    };
    let result = fill(
        file,
        req,
        max_bytes,
        &fixed,
        &candidates,
        redaction.as_ref(),
    );
    let (bytes, files, left_out) = match result {
        Ok(r) => r,
        Err(Fill::Cancelled) => {
            cleanup();
            return Err(BundleError::Cancelled);
        }
        Err(Fill::Io(e)) => {
            cleanup();
            return Err(write_error(&e));
        }
    };
    let mut pruned = Vec::new();
    let mut written = path.clone();
    if let Destination::Folder(dir) = dest {
        match put_in_place(&work, &path) {
            Ok(p) => written = p,
            Err(e) => {
                cleanup();
                return Err(write_error(&e));
            }
        }
        pruned = retention::prune(dir, LIMITS).removed;
    }
    Ok(Bundle {
        path: written,
        bytes,
        max_bytes,
        redacted: req.redact,
        files,
        left_out,
        elapsed_ms: started.elapsed().as_millis() as u64,
        pruned,
    })
}

/// Gives the finished work file its name, never over another bundle: `<name>.zip`, else
/// `<name>-2.zip`, `-3`... (a second bundle in the same second). Returns the name it got.
fn put_in_place(work: &Path, path: &Path) -> std::io::Result<PathBuf> {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    for n in 1..=100 {
        let candidate = if n == 1 {
            path.to_path_buf()
        } else {
            path.with_file_name(format!("{stem}-{n}.zip"))
        };
        // A second name made only when none exists (no replace), then the work name goes.
        match std::fs::hard_link(work, &candidate) {
            Ok(()) => {
                let _ = std::fs::remove_file(work);
                return Ok(candidate);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            // No hard links on this file system (FAT on a stick): rename where nothing is.
            Err(_) if std::fs::symlink_metadata(&candidate).is_err() => {
                std::fs::rename(work, &candidate)?;
                return Ok(candidate);
            }
            Err(_) => continue,
        }
    }
    Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists))
}

/// What redaction hides.
struct Redaction {
    home: String,
    user: Option<String>,
    /// The tenant audit's tenant ids, names and domains (as the report's own redaction hides).
    audit: Vec<String>,
}

impl Redaction {
    fn apply(&self, text: &str) -> String {
        let text = redact::redact(text, Some(&self.home), self.user.as_deref());
        redact::hide_values(&text, &self.audit, "<hidden>")
    }
}

fn hide(redaction: Option<&Redaction>, text: &str) -> String {
    redaction.map_or_else(|| text.to_string(), |r| r.apply(text))
}

/// The files teamsfix writes itself: the report as text and JSON, and the journal.
fn fixed_files(req: &BundleRequest, redaction: Option<&Redaction>) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![
        (
            "teamsfix-report.txt".to_string(),
            hide(redaction, &req.report.to_text(req.lang)).into_bytes(),
        ),
        (
            "teamsfix-report.json".to_string(),
            hide(redaction, &req.report.to_json()).into_bytes(),
        ),
    ];
    // The journal is small (it keeps 200 records); bounded here anyway.
    if let Ok(f) = std::fs::File::open(journal::file(req.app_data)) {
        let mut text = String::new();
        if f.take(4_000_000).read_to_string(&mut text).is_ok() {
            out.push((
                "teamsfix-journal.jsonl".to_string(),
                hide(redaction, &text).into_bytes(),
            ));
        }
    }
    out
}

/// A file that may go into the bundle.
#[derive(Clone, Debug)]
struct Candidate {
    /// Its name inside the zip, before redaction.
    name: String,
    source: Source,
    bytes: u64,
    modified: SystemTime,
    /// Lower goes first: Teams' own support files, then logs and archives.
    tier: u8,
}

/// Where a candidate's bytes come from.
#[derive(Clone, Debug)]
enum Source {
    /// A file of teamsfix's own folders or of Downloads, opened by path (never through a link
    /// as its last component).
    Path(PathBuf),
    /// A log in a data root: read through the data root's handle, as a clear's archive reads
    /// it (no folder on the way followed as a link, no file with other names).
    InRoot(Arc<Dir>, PathBuf),
}

impl Source {
    fn open(&self) -> std::io::Result<std::fs::File> {
        match self {
            Source::Path(p) => open_regular(p),
            Source::InRoot(root, rel) => crate::cache::archive::open_log(root, rel),
        }
    }
}

/// Every file that may go in, in the order they are tried: Teams' support files from the
/// Downloads folder first (what Microsoft support asks for), then the text logs in each data root
/// and in the newest log archive per client, then their other files, newest first.
fn gather(req: &BundleRequest) -> Vec<Candidate> {
    let mut out = Vec::new();
    let downloads = downloads_folder(req.folders);
    for (path, name) in downloads_entries(&downloads) {
        files_below(&path, &format!("downloads/{name}"), 0, &mut out);
    }
    for inst in req.installs {
        let Ok(root) = &inst.root else { continue };
        // Through the data root's handle, as a clear reads the logs it archives.
        let Ok(dir) = crate::platform::root_handle::open(root) else {
            continue;
        };
        let units = scan::classify_in(&dir, &root.shown, inst.root_spec.layout);
        let diagnostics: Vec<&scan::Unit> = units.units_of(CacheClass::Diagnostics).collect();
        let plan = crate::cache::archive::plan(&dir, &root.shown, &diagnostics, u64::MAX);
        let dir = Arc::new(dir);
        for f in plan.chosen.into_iter().take(FILES_PER_SOURCE) {
            let rel = f.rel.to_string_lossy().replace('\\', "/");
            out.push(Candidate {
                name: format!("logs/{}/{rel}", inst.label()),
                source: Source::InRoot(dir.clone(), f.rel),
                bytes: f.len,
                modified: f.modified.unwrap_or(SystemTime::UNIX_EPOCH),
                tier: 1,
            });
        }
    }
    let archives = req.app_data.join("archives");
    for folder in newest_archive_per_client(&archives) {
        let name = folder.file_name().map(|n| n.to_string_lossy().into_owned());
        if let Some(name) = name {
            files_below(&folder, &format!("archives/{name}"), 2, &mut out);
        }
    }
    // Teams' support files first; then every text log (what support reads first) before the
    // other files (Microsoft asks for media logs and dumps only on request); the logs in the
    // data roots before the archives; newest first.
    out.sort_by_key(|c| {
        (
            c.tier > 0,
            !looks_like_text(&c.name),
            c.tier,
            std::cmp::Reverse(c.modified),
        )
    });
    out
}

/// `.log`, `.txt`, `.json` and the like, by name.
fn looks_like_text(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".log", ".txt", ".json", ".jsonl", ".csv", ".xml", ".md"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// The user's Downloads folder: the system's (XDG user dirs, the Windows known folder) when it
/// belongs to the same home, else `<home>/Downloads`.
fn downloads_folder(folders: &UserFolders) -> PathBuf {
    directories::UserDirs::new()
        .filter(|d| d.home_dir() == folders.home)
        .and_then(|d| d.download_dir().map(Path::to_path_buf))
        .unwrap_or_else(|| folders.home.join("Downloads"))
}

/// The Teams support files and folders directly in `downloads`, the newest few of each kind.
fn downloads_entries(downloads: &Path) -> Vec<(PathBuf, String)> {
    let Ok(read) = std::fs::read_dir(downloads) else {
        return Vec::new();
    };
    let mut found: Vec<(usize, SystemTime, PathBuf, String)> = Vec::new();
    for entry in read.flatten().take(100_000) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(kind) = DOWNLOADS_KINDS.iter().position(|k| {
            name.len() >= k.len() && name.as_bytes()[..k.len()].eq_ignore_ascii_case(k.as_bytes())
        }) else {
            continue;
        };
        // Links are never followed (`DirEntry::metadata` does not follow them).
        let Ok(meta) = entry.metadata() else { continue };
        if !(meta.is_file() || meta.is_dir()) {
            continue;
        }
        let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
        found.push((kind, modified, entry.path(), name));
    }
    found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut out = Vec::new();
    for kind in 0..DOWNLOADS_KINDS.len() {
        out.extend(
            found
                .iter()
                .filter(|f| f.0 == kind)
                .take(NEWEST_PER_KIND)
                .map(|f| (f.2.clone(), f.3.clone())),
        );
    }
    out
}

/// The newest archive folder of each data root in teamsfix's archive folder (named
/// `<time>_<client>-<variant>`, with `-2`, `-3` for a second one in the same second).
fn newest_archive_per_client(archives: &Path) -> Vec<PathBuf> {
    let mut newest: std::collections::BTreeMap<String, PathBuf> = Default::default();
    for entry in retention::entries(archives) {
        let Some(name) = entry.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        let Some(label) = name.get(20..) else {
            continue;
        };
        let label = match label.rsplit_once('-') {
            Some((base, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => base,
            _ => label,
        };
        // `entries` sorts oldest first: the last one seen is the newest.
        newest.insert(label.to_string(), entry);
    }
    newest.into_values().collect()
}

/// The regular files at or below `start` (links and special files are never followed or
/// opened), named `<prefix>/<relative path>`.
fn files_below(start: &Path, prefix: &str, tier: u8, out: &mut Vec<Candidate>) {
    let walker = walkdir::WalkDir::new(start)
        .follow_links(false)
        .follow_root_links(false);
    for entry in walker.into_iter().flatten().take(FILES_PER_SOURCE) {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        let rel = entry
            .path()
            .strip_prefix(start)
            .map(|r| r.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let name = if rel.is_empty() {
            prefix.to_string()
        } else {
            format!("{prefix}/{rel}")
        };
        out.push(Candidate {
            name,
            source: Source::Path(entry.path().to_path_buf()),
            bytes: meta.len(),
            modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            tier,
        });
    }
}

/// Why filling the zip stopped.
enum Fill {
    Cancelled,
    Io(std::io::Error),
}

impl From<std::io::Error> for Fill {
    fn from(e: std::io::Error) -> Fill {
        Fill::Io(e)
    }
}

impl From<zip::result::ZipError> for Fill {
    fn from(e: zip::result::ZipError) -> Fill {
        match e {
            zip::result::ZipError::Io(e) => Fill::Io(e),
            other => Fill::Io(std::io::Error::other(other.to_string())),
        }
    }
}

/// A writer that knows where it is, so the cap can be checked while a file is compressed.
struct Tracked<W> {
    inner: W,
    pos: Arc<AtomicU64>,
    /// The first write or seek that failed.
    broken: Option<std::io::Error>,
}

impl<W> Tracked<W> {
    /// After the first failure (a full disk), the zip is abandoned: what the zip writer still
    /// writes when it is dropped goes nowhere, so it neither retries nor prints its own message
    /// ("ZipWriter::drop: failed to finalize archive") over ours.
    fn failed<T>(&mut self, r: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(e) = &r
            && self.broken.is_none()
        {
            self.broken = Some(std::io::Error::new(e.kind(), e.to_string()));
        }
        r
    }
}

impl<W: Write> Write for Tracked<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.broken.is_some() {
            return Ok(buf.len());
        }
        let r = self.inner.write(buf);
        let n = self.failed(r)?;
        self.pos.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        if self.broken.is_some() {
            return Ok(());
        }
        let r = self.inner.flush();
        self.failed(r)
    }
}

impl<W: Seek> Seek for Tracked<W> {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        if self.broken.is_some() {
            return Ok(self.pos.load(Ordering::Relaxed));
        }
        let r = self.inner.seek(to);
        let p = self.failed(r)?;
        self.pos.store(p, Ordering::Relaxed);
        Ok(p)
    }
}

type Zip = zip::ZipWriter<Tracked<std::io::BufWriter<std::fs::File>>>;

/// How adding one file went.
enum Added {
    Yes(u64),
    TooBig,
    NotText,
}

/// Fills the zip: the fixed files, the candidates while they fit, the contents lists. Returns
/// the zip's size, what is in it and what is not.
fn fill(
    file: std::fs::File,
    req: &BundleRequest,
    max_bytes: u64,
    fixed: &[(String, Vec<u8>)],
    candidates: &[Candidate],
    redaction: Option<&Redaction>,
) -> Result<(u64, Vec<Included>, Vec<LeftOut>), Fill> {
    let pos = Arc::new(AtomicU64::new(0));
    let tracked = Tracked {
        inner: std::io::BufWriter::with_capacity(256 * 1024, file),
        pos: pos.clone(),
        broken: None,
    };
    let mut zip: Zip = zip::ZipWriter::new(tracked);
    let mut names = std::collections::HashSet::new();
    let mut files = Vec::new();
    let mut left_out = Vec::new();
    // The central directory grows with every entry: keep room for it.
    let mut directory = 1024u64;
    let limit = |directory: u64| max_bytes.saturating_sub(RESERVE + directory);

    for (name, bytes) in fixed {
        zip.start_file(name.as_str(), options(SystemTime::now()))?;
        zip.write_all(bytes)?;
        directory += entry_overhead(name);
        names.insert(name.clone());
        files.push(Included {
            name: name.clone(),
            bytes: bytes.len() as u64,
        });
    }
    for c in candidates {
        if req.cancel.is_cancelled() {
            return Err(Fill::Cancelled);
        }
        let name = unique(&mut names, hide(redaction, &c.name));
        let left = |reason, detail| LeftOut {
            name: name.clone(),
            bytes: c.bytes,
            reason,
            detail,
        };
        let room =
            limit(directory + entry_overhead(&name)).saturating_sub(pos.load(Ordering::Relaxed));
        // Logs compress well, but not 50 times: do not even try what cannot fit.
        if room < 256 || c.bytes / 50 > room {
            left_out.push(left(LeftOutReason::TooBig, None));
            continue;
        }
        let source = match c.source.open() {
            Ok(f) => f,
            Err(e) => {
                let detail = Some(hide(
                    redaction,
                    &crate::cache::tree_walk::describe_io_error(&e),
                ));
                left_out.push(left(LeftOutReason::Unreadable, detail));
                continue;
            }
        };
        // A log still being written: take what was there when it was opened.
        let mut reader = BufReader::with_capacity(64 * 1024, source.take(c.bytes));
        let head = match reader.fill_buf() {
            Ok(h) => h,
            Err(e) => {
                let detail = Some(hide(
                    redaction,
                    &crate::cache::tree_walk::describe_io_error(&e),
                ));
                left_out.push(left(LeftOutReason::Unreadable, detail));
                continue;
            }
        };
        if redaction.is_some() && head.contains(&0) {
            left_out.push(left(LeftOutReason::NotText, None));
            continue;
        }
        // Encrypted media logs, zips and dumps do not shrink: stored as they are, much faster.
        let method = if compresses(head) {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        zip.start_file(
            name.as_str(),
            options(c.modified).compression_method(method),
        )?;
        let cap = limit(directory + entry_overhead(&name));
        match add(&mut zip, reader, redaction, &pos, cap, req.cancel) {
            Ok(Added::Yes(bytes)) => {
                directory += entry_overhead(&name);
                files.push(Included { name, bytes });
            }
            Ok(Added::TooBig) => {
                zip.abort_file()?;
                names.remove(&name);
                left_out.push(left(LeftOutReason::TooBig, None));
            }
            Ok(Added::NotText) => {
                zip.abort_file()?;
                names.remove(&name);
                left_out.push(left(LeftOutReason::NotText, None));
            }
            Err(Fill::Io(e)) if is_read_error(&e) => {
                zip.abort_file()?;
                names.remove(&name);
                let detail = Some(hide(
                    redaction,
                    &crate::cache::tree_walk::describe_io_error(&e),
                ));
                left_out.push(left(LeftOutReason::Unreadable, detail));
            }
            Err(e) => return Err(e),
        }
    }
    let (text, json) = contents(req, max_bytes, &files, &left_out);
    for (name, body) in [("contents.txt", text), ("contents.json", json)] {
        zip.start_file(name, options(SystemTime::now()))?;
        zip.write_all(hide(redaction, &body).as_bytes())?;
    }
    let mut tracked = zip.finish()?;
    // A failure the zip writer did not pass on still fails the bundle.
    if let Some(e) = tracked.broken.take() {
        return Err(Fill::Io(e));
    }
    let end = pos.load(Ordering::Relaxed);
    let file = tracked
        .inner
        .into_inner()
        .map_err(|e| Fill::Io(e.into_error()))?;
    // An aborted file may have left bytes past the end of the directory: cut them off.
    file.set_len(end)?;
    file.sync_all().or_else(|e| {
        // Devices and pipes cannot be synced; a full disk still fails above.
        if file.metadata().map(|m| m.is_file()).unwrap_or(false) {
            Err(e)
        } else {
            Ok(())
        }
    })?;
    Ok((end, files, left_out))
}

/// Whether the start of a file shrinks when deflated (quickly, at the fastest level): text logs
/// do, encrypted or already compressed data does not.
fn compresses(head: &[u8]) -> bool {
    if head.len() < 512 {
        return true;
    }
    let mut c = flate2::Compress::new(flate2::Compression::fast(), false);
    let mut out = Vec::with_capacity(head.len() + 1024);
    if c.compress_vec(head, &mut out, flate2::FlushCompress::Finish)
        .is_err()
    {
        return true;
    }
    (c.total_out() as f64) < head.len() as f64 * 0.9
}

fn options(modified: SystemTime) -> zip::write::SimpleFileOptions {
    zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip_time(modified))
        .unix_permissions(0o644)
}

/// Bytes one entry adds to the central directory (its header, name and extra fields).
fn entry_overhead(name: &str) -> u64 {
    46 + name.len() as u64 + 64
}

/// `name`, or `name (2)` and so on when redaction made two names alike.
fn unique(names: &mut std::collections::HashSet<String>, name: String) -> String {
    let mut candidate = name.clone();
    let mut n = 2;
    while names.contains(&candidate) {
        candidate = format!("{name} ({n})");
        n += 1;
    }
    names.insert(candidate.clone());
    candidate
}

/// Read errors are marked so they leave one file out instead of failing the bundle.
fn is_read_error(e: &std::io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<ReadError>())
}

#[derive(Debug)]
struct ReadError(std::io::Error);

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", crate::cache::tree_walk::describe_io_error(&self.0))
    }
}

impl std::error::Error for ReadError {}

fn read_error(e: std::io::Error) -> std::io::Error {
    std::io::Error::new(e.kind(), ReadError(e))
}

/// Copies one file into the current zip entry, stopping when the zip would pass `cap`. With
/// redaction, a text file is cleaned line by line and anything else is refused.
fn add(
    zip: &mut Zip,
    mut reader: BufReader<std::io::Take<std::fs::File>>,
    redaction: Option<&Redaction>,
    pos: &AtomicU64,
    cap: u64,
    cancel: &CancelToken,
) -> Result<Added, Fill> {
    let mut written = 0u64;
    if let Some(r) = redaction {
        let mut line = Vec::new();
        loop {
            line.clear();
            // A line longer than 1 MB is cleaned in pieces of 1 MB.
            let n = (&mut reader)
                .take(1 << 20)
                .read_until(b'\n', &mut line)
                .map_err(read_error)?;
            if n == 0 {
                break;
            }
            if line.contains(&0) {
                return Ok(Added::NotText);
            }
            let clean = r.apply(&String::from_utf8_lossy(&line));
            zip.write_all(clean.as_bytes())?;
            written += clean.len() as u64;
            if pos.load(Ordering::Relaxed) > cap {
                return Ok(Added::TooBig);
            }
            if cancel.is_cancelled() {
                return Err(Fill::Cancelled);
            }
        }
        return Ok(Added::Yes(written));
    }
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = reader.read(&mut buf).map_err(read_error)?;
        if n == 0 {
            break;
        }
        zip.write_all(&buf[..n])?;
        written += n as u64;
        if pos.load(Ordering::Relaxed) > cap {
            return Ok(Added::TooBig);
        }
        if cancel.is_cancelled() {
            return Err(Fill::Cancelled);
        }
    }
    Ok(Added::Yes(written))
}

/// Opens a regular file for reading without following a link and without blocking on a FIFO;
/// anything else is refused.
fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::OpenOptionsExt;
        // FILE_FLAG_OPEN_REPARSE_POINT: open a link or junction itself, never its target.
        opts.custom_flags(0x0020_0000);
    }
    let file = opts.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() || meta.file_type().is_symlink() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    // A file with other names (a hard link) may be a file from anywhere: never bundled. Read
    // on the opened handle, on every system (Windows: `GetFileInformationByHandle`).
    if crate::platform::dir_handle::link_count(&file)? > 1 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the file has other names (a hard link): not copied",
        ));
    }
    Ok(file)
}

fn zip_time(t: SystemTime) -> zip::DateTime {
    let offset = time::UtcOffset::current_local_offset().unwrap_or(time::UtcOffset::UTC);
    let dt = time::OffsetDateTime::from(t).to_offset(offset);
    zip::DateTime::from_date_and_time(
        u16::try_from(dt.year()).unwrap_or(1980),
        u8::from(dt.month()),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
    )
    .unwrap_or_default()
}

/// `contents.txt` (for people, in the report's language) and `contents.json` (for tools): what
/// is in the bundle and what is not, and why.
fn contents(
    req: &BundleRequest,
    max_bytes: u64,
    files: &[Included],
    left_out: &[LeftOut],
) -> (String, String) {
    let lang = req.lang;
    let mut t = String::new();
    t.push_str(&tr(lang, "helpdesk.bundle.contents.title"));
    t.push_str("\n\n");
    t.push_str(&tr_args(
        lang,
        "helpdesk.bundle.contents.intro",
        &[
            ("time", &req.report.generated_at),
            ("max", &human_bytes(max_bytes)),
        ],
    ));
    t.push('\n');
    if req.redact {
        t.push_str(&tr(lang, "helpdesk.bundle.contents.redacted"));
        t.push('\n');
    }
    t.push('\n');
    t.push_str(&tr_args(
        lang,
        "helpdesk.bundle.contents.included",
        &[("count", &(files.len() + 2).to_string())],
    ));
    t.push('\n');
    for f in files.iter().take(LIST_LINES) {
        t.push_str(&format!("  {}  ({})\n", f.name, human_bytes(f.bytes)));
    }
    if files.len() > LIST_LINES {
        t.push_str(&format!("  ... +{}\n", files.len() - LIST_LINES));
    }
    t.push_str("  contents.txt, contents.json\n\n");
    if left_out.is_empty() {
        t.push_str(&tr(lang, "helpdesk.bundle.contents.all_fit"));
        t.push('\n');
    } else {
        t.push_str(&tr_args(
            lang,
            "helpdesk.bundle.contents.left_out",
            &[("count", &left_out.len().to_string())],
        ));
        t.push('\n');
        for l in left_out.iter().take(LIST_LINES) {
            let reason = tr(lang, &format!("helpdesk.bundle.reason.{}", l.reason.id()));
            let detail = l
                .detail
                .as_deref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default();
            t.push_str(&format!(
                "  {}  ({}) - {reason}{detail}\n",
                l.name,
                human_bytes(l.bytes)
            ));
        }
        if left_out.len() > LIST_LINES {
            t.push_str(&format!("  ... +{}\n", left_out.len() - LIST_LINES));
        }
    }
    let json = serde_json::json!({
        "schema_version": crate::report::helpdesk::SCHEMA_VERSION,
        "generated_at": req.report.generated_at,
        "max_bytes": max_bytes,
        "redacted": req.redact,
        "files": files.len(),
        "files_listed": &files[..files.len().min(LIST_LINES)],
        "left_out_count": left_out.len(),
        "left_out": &left_out[..left_out.len().min(LIST_LINES)],
    });
    (t, serde_json::to_string_pretty(&json).unwrap_or_default())
}

impl LeftOutReason {
    pub fn id(&self) -> &'static str {
        match self {
            LeftOutReason::TooBig => "too_big",
            LeftOutReason::NotText => "not_text",
            LeftOutReason::Unreadable => "unreadable",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_never_replaces_another_of_the_same_second() {
        let t = tempfile::tempdir().unwrap();
        let path = t.path().join("2026-11-25_01-42-24_teamsfix-bundle_pc.zip");
        std::fs::write(&path, b"the first bundle").unwrap();
        std::fs::write(
            t.path()
                .join("2026-11-25_01-42-24_teamsfix-bundle_pc-2.zip"),
            b"2nd",
        )
        .unwrap();
        let work = t.path().join(".work.partial");
        std::fs::write(&work, b"the third").unwrap();
        let got = put_in_place(&work, &path).unwrap();
        assert_eq!(
            got,
            t.path()
                .join("2026-11-25_01-42-24_teamsfix-bundle_pc-3.zip")
        );
        assert_eq!(std::fs::read(&got).unwrap(), b"the third");
        assert_eq!(std::fs::read(&path).unwrap(), b"the first bundle");
        assert!(!work.exists());
        // The usual case: the name is free.
        let other = t.path().join("other.zip");
        std::fs::write(&work, b"x").unwrap();
        assert_eq!(put_in_place(&work, &other).unwrap(), other);
    }

    #[test]
    fn text_is_deflated_and_random_bytes_are_stored() {
        let text = "2026-11-24T10:00:00Z Inf event=login took=12ms\n".repeat(2000);
        assert!(compresses(text.as_bytes()));
        let mut x = 88172645463325252u64;
        let noise: Vec<u8> = (0..65536)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        assert!(!compresses(&noise));
    }

    #[test]
    fn default_names_sort_by_time_and_carry_the_computer() {
        let n = default_file_name(Some("PC 042/ü"));
        assert!(n.ends_with("_teamsfix-bundle_PC_042__.zip"), "{n}");
        assert_eq!(n.as_bytes()[4], b'-');
        assert_eq!(n.len(), 19 + "_teamsfix-bundle_PC_042__.zip".len());
    }

    #[test]
    fn newest_archive_per_client_by_name() {
        let t = tempfile::tempdir().unwrap();
        for name in [
            "2026-01-01_10-00-00_teams-for-linux-native",
            "2026-01-02_10-00-00_teams-for-linux-native",
            "2026-01-02_10-00-00_teams-for-linux-native-2",
            "2026-01-01_09-00-00_linux-classic-native",
        ] {
            std::fs::create_dir_all(t.path().join(name)).unwrap();
        }
        let mut got: Vec<String> = newest_archive_per_client(t.path())
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        got.sort();
        assert_eq!(
            got,
            [
                "2026-01-01_09-00-00_linux-classic-native",
                "2026-01-02_10-00-00_teams-for-linux-native-2"
            ]
        );
    }

    #[test]
    fn downloads_kinds_match_without_case_newest_first() {
        let t = tempfile::tempdir().unwrap();
        for (i, name) in [
            "PROD-WebLogs-1.zip",
            "prod-weblogs-2.zip",
            "PROD-WebLogs-3.zip",
            "PROD-WebLogs-4.zip",
            "holiday.jpg",
            "MSTeams Diagnostics Log 7_6_2021.txt",
        ]
        .iter()
        .enumerate()
        {
            let p = t.path().join(name);
            std::fs::write(&p, b"x").unwrap();
            let when =
                SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000 + i as u64);
            std::fs::File::options()
                .write(true)
                .open(&p)
                .unwrap()
                .set_modified(when)
                .unwrap();
        }
        let names: Vec<String> = downloads_entries(t.path())
            .into_iter()
            .map(|e| e.1)
            .collect();
        assert_eq!(
            names,
            [
                "PROD-WebLogs-4.zip",
                "PROD-WebLogs-3.zip",
                "prod-weblogs-2.zip",
                "MSTeams Diagnostics Log 7_6_2021.txt"
            ]
        );
    }
}
