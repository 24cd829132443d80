//! Judging an audit: every layer in checking order gets a verdict by its rules (`rules.rs`), with
//! the values that decided it, why, the fix, role and delay; the first blocking layer is named
//! in one sentence; the checklist steps that match blocking layers are marked.

use super::facts::{Fact, Facts, NotRead};
use super::json;
use super::layers::{self, Layer};
use super::rules::{self, Cond, LayerRules, Rule, Verdict};
use crate::common::i18n::{Lang, Msg, tr, tr_args};
use crate::guide::checklist::{CHECKLIST, StepAction};
use serde_json::{Value, json};

/// Which kind of file the audit came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// The result of teamsfix's own script.
    Teamsfix,
    /// CISA ScubaGear's ProviderSettingsExport.json.
    ScubaGear,
}

#[derive(Clone, Debug)]
pub struct LayerVerdict {
    pub layer: &'static str,
    pub verdict: Verdict,
    /// The values that decided it: Microsoft's property name and the value.
    pub decided_by: Vec<(String, String)>,
    pub why: Msg,
    /// For a blocking layer: what it means for the guest (`audit.effect.*`).
    pub effect: Option<&'static str>,
    /// The fix command with what the audit knows filled in; empty when there is none.
    pub fix: String,
    /// Checklist steps this verdict marks (only for blocking and possibly blocking layers).
    pub checklist: Vec<&'static str>,
}

impl LayerVerdict {
    pub fn layer(&self) -> Option<Layer> {
        layers::layer(self.layer)
    }

    /// `AllowToAddGuests = False; Source = setting`.
    pub fn decided_text(&self) -> String {
        self.decided_by
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn title(&self, lang: Lang) -> String {
        self.layer()
            .map(|l| l.title(lang))
            .unwrap_or_else(|| self.layer.to_string())
    }
}

/// An audit result, judged.
#[derive(Clone, Debug)]
pub struct Audit {
    pub format: Format,
    pub tenant_id: Option<String>,
    /// When the script (or ScubaGear) ran, as written in the file.
    pub ran_at: Option<String>,
    pub ran_by: Option<String>,
    pub guest: Option<String>,
    pub team: Option<String>,
    /// False when the script stopped before its end.
    pub finished: bool,
    /// The teamsfix or ScubaGear version that wrote the file.
    pub made_by: Option<String>,
    /// Every layer in checking order.
    pub layers: Vec<LayerVerdict>,
    /// Names and addresses in this audit that are personal (for hiding in reports).
    personal: Vec<String>,
}

impl Audit {
    pub fn first_blocker(&self) -> Option<&LayerVerdict> {
        self.layers.iter().find(|l| l.verdict == Verdict::Blocks)
    }

    pub fn count(&self, verdict: Verdict) -> usize {
        self.layers.iter().filter(|l| l.verdict == verdict).count()
    }

    pub fn verdict(&self, layer: &str) -> Option<&LayerVerdict> {
        self.layers.iter().find(|l| l.layer == layer)
    }

    /// The one sentence at the top: the first blocking layer in checking order, with its
    /// effect and deciding value; or that nothing read blocks.
    pub fn headline(&self, lang: Lang) -> String {
        if let Some(b) = self.first_blocker() {
            return tr_args(
                lang,
                "audit.headline.blocks",
                &[
                    (
                        "effect",
                        &tr(lang, b.effect.unwrap_or("audit.effect.blocked")),
                    ),
                    ("layer", &b.title(lang)),
                    ("value", &b.decided_text()),
                ],
            );
        }
        let read = self.layers.len() - self.count(Verdict::NotRead);
        if read == 0 {
            return tr(lang, "audit.headline.nothing_read");
        }
        let may = self.count(Verdict::MayBlock);
        if may > 0 {
            tr_args(
                lang,
                "audit.headline.may_block",
                &[("count", &may.to_string())],
            )
        } else {
            tr(lang, "audit.headline.clear")
        }
    }

    /// A second line when part of the tenant was not read (or the run stopped).
    pub fn coverage_note(&self, lang: Lang) -> Option<String> {
        let not_read = self.count(Verdict::NotRead);
        let mut parts = Vec::new();
        if !self.finished {
            parts.push(tr(lang, "audit.note.stopped"));
        }
        if not_read > 0 && not_read < self.layers.len() {
            parts.push(tr_args(
                lang,
                "audit.note.not_read",
                &[
                    ("count", &not_read.to_string()),
                    ("total", &self.layers.len().to_string()),
                ],
            ));
        }
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    /// Checklist steps to mark, each with the strongest verdict that marks it.
    pub fn checklist_marks(&self) -> Vec<(&'static str, Verdict)> {
        let mut marks: Vec<(&'static str, Verdict)> = Vec::new();
        for l in &self.layers {
            for step in &l.checklist {
                match marks.iter_mut().find(|(s, _)| s == step) {
                    Some(m) => m.1 = m.1.min(l.verdict),
                    None => marks.push((step, l.verdict)),
                }
            }
        }
        marks
    }

    /// The layer verdict that marks a checklist step (the strongest).
    pub fn mark_for_step(&self, step: &str) -> Option<&LayerVerdict> {
        self.layers
            .iter()
            .filter(|l| l.checklist.contains(&step))
            .min_by_key(|l| l.verdict)
    }

    /// Tenant ids, user names and guest addresses in this audit, longest first, to hide when
    /// personal details are hidden.
    pub fn personal_values(&self) -> Vec<String> {
        let mut v = self.personal.clone();
        v.sort_by_key(|s| std::cmp::Reverse(s.len()));
        v.dedup();
        v
    }

    /// The machine-readable form (`audit read --json`, and in the report).
    pub fn to_json(&self, lang: Lang) -> Value {
        let layers: Vec<Value> = self
            .layers
            .iter()
            .map(|l| {
                let layer = l.layer();
                json!({
                    "id": l.layer,
                    "title": l.title(lang),
                    "verdict": l.verdict,
                    "decided_by": l.decided_by.iter().map(|(k, v)| json!({"name": k, "value": v})).collect::<Vec<_>>(),
                    "why": l.why.text(lang),
                    "effect": l.effect.map(|e| tr(lang, e)),
                    "fix": l.fix,
                    "role": layer.map(|x| x.role(lang)),
                    "delay": layer.map(|x| x.delay(lang)),
                    "docs": layer.map(|x| x.docs()),
                    "checklist": l.checklist,
                })
            })
            .collect();
        json!({
            "schema_version": super::SCHEMA_VERSION,
            "format": self.format,
            "tenant_id": self.tenant_id,
            "ran_at": self.ran_at,
            "ran_by": self.ran_by,
            "guest": self.guest,
            "team": self.team,
            "finished": self.finished,
            "made_by": self.made_by,
            "headline": self.headline(lang),
            "first_blocker": self.first_blocker().map(|b| b.layer),
            "counts": {
                "blocks": self.count(Verdict::Blocks),
                "may_block": self.count(Verdict::MayBlock),
                "ok": self.count(Verdict::Ok),
                "not_read": self.count(Verdict::NotRead),
            },
            "layers": layers,
        })
    }
}

/// What the file says about itself, besides the values.
#[derive(Clone, Debug, Default)]
pub struct About {
    pub tenant_id: Option<String>,
    pub ran_at: Option<String>,
    pub ran_by: Option<String>,
    pub finished: bool,
    pub made_by: Option<String>,
}

/// Judges every layer in checking order.
pub fn judge(format: Format, about: About, facts: &Facts) -> Audit {
    let layers = layers::checking_order()
        .into_iter()
        .map(|l| match rules::rules_for(l.id()) {
            Some(r) => judge_layer(l, r, facts),
            None => LayerVerdict {
                layer: l.id(),
                verdict: Verdict::NotRead,
                decided_by: Vec::new(),
                why: Msg::new("audit.not_read.no_rule"),
                effect: None,
                fix: l.fix(),
                checklist: Vec::new(),
            },
        })
        .collect();
    let text = |name: &str| facts.text(name).filter(|s| !s.trim().is_empty());
    let mut personal: Vec<String> = [
        about.tenant_id.clone(),
        about.ran_by.clone(),
        text("input.guest"),
        text("guest.Domain"),
        text("guest.UserPrincipalName"),
        text("guest.DisplayName"),
        text("guest.Id"),
        text("entra-cross-tenant.HomeTenantId"),
        text("entra-cross-tenant.GuestDomain"),
        text("tenant.TenantId"),
        text("tenant.Account"),
        text("tenant.InitialDomain"),
        text("team.Id"),
        text("sharepoint-sharing.SiteUrl"),
    ]
    .into_iter()
    .flatten()
    .collect();
    // The organisation's SharePoint host names carry its name: contoso.sharepoint.com,
    // contoso-admin.sharepoint.com (the fixes name both).
    let tenant_name = text("tenant.Name").or_else(|| {
        let url = text("sharepoint-sharing.SiteUrl")?;
        let host = url
            .split("://")
            .nth(1)?
            .split('/')
            .next()?
            .to_ascii_lowercase();
        host.strip_suffix(".sharepoint.com").map(str::to_string)
    });
    if let Some(name) = tenant_name {
        for suffix in [
            "-admin.sharepoint.com",
            "-my.sharepoint.com",
            ".sharepoint.com",
        ] {
            personal.push(format!("{name}{suffix}"));
        }
    }
    // Names of the other users, groups and contacts that carry the guest's address.
    for key in ["Users", "Groups", "Contacts"] {
        if let Some(v) = facts.value(&format!("invitation-conflicts.{key}")) {
            personal.extend(json::items(v).into_iter().filter_map(json::as_text));
        }
    }
    // The same values as the file and the verdicts may write them: as they are, in lower case.
    let lower: Vec<String> = personal.iter().map(|s| s.to_lowercase()).collect();
    personal.extend(lower);
    personal.retain(|s| s.trim().chars().count() >= 3);
    Audit {
        format,
        tenant_id: about.tenant_id,
        ran_at: about.ran_at,
        ran_by: about.ran_by,
        guest: text("input.guest"),
        team: text("team.DisplayName").or_else(|| text("input.team")),
        finished: about.finished,
        made_by: about.made_by,
        layers,
        personal,
    }
}

enum Tri {
    True,
    False,
    Unknown(NotRead),
}

fn tri(b: bool) -> Tri {
    if b { Tri::True } else { Tri::False }
}

/// `true`/`false` for booleans, the text otherwise.
fn as_compared(v: &Value) -> Option<String> {
    match v {
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => None,
        other => json::as_text(other),
    }
}

fn eval(c: &Cond, f: &Facts) -> Tri {
    let with = |name: &str, test: &dyn Fn(&Value) -> bool| match f.get(name) {
        Fact::Unknown(n) => Tri::Unknown(n),
        Fact::Known(v) => tri(test(&v)),
    };
    match c {
        Cond::Eq(name, want) => with(name, &|v| {
            as_compared(v).is_some_and(|s| s.trim().eq_ignore_ascii_case(want))
        }),
        Cond::In(name, wants) => with(name, &|v| {
            as_compared(v).is_some_and(|s| wants.iter().any(|w| s.trim().eq_ignore_ascii_case(w)))
        }),
        Cond::NonEmpty(name) => with(name, &|v| match v {
            Value::Array(a) => !a.is_empty(),
            Value::String(s) => !s.trim().is_empty(),
            _ => false,
        }),
        Cond::Above(name, limit) => with(name, &|v| v.as_f64().is_some_and(|n| n > *limit)),
        Cond::Not(inner) => match eval(inner, f) {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            u => u,
        },
        Cond::All(all) => {
            let mut unknown = None;
            for c in *all {
                match eval(c, f) {
                    Tri::False => return Tri::False,
                    Tri::Unknown(n) => unknown = unknown.or(Some(n)),
                    Tri::True => {}
                }
            }
            unknown.map_or(Tri::True, Tri::Unknown)
        }
        Cond::Any(any) => {
            let mut unknown = None;
            for c in *any {
                match eval(c, f) {
                    Tri::True => return Tri::True,
                    Tri::Unknown(n) => unknown = unknown.or(Some(n)),
                    Tri::False => {}
                }
            }
            unknown.map_or(Tri::False, Tri::Unknown)
        }
        Cond::Opt(inner) => match eval(inner, f) {
            Tri::True => Tri::True,
            _ => Tri::False,
        },
    }
}

fn judge_layer(layer: Layer, r: &'static LayerRules, f: &Facts) -> LayerVerdict {
    for name in r.needs {
        if let Fact::Unknown(n) = f.get(name) {
            return not_read(layer, n);
        }
    }
    for rule in r.rules {
        match eval(&rule.when, f) {
            Tri::True => return outcome(layer, r, rule, f),
            Tri::False => {}
            Tri::Unknown(n) => return not_read(layer, n),
        }
    }
    outcome(layer, r, &r.otherwise, f)
}

fn not_read(layer: Layer, why: NotRead) -> LayerVerdict {
    LayerVerdict {
        layer: layer.id(),
        verdict: Verdict::NotRead,
        decided_by: Vec::new(),
        why: why.msg(),
        effect: None,
        fix: String::new(),
        checklist: Vec::new(),
    }
}

/// How a value's name is shown: Microsoft's property name, or a plain word for the inputs.
fn shown_name(name: &str) -> String {
    match name {
        "guest.Address" => "Guest".into(),
        "guest.Domain" => "GuestDomain".into(),
        "team.DisplayName" => "Team".into(),
        "guest.State" => "GuestState".into(),
        "guest.Since" => "ExternalUserStateChangeDateTime".into(),
        _ => name.split_once('.').map_or(name, |(_, k)| k).to_string(),
    }
}

/// How a value is shown: booleans as PowerShell writes them, lists joined.
pub fn shown_value(v: &Value) -> String {
    match v {
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Array(a) if a.is_empty() => "(none)".into(),
        Value::Array(a) => {
            let items: Vec<String> = a.iter().map(shown_value).collect();
            if items.len() > 6 {
                format!("{} (+{})", items[..6].join(", "), items.len() - 6)
            } else {
                items.join(", ")
            }
        }
        Value::Number(n) => n
            .as_f64()
            .filter(|x| x.fract() == 0.0 && x.abs() < 1e15)
            .map(|x| format!("{}", x as i64))
            .unwrap_or_else(|| n.to_string()),
        Value::String(s) => s.chars().take(200).collect(),
        Value::Null => String::new(),
        Value::Object(_) => v.to_string().chars().take(200).collect(),
    }
}

/// PowerShell's single quotes (all end a single-quoted string) and double quotes.
const SINGLE_QUOTES: [char; 5] = ['\'', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'];
const DOUBLE_QUOTES: [char; 4] = ['"', '\u{201C}', '\u{201D}', '\u{201E}'];

/// `template` with every `placeholder` replaced by `value`, escaped for where it stands: in a
/// single-quoted string every kind of single quote is doubled; in a double-quoted string
/// (the fixes' `-Filter "displayName eq '<team name>'"`) `` ` ``, `$` and double quotes get a
/// backtick, so nothing is expanded or run, and `'` is doubled for the OData literal inside.
/// A placeholder outside any string is left as it is.
pub fn fill(template: &str, placeholder: &str, value: &str) -> String {
    let mut out = String::with_capacity(template.len() + value.len());
    let mut quote: Option<char> = None;
    let mut rest = template;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with(placeholder) {
            match quote {
                Some('\'') => {
                    for v in value.chars() {
                        if SINGLE_QUOTES.contains(&v) {
                            out.push(v);
                        }
                        out.push(v);
                    }
                }
                Some('"') => {
                    for v in value.chars() {
                        if v == '`' || v == '$' || DOUBLE_QUOTES.contains(&v) {
                            out.push('`');
                        } else if v == '\'' {
                            out.push('\'');
                        }
                        out.push(v);
                    }
                }
                _ => out.push_str(placeholder),
            }
            rest = &rest[placeholder.len()..];
            continue;
        }
        quote = match (quote, c) {
            (None, '\'') => Some('\''),
            (None, '"') => Some('"'),
            (Some('\''), '\'') | (Some('"'), '"') => None,
            (q, _) => q,
        };
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn outcome(layer: Layer, r: &LayerRules, rule: &Rule, f: &Facts) -> LayerVerdict {
    let decided_by: Vec<(String, String)> = rule
        .shows
        .iter()
        .filter_map(|name| {
            let v = f.value(name)?;
            let text = shown_value(v);
            (!text.is_empty()).then(|| (shown_name(name), text))
        })
        .collect();
    let decided = decided_by
        .iter()
        .map(|(k, v)| format!("{k} = {v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let arg = |name: &str| f.value(name).map(shown_value).unwrap_or_default();
    let why = Msg::new(rule.why)
        .arg("value", &decided)
        .arg("guest", arg("guest.Address"))
        .arg("domain", arg("guest.Domain"))
        .arg("team", {
            let t = arg("team.DisplayName");
            if t.is_empty() { arg("input.team") } else { t }
        })
        .arg("since", arg("guest.Since"))
        .arg("days", arg("guest.Days"))
        .arg("label", arg("sensitivity-label.Label"))
        .arg("policies", arg("conditional-access.GuestPolicies"))
        .arg("level", arg("entra-guest-access-level.Level"))
        .arg("source", arg("entra-cross-tenant.PolicySource"))
        .arg("site", arg("sharepoint-sharing.SiteUrl"))
        .arg("last_sync", arg("hybrid-sync.LastSync"));
    let mut fix = rule.fix.map(str::to_string).unwrap_or_else(|| layer.fix());
    // The values come from the tenant (a team's name is chosen by its owner) or from the file:
    // each is escaped for the string it stands in, so a pasted fix runs only its own commands.
    for (placeholder, name) in r.fills {
        if let Some(v) = f.text(name).filter(|s| !s.trim().is_empty()) {
            fix = fill(&fix, placeholder, &v);
        }
    }
    let mut checklist = Vec::new();
    if matches!(rule.verdict, Verdict::Blocks | Verdict::MayBlock) {
        checklist.extend(
            CHECKLIST
                .iter()
                .filter(|s| s.action == StepAction::AdminLayer(layer.id()))
                .map(|s| s.id),
        );
        for extra in rule.checklist {
            if crate::guide::checklist::step(extra).is_some() && !checklist.contains(extra) {
                checklist.push(*extra);
            }
        }
    }
    LayerVerdict {
        layer: layer.id(),
        verdict: rule.verdict,
        decided_by,
        why,
        effect: if rule.verdict == Verdict::Blocks {
            rule.effect
        } else {
            None
        },
        fix: if rule.verdict == Verdict::Ok {
            String::new()
        } else {
            fix
        },
        checklist,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::i18n::Lang;

    #[test]
    fn every_layer_has_rules_and_every_rule_is_translated() {
        for l in layers::checking_order() {
            let r = rules::rules_for(l.id()).unwrap_or_else(|| panic!("no rules for {}", l.id()));
            for rule in r.rules.iter().chain(std::iter::once(&r.otherwise)) {
                for lang in Lang::ALL {
                    assert_ne!(tr(lang, rule.why), rule.why, "{} {lang:?}", rule.why);
                    if let Some(e) = rule.effect {
                        assert_ne!(tr(lang, e), e);
                    }
                }
                assert_eq!(
                    rule.effect.is_some(),
                    rule.verdict == Verdict::Blocks,
                    "{}: a blocking rule says what it means for the guest",
                    rule.why
                );
                for step in rule.checklist {
                    assert!(crate::guide::checklist::step(step).is_some(), "{step}");
                }
            }
        }
        assert_eq!(rules::RULES.len(), layers::checking_order().len());
    }

    /// A placeholder written `{value}` instead of `%{value}` is shown as it is, braces and all.
    #[test]
    fn every_why_uses_only_placeholders_that_are_filled() {
        for r in rules::RULES {
            for rule in r.rules.iter().chain(std::iter::once(&r.otherwise)) {
                for lang in Lang::ALL {
                    let text = tr(lang, rule.why);
                    let bytes = text.as_bytes();
                    for (i, b) in bytes.iter().enumerate() {
                        if *b == b'{' {
                            assert!(
                                i > 0 && bytes[i - 1] == b'%',
                                "{} {lang:?}: a bare '{{' in {text:?}",
                                rule.why
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn unknown_values_follow_three_valued_logic() {
        let mut f = Facts::default();
        f.known("a.X", json!(false));
        let unknown = Cond::Eq("a.Missing", "true");
        assert!(matches!(
            eval(
                &Cond::Any(&[Cond::Eq("a.X", "false"), Cond::Eq("a.Missing", "x")]),
                &f
            ),
            Tri::True
        ));
        assert!(matches!(
            eval(
                &Cond::All(&[Cond::Eq("a.X", "true"), Cond::Eq("a.Missing", "x")]),
                &f
            ),
            Tri::False
        ));
        assert!(matches!(eval(&unknown, &f), Tri::Unknown(_)));
        assert!(matches!(
            eval(&Cond::Opt(&Cond::Eq("a.Missing", "x")), &f),
            Tri::False
        ));
    }
}
