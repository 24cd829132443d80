//! Reading values out of JSON written by PowerShell, leniently: property names in any case
//! (`AllowGuestUser`, `allowGuestUser`), one object or an array of one, booleans written as
//! `true`, `"True"` or `"false"`, and the dates PowerShell and .NET write.

use serde_json::{Map, Value};

/// The member `key` of an object, compared without regard to case. An exact match wins.
pub fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    let obj = v.as_object()?;
    obj.get(key).or_else(|| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// The member `key` for changing, compared without regard to case. An exact match wins.
pub fn get_mut<'a>(v: &'a mut Value, key: &str) -> Option<&'a mut Value> {
    let obj = v.as_object_mut()?;
    let name = if obj.contains_key(key) {
        key.to_string()
    } else {
        obj.keys().find(|k| k.eq_ignore_ascii_case(key))?.clone()
    };
    obj.get_mut(&name)
}

/// Takes the member `key` out of an object (case as in [`get`]), leaving nothing behind.
pub fn take(v: &mut Value, key: &str) -> Option<Value> {
    let obj = v.as_object_mut()?;
    let name = if obj.contains_key(key) {
        key.to_string()
    } else {
        obj.keys().find(|k| k.eq_ignore_ascii_case(key))?.clone()
    };
    obj.remove(&name)
}

/// Follows a path of member names (`["Conditions", "Users", "IncludeUsers"]`).
pub fn path<'a>(v: &'a Value, keys: &[&str]) -> Option<&'a Value> {
    keys.iter().try_fold(v, |v, k| get(v, k))
}

/// The object itself, or the first element when PowerShell wrote an array of objects.
pub fn first_object(v: &Value) -> Option<&Map<String, Value>> {
    if let Some(a) = unwrap_ps_array(v) {
        return a.iter().find_map(Value::as_object);
    }
    match v {
        Value::Object(o) => Some(o),
        Value::Array(a) => a.iter().find_map(Value::as_object),
        _ => None,
    }
}

/// Windows PowerShell 5.1 writes an array it sees wrapped in an object as
/// `{"value": [...], "Count": n}`: the array inside.
fn unwrap_ps_array(v: &Value) -> Option<&Vec<Value>> {
    let o = v.as_object()?;
    if o.len() != 2 || !o.keys().any(|k| k.eq_ignore_ascii_case("count")) {
        return None;
    }
    get(v, "value")?.as_array()
}

/// The elements of an array; a single non-null value counts as a one-element array.
pub fn items(v: &Value) -> Vec<&Value> {
    if let Some(a) = unwrap_ps_array(v) {
        return a.iter().collect();
    }
    match v {
        Value::Array(a) => a.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

/// `true`, `"True"`, `"true"`, `1` are true; `false`, `"False"`, `0` are false.
pub fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        Value::Number(n) => match n.as_i64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        _ => None,
    }
}

/// Strings as they are; numbers and booleans as text.
pub fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "True" } else { "False" }.to_string()),
        _ => None,
    }
}

/// A list of strings: a JSON array of strings, or one string split on spaces, commas or
/// semicolons (SharePoint writes its domain lists as `"a.com b.org"`).
pub fn as_list(v: &Value) -> Option<Vec<String>> {
    if let Some(a) = unwrap_ps_array(v) {
        return Some(a.iter().filter_map(as_text).collect());
    }
    match v {
        Value::Array(a) => Some(a.iter().filter_map(as_text).collect()),
        Value::String(s) => Some(
            s.split([' ', ',', ';', '\n', '\t'])
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect(),
        ),
        Value::Null => Some(Vec::new()),
        _ => None,
    }
}

/// A point in time as seconds since 1970: ISO 8601 / RFC 3339 (`2026-05-04T17:15:48.3070000Z`,
/// what PowerShell's `ToString('o')` writes) or .NET's JSON form `/Date(1661362185000)/`.
pub fn as_unix_time(v: &Value) -> Option<i64> {
    // Windows PowerShell 5.1 writes a date that carries its `DisplayHint` (as `Get-Date`'s
    // does) as `{"value": "/Date(...)/", "DisplayHint": 2, "DateTime": "..."}`.
    if let Some(inner) = v.as_object().and_then(|_| get(v, "value")) {
        return if inner.is_object() {
            None
        } else {
            as_unix_time(inner)
        };
    }
    let s = v.as_str()?.trim();
    if let Some(t) = invariant(s) {
        return Some(t);
    }
    if let Some(ms) = s
        .strip_prefix("/Date(")
        .or_else(|| s.strip_prefix("Date("))
        .and_then(|r| r.split([')', '+']).next())
    {
        // `/Date(-62135596800000)/` is .NET's "no date".
        return ms
            .parse::<i64>()
            .ok()
            .map(|ms| ms.div_euclid(1000))
            .filter(|s| *s > 0);
    }
    iso8601(s)
}

/// `2026-05-04T17:15:48.3070000Z`, `...+02:00`, or without an offset (a local time written by
/// Windows PowerShell, read as UTC). Hand-written: a parser for one format is smaller than
/// the `time` crate's parsing feature in an exe with a size budget.
fn iso8601(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = s.get(from..from + len)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let month = time::Month::try_from(u8::try_from(num(5, 2)?).ok()?).ok()?;
    let date = time::Date::from_calendar_date(
        i32::try_from(num(0, 4)?).ok()?,
        month,
        u8::try_from(num(8, 2)?).ok()?,
    )
    .ok()?;
    let clock = time::Time::from_hms(
        u8::try_from(num(11, 2)?).ok()?,
        u8::try_from(num(14, 2)?).ok()?,
        u8::try_from(num(17, 2)?).ok()?,
    )
    .ok()?;
    let mut rest = &s[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &fraction[digits..];
    }
    let offset = match rest {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (h, m) = rest[1..]
                .split_once(':')
                .unwrap_or((rest.get(1..3)?, rest.get(3..)?));
            if h.len() != 2 || m.len() != 2 {
                return None;
            }
            sign * (h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60)
        }
    };
    let t = time::PrimitiveDateTime::new(date, clock).assume_utc();
    Some(t.unix_timestamp() - offset)
}

/// `05/04/2026 17:15:48`: a date cast to `[string]` in PowerShell (the invariant culture,
/// month first), read as UTC.
fn invariant(s: &str) -> Option<i64> {
    let (date, clock) = s.split_once(' ')?;
    let mut d = date.split('/');
    let (m, day, y) = (d.next()?, d.next()?, d.next()?);
    if d.next().is_some() || m.len() != 2 || day.len() != 2 || y.len() != 4 {
        return None;
    }
    iso8601(&format!("{y}-{m}-{day}T{}", clock.trim()))
}

/// `2026-05-04` for a time from [`as_unix_time`].
pub fn date_text(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .map(|t| format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day()))
        .unwrap_or_else(|_| unix.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lenient_reading() {
        let v = json!({"allowGuestUser": "True", "List": "a.com  b.org", "n": 0});
        assert_eq!(get(&v, "AllowGuestUser").and_then(as_bool), Some(true));
        assert_eq!(
            get(&v, "list").and_then(as_list).unwrap(),
            ["a.com", "b.org"]
        );
        assert_eq!(get(&v, "N").and_then(as_bool), Some(false));
        assert_eq!(as_bool(&json!("maybe")), None);
        assert!(first_object(&json!([1, {"a": 1}])).is_some());
        assert!(first_object(&json!("x")).is_none());
        // Windows PowerShell 5.1's wrapped array.
        let wrapped = json!({"value": ["a", "b"], "Count": 2});
        assert_eq!(items(&wrapped).len(), 2);
        assert_eq!(as_list(&wrapped).unwrap(), ["a", "b"]);
        assert!(first_object(&json!({"value": [{"x": 1}], "Count": 1})).is_some());
    }

    #[test]
    fn dates_in_both_forms() {
        assert_eq!(
            as_unix_time(&json!("/Date(1661362185000)/")),
            Some(1661362185)
        );
        assert_eq!(as_unix_time(&json!("/Date(-62135596800000)/")), None);
        assert_eq!(
            as_unix_time(&json!("2026-05-04T17:15:48.3070000Z")),
            Some(1777914948)
        );
        assert_eq!(
            as_unix_time(&json!("2026-05-04T17:15:48")),
            Some(1777914948)
        );
        assert_eq!(as_unix_time(&json!("yesterday")), None);
        assert_eq!(
            as_unix_time(&json!("2026-05-04T19:15:48+02:00")),
            Some(1777914948)
        );
        for bad in [
            "2026-13-04T17:15:48Z",
            "2026-05-04T25:00:00Z",
            "2026-05-04T17:15:48.Z",
            "2026-05-04T17:15:48+2",
            "2026-05-04",
        ] {
            assert_eq!(as_unix_time(&json!(bad)), None, "{bad}");
        }
        assert_eq!(date_text(1777914948), "2026-05-04");
        // What Windows PowerShell writes for a date with a DisplayHint, and a date cast to
        // [string].
        assert_eq!(
            as_unix_time(
                &json!({"value": "/Date(1661362185000)/", "DisplayHint": 2, "DateTime": "Wednesday, 24 August 2022 17:29:45"})
            ),
            Some(1661362185)
        );
        assert_eq!(
            as_unix_time(&json!("05/04/2026 17:15:48")),
            Some(1777914948)
        );
        assert_eq!(as_unix_time(&json!("13/04/2026 17:15:48")), None);
        assert_eq!(as_unix_time(&json!({"value": {"value": "x"}})), None);
    }
}
