//! Hiding personal details in a report before it is shared: the user name, e-mail-like strings
//! and paths under the home folder.

/// Replaces the home folder with `~`, the user name with `<user>` and e-mail addresses with
/// `<e-mail>`.
pub fn redact(text: &str, home: Option<&str>, user: Option<&str>) -> String {
    let mut out = text.to_string();
    // A home given with a trailing separator (`HOME=/home/jan/`) still hides `/home/jan/x`.
    let home = home.map(|h| h.trim_end_matches(['/', '\\']));
    if let Some(home) = home.filter(|h| h.len() > 3) {
        out = out.replace(home, "~");
        // Paths may be printed with the other separator too (JSON escapes, Wine).
        let alt = if home.contains('\\') {
            home.replace('\\', "/")
        } else {
            home.replace('/', "\\")
        };
        out = out.replace(&alt, "~");
        out = out.replace(&home.replace('\\', "\\\\"), "~");
    }
    out = redact_emails(&out);
    if let Some(user) = user.filter(|u| u.len() >= 3) {
        out = replace_word(&out, user, "<user>");
    }
    out
}

/// Replaces each of `values` (names, addresses and ids known to be personal, such as the tenant
/// audit's) with `with`, also where JSON escaped them. Values shorter than 3 characters are left.
pub fn hide_values(text: &str, values: &[String], with: &str) -> String {
    let mut values: Vec<&String> = values.iter().filter(|v| v.chars().count() >= 3).collect();
    values.sort_by_key(|v| std::cmp::Reverse(v.len()));
    let mut out = text.to_string();
    for v in values {
        out = out.replace(v.as_str(), with);
        let escaped = serde_json::to_string(v).unwrap_or_default();
        let escaped = escaped.trim_matches('"');
        if escaped != v {
            out = out.replace(escaped, with);
        }
    }
    out
}

fn is_email_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | '%')
}

fn redact_emails(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '@' {
            let mut start = out.len();
            let mut local = 0;
            for (pos, c) in out.char_indices().rev() {
                if is_email_char(c) {
                    start = pos;
                    local += 1;
                } else {
                    break;
                }
            }
            let mut end = i + 1;
            while end < chars.len() && is_email_char(chars[end]) {
                end += 1;
            }
            let domain: String = chars[i + 1..end].iter().collect();
            let domain = domain.trim_end_matches('.');
            if local > 0 && domain.contains('.') && !domain.starts_with('.') {
                out.truncate(start);
                out.push_str("<e-mail>");
                i += 1 + domain.chars().count();
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Replaces `word` where it stands as a whole word (not inside a longer name).
fn replace_word(text: &str, word: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(word) {
        let before = rest[..pos].chars().next_back();
        let after = rest[pos + word.len()..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '_');
        out.push_str(&rest[..pos]);
        if boundary(before) && boundary(after) {
            out.push_str(with);
        } else {
            out.push_str(word);
        }
        rest = &rest[pos + word.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hides_home_user_and_emails() {
        let t = "User jdevries at /home/jdevries/.config/teams-for-linux, mail j.de-vries@contoso.nl; jdevriesx stays";
        let r = redact(t, Some("/home/jdevries"), Some("jdevries"));
        assert_eq!(
            r,
            "User <user> at ~/.config/teams-for-linux, mail <e-mail>; jdevriesx stays"
        );
        let w = redact(
            r"C:\Users\Piet\AppData and C:/Users/Piet/x",
            Some(r"C:\Users\Piet"),
            Some("Piet"),
        );
        assert_eq!(w, "~\\AppData and ~/x");
        assert_eq!(
            redact("/home/jan/.config", Some("/home/jan/"), None),
            "~/.config"
        );
        assert_eq!(
            redact("a@b no-domain@x and @handle", None, None),
            "a@b no-domain@x and @handle"
        );
    }

    #[test]
    fn hides_given_values_also_json_escaped() {
        let values = vec![
            "6f1c2b7a-3d4e".to_string(),
            "Jan \"JD\" de Vries".to_string(),
            "ab".to_string(),
        ];
        let text = r#"tenant 6f1c2b7a-3d4e, {"name":"Jan \"JD\" de Vries"} ab"#;
        assert_eq!(
            hide_values(text, &values, "<hidden>"),
            r#"tenant <hidden>, {"name":"<hidden>"} ab"#
        );
    }
}
