//! A small journal of what teamsfix did on this machine (quit, clear, restart), kept in its own
//! data folder so a later report can say what was done and with what result.

use crate::clients::processes::{QuitOutcome, RunningProcess};
use crate::common::i18n::{Lang, tr_args};
use crate::common::timestamps::now_rfc3339;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActionRecord {
    pub time: String,
    /// `quit`, `clear`, `restart`.
    pub action: String,
    /// Client and variant (`teams-for-linux-native`).
    pub client: String,
    /// `ok`, `partial`, `failed`, `refused`, `cancelled`, `dry-run`.
    pub result: String,
    /// One line for people (in the language the action ran in).
    pub summary: String,
    /// The same line in every language teamsfix speaks (`en`, `nl`), so a report in another
    /// language than the action's reads in one language. Older records have only `summary`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub summaries: BTreeMap<String, String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::common::lossy_path::opt"
    )]
    pub archive: Option<PathBuf>,
}

impl ActionRecord {
    /// The record's line in `lang` (in the action's language when the record has no other).
    pub fn summary_in(&self, lang: Lang) -> &str {
        self.summaries
            .get(lang.code())
            .map(String::as_str)
            .unwrap_or(&self.summary)
    }
}

const FILE: &str = "actions.jsonl";
/// The journal keeps this many records; older ones are dropped.
const KEEP: usize = 200;

pub fn append(data_dir: &Path, record: &ActionRecord) -> std::io::Result<()> {
    std::fs::create_dir_all(data_dir)?;
    let path = data_dir.join(FILE);
    let mut records = read_all(&path);
    records.push(record.clone());
    let start = records.len().saturating_sub(KEEP);
    let tmp = data_dir.join(format!("{FILE}.tmp"));
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        for r in &records[start..] {
            serde_json::to_writer(&mut f, r)?;
            f.write_all(b"\n")?;
        }
        f.flush()?;
    }
    std::fs::rename(tmp, path)
}

/// The journal's file in teamsfix's data folder (the support bundle copies it).
pub fn file(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE)
}

/// The last `n` records, oldest first. A damaged line is skipped, not fatal.
pub fn recent(data_dir: &Path, n: usize) -> Vec<ActionRecord> {
    let all = read_all(&data_dir.join(FILE));
    all[all.len().saturating_sub(n)..].to_vec()
}

/// Where actions are journaled, and in which language their summaries are written.
pub struct Journal<'a> {
    pub data_dir: &'a Path,
    pub lang: Lang,
}

impl Journal<'_> {
    /// Appends one record, stamped with the current time. `summary` writes its line in a
    /// language; the record keeps it in every language.
    pub fn write(
        &self,
        action: &str,
        client: &str,
        result: &str,
        summary: impl Fn(Lang) -> String,
        archive: Option<PathBuf>,
    ) {
        let record = ActionRecord {
            time: now_rfc3339(),
            action: action.into(),
            client: client.into(),
            result: result.into(),
            summary: summary(self.lang),
            summaries: Lang::ALL
                .iter()
                .map(|l| (l.code().to_string(), summary(*l)))
                .collect(),
            archive,
        };
        // The journal is a convenience for reports: failing to write it must not fail a repair.
        let _ = append(self.data_dir, &record);
    }

    /// One line per client whose processes were asked to quit.
    pub fn record_quit(&self, o: &QuitOutcome) {
        let mut clients: Vec<&str> = o
            .closed
            .iter()
            .chain(&o.forced)
            .chain(&o.survivors)
            .map(|p| p.client)
            .collect();
        clients.sort_unstable();
        clients.dedup();
        for client in clients {
            let count =
                |l: &[RunningProcess]| l.iter().filter(|p| p.client == client).count().to_string();
            let survived = count(&o.survivors);
            let (closed, forced) = (count(&o.closed), count(&o.forced));
            let summary = |lang| {
                tr_args(
                    lang,
                    "quit.summary",
                    &[
                        ("closed", &closed),
                        ("forced", &forced),
                        ("survived", &survived),
                    ],
                )
            };
            let result = if survived == "0" { "ok" } else { "failed" };
            self.write("quit", client, result, summary, None);
        }
    }

    pub fn record_restart(&self, label: &str, result: &Result<String, crate::common::i18n::Msg>) {
        match result {
            Ok(command) => self.write("restart", label, "ok", |_| command.clone(), None),
            Err(m) => self.write("restart", label, "failed", |lang| m.text(lang), None),
        }
    }
}

fn read_all(path: &Path) -> Vec<ActionRecord> {
    let Ok(f) = std::fs::File::open(path) else {
        return Vec::new();
    };
    std::io::BufReader::new(f)
        .lines()
        .map_while(Result::ok)
        .filter_map(|l| serde_json::from_str(&l).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A clear run in Dutch reads in English in an English report, and the other way round.
    #[test]
    fn a_record_reads_in_the_reports_language() {
        let t = tempfile::tempdir().unwrap();
        let journal = Journal {
            data_dir: t.path(),
            lang: Lang::Nl,
        };
        let summary = |lang| {
            tr_args(
                lang,
                "quit.summary",
                &[("closed", "1"), ("forced", "0"), ("survived", "0")],
            )
        };
        journal.write("quit", "teams-for-linux", "ok", summary, None);
        let r = &recent(t.path(), 1)[0];
        assert_eq!(r.summary, summary(Lang::Nl));
        assert_eq!(r.summary_in(Lang::Nl), summary(Lang::Nl));
        assert_eq!(r.summary_in(Lang::En), summary(Lang::En));
        assert_ne!(summary(Lang::En), summary(Lang::Nl));
        // A record written before there were summaries per language reads as it was written.
        let old = ActionRecord {
            summaries: BTreeMap::new(),
            ..r.clone()
        };
        assert_eq!(old.summary_in(Lang::En), summary(Lang::Nl));
    }

    #[test]
    fn appends_keeps_order_and_skips_damage() {
        let t = tempfile::tempdir().unwrap();
        let rec = |n: usize| ActionRecord {
            time: format!("t{n}"),
            action: "clear".into(),
            client: "c".into(),
            result: "ok".into(),
            summary: String::new(),
            summaries: BTreeMap::new(),
            archive: None,
        };
        append(t.path(), &rec(1)).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(t.path().join(FILE))
            .unwrap()
            .write_all(b"garbage\n")
            .unwrap();
        append(t.path(), &rec(2)).unwrap();
        let r = recent(t.path(), 10);
        assert_eq!(
            r.iter().map(|x| x.time.as_str()).collect::<Vec<_>>(),
            ["t1", "t2"]
        );
        assert_eq!(recent(t.path(), 1)[0].time, "t2");
    }
}
