//! Opening an audit result: the file is checked before it is read (a regular file, at most
//! 10 MB; a FIFO or a device is refused without being opened for a blocking read), decoded
//! (UTF-8 with or without a byte-order mark, or UTF-16 as Windows PowerShell's `>` writes it),
//! parsed, recognised (teamsfix's own result or a ScubaGear export) and judged. Anything it
//! cannot use is a `LoadError` with a message, never a panic.

use super::facts::{self, Facts};
use super::json;
use super::scubagear;
use super::verdict::{About, Audit, Format, judge};
use super::{SCHEMA_VERSION, derive};
use crate::common::i18n::Msg;
use serde_json::Value;
use std::io::Read;
use std::path::Path;

/// Larger files (10 MB) are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 10_000_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// The file could not be opened or read.
    Io(String),
    /// A folder, a FIFO, a device...
    NotAFile,
    TooBig(u64),
    NotText,
    NotJson(String),
    /// JSON that ends in the middle: the run was stopped while the file was being written.
    Truncated,
    /// JSON, but neither a teamsfix audit result nor a ScubaGear export.
    UnknownFormat,
    /// A teamsfix audit result of another schema version.
    SchemaVersion(String),
    /// One object names the same key twice: which value counts is anybody's guess (serde
    /// keeps the last, PowerShell's ConvertFrom-Json refuses the file).
    DuplicateKey(String),
}

impl LoadError {
    /// A stable name for scripts (`audit read --json`).
    pub fn id(&self) -> &'static str {
        match self {
            LoadError::Io(_) => "io",
            LoadError::NotAFile => "not_a_file",
            LoadError::TooBig(_) => "too_big",
            LoadError::NotText => "not_text",
            LoadError::NotJson(_) => "not_json",
            LoadError::Truncated => "truncated",
            LoadError::UnknownFormat => "unknown_format",
            LoadError::SchemaVersion(_) => "schema_version",
            LoadError::DuplicateKey(_) => "duplicate_key",
        }
    }

    pub fn msg(&self) -> Msg {
        match self {
            LoadError::Io(e) => Msg::new("audit.load.io").arg("reason", e),
            LoadError::NotAFile => Msg::new("audit.load.not_a_file"),
            LoadError::TooBig(n) => Msg::new("audit.load.too_big")
                .arg("size", n)
                .arg("limit", crate::common::sizes::human_bytes(MAX_FILE_BYTES)),
            LoadError::NotText => Msg::new("audit.load.not_text"),
            LoadError::NotJson(e) => Msg::new("audit.load.not_json").arg("reason", e),
            LoadError::Truncated => Msg::new("audit.load.truncated"),
            LoadError::UnknownFormat => Msg::new("audit.load.unknown_format"),
            LoadError::SchemaVersion(v) => Msg::new("audit.load.schema_version")
                .arg("found", v)
                .arg("expected", SCHEMA_VERSION),
            LoadError::DuplicateKey(k) => Msg::new("audit.load.duplicate_key").arg("key", k),
        }
    }
}

/// Reads and judges the file at `path`.
pub fn open(path: &Path) -> Result<Audit, LoadError> {
    let bytes = read_limited(path)?;
    parse(&bytes)
}

/// The file's bytes, refusing anything but a regular file of at most [`MAX_FILE_BYTES`].
pub fn read_limited(path: &Path) -> Result<Vec<u8>, LoadError> {
    let meta = std::fs::metadata(path).map_err(|e| LoadError::Io(e.to_string()))?;
    if !meta.is_file() {
        return Err(LoadError::NotAFile);
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(LoadError::TooBig(meta.len()));
    }
    let file = open_nonblocking(path).map_err(|e| LoadError::Io(e.to_string()))?;
    // The path may have been swapped for a FIFO after the check: look at what was opened.
    let opened = file.metadata().map_err(|e| LoadError::Io(e.to_string()))?;
    if !opened.is_file() {
        return Err(LoadError::NotAFile);
    }
    let mut bytes = Vec::with_capacity(opened.len().min(MAX_FILE_BYTES) as usize);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| LoadError::Io(e.to_string()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooBig(bytes.len() as u64));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// UTF-8 (a byte-order mark is skipped) or UTF-16 with its byte-order mark.
fn decode(bytes: &[u8]) -> Result<String, LoadError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(rest.to_vec()).map_err(|_| LoadError::NotText);
    }
    let utf16 = |rest: &[u8], le: bool| -> Result<String, LoadError> {
        // An odd last byte is half a character: a file cut off while it was written (the
        // JSON parser then says where it ends).
        let units = rest.chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| LoadError::NotText)
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, false);
    }
    // UTF-16 written without a byte-order mark ([IO.File]::WriteAllText with
    // [Text.Encoding]::Unicode does not write one): JSON starts with an ASCII character, so
    // one of the first two bytes is zero and the other is `{`, `[` or white space.
    let json_start = |b: u8| matches!(b, b'{' | b'[' | b' ' | b'\t' | b'\r' | b'\n');
    match bytes {
        [a, 0, ..] if json_start(*a) => return utf16(bytes, true),
        [0, b, ..] if json_start(*b) => return utf16(bytes, false),
        _ => {}
    }
    String::from_utf8(bytes.to_vec()).map_err(|_| LoadError::NotText)
}

const DUPLICATE: &str = "duplicate key: ";

/// Parses JSON like `serde_json::from_str::<Value>` (with its nesting limit), but refuses an
/// object that names a key twice.
fn strict_value(text: &str) -> Result<Value, serde_json::Error> {
    use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
    struct Strict(Value);
    impl<'de> Deserialize<'de> for Strict {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(StrictVisitor)
        }
    }
    struct StrictVisitor;
    impl<'de> Visitor<'de> for StrictVisitor {
        type Value = Strict;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_bool<E>(self, v: bool) -> Result<Strict, E> {
            Ok(Strict(Value::Bool(v)))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Strict, E> {
            Ok(Strict(Value::from(v)))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Strict, E> {
            Ok(Strict(Value::from(v)))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Strict, E> {
            Ok(Strict(Value::from(v)))
        }
        fn visit_str<E>(self, v: &str) -> Result<Strict, E> {
            Ok(Strict(Value::String(v.to_string())))
        }
        fn visit_string<E>(self, v: String) -> Result<Strict, E> {
            Ok(Strict(Value::String(v)))
        }
        fn visit_unit<E>(self) -> Result<Strict, E> {
            Ok(Strict(Value::Null))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
            let mut out = Vec::new();
            while let Some(Strict(v)) = seq.next_element()? {
                out.push(v);
            }
            Ok(Strict(Value::Array(out)))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
            let mut out = serde_json::Map::new();
            while let Some(key) = map.next_key::<String>()? {
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format!("{DUPLICATE}{key}")));
                }
                let Strict(v) = map.next_value()?;
                out.insert(key, v);
            }
            Ok(Strict(Value::Object(out)))
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let Strict(v) = Strict::deserialize(&mut de)?;
    de.end()?;
    Ok(v)
}

/// Recognises and judges a result already in memory.
pub fn parse(bytes: &[u8]) -> Result<Audit, LoadError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooBig(bytes.len() as u64));
    }
    let text = decode(bytes)?;
    let root: Value = strict_value(&text).map_err(|e| {
        if let Some(key) = e.to_string().strip_prefix(DUPLICATE) {
            let key = key.split(" at line ").next().unwrap_or(key);
            return LoadError::DuplicateKey(key.chars().take(80).collect());
        }
        if e.classify() == serde_json::error::Category::Eof && text.trim_start().starts_with('{') {
            return LoadError::Truncated;
        }
        let reason: String = e.to_string().chars().take(200).collect();
        LoadError::NotJson(reason)
    })?;
    if !root.is_object() {
        return Err(LoadError::UnknownFormat);
    }
    let tool = json::get(&root, "tool").and_then(Value::as_str);
    if tool == Some("teamsfix-audit") || json::get(&root, "layers").is_some() {
        let version = json::get(&root, "schema_version");
        // A number, as the script writes it; also 1.0 or "1", as other JSON writers may.
        let ours = version.is_some_and(|v| {
            v.as_f64()
                .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
                == Some(f64::from(SCHEMA_VERSION))
        });
        if !ours {
            let found = version.map_or_else(|| "(none)".to_string(), |v| v.to_string());
            return Err(LoadError::SchemaVersion(found.chars().take(40).collect()));
        }
        let text = |k: &str| {
            json::get(&root, k)
                .and_then(json::as_text)
                .filter(|s| !s.is_empty())
        };
        let mut about = About {
            tenant_id: text("tenant_id"),
            ran_at: text("started_at"),
            ran_by: text("ran_by"),
            finished: text("finished_at").is_some(),
            made_by: text("teamsfix_version").map(|v| format!("teamsfix {v}")),
        };
        let now = json::get(&root, "started_at").and_then(json::as_unix_time);
        let mut facts = facts::from_teamsfix(root);
        about.tenant_id = about.tenant_id.or_else(|| facts.text("tenant.TenantId"));
        about.ran_by = about.ran_by.or_else(|| facts.text("tenant.Account"));
        derive::derive(&mut facts, now);
        return Ok(judge(Format::Teamsfix, about, &facts));
    }
    // ScubaGear 1.4 and later write one ScubaResults_<id>.json by default (the provider export
    // only with -KeepIndividualJSON): its `Raw` is the provider export, `MetaData` says whose.
    let (export, meta) = match json::get(&root, "Raw") {
        Some(raw) if scubagear::looks_like_export(raw) => (raw, json::get(&root, "MetaData")),
        _ => (&root, None),
    };
    if scubagear::looks_like_export(export) {
        let mut facts: Facts = scubagear::facts(export);
        let meta_text = |k: &str| meta.and_then(|m| json::get(m, k)).and_then(json::as_text);
        let now = json::get(export, "timestamp_zulu")
            .or_else(|| meta.and_then(|m| json::get(m, "TimestampZulu")))
            .and_then(json::as_unix_time);
        derive::derive(&mut facts, now);
        let about = About {
            tenant_id: json::get(export, "tenant_id")
                .and_then(json::as_text)
                .or_else(|| meta_text("TenantId")),
            ran_at: scubagear::made_at(export).or_else(|| meta_text("TimestampZulu")),
            ran_by: None,
            finished: true,
            made_by: json::get(export, "module_version")
                .and_then(json::as_text)
                .or_else(|| meta_text("ToolVersion"))
                .map(|v| format!("ScubaGear {v}")),
        };
        return Ok(judge(Format::ScubaGear, about, &facts));
    }
    Err(LoadError::UnknownFormat)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_input_is_refused_with_a_reason() {
        assert!(matches!(parse(b"not json"), Err(LoadError::NotJson(_))));
        assert!(matches!(parse(b"[1,2]"), Err(LoadError::UnknownFormat)));
        assert!(matches!(parse(b"{\"a\":1}"), Err(LoadError::UnknownFormat)));
        assert!(matches!(
            parse(b"\xff\xfe\x00\xd8"),
            Err(LoadError::NotText)
        ));
        assert!(matches!(
            parse(br#"{"tool":"teamsfix-audit","schema_version":2,"layers":{}}"#),
            Err(LoadError::SchemaVersion(v)) if v == "2"
        ));
        assert!(matches!(
            parse(br#"{"tool":"teamsfix-audit","layers":{}}"#),
            Err(LoadError::SchemaVersion(_))
        ));
        // Deeply nested JSON is an error, not a stack overflow.
        let deep = "[".repeat(100_000);
        assert!(parse(deep.as_bytes()).is_err());
    }

    /// A key written twice (here the one that decides a layer, deep in the file) is refused:
    /// serde would keep the last value silently, and the verdict would rest on a guess.
    #[test]
    fn a_key_written_twice_is_refused_and_named() {
        let all_ok = include_str!("../../../tests/fixtures/audit/all-ok.json");
        let twice = all_ok.replacen(
            "\"AllowGuestUser\": true",
            "\"AllowGuestUser\": true, \"AllowGuestUser\": false",
            1,
        );
        assert_ne!(twice, all_ok);
        assert_eq!(
            parse(twice.as_bytes()).err(),
            Some(LoadError::DuplicateKey("AllowGuestUser".into()))
        );
        let version_twice = all_ok.replacen(
            "\"schema_version\": 1",
            "\"schema_version\": 1, \"schema_version\": 2",
            1,
        );
        assert_eq!(
            parse(version_twice.as_bytes()).err(),
            Some(LoadError::DuplicateKey("schema_version".into()))
        );
        // Keys that differ in case are two keys, and the file still reads.
        let cased = all_ok.replacen(
            "\"AllowGuestUser\": true",
            "\"AllowGuestUser\": true, \"allowGuestUser\": true",
            1,
        );
        assert!(parse(cased.as_bytes()).is_ok());
        assert!(parse(all_ok.as_bytes()).is_ok());
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(matches!(parse(deep.as_bytes()), Err(LoadError::NotJson(_))));
    }

    #[test]
    fn utf16_and_bom_are_read() {
        let json = r#"{"tool":"teamsfix-audit","schema_version":1,"layers":{}}"#;
        let mut le = vec![0xFF, 0xFE];
        le.extend(json.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert!(parse(&le).is_ok());
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(json.as_bytes());
        let a = parse(&bom).unwrap();
        assert!(!a.finished);
    }

    #[test]
    fn files_are_checked_before_they_are_read() {
        let t = tempfile::tempdir().unwrap();
        assert_eq!(read_limited(t.path()), Err(LoadError::NotAFile));
        let big = t.path().join("big.json");
        let f = std::fs::File::create(&big).unwrap();
        f.set_len(MAX_FILE_BYTES + 1).unwrap();
        assert!(matches!(read_limited(&big), Err(LoadError::TooBig(_))));
        assert!(matches!(
            read_limited(&t.path().join("missing.json")),
            Err(LoadError::Io(_))
        ));
        #[cfg(unix)]
        {
            let fifo = t.path().join("fifo");
            let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
            assert_eq!(read_limited(&fifo), Err(LoadError::NotAFile));
        }
    }
}
