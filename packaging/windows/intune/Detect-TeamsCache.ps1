<#
.SYNOPSIS
  Intune Remediations detection script for teamsfix.
.DESCRIPTION
  Asks teamsfix-cli.exe whether the signed-in user's Teams cache needs a clear, with the same
  rule the remediation and the Linux and macOS timers use: a client's temporary cache is larger
  than ThresholdMB (clear-cache --if-over, as a dry run: nothing is changed or quit here).
  Intune runs the remediation script only when this script exits 1.
    exit 0  compliant: no Teams cache above the threshold, or Teams is in use and
            -SkipWhileRunning is set (the next scheduled run tries again)
    exit 1  remediation needed
  Configure the script to run in the signed-in user's context: the cache is in the user's
  AppData. Output is one line of JSON (Intune keeps the first 2,048 characters).
.PARAMETER TeamsfixExe
  Where teamsfix-cli.exe was deployed (for example as a Win32 app).
.PARAMETER ThresholdMB
  Remediate when a client's temporary cache is larger than this (1 MB = 1,000,000 bytes).
  0 = any temporary cache. Use the same value in the remediation script.
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
$json = & $TeamsfixExe --lang en clear-cache --if-over $ThresholdMB --dry-run --json | Out-String
# Exit 2 still lists every client: one data root is refused (a link, say), the others count.
if ($LASTEXITCODE -ne 0 -and $LASTEXITCODE -ne 2) {
    Write-Output "{`"result`":`"check failed`",`"exit_code`":$LASTEXITCODE}"
    exit 0
}
$check = $json | ConvertFrom-Json
# Over the threshold: the data roots the dry run would clear (the others are below_threshold).
$needs = @($check.clients | Where-Object { $_.result -eq 'dry_run' } |
    ForEach-Object { "$($_.id):$($_.regenerable_bytes)" })
if ($check.nothing_to_do -or $needs.Count -eq 0) {
    Write-Output "{`"result`":`"compliant`",`"clients`":$(@($check.clients).Count)}"
    exit 0
}
if ($SkipWhileRunning) {
    $status = & $TeamsfixExe --lang en status --json | Out-String | ConvertFrom-Json
    $running = @($status.clients | Where-Object { @($_.running).Count -gt 0 })
    if ($running.Count -gt 0) {
        Write-Output "{`"result`":`"teams in use, try later`",`"over_threshold`":`"$($needs -join ',')`"}"
        exit 0
    }
}
Write-Output "{`"result`":`"remediate`",`"over_threshold`":`"$($needs -join ',')`"}"
exit 1
