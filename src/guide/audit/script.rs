//! The audit script: one readable, read-only PowerShell script built from the table in
//! `reads.rs`. It says at its top what it needs and does, connects once per part with read
//! scopes, goes on when a module is missing or a sign-in is declined (that part's layers are
//! written as "not read" with the reason), writes its result file after every step (so a run
//! that stops half-way still leaves what it read) and prints where the file is.

use super::reads::{self, Needs, PARTS, Part, READS, Read, Target};
use super::{SCHEMA_VERSION, layers};
use crate::common::i18n::{Lang, Msg};
use std::fmt::Write;

/// The inputs of the script; both optional.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScriptOptions {
    /// The guest's e-mail address.
    pub guest: Option<String>,
    /// The team's display name or group id.
    pub team: Option<String>,
}

const MAX_INPUT: usize = 256;

/// Characters that change how the script looks without being seen: bidirectional overrides
/// and isolates (a name with U+202E shows the script's text in another order than it runs,
/// "Trojan Source"), zero-width characters and other invisible format characters.
fn hidden(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// A refused input as the message shows it: at most 80 characters, control and invisible
/// characters as U+FFFD (an override must not turn the message around either).
fn shown(input: &str) -> String {
    input
        .chars()
        .take(80)
        .map(|c| {
            if c.is_control() || hidden(c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// Checks a guest address for the script: one `@`, a domain with a dot, no spaces or control
/// characters. Returns it trimmed.
pub fn check_guest(address: &str) -> Result<String, Msg> {
    let a = address.trim();
    let bad = || Msg::new("audit.input.bad_guest").arg("value", shown(a));
    if a.is_empty()
        || a.len() > MAX_INPUT
        || a.chars()
            .any(|c| c.is_control() || c.is_whitespace() || hidden(c))
    {
        return Err(bad());
    }
    let Some((local, domain)) = a.rsplit_once('@') else {
        return Err(bad());
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    if local.is_empty() || local.contains('@') || !domain_ok {
        return Err(bad());
    }
    Ok(a.to_string())
}

/// Checks a team name or id: not empty, at most 256 characters, no control characters.
pub fn check_team(team: &str) -> Result<String, Msg> {
    let t = team.trim();
    if t.is_empty()
        || t.chars().count() > MAX_INPUT
        || t.chars().any(|c| c.is_control() || hidden(c))
    {
        return Err(Msg::new("audit.input.bad_team").arg("value", shown(t)));
    }
    Ok(t.to_string())
}

/// `text` as a PowerShell single-quoted string. PowerShell also ends such a string at the
/// typographic quotes ‘ ’ ‚ ‛, so every one of them is doubled like `'`.
pub fn ps_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// The whole script. Inputs must have passed [`check_guest`] / [`check_team`].
pub fn generate(opts: &ScriptOptions) -> String {
    let mut s = String::with_capacity(40_000);
    header(&mut s, opts);
    preamble(&mut s, opts);
    for part in PARTS {
        connect(&mut s, part);
        for read in READS.iter().filter(|r| r.part == part.id) {
            step(&mut s, read, part);
        }
    }
    ending(&mut s);
    s
}

/// The script as a file: UTF-8 with a byte-order mark, so Windows PowerShell 5.1 reads a team
/// name with accents correctly, and Windows line ends.
pub fn file_bytes(script: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(script.len() + script.lines().count() + 3);
    out.extend_from_slice(b"\xEF\xBB\xBF");
    for line in script.lines() {
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// A file name for the script, e.g. `teamsfix-audit.ps1`.
pub const FILE_NAME: &str = "teamsfix-audit.ps1";

fn header(s: &mut String, opts: &ScriptOptions) {
    let en = Lang::En;
    s.push_str("<#\n.SYNOPSIS\n");
    s.push_str(
        "teamsfix tenant audit: reads the settings that decide whether a guest can use Microsoft\n",
    );
    s.push_str(
        "Teams in your organisation and writes them to one JSON file for teamsfix to judge.\n\n",
    );
    s.push_str(".DESCRIPTION\n");
    s.push_str(
        "READ-ONLY: this script changes nothing. It runs only Get-* commands, Connect-* and\n",
    );
    s.push_str("Disconnect-*, Import-Module, ConvertTo-Json, Invoke-MgGraphRequest with -Method GET, and\n");
    s.push_str("Out-File to write its own result file. Read it before you run it.\n\n");
    s.push_str(
        "Run it in PowerShell 7 (pwsh) or Windows PowerShell 5.1, as an account with the roles\n",
    );
    s.push_str("below. It signs in once per part. Install the modules you do not have yet with\n");
    s.push_str("    Install-Module <name> -Scope CurrentUser\n");
    s.push_str(
        "A part whose module is missing or whose sign-in you decline is skipped: its layers are\n",
    );
    s.push_str(
        "written as \"not read\" with the reason, and the script goes on with the next part.\n\n",
    );
    for (n, p) in PARTS.iter().enumerate() {
        let _ = writeln!(s, "Part {}: {}", n + 1, p.name);
        let _ = writeln!(s, "    Modules:  {}", p.modules.join(", "));
        if p.scopes.is_empty() {
            let _ = writeln!(s, "    Connects: {}", p.connect);
        } else {
            let _ = writeln!(
                s,
                "    Connects: Connect-MgGraph -Scopes {} (read-only scopes)",
                p.scopes.join(", ")
            );
        }
        let _ = writeln!(s, "    Role:     {}", p.role);
        let _ = writeln!(s, "    Runs in:  {}", p.edition);
        if let Some(skip) = &p.skip {
            let _ = writeln!(s, "    Note:     {}", skip.reason);
        }
    }
    s.push_str("\nWhat it reads, per layer (least-privileged role):\n");
    for l in layers::checking_order() {
        if let Some(r) = reads::read_for_layer(l.id()) {
            let keys: Vec<&str> = r.keys.iter().map(|k| k.name).collect();
            let _ = writeln!(s, "  {} [{}]", l.title(en), l.id());
            let _ = writeln!(
                s,
                "      {} -> {} ({})",
                r.commands.join(", "),
                keys.join(", "),
                r.role
            );
        }
    }
    s.push_str(
        "\nMicrosoft's pages for these commands and roles are named above each step below.\n\n",
    );
    let _ = writeln!(
        s,
        "Made by teamsfix {} (result schema_version {SCHEMA_VERSION}).",
        env!("CARGO_PKG_VERSION")
    );
    match (&opts.guest, &opts.team) {
        (None, None) => {
            s.push_str("No guest and no team given: only the organisation's settings are read.\n")
        }
        _ => {
            if let Some(g) = &opts.guest {
                let _ = writeln!(s, "Guest: {}", comment_safe(g));
            }
            if let Some(t) = &opts.team {
                let _ = writeln!(s, "Team:  {}", comment_safe(t));
            }
        }
    }
    s.push_str(
        "Afterwards open the result in teamsfix (Admin steps > Tenant audit > Open audit result)\n",
    );
    s.push_str("or run: teamsfix-cli audit read <result file>\n#>\n\n");
}

/// Text for inside the `<# #>` comment: a `#>` would end it early.
fn comment_safe(text: &str) -> String {
    text.replace("#>", "# >")
}

fn preamble(s: &mut String, opts: &ScriptOptions) {
    let guest = ps_quote(opts.guest.as_deref().unwrap_or(""));
    let team = ps_quote(opts.team.as_deref().unwrap_or(""));
    let _ = write!(
        s,
        r#"param(
    # The guest's e-mail address: reads the guest's account, home organisation and team membership.
    [string]$Guest = {guest},
    # The team's name or group id: reads the team's own guest setting, label, site and members.
    [string]$Team = {team},
    # Where to write the result (default: your Documents folder).
    [string]$OutFile = '',
    # The SharePoint admin centre (default: found from the organisation's initial domain).
    [string]$SharePointAdminUrl = ''
)

if (-not $OutFile) {{
    $folder = [Environment]::GetFolderPath('MyDocuments')
    if (-not $folder) {{ $folder = (Get-Location).Path }}
    $OutFile = [System.IO.Path]::Combine($folder, 'teamsfix-audit-' + (Get-Date).ToString('yyyyMMdd-HHmmss') + '.json')
}}
$GraphScopes = @({scopes})
$Result = [ordered]@{{
    schema_version = {SCHEMA_VERSION}
    tool = 'teamsfix-audit'
    teamsfix_version = '{version}'
    tenant_id = $null
    started_at = (Get-Date).ToUniversalTime().ToString('o')
    finished_at = $null
    ran_by = $null
    powershell = [string]$PSVersionTable.PSVersion
    inputs = [ordered]@{{ guest = $Guest; team = $Team }}
    parts = [ordered]@{{}}
    lookups = [ordered]@{{}}
    layers = [ordered]@{{}}
}}
# The result file is written again after every step: a run that stops half-way leaves what it read.
$SaveResult = {{ $Result | ConvertTo-Json -Depth 12 | Out-File -FilePath $OutFile -Encoding utf8 }}
# Cross-tenant settings as plain values: who and which applications, allowed or blocked.
$ToAccess = {{
    param($setting)
    if ($null -eq $setting) {{ return $null }}
    [ordered]@{{
        UsersAndGroups = [ordered]@{{ AccessType = [string]$setting.UsersAndGroups.AccessType; Targets = @(foreach ($t in @($setting.UsersAndGroups.Targets)) {{ [string]$t.Target }}) }}
        Applications = [ordered]@{{ AccessType = [string]$setting.Applications.AccessType; Targets = @(foreach ($t in @($setting.Applications.Targets)) {{ [string]$t.Target }}) }}
    }}
}}
$ToTrust = {{
    param($trust)
    if ($null -eq $trust) {{ return $null }}
    [ordered]@{{ IsMfaAccepted = $trust.IsMfaAccepted; IsCompliantDeviceAccepted = $trust.IsCompliantDeviceAccepted; IsHybridAzureADJoinedDeviceAccepted = $trust.IsHybridAzureADJoinedDeviceAccepted }}
}}
$GuestUser = $null
$TeamGroup = $null
$TeamLabelId = $null
$SharePointRootUrl = $null
'teamsfix audit (read-only). The result goes to: ' + $OutFile
& $SaveResult

"#,
        scopes = PARTS
            .iter()
            .flat_map(|p| p.scopes.iter())
            .map(|sc| ps_quote(sc))
            .collect::<Vec<_>>()
            .join(", "),
        version = env!("CARGO_PKG_VERSION"),
    );
}

fn connect(s: &mut String, part: &Part) {
    let first = part.modules[0];
    let _ = writeln!(s, "# {}", "=".repeat(94));
    let _ = writeln!(s, "# Part: {}", part.name);
    let _ = writeln!(s, "# Modules: {}", part.modules.join(", "));
    let _ = writeln!(s, "# Role: {}", part.role);
    for d in part.docs {
        let _ = writeln!(s, "# {d}");
    }
    let _ = writeln!(
        s,
        "$Part = [ordered]@{{ status = 'not_connected'; reason = $null; modules = [ordered]@{{}}; missing_modules = @() }}"
    );
    let modules = part
        .modules
        .iter()
        .map(|m| ps_quote(m))
        .collect::<Vec<_>>()
        .join(", ");
    let _ = writeln!(
        s,
        r#"foreach ($name in @({modules})) {{
    $available = @(Get-Module -ListAvailable -Name $name)
    if ($available.Count -gt 0) {{ $Part.modules[$name] = [string]$available[0].Version }}
    else {{ $Part.missing_modules += $name }}
}}"#
    );
    let mut first_kw = "if";
    if let Some(skip) = &part.skip {
        let _ = writeln!(
            s,
            "if ({}) {{\n    $Part.status = {}\n    $Part.reason = {}",
            skip.when,
            ps_quote(skip.status),
            ps_quote(skip.reason)
        );
        first_kw = "} elseif";
    }
    let _ = writeln!(
        s,
        "{first_kw} ($Part.missing_modules -contains {m}) {{\n    $Part.status = 'module_missing'\n    $Part.reason = {reason}\n}} else {{\n    try {{\n{body}\n        $Part.status = 'connected'\n    }} catch {{\n        $Part.status = 'connect_failed'\n        $Part.reason = $_.Exception.Message\n    }}\n}}",
        m = ps_quote(first),
        reason = ps_quote(&format!(
            "{first} is not installed (Install-Module {first} -Scope CurrentUser)"
        )),
        body = indent(part.connect_body, 8),
    );
    let _ = writeln!(
        s,
        "$Result.parts[{id}] = $Part\n& $SaveResult\n{label} + ': ' + $Part.status\n",
        id = ps_quote(part.id),
        label = ps_quote(part.name.split(" (").next().unwrap_or(part.name)),
    );
}

fn step(s: &mut String, read: &Read, part: &Part) {
    let target = read.target;
    let keys: Vec<&str> = read.keys.iter().map(|k| k.name).collect();
    let what = match target {
        Target::Layer(id) => {
            let title = layers::layer(id)
                .map(|l| l.title(Lang::En))
                .unwrap_or_default();
            format!("Layer {id} ({title})")
        }
        Target::Lookup(id) => format!("Lookup {id}"),
    };
    let _ = writeln!(s, "# {}", "-".repeat(94));
    let _ = writeln!(s, "# {what}");
    let _ = writeln!(
        s,
        "# Reads: {} -> {}",
        read.commands.join(", "),
        keys.join(", ")
    );
    let _ = writeln!(s, "# Role: {}", read.role);
    for d in read.docs {
        let _ = writeln!(s, "# {d}");
    }
    let _ = writeln!(
        s,
        "$Step = [ordered]@{{ status = 'not_read'; reason_code = $null; reason = $null; values = [ordered]@{{}} }}"
    );
    let mut checks: Vec<(String, &str, String)> = Vec::new();
    let no_guest = || {
        (
            "-not $Guest".to_string(),
            "no_guest",
            ps_quote("No guest address was given (-Guest)."),
        )
    };
    let no_team = || {
        (
            "-not $Team".to_string(),
            "no_team",
            ps_quote("No team was given (-Team)."),
        )
    };
    let team_not_found = || {
        (
            "-not $TeamGroup".to_string(),
            "team_not_found",
            "'No single group named ' + $Team + ' was found (use the group id if several have that name).'"
                .to_string(),
        )
    };
    match read.needs {
        Needs::Nothing => {}
        Needs::Guest => checks.push(no_guest()),
        Needs::Team => {
            checks.push(no_team());
            checks.push(team_not_found());
        }
        Needs::GuestAndTeam => {
            checks.push(no_guest());
            checks.push(no_team());
            checks.push((
                "-not $GuestUser".to_string(),
                "guest_not_found",
                "'The guest ' + $Guest + ' has no account in this organisation.'".to_string(),
            ));
            checks.push(team_not_found());
        }
        Needs::TeamLabel => {
            checks.push(no_team());
            checks.push(team_not_found());
            checks.push((
                "-not $TeamLabelId".to_string(),
                "not_needed",
                ps_quote("The team has no sensitivity label."),
            ));
        }
    }
    let part_ref = format!("$Result.parts[{}]", ps_quote(part.id));
    checks.push((
        format!("{part_ref}.status -ne 'connected'"),
        "",
        String::new(),
    ));
    if read.module != part.modules[0] {
        checks.push((
            format!(
                "{part_ref}.missing_modules -contains {}",
                ps_quote(read.module)
            ),
            "module_missing",
            ps_quote(&format!(
                "{m} is not installed (Install-Module {m} -Scope CurrentUser)",
                m = read.module
            )),
        ));
    }
    for (n, (cond, code, reason)) in checks.iter().enumerate() {
        let kw = if n == 0 { "if" } else { "} elseif" };
        let _ = writeln!(s, "{kw} ({cond}) {{");
        if code.is_empty() {
            // The part did not connect: its status and reason say why.
            let _ = writeln!(s, "    $Step.reason_code = {part_ref}.status");
            let _ = writeln!(s, "    $Step.reason = {part_ref}.reason");
        } else {
            let _ = writeln!(s, "    $Step.reason_code = {}", ps_quote(code));
            let _ = writeln!(s, "    $Step.reason = {reason}");
        }
    }
    let _ = writeln!(
        s,
        "}} else {{\n    try {{\n        $v = $Step['values']\n{body}\n        $Step.status = 'read'\n    }} catch {{\n        $Step.reason_code = 'command_failed'\n        $Step.reason = $_.Exception.Message\n    }}\n}}",
        body = indent(read.body, 8)
    );
    let _ = writeln!(
        s,
        "$Result.{}[{}] = $Step\n& $SaveResult\n",
        target.section(),
        ps_quote(target.id())
    );
}

fn ending(s: &mut String) {
    let _ = writeln!(s, "# {}", "=".repeat(94));
    s.push_str("$Result.finished_at = (Get-Date).ToUniversalTime().ToString('o')\n& $SaveResult\n");
    s.push_str("# Sign out of what this script signed in to.\n");
    for p in PARTS {
        let _ = writeln!(
            s,
            "if ($Result.parts[{}].status -eq 'connected') {{ try {{ $null = {} -ErrorAction Stop }} catch {{ }} }}",
            ps_quote(p.id),
            p.disconnect
        );
    }
    s.push_str(
        r#"''
'Done. The result is in:'
'    ' + $OutFile
'Open it in teamsfix (Admin steps > Tenant audit > Open audit result), or run:'
'    teamsfix-cli audit read "' + $OutFile + '"'
"#,
    );
}

fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_checked() {
        assert_eq!(
            check_guest(" jan@fabrikam.com ").unwrap(),
            "jan@fabrikam.com"
        );
        assert!(check_guest("o'brien@fabrikam.co.uk").is_ok());
        for bad in [
            "",
            "jan",
            "jan@",
            "@x.com",
            "jan@localhost",
            "a b@x.com",
            "a@b@x.com",
            "jan@x\n.com",
        ] {
            assert!(check_guest(bad).is_err(), "{bad:?}");
        }
        assert!(check_team("Project X").is_ok());
        assert!(check_team("  ").is_err());
        assert!(check_team("a\u{7}b").is_err());
        assert!(check_team(&"x".repeat(257)).is_err());
        // Invisible characters that would make the script read otherwise than it runs.
        for c in ['\u{202E}', '\u{2066}', '\u{200B}', '\u{2028}', '\u{FEFF}'] {
            assert!(check_team(&format!("Sales{c}Team")).is_err(), "{c:?}");
            assert!(
                check_guest(&format!("jan{c}@fabrikam.com")).is_err(),
                "{c:?}"
            );
        }
        assert!(check_team("Zeewïnd – Ωmega 日本").is_ok());
    }

    #[test]
    fn quoting_doubles_every_kind_of_single_quote() {
        assert_eq!(ps_quote("it's"), "'it''s'");
        assert_eq!(ps_quote("it\u{2019}s"), "'it\u{2019}\u{2019}s'");
        assert_eq!(ps_quote("$x `n"), "'$x `n'");
    }

    #[test]
    fn the_script_names_every_part_and_layer_and_is_saved_with_a_bom() {
        let script = generate(&ScriptOptions {
            guest: Some("jan@fabrikam.com".into()),
            team: Some("Project X".into()),
        });
        for p in PARTS {
            assert!(script.contains(p.name), "{}", p.id);
            assert!(script.contains(p.role), "{}", p.id);
        }
        for l in layers::checking_order() {
            let target = match reads::read_for_layer(l.id()).unwrap().target {
                Target::Layer(id) => format!("$Result.layers['{id}'] = $Step"),
                Target::Lookup(id) => format!("$Result.lookups['{id}'] = $Step"),
            };
            assert!(script.contains(&target), "{}", l.id());
            assert!(
                script.contains(&format!("[{}]", l.id())),
                "{} not in the header",
                l.id()
            );
        }
        assert!(script.contains("[string]$Guest = 'jan@fabrikam.com'"));
        // `.Values` on a hashtable is its value collection, not the entry named "values".
        assert!(!script.contains("$Step.values") && !script.contains("].values"));
        let bytes = file_bytes(&script);
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        assert!(bytes.windows(2).any(|w| w == b"\r\n"));
    }
}
