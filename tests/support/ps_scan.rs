//! A second, independent reading of PowerShell, besides the tree-sitter grammar in
//! `powershell.rs`: a careful token scan written from PowerShell's language rules. It skips
//! comments (`#`, `<# #>`) and strings (single-quoted with every kind of single quote and `''`
//! doubling; double-quoted with backtick escapes, whose `$( )` subexpressions are code and are
//! scanned; here-strings), and records every word in command position, every `&` call, every
//! method and static call, dot-sourcing and redirection, with each command's arguments.

#![allow(dead_code)]

/// What the scan found in a piece of PowerShell.
#[derive(Debug, Default)]
pub struct Scan {
    /// Every command in command position, with the raw text of its arguments.
    pub commands: Vec<(String, Vec<String>)>,
    /// What follows each `&` call operator.
    pub calls: Vec<String>,
    /// `.Name(` method calls.
    pub methods: Vec<String>,
    /// `[Type]::Name` static members.
    pub statics: Vec<String>,
    /// Type literals `[...]`.
    pub types: Vec<String>,
    /// Things that are never allowed in a read-only script: redirection, dot-sourcing, an
    /// unterminated string or comment, an unbalanced bracket.
    pub findings: Vec<String>,
}

const SINGLE: [char; 5] = ['\'', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'];
const DOUBLE: [char; 4] = ['"', '\u{201C}', '\u{201D}', '\u{201E}'];
const DASHES: [char; 4] = ['-', '\u{2013}', '\u{2014}', '\u{2015}'];
const KEYWORDS: &[&str] = &[
    "if", "elseif", "else", "foreach", "for", "while", "do", "until", "switch", "try", "catch",
    "finally", "param", "return", "throw", "break", "continue", "function", "filter", "in", "trap",
    "exit", "begin", "process", "end", "data",
];

#[derive(Clone, Copy, PartialEq, Debug)]
enum Open {
    Paren,
    Block,
    Hash,
    Index,
}

struct Scanner {
    c: Vec<char>,
    i: usize,
    out: Scan,
}

pub fn scan(text: &str) -> Scan {
    let mut s = Scanner {
        c: text.chars().collect(),
        i: 0,
        out: Scan::default(),
    };
    s.code(false);
    if s.i < s.c.len() {
        s.out.findings.push(format!("unbalanced ')' at {}", s.i));
    }
    s.out
}

fn word_char(ch: char) -> bool {
    ch.is_alphanumeric()
        || matches!(
            ch,
            '-' | '_' | '.' | '\\' | ':' | '*' | '?' | '/' | '+' | '%' | '~' | '!' | '^'
        )
        || DASHES.contains(&ch)
}

impl Scanner {
    fn peek(&self, n: usize) -> Option<char> {
        self.c.get(self.i + n).copied()
    }

    fn finding(&mut self, what: impl Into<String>) {
        self.out.findings.push(what.into());
    }

    /// Code until the end, or (with `sub`) until the `)` that closes a `$(`.
    fn code(&mut self, sub: bool) {
        let mut stack: Vec<Open> = Vec::new();
        let mut at_start = true;
        let mut current: Option<usize> = None;
        let mut prev_significant = ' ';
        while let Some(ch) = self.peek(0) {
            let start_now = at_start;
            match ch {
                '\n' | '\r' | ';' => {
                    self.i += 1;
                    at_start = true;
                    current = None;
                }
                ' ' | '\t' | '\u{a0}' | '\u{feff}' => {
                    self.i += 1;
                    continue;
                }
                '`' => {
                    // An escape: a line continuation, or an escaped character in a word.
                    self.i += 2;
                    continue;
                }
                '#' => {
                    while self.peek(0).is_some_and(|c| c != '\n' && c != '\r') {
                        self.i += 1;
                    }
                    continue;
                }
                '<' if self.peek(1) == Some('#') => {
                    self.i += 2;
                    loop {
                        match self.peek(0) {
                            None => {
                                self.finding("unterminated <# comment");
                                return;
                            }
                            Some('#') if self.peek(1) == Some('>') => {
                                self.i += 2;
                                break;
                            }
                            _ => self.i += 1,
                        }
                    }
                    continue;
                }
                c if SINGLE.contains(&c) => {
                    let text = self.single_quoted();
                    self.argument(current, text);
                    at_start = false;
                }
                c if DOUBLE.contains(&c) => {
                    let text = self.double_quoted();
                    self.argument(current, text);
                    at_start = false;
                }
                '@' if matches!(self.peek(1), Some(c) if SINGLE.contains(&c) || DOUBLE.contains(&c))
                    && matches!(self.peek(2), Some('\n' | '\r')) =>
                {
                    let text = self.here_string();
                    self.argument(current, text);
                    at_start = false;
                }
                '@' if self.peek(1) == Some('(') => {
                    self.i += 2;
                    stack.push(Open::Paren);
                    at_start = true;
                    current = None;
                }
                '@' if self.peek(1) == Some('{') => {
                    self.i += 2;
                    stack.push(Open::Hash);
                    at_start = true;
                    current = None;
                }
                '$' if self.peek(1) == Some('(') => {
                    self.i += 2;
                    self.code(true);
                    self.i += 1;
                    at_start = false;
                }
                '$' => {
                    let v = self.variable();
                    self.argument(current, v);
                    at_start = false;
                }
                '(' => {
                    self.i += 1;
                    stack.push(Open::Paren);
                    at_start = true;
                    current = None;
                }
                '{' => {
                    self.i += 1;
                    stack.push(Open::Block);
                    at_start = true;
                    current = None;
                }
                '[' => {
                    if let Some(t) = self.type_literal() {
                        self.out.types.push(t);
                        at_start = false;
                    } else {
                        self.i += 1;
                        stack.push(Open::Index);
                        at_start = true;
                        current = None;
                    }
                }
                ')' | '}' | ']' => {
                    let want = match ch {
                        ')' => [Open::Paren, Open::Paren],
                        '}' => [Open::Block, Open::Hash],
                        _ => [Open::Index, Open::Index],
                    };
                    match stack.pop() {
                        Some(o) if want.contains(&o) => {}
                        None if sub && ch == ')' => return,
                        other => self.finding(format!("'{ch}' closes {other:?} at {}", self.i)),
                    }
                    self.i += 1;
                    at_start = ch == '}';
                    current = None;
                }
                '|' => {
                    self.i += 1;
                    if self.peek(0) == Some('|') {
                        self.i += 1;
                    }
                    at_start = true;
                    current = None;
                }
                '&' => {
                    self.i += 1;
                    if self.peek(0) == Some('&') {
                        self.i += 1;
                        at_start = true;
                        current = None;
                        continue;
                    }
                    while matches!(self.peek(0), Some(' ' | '\t')) {
                        self.i += 1;
                    }
                    let target: String = match self.peek(0) {
                        Some('$') => self.variable(),
                        Some(c) if SINGLE.contains(&c) => self.single_quoted(),
                        Some(c) if DOUBLE.contains(&c) => self.double_quoted(),
                        _ => self.word(),
                    };
                    self.out.calls.push(target.clone());
                    self.out.commands.push((format!("& {target}"), Vec::new()));
                    current = Some(self.out.commands.len() - 1);
                    at_start = false;
                }
                '=' => {
                    self.i += 1;
                    at_start = true;
                    current = None;
                }
                '>' => {
                    self.finding(format!("redirection '>' at {}", self.i));
                    self.i += 1;
                }
                '.' if start_now && matches!(self.peek(1), Some(' ' | '\t' | '$' | '\'' | '"')) => {
                    self.finding(format!("dot-sourcing at {}", self.i));
                    self.i += 1;
                }
                '.' if self.peek(1).is_some_and(char::is_alphabetic)
                    && !matches!(prev_significant, ' ' | '\t' | '\n' | '\r') =>
                {
                    self.i += 1;
                    let name = self.identifier();
                    if self.peek(0) == Some('(') {
                        self.out.methods.push(name);
                    }
                    at_start = false;
                }
                ':' if self.peek(1) == Some(':') => {
                    self.i += 2;
                    let name = self.identifier();
                    let ty = self.out.types.last().cloned().unwrap_or_default();
                    self.out.statics.push(format!("{ty}::{name}"));
                    at_start = false;
                }
                ',' | '+' | '!' | '*' | '/' | '%' if !start_now || ch == ',' => {
                    self.i += 1;
                    if self.peek(0) == Some('=') {
                        self.i += 1;
                        at_start = true;
                        current = None;
                    }
                }
                _ => {
                    let w = self.word();
                    if w.is_empty() {
                        self.finding(format!("unexpected {ch:?} at {}", self.i));
                        self.i += 1;
                        continue;
                    }
                    let is_operator = w.starts_with(DASHES);
                    let key = stack.last() == Some(&Open::Hash) && self.followed_by_equals();
                    if start_now
                        && !is_operator
                        && !key
                        && !KEYWORDS.contains(&w.to_ascii_lowercase().as_str())
                        && !w.chars().next().is_some_and(|c| c.is_ascii_digit())
                    {
                        self.out.commands.push((w, Vec::new()));
                        current = Some(self.out.commands.len() - 1);
                    } else {
                        self.argument(current, w);
                    }
                    at_start = false;
                }
            }
            prev_significant = self.c.get(self.i.wrapping_sub(1)).copied().unwrap_or(' ');
        }
        if !stack.is_empty() {
            self.finding(format!("unclosed {stack:?}"));
        }
        if sub {
            self.finding("unclosed $(");
        }
    }

    fn argument(&mut self, current: Option<usize>, text: String) {
        if let Some(at) = current {
            self.out.commands[at].1.push(text);
        }
    }

    fn followed_by_equals(&self) -> bool {
        let mut j = self.i;
        while matches!(self.c.get(j), Some(' ' | '\t')) {
            j += 1;
        }
        self.c.get(j) == Some(&'=') && self.c.get(j + 1) != Some(&'=')
    }

    fn word(&mut self) -> String {
        let from = self.i;
        while self.peek(0).is_some_and(word_char) {
            // A `.` followed by a letter after a word is member access (`$x.Count` is handled
            // by `variable`, `(...)` by the caller); in a word it is part of the name.
            self.i += 1;
        }
        self.c[from..self.i].iter().collect()
    }

    fn identifier(&mut self) -> String {
        let from = self.i;
        while self
            .peek(0)
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            self.i += 1;
        }
        self.c[from..self.i].iter().collect()
    }

    /// `$name`, `$_`, `${any name}`, `$scope:name`; member access after it is scanned by the
    /// caller's `.` rule.
    fn variable(&mut self) -> String {
        let from = self.i;
        self.i += 1;
        if self.peek(0) == Some('{') {
            while self.peek(0).is_some_and(|c| c != '}') {
                self.i += 1;
            }
            self.i += 1;
        } else if matches!(self.peek(0), Some('_' | '?' | '$' | '^')) {
            self.i += 1;
        } else {
            while self.peek(0).is_some_and(|c| {
                c.is_alphanumeric() || c == '_' || (c == ':' && self.peek(1) != Some(':'))
            }) {
                self.i += 1;
            }
        }
        self.c[from..self.i.min(self.c.len())].iter().collect()
    }

    /// `[string]`, `[System.IO.Path]`, `[ordered]`: a type literal, not an index.
    fn type_literal(&mut self) -> Option<String> {
        let mut j = self.i + 1;
        while self
            .c
            .get(j)
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '[' | ']' | ',' | '`'))
            && self.c.get(j) != Some(&']')
        {
            j += 1;
        }
        let name: String = self.c[self.i + 1..j.min(self.c.len())].iter().collect();
        let starts_alpha = name.chars().next().is_some_and(char::is_alphabetic);
        if self.c.get(j) == Some(&']') && starts_alpha {
            self.i = j + 1;
            Some(name)
        } else {
            None
        }
    }

    fn single_quoted(&mut self) -> String {
        let from = self.i;
        self.i += 1;
        loop {
            match self.peek(0) {
                None => {
                    self.finding(format!("unterminated string at {from}"));
                    break;
                }
                Some(c) if SINGLE.contains(&c) => {
                    if self.peek(1).is_some_and(|n| SINGLE.contains(&n)) {
                        self.i += 2;
                    } else {
                        self.i += 1;
                        break;
                    }
                }
                _ => self.i += 1,
            }
        }
        self.c[from..self.i.min(self.c.len())].iter().collect()
    }

    /// A double-quoted string; its `$( )` subexpressions are code and are scanned.
    fn double_quoted(&mut self) -> String {
        let from = self.i;
        self.i += 1;
        loop {
            match self.peek(0) {
                None => {
                    self.finding(format!("unterminated string at {from}"));
                    break;
                }
                Some('`') => self.i += 2,
                Some('$') if self.peek(1) == Some('(') => {
                    self.i += 2;
                    self.code(true);
                    self.i += 1;
                }
                Some(c) if DOUBLE.contains(&c) => {
                    if self.peek(1).is_some_and(|n| DOUBLE.contains(&n)) {
                        self.i += 2;
                    } else {
                        self.i += 1;
                        break;
                    }
                }
                _ => self.i += 1,
            }
        }
        self.c[from..self.i.min(self.c.len())].iter().collect()
    }

    fn here_string(&mut self) -> String {
        let from = self.i;
        let quote = self.peek(1).unwrap();
        let double = DOUBLE.contains(&quote);
        self.i += 2;
        loop {
            match self.peek(0) {
                None => {
                    self.finding(format!("unterminated here-string at {from}"));
                    break;
                }
                Some('\n')
                    if self.peek(1).is_some_and(|c| {
                        if double {
                            DOUBLE.contains(&c)
                        } else {
                            SINGLE.contains(&c)
                        }
                    }) && self.peek(2) == Some('@') =>
                {
                    self.i += 3;
                    break;
                }
                Some('$') if double && self.peek(1) == Some('(') => {
                    self.i += 2;
                    self.code(true);
                    self.i += 1;
                }
                _ => self.i += 1,
            }
        }
        self.c[from..self.i.min(self.c.len())].iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scan_finds_what_hides() {
        let s = scan(
            "Get-X -A 'it''s' # Remove-Item\n<# Remove-Item #>\n$a = \"x $(Remove-Item y) z\"\n@{ status = 'x'; Set = Get-Y }\n& $f\n. $g\n'a' > b\n",
        );
        let names: Vec<&str> = s.commands.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["Get-X", "Remove-Item", "Get-Y", "& $f"]);
        assert_eq!(s.findings.len(), 2, "{:?}", s.findings);
    }
}
