//! Languages and translated messages. All user-facing text lives in `locales/*.yml`.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Nl,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Nl];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        let code = code.trim().to_ascii_lowercase();
        let primary = code.split(['-', '_', '.']).next().unwrap_or("");
        match primary {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language of the operating system's user interface, Dutch or English.
    /// Dutch for `nl`, `nl-NL`, `nl-BE` (Flemish users read Dutch too); English otherwise.
    pub fn from_os() -> Lang {
        sys_locale::get_locale()
            .and_then(|l| Lang::from_code(&l))
            .unwrap_or(Lang::En)
    }

    /// The language's own name, for a language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Nl => "Nederlands",
        }
    }
}

/// Looks up a key in the catalogue of `lang`.
pub fn tr(lang: Lang, key: &str) -> String {
    rust_i18n::t!(key, locale = lang.code()).into_owned()
}

/// Looks up a key and fills in `%{name}` placeholders, and `%{name:one|other}`: the number
/// with the word for one or for more ("%{files:file|files}": "1 file", "3 files").
pub fn tr_args(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    fill(tr(lang, key), args)
}

fn fill(mut text: String, args: &[(&str, &str)]) -> String {
    for (name, value) in args {
        text = text.replace(&format!("%{{{name}}}"), value);
        let open = format!("%{{{name}:");
        let mut from = 0;
        while let Some(at) = text[from..].find(&open).map(|i| i + from) {
            let forms_at = at + open.len();
            let Some(len) = text[forms_at..].find('}') else {
                break;
            };
            let forms = &text[forms_at..forms_at + len];
            let (one, other) = forms.split_once('|').unwrap_or((forms, forms));
            let word = if value.trim() == "1" { one } else { other };
            let with = format!("{value} {word}");
            text.replace_range(at..forms_at + len + 1, &with);
            from = at + with.len();
        }
    }
    text
}

/// A message to be shown later in a language not yet known (core results carry these,
/// the CLI and GUI render them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Msg {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Msg {
    pub fn new(key: &'static str) -> Msg {
        Msg {
            key,
            args: Vec::new(),
        }
    }

    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Msg {
        self.args.push((name, value.to_string()));
        self
    }

    /// The text in `lang`. Arguments named `*_date` that hold an ISO date (`2025-07-01`) are
    /// written as people read them in that language (`1 July 2025`, `1 juli 2025`).
    pub fn text(&self, lang: Lang) -> String {
        let values: Vec<(&str, String)> = self
            .args
            .iter()
            .map(|(k, v)| {
                let value = if k.ends_with("_date") {
                    format_iso_date(lang, v).unwrap_or_else(|| v.clone())
                } else {
                    v.clone()
                };
                (*k, value)
            })
            .collect();
        let args: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        tr_args(lang, self.key, &args)
    }
}

/// Catalogue keys of the month names, January first.
const MONTH_KEYS: [&str; 12] = [
    "date.months.january",
    "date.months.february",
    "date.months.march",
    "date.months.april",
    "date.months.may",
    "date.months.june",
    "date.months.july",
    "date.months.august",
    "date.months.september",
    "date.months.october",
    "date.months.november",
    "date.months.december",
];

/// A date as people write it in `lang`: `1 July 2025`, `1 juli 2025`.
pub fn format_date(lang: Lang, year: i32, month: u8, day: u8) -> Option<String> {
    let month_key = MONTH_KEYS.get(usize::from(month).checked_sub(1)?)?;
    if !(1..=31).contains(&day) {
        return None;
    }
    Some(tr_args(
        lang,
        "date.format",
        &[
            ("day", &day.to_string()),
            ("month", &tr(lang, month_key)),
            ("year", &year.to_string()),
        ],
    ))
}

/// `2025-07-01` written for `lang` (`1 July 2025`), or a month alone, `2022-12` (`December
/// 2022`), for dates Microsoft gives only to the month; `None` when it is neither.
pub fn format_iso_date(lang: Lang, iso: &str) -> Option<String> {
    let mut parts = iso.trim().split('-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    if !(1..=9999).contains(&year) {
        return None;
    }
    let Some(day) = parts.next() else {
        let month_key = MONTH_KEYS.get(usize::from(month).checked_sub(1)?)?;
        return Some(tr_args(
            lang,
            "date.month_format",
            &[("month", &tr(lang, month_key)), ("year", &year.to_string())],
        ));
    };
    let day: u8 = day.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    format_date(lang, year, month, day)
}

/// Every key of a language's catalogue files (`locales/<part>.<lang>.yml`, one per layer),
/// flattened with dots, for the completeness tests. A key defined in two files is an error:
/// rust-i18n would silently keep one of them.
#[cfg(test)]
fn catalogue_keys(lang: Lang) -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    let suffix = format!(".{}.yml", lang.code());
    let mut keys = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("locales folder") {
        let path = entry.expect("locales entry").path();
        if path.to_string_lossy().ends_with(&suffix) {
            let text = std::fs::read_to_string(&path).expect("catalogue file");
            keys.extend(flatten_yaml_keys(&text));
        }
    }
    keys.sort();
    let before = keys.len();
    keys.dedup();
    assert_eq!(
        before,
        keys.len(),
        "a key is defined twice in the {lang:?} catalogues"
    );
    keys
}

#[cfg(test)]
/// Flattens the YAML subset the catalogues use (nested maps, one-line values) into the
/// dotted keys of their leaves.
fn flatten_yaml_keys(text: &str) -> Vec<String> {
    let mut stack: Vec<(usize, String)> = Vec::new();
    let mut keys = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let Some((key, value)) = trimmed.split_once(':') else {
            continue;
        };
        while stack.last().is_some_and(|(i, _)| *i >= indent) {
            stack.pop();
        }
        let key = key.trim().trim_matches('"').to_string();
        if value.trim().is_empty() {
            stack.push((indent, key));
        } else if key != "_version" {
            let mut path: Vec<&str> = stack.iter().map(|(_, k)| k.as_str()).collect();
            path.push(&key);
            keys.push(path.join("."));
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lang_codes() {
        assert_eq!(Lang::from_code("nl-NL"), Some(Lang::Nl));
        assert_eq!(Lang::from_code("nl_BE.UTF-8"), Some(Lang::Nl));
        assert_eq!(Lang::from_code("EN-us"), Some(Lang::En));
        assert_eq!(Lang::from_code("de"), None);
    }

    #[test]
    fn both_catalogues_have_the_same_keys() {
        let en = catalogue_keys(Lang::En);
        let nl = catalogue_keys(Lang::Nl);
        assert!(en.len() > 50, "catalogue looks empty: {}", en.len());
        let missing_nl: Vec<_> = en.iter().filter(|k| !nl.contains(k)).collect();
        let missing_en: Vec<_> = nl.iter().filter(|k| !en.contains(k)).collect();
        assert!(
            missing_nl.is_empty(),
            "keys missing in nl.yml: {missing_nl:?}"
        );
        assert!(
            missing_en.is_empty(),
            "keys missing in en.yml: {missing_en:?}"
        );
    }

    /// Every key literal in the sources (`"section.name"` where section is a catalogue section)
    /// exists in the catalogues: a typo or a forgotten key would show the raw key to people.
    #[test]
    fn every_key_used_in_the_code_exists() {
        let en = catalogue_keys(Lang::En);
        let sections: std::collections::BTreeSet<&str> =
            en.iter().filter_map(|k| k.split('.').next()).collect();
        let mut missing = Vec::new();
        let mut checked = 0;
        let mut stack = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src"
        ))];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                for literal in text.split('"').skip(1).step_by(2) {
                    let looks_like_key = literal.contains('.')
                        && !literal.contains(['{', ' ', '/', '\\', ':'])
                        && literal.chars().all(|c| {
                            c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c)
                        })
                        && sections.contains(literal.split('.').next().unwrap_or(""))
                        && !literal.ends_with('.');
                    if looks_like_key {
                        checked += 1;
                        if !en.iter().any(|k| k == literal) {
                            missing.push(format!("{}: {literal}", path.display()));
                        }
                    }
                }
            }
        }
        assert!(
            checked > 100,
            "the scan found too few keys ({checked}): is it still looking?"
        );
        assert!(
            missing.is_empty(),
            "keys used in code but missing from the catalogues: {missing:#?}"
        );
    }

    #[test]
    fn dates_are_written_for_the_language() {
        assert_eq!(
            format_iso_date(Lang::En, "2025-07-01").as_deref(),
            Some("1 July 2025")
        );
        assert_eq!(
            format_iso_date(Lang::Nl, "2025-07-01").as_deref(),
            Some("1 juli 2025")
        );
        assert_eq!(
            format_iso_date(Lang::Nl, "2024-10-23").as_deref(),
            Some("23 oktober 2024")
        );
        for bad in [
            "",
            "2025-13-01",
            "2025-00-10",
            "2025-07-32",
            "x-y-z",
            "2025-07-01-02",
        ] {
            assert_eq!(format_iso_date(Lang::En, bad), None, "{bad}");
        }
        let m = Msg::new("version.retired")
            .arg("since_date", "2025-07-01")
            .arg("replacement", "");
        assert!(
            m.text(Lang::Nl).contains("1 juli 2025"),
            "{}",
            m.text(Lang::Nl)
        );
        assert!(
            m.text(Lang::En).contains("1 July 2025"),
            "{}",
            m.text(Lang::En)
        );
    }

    #[test]
    fn counts_take_the_word_for_one_or_more() {
        let text = |n: &str| {
            fill(
                "%{files:file|files} in %{files:log|logs}, %{n}".into(),
                &[("files", n), ("n", n)],
            )
        };
        assert_eq!(text("1"), "1 file in 1 log, 1");
        assert_eq!(text("3"), "3 files in 3 logs, 3");
        assert_eq!(text("0"), "0 files in 0 logs, 0");
        // A value that looks like a placeholder is not expanded again.
        assert_eq!(fill("%{a:x|y}".into(), &[("a", "%{a:x|y}")]), "%{a:x|y} y");
    }

    /// No text says "1 files" or hedges with "(s)": every count of things in the catalogues
    /// takes the word for one or for more.
    #[test]
    fn no_text_says_one_files() {
        let mut wrong = Vec::new();
        for lang in Lang::ALL {
            for key in catalogue_keys(lang) {
                let raw = tr(lang, &key);
                let mut names = Vec::new();
                let mut rest = raw.as_str();
                while let Some(i) = rest.find("%{") {
                    rest = &rest[i + 2..];
                    let end = rest.find([':', '}']).unwrap_or(rest.len());
                    names.push(rest[..end].to_string());
                }
                let args: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "1")).collect();
                let text = fill(raw.clone(), &args);
                let bad = [
                    "(s)",
                    "(es)",
                    "1 files",
                    "1 items",
                    "1 failures",
                    "1 bestanden",
                    "1 fouten",
                    "/onderdelen",
                    "(en)",
                    "(sen)",
                    "(e)",
                ];
                if bad.iter().any(|b| text.contains(b))
                    || text.contains("1 log files")
                    || text.contains("1 logbestanden")
                {
                    wrong.push(format!("{lang:?} {key}: {text}"));
                }
            }
        }
        assert!(wrong.is_empty(), "{wrong:#?}");
    }

    #[test]
    fn placeholders_are_filled() {
        let m = Msg::new("safety.link").arg("path", "/x y");
        assert!(m.text(Lang::En).contains("/x y"));
        assert!(m.text(Lang::Nl).contains("/x y"));
        assert_ne!(m.text(Lang::En), m.text(Lang::Nl));
    }
}
