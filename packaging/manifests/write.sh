#!/usr/bin/env bash
# Writes the package manifests for a release zip:
#   OUT/winget/manifests/<p>/<Publisher>/<Name>/<version>/   winget manifest set (schema 1.12.0):
#       <id>.yaml (version), <id>.installer.yaml (zip holding the two portable exes),
#       <id>.locale.en-US.yaml (default locale), <id>.locale.nl-NL.yaml
#   OUT/scoop/teamsfix.json                                   Scoop manifest
# The tree under OUT/winget is laid out as in the winget-pkgs repository.
#
# Usage: packaging/manifests/write.sh ZIP OUT
# Environment:
#   TEAMSFIX_DOWNLOAD_BASE  where the zip is published; the manifests point at
#                           <base>/<version>/<zip name> (default: a placeholder under .invalid)
#   TEAMSFIX_HOMEPAGE       the project's page (default: a placeholder under .invalid)
#   TEAMSFIX_WINGET_ID      the winget package identifier (default: teamsfix.teamsfix)
#   SOURCE_DATE_EPOCH       the release date (default: today)
set -euo pipefail
[ $# -eq 2 ] || { sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
zip="$1"
out="$2"
[ -f "$zip" ] || { echo "write.sh: $zip not found" >&2; exit 2; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)
zip_name="$(basename "$zip")"
folder="${zip_name%.zip}"
# The zip holds one top folder named like the zip (make-release.sh).
case "$folder" in *"$version"*) ;; *) echo "write.sh: $zip_name does not carry version $version" >&2; exit 2 ;; esac
sha256=$(sha256sum "$zip" | cut -d' ' -f1)
placeholder=0
base="${TEAMSFIX_DOWNLOAD_BASE:-}"
[ -n "$base" ] || { base="https://downloads.teamsfix.invalid/releases"; placeholder=1; }
homepage="${TEAMSFIX_HOMEPAGE:-}"
[ -n "$homepage" ] || { homepage="https://teamsfix.invalid"; placeholder=1; }
url="${base%/}/$version/$zip_name"
id="${TEAMSFIX_WINGET_ID:-teamsfix.teamsfix}"
date=$(date -u ${SOURCE_DATE_EPOCH:+-d "@$SOURCE_DATE_EPOCH"} +%Y-%m-%d)
mv_="1.12.0"

publisher_dir="${id%%.*}"
name_dir="${id#*.}"
first="$(printf '%s' "${id:0:1}" | tr '[:upper:]' '[:lower:]')"
wdir="$out/winget/manifests/$first/$publisher_dir/${name_dir//.//}/$version"
rm -rf "$out/winget" "$out/scoop"
mkdir -p "$wdir" "$out/scoop"

cat >"$wdir/$id.yaml" <<EOF
# yaml-language-server: \$schema=https://aka.ms/winget-manifest.version.$mv_.schema.json
PackageIdentifier: $id
PackageVersion: "$version"
DefaultLocale: en-US
ManifestType: version
ManifestVersion: $mv_
EOF

cat >"$wdir/$id.installer.yaml" <<EOF
# yaml-language-server: \$schema=https://aka.ms/winget-manifest.installer.$mv_.schema.json
PackageIdentifier: $id
PackageVersion: "$version"
InstallerType: zip
NestedInstallerType: portable
NestedInstallerFiles:
  - RelativeFilePath: $folder\\teamsfix.exe
    PortableCommandAlias: teamsfix
  - RelativeFilePath: $folder\\teamsfix-cli.exe
    PortableCommandAlias: teamsfix-cli
Commands:
  - teamsfix
  - teamsfix-cli
MinimumOSVersion: 10.0.0.0
ReleaseDate: $date
Installers:
  - Architecture: x64
    InstallerUrl: $url
    InstallerSha256: ${sha256^^}
ManifestType: installer
ManifestVersion: $mv_
EOF

cat >"$wdir/$id.locale.en-US.yaml" <<EOF
# yaml-language-server: \$schema=https://aka.ms/winget-manifest.defaultLocale.$mv_.schema.json
PackageIdentifier: $id
PackageVersion: "$version"
PackageLocale: en-US
Publisher: teamsfix
PublisherUrl: $homepage
PackageName: teamsfix
PackageUrl: $homepage
License: MIT
ShortDescription: Repair assistant for Microsoft Teams guest-access problems
Description: |-
  teamsfix diagnoses Microsoft Teams guest-access errors ("We didn't find any matches",
  AADSTS50020) and repairs the local side: it quits Teams, clears its cache without losing the
  user's data (backgrounds, settings), archives the logs first and starts Teams again. It has a
  checklist in Dutch and English, the administrator's server-side steps, and a console tool
  (teamsfix-cli) for helpdesk scripts and Intune. Portable: no installation, no elevation.
Moniker: teamsfix
Tags:
  - microsoft-teams
  - teams
  - cache
  - repair
  - helpdesk
  - guest-access
ManifestType: defaultLocale
ManifestVersion: $mv_
EOF

cat >"$wdir/$id.locale.nl-NL.yaml" <<EOF
# yaml-language-server: \$schema=https://aka.ms/winget-manifest.locale.$mv_.schema.json
PackageIdentifier: $id
PackageVersion: "$version"
PackageLocale: nl-NL
Publisher: teamsfix
PackageName: teamsfix
License: MIT
ShortDescription: Hersteltool voor problemen met gasttoegang in Microsoft Teams
Description: |-
  teamsfix zoekt uit waarom gasttoegang in Microsoft Teams niet werkt ("We hebben geen
  overeenkomsten gevonden", AADSTS50020) en herstelt de kant van de pc: het sluit Teams af, wist
  de cache zonder de gegevens van de gebruiker te verliezen (achtergronden, instellingen),
  bewaart eerst de logboeken en start Teams opnieuw. Met een controlelijst in het Nederlands en
  Engels, de stappen voor de beheerder en een opdrachtregelprogramma (teamsfix-cli) voor
  helpdeskscripts en Intune. Draagbaar: geen installatie, geen beheerdersrechten.
ManifestType: locale
ManifestVersion: $mv_
EOF

cat >"$out/scoop/teamsfix.json" <<EOF
{
    "version": "$version",
    "description": "Repair assistant for Microsoft Teams guest-access problems: diagnose, quit Teams, clear its cache safely, report.",
    "homepage": "$homepage",
    "license": "MIT",
    "architecture": {
        "64bit": {
            "url": "$url",
            "hash": "$sha256"
        }
    },
    "extract_dir": "$folder",
    "bin": "teamsfix-cli.exe",
    "shortcuts": [
        [
            "teamsfix.exe",
            "teamsfix"
        ]
    ]
}
EOF

echo "manifests for $zip_name (sha256 $sha256):"
find "$out/winget" "$out/scoop" -type f | sort | sed 's/^/  /'
if [ "$placeholder" -eq 1 ]; then
  echo "note: the manifests point at placeholder addresses (.invalid): set TEAMSFIX_DOWNLOAD_BASE and TEAMSFIX_HOMEPAGE before publishing them"
fi
