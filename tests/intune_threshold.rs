//! The Intune scripts apply the same rule as `clear-cache --if-over`: both are valid PowerShell
//! (tree-sitter-powershell) and hand their threshold to teamsfix-cli instead of measuring the
//! cache themselves.

#[path = "support/powershell.rs"]
mod powershell;

fn script(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("packaging/windows/intune")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn detection_asks_teamsfix_the_if_over_rule_as_a_dry_run() {
    let s = script("Detect-TeamsCache.ps1");
    let commands = powershell::commands(&s).unwrap();
    assert!(
        commands.iter().any(|c| c == "ConvertFrom-Json"),
        "{commands:?}"
    );
    assert!(
        s.contains("clear-cache --if-over $ThresholdMB --dry-run --json"),
        "the detection must use teamsfix-cli's rule, as a dry run"
    );
    assert!(s.contains("$check.nothing_to_do"));
    // The script no longer compares sizes itself.
    assert!(!s.contains("regenerable.bytes -gt"));
}

#[test]
fn remediation_clears_only_what_is_over_the_same_threshold() {
    let s = script("Remediate-TeamsCache.ps1");
    powershell::parse(&s).unwrap();
    assert!(s.contains("'--if-over', $ThresholdMB"), "{s}");
    assert!(s.contains("[int]$ThresholdMB = 500"));
    assert!(script("Detect-TeamsCache.ps1").contains("[int]$ThresholdMB = 500"));
}
