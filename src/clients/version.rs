//! Reading a client's version and judging it: ok, outdated, retired or unknown, with the reason.

use crate::clients::client_table::{ClientSpec, Lifecycle, VersionSource};
use crate::clients::processes::RunningProcess;
use crate::common::i18n::Msg;
use crate::platform::safety::CheckedRoot;
use serde::Serialize;
use std::io::Read;
use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Ok,
    Outdated,
    Retired,
    Unknown,
}

impl Verdict {
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Outdated => "outdated",
            Verdict::Retired => "retired",
            Verdict::Unknown => "unknown",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionCheck {
    pub version: Option<String>,
    /// Where the version was read (`settings.json`, `log`, `package`, ...).
    pub source: Option<&'static str>,
    pub verdict: Verdict,
    pub reason: Msg,
}

/// Four (or fewer) dot-separated numbers, e.g. `26072.521.4595.7966` or `1.6.00.4472`.
pub fn parse_version(s: &str) -> Option<Vec<u64>> {
    let s = s.trim().trim_start_matches(['v', 'V']);
    let parts: Option<Vec<u64>> = s.split('.').map(|p| p.parse().ok()).collect();
    parts.filter(|p| !p.is_empty() && p.len() <= 4)
}

pub fn parse_iso_date(s: &str) -> Option<time::Date> {
    let mut it = s.split('-').map(|p| p.parse::<i32>().ok());
    let (y, m, d) = (it.next()??, it.next()??, it.next()??);
    time::Date::from_calendar_date(
        y,
        time::Month::try_from(u8::try_from(m).ok()?).ok()?,
        u8::try_from(d).ok()?,
    )
    .ok()
}

/// The build date new Teams encodes in its first version number (`YYDDD`: `24335` is day 335
/// of 2024). An inference from Microsoft's published versions, not a documented format.
pub fn build_date_of(version: &[u64]) -> Option<time::Date> {
    let first = *version.first()?;
    let (yy, ddd) = (first / 1000, first % 1000);
    if !(19..=99).contains(&yy) || !(1..=366).contains(&ddd) {
        return None;
    }
    time::Date::from_ordinal_date(2000 + yy as i32, ddd as u16).ok()
}

/// Judges a version against the client's lifecycle on `today`.
pub fn judge(spec: &ClientSpec, version: Option<&str>, today: time::Date) -> (Verdict, Msg) {
    match spec.lifecycle {
        Lifecycle::Retired {
            since,
            replacement_key,
        } => (
            Verdict::Retired,
            Msg::new("version.retired")
                .arg("since", since)
                .arg("replacement_key", replacement_key),
        ),
        Lifecycle::Current {
            minimum,
            dated_versions,
        } => {
            let Some(v) = version.and_then(parse_version) else {
                return (Verdict::Unknown, Msg::new("version.unreadable"));
            };
            if let Some(min) = minimum.and_then(parse_version)
                && v < min
            {
                return (
                    Verdict::Outdated,
                    Msg::new("version.below_minimum").arg("minimum", minimum.unwrap_or_default()),
                );
            }
            if dated_versions && let Some(built) = build_date_of(&v) {
                let days = (today - built).whole_days();
                let months = (days / 30).max(0);
                if days > 92 {
                    return (
                        Verdict::Outdated,
                        Msg::new("version.too_old").arg("months", months),
                    );
                }
                if days > 31 {
                    return (Verdict::Ok, Msg::new("version.aging").arg("months", months));
                }
                return (Verdict::Ok, Msg::new("version.recent"));
            }
            (Verdict::Ok, Msg::new("version.no_lifecycle_data"))
        }
    }
}

pub fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// Reads the version from the client's sources in order and judges it.
pub fn check(
    spec: &ClientSpec,
    root: Option<&CheckedRoot>,
    running: &[RunningProcess],
) -> VersionCheck {
    let mut found = None;
    for source in spec.version {
        if let Some(v) = read_source(source, root, running, spec.id) {
            found = Some((v, source_name(source)));
            break;
        }
    }
    let (verdict, reason) = judge(spec, found.as_ref().map(|(v, _)| v.as_str()), today());
    VersionCheck {
        source: found.as_ref().map(|(_, s)| *s),
        version: found.map(|(v, _)| v),
        verdict,
        reason,
    }
}

fn source_name(s: &VersionSource) -> &'static str {
    match s {
        VersionSource::JsonKey { file, .. } => file,
        VersionSource::LogLine { .. } => "log",
        VersionSource::ProcessArg { .. } => "process",
        VersionSource::AppxPackageFamily(_) => "package",
        VersionSource::PlistKey { .. } => "Info.plist",
        VersionSource::CommandOutput { .. } => "command",
    }
}

fn read_source(
    source: &VersionSource,
    root: Option<&CheckedRoot>,
    running: &[RunningProcess],
    client: &str,
) -> Option<String> {
    match source {
        VersionSource::JsonKey { file, key } => {
            let text = read_capped(&root?.real.join(file), 1 << 20)?;
            let json: serde_json::Value = serde_json::from_str(&text).ok()?;
            let v = json.get(key)?.as_str()?.to_string();
            parse_version(&v).map(|_| v)
        }
        VersionSource::LogLine {
            dir,
            file_prefix,
            marker,
        } => {
            let dir = root?.real.join(dir);
            let mut logs: Vec<(std::time::SystemTime, std::path::PathBuf)> =
                std::fs::read_dir(&dir)
                    .ok()?
                    .flatten()
                    .filter(|e| e.file_name().to_string_lossy().starts_with(file_prefix))
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                    .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
                    .collect();
            logs.sort();
            logs.iter()
                .rev()
                .find_map(|(_, p)| version_after_marker(&read_tail(p, 4 << 20)?, marker))
        }
        VersionSource::ProcessArg { prefix } => running
            .iter()
            .filter(|p| p.client == client)
            .flat_map(|p| p.args.iter())
            .find_map(|a| a.strip_prefix(prefix).map(str::to_string))
            .filter(|v| parse_version(v).is_some()),
        VersionSource::AppxPackageFamily(family) => appx_version(family),
        VersionSource::PlistKey { plist, key } => {
            plist_string(&read_capped(Path::new(plist), 1 << 20)?, key)
        }
        VersionSource::CommandOutput { program, args } => command_version(program, args),
    }
}

#[cfg(windows)]
fn appx_version(family: &str) -> Option<String> {
    crate::platform::windows::appx_package_version(family)
}

#[cfg(not(windows))]
fn appx_version(_family: &str) -> Option<String> {
    None
}

fn read_capped(path: &Path, cap: u64) -> Option<String> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let mut s = String::new();
    std::fs::File::open(path)
        .ok()?
        .take(cap)
        .read_to_string(&mut s)
        .ok()?;
    Some(s)
}

/// The last `cap` bytes of a regular file as text (logs grow; the newest line is at the end).
fn read_tail(path: &Path, cap: u64) -> Option<String> {
    use std::io::{Seek, SeekFrom};
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() {
        return None;
    }
    let mut f = std::fs::File::open(path).ok()?;
    if meta.len() > cap {
        f.seek(SeekFrom::Start(meta.len() - cap)).ok()?;
    }
    let mut bytes = Vec::new();
    f.take(cap).read_to_end(&mut bytes).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// The version number that follows the last occurrence of `marker` in `text`.
pub fn version_after_marker(text: &str, marker: &str) -> Option<String> {
    text.rmatch_indices(marker).find_map(|(i, _)| {
        let v: String = text[i + marker.len()..]
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let v = v.trim_end_matches('.').to_string();
        parse_version(&v).map(|_| v)
    })
}

/// `CFBundleShortVersionString` and friends from an XML property list.
pub fn plist_string(xml: &str, key: &str) -> Option<String> {
    let at = xml.find(&format!("<key>{key}</key>"))?;
    let rest = &xml[at..];
    let start = rest.find("<string>")? + "<string>".len();
    let end = rest[start..].find("</string>")?;
    Some(rest[start..start + end].trim().to_string())
}

/// No client on Windows reads its version from a command's output (the table's
/// `CommandOutput` rows are Linux clients); not compiled there, which keeps the pipe code out of
/// the exe.
#[cfg(windows)]
fn command_version(_program: &str, _args: &[&str]) -> Option<String> {
    None
}

/// Runs `program args` (found in the absolute entries of PATH) for at most three seconds and takes the first
/// version-like word it prints.
#[cfg(not(windows))]
fn command_version(program: &str, args: &[&str]) -> Option<String> {
    let exe = find_on_path(program)?;
    let mut child = std::process::Command::new(exe)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20))
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
    let mut out = String::new();
    child
        .stdout
        .take()?
        .take(64 * 1024)
        .read_to_string(&mut out)
        .ok()?;
    out.split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.trim_start_matches(['v', 'V']))
        .find(|w| w.contains('.') && parse_version(w).is_some())
        .map(str::to_string)
}

/// `program` in the absolute entries of PATH (never a relative or empty one; see
/// `platform::programs`).
pub fn find_on_path(program: &str) -> Option<std::path::PathBuf> {
    crate::platform::programs::find_program(program)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clients::client_table::client;
    use time::macros::date;

    #[test]
    fn versions_parse_and_compare() {
        assert_eq!(
            parse_version("26072.521.4595.7966"),
            Some(vec![26072, 521, 4595, 7966])
        );
        assert_eq!(parse_version("1.6.00.4472"), Some(vec![1, 6, 0, 4472]));
        assert_eq!(parse_version("v2.1.3"), Some(vec![2, 1, 3]));
        assert!(parse_version("abc").is_none());
        assert!(parse_version("1.2.3.4.5").is_none());
        assert!(parse_version("23306.3314.2555.9628") < parse_version("23320.3021.2567.4799"));
    }

    #[test]
    fn verdicts_follow_the_lifecycle() {
        let new = client("windows-new").unwrap();
        let today = date!(2026 - 11 - 24);
        assert_eq!(judge(new, Some("26310.100.1.1"), today).0, Verdict::Ok);
        assert_eq!(
            judge(new, Some("26250.100.1.1"), today).1.key,
            "version.aging"
        );
        assert_eq!(
            judge(new, Some("26072.521.4595.7966"), today).0,
            Verdict::Outdated
        );
        assert_eq!(
            judge(new, Some("23306.3314.2555.9628"), today).1.key,
            "version.below_minimum"
        );
        assert_eq!(judge(new, None, today).0, Verdict::Unknown);
        let classic = client("windows-classic").unwrap();
        assert_eq!(
            judge(classic, Some("1.6.00.4472"), today).0,
            Verdict::Retired
        );
        assert_eq!(judge(classic, None, today).0, Verdict::Retired);
        let tfl = client("teams-for-linux").unwrap();
        assert_eq!(
            judge(tfl, Some("2.6.14"), today),
            (Verdict::Ok, Msg::new("version.no_lifecycle_data"))
        );
    }

    #[test]
    fn build_date_is_decoded() {
        assert_eq!(build_date_of(&[24335, 1]), Some(date!(2024 - 11 - 30)));
        assert_eq!(build_date_of(&[1, 6]), None);
    }

    #[test]
    fn markers_and_plists() {
        let log = "x\n2026-11-20 DesktopApp: Version: 25306.804.4102.7193 (x64)\nmore\n";
        assert_eq!(
            version_after_marker(log, "DesktopApp: Version:").as_deref(),
            Some("25306.804.4102.7193")
        );
        assert_eq!(
            version_after_marker("nothing", "DesktopApp: Version:"),
            None
        );
        let plist = "<dict><key>CFBundleShortVersionString</key>\n  <string>25306.804.4102.7193</string></dict>";
        assert_eq!(
            plist_string(plist, "CFBundleShortVersionString").as_deref(),
            Some("25306.804.4102.7193")
        );
    }

    #[test]
    fn lifecycle_dates_and_minimums_parse() {
        for c in crate::clients::client_table::CLIENTS {
            match c.lifecycle {
                Lifecycle::Retired { since, .. } => {
                    assert!(parse_iso_date(since).is_some())
                }
                Lifecycle::Current {
                    minimum: Some(m), ..
                } => assert!(parse_version(m).is_some()),
                Lifecycle::Current { .. } => {}
            }
        }
    }
}
