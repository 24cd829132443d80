//! Matching a message a user pastes (English or Dutch, exact or described in their own words,
//! with or without an AADSTS code) against the error catalogue.
//!
//! Anything may be pasted: a whole error page with trace ids and timestamps, a code alone
//! (`AADSTS50020`, `aadsts 50020`, `Error code: 50020`), a sentence in Dutch, or text that has
//! nothing to do with Teams. Codes the catalogue does not know are reported separately, with
//! Microsoft's lookup page, rather than guessed at.

use crate::guide::error_catalogue::{self, ERRORS, KnownError};
use serde::Serialize;

/// Longer input is cut here: an error text is a few lines, and matching stays fast on anything
/// a user can paste.
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    /// A description: enough of the entry's keyword sets are present.
    Paraphrase,
    /// One of the entry's phrases appears in the message.
    Phrase,
    /// An AADSTS code of the entry appears in the message.
    Code,
}

#[derive(Clone, Debug)]
pub struct Diagnosis {
    pub error: &'static KnownError,
    pub kind: MatchKind,
    /// 0.0 to 1.0.
    pub score: f32,
    /// The code that matched, for `MatchKind::Code`.
    pub code: Option<String>,
    /// False when the code that matched is not in Microsoft's list (an alias people report).
    pub code_confirmed: bool,
}

/// Cuts `text` to at most `max` bytes, at a character boundary.
fn capped(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Lower case, accents folded, apostrophes dropped (`didn't` = `didnt`), everything else that is
/// not a letter or digit a single space.
pub fn normalise(text: &str) -> String {
    let text = capped(text, MAX_MESSAGE_BYTES);
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'á' | 'à' | 'ä' | 'â' | 'ã' | 'å' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' | 'õ' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            '\'' | '\u{2018}' | '\u{2019}' | '`' | '´' => continue,
            c => c,
        };
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.trim().to_string()
}

/// A code found in a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundCode {
    pub digits: String,
    /// Written as `AADSTS…`, or as a bare number after a word that names an error code
    /// (`Error code: 50158`): a code even when the catalogue does not know it. Other bare
    /// numbers count only when the catalogue knows them.
    pub prefixed: bool,
}

/// Full-width digits (`５００２０`, from East Asian input methods) as ASCII digits; nothing else
/// changes, so byte offsets of ASCII text stay the same only where no full-width digit occurs.
fn ascii_digits(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| ('\u{ff10}'..='\u{ff19}').contains(&c)) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\u{ff10}'..='\u{ff19}' => char::from(b'0' + (c as u32 - 0xff10) as u8),
                c => c,
            })
            .collect(),
    )
}

/// Words that say the number after them is an error code: `Error code: 53003`, `Foutcode
/// 50020`, `error?code=50105`, `"error_codes":[50057]`.
const CODE_WORDS: &[&str] = &[
    "code",
    "codes",
    "error",
    "errors",
    "fout",
    "foutcode",
    "foutcodes",
    "errorcode",
    "errorcodes",
    "error_code",
    "error_codes",
    "aadsts",
];

/// The code words that name an error *code* (not just an error): a number of five to seven
/// digits after one of them is a sign-in code even when the catalogue does not know it
/// (`Sign-in error code: 50158`, `Foutcode: 90084`), and is reported as unknown. After
/// `error` alone (`error 12345`) a number the catalogue does not know is not taken for a code.
/// `code` and `codes` count only after an error word (`Error code:`, `error?code=`): a
/// verification or meeting code (`verification code 482913`) is not a sign-in code.
const STRONG_CODE_WORDS: &[&str] = &[
    "foutcode",
    "foutcodes",
    "errorcode",
    "errorcodes",
    "error_code",
    "error_codes",
];

/// The words before `code` that make it an error code.
const ERROR_WORDS: &[&str] = &["error", "errors", "fout", "aanmeldfout", "aanmeldingsfout"];

/// Units after a number that make it a quantity, not a code.
const UNIT_WORDS: &[&str] = &[
    "ms", "s", "sec", "secs", "second", "seconds", "seconde", "seconden", "min", "mins", "minute",
    "minutes", "minuut", "minuten", "hour", "hours", "uur", "kb", "mb", "gb", "bytes",
];

/// Words that join the items of a list of codes: `codes 50105 and 500213`, `50020 of 53003`.
const LIST_WORDS: &[&str] = &["and", "or", "en", "of"];

/// The AADSTS codes in the text, in order, without repeats: `AADSTS50020`, `aadsts 50020`,
/// `AADSTS: 50020`, `AADSTS-50020`; and bare numbers that are codes the catalogue knows, when
/// the text says they are codes (`Error code: 53003`, `Foutcode 50020.`, `?code=50105`, a list
/// after such a word) or the message is the number alone. A number that only happens to equal a
/// code (`Timeout after 16000 ms`), a version (`1.50020`) or part of a longer number or word is
/// not a code; digit runs longer than seven are never codes.
pub fn codes_in(text: &str) -> Vec<FoundCode> {
    let text = ascii_digits(capped(text, MAX_MESSAGE_BYTES));
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut found: Vec<FoundCode> = Vec::new();
    let push = |digits: &str, prefixed: bool, found: &mut Vec<FoundCode>| {
        if (4..=7).contains(&digits.len()) && !found.iter().any(|f| f.digits == digits) {
            found.push(FoundCode {
                digits: digits.to_string(),
                prefixed,
            });
        }
    };
    // `AADSTS` followed by separators and digits.
    for (i, _) in lower.match_indices("aadsts") {
        let rest = lower[i + 6..].trim_start_matches([' ', ':', '-', '_', '#', '\u{a0}']);
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let followed_by_digit = rest[digits.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit());
        if !digits.is_empty() && !followed_by_digit {
            push(&digits, true, &mut found);
        }
    }
    let whole_message_is_a_number = lower
        .trim_matches(|c: char| !c.is_ascii_alphanumeric())
        .bytes()
        .all(|b| b.is_ascii_digit());
    // Bare numbers standing alone (not part of a word, a version or a longer number).
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        // A neighbour makes the run part of something else: a letter or `_` (`x50020y`,
        // `AADSTS50020`, handled above), or a dot with a digit beyond it (`1.50020`, `50020.1`).
        // A dot that ends a sentence (`Foutcode 50020.`) does not.
        let part_of_more = |neighbour: Option<usize>, beyond: Option<usize>| {
            neighbour.is_some_and(|n| {
                let b = bytes[n];
                b.is_ascii_alphanumeric()
                    || b == b'_'
                    || (b == b'.'
                        && beyond.is_some_and(|p| bytes.get(p).is_some_and(u8::is_ascii_digit)))
            })
        };
        let before = start.checked_sub(1);
        let after = (i < bytes.len()).then_some(i);
        if part_of_more(before, start.checked_sub(2)) || part_of_more(after, Some(i + 1)) {
            continue;
        }
        let digits = &lower[start..i];
        // A quantity (`16000 ms`, `50020 seconden`) is never a code.
        let next_word = lower[i..]
            .trim_start_matches([' ', '-', '\t', '\u{a0}'])
            .split(|c: char| !c.is_ascii_alphanumeric())
            .next()
            .unwrap_or_default();
        if UNIT_WORDS.contains(&next_word) {
            continue;
        }
        let (mut word, mut word_start) = word_before(&lower, start);
        // `codes 50105 and 500213`: past a list word to the item before it.
        if LIST_WORDS.contains(&word) {
            (word, word_start) = word_before(&lower, word_start);
        }
        let names_an_error_code = STRONG_CODE_WORDS.contains(&word)
            || matches!(word, "code" | "codes")
                && ERROR_WORDS.contains(&word_before(&lower, word_start).0);
        let after_code = found.iter().any(|f| f.digits == word)
            || word.starts_with("aadsts") && word[6..].bytes().all(|b| b.is_ascii_digit());
        // Named an error code, so a code even when unknown (`Sign-in error code: 50158`, a
        // list after it, or the message is the number alone).
        let named_a_code =
            (whole_message_is_a_number || names_an_error_code || word == "aadsts" || after_code)
                && (5..=7).contains(&digits.len());
        // After a code word, an `AADSTS` code, or a code just found (`codes 50020, 53003`).
        // Or followed by one: `I get a 50020 error`, `de 530004-foutmelding`.
        let said_to_be_a_code = whole_message_is_a_number
            || CODE_WORDS.contains(&word)
            || ["error", "errors", "fout", "foutmelding", "foutcode"].contains(&next_word)
            || word.starts_with("aadsts")
            || after_code;
        if named_a_code {
            push(digits, true, &mut found);
        } else if said_to_be_a_code && error_catalogue::by_code(digits).is_some() {
            push(digits, false, &mut found);
        }
    }
    found
}

/// The word (letters, digits, `_`) just before byte `at`, skipping the separators between
/// (`Error code: `, `code=`, `"error_codes":[`, `, `, `/`, `Foutcode – ‘`), and where that word
/// starts. Any character may stand before the word (`café 50020`, `“50020”`): the word starts
/// after it, at a character boundary.
fn word_before(lower: &str, at: usize) -> (&str, usize) {
    let head = lower[..at].trim_end_matches([
        ' ', ':', '=', '#', '[', '(', '"', '\'', ',', ';', '-', '/', '|', '?', '&', '\t', '\n',
        '\r', '\u{a0}', '\u{2013}', '\u{2014}', '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}',
        '\u{201e}',
    ]);
    let start = head
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_'))
        .map_or(0, |(p, c)| p + c.len_utf8());
    (&head[start..], start)
}

/// Codes written as `AADSTS…` (or named a code: `Error code: 50158`) that the catalogue does
/// not know.
pub fn unknown_codes(message: &str) -> Vec<String> {
    codes_in(message)
        .into_iter()
        .filter(|c| c.prefixed && error_catalogue::by_code(&c.digits).is_none())
        .map(|c| c.digits)
        .collect()
}

/// True when `term` occurs in the normalised `text`: as a whole word for single words (so "off"
/// does not match "office"), as whole words for several words; long words (Dutch compounds such
/// as "gasttoegang") also match inside a longer word.
fn contains_term(text: &str, words: &[&str], term: &str) -> bool {
    let term = normalise(term);
    if term.is_empty() {
        return false;
    }
    if term.contains(' ') {
        return format!(" {text} ").contains(&format!(" {term} "));
    }
    words
        .iter()
        .any(|w| *w == term || (term.len() >= 7 && w.contains(term.as_str())))
}

/// The catalogue entries that fit `message`, best first. Empty when nothing fits.
pub fn diagnose(message: &str) -> Vec<Diagnosis> {
    let text = normalise(message);
    let padded = format!(" {text} ");
    let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
    let codes = codes_in(message);
    let mut found: Vec<Diagnosis> = Vec::new();
    for error in ERRORS {
        let code_hit = codes.iter().find_map(|c| {
            if error.codes.contains(&c.digits.as_str()) {
                Some((c, true))
            } else if error.alias_codes.contains(&c.digits.as_str()) {
                Some((c, false))
            } else {
                None
            }
        });
        let mut best: Option<(MatchKind, f32)> = None;
        if let Some((c, confirmed)) = code_hit {
            let score = match (c.prefixed, confirmed) {
                (true, true) => 1.0,
                (false, true) => 0.95,
                (_, false) => 0.92,
            };
            best = Some((MatchKind::Code, score));
        } else if error.phrases.iter().any(|p| {
            let p = normalise(p);
            !p.is_empty() && padded.contains(&format!(" {p} "))
        }) {
            // A phrase Microsoft documents outweighs one people use for many problems
            // ("contact your administrator" also ends "your account is blocked").
            best = Some((MatchKind::Phrase, if error.confirmed { 0.9 } else { 0.85 }));
        } else if !error.keywords.is_empty() {
            let hit = error
                .keywords
                .iter()
                .filter(|set| set.iter().any(|t| contains_term(&text, &words, t)))
                .count();
            let score = hit as f32 / error.keywords.len() as f32;
            // All sets for short lists; all but one for long ones (people leave words out).
            let needed = if error.keywords.len() >= 4 {
                error.keywords.len() - 1
            } else {
                error.keywords.len()
            };
            if hit >= needed {
                best = Some((MatchKind::Paraphrase, 0.5 + 0.3 * score));
            }
        }
        if let Some((kind, score)) = best {
            found.push(Diagnosis {
                error,
                kind,
                score,
                code: code_hit.map(|(c, _)| c.digits.clone()),
                code_confirmed: code_hit.is_none_or(|(_, confirmed)| confirmed),
            });
        }
    }
    // A code is far stronger evidence than the words around it. A whole error page pasted also
    // carries boilerplate ("If you contact your administrator, send this info to them") that
    // would otherwise match descriptions of other problems.
    if found.iter().any(|d| d.kind == MatchKind::Code) {
        found.retain(|d| {
            d.kind == MatchKind::Code || (d.kind == MatchKind::Phrase && !d.error.codes.is_empty())
        });
    }
    // Best score first; among equal scores, the code that comes first in the message.
    let position = |d: &Diagnosis| {
        d.code
            .as_ref()
            .and_then(|c| codes.iter().position(|f| &f.digits == c))
            .unwrap_or(usize::MAX)
    };
    found.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.kind.cmp(&a.kind))
            .then(position(a).cmp(&position(b)))
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn top(msg: &str) -> Option<&'static str> {
        diagnose(msg).first().map(|d| d.error.id)
    }

    #[test]
    fn exact_messages_in_both_languages() {
        assert_eq!(top("We didn't find any matches."), Some("no-matches"));
        assert_eq!(top("We didn’t find any matches"), Some("no-matches"));
        assert_eq!(top("we didnt find any matches"), Some("no-matches"));
        assert_eq!(
            top("We couldn't add member. We ran into an issue. Please try again later."),
            Some("couldnt-add-member")
        );
        assert_eq!(
            top("Something went wrong\nAttempted to perform an unauthorized operation."),
            Some("files-unauthorized")
        );
        assert_eq!(
            top("Gasttoegang in Teams is uitgeschakeld."),
            Some("guest-access-off")
        );
        assert_eq!(
            top("Je hebt toestemming nodig om toegang te krijgen tot dit team."),
            Some("need-permission")
        );
        assert_eq!(
            top("Het toevoegen van een gast is mislukt."),
            Some("adding-guest-failed")
        );
    }

    #[test]
    fn aadsts_codes_win_in_every_spelling() {
        let msg = "AADSTS50020: User account 'x@fabrikam.com' from identity provider 'live.com' does not exist in tenant 'Contoso'";
        assert_eq!(top(msg), Some("aadsts50020"));
        assert_eq!(diagnose(msg)[0].kind, MatchKind::Code);
        assert_eq!(top("foutcode aadsts 500213"), Some("aadsts500213"));
        assert_eq!(top("AADSTS-530004"), Some("aadsts530004"));
        assert_eq!(top("Error code: 53003"), Some("aadsts53003"));
        assert_eq!(top("Sign-in error code 90072"), Some("aadsts90072"));
        let codes: Vec<String> = codes_in("AADSTS: 53003 and AADSTS90072")
            .into_iter()
            .map(|c| c.digits)
            .collect();
        assert_eq!(codes, vec!["53003", "90072"]);
    }

    #[test]
    fn every_new_code_finds_its_entry() {
        for (code, id) in [
            ("500571", "aadsts500571"),
            ("65005", "aadsts65005"),
            ("50105", "aadsts50105"),
            ("50057", "aadsts50057"),
            ("50034", "guest-not-in-directory"),
            ("51004", "guest-not-in-directory"),
            ("50014", "redemption-pending"),
            ("16000", "aadsts16000"),
            ("50076", "mfa-registration"),
            ("50079", "mfa-registration"),
            ("50072", "mfa-registration"),
            ("530004", "aadsts530004"),
            ("90071", "aadsts90071"),
            ("530035", "aadsts530035"),
            ("500208", "aadsts500208"),
        ] {
            let d = diagnose(&format!("Sign-in failed: AADSTS{code}. Trace ID: 0b1c"));
            assert_eq!(d.first().map(|d| d.error.id), Some(id), "{code}");
            assert!(d[0].code_confirmed);
        }
    }

    #[test]
    fn an_unconfirmed_alias_is_marked() {
        let d = diagnose("AADSTS650051 something");
        assert_eq!(d[0].error.id, "aadsts65005");
        assert!(!d[0].code_confirmed);
        assert_eq!(d[0].code.as_deref(), Some("650051"));
    }

    #[test]
    fn unknown_codes_are_reported_not_guessed() {
        assert!(diagnose("AADSTS700016: Application not found").is_empty());
        assert_eq!(
            unknown_codes("AADSTS700016 and AADSTS50020"),
            vec!["700016"]
        );
        assert!(unknown_codes("version 25306.804.4102.7193, error 12345").is_empty());
        // Numbers that are not standalone codes.
        assert!(diagnose("Teams 25306.804.4102.7193").is_empty());
        assert!(diagnose("build v50020x").is_empty());
        assert!(diagnose("12345678901").is_empty());
        assert!(codes_in("AADSTS500213999").is_empty());
    }

    #[test]
    fn a_bare_number_is_a_code_only_when_the_text_says_so() {
        let digits =
            |msg: &str| -> Vec<String> { codes_in(msg).into_iter().map(|c| c.digits).collect() };
        assert_eq!(digits("Foutcode 50020."), ["50020"]);
        assert_eq!(digits("error?code=50105&x=1"), ["50105"]);
        assert_eq!(digits("\"error_codes\":[50057]"), ["50057"]);
        // A list goes on past "and" / "en" / "of" (Dutch "or").
        assert_eq!(
            digits("codes 50020, 53003 and 16000"),
            ["50020", "53003", "16000"]
        );
        assert_eq!(digits("Foutcodes 50105 en 500213"), ["50105", "500213"]);
        assert_eq!(digits("AADSTS50076 of 50079"), ["50076", "50079"]);
        // The word after says it too.
        assert_eq!(digits("I get a 50020 error when I sign in"), ["50020"]);
        assert_eq!(digits("we krijgen de 530004-foutmelding"), ["530004"]);
        assert!(digits("I get a 12345 error").is_empty());
        assert_eq!(digits("AADSTS50020, 53003"), ["50020", "53003"]);
        assert_eq!(digits("  50076\n"), ["50076"]);
        assert_eq!(
            digits("AADSTS\u{ff15}\u{ff10}\u{ff10}\u{ff12}\u{ff10}"),
            ["50020"]
        );
        for not_a_code in [
            "Timeout after 16000 ms",
            "error 1.50020",
            "code 50020.5",
            "code x50020",
            "Correlation Id: 1b2c3d4e-5002-4aaa-9bbb-160001234567",
            "we waited 50020 seconds",
            "code 16000 ms",
            "Foutcode: na 16000 seconden",
        ] {
            assert!(codes_in(not_a_code).is_empty(), "{not_a_code}");
        }
    }

    /// Any character may stand just before a number: an accented letter (Dutch text), a curly
    /// quote or a dash from a mail or a Word document. Reading the word before the number used
    /// to slice inside such a character and panic.
    #[test]
    fn any_character_before_a_number_is_read_safely() {
        let digits =
            |msg: &str| -> Vec<String> { codes_in(msg).into_iter().map(|c| c.digits).collect() };
        for msg in [
            "café 50020",
            "Foutcode: één 50020",
            "ü50020",
            "Fout… 50020",
            "→ 50020",
        ] {
            // The word before is not a code word, so no code; above all no panic.
            let _ = diagnose(msg);
            assert!(digits(msg).len() <= 1, "{msg}");
        }
        assert_eq!(digits("Error code \u{2013} 50020"), ["50020"]);
        assert_eq!(digits("Foutcode \u{2018}530004\u{2019}"), ["530004"]);
        assert_eq!(digits("Error code: \u{201c}53003\u{201d}"), ["53003"]);
        assert_eq!(top("Error code \u{2013} 50020"), Some("aadsts50020"));
        assert!(digits("Error code 50020 and 16000 ms") == ["50020"]);
    }

    /// A number after a word that names an error code is a sign-in code even when the
    /// catalogue does not know it: it is reported as unknown (with Microsoft's page), not
    /// dropped as if nothing had been pasted.
    #[test]
    fn an_unknown_code_named_a_code_is_reported() {
        for (msg, code) in [
            ("Error Code: 700016", "700016"),
            ("Foutcode: 90084", "90084"),
            ("Sign-in error code: 50158", "50158"),
            (
                "https://login.microsoftonline.com/error?code=53011",
                "53011",
            ),
            ("\"errorCode\": 50097", "50097"),
            ("700016", "700016"),
        ] {
            assert!(diagnose(msg).is_empty(), "{msg}");
            assert_eq!(unknown_codes(msg), [code], "{msg}");
        }
        // A list after a code goes on with codes, known or not.
        assert_eq!(unknown_codes("AADSTS50020, 123456"), ["123456"]);
        // Not codes: too short or too long, a Teams client code, a number after "error" alone,
        // a verification or meeting code.
        for msg in [
            "Error code: 404",
            "Error code 80080300",
            "Error code: caa70004",
            "error 12345",
            "123",
            "verification code 482913",
            "Je verificatiecode is 482913",
            "Enter code 123456 in the app",
            "Meeting ID: 123 456 789, code 918273",
        ] {
            assert!(unknown_codes(msg).is_empty(), "{msg}");
        }
    }

    /// A whole error page: its boilerplate ("If you contact your administrator...") must not add
    /// a second, unrelated diagnosis next to the page's code.
    #[test]
    fn a_code_outweighs_the_words_around_it() {
        let page = "AADSTS50105: Your administrator has configured the application to block users.\n\
            Troubleshooting details\nIf you contact your administrator, send this info to them.\n\
            Als u contact opneemt met uw beheerder, stuurt u deze gegevens naar hem.";
        let d = diagnose(page);
        assert_eq!(
            d.len(),
            1,
            "{:?}",
            d.iter().map(|d| d.error.id).collect::<Vec<_>>()
        );
        assert_eq!(d[0].error.id, "aadsts50105");
        // Without a code the same words are still recognised.
        assert_eq!(top("Contact your administrator"), Some("contact-admin"));
    }

    #[test]
    fn descriptions_match_loosely() {
        assert_eq!(
            top("guest access seems to be turned off"),
            Some("guest-access-off")
        );
        assert_eq!(
            top("de gasttoegang staat uit bij ons"),
            Some("guest-access-off")
        );
        assert_eq!(top("gast toevoegen lukt niet"), Some("adding-guest-failed"));
        assert_eq!(
            top("Teams logt in met een verkeerde account"),
            Some("wrong-account-or-tenant")
        );
        assert_eq!(
            top("De gast heeft de uitnodiging nooit ontvangen"),
            Some("invitation-mail-missing")
        );
        assert_eq!(
            top("the guest never received the invitation email"),
            Some("invitation-mail-missing")
        );
        assert_eq!(
            top("no mail from invites@azuread.us"),
            Some("invitation-mail-missing")
        );
        assert_eq!(
            top("Teams blijft in een lus hangen bij het wisselen van organisatie"),
            Some("org-switch-loop")
        );
        assert_eq!(
            top("De gast moet de Authenticator-app instellen"),
            Some("mfa-registration")
        );
        assert_eq!(
            top("Status van de uitnodiging: PendingAcceptance"),
            Some("redemption-pending")
        );
        assert_eq!(
            top("Wat is het verschil tussen gasttoegang en externe toegang?"),
            Some("collaboration-types")
        );
        assert_eq!(
            top("gast krijgt geen eenmalige code, moet een Microsoft-account aanmaken"),
            Some("email-otp-off")
        );
    }

    #[test]
    fn unrelated_text_matches_nothing() {
        assert!(diagnose("my printer is out of paper").is_empty());
        assert!(diagnose("").is_empty());
        assert!(diagnose("office").is_empty());
        assert!(diagnose("   \n\t ").is_empty());
        assert!(diagnose("🙂🙂🙂").is_empty());
    }

    #[test]
    fn huge_input_is_cut_at_a_character_boundary() {
        let big = "é".repeat(MAX_MESSAGE_BYTES);
        assert!(normalise(&big).len() <= MAX_MESSAGE_BYTES);
        let mut msg = "gasttoegang uitgeschakeld ".repeat(10_000);
        msg.push_str("AADSTS50020");
        // The code past the cap is not seen; the words before it still are.
        assert_eq!(top(&msg), Some("guest-access-off"));
    }
}
