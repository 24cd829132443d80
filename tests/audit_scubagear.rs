//! ScubaGear exports of other versions and other tenants: CISA's published sample exports of
//! ScubaGear 0.2.0, 1.0.0, 1.2.0, 1.6.0 and 1.8.0, and 1.8.0's ScubaResults file (tests/fixtures/audit/scubagear/NOTICE.md says
//! how they differ) are read, each gets the verdicts its tenant's values call for, and the
//! same export with one setting changed names the right layer, whatever the version's shape.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use teamsfix::common::i18n::Lang;
use teamsfix::guide::audit::{self, Audit, Format, Verdict};

use Verdict::{Blocks, MayBlock, NotRead, Ok as Fine};

fn path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/audit/scubagear")
        .join(name)
}

fn load(name: &str) -> Value {
    let bytes = std::fs::read(path(name)).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap()
}

fn judge(v: &Value) -> Audit {
    audit::parse(v.to_string().as_bytes()).unwrap_or_else(|e| panic!("{e:?}"))
}

const COVERED: &[&str] = &[
    "teams-guest-switch",
    "entra-who-may-invite",
    "entra-guest-access-level",
    "entra-read-other-users",
    "m365-groups-guests",
    "sharepoint-sharing",
    "email-one-time-passcode",
    "conditional-access",
    "hybrid-sync",
];

struct Version {
    file: &'static str,
    version: &'static str,
    tenant: Option<&'static str>,
    first: Option<&'static str>,
    /// The verdict of every layer an export covers, in `COVERED`'s order.
    verdicts: [Verdict; 9],
}

const VERSIONS: &[Version] = &[
    Version {
        file: "ProviderSettingsExport-0.2.0.json",
        version: "0.2.0",
        tenant: None,
        first: None,
        // No e-mail method in 0.2.0; its one CA policy for guests is report-only.
        verdicts: [Fine, Fine, Fine, Fine, Fine, Fine, NotRead, Fine, Fine],
    },
    Version {
        file: "ProviderSettingsExport-1.0.0.json",
        version: "1.0.0",
        tenant: Some("ca08493a-c9c8-4db0-a9e8-d3b4bafac269"),
        first: None,
        // SharingCapability 1: new and existing guests. The e-mail method is only a type name.
        verdicts: [
            Fine, MayBlock, Fine, Fine, Fine, Fine, NotRead, MayBlock, Fine,
        ],
    },
    Version {
        file: "ProviderSettingsExport-1.2.0.json",
        version: "1.2.0",
        tenant: Some("ca08493a-c9c8-4db0-a9e8-d3b4bafac269"),
        first: Some("sharepoint-sharing"),
        // The e-mail method's state, without allowExternalIdToUseEmailOtp: not read.
        verdicts: [
            Fine, MayBlock, Fine, Fine, Fine, Blocks, NotRead, MayBlock, MayBlock,
        ],
    },
    Version {
        file: "ProviderSettingsExport-1.6.0.json",
        version: "1.6.0",
        tenant: Some("ca08493a-c9c8-4db0-a9e8-d3b4bafac269"),
        first: Some("sharepoint-sharing"),
        verdicts: [
            Fine, MayBlock, Fine, Fine, Fine, Blocks, MayBlock, MayBlock, MayBlock,
        ],
    },
    // The one results file ScubaGear 1.4 and later write by default; `Raw` is the export.
    Version {
        file: "ScubaResults-1.8.0.json",
        version: "1.8.0",
        tenant: Some("3c19c757-3b55-411f-b03f-2bcc514a598d"),
        first: Some("sharepoint-sharing"),
        verdicts: [
            Fine, MayBlock, Fine, Fine, Fine, Blocks, MayBlock, MayBlock, MayBlock,
        ],
    },
    Version {
        file: "ProviderSettingsExport.json",
        version: "1.8.0",
        tenant: Some("3c19c757-3b55-411f-b03f-2bcc514a598d"),
        first: Some("sharepoint-sharing"),
        verdicts: [
            Fine, MayBlock, Fine, Fine, Fine, Blocks, MayBlock, MayBlock, MayBlock,
        ],
    },
];

#[test]
fn exports_of_every_scubagear_version_are_read() {
    for v in VERSIONS {
        let a = audit::open(&path(v.file)).unwrap_or_else(|e| panic!("{}: {e:?}", v.file));
        assert_eq!(a.format, Format::ScubaGear, "{}", v.file);
        assert_eq!(
            a.made_by.as_deref(),
            Some(format!("ScubaGear {}", v.version).as_str())
        );
        assert_eq!(a.tenant_id.as_deref(), v.tenant, "{}", v.file);
        assert!(a.ran_at.is_some(), "{}", v.file);
        assert_eq!(a.first_blocker().map(|l| l.layer), v.first, "{}", v.file);
        for (layer, want) in COVERED.iter().zip(v.verdicts) {
            let got = a.verdict(layer).unwrap();
            assert_eq!(
                got.verdict,
                want,
                "{} {layer}: {} / {}",
                v.file,
                got.decided_text(),
                got.why.text(Lang::En)
            );
        }
        for l in &a.layers {
            if !COVERED.contains(&l.layer) {
                assert_eq!(l.verdict, NotRead, "{} {}", v.file, l.layer);
                assert_eq!(
                    l.why.text(Lang::En),
                    "Not read (not in a ScubaGear export).",
                    "{} {}",
                    v.file,
                    l.layer
                );
            }
        }
    }
}

/// The objects of an export section, whether the version wrote an array or one object.
fn objects(v: &mut Value) -> Vec<&mut Value> {
    match v {
        Value::Array(a) => a.iter_mut().collect(),
        other => vec![other],
    }
}

fn set_client(v: &mut Value, key: &str, val: Value) {
    for c in objects(&mut v["client_configuration"]) {
        c[key] = val.clone();
    }
}

fn set_authz(v: &mut Value, key: &str, val: Value) {
    for p in objects(&mut v["authorization_policies"]) {
        p[key] = val.clone();
    }
}

/// Sets a Group.Unified value, adding the setting where the tenant has none.
fn set_group_unified(v: &mut Value, name: &str, val: &str) {
    let settings = &mut v["directory_settings"];
    if !settings.is_array() {
        *settings = json!([settings.clone()]);
    }
    let list = settings.as_array_mut().unwrap();
    let at = match list
        .iter()
        .position(|s| s["DisplayName"] == "Group.Unified")
    {
        Some(at) => at,
        None => {
            list.push(json!({"DisplayName": "Group.Unified", "Id": "x", "TemplateId": "62375ab9-6b52-47ed-826b-58e47e0e304b", "Values": []}));
            list.len() - 1
        }
    };
    let values = list[at]["Values"].as_array_mut().unwrap();
    values.retain(|x| x["Name"] != name);
    values.push(json!({"Name": name, "Value": val}));
}

fn set_spo(v: &mut Value, key: &str, val: Value) {
    for t in objects(&mut v["SPO_tenant"]) {
        t[key] = val.clone();
    }
}

type Mutation = (&'static str, fn(&mut Value), &'static str, Verdict);

const MUTATIONS: &[Mutation] = &[
    (
        "Teams guest access off",
        |v| set_client(v, "AllowGuestUser", json!(false)),
        "teams-guest-switch",
        Blocks,
    ),
    (
        "Teams guest access off, as a string",
        |v| set_client(v, "AllowGuestUser", json!("False")),
        "teams-guest-switch",
        Blocks,
    ),
    (
        "nobody may invite",
        |v| set_authz(v, "AllowInvitesFrom", json!("none")),
        "entra-who-may-invite",
        Blocks,
    ),
    (
        "members may invite",
        |v| {
            set_authz(
                v,
                "AllowInvitesFrom",
                json!("adminsGuestInvitersAndAllMemberUsers"),
            )
        },
        "entra-who-may-invite",
        Fine,
    ),
    (
        "members may not read other users",
        |v| {
            for p in objects(&mut v["authorization_policies"]) {
                p["DefaultUserRolePermissions"]["AllowedToReadOtherUsers"] = json!(false);
            }
        },
        "entra-read-other-users",
        Blocks,
    ),
    (
        "an undocumented guest access level",
        |v| {
            set_authz(
                v,
                "GuestUserRoleId",
                json!("11111111-2222-3333-4444-555555555555"),
            )
        },
        "entra-guest-access-level",
        MayBlock,
    ),
    (
        "Group.Unified: no guests in groups",
        |v| set_group_unified(v, "AllowGuestsToAccessGroups", "False"),
        "m365-groups-guests",
        Blocks,
    ),
    (
        "Group.Unified: owners may not add guests",
        |v| set_group_unified(v, "AllowToAddGuests", "false"),
        "m365-groups-guests",
        Blocks,
    ),
    (
        "SharePoint sharing off (0)",
        |v| set_spo(v, "SharingCapability", json!(0)),
        "sharepoint-sharing",
        Blocks,
    ),
    (
        "SharePoint: existing guests only (3)",
        |v| {
            set_spo(v, "SharingCapability", json!(3));
            set_spo(v, "SharingDomainRestrictionMode", json!(0));
        },
        "sharepoint-sharing",
        Fine,
    ),
    (
        "SharePoint: anyone (2)",
        |v| {
            set_spo(v, "SharingCapability", json!(2));
            set_spo(v, "SharingDomainRestrictionMode", json!(0));
        },
        "sharepoint-sharing",
        Fine,
    ),
    (
        "SharePoint: by name",
        |v| {
            set_spo(v, "SharingCapability", json!("ExternalUserSharingOnly"));
            set_spo(v, "SharingDomainRestrictionMode", json!("None"));
        },
        "sharepoint-sharing",
        Fine,
    ),
    (
        "SharePoint: an allow list of domains",
        |v| {
            set_spo(v, "SharingCapability", json!(2));
            set_spo(v, "SharingDomainRestrictionMode", json!(1));
        },
        "sharepoint-sharing",
        MayBlock,
    ),
];

#[test]
fn one_setting_changed_in_each_version_names_the_right_layer() {
    let order: Vec<&str> = audit::layers::checking_order()
        .iter()
        .map(|l| l.id())
        .collect();
    let mut failures = Vec::new();
    for v in VERSIONS {
        let base = load(v.file);
        let judged = judge(&base);
        for (what, change, layer, want) in MUTATIONS {
            let mut changed = base.clone();
            // In ScubaResults the export is under `Raw`.
            match changed.get_mut("Raw") {
                Some(raw) => change(raw),
                None => change(&mut changed),
            }
            let a = judge(&changed);
            let got = a.verdict(layer).unwrap();
            if got.verdict != *want {
                failures.push(format!(
                    "{} {what}: {layer} is {:?}, want {want:?} ({})",
                    v.version,
                    got.verdict,
                    got.why.text(Lang::En)
                ));
            }
            // Every other layer keeps its verdict; the first blocker follows.
            let mut blockers = Vec::new();
            for l in &judged.layers {
                let expect = if l.layer == *layer { *want } else { l.verdict };
                if l.layer != *layer && a.verdict(l.layer).unwrap().verdict != expect {
                    failures.push(format!("{} {what}: {} moved", v.version, l.layer));
                }
                if expect == Blocks {
                    blockers.push(l.layer);
                }
            }
            let first = order.iter().find(|id| blockers.contains(id)).copied();
            if a.first_blocker().map(|l| l.layer) != first {
                failures.push(format!(
                    "{} {what}: first blocker {:?}, want {first:?}",
                    v.version,
                    a.first_blocker().map(|l| l.layer)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_command_scubagear_could_not_run_is_named_whatever_the_version_calls_it() {
    // 1.8.0 reads SharePoint through REST; what failed is `Get-SPOTenantRest`.
    let mut v = load("ProviderSettingsExport.json");
    v["SPO_tenant"] = json!([]);
    v["SharePoint_unsuccessful_commands"] = json!(["Get-SPOTenantRest"]);
    let spo = judge(&v);
    let spo = spo.verdict("sharepoint-sharing").unwrap();
    assert_eq!(spo.verdict, NotRead);
    assert!(
        spo.why.text(Lang::En).contains("Get-SPOTenantRest"),
        "{}",
        spo.why.text(Lang::En)
    );
    // Before 1.0 the Graph commands had no `Beta` in their names.
    let mut v = load("ProviderSettingsExport-0.2.0.json");
    v["authorization_policies"] = json!([]);
    v["aad_unsuccessful_commands"] = json!(["Get-MgPolicyAuthorizationPolicy"]);
    let a = judge(&v);
    for layer in [
        "entra-who-may-invite",
        "entra-guest-access-level",
        "entra-read-other-users",
    ] {
        let l = a.verdict(layer).unwrap();
        assert_eq!(l.verdict, NotRead);
        assert!(
            l.why
                .text(Lang::En)
                .contains("Get-MgPolicyAuthorizationPolicy"),
            "{layer}: {}",
            l.why.text(Lang::En)
        );
    }
    // 1.0.0 recorded the organisation command under SharePoint, not Entra ID.
    let mut v = load("ProviderSettingsExport-1.0.0.json");
    v["tenant_details"] = json!([]);
    v["SharePoint_unsuccessful_commands"] = json!(["Get-MgBetaOrganization"]);
    let l = judge(&v);
    let l = l.verdict("hybrid-sync").unwrap();
    assert_eq!(l.verdict, NotRead);
    assert!(l.why.text(Lang::En).contains("Get-MgBetaOrganization"));
}

#[test]
fn the_email_one_time_passcode_is_read_from_every_layout() {
    // 1.3 to 1.5: under AdditionalProperties, camelCase.
    let mut v = load("ProviderSettingsExport-1.2.0.json");
    v["authentication_method"] = json!([{"authentication_method_feature_settings": [
        {"Id": "Email", "State": "enabled", "AdditionalProperties": {"allowExternalIdToUseEmailOtp": "disabled"}}
    ]}]);
    assert_eq!(
        judge(&v)
            .verdict("email-one-time-passcode")
            .unwrap()
            .verdict,
        MayBlock
    );
    // 1.2: the policy with its AuthenticationMethodConfigurations.
    v["authentication_method"] = json!([{"AuthenticationMethodConfigurations": [
        {"Id": "Fido2", "State": "enabled"},
        {"Id": "Email", "State": "enabled", "AllowExternalIdToUseEmailOtp": "enabled"}
    ]}]);
    assert_eq!(
        judge(&v)
            .verdict("email-one-time-passcode")
            .unwrap()
            .verdict,
        Fine
    );
}
