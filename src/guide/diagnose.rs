//! Matching a message a user pastes (English or Dutch, exact or paraphrased, with or without an
//! AADSTS code) against the error catalogue.

use crate::guide::error_catalogue::{ERRORS, KnownError};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    /// A paraphrase: enough of the entry's keyword sets are present.
    Paraphrase,
    /// One of the entry's phrases appears in the message.
    Phrase,
    /// The AADSTS code appears in the message.
    Code,
}

#[derive(Clone, Debug)]
pub struct Diagnosis {
    pub error: &'static KnownError,
    pub kind: MatchKind,
    /// 0.0 to 1.0.
    pub score: f32,
}

/// Lower case, accents folded, punctuation as spaces, apostrophes unified, single spaces.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            '\u{2018}' | '\u{2019}' | '`' | '´' => '\'',
            c => c,
        };
        if c.is_alphanumeric() || c == '\'' || c == '-' {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.trim().to_string()
}

/// AADSTS codes in the text (`AADSTS50020`, `aadsts 50020`, `AADSTS: 50020`).
pub fn codes_in(text: &str) -> Vec<String> {
    let lower = text.to_ascii_lowercase();
    let mut codes = Vec::new();
    for (i, _) in lower.match_indices("aadsts") {
        let digits: String = lower[i + 6..]
            .trim_start_matches([' ', ':', '-', '_'])
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if !digits.is_empty() {
            codes.push(digits);
        }
    }
    codes
}

/// True when `term` occurs in the normalised `text`: as a whole word for single words (so "off"
/// does not match "office"), anywhere for several words; long words (Dutch compounds such as
/// "gasttoegang") also match inside a longer word.
fn contains_term(text: &str, words: &[&str], term: &str) -> bool {
    let term = normalise(term);
    if term.contains(' ') {
        return text.contains(&term);
    }
    words
        .iter()
        .any(|w| *w == term || (term.len() >= 7 && w.contains(&term)))
}

/// The catalogue entries that fit `message`, best first. Empty when nothing fits.
pub fn diagnose(message: &str) -> Vec<Diagnosis> {
    let text = normalise(message);
    let words: Vec<&str> = text.split(' ').collect();
    let codes = codes_in(message);
    let mut found: Vec<Diagnosis> = Vec::new();
    for error in ERRORS {
        let mut best: Option<(MatchKind, f32)> = None;
        if error.codes.iter().any(|c| codes.iter().any(|x| x == c)) {
            best = Some((MatchKind::Code, 1.0));
        } else if error.phrases.iter().any(|p| text.contains(&normalise(p))) {
            best = Some((MatchKind::Phrase, 0.9));
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
            found.push(Diagnosis { error, kind, score });
        }
    }
    found.sort_by(|a, b| b.score.total_cmp(&a.score).then(b.kind.cmp(&a.kind)));
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
        assert_eq!(
            top("We couldn't add member. We ran into an issue. Please try again later."),
            Some("couldnt-add-member")
        );
        assert_eq!(
            top("Attempted to perform an unauthorized operation."),
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
    fn aadsts_codes_win() {
        let msg = "AADSTS50020: User account 'x@fabrikam.com' from identity provider 'live.com' does not exist in tenant 'Contoso'";
        assert_eq!(top(msg), Some("aadsts50020"));
        assert_eq!(diagnose(msg)[0].kind, MatchKind::Code);
        assert_eq!(top("foutcode aadsts 500213"), Some("aadsts500213"));
        assert_eq!(top("AADSTS650051 something"), Some("aadsts65005"));
        assert_eq!(
            codes_in("AADSTS: 53003 and AADSTS90072"),
            vec!["53003", "90072"]
        );
    }

    #[test]
    fn paraphrases_match_loosely() {
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
    }

    #[test]
    fn unrelated_text_matches_nothing() {
        assert!(diagnose("my printer is out of paper").is_empty());
        assert!(diagnose("").is_empty());
        assert!(diagnose("office").is_empty());
    }
}
