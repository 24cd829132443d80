//! A small journal of what teamsfix did on this machine (quit, clear, restart), kept in its own
//! data folder so a later report can say what was done and with what result.

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

/// The last `n` records, oldest first. A damaged line is skipped, not fatal.
pub fn recent(data_dir: &Path, n: usize) -> Vec<ActionRecord> {
    let all = read_all(&data_dir.join(FILE));
    all[all.len().saturating_sub(n)..].to_vec()
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
