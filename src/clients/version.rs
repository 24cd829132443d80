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
    /// Still works, but Teams will soon ask for an update (build age from about 60 days).
    Aging,
    Outdated,
    /// A newer version is already installed: restarting Teams is the fix.
    Restart,
    Retired,
    Unknown,
}

impl Verdict {
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Aging => "aging",
            Verdict::Outdated => "outdated",
            Verdict::Restart => "restart",
            Verdict::Retired => "retired",
            Verdict::Unknown => "unknown",
        }
    }
}

/// Build age (days since the build date in the version number) from which a version is called
/// aging, and outdated. Microsoft counts its limits (an in-app alert from one month, a blocking
/// page after three months) from the release, which follows the build by some weeks; the build
/// date itself is an inference from the version number, not documented. Both are estimates,
/// chosen so "outdated" is said about when Microsoft's blocking page can be expected.
pub const AGING_FROM_DAYS: i64 = 60;
pub const OUTDATED_FROM_DAYS: i64 = 120;

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
    judge_in_use(spec, version, None, today)
}

/// Judges the version in use (`in_use`: running now, or last logged), knowing the newest
/// version installed on disk: when that is newer, restarting Teams is the fix.
pub fn judge_in_use(
    spec: &ClientSpec,
    in_use: Option<&str>,
    newest_installed: Option<&str>,
    today: time::Date,
) -> (Verdict, Msg) {
    match spec.lifecycle {
        Lifecycle::Retired {
            since,
            replacement_key,
        } => (
            Verdict::Retired,
            // `2025-07-01`: the day Microsoft documents; `2022-12`: only the month is known.
            Msg::new(if parse_iso_date(since).is_some() {
                "version.retired"
            } else {
                "version.retired_month"
            })
            .arg("since_date", since)
            .arg("replacement_key", replacement_key),
        ),
        Lifecycle::Current {
            minimum,
            dated_versions,
        } => {
            let Some(v) = in_use.and_then(parse_version) else {
                return (Verdict::Unknown, Msg::new("version.unreadable"));
            };
            if let Some(newer) = newest_installed.filter(|n| is_newer(n, &v)) {
                return (
                    Verdict::Restart,
                    Msg::new("version.restart_for_update")
                        .arg("in_use", in_use.unwrap_or_default())
                        .arg("newer", newer),
                );
            }
            if let Some(min) = minimum.and_then(parse_version)
                && v < min
            {
                return (
                    Verdict::Outdated,
                    Msg::new("version.below_minimum").arg("minimum", minimum.unwrap_or_default()),
                );
            }
            if dated_versions && let Some(built) = build_date_of(&v) {
                return judge_build_age(built, today);
            }
            (Verdict::Ok, Msg::new("version.no_lifecycle_data"))
        }
    }
}

/// The verdict for a build date read from the version number (an estimate: see
/// [`AGING_FROM_DAYS`]).
pub fn judge_build_age(built: time::Date, today: time::Date) -> (Verdict, Msg) {
    let days = (today - built).whole_days();
    let build_date = iso_date(built);
    if days < 0 {
        return (
            Verdict::Ok,
            Msg::new("version.build_date_future").arg("build_date", build_date),
        );
    }
    let months = days / 30;
    if days >= OUTDATED_FROM_DAYS {
        return (
            Verdict::Outdated,
            Msg::new("version.too_old")
                .arg("build_date", build_date)
                .arg("months", months),
        );
    }
    if days >= AGING_FROM_DAYS {
        return (
            Verdict::Aging,
            Msg::new("version.aging")
                .arg("build_date", build_date)
                .arg("months", months),
        );
    }
    (
        Verdict::Ok,
        Msg::new("version.recent").arg("build_date", build_date),
    )
}

fn iso_date(d: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// True when `candidate` is a readable version newer than `than`.
fn is_newer(candidate: &str, than: &[u64]) -> bool {
    parse_version(candidate).is_some_and(|c| c.as_slice() > than)
}

/// The newest of `installed` when it is newer than `in_use` (both version strings).
pub fn newer_installed(installed: &[String], in_use: &str) -> Option<String> {
    let in_use = parse_version(in_use)?;
    installed
        .iter()
        .filter_map(|v| parse_version(v).map(|p| (p, v)))
        .filter(|(p, _)| *p > in_use)
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, v)| v.clone())
}

pub fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// Reads the version from every source of the client and judges the one in use: the version
/// a running process reports, else the last one logged, else the installed one (table order
/// within each). When a newer package is installed than the one in use, the verdict says to
/// restart Teams.
pub fn check(
    spec: &ClientSpec,
    root: Option<&CheckedRoot>,
    running: &[RunningProcess],
) -> VersionCheck {
    let readings: Vec<(&VersionSource, String)> = spec
        .version
        .iter()
        .filter_map(|source| read_source(source, root, running, spec.id).map(|v| (source, v)))
        .collect();
    let in_use = readings
        .iter()
        .min_by_key(|(source, _)| in_use_rank(source));
    let installed: Vec<String> = spec
        .version
        .iter()
        .filter_map(|source| match source {
            VersionSource::AppxPackageFamily(family) => Some(appx_versions(family)),
            _ => None,
        })
        .flatten()
        .collect();
    let newer = in_use.and_then(|(_, v)| newer_installed(&installed, v));
    let (verdict, reason) = judge_in_use(
        spec,
        in_use.map(|(_, v)| v.as_str()),
        newer.as_deref(),
        today(),
    );
    VersionCheck {
        source: in_use.map(|(s, _)| source_name(s)),
        version: in_use.map(|(_, v)| v.clone()),
        verdict,
        reason,
    }
}

/// Which reading tells the version in use: a running process first, then the log of the last
/// run, then what is installed.
fn in_use_rank(source: &VersionSource) -> u8 {
    match source {
        VersionSource::ProcessArg { .. } => 0,
        VersionSource::LogLine { .. } => 1,
        _ => 2,
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

/// Every installed version of an MSIX package family (several while an update is staged).
#[cfg(windows)]
fn appx_versions(family: &str) -> Vec<String> {
    crate::platform::windows::appx_package_versions(family)
}

#[cfg(not(windows))]
fn appx_versions(_family: &str) -> Vec<String> {
    Vec::new()
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
    use crate::common::i18n::Lang;
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

    /// A new-Teams version built exactly `days` before `today` (first number `YYDDD`).
    fn built_days_ago(today: time::Date, days: i64) -> String {
        let built = today - time::Duration::days(days);
        format!("{:02}{:03}.100.1.1", built.year() % 100, built.ordinal())
    }

    #[test]
    fn every_build_age_boundary() {
        let new = client("windows-new").unwrap();
        let today = date!(2026 - 03 - 10);
        for (days, verdict, key) in [
            (0, Verdict::Ok, "version.recent"),
            (AGING_FROM_DAYS - 1, Verdict::Ok, "version.recent"),
            (AGING_FROM_DAYS, Verdict::Aging, "version.aging"),
            (OUTDATED_FROM_DAYS - 1, Verdict::Aging, "version.aging"),
            (OUTDATED_FROM_DAYS, Verdict::Outdated, "version.too_old"),
            (400, Verdict::Outdated, "version.too_old"),
        ] {
            let v = built_days_ago(today, days);
            let (got, msg) = judge(new, Some(&v), today);
            assert_eq!((got, msg.key), (verdict, key), "{days} days ({v})");
        }
        // Across a year end: day 360 of 2025 is 75 days before 10 March 2026.
        assert_eq!(judge(new, Some("25360.1.1.1"), today).0, Verdict::Aging);
        // A build date after today (a wrong clock) is not called outdated.
        let (v, msg) = judge(new, Some("26100.1.1.1"), today);
        assert_eq!((v, msg.key), (Verdict::Ok, "version.build_date_future"));
    }

    #[test]
    fn the_reason_shows_the_estimated_build_date_in_the_language() {
        let new = client("windows-new").unwrap();
        let today = date!(2026 - 11 - 24);
        let (_, msg) = judge(new, Some("26072.521.4595.7966"), today);
        assert_eq!(msg.key, "version.too_old");
        let nl = msg.text(Lang::Nl);
        let en = msg.text(Lang::En);
        assert!(
            nl.contains("13 maart 2026") && nl.contains("geschat"),
            "{nl}"
        );
        assert!(
            en.contains("13 March 2026") && en.contains("estimated"),
            "{en}"
        );
        // Worded as Microsoft's current page words it: the age of the version in use, the
        // blocking page's three options, government clouds exempt; the 28 days' grace only
        // from its earlier documentation.
        assert!(
            en.contains("more than three months old")
                && en.contains("update now, contact IT, or continue in Teams on the web")
                && en.contains("Government clouds are exempt")
                && en.contains("earlier documentation also gave")
                && en.contains("28 days"),
            "{en}"
        );
        assert!(
            nl.contains("meer dan drie maanden oud")
                && nl.contains("Overheidsclouds zijn uitgezonderd")
                && nl.contains("oudere documentatie")
                && nl.contains("28 dagen"),
            "{nl}"
        );
        let (_, aging) = judge(new, Some("26240.1.1.1"), today);
        assert_eq!(aging.key, "version.aging");
        assert!(
            aging
                .text(Lang::En)
                .contains("between one and three months old and a newer one is available"),
            "{}",
            aging.text(Lang::En)
        );
    }

    /// Microsoft announced the Linux app's retirement for December 2022 but documents no day:
    /// the verdict names the month only, and says so.
    #[test]
    fn the_linux_app_stopped_working_in_december_2022_no_day_invented() {
        let linux = crate::clients::client_table::CLIENTS
            .iter()
            .find(|c| matches!(c.lifecycle, Lifecycle::Retired { replacement_key, .. } if replacement_key == "version.replacement.linux"))
            .unwrap();
        let (verdict, msg) = judge(linux, Some("1.5.00.23861"), date!(2026 - 11 - 24));
        assert_eq!(
            (verdict, msg.key),
            (Verdict::Retired, "version.retired_month")
        );
        let (en, nl) = (msg.text(Lang::En), msg.text(Lang::Nl));
        assert!(
            en.contains("stopped working in December 2022 (the month"),
            "{en}"
        );
        assert!(!en.contains("31 December"), "{en}");
        assert!(nl.contains("sinds december 2022 niet meer"), "{nl}");
    }

    #[test]
    fn classic_teams_stopped_working_on_1_july_2025() {
        let classic = client("windows-classic").unwrap();
        let (verdict, msg) = judge(classic, Some("1.6.00.4472"), date!(2026 - 11 - 24));
        assert_eq!(verdict, Verdict::Retired);
        // As the report renders it: the replacement advice filled in from its key.
        let render = |lang: Lang| {
            let mut m = msg.clone();
            let pos = m
                .args
                .iter()
                .position(|(k, _)| *k == "replacement_key")
                .unwrap();
            let key = m.args.remove(pos).1;
            m.args
                .push(("replacement", crate::common::i18n::tr(lang, &key)));
            m.text(lang)
        };
        let (en, nl) = (render(Lang::En), render(Lang::Nl));
        assert!(en.contains("stopped working on 1 July 2025"), "{en}");
        assert!(
            en.contains("23 October 2024") && en.contains("Windows 7, 8 and 8.1"),
            "{en}"
        );
        assert!(!en.contains("stopped being supported"), "{en}");
        assert!(nl.contains("sinds 1 juli 2025 niet meer"), "{nl}");
        assert!(nl.contains("23 oktober 2024"), "{nl}");
    }

    #[test]
    fn a_newer_installed_version_means_restart() {
        let new = client("windows-new").unwrap();
        let today = date!(2026 - 11 - 24);
        let installed = vec!["26310.100.1.1".to_string(), "26250.100.1.1".to_string()];
        assert_eq!(
            newer_installed(&installed, "26250.100.1.1").as_deref(),
            Some("26310.100.1.1")
        );
        assert_eq!(newer_installed(&installed, "26310.100.1.1"), None);
        assert_eq!(newer_installed(&installed, "26400.1.1.1"), None);
        assert_eq!(newer_installed(&installed, "not a version"), None);
        assert_eq!(newer_installed(&["junk".to_string()], "26250.1.1.1"), None);
        let (verdict, msg) = judge_in_use(new, Some("26250.100.1.1"), Some("26310.100.1.1"), today);
        assert_eq!(verdict, Verdict::Restart);
        assert!(
            msg.text(Lang::En).contains("Restart Teams"),
            "{}",
            msg.text(Lang::En)
        );
        assert!(msg.text(Lang::Nl).contains("Start Teams opnieuw"));
        // The same version installed as in use: judged on its age.
        let (verdict, _) = judge_in_use(new, Some("26310.100.1.1"), Some("26310.100.1.1"), today);
        assert_eq!(verdict, Verdict::Ok);
        // Nothing readable in use: unknown, whatever is installed.
        assert_eq!(
            judge_in_use(new, None, Some("26310.1.1.1"), today).0,
            Verdict::Unknown
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
                    let month =
                        since.len() == 7 && parse_iso_date(&format!("{since}-01")).is_some();
                    assert!(parse_iso_date(since).is_some() || month, "{since}")
                }
                Lifecycle::Current {
                    minimum: Some(m), ..
                } => assert!(parse_version(m).is_some()),
                Lifecycle::Current { .. } => {}
            }
        }
    }
}
