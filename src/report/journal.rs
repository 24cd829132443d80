//! A small journal of what teamsfix did on this machine (quit, clear, restart), kept in its own
//! data folder so a later report can say what was done and with what result.

use crate::clients::processes::{QuitOutcome, RunningProcess};
use crate::common::i18n::{Lang, tr_args};
use crate::common::timestamps::now_rfc3339;
use serde::{Deserialize, Serialize};
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive: Option<PathBuf>,
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
    /// Appends one record, stamped with the current time.
    pub fn write(
        &self,
        action: &str,
        client: &str,
        result: &str,
        summary: String,
        archive: Option<PathBuf>,
    ) {
        let record = ActionRecord {
            time: now_rfc3339(),
            action: action.into(),
            client: client.into(),
            result: result.into(),
            summary,
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
            let summary = tr_args(
                self.lang,
                "quit.summary",
                &[
                    ("closed", &count(&o.closed)),
                    ("forced", &count(&o.forced)),
                    ("survived", &survived),
                ],
            );
            let result = if survived == "0" { "ok" } else { "failed" };
            self.write("quit", client, result, summary, None);
        }
    }

    pub fn record_restart(&self, label: &str, result: &Result<String, crate::common::i18n::Msg>) {
        match result {
            Ok(command) => self.write("restart", label, "ok", command.clone(), None),
            Err(m) => self.write("restart", label, "failed", m.text(self.lang), None),
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

    #[test]
    fn appends_keeps_order_and_skips_damage() {
        let t = tempfile::tempdir().unwrap();
        let rec = |n: usize| ActionRecord {
            time: format!("t{n}"),
            action: "clear".into(),
            client: "c".into(),
            result: "ok".into(),
            summary: String::new(),
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
