//! The generated audit script, read by a real PowerShell grammar (tree-sitter-powershell): it
//! parses with and without a guest and a team, calls nothing but read-only commands, asks
//! Microsoft Graph only with GET, writes only its own result file, and cannot be broken out of
//! by a hostile guest address or team name. Also `teamsfix-cli audit script` end to end.

#[path = "support/powershell.rs"]
mod powershell;

use proptest::prelude::*;
use std::process::Command;
use teamsfix::guide::audit::script::{self, ScriptOptions};
use tree_sitter::Node;

/// The verbs and commands the issue allows, written out here rather than taken from the
/// product's own list: `Get-*`, `Connect-*`, `Disconnect-*`, `Import-Module`, `ConvertTo-Json`,
/// writing its own result file (`Out-File`), and `Invoke-MgGraphRequest` with GET only.
fn allowed(command: &str) -> bool {
    let verb = command.split('-').next().unwrap_or("");
    matches!(verb, "Get" | "Connect" | "Disconnect")
        || matches!(
            command,
            "Import-Module" | "ConvertTo-Json" | "Out-File" | "Invoke-MgGraphRequest"
        )
}

fn variants() -> Vec<(&'static str, ScriptOptions)> {
    vec![
        ("no inputs", ScriptOptions::default()),
        (
            "guest",
            ScriptOptions {
                guest: Some("jan.devries@fabrikam.com".into()),
                team: None,
            },
        ),
        (
            "team",
            ScriptOptions {
                guest: None,
                team: Some("Project Zeewind".into()),
            },
        ),
        (
            "guest and team",
            ScriptOptions {
                guest: Some("o'brien@fabrikam.co.uk".into()),
                team: Some("Zürich ‘Q3’ $(Remove-Item C:\\) `n \"x\"".into()),
            },
        ),
    ]
}

/// Every command in the script with its parameters (`-Method` -> `GET`).
fn commands_with_arguments(script: &str) -> Vec<(String, Vec<(String, String)>)> {
    let tree = powershell::parse(script).expect("parses");
    let mut out = Vec::new();
    fn walk(n: Node, src: &[u8], out: &mut Vec<(String, Vec<(String, String)>)>) {
        if n.kind() == "command" {
            let mut name = String::new();
            let mut params = Vec::new();
            let mut cursor = n.walk();
            for child in n.children(&mut cursor) {
                match child.kind() {
                    "command_name" => name = child.utf8_text(src).unwrap_or("").to_string(),
                    "command_elements" => {
                        let mut c2 = child.walk();
                        let elems: Vec<Node> = child
                            .children(&mut c2)
                            .filter(|e| e.kind() != "command_argument_sep")
                            .collect();
                        for (i, e) in elems.iter().enumerate() {
                            if e.kind() == "command_parameter" {
                                let value = elems
                                    .get(i + 1)
                                    .filter(|v| v.kind() != "command_parameter")
                                    .and_then(|v| v.utf8_text(src).ok())
                                    .unwrap_or("")
                                    .to_string();
                                params.push((e.utf8_text(src).unwrap_or("").to_string(), value));
                            }
                        }
                    }
                    _ => {}
                }
            }
            out.push((name, params));
        }
        let mut cursor = n.walk();
        for child in n.children(&mut cursor) {
            walk(child, src, out);
        }
    }
    walk(tree.root_node(), script.as_bytes(), &mut out);
    out
}

#[test]
fn the_script_parses_and_only_reads() {
    for (label, opts) in variants() {
        let script = script::generate(&opts);
        powershell::parse(&script).unwrap_or_else(|e| panic!("{label}: {e}"));
        let commands = powershell::commands(&script).unwrap();
        assert!(
            commands.len() > 40,
            "{label}: only {} commands",
            commands.len()
        );
        for c in &commands {
            assert!(allowed(c), "{label}: {c} is not read-only");
        }
        for (name, params) in commands_with_arguments(&script) {
            if name.eq_ignore_ascii_case("Invoke-MgGraphRequest") {
                let method = params
                    .iter()
                    .find(|(p, _)| p.eq_ignore_ascii_case("-Method"))
                    .map(|(_, v)| v.as_str());
                assert_eq!(method, Some("GET"), "{label}: {params:?}");
            }
            if name.eq_ignore_ascii_case("Out-File") {
                assert!(
                    params
                        .iter()
                        .any(|(p, v)| p.eq_ignore_ascii_case("-FilePath") && v == "$OutFile"),
                    "{label}: Out-File writes something else: {params:?}"
                );
            }
        }
        // The connections ask for read scopes only.
        let scopes = script
            .lines()
            .find(|l| l.starts_with("$GraphScopes = "))
            .unwrap();
        assert!(!scopes.contains("Write"), "{scopes}");
        for expected in [
            "Connect-MgGraph",
            "Connect-MicrosoftTeams",
            "Connect-SPOService",
            "Connect-IPPSSession",
        ] {
            assert!(
                commands.iter().any(|c| c == expected),
                "{label}: no {expected}"
            );
        }
    }
}

#[test]
fn the_script_says_what_it_needs_at_its_top() {
    let script = script::generate(&ScriptOptions::default());
    let header_end = script.find("#>").unwrap();
    let header = &script[..header_end];
    for must in [
        "READ-ONLY",
        "Microsoft.Graph.Authentication",
        "MicrosoftTeams",
        "Microsoft.Online.SharePoint.PowerShell",
        "ExchangeOnlineManagement",
        "Policy.Read.All",
        "Global Reader",
        "Teams Reader",
        "SharePoint Administrator",
        "Windows PowerShell 5.1",
        "-UseWindowsPowerShell",
        "not read",
    ] {
        assert!(header.contains(must), "the header does not mention {must}");
    }
    // What each layer reads, with its role: one line per layer in the header.
    assert!(header.contains("Get-CsTeamsClientConfiguration -> AllowGuestUser"));
    println!(
        "script: {} bytes, {} lines",
        script.len(),
        script.lines().count()
    );
}

/// The value of a `[string]$Name = '...'` parameter default, with PowerShell's quote rules.
fn param_default(script: &str, name: &str) -> String {
    let tree = powershell::parse(script).unwrap();
    let src = script.as_bytes();
    let mut found = None;
    fn find<'a>(n: Node<'a>, src: &[u8], name: &str, found: &mut Option<String>) {
        if n.kind() == "script_parameter"
            && n.utf8_text(src).unwrap_or("").contains(&format!("${name}"))
        {
            let text = n.utf8_text(src).unwrap();
            let start = text.find('=').unwrap() + 1;
            *found = Some(text[start..].trim().to_string());
            return;
        }
        let mut c = n.walk();
        for ch in n.children(&mut c) {
            find(ch, src, name, found);
        }
    }
    find(tree.root_node(), src, name, &mut found);
    let literal = found.expect("parameter found");
    let quotes = ['\'', '\u{2018}', '\u{2019}', '\u{201A}', '\u{201B}'];
    let inner: Vec<char> = literal.chars().collect();
    assert!(
        quotes.contains(&inner[0]) && quotes.contains(&inner[inner.len() - 1]),
        "{literal}"
    );
    let mut out = String::new();
    let mut i = 1;
    while i < inner.len() - 1 {
        let c = inner[i];
        out.push(c);
        // A doubled quote is one quote.
        i += if quotes.contains(&c) { 2 } else { 1 };
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// Whatever the team is called, the script still parses, calls the same commands, and
    /// the name arrives in PowerShell unchanged.
    #[test]
    fn hostile_team_names_stay_strings(team in "[^\\x00-\\x1f\\x7f]{1,60}") {
        prop_assume!(script::check_team(&team).is_ok());
        let checked = script::check_team(&team).unwrap();
        let plain = script::generate(&ScriptOptions::default());
        let s = script::generate(&ScriptOptions { guest: None, team: Some(checked.clone()) });
        prop_assert!(powershell::parse(&s).is_ok(), "{}", team);
        prop_assert_eq!(powershell::commands(&s).unwrap(), powershell::commands(&plain).unwrap());
        prop_assert_eq!(param_default(&s, "Team"), checked);
    }
}

#[test]
fn cli_writes_the_script_and_refuses_bad_input() {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("audit.ps1");
    let cli = env!("CARGO_BIN_EXE_teamsfix-cli");
    let run = Command::new(cli)
        .args([
            "--lang",
            "en",
            "audit",
            "script",
            "--guest",
            "jan@fabrikam.com",
            "--team",
            "Project Zeewind",
            "--output",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let bytes = std::fs::read(&out).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "saved with a byte-order mark"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.contains("[string]$Guest = 'jan@fabrikam.com'"));
    powershell::parse(&text).unwrap();
    assert!(String::from_utf8_lossy(&run.stderr).contains(&out.display().to_string()));

    let stdout = Command::new(cli)
        .args(["audit", "script"])
        .output()
        .unwrap();
    assert!(stdout.status.success());
    assert!(String::from_utf8_lossy(&stdout.stdout).starts_with("<#"));

    for bad in [
        ["--guest", "not an address"],
        ["--team", "a\u{7}b"],
        // A right-to-left override would show the script in another order than it runs.
        ["--team", "Sales\u{202E}# }\u{202C}Team"],
        ["--guest", "jan\u{200B}@fabrikam.com"],
    ] {
        let r = Command::new(cli)
            .args(["--lang", "en", "audit", "script"])
            .args(bad)
            .output()
            .unwrap();
        assert_eq!(r.status.code(), Some(2), "{bad:?}");
        assert!(!r.stderr.is_empty());
        let err = String::from_utf8_lossy(&r.stderr);
        assert!(
            !err.contains(['\u{7}', '\u{202E}', '\u{200B}']),
            "the message shows no hidden character: {err:?}"
        );
        assert!(r.stdout.is_empty(), "no script for bad input");
    }
}
