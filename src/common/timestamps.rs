//! How teamsfix writes times: in reports and the journal (RFC 3339, UTC) and in the names of
//! the folders and files it creates (local time, no characters a file system refuses).

/// `2026-11-24T10:00:00Z`: UTC, whole seconds.
pub fn now_rfc3339() -> String {
    // Whole seconds: people read this line, and sub-second digits only add noise.
    let now = time::OffsetDateTime::now_utc();
    let now = now.replace_nanosecond(0).unwrap_or(now);
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// `2026-11-24_04-30-12`: sorts by time and is valid on every file system.
pub fn timestamp_for_file_names() -> String {
    let now = time::OffsetDateTime::now_local().unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    let f = time::macros::format_description!("[year]-[month]-[day]_[hour]-[minute]-[second]");
    now.format(&f).unwrap_or_else(|_| "unknown-time".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_time_has_whole_seconds() {
        let t = now_rfc3339();
        assert!(t.ends_with('Z') && t.len() == 20, "{t}");
    }

    #[test]
    fn file_name_timestamp_has_no_colons() {
        let t = timestamp_for_file_names();
        assert!(!t.contains(':') && t.len() == 19, "{t}");
    }
}
