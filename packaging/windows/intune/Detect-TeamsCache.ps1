<#
.SYNOPSIS
  Intune Remediations detection script for teamsfix.
.DESCRIPTION
  Runs teamsfix-cli.exe status and decides whether the signed-in user's Teams cache needs a
  clear. Intune runs the remediation script only when this script exits 1.
    exit 0  compliant: no Teams cache above the threshold, or Teams is in use and
            -SkipWhileRunning is set (the next scheduled run tries again)
    exit 1  remediation needed
  Configure the script to run in the signed-in user's context: the cache is in the user's
  AppData. Output is one line of JSON (Intune keeps the first 2,048 characters).
.PARAMETER TeamsfixExe
  Where teamsfix-cli.exe was deployed (for example as a Win32 app).
.PARAMETER ThresholdMB
  Remediate when a client's temporary cache is larger than this. 0 = any temporary cache.
#>
param(
    [string]$TeamsfixExe = "$env:ProgramData\teamsfix\teamsfix-cli.exe",
    [int]$ThresholdMB = 500,
    [bool]$SkipWhileRunning = $true
)
$ErrorActionPreference = 'Stop'
if (-not (Test-Path -LiteralPath $TeamsfixExe)) {
    Write-Output "{`"result`":`"teamsfix-cli.exe not found`",`"path`":`"$($TeamsfixExe -replace '\\','\\')`"}"
    exit 0
}
$json = & $TeamsfixExe --lang en status --json | Out-String
if ($LASTEXITCODE -ne 0) {
    Write-Output "{`"result`":`"status failed`",`"exit_code`":$LASTEXITCODE}"
    exit 0
}
$status = $json | ConvertFrom-Json
$threshold = [int64]$ThresholdMB * 1000 * 1000
$needs = @()
$running = $false
foreach ($c in $status.clients) {
    if ($c.running.Count -gt 0) { $running = $true }
    if ($null -ne $c.refused) { continue }
    $bytes = [int64]$c.classes.regenerable.bytes
    if ($bytes -gt $threshold) { $needs += "$($c.id):$bytes" }
}
if ($needs.Count -eq 0) {
    Write-Output "{`"result`":`"compliant`",`"clients`":$($status.clients.Count)}"
    exit 0
}
if ($running -and $SkipWhileRunning) {
    Write-Output "{`"result`":`"teams in use, try later`",`"over_threshold`":`"$($needs -join ',')`"}"
    exit 0
}
Write-Output "{`"result`":`"remediate`",`"over_threshold`":`"$($needs -join ',')`"}"
exit 1
