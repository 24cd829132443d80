//! The values an audit result holds, by name (`teams-guest-switch.AllowGuestUser`), each known
//! or "not read" with the reason. `from_teamsfix` reads the script's own result file by the table
//! in `reads.rs`; `scubagear.rs` fills the same names from a ScubaGear export.

use super::json;
use super::reads::{Kind, READS, Target};
use crate::common::i18n::Msg;
use serde_json::Value;
use std::collections::BTreeMap;

/// Why a value is not known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotReadCode {
    ModuleMissing,
    ConnectFailed,
    CommandFailed,
    NotSupported,
    NotNeeded,
    NoGuest,
    NoTeam,
    TeamNotFound,
    GuestNotFound,
    RunStopped,
    Missing,
    BadValue,
    NotInScubaGear,
    ScubaGearFailed,
    /// The export has no part for the product (ScubaGear was run with other `-ProductNames`).
    ScubaGearProductNotRun,
}

impl NotReadCode {
    pub const ALL: [NotReadCode; 15] = [
        NotReadCode::ModuleMissing,
        NotReadCode::ConnectFailed,
        NotReadCode::CommandFailed,
        NotReadCode::NotSupported,
        NotReadCode::NotNeeded,
        NotReadCode::NoGuest,
        NotReadCode::NoTeam,
        NotReadCode::TeamNotFound,
        NotReadCode::GuestNotFound,
        NotReadCode::RunStopped,
        NotReadCode::Missing,
        NotReadCode::BadValue,
        NotReadCode::NotInScubaGear,
        NotReadCode::ScubaGearFailed,
        NotReadCode::ScubaGearProductNotRun,
    ];

    pub fn id(self) -> &'static str {
        match self {
            NotReadCode::ModuleMissing => "module_missing",
            NotReadCode::ConnectFailed => "connect_failed",
            NotReadCode::CommandFailed => "command_failed",
            NotReadCode::NotSupported => "not_supported",
            NotReadCode::NotNeeded => "not_needed",
            NotReadCode::NoGuest => "no_guest",
            NotReadCode::NoTeam => "no_team",
            NotReadCode::TeamNotFound => "team_not_found",
            NotReadCode::GuestNotFound => "guest_not_found",
            NotReadCode::RunStopped => "run_stopped",
            NotReadCode::Missing => "missing",
            NotReadCode::BadValue => "bad_value",
            NotReadCode::NotInScubaGear => "not_in_scubagear",
            NotReadCode::ScubaGearFailed => "scubagear_failed",
            NotReadCode::ScubaGearProductNotRun => "scubagear_product_not_run",
        }
    }

    /// The script's `reason_code` (or a part's status); an unknown code is a failed command.
    pub fn from_script(code: &str) -> NotReadCode {
        NotReadCode::ALL
            .into_iter()
            .find(|c| c.id() == code)
            .unwrap_or(match code {
                "not_connected" => NotReadCode::ConnectFailed,
                _ => NotReadCode::CommandFailed,
            })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct NotRead {
    pub code: NotReadCode,
    /// What the script or the file said (a module name, an error message, a key).
    pub detail: String,
}

impl NotRead {
    pub fn new(code: NotReadCode, detail: impl Into<String>) -> NotRead {
        let mut detail: String = detail.into();
        if detail.chars().count() > 300 {
            detail = detail.chars().take(300).collect::<String>() + "…";
        }
        NotRead { code, detail }
    }

    pub fn msg(&self) -> Msg {
        Msg::new(not_read_key(self.code)).arg("detail", &self.detail)
    }
}

/// The catalogue key of a reason (literal keys, so the key check in `i18n` sees them).
fn not_read_key(code: NotReadCode) -> &'static str {
    match code {
        NotReadCode::ModuleMissing => "audit.not_read.module_missing",
        NotReadCode::ConnectFailed => "audit.not_read.connect_failed",
        NotReadCode::CommandFailed => "audit.not_read.command_failed",
        NotReadCode::NotSupported => "audit.not_read.not_supported",
        NotReadCode::NotNeeded => "audit.not_read.not_needed",
        NotReadCode::NoGuest => "audit.not_read.no_guest",
        NotReadCode::NoTeam => "audit.not_read.no_team",
        NotReadCode::TeamNotFound => "audit.not_read.team_not_found",
        NotReadCode::GuestNotFound => "audit.not_read.guest_not_found",
        NotReadCode::RunStopped => "audit.not_read.run_stopped",
        NotReadCode::Missing => "audit.not_read.missing",
        NotReadCode::BadValue => "audit.not_read.bad_value",
        NotReadCode::NotInScubaGear => "audit.not_read.not_in_scubagear",
        NotReadCode::ScubaGearFailed => "audit.not_read.scubagear_failed",
        NotReadCode::ScubaGearProductNotRun => "audit.not_read.scubagear_product_not_run",
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Fact {
    Known(Value),
    Unknown(NotRead),
}

/// Every value of one audit result, by `<layer or lookup>.<key>`.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    map: BTreeMap<String, Fact>,
}

impl Facts {
    pub fn set(&mut self, name: impl Into<String>, fact: Fact) {
        self.map.insert(name.into(), fact);
    }

    pub fn known(&mut self, name: impl Into<String>, value: Value) {
        self.set(name, Fact::Known(value));
    }

    pub fn unknown(&mut self, name: impl Into<String>, why: NotRead) {
        self.set(name, Fact::Unknown(why));
    }

    /// The fact, or "missing" for a name nothing wrote.
    pub fn get(&self, name: &str) -> Fact {
        self.map
            .get(name)
            .cloned()
            .unwrap_or_else(|| Fact::Unknown(NotRead::new(NotReadCode::Missing, name)))
    }

    /// The value, or why it is not known, without copying it.
    pub fn lookup(&self, name: &str) -> Result<&Value, NotRead> {
        match self.map.get(name) {
            Some(Fact::Known(v)) => Ok(v),
            Some(Fact::Unknown(n)) => Err(n.clone()),
            None => Err(NotRead::new(NotReadCode::Missing, name)),
        }
    }

    /// The value when known (and not null).
    pub fn value(&self, name: &str) -> Option<&Value> {
        match self.map.get(name) {
            Some(Fact::Known(v)) if !v.is_null() => Some(v),
            _ => None,
        }
    }

    pub fn text(&self, name: &str) -> Option<String> {
        self.value(name).and_then(json::as_text)
    }

    pub fn bool(&self, name: &str) -> Option<bool> {
        self.value(name).and_then(json::as_bool)
    }

    /// Why the fact is not known (`None` when it is).
    pub fn why_unknown(&self, name: &str) -> Option<NotRead> {
        match self.get(name) {
            Fact::Known(_) => None,
            Fact::Unknown(n) => Some(n),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Fact)> {
        self.map.iter()
    }
}

pub fn fact_name(target: Target, key: &str) -> String {
    format!("{}.{key}", target.id())
}

/// Reads the script's result file (already parsed and checked for its schema version). The
/// values are moved out of `root`, not copied: a result can be 10 MB.
pub fn from_teamsfix(mut root: Value) -> Facts {
    let mut facts = Facts::default();
    let finished = json::get(&root, "finished_at")
        .and_then(Value::as_str)
        .is_some_and(|s| !s.trim().is_empty());
    for (name, key) in [("input.guest", "guest"), ("input.team", "team")] {
        let v = json::get(&root, "inputs")
            .and_then(|i| json::get(i, key))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| Value::String(s.to_string()))
            .unwrap_or(Value::Null);
        facts.known(name, v);
    }
    for read in READS {
        let section = json::get_mut(&mut root, read.target.section())
            .and_then(|s| json::get_mut(s, read.target.id()))
            .filter(|s| s.is_object());
        let whole = |code, detail: String| NotRead::new(code, detail);
        let not_read: Option<NotRead> = match section.as_deref() {
            None if finished => Some(whole(
                NotReadCode::Missing,
                format!("{}.{}", read.target.section(), read.target.id()),
            )),
            None => Some(whole(NotReadCode::RunStopped, String::new())),
            Some(sec) => {
                let status = json::get(sec, "status")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                if status.eq_ignore_ascii_case("read") {
                    None
                } else {
                    let code = json::get(sec, "reason_code")
                        .and_then(Value::as_str)
                        .filter(|c| !c.is_empty())
                        .unwrap_or(if status.is_empty() { "missing" } else { status });
                    let detail = json::get(sec, "reason")
                        .and_then(json::as_text)
                        .unwrap_or_default();
                    Some(whole(NotReadCode::from_script(code), detail))
                }
            }
        };
        let mut values = section.and_then(|s| json::get_mut(s, "values"));
        for key in read.keys {
            let name = fact_name(read.target, key.name);
            if let Some(n) = &not_read {
                facts.unknown(name, n.clone());
                continue;
            }
            let value = values.as_deref_mut().and_then(|v| json::take(v, key.name));
            facts.set(name, checked(key.name, key.kind, key.optional, value));
        }
    }
    facts
}

/// A value checked against the kind the table says the script writes.
fn checked(key: &str, kind: Kind, optional: bool, value: Option<Value>) -> Fact {
    let bad = |v: &Value| {
        let shown: String = v.to_string().chars().take(60).collect();
        Fact::Unknown(NotRead::new(
            NotReadCode::BadValue,
            format!("{key} = {shown}"),
        ))
    };
    let Some(v) = value else {
        return if optional {
            Fact::Known(Value::Null)
        } else {
            Fact::Unknown(NotRead::new(NotReadCode::Missing, key))
        };
    };
    match kind {
        Kind::Bool => match json::as_bool(&v) {
            Some(b) => Fact::Known(Value::Bool(b)),
            None if v.is_null() && optional => Fact::Known(Value::Null),
            None => bad(&v),
        },
        Kind::Text => match json::as_text(&v) {
            Some(s) => Fact::Known(Value::String(s)),
            None => bad(&v),
        },
        Kind::OptText => match v {
            Value::Null => Fact::Known(Value::Null),
            _ => match json::as_text(&v) {
                Some(s) => Fact::Known(Value::String(s)),
                None => bad(&v),
            },
        },
        Kind::Count => match v
            .as_f64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        {
            Some(n) if n >= 0.0 => Fact::Known(Value::from(n)),
            _ => bad(&v),
        },
        Kind::OptTime => match &v {
            Value::Null => Fact::Known(Value::Null),
            Value::String(s) if s.trim().is_empty() => Fact::Known(Value::Null),
            _ if json::as_unix_time(&v).is_some() => Fact::Known(v),
            _ => bad(&v),
        },
        Kind::Json => Fact::Known(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_are_checked_against_their_kind() {
        let root = json!({
            "schema_version": 1, "tool": "teamsfix-audit", "finished_at": "2026-01-01T00:00:00Z",
            "layers": {
                "teams-guest-switch": {"status": "read", "values": {"AllowGuestUser": "maybe"}},
                "teams-guest-calling": {"status": "read", "values": {"allowprivatecalling": "False"}},
                "email-one-time-passcode": {"status": "not_read", "reason_code": "module_missing", "reason": "Microsoft.Graph.Authentication"}
            }
        });
        let f = from_teamsfix(root);
        assert!(matches!(
            f.get("teams-guest-switch.AllowGuestUser"),
            Fact::Unknown(NotRead {
                code: NotReadCode::BadValue,
                ..
            })
        ));
        assert_eq!(
            f.bool("teams-guest-calling.AllowPrivateCalling"),
            Some(false)
        );
        assert_eq!(
            f.why_unknown("email-one-time-passcode.State").unwrap().code,
            NotReadCode::ModuleMissing
        );
        // A section the finished file does not have is missing, not "stopped".
        assert_eq!(
            f.why_unknown("entra-read-other-users.AllowedToReadOtherUsers")
                .unwrap()
                .code,
            NotReadCode::Missing
        );
    }

    #[test]
    fn a_run_that_stopped_leaves_the_rest_unread() {
        let f = from_teamsfix(json!({"schema_version": 1, "layers": {}}));
        assert_eq!(
            f.why_unknown("teams-guest-switch.AllowGuestUser")
                .unwrap()
                .code,
            NotReadCode::RunStopped
        );
    }
}
