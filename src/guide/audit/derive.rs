//! Values worked out from the values read, the same for both kinds of file: the guest's domain
//! against the allow and deny lists, the cross-tenant setting that applies to the guest's home
//! organisation, the Conditional Access policies that include guests, the team label's guest
//! setting, SharePoint's sharing levels by name. The rules in `rules.rs` judge these.
//! A value worked out from an unknown value is unknown for the same reason.

use super::facts::{Fact, Facts, NotRead, NotReadCode};
use super::json;
use serde_json::{Value, json};

/// Adds the worked-out values. `now` is when the audit ran (seconds since 1970), for ages.
pub fn derive(f: &mut Facts, now: Option<i64>) {
    guest(f, now);
    guest_access_level(f);
    domain_lists(f);
    cross_tenant(f);
    email_otp(f);
    conditional_access(f);
    groups(f);
    team_setting(f);
    sharepoint(f);
    label(f);
    hybrid(f, now);
    conflicts(f);
    tenant(f);
}

/// The guest's address and domain from the script's inputs.
fn guest(f: &mut Facts, now: Option<i64>) {
    let address = f.text("input.guest");
    match &address {
        Some(a) => {
            f.known("guest.Address", Value::String(a.clone()));
            let domain = a.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase());
            f.known(
                "guest.Domain",
                domain.map(Value::String).unwrap_or(Value::Null),
            );
        }
        None => {
            let why = NotRead::new(NotReadCode::NoGuest, "");
            f.unknown("guest.Address", why.clone());
            f.unknown("guest.Domain", why);
        }
    }
    // not_found / disabled / pending / accepted.
    let state = match f.get("guest.Found") {
        Fact::Unknown(n) => Fact::Unknown(n),
        Fact::Known(_) if f.bool("guest.Found") != Some(true) => Fact::Known(json!("not_found")),
        Fact::Known(_) => {
            let pending = f
                .text("guest.ExternalUserState")
                .is_some_and(|s| s.eq_ignore_ascii_case("PendingAcceptance"));
            let state = if f.bool("guest.AccountEnabled") == Some(false) {
                "disabled"
            } else if pending {
                "pending"
            } else {
                "accepted"
            };
            Fact::Known(json!(state))
        }
    };
    // The redemption (invited and accepted?) and whether the account is enabled, apart.
    let (redemption, enabled) = match &state {
        Fact::Unknown(n) => (Fact::Unknown(n.clone()), Fact::Unknown(n.clone())),
        Fact::Known(s) if s == "not_found" => (
            Fact::Known(json!("not_found")),
            Fact::Unknown(NotRead::new(
                NotReadCode::GuestNotFound,
                f.text("input.guest").unwrap_or_default(),
            )),
        ),
        Fact::Known(_) => {
            let pending = f
                .text("guest.ExternalUserState")
                .is_some_and(|s| s.eq_ignore_ascii_case("PendingAcceptance"));
            // Enabled only when the file says so: a missing or null AccountEnabled is not
            // read, not "enabled".
            let enabled = match f.bool("guest.AccountEnabled") {
                Some(b) => Fact::Known(json!(b)),
                None => Fact::Unknown(
                    f.why_unknown("guest.AccountEnabled")
                        .unwrap_or_else(|| NotRead::new(NotReadCode::Missing, "AccountEnabled")),
                ),
            };
            (
                Fact::Known(json!(if pending { "pending" } else { "accepted" })),
                enabled,
            )
        }
    };
    f.set("guest.State", state);
    f.set("guest.Redemption", redemption);
    f.set("guest.Enabled", enabled);
    let since = f
        .value("guest.ExternalUserStateChangeDateTime")
        .and_then(json::as_unix_time);
    f.known(
        "guest.Since",
        since
            .map(|t| json!(json::date_text(t)))
            .unwrap_or(Value::Null),
    );
    let days = since.zip(now).map(|(t, n)| (n - t).max(0) / 86_400);
    f.known("guest.Days", days.map(Value::from).unwrap_or(Value::Null));
}

/// The three documented guest access levels (users-restrict-guest-permissions).
pub const GUEST_ROLES: &[(&str, &str)] = &[
    (
        "a0b1b346-4d3e-4e8b-98f8-753987be4970",
        "same access as members",
    ),
    (
        "10dae51f-b6af-4016-8d66-8c2a99b929b3",
        "limited access (default)",
    ),
    ("2af84b1e-32c8-42b7-82bc-daa82404023b", "most restrictive"),
];

fn guest_access_level(f: &mut Facts) {
    let level = match f.get("entra-guest-access-level.GuestUserRoleId") {
        Fact::Unknown(n) => Fact::Unknown(n),
        Fact::Known(v) => {
            let id = json::as_text(&v).unwrap_or_default().to_ascii_lowercase();
            let name = GUEST_ROLES
                .iter()
                .find(|(rid, _)| *rid == id)
                .map_or("unknown", |(_, n)| n);
            Fact::Known(json!(name))
        }
    };
    f.set("entra-guest-access-level.Level", level);
}

/// The collaboration restrictions: the B2B management policy's definition is JSON inside a
/// string, and its key names differ between Microsoft's samples, so look for any key that
/// names allowed or blocked domains, at any depth.
fn domain_lists(f: &mut Facts) {
    let policies = match f.get("entra-domain-lists.Policies") {
        Fact::Unknown(n) => {
            for name in [
                "Restriction",
                "AllowedDomains",
                "BlockedDomains",
                "GuestDomainStatus",
            ] {
                f.unknown(format!("entra-domain-lists.{name}"), n.clone());
            }
            return;
        }
        Fact::Known(v) => v,
    };
    let mut allowed = Vec::new();
    let mut blocked = Vec::new();
    let mut stack: Vec<Value> = json::items(&policies).into_iter().cloned().collect();
    let mut budget = 100_000;
    while let Some(v) = stack.pop() {
        budget -= 1;
        if budget == 0 {
            break;
        }
        match v {
            // A definition is a JSON document in a string.
            Value::String(s) if s.trim_start().starts_with('{') => {
                if let Ok(inner) = serde_json::from_str::<Value>(&s) {
                    stack.push(inner);
                }
            }
            Value::Array(a) => stack.extend(a),
            Value::Object(o) => {
                for (k, v) in o {
                    let k = k.to_ascii_lowercase();
                    let list = || {
                        json::as_list(&v)
                            .unwrap_or_default()
                            .into_iter()
                            .map(|d| d.to_ascii_lowercase())
                    };
                    if k.ends_with("alloweddomains") {
                        allowed.extend(list());
                    } else if k.ends_with("blockeddomains") {
                        blocked.extend(list());
                    } else {
                        stack.push(v);
                    }
                }
            }
            _ => {}
        }
    }
    let restriction = if !allowed.is_empty() {
        "allow_list"
    } else if !blocked.is_empty() {
        "deny_list"
    } else {
        "none"
    };
    let status = match f.text("guest.Domain") {
        None => Fact::Unknown(NotRead::new(NotReadCode::NoGuest, "")),
        Some(domain) => {
            let listed = |list: &[String]| list.iter().any(|d| domain_matches(&domain, d));
            Fact::Known(json!(match restriction {
                "allow_list" if !listed(&allowed) => "not_allowed",
                "deny_list" if listed(&blocked) => "denied",
                _ => "allowed",
            }))
        }
    };
    f.known("entra-domain-lists.Restriction", json!(restriction));
    f.known("entra-domain-lists.AllowedDomains", json!(allowed));
    f.known("entra-domain-lists.BlockedDomains", json!(blocked));
    f.set("entra-domain-lists.GuestDomainStatus", status);
}

/// `fabrikam.com` matches `fabrikam.com` and `*.fabrikam.com` matches its subdomains.
fn domain_matches(domain: &str, entry: &str) -> bool {
    let entry = entry.trim().to_ascii_lowercase();
    match entry.strip_prefix("*.") {
        Some(parent) => domain.ends_with(&format!(".{parent}")),
        None => domain == entry,
    }
}

/// The inbound B2B collaboration setting that applies to the guest's home organisation: the
/// partner entry when there is one with its own setting, otherwise the default.
fn cross_tenant(f: &mut Facts) {
    const P: &str = "entra-cross-tenant";
    let default = match f.get(&format!("{P}.DefaultB2BCollaborationInbound")) {
        Fact::Unknown(n) => {
            for name in [
                "HomeTenant",
                "PolicySource",
                "InboundUsers",
                "InboundApps",
                "B2BCollaborationInbound",
                "IsMfaAccepted",
            ] {
                f.unknown(format!("{P}.{name}"), n.clone());
            }
            return;
        }
        Fact::Known(v) => v,
    };
    let home = match f.text(&format!("{P}.HomeTenantLookup")).as_deref() {
        _ if f.text("guest.Domain").is_none() => {
            Fact::Unknown(NotRead::new(NotReadCode::NoGuest, ""))
        }
        Some("found") => Fact::Known(json!("entra")),
        Some("not_found") => Fact::Known(json!("none")),
        Some(_) => Fact::Unknown(NotRead::new(
            NotReadCode::CommandFailed,
            f.text(&format!("{P}.HomeTenantLookupError"))
                .unwrap_or_default(),
        )),
        None => Fact::Unknown(NotRead::new(NotReadCode::Missing, "HomeTenantLookup")),
    };
    f.set(format!("{P}.HomeTenant"), home);
    let partner = f
        .value(&format!("{P}.PartnerB2BCollaborationInbound"))
        .filter(|_| f.bool(&format!("{P}.PartnerFound")) == Some(true))
        .cloned();
    // A setting in another shape (a type name, or `@{AccessType=...}` where a depth limit
    // cut the JSON short) cannot be judged: not read, rather than "allowed".
    let unreadable = |name: &str, v: &Value| -> bool {
        match v {
            Value::Object(_) => ["UsersAndGroups", "Applications"].iter().any(|part| {
                let own = json::get(v, part).filter(|x| !x.is_null());
                // The default has both parts; a partner leaves a part out (null) to inherit.
                match own {
                    None => name == "Default",
                    Some(x) => {
                        !x.is_object()
                            || json::get(x, "AccessType").and_then(json::as_text).is_none()
                    }
                }
            }),
            Value::Null => name == "Default",
            _ => true,
        }
    };
    for (name, v) in [("Default", Some(&default)), ("Partner", partner.as_ref())] {
        if let Some(v) = v.filter(|v| unreadable(name, v)) {
            let shown: String = v.to_string().chars().take(60).collect();
            let why = NotRead::new(
                NotReadCode::BadValue,
                format!("{name}B2BCollaborationInbound = {shown}"),
            );
            for key in [
                "PolicySource",
                "InboundUsers",
                "InboundApps",
                "B2BCollaborationInbound",
                "IsMfaAccepted",
            ] {
                f.unknown(format!("{P}.{key}"), why.clone());
            }
            return;
        }
    }
    let (setting, source) = match partner {
        // A partner entry may set who (UsersAndGroups) and leave the applications to the
        // default, or the other way round: each part it leaves out (null) is inherited.
        Some(p) if p.is_object() => {
            let mut merged = serde_json::Map::new();
            for part in ["UsersAndGroups", "Applications"] {
                let own = !access_type(&p, part).is_empty();
                let from = if own { &p } else { &default };
                if let Some(v) = json::get(from, part) {
                    merged.insert(part.to_string(), v.clone());
                }
            }
            (
                Value::Object(merged),
                format!(
                    "partner {}",
                    f.text(&format!("{P}.HomeTenantId")).unwrap_or_default()
                ),
            )
        }
        _ => (default, "default".to_string()),
    };
    let users = access(&setting, "UsersAndGroups", &["allusers"]);
    let apps = access(&setting, "Applications", &["allapplications", "office365"]);
    let shown = format!(
        "UsersAndGroups {} ({}); Applications {} ({})",
        access_type(&setting, "UsersAndGroups"),
        targets(&setting, "UsersAndGroups").join(", "),
        access_type(&setting, "Applications"),
        targets(&setting, "Applications").join(", ")
    );
    f.known(format!("{P}.PolicySource"), json!(source));
    f.known(format!("{P}.InboundUsers"), json!(users));
    f.known(format!("{P}.InboundApps"), json!(apps));
    f.known(format!("{P}.B2BCollaborationInbound"), json!(shown));
    let trust = if source == "default" {
        "DefaultInboundTrust"
    } else {
        "PartnerInboundTrust"
    };
    let mfa = f
        .value(&format!("{P}.{trust}"))
        .and_then(|t| json::get(t, "IsMfaAccepted"))
        .and_then(json::as_bool)
        .or_else(|| {
            f.value(&format!("{P}.DefaultInboundTrust"))
                .and_then(|t| json::get(t, "IsMfaAccepted"))
                .and_then(json::as_bool)
        });
    f.known(
        format!("{P}.IsMfaAccepted"),
        mfa.map(Value::Bool).unwrap_or(Value::Null),
    );
}

fn access_type(setting: &Value, part: &str) -> String {
    json::path(setting, &[part, "AccessType"])
        .and_then(json::as_text)
        .unwrap_or_default()
        .to_ascii_lowercase()
}

fn targets(setting: &Value, part: &str) -> Vec<String> {
    json::path(setting, &[part, "Targets"])
        .map(json::items)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|t| json::as_text(t).or_else(|| json::get(t, "Target").and_then(json::as_text)))
        .collect()
}

/// allowed / blocked (for everyone) or partly (for some users or applications only).
fn access(setting: &Value, part: &str, everyone: &[&str]) -> &'static str {
    let all = targets(setting, part)
        .iter()
        .any(|t| everyone.contains(&t.to_ascii_lowercase().as_str()));
    match (access_type(setting, part).as_str(), all) {
        ("allowed", true) => "allowed",
        ("blocked", true) => "blocked",
        // A setting left to inherit (null) allows, as Microsoft's default does.
        ("", _) => "allowed",
        _ => "partly",
    }
}

/// `default` is enabled for tenants that did not use the preview (since October 2021).
fn email_otp(f: &mut Facts) {
    let v = match f.get("email-one-time-passcode.AllowExternalIdToUseEmailOtp") {
        Fact::Unknown(n) => Fact::Unknown(n),
        Fact::Known(v) => {
            // Graph's externalEmailOtpState: default, enabled, disabled, unknownFutureValue
            // (left out: default).
            // Written as a number (an enum through ConvertTo-Json), the declared order is
            // assumed (estimated: Microsoft documents the names only).
            let s = json::as_text(&v)
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            match s.as_str() {
                "" | "default" | "enabled" | "0" | "1" => Fact::Known(json!("enabled")),
                "disabled" | "2" => Fact::Known(json!("disabled")),
                _ => Fact::Unknown(NotRead::new(
                    NotReadCode::BadValue,
                    format!("AllowExternalIdToUseEmailOtp = {v}"),
                )),
            }
        }
    };
    f.set("email-one-time-passcode.ExternalEmailOtp", v);
}

/// Enabled policies whose users include guests (all users, or guest and external user types)
/// and that ask something of them (block, MFA, a compliant device, terms of use...). Listed,
/// not evaluated: conditions such as apps, platforms or risk are not weighed.
fn conditional_access(f: &mut Facts) {
    let (enforced, report_only) = match f.lookup("conditional-access.Policies") {
        Err(n) => {
            f.unknown("conditional-access.GuestPolicies", n.clone());
            f.unknown("conditional-access.ReportOnly", n);
            return;
        }
        Ok(policies) => guest_policies(policies, f.text("guest.Id").as_deref()),
    };
    f.known("conditional-access.GuestPolicies", json!(enforced));
    f.known("conditional-access.ReportOnly", json!(report_only));
}

/// The names of the enabled and of the report-only policies that include guests (or this
/// guest by object id) and ask something of them.
fn guest_policies(policies: &Value, guest_id: Option<&str>) -> (Vec<String>, Vec<String>) {
    let guest_id = guest_id
        .map(|g| g.trim().to_ascii_lowercase())
        .filter(|g| !g.is_empty());
    let mut enforced = Vec::new();
    let mut report_only = Vec::new();
    for p in json::items(policies) {
        let text = |k: &str| json::get(p, k).and_then(json::as_text).unwrap_or_default();
        let list = |k: &str| -> Vec<String> {
            json::get(p, k)
                .and_then(json::as_list)
                .unwrap_or_default()
                .into_iter()
                .map(|s| s.to_ascii_lowercase())
                .collect()
        };
        let include = list("IncludeUsers");
        let exclude = list("ExcludeUsers");
        let include_types = text("IncludeGuestOrExternalUserTypes").to_ascii_lowercase();
        let exclude_types = text("ExcludeGuestOrExternalUserTypes").to_ascii_lowercase();
        let includes = include
            .iter()
            .any(|u| u == "all" || u == "guestsorexternalusers" || Some(u) == guest_id.as_ref())
            || include_types.contains("b2bcollaborationguest")
            || include_types.contains("b2bcollaborationmember");
        let excluded = exclude
            .iter()
            .any(|u| u == "guestsorexternalusers" || Some(u) == guest_id.as_ref())
            || exclude_types.contains("b2bcollaborationguest");
        let asks = !list("BuiltInControls").is_empty()
            || !text("AuthenticationStrength").is_empty()
            // The script writes how many terms of use; Graph itself lists their ids.
            || json::get(p, "TermsOfUse").is_some_and(|t| match t.as_f64() {
                Some(n) => n > 0.0,
                None => json::items(t).iter().any(|x| !x.is_null()),
            });
        if !includes || excluded || !asks {
            continue;
        }
        let name = text("DisplayName");
        match text("State").to_ascii_lowercase().as_str() {
            "enabled" => enforced.push(name),
            "enabledforreportingbutnotenforced" => report_only.push(name),
            _ => {}
        }
    }
    (enforced, report_only)
}

/// No Group.Unified setting: both values are at their default, True.
fn groups(f: &mut Facts) {
    const P: &str = "m365-groups-guests";
    let found = match f.get(&format!("{P}.GroupUnifiedFound")) {
        Fact::Unknown(n) => {
            f.unknown(format!("{P}.AllowToAddGuests"), n.clone());
            f.unknown(format!("{P}.AllowGuestsToAccessGroups"), n);
            return;
        }
        Fact::Known(_) => f.bool(&format!("{P}.GroupUnifiedFound")) == Some(true),
    };
    // A value that was written counts; a value not written is at its default, True.
    for key in ["AllowToAddGuests", "AllowGuestsToAccessGroups"] {
        let name = format!("{P}.{key}");
        let v = match f.value(&name) {
            None => Fact::Known(json!(true)),
            Some(v) => match json::as_bool(v) {
                Some(b) => Fact::Known(json!(b)),
                None => Fact::Unknown(NotRead::new(NotReadCode::BadValue, format!("{key} = {v}"))),
            },
        };
        f.set(name, v);
    }
    f.known(
        format!("{P}.Source"),
        json!(if found { "setting" } else { "default" }),
    );
}

fn team_setting(f: &mut Facts) {
    const P: &str = "team-blocked-for-guests";
    // The team's own value when one was written; without a Group.Unified.Guest setting, True.
    let v = match f.get(&format!("{P}.GuestSettingFound")) {
        Fact::Unknown(n) => Fact::Unknown(n),
        Fact::Known(_) => match f.value(&format!("{P}.AllowToAddGuests")).map(json::as_bool) {
            None => Fact::Known(json!(true)),
            Some(Some(b)) => Fact::Known(json!(b)),
            Some(None) => Fact::Unknown(NotRead::new(NotReadCode::BadValue, "AllowToAddGuests")),
        },
    };
    f.set(format!("{P}.AllowToAddGuests"), v);
}

/// SharePoint's sharing levels, from least to most open, by name and by number.
pub const SHARING_LEVELS: &[(&str, i64)] = &[
    ("Disabled", 0),
    ("ExistingExternalUserSharingOnly", 3),
    ("ExternalUserSharingOnly", 1),
    ("ExternalUserAndGuestSharing", 2),
];

fn sharing_level(v: &Value) -> Option<(usize, &'static str)> {
    let by_number = v
        .as_i64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()));
    SHARING_LEVELS
        .iter()
        .enumerate()
        .find_map(|(rank, (name, n))| {
            let hit = match by_number {
                Some(x) => x == *n,
                None => v
                    .as_str()
                    .is_some_and(|s| s.trim().eq_ignore_ascii_case(name)),
            };
            hit.then_some((rank, *name))
        })
}

fn sharepoint(f: &mut Facts) {
    const P: &str = "sharepoint-sharing";
    let tenant = match f.get(&format!("{P}.SharingCapability")) {
        Fact::Unknown(n) => {
            for name in [
                "SiteSharingCapability",
                "SiteBelowTenant",
                "DomainRestriction",
                "GuestDomainSharing",
            ] {
                f.unknown(format!("{P}.{name}"), n.clone());
            }
            return;
        }
        Fact::Known(v) => v,
    };
    let Some((tenant_rank, tenant_name)) = sharing_level(&tenant) else {
        let why = NotRead::new(
            NotReadCode::BadValue,
            format!("SharingCapability = {tenant}"),
        );
        f.unknown(format!("{P}.SharingCapability"), why);
        return;
    };
    f.known(format!("{P}.SharingCapability"), json!(tenant_name));
    match f
        .value(&format!("{P}.SiteSharingCapability"))
        .and_then(sharing_level)
    {
        Some((rank, name)) => {
            f.known(format!("{P}.SiteSharingCapability"), json!(name));
            f.known(format!("{P}.SiteBelowTenant"), json!(rank < tenant_rank));
        }
        None => {
            let why = if f.text("input.team").is_none() {
                NotRead::new(NotReadCode::NoTeam, "")
            } else {
                NotRead::new(
                    NotReadCode::Missing,
                    f.text(&format!("{P}.SiteNote"))
                        .unwrap_or_else(|| "SiteSharingCapability".into()),
                )
            };
            f.unknown(format!("{P}.SiteSharingCapability"), why.clone());
            f.unknown(format!("{P}.SiteBelowTenant"), why);
        }
    }
    let mode = f
        .value(&format!("{P}.SharingDomainRestrictionMode"))
        // SharePoint's SharingDomainRestrictionModes: None = 0, AllowList = 1, BlockList = 2;
        // the number may come as a JSON number or (the script writes text) as "2".
        .map(|v| {
            let number = v
                .as_i64()
                .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()));
            match number {
                Some(1) => "AllowList".to_string(),
                Some(2) => "BlockList".to_string(),
                Some(_) => "None".to_string(),
                None => json::as_text(v).unwrap_or_else(|| "None".into()),
            }
        })
        .unwrap_or_else(|| "None".into());
    f.known(format!("{P}.DomainRestriction"), json!(mode));
    let list = |key: &str| -> Vec<String> {
        f.value(&format!("{P}.{key}"))
            .and_then(json::as_list)
            .unwrap_or_default()
    };
    let allowed = list("SharingAllowedDomainList");
    let blocked = list("SharingBlockedDomainList");
    // The list the mode uses could not be read (a value of another kind): the guest's domain
    // cannot be judged against it, rather than against an empty list.
    let used = match mode.to_ascii_lowercase().as_str() {
        "allowlist" => Some("SharingAllowedDomainList"),
        "blocklist" => Some("SharingBlockedDomainList"),
        _ => None,
    };
    let unreadable = used.and_then(|k| f.why_unknown(&format!("{P}.{k}")));
    let status = match (unreadable, f.text("guest.Domain")) {
        (Some(n), _) => Fact::Unknown(n),
        (None, None) => Fact::Unknown(NotRead::new(NotReadCode::NoGuest, "")),
        (None, Some(d)) => Fact::Known(json!(match mode.to_ascii_lowercase().as_str() {
            "allowlist" if !allowed.iter().any(|x| domain_matches(&d, x)) => "not_allowed",
            "blocklist" if blocked.iter().any(|x| domain_matches(&d, x)) => "blocked",
            _ => "ok",
        })),
    };
    f.set(format!("{P}.GuestDomainSharing"), status);
    let _ = tenant_rank;
}

/// The team's label and whether it lets owners add guests (the `protectgroup` label action's
/// `allowaccesstoguestusers` setting, or the property of the same meaning).
fn label(f: &mut Facts) {
    const P: &str = "sensitivity-label";
    let labels = match f.get("team.AssignedLabels") {
        Fact::Unknown(n) => {
            f.unknown(format!("{P}.Label"), n.clone());
            f.unknown(format!("{P}.AllowAccessToGuestUsers"), n);
            return;
        }
        Fact::Known(v) => v,
    };
    if f.bool("team.Found") != Some(true) {
        let why = f.why_unknown("team.Found").unwrap_or_else(|| {
            NotRead::new(
                NotReadCode::TeamNotFound,
                f.text("input.team").unwrap_or_default(),
            )
        });
        f.unknown(format!("{P}.Label"), why.clone());
        f.unknown(format!("{P}.AllowAccessToGuestUsers"), why);
        return;
    }
    let first = json::items(&labels).into_iter().next().cloned();
    let Some(first) = first else {
        f.known(format!("{P}.Label"), json!("none"));
        f.known(format!("{P}.AllowAccessToGuestUsers"), Value::Null);
        return;
    };
    let name = f
        .text(&format!("{P}.LabelName"))
        .filter(|n| !n.is_empty())
        .or_else(|| json::get(&first, "DisplayName").and_then(json::as_text))
        .unwrap_or_else(|| {
            json::get(&first, "LabelId")
                .and_then(json::as_text)
                .unwrap_or_default()
        });
    f.known(format!("{P}.Label"), json!(name));
    if let Some(n) = f.why_unknown(&format!("{P}.LabelId")) {
        f.unknown(format!("{P}.AllowAccessToGuestUsers"), n);
        return;
    }
    let direct = f
        .value(&format!(
            "{P}.SiteAndGroupProtectionAllowAccessToGuestUsers"
        ))
        .and_then(json::as_bool);
    let from_actions = f
        .value(&format!("{P}.LabelActions"))
        .map(json::items)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|a| match a {
            Value::String(s) => serde_json::from_str::<Value>(s).ok(),
            other => Some(other.clone()),
        })
        .filter(|a| {
            json::get(a, "Type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.eq_ignore_ascii_case("protectgroup"))
        })
        .find_map(|a| {
            json::get(&a, "Settings")
                .map(json::items)
                .unwrap_or_default()
                .into_iter()
                .find(|s| {
                    json::get(s, "Key")
                        .and_then(Value::as_str)
                        .is_some_and(|k| k.eq_ignore_ascii_case("allowaccesstoguestusers"))
                })
                .and_then(|s| json::get(s, "Value"))
                .and_then(json::as_bool)
        });
    // Two readings of the same label: if either says no guests, that is what counts.
    let allows = match (from_actions, direct) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (a, d) => a.or(d),
    };
    f.known(
        format!("{P}.AllowAccessToGuestUsers"),
        allows.map(Value::Bool).unwrap_or(Value::Null),
    );
}

/// Users, groups and contacts that already carry the guest's address, in one list.
fn conflicts(f: &mut Facts) {
    const P: &str = "invitation-conflicts";
    let mut all = Vec::new();
    for (key, kind) in [
        ("Users", "user"),
        ("Groups", "group"),
        ("Contacts", "contact"),
    ] {
        match f.lookup(&format!("{P}.{key}")) {
            Err(n) => {
                f.unknown(format!("{P}.Conflicts"), n);
                return;
            }
            // One name each (a group may be called "Sales Team"), also when the array of one
            // was written as its element.
            Ok(v) => all.extend(
                json::items(v)
                    .into_iter()
                    .filter_map(json::as_text)
                    .filter(|n| !n.trim().is_empty())
                    .map(|name| format!("{kind} {name}")),
            ),
        }
    }
    f.known(format!("{P}.Conflicts"), json!(all));
}

/// The tenant's name (`contoso` of `contoso.onmicrosoft.com`), for the SharePoint admin address.
fn tenant(f: &mut Facts) {
    let name = f
        .text("tenant.InitialDomain")
        .and_then(|d| d.strip_suffix(".onmicrosoft.com").map(str::to_string));
    f.known(
        "tenant.Name",
        name.map(Value::String).unwrap_or(Value::Null),
    );
}

fn hybrid(f: &mut Facts, now: Option<i64>) {
    const P: &str = "hybrid-sync";
    let last = f
        .value(&format!("{P}.OnPremisesLastSyncDateTime"))
        .and_then(json::as_unix_time);
    f.known(
        format!("{P}.LastSync"),
        last.map(|t| json!(json::date_text(t)))
            .unwrap_or(Value::Null),
    );
    let hours = last.zip(now).map(|(t, n)| ((n - t).max(0) / 3600) as f64);
    f.known(
        format!("{P}.HoursSinceSync"),
        hours.map(Value::from).unwrap_or(Value::Null),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(pairs: &[(&str, Value)]) -> Facts {
        let mut f = Facts::default();
        for (k, v) in pairs {
            f.known(*k, v.clone());
        }
        f
    }

    #[test]
    fn domain_lists_are_found_under_any_key_name() {
        let def = r#"{"B2BManagementPolicy":{"InvitationsAllowedAndBlockedDomainsPolicy":{"BlockedDomains":["Fabrikam.com","*.evil.org"]}}}"#;
        for guest in ["jan@fabrikam.com", "x@mail.evil.org"] {
            let mut f = facts(&[
                ("input.guest", json!(guest)),
                (
                    "entra-domain-lists.Policies",
                    json!([{"id": "x", "definition": [def]}]),
                ),
            ]);
            derive(&mut f, None);
            assert_eq!(
                f.text("entra-domain-lists.GuestDomainStatus").unwrap(),
                "denied"
            );
        }
        let mut f = facts(&[
            ("input.guest", json!("a@contoso.com")),
            (
                "entra-domain-lists.Policies",
                json!([{"definition": [r#"{"x":{"allowedDomains":["partner.nl"]}}"#]}]),
            ),
        ]);
        derive(&mut f, None);
        assert_eq!(
            f.text("entra-domain-lists.GuestDomainStatus").unwrap(),
            "not_allowed"
        );
        assert_eq!(
            f.text("entra-domain-lists.Restriction").unwrap(),
            "allow_list"
        );
    }

    #[test]
    fn the_partner_entry_wins_over_the_default() {
        let allowed = json!({"UsersAndGroups": {"AccessType": "allowed", "Targets": ["AllUsers"]}, "Applications": {"AccessType": "allowed", "Targets": ["AllApplications"]}});
        let blocked = json!({"UsersAndGroups": {"AccessType": "blocked", "Targets": ["AllUsers"]}, "Applications": {"AccessType": "blocked", "Targets": ["AllApplications"]}});
        let mut f = facts(&[
            ("input.guest", json!("a@fabrikam.com")),
            ("entra-cross-tenant.DefaultB2BCollaborationInbound", allowed),
            ("entra-cross-tenant.HomeTenantLookup", json!("found")),
            ("entra-cross-tenant.HomeTenantId", json!("t1")),
            ("entra-cross-tenant.PartnerFound", json!(true)),
            ("entra-cross-tenant.PartnerB2BCollaborationInbound", blocked),
        ]);
        derive(&mut f, None);
        assert_eq!(
            f.text("entra-cross-tenant.InboundUsers").unwrap(),
            "blocked"
        );
        assert_eq!(
            f.text("entra-cross-tenant.PolicySource").unwrap(),
            "partner t1"
        );
    }

    #[test]
    fn conditional_access_lists_a_policy_for_this_guest_or_with_terms_of_use_ids() {
        let policy = |users: Value, terms: Value| {
            json!([{"DisplayName": "P", "State": "enabled", "IncludeUsers": users,
                    "ExcludeUsers": [], "BuiltInControls": [], "TermsOfUse": terms}])
        };
        let guest = "4C2E8A1F-7b3d-4e9a-8f6c-5d4e3c2b1a0f";
        for (users, terms, listed) in [
            // The guest by object id, with an MFA-like control (terms of use as a count).
            (json!([guest.to_ascii_lowercase()]), json!(1), true),
            // Graph's own shape: the terms of use ids.
            (json!(["All"]), json!(["0b1c2d3e-terms"]), true),
            (json!("All"), json!("0b1c2d3e-terms"), true),
            (json!(["All"]), json!([]), false),
            (json!(["someone-else"]), json!(1), false),
        ] {
            let mut f = facts(&[
                ("guest.Id", json!(guest)),
                (
                    "conditional-access.Policies",
                    policy(users.clone(), terms.clone()),
                ),
            ]);
            derive(&mut f, None);
            let names = f.value("conditional-access.GuestPolicies").unwrap().clone();
            assert_eq!(names == json!(["P"]), listed, "{users} {terms}: {names}");
        }
    }

    #[test]
    fn email_otp_states_by_name_or_number_and_unknown_values() {
        for (v, expect) in [
            (json!("default"), Some("enabled")),
            (json!("Enabled"), Some("enabled")),
            (json!("disabled"), Some("disabled")),
            (json!(2), Some("disabled")),
            (json!(0), Some("enabled")),
            (json!(""), Some("enabled")),
            (json!("unknownFutureValue"), None),
            (json!("off"), None),
        ] {
            let mut f = facts(&[(
                "email-one-time-passcode.AllowExternalIdToUseEmailOtp",
                v.clone(),
            )]);
            derive(&mut f, None);
            assert_eq!(
                f.text("email-one-time-passcode.ExternalEmailOtp")
                    .as_deref(),
                expect,
                "{v}"
            );
        }
    }

    #[test]
    fn an_unknown_account_state_is_not_read_as_enabled() {
        for (v, expect) in [
            (Some(json!(true)), Some(true)),
            (Some(json!("False")), Some(false)),
            (Some(Value::Null), None),
            (None, None),
        ] {
            let mut f = facts(&[("guest.Found", json!(true))]);
            if let Some(v) = &v {
                f.known("guest.AccountEnabled", v.clone());
            }
            derive(&mut f, None);
            assert_eq!(f.bool("guest.Enabled"), expect, "{v:?}");
            if expect.is_none() {
                assert!(f.why_unknown("guest.Enabled").is_some());
            }
            assert_eq!(f.text("guest.Redemption").as_deref(), Some("accepted"));
        }
    }

    #[test]
    fn a_sharepoint_domain_list_that_could_not_be_read_is_not_an_empty_list() {
        let mut f = facts(&[
            ("input.guest", json!("jan@fabrikam.com")),
            (
                "sharepoint-sharing.SharingCapability",
                json!("ExternalUserSharingOnly"),
            ),
            (
                "sharepoint-sharing.SharingDomainRestrictionMode",
                json!("BlockList"),
            ),
            ("sharepoint-sharing.SharingAllowedDomainList", json!("")),
        ]);
        f.unknown(
            "sharepoint-sharing.SharingBlockedDomainList",
            NotRead::new(NotReadCode::BadValue, "SharingBlockedDomainList = [...]"),
        );
        derive(&mut f, None);
        assert!(
            f.why_unknown("sharepoint-sharing.GuestDomainSharing")
                .is_some()
        );
        // The allow list is not used in BlockList mode: an unreadable one does not matter.
        let mut f = facts(&[
            ("input.guest", json!("jan@fabrikam.com")),
            (
                "sharepoint-sharing.SharingCapability",
                json!("ExternalUserSharingOnly"),
            ),
            ("sharepoint-sharing.SharingDomainRestrictionMode", json!(2)),
            (
                "sharepoint-sharing.SharingBlockedDomainList",
                json!("evil.example"),
            ),
        ]);
        f.unknown(
            "sharepoint-sharing.SharingAllowedDomainList",
            NotRead::new(NotReadCode::BadValue, "x"),
        );
        derive(&mut f, None);
        assert_eq!(
            f.text("sharepoint-sharing.GuestDomainSharing").as_deref(),
            Some("ok")
        );
    }

    #[test]
    fn a_cross_tenant_setting_in_another_shape_is_not_read_as_allowed() {
        let allowed = json!({"UsersAndGroups": {"AccessType": "allowed", "Targets": ["AllUsers"]}, "Applications": {"AccessType": "allowed", "Targets": ["AllApplications"]}});
        let truncated = json!({"UsersAndGroups": "@{AccessType=blocked; Targets=System.Object[]}", "Applications": "@{AccessType=blocked; Targets=System.Object[]}"});
        let type_name = json!(
            "Microsoft.Graph.PowerShell.Models.MicrosoftGraphCrossTenantAccessPolicyB2BSetting"
        );
        let run = |default: Value, partner: Option<Value>| {
            let mut f = facts(&[
                ("input.guest", json!("a@fabrikam.com")),
                ("entra-cross-tenant.DefaultB2BCollaborationInbound", default),
                ("entra-cross-tenant.HomeTenantLookup", json!("found")),
                ("entra-cross-tenant.PartnerFound", json!(partner.is_some())),
                (
                    "entra-cross-tenant.PartnerB2BCollaborationInbound",
                    partner.unwrap_or(Value::Null),
                ),
            ]);
            derive(&mut f, None);
            f.text("entra-cross-tenant.InboundUsers")
        };
        assert_eq!(run(allowed.clone(), None).as_deref(), Some("allowed"));
        // A partner that inherits everything (null), or one part.
        assert_eq!(
            run(allowed.clone(), Some(Value::Null)).as_deref(),
            Some("allowed")
        );
        assert_eq!(
            run(
                allowed.clone(),
                Some(json!({"UsersAndGroups": {"AccessType": "blocked", "Targets": ["AllUsers"]}, "Applications": null}))
            )
            .as_deref(),
            Some("blocked")
        );
        for bad in [truncated.clone(), type_name.clone(), json!({}), Value::Null] {
            assert_eq!(run(bad.clone(), None), None, "default {bad}");
        }
        for bad in [truncated, type_name] {
            assert_eq!(
                run(allowed.clone(), Some(bad.clone())),
                None,
                "partner {bad}"
            );
        }
    }

    #[test]
    fn sharing_levels_by_number_or_name() {
        let mut f = facts(&[
            ("input.team", json!("X")),
            ("sharepoint-sharing.SharingCapability", json!(2)),
            (
                "sharepoint-sharing.SiteSharingCapability",
                json!("ExistingExternalUserSharingOnly"),
            ),
        ]);
        derive(&mut f, None);
        assert_eq!(
            f.text("sharepoint-sharing.SharingCapability").unwrap(),
            "ExternalUserAndGuestSharing"
        );
        assert_eq!(f.bool("sharepoint-sharing.SiteBelowTenant"), Some(true));
    }

    #[test]
    fn label_actions_decide_guest_access() {
        let action = r#"{"Type":"protectgroup","SubType":null,"Settings":[{"Key":"privacy","Value":"Private"},{"Key":"allowaccesstoguestusers","Value":"false"}]}"#;
        let mut f = facts(&[
            ("team.Found", json!(true)),
            (
                "team.AssignedLabels",
                json!([{"LabelId": "l1", "DisplayName": "Confidential"}]),
            ),
            ("sensitivity-label.LabelId", json!("l1")),
            ("sensitivity-label.LabelActions", json!([action])),
        ]);
        derive(&mut f, None);
        assert_eq!(
            f.bool("sensitivity-label.AllowAccessToGuestUsers"),
            Some(false)
        );
        assert_eq!(f.text("sensitivity-label.Label").unwrap(), "Confidential");
    }
}
