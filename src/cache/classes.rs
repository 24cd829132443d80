//! The classes every entry of a data root is sorted into, and the path rules that sort them.

use serde::Serialize;

/// What an entry in a Teams data root is, and so what a clear does with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CacheClass {
    /// Regenerated on the next start; removing it keeps the user signed in.
    Regenerable,
    /// Sign-in and session state; removing it signs the user out and clears a stale account or tenant.
    Session,
    /// The user's own data (custom backgrounds, preferences): never removed.
    UserData,
    /// Logs and crash dumps: archived before any clear, removed only by a full clear.
    Diagnostics,
    /// Anything else the client keeps in its data root; removed only by a full clear.
    Other,
}

impl CacheClass {
    pub const ALL: [CacheClass; 5] = [
        CacheClass::Regenerable,
        CacheClass::Session,
        CacheClass::UserData,
        CacheClass::Diagnostics,
        CacheClass::Other,
    ];

    pub fn id(self) -> &'static str {
        match self {
            CacheClass::Regenerable => "regenerable",
            CacheClass::Session => "session",
            CacheClass::UserData => "user_data",
            CacheClass::Diagnostics => "diagnostics",
            CacheClass::Other => "other",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// A rule: entries whose path (relative to the data root) matches `pattern` belong to `class`.
///
/// The pattern is `/`-separated; each component matches one path component, ASCII
/// case-insensitively (Windows and macOS file systems are case-insensitive); `*` in a component
/// matches any run of characters (`*`, `*.log`, `MSTeams_*`). The longest matching rule wins, so a
/// `Partitions/teams-4-linux/Cache` rule overrides a `Partitions` rule beneath it.
#[derive(Clone, Copy, Debug)]
pub struct ClassRule {
    pub pattern: &'static str,
    pub class: CacheClass,
}

pub const fn rule(pattern: &'static str, class: CacheClass) -> ClassRule {
    ClassRule { pattern, class }
}

/// Matches one path component against one pattern component.
pub fn component_matches(pattern: &str, name: &str) -> bool {
    let p = pattern.as_bytes();
    let n = name.as_bytes();
    match pattern.find('*') {
        None => p.eq_ignore_ascii_case(n),
        Some(star) => {
            let (prefix, rest) = (&p[..star], &p[star + 1..]);
            // Only one `*` per component is needed by the table; a second one is matched literally.
            n.len() >= prefix.len() + rest.len()
                && n[..prefix.len()].eq_ignore_ascii_case(prefix)
                && n[n.len() - rest.len()..].eq_ignore_ascii_case(rest)
        }
    }
}

/// The class rules of one data-root layout, with the lookups the walker needs.
#[derive(Debug)]
pub struct Layout {
    pub rules: &'static [ClassRule],
    /// Class of entries that no rule covers.
    pub default_class: CacheClass,
}

/// The answer for one path: its own class, and whether rules reach further down inside it
/// (then a walker must look at its children one by one instead of treating it as one unit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Classification {
    pub class: CacheClass,
    pub rules_below: bool,
}

impl Layout {
    /// Classifies a path given as components relative to the data root, inheriting
    /// `parent_class` when no rule matches it exactly.
    pub fn classify(&self, components: &[&str], parent_class: CacheClass) -> Classification {
        let mut class = parent_class;
        let mut best_len = 0usize;
        let mut rules_below = false;
        for rule in self.rules {
            let pat: Vec<&str> = rule.pattern.split('/').collect();
            let common = pat.len().min(components.len());
            if !pat[..common]
                .iter()
                .zip(&components[..common])
                .all(|(p, c)| component_matches(p, c))
            {
                continue;
            }
            if pat.len() == components.len() {
                if pat.len() >= best_len {
                    best_len = pat.len();
                    class = rule.class;
                }
            } else if pat.len() > components.len() {
                rules_below = true;
            }
        }
        Classification { class, rules_below }
    }

    pub fn root_classification(&self) -> Classification {
        Classification {
            class: self.default_class,
            rules_below: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static LAYOUT: Layout = Layout {
        rules: &[
            rule("Partitions", CacheClass::Session),
            rule("Partitions/*/Cache", CacheClass::Regenerable),
            rule("*.log", CacheClass::Diagnostics),
            rule("Backgrounds/Uploads", CacheClass::UserData),
        ],
        default_class: CacheClass::Other,
    };

    #[test]
    fn component_wildcards_and_case() {
        assert!(component_matches("*.log", "Main.LOG"));
        assert!(component_matches("MSTeams_*", "MSTeams_2025-01.log"));
        assert!(!component_matches("MSTeams_*", "Teams_x"));
        assert!(component_matches("cache", "Cache"));
        assert!(!component_matches("Cache", "Cache2"));
        assert!(component_matches("*", "anything"));
        assert!(!component_matches("ab*ba", "aba"));
    }

    #[test]
    fn longest_rule_wins_and_rules_below_are_reported() {
        let c = LAYOUT.classify(&["Partitions"], CacheClass::Other);
        assert_eq!(c.class, CacheClass::Session);
        assert!(c.rules_below);
        let c = LAYOUT.classify(&["Partitions", "teams-4-linux"], CacheClass::Session);
        assert_eq!(c.class, CacheClass::Session);
        assert!(c.rules_below);
        let c = LAYOUT.classify(
            &["Partitions", "teams-4-linux", "Cache"],
            CacheClass::Session,
        );
        assert_eq!(c.class, CacheClass::Regenerable);
        assert!(!c.rules_below);
        let c = LAYOUT.classify(&["Backgrounds"], CacheClass::Other);
        assert_eq!(c.class, CacheClass::Other);
        assert!(c.rules_below);
        let c = LAYOUT.classify(&["Backgrounds", "Uploads"], CacheClass::Other);
        assert_eq!(c.class, CacheClass::UserData);
        let c = LAYOUT.classify(&["random"], CacheClass::Other);
        assert_eq!(
            c,
            Classification {
                class: CacheClass::Other,
                rules_below: false
            }
        );
        let c = LAYOUT.classify(&["x.log"], CacheClass::Other);
        assert_eq!(c.class, CacheClass::Diagnostics);
    }
}
