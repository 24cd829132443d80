#!/usr/bin/env bash
# Packs the Windows release: target/windows/teamsfix-<version>-windows-x64.zip with both exes,
# the quick-starts (NL, EN), the licence, the Intune scripts and SHA-256 sums.
# Run packaging/windows/build.sh first.
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
dist=target/windows/dist
for exe in teamsfix.exe teamsfix-cli.exe; do
  [ -f "$dist/$exe" ] || { echo "missing $dist/$exe: run packaging/windows/build.sh first" >&2; exit 1; }
done
command -v zip >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq zip >/dev/null; }
stage=$(mktemp -d)
name="teamsfix-$version-windows-x64"
mkdir -p "$stage/$name/intune"
cp "$dist/teamsfix.exe" "$dist/teamsfix-cli.exe" "$stage/$name/"
cp packaging/windows/QUICKSTART.en.txt packaging/windows/QUICKSTART.nl.txt "$stage/$name/"
cp LICENSE "$stage/$name/LICENSE.txt"
cp packaging/windows/intune/*.ps1 "$stage/$name/intune/"
# Windows line endings for the text files people open in Notepad.
for f in "$stage/$name"/*.txt "$stage/$name"/intune/*.ps1; do sed -i 's/\r\?$/\r/' "$f"; done
(cd "$stage/$name" && sha256sum teamsfix.exe teamsfix-cli.exe intune/*.ps1 > SHA256SUMS.txt)
out="$PWD/target/windows/$name.zip"
rm -f "$out"
(cd "$stage" && zip -q -r -9 "$out" "$name")
rm -rf "$stage"
unzip -l "$out"
echo "release: $out ($(stat -c %s "$out") bytes)"
