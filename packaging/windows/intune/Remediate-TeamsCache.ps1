<#
.SYNOPSIS
  Intune Remediations remediation script for teamsfix.
.DESCRIPTION
  Quits Teams for the signed-in user, clears its temporary cache (safe mode: the user stays
  signed in; backgrounds and settings are kept; logs are archived first) and starts it again.
  Only clients whose temporary cache is over ThresholdMB are quit and cleared (the detection
  script's rule, clear-cache --if-over); use the same value in both scripts.
  Exit codes for Intune:
    exit 0  remediated (teamsfix-cli exit 0)
    exit 1  not remediated: Teams could not be quit (3), some files could not be removed (4),
            refused (2), another teamsfix of the user was at work (5: the user's own run; Intune
            tries again at its next run), or teamsfix-cli.exe is missing
  Output is one line: the teamsfix-cli exit code and a summary (Intune keeps 2,048 characters).
#>
param(
    [string]$TeamsfixExe = "$env:ProgramData\teamsfix\teamsfix-cli.exe",
    [ValidateSet('safe', 'full')][string]$Mode = 'safe',
    [int]$ThresholdMB = 500,
    [bool]$Restart = $true
)
$ErrorActionPreference = 'Stop'
if (-not (Test-Path -LiteralPath $TeamsfixExe)) {
    Write-Output "teamsfix-cli.exe not found at $TeamsfixExe"
    exit 1
}
$arguments = @('--lang', 'en', 'clear-cache', '--mode', $Mode, '--if-over', $ThresholdMB, '--yes', '--json')
if ($Restart) { $arguments += '--restart' }
$json = & $TeamsfixExe @arguments | Out-String
$code = $LASTEXITCODE
$summary = ''
try {
    $result = $json | ConvertFrom-Json
    $summary = ($result.clients | ForEach-Object {
        $removed = 0
        if ($_.removed) { $_.removed.PSObject.Properties | ForEach-Object { $removed += [int64]$_.Value.files } }
        "$($_.id)=$($_.result),removed=$removed,failures=$(@($_.failures).Count)"
    }) -join '; '
} catch {
    $summary = 'no JSON output'
}
Write-Output "teamsfix exit $code; $summary"
if ($code -eq 0) { exit 0 } else { exit 1 }
