//! Every command teamsfix shows an admin (the admin steps, the checklist) and the Intune scripts
//! it ships, parsed with a real PowerShell grammar (tests/support/powershell.rs): each must be
//! valid PowerShell, each cmdlet must come from a module the command names (or be built into
//! PowerShell), and nothing may use the retired AzureAD or MSOnline modules.

#[path = "support/powershell.rs"]
mod powershell;

use teamsfix::guide::admin_steps::{ADMIN_STEPS, Module};
use teamsfix::guide::checklist::CHECKLIST;

/// The cmdlets each module provides that teamsfix uses, as Microsoft's cmdlet references list
/// them. A cmdlet not listed here fails the test: look it up before adding it.
fn cmdlets_of(module: Module) -> &'static [&'static str] {
    match module {
        Module::Graph => &[
            "Connect-MgGraph",
            "Get-MgPolicyAuthorizationPolicy",
            "Update-MgPolicyAuthorizationPolicy",
            "Get-MgPolicyCrossTenantAccessPolicyDefault",
            "Get-MgPolicyCrossTenantAccessPolicyPartner",
            "Get-MgPolicyAuthenticationMethodPolicyAuthenticationMethodConfiguration",
            "Get-MgIdentityConditionalAccessPolicy",
            "Get-MgServicePrincipal",
            "Get-MgGroup",
            "Get-MgUser",
            "Update-MgUser",
            "Get-MgContact",
            "New-MgInvitation",
        ],
        // Connect-MgGraph comes from Microsoft.Graph.Authentication, which both need.
        Module::GraphBeta => &[
            "Connect-MgGraph",
            "Get-MgBetaPolicyB2BManagementPolicy",
            "Get-MgBetaDirectorySetting",
            "Update-MgBetaDirectorySetting",
            "Get-MgBetaGroupSetting",
            "Update-MgBetaGroupSetting",
        ],
        Module::Teams => &[
            "Connect-MicrosoftTeams",
            "Get-CsTeamsClientConfiguration",
            "Set-CsTeamsClientConfiguration",
            "Get-CsTeamsGuestCallingConfiguration",
            "Set-CsTeamsGuestCallingConfiguration",
            "Get-CsTeamsGuestMeetingConfiguration",
            "Set-CsTeamsGuestMeetingConfiguration",
            "Get-CsTeamsGuestMessagingConfiguration",
            "Set-CsTeamsGuestMessagingConfiguration",
        ],
        Module::ExchangeOnline => &["Connect-IPPSSession", "Get-Label", "Set-Label"],
        Module::SharePoint => &[
            "Connect-SPOService",
            "Get-SPOTenant",
            "Set-SPOTenant",
            "Get-SPOSite",
            "Set-SPOSite",
        ],
        Module::AdSync => &["Get-ADSyncScheduler", "Start-ADSyncSyncCycle"],
    }
}

/// Built into PowerShell (Microsoft.PowerShell.* modules), with their usual aliases.
const BUILT_IN: &[&str] = &[
    "Select-Object",
    "Where-Object",
    "ForEach-Object",
    "Format-List",
    "Import-Module",
    "Write-Output",
    "Test-Path",
    "Out-String",
    "ConvertFrom-Json",
    "?",
    "%",
    "where",
    "select",
    "foreach",
    "fl",
];

/// The naming rule each module's cmdlets follow, so a cmdlet listed under the wrong module is
/// caught too.
fn follows_module_naming(module: Module, cmdlet: &str) -> bool {
    let noun = cmdlet.split_once('-').map_or("", |(_, n)| n);
    match module {
        Module::Graph => {
            cmdlet == "Connect-MgGraph" || (noun.starts_with("Mg") && !noun.starts_with("MgBeta"))
        }
        Module::GraphBeta => cmdlet == "Connect-MgGraph" || noun.starts_with("MgBeta"),
        Module::Teams => cmdlet == "Connect-MicrosoftTeams" || noun.starts_with("CsTeams"),
        Module::ExchangeOnline => cmdlet == "Connect-IPPSSession" || noun == "Label",
        Module::SharePoint => noun.starts_with("SPO"),
        Module::AdSync => noun.starts_with("ADSync"),
    }
}

fn is_retired(cmdlet: &str) -> bool {
    let lower = cmdlet.to_ascii_lowercase();
    lower.contains("-azuread") || lower.contains("-msol") || lower.contains("azureadpreview")
}

/// `<` and `>` outside quoted strings: PowerShell rejects `<` (reserved) and reads `>` as a
/// redirection, so a placeholder such as `<id>` must be quoted (`'<id>'`).
fn unquoted_angle_bracket(script: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in script.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '<' | '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// Checks a command teamsfix shows to copy: no unquoted placeholder, then [`check_script`].
fn check_command(what: &str, script: &str, modules: &[Module]) {
    if let Some(at) = unquoted_angle_bracket(script) {
        panic!("{what}: unquoted placeholder or redirection at byte {at}: {script}");
    }
    check_script(what, script, modules);
}

/// Parses `script` and checks every command in it against `modules`.
fn check_script(what: &str, script: &str, modules: &[Module]) {
    let names = powershell::commands(script).unwrap_or_else(|e| panic!("{what}: {e}\n{script}"));
    assert!(!names.is_empty(), "{what}: no command found in {script}");
    for name in &names {
        assert!(
            !is_retired(name),
            "{what}: {name} belongs to a retired module"
        );
        if BUILT_IN.iter().any(|b| b.eq_ignore_ascii_case(name)) {
            continue;
        }
        let from = modules
            .iter()
            .find(|m| cmdlets_of(**m).iter().any(|c| c.eq_ignore_ascii_case(name)));
        assert!(
            from.is_some(),
            "{what}: {name} is not a cmdlet of {:?} (nor built into PowerShell)",
            modules
        );
    }
}

#[test]
fn the_module_tables_follow_each_modules_naming() {
    for module in [
        Module::Graph,
        Module::GraphBeta,
        Module::Teams,
        Module::ExchangeOnline,
        Module::SharePoint,
        Module::AdSync,
    ] {
        assert!(!module.name().to_ascii_lowercase().contains("azuread"));
        assert!(!module.name().to_ascii_lowercase().contains("msonline"));
        for cmdlet in cmdlets_of(module) {
            assert!(
                follows_module_naming(module, cmdlet),
                "{cmdlet} does not look like a cmdlet of {}",
                module.name()
            );
        }
    }
}

#[test]
fn every_admin_command_is_valid_powershell_from_the_modules_it_names() {
    let mut checked = 0;
    for step in ADMIN_STEPS {
        for (kind, cmd) in
            std::iter::once(("check", &step.check)).chain(step.fix.as_ref().map(|f| ("fix", f)))
        {
            assert!(
                !cmd.modules.is_empty(),
                "{} {kind} names no module",
                step.id
            );
            check_command(&format!("{} {kind}", step.id), &cmd.script(), cmd.modules);
            // The connection is the first command of the script, and it connects to a
            // service of one of the command's modules.
            let first = &powershell::commands(cmd.connect).unwrap()[0];
            assert!(
                first.starts_with("Connect-") || first == "Import-Module",
                "{} {kind}: starts with {first}, not a connection",
                step.id
            );
            checked += 1;
        }
    }
    assert!(
        checked >= ADMIN_STEPS.len() + 10,
        "only {checked} commands checked"
    );
}

#[test]
fn every_checklist_command_is_valid_powershell() {
    let mut checked = 0;
    for step in CHECKLIST {
        for script in step.commands() {
            if let Some(args) = script.strip_prefix("teamsfix-cli ") {
                // teamsfix's own program: valid syntax, only its own command name.
                let names = powershell::commands(&script).unwrap();
                assert_eq!(names, ["teamsfix-cli"], "{}: {args}", step.id);
            } else {
                assert_eq!(
                    unquoted_angle_bracket(&script),
                    None,
                    "{}: {script}",
                    step.id
                );
                let names = powershell::commands(&script).unwrap();
                assert!(
                    names.iter().all(|n| !is_retired(n)),
                    "{}: {names:?}",
                    step.id
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} checklist commands");
}

#[test]
fn the_intune_scripts_are_valid_powershell_without_retired_modules() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("packaging/windows/intune");
    let mut scripts = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ps1") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        // The scripts only call PowerShell itself and teamsfix-cli.exe (through `&`).
        check_script(&path.display().to_string(), &text, &[]);
        scripts += 1;
    }
    assert_eq!(scripts, 2, "expected the detection and remediation scripts");
}

#[test]
fn the_test_catches_wrong_commands() {
    // The checks above must be able to fail: a retired cmdlet, a cmdlet from a module the
    // command does not name, and a script the grammar rejects.
    let retired = std::panic::catch_unwind(|| {
        check_script("x", "Connect-AzureAD\nGet-AzureADUser", &[Module::Graph])
    });
    assert!(retired.is_err());
    let wrong_module =
        std::panic::catch_unwind(|| check_script("x", "Get-SPOTenant", &[Module::Graph]));
    assert!(wrong_module.is_err());
    let invented = std::panic::catch_unwind(|| {
        check_script(
            "x",
            "Set-TeamGuestAccess -AllowGuestAccess $true",
            &[Module::Teams],
        )
    });
    assert!(invented.is_err());
    let unquoted = std::panic::catch_unwind(|| {
        check_command("x", "Get-MgUser -UserId <id>", &[Module::Graph])
    });
    assert!(unquoted.is_err());
    let unparsable = std::panic::catch_unwind(|| {
        check_script("x", "Get-MgUser -UserId 'x'\nif ( {", &[Module::Graph])
    });
    assert!(unparsable.is_err());
}
