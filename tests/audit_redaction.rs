//! With personal details hidden, nothing that names the tenant, a person or the guest's
//! organisation leaves in a report: not the tenant ids, user names, guest address, the guest's
//! domain, the organisation's domains and SharePoint host names, the team's id, nor the names of
//! other objects that carry the guest's address. Checked for every fixture (teamsfix results and
//! ScubaGear exports) in the report's text, Markdown and JSON, and in the support bundle.

use serde_json::{Value, json};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use teamsfix::common::i18n::Lang;
use teamsfix::common::progress::CancelToken;
use teamsfix::guide::audit;
use teamsfix::platform::user_folders::UserFolders;
use teamsfix::report::bundle::{self, BundleRequest, Destination};
use teamsfix::report::helpdesk::{AuditSection, Report};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .chain(std::fs::read_dir(dir.join("scubagear")).unwrap())
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// What must not be seen, in any case. The fixtures' tenant is Contoso, the guest
/// jan.devries@fabrikam.com; the ScubaGear samples are CISA's tenants.
const PERSONAL: &[&str] = &[
    "6f1c2b7a-3d4e-4f50-9a8b-1c2d3e4f5a6b",
    "2a9e4c6b-1d3f-4b5a-8e7c-9f0a1b2c3d4e",
    "4c2e8a1f-7b3d-4e9a-8f6c-5d4e3c2b1a0f",
    "0b7d3c1e-5a2f-4e8d-9c6b-2f1a3e4d5c6b",
    "ca08493a-c9c8-4db0-a9e8-d3b4bafac269",
    "3c19c757-3b55-411f-b03f-2bcc514a598d",
    "jan.devries",
    "jan de vries",
    "fabrikam",
    "admin@contoso",
    "contoso.onmicrosoft.com",
    "contoso.sharepoint.com",
    "contoso-admin.sharepoint.com",
];

fn leaks(text: &str) -> Vec<&'static str> {
    let lower = text.to_lowercase();
    PERSONAL
        .iter()
        .filter(|p| lower.contains(*p))
        .copied()
        .collect()
}

/// A result whose guest was typed in other letters than the tenant writes them, and whose
/// address is also used by a contact: every personal value shows up somewhere.
fn everything_shown() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit/all-ok.json");
    let mut v: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    v["inputs"]["guest"] = json!("Jan.DeVries@Fabrikam.com");
    v["layers"]["invitation-conflicts"]["values"]["Contacts"] = json!(["Jan (Fabrikam sales)"]);
    v["layers"]["entra-domain-lists"]["values"]["Policies"] = json!([{"definition": [
        "{\"B2BManagementPolicy\":{\"InvitationsAllowedAndBlockedDomainsPolicy\":{\"BlockedDomains\":[\"fabrikam.com\"]}}}"
    ]}]);
    v["layers"]["sharepoint-sharing"]["values"]["SiteSharingCapability"] = json!("Disabled");
    v["layers"]["team-membership"]["values"]["IsMember"] = json!(false);
    v["layers"]["entra-cross-tenant"]["values"]["DefaultB2BCollaborationInbound"]["UsersAndGroups"]
        ["AccessType"] = json!("blocked");
    v
}

#[test]
fn redacted_reports_name_no_one_in_any_format() {
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let mut files = fixtures();
    let extra = t.path().join("everything-shown.json");
    std::fs::write(&extra, everything_shown().to_string()).unwrap();
    files.push(extra.clone());
    let mut found = Vec::new();
    for file in &files {
        for format in ["text", "markdown", "json"] {
            let run = |redact: bool| {
                let mut cmd = Command::new(env!("CARGO_BIN_EXE_teamsfix-cli"));
                cmd.args(["--lang", "en", "report", "--format", format, "--audit"])
                    .arg(file)
                    .env("HOME", &home)
                    .env("TEAMSFIX_DATA_DIR", t.path().join("data"));
                if redact {
                    cmd.arg("--redact");
                }
                let out = cmd.output().unwrap();
                assert_eq!(out.status.code(), Some(0), "{}", file.display());
                String::from_utf8(out.stdout).unwrap()
            };
            let hidden = run(true);
            for leak in leaks(&hidden) {
                found.push(format!("{} ({format}): {leak}", file.display()));
            }
            // The open report shows them: the check above looks for the right things.
            if file == &extra {
                let open = run(false);
                assert!(leaks(&open).len() >= 8, "{format}: {:?}", leaks(&open));
                assert!(hidden.contains("<hidden>"), "{format}");
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_redacted_support_bundle_names_no_one_from_the_audit() {
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("home");
    let data = t.path().join("data");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(&data).unwrap();
    let folders = UserFolders::from_parts(
        home.clone(),
        home.join(".config"),
        home.join(".local/share"),
    )
    .unwrap();
    let audit = audit::parse(everything_shown().to_string().as_bytes()).unwrap();
    let mut report = Report::new(&[], &data, false, Lang::En);
    report.audit = Some(AuditSection::new(&audit, Lang::En));
    for redact in [false, true] {
        let zip_path = t.path().join(format!("bundle-{redact}.zip"));
        let cancel = CancelToken::new();
        let req = BundleRequest {
            report: &report,
            lang: Lang::En,
            redact,
            app_data: &data,
            folders: &folders,
            installs: &[],
            max_bytes: bundle::DEFAULT_MAX_BYTES,
            cancel: &cancel,
        };
        bundle::write(&req, &Destination::File(zip_path.clone())).unwrap();
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
        let mut all = String::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            all.push_str(&f.name().unwrap());
            all.push('\n');
            let _ = f.read_to_string(&mut all);
        }
        assert!(
            all.contains("Tenant audit") || all.contains("tenant audit"),
            "{all}"
        );
        if redact {
            assert_eq!(leaks(&all), Vec::<&str>::new(), "the redacted bundle");
        } else {
            assert!(leaks(&all).len() >= 8, "{:?}", leaks(&all));
        }
    }
}
