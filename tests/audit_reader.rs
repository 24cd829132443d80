//! Reading audit results back: every fixture in tests/fixtures/audit (made from all-ok.json by
//! changing one thing, see make_fixtures.py) gives the expected verdicts and names the expected
//! first blocker; CISA ScubaGear's published sample export is read too; bad files get a clear
//! message and exit 2 from the CLI; and damaged or arbitrary JSON never panics (property tests).

use proptest::prelude::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use teamsfix::common::i18n::Lang;
use teamsfix::guide::audit::{self, Audit, Format, Verdict, layers};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/audit")
        .join(name)
}

fn open(name: &str) -> Audit {
    audit::open(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

use Verdict::{Blocks, MayBlock, NotRead};

/// A fixture, the layer named first, and every layer that is not OK with its verdict.
type Expectation = (
    &'static str,
    Option<&'static str>,
    &'static [(&'static str, Verdict)],
);

const EXPECTED: &[Expectation] = &[
    ("all-ok.json", None, &[]),
    (
        "blocks-teams-guest-switch.json",
        Some("teams-guest-switch"),
        &[("teams-guest-switch", Blocks)],
    ),
    (
        "blocks-entra-who-may-invite.json",
        Some("entra-who-may-invite"),
        &[
            ("entra-who-may-invite", Blocks),
            ("guest-redemption", NotRead),
            ("guest-account-enabled", NotRead),
            ("team-membership", NotRead),
            ("invitation-conflicts", NotRead),
        ],
    ),
    (
        "guest-domain-on-deny-list.json",
        Some("entra-domain-lists"),
        &[
            ("entra-domain-lists", Blocks),
            ("guest-redemption", Blocks),
            ("guest-account-enabled", NotRead),
            ("team-membership", NotRead),
        ],
    ),
    (
        "blocks-entra-cross-tenant.json",
        Some("entra-cross-tenant"),
        &[("entra-cross-tenant", Blocks)],
    ),
    (
        "redemption-pending.json",
        Some("guest-redemption"),
        &[("guest-redemption", Blocks)],
    ),
    (
        "guest-disabled.json",
        Some("guest-account-enabled"),
        &[("guest-account-enabled", Blocks)],
    ),
    (
        "address-used-by-a-contact.json",
        Some("guest-redemption"),
        &[
            ("guest-redemption", Blocks),
            ("invitation-conflicts", Blocks),
        ],
    ),
    (
        "blocks-entra-read-other-users.json",
        Some("entra-read-other-users"),
        &[("entra-read-other-users", Blocks)],
    ),
    (
        "blocks-m365-groups-guests.json",
        Some("m365-groups-guests"),
        &[("m365-groups-guests", Blocks)],
    ),
    (
        "blocks-m365-groups-access.json",
        Some("m365-groups-guests"),
        &[("m365-groups-guests", Blocks)],
    ),
    (
        "blocks-team-blocked-for-guests.json",
        Some("team-blocked-for-guests"),
        &[("team-blocked-for-guests", Blocks)],
    ),
    (
        "blocks-team-membership.json",
        Some("team-membership"),
        &[("team-membership", Blocks)],
    ),
    (
        "blocks-sharepoint-sharing.json",
        Some("sharepoint-sharing"),
        &[("sharepoint-sharing", Blocks)],
    ),
    (
        "site-sharing-below-tenant.json",
        Some("sharepoint-sharing"),
        &[("sharepoint-sharing", Blocks)],
    ),
    ("site-sharing-lower-but-guests-allowed.json", None, &[]),
    (
        "label-blocks-guests.json",
        Some("sensitivity-label"),
        &[("sensitivity-label", Blocks)],
    ),
    (
        "may-block-teams-guest-calling.json",
        None,
        &[("teams-guest-calling", MayBlock)],
    ),
    (
        "may-block-teams-guest-meetings.json",
        None,
        &[("teams-guest-meetings", MayBlock)],
    ),
    (
        "may-block-teams-guest-messaging.json",
        None,
        &[("teams-guest-messaging", MayBlock)],
    ),
    (
        "may-block-entra-guest-access-level.json",
        None,
        &[("entra-guest-access-level", MayBlock)],
    ),
    (
        "may-block-email-one-time-passcode.json",
        None,
        &[("email-one-time-passcode", MayBlock)],
    ),
    (
        "may-block-conditional-access.json",
        None,
        &[("conditional-access", MayBlock)],
    ),
    (
        "may-block-teams-app-assignment.json",
        None,
        &[("teams-app-assignment", MayBlock)],
    ),
    (
        "may-block-hybrid-sync.json",
        None,
        &[("hybrid-sync", MayBlock)],
    ),
    (
        "two-blockers.json",
        Some("m365-groups-guests"),
        &[
            ("m365-groups-guests", Blocks),
            ("sensitivity-label", Blocks),
        ],
    ),
    (
        "modules-missing.json",
        None,
        &[
            ("teams-guest-switch", NotRead),
            ("teams-guest-calling", NotRead),
            ("teams-guest-meetings", NotRead),
            ("teams-guest-messaging", NotRead),
            ("m365-groups-guests", NotRead),
            ("team-blocked-for-guests", NotRead),
            ("team-membership", NotRead),
            ("sharepoint-sharing", NotRead),
            ("sensitivity-label", NotRead),
        ],
    ),
    (
        "stopped-halfway.json",
        None,
        &[
            ("teams-guest-switch", NotRead),
            ("teams-guest-calling", NotRead),
            ("teams-guest-meetings", NotRead),
            ("teams-guest-messaging", NotRead),
            ("email-one-time-passcode", NotRead),
            ("conditional-access", NotRead),
            ("m365-groups-guests", NotRead),
            ("team-blocked-for-guests", NotRead),
            ("team-membership", NotRead),
            ("teams-app-assignment", NotRead),
            ("invitation-conflicts", NotRead),
            ("sharepoint-sharing", NotRead),
            ("sensitivity-label", NotRead),
            ("hybrid-sync", NotRead),
        ],
    ),
    (
        "sign-in-declined.json",
        None,
        &[
            ("entra-who-may-invite", NotRead),
            ("entra-guest-access-level", NotRead),
            ("entra-domain-lists", NotRead),
            ("entra-cross-tenant", NotRead),
            ("entra-read-other-users", NotRead),
            ("m365-groups-guests", NotRead),
            ("team-blocked-for-guests", NotRead),
            ("team-membership", NotRead),
            ("sensitivity-label", NotRead),
            ("email-one-time-passcode", NotRead),
            ("conditional-access", NotRead),
            ("teams-app-assignment", NotRead),
            ("hybrid-sync", NotRead),
            ("guest-redemption", NotRead),
            ("guest-account-enabled", NotRead),
            ("invitation-conflicts", NotRead),
        ],
    ),
];

fn check(name: &str, a: &Audit, first: Option<&str>, not_ok: &[(&str, Verdict)]) {
    assert_eq!(a.layers.len(), layers::checking_order().len(), "{name}");
    assert_eq!(
        a.first_blocker().map(|b| b.layer),
        first,
        "{name}: first blocker"
    );
    for l in &a.layers {
        let want = not_ok
            .iter()
            .find(|(id, _)| *id == l.layer)
            .map_or(Verdict::Ok, |(_, v)| *v);
        assert_eq!(
            l.verdict,
            want,
            "{name}: {} is {:?} ({})",
            l.layer,
            l.verdict,
            l.why.text(Lang::En)
        );
        if l.verdict != Verdict::NotRead {
            assert!(
                !l.decided_by.is_empty(),
                "{name}: {} shows no deciding value",
                l.layer
            );
        }
    }
}

#[test]
fn every_fixture_gives_the_expected_verdicts_and_first_blocker() {
    let listed: Vec<&str> = EXPECTED.iter().map(|(n, ..)| *n).collect();
    for entry in std::fs::read_dir(fixture("")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") {
            assert!(listed.contains(&name.as_str()), "{name} has no expectation");
        }
    }
    for (name, first, not_ok) in EXPECTED {
        let a = open(name);
        assert_eq!(a.format, Format::Teamsfix);
        check(name, &a, *first, not_ok);
        // The headline names the first blocker with its deciding value.
        if let Some(b) = a.first_blocker() {
            for lang in Lang::ALL {
                let h = a.headline(lang);
                assert!(h.contains(&b.title(lang)), "{name}: {h}");
                assert!(h.contains(&b.decided_text()), "{name}: {h}");
            }
        }
    }
}

#[test]
fn the_headline_is_one_sentence_naming_setting_and_value() {
    let a = open("blocks-m365-groups-guests.json");
    assert_eq!(
        a.headline(Lang::En),
        "Guests cannot be added to the team: Microsoft 365 Groups: guests in groups, AllowToAddGuests = False."
    );
    let pending = open("redemption-pending.json");
    let g = pending.verdict("guest-redemption").unwrap();
    assert!(
        g.why.text(Lang::En).contains("2026-04-20"),
        "{}",
        g.why.text(Lang::En)
    );
    assert!(
        g.why.text(Lang::En).contains("13 days"),
        "{}",
        g.why.text(Lang::En)
    );
    // The fix is filled in with what the audit knows.
    assert!(
        g.fix.contains("mail eq 'jan.devries@fabrikam.com'") && !g.fix.contains("<guest e-mail>"),
        "{}",
        g.fix
    );
    assert!(g.checklist.contains(&"accept-invitation"));
    let site = open("site-sharing-below-tenant.json");
    let s = site.verdict("sharepoint-sharing").unwrap();
    assert!(
        s.fix
            .contains("'https://contoso.sharepoint.com/sites/ProjectZeewind'")
            && s.fix.contains("https://contoso-admin.sharepoint.com"),
        "{}",
        s.fix
    );
    assert!(
        s.decided_text()
            .contains("SiteSharingCapability = Disabled")
    );
}

#[test]
fn blocking_layers_mark_their_checklist_steps() {
    let a = open("two-blockers.json");
    let marks: Vec<&str> = a.checklist_marks().into_iter().map(|(s, _)| s).collect();
    assert!(marks.contains(&"admin-m365-groups-guests"), "{marks:?}");
    assert!(marks.contains(&"admin-sensitivity-label"), "{marks:?}");
    assert!(open("all-ok.json").checklist_marks().is_empty());
}

#[test]
fn not_read_says_why() {
    let a = open("modules-missing.json");
    let t = a.verdict("teams-guest-switch").unwrap().why.text(Lang::En);
    assert!(t.contains("MicrosoftTeams is not installed"), "{t}");
    let s = open("stopped-halfway.json");
    assert!(!s.finished);
    assert!(s.coverage_note(Lang::Nl).unwrap().contains("gestopt"));
    let t = s.verdict("teams-guest-switch").unwrap().why.text(Lang::En);
    assert!(t.contains("stopped before this part"), "{t}");
}

fn scubagear() -> Value {
    let bytes = std::fs::read(fixture("scubagear/ProviderSettingsExport.json")).unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

fn judge(v: &Value) -> Audit {
    audit::parse(v.to_string().as_bytes()).unwrap()
}

#[test]
fn scubagear_sample_export_is_read() {
    let a = audit::open(&fixture("scubagear/ProviderSettingsExport.json")).unwrap();
    assert_eq!(a.format, Format::ScubaGear);
    assert_eq!(
        a.tenant_id.as_deref(),
        Some("3c19c757-3b55-411f-b03f-2bcc514a598d")
    );
    // The sample tenant allows no SharePoint sharing outside the organisation.
    check(
        "ScubaGear sample",
        &a,
        Some("sharepoint-sharing"),
        &[
            ("teams-guest-calling", NotRead),
            ("teams-guest-meetings", NotRead),
            ("teams-guest-messaging", NotRead),
            ("entra-who-may-invite", MayBlock),
            ("entra-domain-lists", NotRead),
            ("entra-cross-tenant", NotRead),
            ("guest-redemption", NotRead),
            ("guest-account-enabled", NotRead),
            ("invitation-conflicts", NotRead),
            ("teams-app-assignment", NotRead),
            ("email-one-time-passcode", MayBlock),
            ("conditional-access", MayBlock),
            ("team-blocked-for-guests", NotRead),
            ("team-membership", NotRead),
            ("sharepoint-sharing", Blocks),
            ("sensitivity-label", NotRead),
            ("hybrid-sync", MayBlock),
        ],
    );
    let not_in = a.verdict("entra-cross-tenant").unwrap().why.text(Lang::En);
    assert_eq!(not_in, "Not read (not in a ScubaGear export).");
}

#[test]
fn scubagear_exports_of_other_tenants() {
    // Guest access off in Teams: the first blocker moves up.
    let mut v = scubagear();
    v["client_configuration"][0]["AllowGuestUser"] = json!(false);
    assert_eq!(
        judge(&v).first_blocker().unwrap().layer,
        "teams-guest-switch"
    );
    // SharePoint open, Group.Unified forbids guests (the way Graph writes the value).
    let mut v = scubagear();
    v["SPO_tenant"][0]["SharingCapability"] = json!(2);
    for s in v["directory_settings"][0]["Values"].as_array_mut().unwrap() {
        if s["Name"] == "AllowToAddGuests" {
            s["Value"] = json!("false");
        }
    }
    let a = judge(&v);
    assert_eq!(a.first_blocker().unwrap().layer, "m365-groups-guests");
    // The sample limits sharing to an allow list of domains (SharingDomainRestrictionMode 1).
    assert_eq!(
        a.verdict("sharepoint-sharing").unwrap().verdict,
        Verdict::MayBlock
    );
    // No Group.Unified object at all: the defaults (True) apply.
    let mut v = scubagear();
    v["SPO_tenant"][0]["SharingCapability"] = json!("ExternalUserAndGuestSharing");
    v["directory_settings"] = json!([]);
    let a = judge(&v);
    assert_eq!(
        a.verdict("m365-groups-guests").unwrap().verdict,
        Verdict::Ok
    );
    assert!(a.first_blocker().is_none());
    // A product that was not run, and a command that failed.
    let mut v = scubagear();
    v.as_object_mut().unwrap().remove("SPO_tenant");
    v["aad_unsuccessful_commands"] = json!(["Get-MgBetaPolicyAuthorizationPolicy"]);
    let a = judge(&v);
    let spo = a.verdict("sharepoint-sharing").unwrap();
    assert_eq!(spo.verdict, Verdict::NotRead);
    assert!(spo.why.text(Lang::En).contains("ScubaGear"));
    let inv = a.verdict("entra-who-may-invite").unwrap();
    assert_eq!(inv.verdict, Verdict::NotRead);
    assert!(
        inv.why
            .text(Lang::En)
            .contains("Get-MgBetaPolicyAuthorizationPolicy")
    );
    // Older exports: one object instead of an array, AdditionalProperties.
    let mut v = scubagear();
    let policy = v["authorization_policies"][0].clone();
    v["authorization_policies"] = policy;
    v["authorization_policies"]["AllowInvitesFrom"] = json!("none");
    let a = judge(&v);
    assert_eq!(
        a.verdict("entra-who-may-invite").unwrap().verdict,
        Verdict::Blocks
    );
}

#[test]
fn the_json_output_carries_every_layer() {
    let a = open("two-blockers.json");
    let j = a.to_json(Lang::En);
    assert_eq!(j["first_blocker"], "m365-groups-guests");
    assert_eq!(j["counts"]["blocks"], 2);
    let layers = j["layers"].as_array().unwrap();
    assert_eq!(layers.len(), layers::checking_order().len());
    let m365 = layers
        .iter()
        .find(|l| l["id"] == "m365-groups-guests")
        .unwrap();
    assert_eq!(m365["verdict"], "blocks");
    assert!(
        m365["fix"]
            .as_str()
            .unwrap()
            .contains("Update-MgBetaDirectorySetting")
    );
    assert!(m365["role"].as_str().is_some() && m365["delay"].as_str().is_some());
}

/// The README's example table is what `audit read` says of its fixture: verdict and deciding
/// value of every layer, and the headline above it.
#[test]
fn the_readme_example_matches_the_reader() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let example = readme
        .split("**Example** (`tests/fixtures/audit/two-blockers.json`)")
        .nth(1)
        .expect("the README has the audit example");
    let j = open("two-blockers.json").to_json(Lang::En);
    let headline = j["headline"].as_str().unwrap();
    assert!(
        example.contains(&format!("> **{headline}**")),
        "README headline differs from: {headline}"
    );
    let rows: Vec<&str> = example
        .lines()
        .skip_while(|l| !l.starts_with("| 1 |"))
        .take_while(|l| l.starts_with('|'))
        .collect();
    let layers = j["layers"].as_array().unwrap();
    assert_eq!(rows.len(), layers.len(), "one README row per layer");
    for (row, layer) in rows.iter().zip(layers) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let decided = layer["decided_by"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                format!(
                    "{} = {}",
                    d["name"].as_str().unwrap(),
                    d["value"].as_str().unwrap()
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        assert_eq!(cells[2], layer["title"].as_str().unwrap(), "{row}");
        assert_eq!(cells[4], format!("`{decided}`"), "{row}");
        let verdict = cells[3].trim_matches('*').to_lowercase().replace(' ', "_");
        assert_eq!(verdict, layer["verdict"].as_str().unwrap(), "{row}");
    }
}

fn cli(args: &[&str], file: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_teamsfix-cli"))
        .args(["--lang", "en", "audit", "read"])
        .arg(file)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn cli_reads_results_and_refuses_files_it_cannot_use() {
    let out = cli(&[], &fixture("label-blocks-guests.json"));
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines()
            .nth(2)
            .unwrap()
            .starts_with("Guests cannot be added to this team: Sensitivity label on the team"),
        "{text}"
    );
    let out = cli(
        &["--json"],
        &fixture("scubagear/ProviderSettingsExport.json"),
    );
    assert_eq!(out.status.code(), Some(0));
    let j: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["format"], "scuba_gear");

    let t = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = t.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let mut newer: Value =
        serde_json::from_slice(&std::fs::read(fixture("all-ok.json")).unwrap()).unwrap();
    newer["schema_version"] = json!(2);
    let big = t.path().join("big.json");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(audit::MAX_FILE_BYTES + 1)
        .unwrap();
    let cases: Vec<(PathBuf, &str)> = vec![
        (write("text.json", b"Hello, this is not JSON"), "not JSON"),
        (write("empty.json", b""), "not JSON"),
        (
            write("newer.json", newer.to_string().as_bytes()),
            "schema_version 2",
        ),
        (
            write("other.json", br#"{"name": "something else"}"#),
            "neither",
        ),
        (write("binary.json", &[0xff, 0x00, 0xfe, 0x13]), "not text"),
        (big, "larger than 10.0 MB"),
        (t.path().to_path_buf(), "not a regular file"),
        (t.path().join("missing.json"), "cannot be read"),
    ];
    for (path, says) in cases {
        let out = cli(&[], &path);
        assert_eq!(out.status.code(), Some(2), "{}", path.display());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{}: {err}", path.display());
        assert!(out.stdout.is_empty());
    }
}

#[cfg(unix)]
#[test]
fn cli_does_not_hang_on_a_fifo() {
    let t = tempfile::tempdir().unwrap();
    let fifo = t.path().join("result.json");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let mut child = Command::new(env!("CARGO_BIN_EXE_teamsfix-cli"))
        .args(["audit", "read"])
        .arg(&fifo)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert_eq!(status.code(), Some(2));
            break;
        }
        if start.elapsed() > std::time::Duration::from_secs(20) {
            let _ = child.kill();
            panic!("audit read hangs on a FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

// ---- Property tests: damaged results never panic, and keep their shape -----------------------

fn all_ok() -> Value {
    serde_json::from_slice(&std::fs::read(fixture("all-ok.json")).unwrap()).unwrap()
}

/// Any JSON value, a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "True",
            "false",
            "Disabled",
            "none",
            "PendingAcceptance",
            "/Date(1661362185000)/",
            "2026-13-45T99:00:00Z",
            "AllUsers"
        ])
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(".{0,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every path to a leaf or container in `v`.
fn paths(v: &Value, at: Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(at.clone());
    match v {
        Value::Object(o) => {
            for (k, c) in o {
                let mut p = at.clone();
                p.push(k.clone());
                paths(c, p, out);
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                let mut p = at.clone();
                p.push(i.to_string());
                paths(c, p, out);
            }
        }
        _ => {}
    }
}

fn at_mut<'a>(v: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |v, k| match v {
        Value::Object(o) => o.get_mut(k),
        Value::Array(a) => k.parse::<usize>().ok().and_then(|i| a.get_mut(i)),
        _ => None,
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    /// Replace or remove any part of a real result with anything: the reader still judges
    /// every layer (or names the file as unusable), and never panics.
    #[test]
    fn damaged_results_are_judged_or_refused(choice in any::<prop::sample::Index>(), replacement in any_json(), remove in any::<bool>()) {
        let mut v = all_ok();
        let mut all = Vec::new();
        paths(&v, Vec::new(), &mut all);
        let path = choice.get(&all).clone();
        if path.is_empty() {
            v = replacement;
        } else if remove {
            let (last, parent) = path.split_last().unwrap();
            match at_mut(&mut v, parent) {
                Some(Value::Object(o)) => { o.remove(last); }
                Some(Value::Array(a)) => { if let Ok(i) = last.parse::<usize>() && i < a.len() { a.remove(i); } }
                _ => {}
            }
        } else if let Some(slot) = at_mut(&mut v, &path) {
            *slot = replacement;
        }
        match audit::parse(v.to_string().as_bytes()) {
            Ok(a) => {
                prop_assert_eq!(a.layers.len(), layers::checking_order().len());
                for lang in Lang::ALL {
                    let _ = a.headline(lang);
                    let _ = audit::render::to_text(&a, lang, 1);
                    let _ = a.to_json(lang);
                }
            }
            Err(e) => { let _ = e.msg().text(Lang::En); }
        }
    }

    /// Arbitrary bytes: an error or a judgement, never a panic.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = audit::parse(&bytes);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// The same for the ScubaGear sample.
    #[test]
    fn damaged_scubagear_exports_are_judged(key in prop::sample::select(vec!["client_configuration", "authorization_policies", "directory_settings", "SPO_tenant", "conditional_access_policies", "authentication_method", "tenant_details", "aad_unsuccessful_commands"]), replacement in any_json()) {
        let mut v = scubagear();
        v[key] = replacement;
        let a = audit::parse(v.to_string().as_bytes());
        prop_assert!(a.is_ok());
        let a = a.unwrap();
        prop_assert_eq!(a.layers.len(), layers::checking_order().len());
        let _ = audit::render::to_markdown(&a, Lang::Nl, 2);
    }
}

#[test]
fn the_report_includes_the_verdicts_and_hides_personal_details() {
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let report = |extra: &[&str], audit_file: &Path| {
        Command::new(env!("CARGO_BIN_EXE_teamsfix-cli"))
            .args(["--lang", "en", "report", "--format", "markdown", "--audit"])
            .arg(audit_file)
            .args(extra)
            .env("HOME", &home)
            .env("TEAMSFIX_DATA_DIR", t.path().join("data"))
            .output()
            .unwrap()
    };
    let file = fixture("redemption-pending.json");
    let open = report(&[], &file);
    assert_eq!(
        open.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&open.stderr)
    );
    let text = String::from_utf8_lossy(&open.stdout);
    assert!(text.contains("## Tenant audit"), "{text}");
    assert!(
        text.contains("The guest has not accepted the invitation"),
        "{text}"
    );
    assert!(
        text.contains("6f1c2b7a-3d4e-4f50-9a8b-1c2d3e4f5a6b"),
        "{text}"
    );
    assert!(text.contains("jan.devries@fabrikam.com"), "{text}");
    let hidden = report(&["--redact"], &file);
    let text = String::from_utf8_lossy(&hidden.stdout);
    assert!(text.contains("## Tenant audit"), "{text}");
    for personal in [
        "6f1c2b7a-3d4e-4f50-9a8b-1c2d3e4f5a6b",
        "2a9e4c6b-1d3f-4b5a-8e7c-9f0a1b2c3d4e",
        "jan.devries",
        "admin@contoso",
        "Jan de Vries",
        "4c2e8a1f-7b3d-4e9a-8f6c-5d4e3c2b1a0f",
    ] {
        assert!(!text.contains(personal), "{personal} in {text}");
    }
    let json = Command::new(env!("CARGO_BIN_EXE_teamsfix-cli"))
        .args(["report", "--format", "json", "--audit"])
        .arg(&file)
        .env("HOME", &home)
        .env("TEAMSFIX_DATA_DIR", t.path().join("data"))
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["audit"]["first_blocker"], "guest-redemption");
    let bad = report(&[], &t.path().join("missing.json"));
    assert_eq!(bad.status.code(), Some(2));
}

/// The pending guest's date as Windows PowerShell 5.1 writes one that carries a DisplayHint,
/// as a `[string]` cast writes it, or not at all: still blocks, and the reason never shows
/// an empty date ("pending since ,  days").
#[test]
fn a_pending_guest_with_the_date_in_other_forms_or_none() {
    let base: Value =
        serde_json::from_slice(&std::fs::read(fixture("redemption-pending.json")).unwrap())
            .unwrap();
    for (date, shows) in [
        (
            json!({"value": "/Date(1776690311000)/", "DisplayHint": 2, "DateTime": "Monday, April 20, 2026 1:05:11 PM"}),
            Some("2026-04-20"),
        ),
        (json!("04/20/2026 13:05:11"), Some("2026-04-20")),
        (Value::Null, None),
        (json!(""), None),
    ] {
        let mut v = base.clone();
        v["lookups"]["guest"]["values"]["ExternalUserStateChangeDateTime"] = date.clone();
        let a = judge(&v);
        let l = a.verdict("guest-redemption").unwrap();
        assert_eq!(l.verdict, Blocks, "{date}");
        assert_eq!(a.first_blocker().map(|l| l.layer), Some("guest-redemption"));
        for lang in Lang::ALL {
            let why = l.why.text(lang);
            assert!(
                !why.contains(", ,") && !why.contains("(,") && !why.contains("  "),
                "{date}: {why}"
            );
            match shows {
                Some(day) => assert!(why.contains(day), "{date}: {why}"),
                None => assert!(!why.contains("2026"), "{date}: {why}"),
            }
        }
    }
}
