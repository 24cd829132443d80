//! Paths in JSON: serde writes a path only when it is valid UTF-8 and fails otherwise, and a
//! failure inside `serde_json::json!` is a panic. File names on Linux are bytes (a cache file, a
//! home folder or a `--output` file named `b\xff.zip`), so every path teamsfix puts in JSON goes
//! through these: written as text, with U+FFFD for bytes that are not UTF-8
//! (`Path::to_string_lossy`), as the text output shows them.

use serde::Serializer;
use std::path::{Path, PathBuf};

/// `#[serde(serialize_with = "crate::common::lossy_path::one")]` on a `PathBuf`.
pub fn one<S: Serializer>(p: &Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&p.to_string_lossy())
}

/// The same for an `Option<PathBuf>`.
pub fn opt<S: Serializer>(p: &Option<PathBuf>, s: S) -> Result<S::Ok, S::Error> {
    match p {
        Some(p) => s.serialize_some(&p.to_string_lossy()),
        None => s.serialize_none(),
    }
}

/// The same for a `Vec<PathBuf>`.
pub fn many<S: Serializer>(ps: &[PathBuf], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(ps.iter().map(|p| p.to_string_lossy()))
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::ffi::OsStrExt;
    use std::path::PathBuf;

    #[derive(serde::Serialize)]
    struct T {
        #[serde(serialize_with = "super::one")]
        a: PathBuf,
        #[serde(serialize_with = "super::opt")]
        b: Option<PathBuf>,
        #[serde(serialize_with = "super::many")]
        c: Vec<PathBuf>,
    }

    #[test]
    fn paths_that_are_not_utf8_are_written_as_text() {
        let odd = PathBuf::from(std::ffi::OsStr::from_bytes(b"/tmp/b\xff.zip"));
        let t = T {
            a: odd.clone(),
            b: Some(odd.clone()),
            c: vec![odd.clone(), PathBuf::from("/ok")],
        };
        let v = serde_json::to_value(&t).unwrap();
        assert_eq!(v["a"], "/tmp/b\u{fffd}.zip");
        assert_eq!(v["b"], "/tmp/b\u{fffd}.zip");
        assert_eq!(v["c"][1], "/ok");
        // What plain serde does with it: an error, which `json!` turns into a panic.
        assert!(serde_json::to_value(&odd).is_err());
    }
}
