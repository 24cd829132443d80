//! CISA ScubaGear's `ProviderSettingsExport.json` as an audit result. ScubaGear's providers
//! export tenant settings per product, with the commands that succeeded and failed
//! (`<product>_successful_commands`, `<product>_unsuccessful_commands`). The settings it covers
//! fill the same values the teamsfix script writes; everything else is "not in a ScubaGear
//! export". Exports of older and newer ScubaGear versions differ in small ways (an object or an
//! array of one, `AdditionalProperties`, numbers or names for SharePoint's enums): read leniently.

use super::facts::{Facts, NotRead, NotReadCode};
use super::json;
use super::reads::READS;
use serde_json::{Value, json};

/// Which values an export can hold: the value's name, the export key it comes from, the command
/// ScubaGear runs for it, and the product whose command lists record that command.
pub static COVERAGE: &[(&str, &str, &str, &str)] = &[
    (
        "teams-guest-switch.AllowGuestUser",
        "client_configuration",
        "Get-CsTeamsClientConfiguration",
        "teams",
    ),
    (
        "entra-who-may-invite.AllowInvitesFrom",
        "authorization_policies",
        "Get-MgBetaPolicyAuthorizationPolicy",
        "aad",
    ),
    (
        "entra-guest-access-level.GuestUserRoleId",
        "authorization_policies",
        "Get-MgBetaPolicyAuthorizationPolicy",
        "aad",
    ),
    (
        "entra-read-other-users.AllowedToReadOtherUsers",
        "authorization_policies",
        "Get-MgBetaPolicyAuthorizationPolicy",
        "aad",
    ),
    (
        "m365-groups-guests.GroupUnifiedFound",
        "directory_settings",
        "Get-MgBetaDirectorySetting",
        "aad",
    ),
    (
        "m365-groups-guests.SettingId",
        "directory_settings",
        "Get-MgBetaDirectorySetting",
        "aad",
    ),
    (
        "m365-groups-guests.AllowToAddGuests",
        "directory_settings",
        "Get-MgBetaDirectorySetting",
        "aad",
    ),
    (
        "m365-groups-guests.AllowGuestsToAccessGroups",
        "directory_settings",
        "Get-MgBetaDirectorySetting",
        "aad",
    ),
    (
        "email-one-time-passcode.State",
        "authentication_method",
        "Get-MgBetaPolicyAuthenticationMethodPolicy",
        "aad",
    ),
    (
        "email-one-time-passcode.AllowExternalIdToUseEmailOtp",
        "authentication_method",
        "Get-MgBetaPolicyAuthenticationMethodPolicy",
        "aad",
    ),
    (
        "conditional-access.Policies",
        "conditional_access_policies",
        "Get-MgBetaIdentityConditionalAccessPolicy",
        "aad",
    ),
    (
        "sharepoint-sharing.SharingCapability",
        "SPO_tenant",
        "Get-SPOTenant",
        "SharePoint",
    ),
    (
        "sharepoint-sharing.SharingDomainRestrictionMode",
        "SPO_tenant",
        "Get-SPOTenant",
        "SharePoint",
    ),
    (
        "sharepoint-sharing.SharingAllowedDomainList",
        "SPO_tenant",
        "Get-SPOTenant",
        "SharePoint",
    ),
    (
        "sharepoint-sharing.SharingBlockedDomainList",
        "SPO_tenant",
        "Get-SPOTenant",
        "SharePoint",
    ),
    (
        "hybrid-sync.OnPremisesSyncEnabled",
        "tenant_details",
        "Get-MgBetaOrganization",
        "aad",
    ),
    (
        "hybrid-sync.OnPremisesLastSyncDateTime",
        "tenant_details",
        "Get-MgBetaOrganization",
        "aad",
    ),
];

/// True when the JSON looks like a ScubaGear provider export.
pub fn looks_like_export(root: &Value) -> bool {
    let Some(obj) = root.as_object() else {
        return false;
    };
    obj.keys().any(|k| {
        let k = k.to_ascii_lowercase();
        k.ends_with("_successful_commands") || k.ends_with("_unsuccessful_commands")
    }) || (obj.contains_key("baseline_version") && obj.contains_key("module_version"))
}

/// The values an export holds, under the teamsfix names.
pub fn facts(root: &Value) -> Facts {
    let mut f = Facts::default();
    for read in READS {
        for key in read.keys {
            f.unknown(
                super::facts::fact_name(read.target, key.name),
                NotRead::new(NotReadCode::NotInScubaGear, ""),
            );
        }
    }
    f.known("input.guest", Value::Null);
    f.known("input.team", Value::Null);

    // Covered values: read each from its export key; a failed command or a product that was
    // not run leaves the value unknown with that reason.
    for (name, export_key, command, product) in COVERAGE {
        match source(root, export_key, command, product) {
            Err(why) => f.unknown(*name, why),
            Ok(section) => match value(name, section) {
                Some(v) => f.known(*name, v),
                None => f.unknown(
                    *name,
                    NotRead::new(NotReadCode::Missing, format!("{export_key}: {name}")),
                ),
            },
        }
    }
    f
}

/// The export's section for a value, or why it cannot be used.
fn source<'a>(
    root: &'a Value,
    export_key: &str,
    command: &str,
    product: &str,
) -> Result<&'a Value, NotRead> {
    // Versions name the same command differently (`Get-MgPolicyAuthorizationPolicy` before
    // 1.0, `Get-MgBeta...` after; `Get-SPOTenantRest` since 1.8) and record it under the
    // product that ran it (`Get-MgBetaOrganization` under SharePoint in 1.0): look in every
    // product's list, with the product named here first.
    let own = format!("{product}_unsuccessful_commands");
    let lists = root.as_object().into_iter().flatten().filter(|(k, _)| {
        k.eq_ignore_ascii_case(&own) || k.to_ascii_lowercase().ends_with("_unsuccessful_commands")
    });
    let wanted = command_id(command);
    let failed = lists
        .flat_map(|(_, v)| json::items(v))
        .filter_map(Value::as_str)
        .find(|c| command_id(c) == wanted);
    if let Some(c) = failed {
        return Err(NotRead::new(NotReadCode::ScubaGearFailed, c.trim()));
    }
    match json::get(root, export_key) {
        Some(v) if !v.is_null() => Ok(v),
        // Neither list of the product's commands: the product was not run at all.
        _ if !ran(root, product) => Err(NotRead::new(
            NotReadCode::ScubaGearProductNotRun,
            product_name(product),
        )),
        _ => Err(NotRead::new(NotReadCode::NotInScubaGear, export_key)),
    }
}

/// Whether the export holds the product's lists of commands (`teams_successful_commands`...).
fn ran(root: &Value, product: &str) -> bool {
    ["successful_commands", "unsuccessful_commands"]
        .iter()
        .any(|list| json::get(root, &format!("{product}_{list}")).is_some())
}

/// The product as ScubaGear's `-ProductNames` names it.
fn product_name(product: &str) -> &'static str {
    match product.to_ascii_lowercase().as_str() {
        "teams" => "teams",
        "aad" => "aad",
        "sharepoint" => "sharepoint",
        _ => "?",
    }
}

/// A command's name without what differs between ScubaGear versions: case, Graph's `Beta`
/// and the `Rest` of the REST versions of the SharePoint commands.
fn command_id(command: &str) -> String {
    let c = command
        .trim()
        .to_ascii_lowercase()
        .replacen("get-mgbeta", "get-mg", 1);
    c.strip_suffix("rest").map(str::to_string).unwrap_or(c)
}

/// One covered value out of its export section (`None` when the section lacks it).
fn value(name: &str, section: &Value) -> Option<Value> {
    let (layer, key) = name.split_once('.')?;
    match layer {
        "teams-guest-switch" => {
            let configs = json::items(section);
            let global = configs
                .iter()
                .find(|c| {
                    json::get(c, "Identity")
                        .and_then(Value::as_str)
                        .is_some_and(|i| i.eq_ignore_ascii_case("Global"))
                })
                .or(configs.first())?;
            json::get(global, key)
                .and_then(json::as_bool)
                .map(Value::Bool)
        }
        "entra-who-may-invite" | "entra-guest-access-level" => {
            let policy = json::first_object(section)?;
            json::get(&Value::Object(policy.clone()), key)
                .and_then(json::as_text)
                .map(Value::String)
        }
        "entra-read-other-users" => {
            let policy = Value::Object(json::first_object(section)?.clone());
            json::path(&policy, &["DefaultUserRolePermissions", key])
                .and_then(json::as_bool)
                .map(Value::Bool)
        }
        "m365-groups-guests" => {
            // The tenant has one Group.Unified setting; should an export hold more, a False in
            // any of them counts (the script does the same).
            let unified: Vec<&Value> = json::items(section)
                .into_iter()
                .filter(|s| {
                    json::get(s, "DisplayName")
                        .and_then(Value::as_str)
                        .is_some_and(|n| n.eq_ignore_ascii_case("Group.Unified"))
                        || json::get(s, "TemplateId")
                            .and_then(Value::as_str)
                            .is_some_and(|t| {
                                t.eq_ignore_ascii_case("62375ab9-6b52-47ed-826b-58e47e0e304b")
                            })
                })
                .collect();
            match (key, unified.first()) {
                ("GroupUnifiedFound", u) => Some(Value::Bool(u.is_some())),
                (_, None) => Some(Value::Null),
                ("SettingId", Some(u)) => json::get(u, "Id").cloned().or(Some(Value::Null)),
                _ => {
                    let values: Vec<Value> = unified
                        .iter()
                        .filter_map(|u| {
                            json::get(u, "Values")
                                .map(json::items)
                                .unwrap_or_default()
                                .into_iter()
                                .find(|v| {
                                    json::get(v, "Name")
                                        .and_then(Value::as_str)
                                        .is_some_and(|n| n.eq_ignore_ascii_case(key))
                                })
                                .and_then(|v| json::get(v, "Value"))
                                .filter(|v| !v.is_null())
                                .cloned()
                        })
                        .collect();
                    Some(
                        values
                            .iter()
                            .find(|v| json::as_bool(v) == Some(false))
                            .or(values.first())
                            .cloned()
                            .unwrap_or(Value::Null),
                    )
                }
            }
        }
        "email-one-time-passcode" => {
            let methods = json::items(section)
                .into_iter()
                .flat_map(|m| {
                    // Since 1.3 `authentication_method_feature_settings`; 1.0 to 1.2 wrote the
                    // policy itself, with its `AuthenticationMethodConfigurations`.
                    [
                        "authentication_method_feature_settings",
                        "AuthenticationMethodConfigurations",
                    ]
                    .into_iter()
                    .flat_map(|k| json::get(m, k).map(json::items).unwrap_or_default())
                })
                .collect::<Vec<_>>();
            let email = methods.into_iter().find(|m| {
                json::get(m, "Id")
                    .and_then(Value::as_str)
                    .is_some_and(|i| i.eq_ignore_ascii_case("Email"))
            })?;
            json::get(email, key)
                .or_else(|| {
                    json::get(email, "AdditionalProperties").and_then(|a| json::get(a, key))
                })
                .and_then(json::as_text)
                .map(Value::String)
        }
        "conditional-access" => Some(Value::Array(
            json::items(section).into_iter().map(ca_policy).collect(),
        )),
        "sharepoint-sharing" => {
            let tenant = Value::Object(json::first_object(section)?.clone());
            json::get(&tenant, key).cloned()
        }
        "hybrid-sync" => {
            let details = json::first_object(section)?;
            let aad = json::get(&Value::Object(details.clone()), "AADAdditionalData")
                .and_then(json::first_object)
                .map(|o| Value::Object(o.clone()))?;
            let v = json::get(&aad, key)?;
            match key {
                "OnPremisesSyncEnabled" => Some(Value::Bool(json::as_bool(v).unwrap_or(false))),
                _ => Some(v.clone()),
            }
        }
        _ => None,
    }
}

/// A Conditional Access policy from Graph's object form into the flat form the script writes.
fn ca_policy(p: &Value) -> Value {
    let users = json::path(p, &["Conditions", "Users"])
        .cloned()
        .unwrap_or(Value::Null);
    let list = |v: Option<&Value>| -> Vec<String> { v.and_then(json::as_list).unwrap_or_default() };
    let guest_types = |key: &str| -> String {
        json::get(&users, key)
            .and_then(|g| json::get(g, "GuestOrExternalUserTypes"))
            .and_then(json::as_text)
            .unwrap_or_default()
    };
    let grant = json::get(p, "GrantControls")
        .cloned()
        .unwrap_or(Value::Null);
    json!({
        "DisplayName": json::get(p, "DisplayName").and_then(json::as_text).unwrap_or_default(),
        "State": json::get(p, "State").and_then(json::as_text).unwrap_or_default(),
        "IncludeUsers": list(json::get(&users, "IncludeUsers")),
        "ExcludeUsers": list(json::get(&users, "ExcludeUsers")),
        "IncludeGuestOrExternalUserTypes": guest_types("IncludeGuestsOrExternalUsers"),
        "ExcludeGuestOrExternalUserTypes": guest_types("ExcludeGuestsOrExternalUsers"),
        "BuiltInControls": list(json::get(&grant, "BuiltInControls")),
        "AuthenticationStrength": json::path(&grant, &["AuthenticationStrength", "DisplayName"])
            .and_then(json::as_text)
            .unwrap_or_default(),
        "TermsOfUse": json::get(&grant, "TermsOfUse").map(|t| json::items(t).len()).unwrap_or(0),
    })
}

/// When the export was made (`timestamp_zulu`, else `date`), as the export writes it.
pub fn made_at(root: &Value) -> Option<String> {
    json::get(root, "timestamp_zulu")
        .or_else(|| json::get(root, "date"))
        .and_then(json::as_text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_covered_value_is_one_the_script_writes_too() {
        for (name, ..) in COVERAGE {
            let (layer, key) = name.split_once('.').unwrap();
            let read = READS
                .iter()
                .find(|r| r.target.id() == layer)
                .unwrap_or_else(|| panic!("{name}"));
            assert!(read.keys.iter().any(|k| k.name == key), "{name}");
        }
    }

    #[test]
    fn several_group_unified_settings_a_false_in_any_counts_and_none_is_the_default() {
        let setting = |id: &str, add: &str| {
            json!({"id": id, "displayName": "Group.Unified", "values": [
                {"name": "AllowGuestsToAccessGroups", "value": "True"},
                {"name": "AllowToAddGuests", "value": add}]})
        };
        for settings in [
            json!([setting("a", "True"), setting("b", "false")]),
            json!([setting("a", "false"), setting("b", "True")]),
        ] {
            let root = json!({"aad_successful_commands": [], "directory_settings": settings});
            let f = facts(&root);
            assert_eq!(
                f.value("m365-groups-guests.AllowToAddGuests"),
                Some(&json!("false")),
                "{settings}"
            );
            assert_eq!(f.text("m365-groups-guests.SettingId").as_deref(), Some("a"));
        }
        let root = json!({"aad_successful_commands": [], "directory_settings": []});
        let f = facts(&root);
        assert_eq!(f.bool("m365-groups-guests.GroupUnifiedFound"), Some(false));
        assert!(
            f.value("m365-groups-guests.AllowToAddGuests")
                .is_none_or(Value::is_null)
        );
    }

    #[test]
    fn a_failed_command_and_a_product_not_run_are_told_apart() {
        let root = json!({
            "baseline_version": "1", "module_version": "1.8.0",
            "teams_unsuccessful_commands": ["Get-CsTeamsClientConfiguration"],
            "aad_successful_commands": [],
        });
        let f = facts(&root);
        assert_eq!(
            f.why_unknown("teams-guest-switch.AllowGuestUser")
                .unwrap()
                .code,
            NotReadCode::ScubaGearFailed
        );
        // The export has aad's lists, so aad ran: its values that are missing are "not in the
        // export"; teams has its lists too. SharePoint has none: it was not run.
        assert_eq!(
            f.why_unknown("entra-who-may-invite.AllowInvitesFrom")
                .unwrap()
                .code,
            NotReadCode::NotInScubaGear
        );
        let spo = f
            .why_unknown("sharepoint-sharing.SharingCapability")
            .unwrap();
        assert_eq!(spo.code, NotReadCode::ScubaGearProductNotRun);
        assert_eq!(spo.detail, "sharepoint");
        // Layers ScubaGear never exports stay "not in a ScubaGear export".
        assert_eq!(
            f.why_unknown("team-membership.IsMember").unwrap().code,
            NotReadCode::NotInScubaGear
        );
    }
}
