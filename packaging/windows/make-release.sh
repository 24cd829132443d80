#!/usr/bin/env bash
# Packs the Windows release into target/windows/:
#   teamsfix-<version>-windows-x64.zip  both exes (Authenticode-signed when a certificate is
#                                       configured), the quick-starts (NL, EN), the licence, the
#                                       Intune scripts and SHA256SUMS.txt
#   manifests/winget/...                the winget manifest set for that zip (portable exes)
#   manifests/scoop/teamsfix.json       the Scoop manifest for that zip
# Run packaging/windows/build.sh first.
#
# Environment:
#   TEAMSFIX_SIGN_PKCS12, TEAMSFIX_SIGN_PASSWORD[_FILE], TEAMSFIX_SIGN_TIMESTAMP_URL,
#   TEAMSFIX_SIGN_CAFILE      sign the exes (see packaging/windows/sign.sh); without a
#                             certificate the exes are packed unsigned, and this says so
#   TEAMSFIX_REQUIRE_SIGNATURE=1  stop instead of packing unsigned exes (official releases)
#   TEAMSFIX_DOWNLOAD_BASE, TEAMSFIX_HOMEPAGE, TEAMSFIX_WINGET_ID
#                             where the manifests point (see packaging/manifests/write.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
dist=target/windows/dist
for exe in teamsfix.exe teamsfix-cli.exe; do
  [ -f "$dist/$exe" ] || { echo "missing $dist/$exe: run packaging/windows/build.sh first" >&2; exit 1; }
done
command -v zip >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq zip >/dev/null; }
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
name="teamsfix-$version-windows-x64"
mkdir -p "$stage/$name/intune"
cp "$dist/teamsfix.exe" "$dist/teamsfix-cli.exe" "$stage/$name/"

# Sign the copies that go into the zip (target/windows/dist keeps the build's own exes).
if [ -n "${TEAMSFIX_SIGN_PKCS12:-}" ]; then
  packaging/windows/sign.sh "$stage/$name/teamsfix.exe" "$stage/$name/teamsfix-cli.exe"
  signed=1
elif [ "${TEAMSFIX_REQUIRE_SIGNATURE:-0}" = 1 ]; then
  echo "make-release.sh: TEAMSFIX_REQUIRE_SIGNATURE=1 but no certificate is configured (TEAMSFIX_SIGN_PKCS12)" >&2
  exit 1
else
  signed=0
fi

cp packaging/windows/QUICKSTART.en.txt packaging/windows/QUICKSTART.nl.txt "$stage/$name/"
cp LICENSE "$stage/$name/LICENSE.txt"
cp packaging/windows/intune/*.ps1 "$stage/$name/intune/"
# Windows line endings for the text files people open in Notepad.
for f in "$stage/$name"/*.txt "$stage/$name"/intune/*.ps1; do sed -i 's/\r\?$/\r/' "$f"; done
(cd "$stage/$name" && sha256sum teamsfix.exe teamsfix-cli.exe intune/*.ps1 > SHA256SUMS.txt)
out="$PWD/target/windows/$name.zip"
rm -f "$out"
(cd "$stage" && zip -q -r -9 "$out" "$name")
unzip -l "$out"
echo "release: $out ($(stat -c %s "$out") bytes)"

packaging/manifests/write.sh "$out" target/windows/manifests

if [ "$signed" = 1 ]; then
  echo "signed: teamsfix.exe and teamsfix-cli.exe carry an Authenticode signature${TEAMSFIX_SIGN_TIMESTAMP_URL:+ with a time stamp}"
else
  echo "NOT SIGNED: no code-signing certificate configured (TEAMSFIX_SIGN_PKCS12 and TEAMSFIX_SIGN_PASSWORD)."
  echo "  SmartScreen warns about unsigned downloads, and AppLocker/WDAC publisher rules cannot allow them."
  echo "  See 'Signing' in README.md."
fi
