//! The generated audit script read a second, independent way (tests/support/ps_scan.rs, a token
//! scan written from PowerShell's rules, besides the tree-sitter grammar): with and without a
//! guest and a team, and with hostile guest addresses and team names (every kind of quote,
//! `$( )`, backticks, comment ends, newlines, very long), it calls only read-only commands,
//! asks Graph only with GET, writes only its own result file, and the values arrive in
//! PowerShell unchanged, or the CLI refuses them with a message and exit 2.

#[path = "support/powershell.rs"]
mod powershell;
#[path = "support/ps_scan.rs"]
mod ps_scan;

use std::collections::BTreeSet;
use std::process::Command;
use teamsfix::guide::audit::script::{self, ScriptOptions};

/// What a read-only script may call, written out independently of the product's own list.
fn allowed(command: &str) -> bool {
    let (verb, noun) = command.split_once('-').unwrap_or((command, ""));
    let verb_ok = matches!(verb, "Get" | "Connect" | "Disconnect") && !noun.is_empty();
    verb_ok
        || matches!(
            command,
            "Import-Module" | "ConvertTo-Json" | "Out-File" | "Invoke-MgGraphRequest"
        )
        // The script's own script blocks (write the result file; shape two settings).
        || matches!(command, "& $SaveResult" | "& $ToAccess" | "& $ToTrust")
}

const METHODS: &[&str] = &[
    "Replace",
    "Split",
    "ToLowerInvariant",
    "ToUniversalTime",
    "ToString",
    "GetFolderPath",
    "Combine",
];
const STATICS: &[&str] = &["Environment::GetFolderPath", "System.IO.Path::Combine"];

/// Checks one script; returns the set of commands it calls.
fn check(label: &str, script: &str) -> BTreeSet<String> {
    let s = ps_scan::scan(script);
    assert!(s.findings.is_empty(), "{label}: {:?}", s.findings);
    assert!(
        s.commands.len() > 40,
        "{label}: {} commands",
        s.commands.len()
    );
    for (name, args) in &s.commands {
        assert!(allowed(name), "{label}: {name} {args:?} is not read-only");
        if name.eq_ignore_ascii_case("Invoke-MgGraphRequest") {
            let method = args
                .iter()
                .position(|a| a.eq_ignore_ascii_case("-Method"))
                .and_then(|i| args.get(i + 1));
            assert!(
                method.is_some_and(|m| m.eq_ignore_ascii_case("GET")),
                "{label}: {args:?}"
            );
        }
        if name.eq_ignore_ascii_case("Out-File") {
            let target = args
                .iter()
                .position(|a| a.eq_ignore_ascii_case("-FilePath"))
                .and_then(|i| args.get(i + 1));
            assert_eq!(target.map(String::as_str), Some("$OutFile"), "{label}");
        }
    }
    for m in &s.methods {
        assert!(METHODS.contains(&m.as_str()), "{label}: method .{m}(");
    }
    for st in &s.statics {
        assert!(STATICS.contains(&st.as_str()), "{label}: {st}");
    }
    for t in &s.types {
        assert!(
            !t.eq_ignore_ascii_case("scriptblock"),
            "{label}: [scriptblock]"
        );
    }
    // Both readings agree on the commands.
    let by_grammar: BTreeSet<String> = powershell::commands(script)
        .unwrap_or_else(|e| panic!("{label}: {e}"))
        .into_iter()
        .collect();
    let by_scan: BTreeSet<String> = s
        .commands
        .iter()
        .map(|(n, _)| n.clone())
        .filter(|n| !n.starts_with('&'))
        .collect();
    assert_eq!(by_scan, by_grammar, "{label}");
    s.commands.into_iter().map(|(n, _)| n).collect()
}

/// The value of `[string]$Name = '...'`, unquoted as PowerShell does.
fn param_default(script: &str, name: &str) -> String {
    let prefix = format!("[string]${name} = ");
    let start = script.find(&prefix).unwrap() + prefix.len();
    let chars: Vec<char> = script[start..].chars().collect();
    let quote = |c: char| matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}');
    assert!(quote(chars[0]), "not single-quoted");
    let mut out = String::new();
    let mut i = 1;
    loop {
        let c = chars[i];
        if quote(c) {
            if chars.get(i + 1).is_some_and(|n| quote(*n)) {
                out.push(c);
                i += 2;
                continue;
            }
            break;
        }
        out.push(c);
        i += 1;
    }
    // The string ends where the line does: nothing after it on the line.
    let rest: String = chars[i + 1..].iter().take_while(|c| **c != '\n').collect();
    assert_eq!(
        rest.trim(),
        ",",
        "the default is followed by more: {rest:?}"
    );
    out
}

const HOSTILE_TEAMS: &[&str] = &[
    "'; Remove-Item C:\\ -Recurse; '",
    "\u{2019}; Remove-Item C:\\ -Recurse; \u{2018}",
    "\u{201A}x\u{201B}; Stop-Computer; \u{201B}",
    "''''",
    "$(Remove-Item C:\\)",
    "$(iex 'calc')",
    "`n`r`0 `$x ``",
    "\"; Start-Process calc; \"",
    "\u{201C} $(Start-Process calc) \u{201D}",
    "#> Remove-Item C:\\ <#",
    "<# open",
    "@'",
    "'@",
    "x -Guest evil@example.com",
    "Zürich 🚀 ‘Q3’",
    "& calc",
    "; . ./evil.ps1",
    "[scriptblock]::Create('x').Invoke()",
];

const HOSTILE_GUESTS: &[&str] = &[
    "o'brien@fabrikam.co.uk",
    "a'$(calc)'@fabrikam.com",
    "\"a\"@fabrikam.com",
    "a#>b@fabrikam.com",
    "a\u{2019};Stop-Computer;\u{2018}@fabrikam.com",
    "`$x`@fabrikam.com",
];

#[test]
fn the_script_is_read_only_by_a_second_reading() {
    let plain = check("no inputs", &script::generate(&ScriptOptions::default()));
    let both = check(
        "guest and team",
        &script::generate(&ScriptOptions {
            guest: Some("jan.devries@fabrikam.com".into()),
            team: Some("Project Zeewind".into()),
        }),
    );
    assert_eq!(plain, both, "the inputs change no command");
    for team in HOSTILE_TEAMS {
        let checked = script::check_team(team).unwrap_or_else(|e| panic!("{team:?}: {e:?}"));
        let s = script::generate(&ScriptOptions {
            guest: None,
            team: Some(checked.clone()),
        });
        assert_eq!(check(team, &s), plain, "{team:?} adds a command");
        assert_eq!(param_default(&s, "Team"), checked, "{team:?}");
    }
    for guest in HOSTILE_GUESTS {
        let checked = script::check_guest(guest).unwrap_or_else(|e| panic!("{guest:?}: {e:?}"));
        let s = script::generate(&ScriptOptions {
            guest: Some(checked.clone()),
            team: Some(HOSTILE_TEAMS[0].into()),
        });
        assert_eq!(check(guest, &s), plain, "{guest:?} adds a command");
        assert_eq!(param_default(&s, "Guest"), checked, "{guest:?}");
    }
}

#[test]
fn the_cli_embeds_hostile_values_safely_or_refuses_them() {
    let cli = env!("CARGO_BIN_EXE_teamsfix-cli");
    let plain = check("no inputs", &script::generate(&ScriptOptions::default()));
    let long = "x".repeat(257);
    let longest = "y".repeat(256);
    let refused: &[(&str, &str)] = &[
        ("--team", "a\nRemove-Item C:\\"),
        ("--team", "a\rb"),
        ("--team", "a\u{85}b"),
        // Invisible characters: the script would read otherwise than it runs.
        ("--team", "a\u{2028}b\u{2029}c"),
        ("--team", "\u{202E}gnp.exe"),
        ("--guest", "jan\u{200B}@fabrikam.com"),
        ("--team", "   "),
        ("--team", &long),
        ("--guest", "jan@fabrikam.com'; Remove-Item C:\\; '"),
        ("--guest", "jan@fabrikam.com\nRemove-Item"),
        ("--guest", "jan@fab$(calc).com"),
        ("--guest", "jan@fabrikam.com<#"),
        ("--guest", &"a".repeat(300)),
    ];
    for (flag, value) in refused {
        let r = Command::new(cli)
            .args(["--lang", "en", "audit", "script", flag, value])
            .output()
            .unwrap();
        assert_eq!(r.status.code(), Some(2), "{flag} {value:?}");
        assert!(
            r.stdout.is_empty(),
            "{flag} {value:?}: a script was written"
        );
        let err = String::from_utf8_lossy(&r.stderr);
        assert!(
            err.contains("not an e-mail address") || err.contains("team"),
            "{flag} {value:?}: {err}"
        );
    }
    let mut accepted: Vec<(&str, &str)> = HOSTILE_TEAMS.iter().map(|t| ("--team", *t)).collect();
    accepted.extend(HOSTILE_GUESTS.iter().map(|g| ("--guest", *g)));
    accepted.push(("--team", &longest));
    for (flag, value) in accepted {
        let r = Command::new(cli)
            .args(["--lang", "en", "audit", "script", flag, value])
            .output()
            .unwrap();
        assert_eq!(r.status.code(), Some(0), "{flag} {value:?}");
        let text = String::from_utf8(r.stdout).unwrap();
        assert_eq!(check(value, &text), plain, "{flag} {value:?}");
        let name = if flag == "--team" { "Team" } else { "Guest" };
        assert_eq!(param_default(&text, name), value.trim(), "{flag} {value:?}");
    }
}

#[test]
fn the_second_reading_catches_what_a_script_must_not_do() {
    let script = script::generate(&ScriptOptions::default());
    check("as made", &script);
    let anchor = "$GuestUser = $null\n";
    assert!(script.contains(anchor));
    for bad in [
        "Remove-MgGroup -GroupId x",
        "$x = \"text $(Set-MgPolicyAuthorizationPolicy -AllowInvitesFrom none) more\"",
        "Invoke-MgGraphRequest -Method POST -Uri 'https://graph.microsoft.com/v1.0/x'",
        "Invoke-MgGraphRequest -Uri 'https://graph.microsoft.com/v1.0/x'",
        "iex 'calc'",
        "& ([scriptblock]::Create('calc'))",
        "$SaveResult.Invoke()",
        "'x' | Out-File -FilePath C:\\evil.txt",
        "'x' > C:\\evil.txt",
        ". $OutFile",
        "$h = @{ a = Start-Process calc }",
        "[System.IO.File]::WriteAllText('C:\\x', 'y')",
        "Invoke-RestMethod -Uri 'https://example.com'",
    ] {
        let changed = script.replacen(anchor, &format!("{anchor}{bad}\n"), 1);
        let caught = std::panic::catch_unwind(|| check(bad, &changed)).is_err();
        assert!(caught, "not caught: {bad}");
    }
}

/// A pasted fix runs only its own commands, whatever the tenant's names are: a team owner
/// chooses the team's name, and a result file can come from anywhere.
#[test]
fn fixes_filled_with_hostile_names_run_only_their_own_commands() {
    use serde_json::{Value, json};
    use teamsfix::guide::audit::{self, Verdict};
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit/all-ok.json");
    let clean: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let evil = "x$(Remove-MgGroup -GroupId 1)`$y\"; Stop-Computer; \"'\u{2019}; Stop-Computer; \u{2018}\u{201C}$(Stop-Computer)\u{201D}";
    let blocking = |v: &mut Value, names: bool| {
        let name = |n: &str| {
            if names {
                format!("{n}{evil}")
            } else {
                n.to_string()
            }
        };
        v["inputs"]["guest"] = json!(name("jan@fabrikam.com"));
        v["lookups"]["team"]["values"]["DisplayName"] = json!(name("Project"));
        v["lookups"]["team"]["values"]["Id"] = json!(name("0b7d3c1e"));
        v["lookups"]["tenant"]["values"]["InitialDomain"] =
            json!(name("contoso") + ".onmicrosoft.com");
        v["lookups"]["guest"]["values"]["ExternalUserState"] = json!("PendingAcceptance");
        v["lookups"]["guest"]["values"]["AccountEnabled"] = json!(false);
        v["layers"]["team-blocked-for-guests"]["values"] =
            json!({"GuestSettingFound": true, "AllowToAddGuests": "False"});
        v["layers"]["team-membership"]["values"]["IsMember"] = json!(false);
        v["layers"]["invitation-conflicts"]["values"]["Contacts"] = json!(["Jan"]);
        v["layers"]["sharepoint-sharing"]["values"]["SiteSharingCapability"] = json!("Disabled");
        v["layers"]["sharepoint-sharing"]["values"]["SiteUrl"] =
            json!(name("https://contoso.sharepoint.com/sites/p"));
        v["layers"]["sensitivity-label"]["values"]["LabelName"] = json!(name("Confidential"));
        v["layers"]["sensitivity-label"]["values"]["SiteAndGroupProtectionAllowAccessToGuestUsers"] =
            json!(false);
    };
    let judge = |names: bool| {
        let mut v = clean.clone();
        blocking(&mut v, names);
        audit::parse(v.to_string().as_bytes()).unwrap()
    };
    let (plain, hostile) = (judge(false), judge(true));
    let mut filled = 0;
    for (p, h) in plain.layers.iter().zip(&hostile.layers) {
        if p.fix.is_empty() || p.verdict == Verdict::NotRead {
            continue;
        }
        let want: Vec<String> = ps_scan::scan(&p.fix)
            .commands
            .into_iter()
            .map(|c| c.0)
            .collect();
        let scan = ps_scan::scan(&h.fix);
        assert!(
            scan.findings.is_empty(),
            "{}: {:?}\n{}",
            h.layer,
            scan.findings,
            h.fix
        );
        let got: Vec<String> = scan.commands.into_iter().map(|c| c.0).collect();
        assert_eq!(got, want, "{}:\n{}", h.layer, h.fix);
        assert_eq!(
            powershell::commands(&h.fix).unwrap(),
            powershell::commands(&p.fix).unwrap(),
            "{}:\n{}",
            h.layer,
            h.fix
        );
        if h.fix.contains("Stop-Computer") {
            filled += 1;
        }
    }
    assert!(filled >= 5, "only {filled} fixes carry the names");
}
