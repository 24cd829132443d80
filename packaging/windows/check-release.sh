#!/usr/bin/env bash
# Checks a built release the way a receiving IT department would, independently of the build:
#   - SHA256SUMS.txt inside the zip matches its files;
#   - both exes carry an Authenticode signature that osslsigncode verifies (against CAFILE, or
#     the system's CA bundle), and a copy with one byte changed does NOT verify;
#   - the winget manifest set and the Scoop manifest are valid against their published schemas
#     and match the zip (hash, file names); and the validator rejects broken copies of them
#     (a wrong hash, a missing required field, a misspelt value, an unknown field, versions that
#     disagree), so a validator that accepts everything would fail here.
#
# Usage: packaging/windows/check-release.sh [--cafile PEM] [ZIP [MANIFESTS]]
#   ZIP        default target/windows/teamsfix-<version>-windows-x64.zip
#   MANIFESTS  default target/windows/manifests (written by make-release.sh)
# Prints PASS/FAIL per check and `N passed, M failed`; exit 1 when a check failed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cafile=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --cafile) cafile="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)
zip="${args[0]:-$root/target/windows/teamsfix-$version-windows-x64.zip}"
manifests="${args[1]:-$root/target/windows/manifests}"
[ -f "$zip" ] || { echo "check-release.sh: $zip not found (run packaging/windows/make-release.sh)" >&2; exit 2; }
for tool in osslsigncode unzip sha256sum; do
  command -v "$tool" >/dev/null || { echo "check-release.sh: $tool not found (apt-get install -y osslsigncode unzip)" >&2; exit 2; }
done
python=/usr/bin/python3
[ -x "$python" ] || python=python3

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
pass() { echo "PASS $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

unzip -q "$zip" -d "$work/zip"
top="$(basename "$zip" .zip)"
dir="$work/zip/$top"
if (cd "$dir" && sha256sum --quiet -c SHA256SUMS.txt); then
  pass "SHA256SUMS.txt matches the files in $(basename "$zip")"
else
  fail "SHA256SUMS.txt matches the files in $(basename "$zip")"
fi

verify=(osslsigncode verify)
[ -n "$cafile" ] && verify+=(-CAfile "$cafile")
for exe in teamsfix.exe teamsfix-cli.exe; do
  if "${verify[@]}" -in "$dir/$exe" >"$work/$exe.verify" 2>&1; then
    pass "$exe: Authenticode signature verified ($(grep -m1 'Subject:' "$work/$exe.verify" | sed 's/^[[:space:]]*//'))"
  else
    fail "$exe: Authenticode signature verified" && tail -n 5 "$work/$exe.verify" | sed 's/^/    /'
  fi
done
# One byte changed in the middle of the code: the signature must no longer verify.
cp "$dir/teamsfix-cli.exe" "$work/tampered.exe"
size=$(stat -c %s "$work/tampered.exe")
offset=$((size / 3))
byte=$(od -An -tu1 -j "$offset" -N1 "$work/tampered.exe" | tr -d ' ')
printf "$(printf '\\%03o' $(( (byte + 1) % 256 )))" | dd of="$work/tampered.exe" bs=1 seek="$offset" conv=notrunc status=none
if cmp -s "$dir/teamsfix-cli.exe" "$work/tampered.exe"; then
  fail "tampered copy differs from the original"
elif "${verify[@]}" -in "$work/tampered.exe" >"$work/tampered.verify" 2>&1; then
  fail "a copy of teamsfix-cli.exe with byte $offset changed fails verification (it verified)"
else
  pass "a copy of teamsfix-cli.exe with byte $offset changed fails verification ($(grep -c MISMATCH "$work/tampered.verify") digest mismatch)"
fi

winget_dir="$(find "$manifests/winget" -mindepth 5 -maxdepth 5 -type d -name "$version" | head -n 1)"
scoop="$manifests/scoop/teamsfix.json"
validate() { "$python" "$root/packaging/manifests/validate.py" --winget "$1" --scoop "$2" --zip "$zip"; }
if [ -n "$winget_dir" ] && validate "$winget_dir" "$scoop" >"$work/valid.log" 2>&1; then
  pass "$(tail -n 1 "$work/valid.log")"
else
  fail "manifests valid against their schemas and the zip" && sed 's/^/    /' "$work/valid.log" 2>/dev/null
fi

# Broken copies must be rejected: name, then an edit of the winget set or the Scoop manifest.
broken() { # DESCRIPTION FILE-GLOB SED-EXPRESSION
  local b="$work/broken" ; rm -rf "$b"; mkdir -p "$b/w/$version"
  cp "$winget_dir"/*.yaml "$b/w/$version/"; cp "$scoop" "$b/scoop.json"
  local f; for f in "$b"/w/"$version"/$2 "$b"/$2; do [ -f "$f" ] && sed -i "$3" "$f"; done
  # An edit that changed nothing would test nothing.
  if diff -rq "$winget_dir" "$b/w/$version" >/dev/null && cmp -s "$scoop" "$b/scoop.json"; then
    fail "validator rejects $1 (the broken copy is the same as the original)"
    return
  fi
  if validate "$b/w/$version" "$b/scoop.json" >"$work/broken.log" 2>&1; then
    fail "validator rejects $1 (it accepted it)"
  else
    pass "validator rejects $1: $(grep -m1 INVALID "$work/broken.log" | cut -c1-150)"
  fi
}
if [ -n "$winget_dir" ]; then
  id="$(basename "$(ls "$winget_dir"/*.installer.yaml | head -n 1)" .installer.yaml)"
  broken "a wrong InstallerSha256" "*.installer.yaml" \
    's/\(InstallerSha256: \)0/\1#/;s/\(InstallerSha256: \)[0-9A-Fa-f]/\10/;s/\(InstallerSha256: \)#/\11/'
  broken "an installer without InstallerUrl" "*.installer.yaml" '/InstallerUrl:/d'
  broken "a misspelt NestedInstallerType" "*.installer.yaml" 's/NestedInstallerType: portable/NestedInstallerType: portabel/'
  broken "a default locale without ShortDescription" "*.locale.en-US.yaml" '/^ShortDescription:/d'
  broken "a version manifest with another PackageVersion" "$id.yaml" 's/^PackageVersion: .*/PackageVersion: "9.9.9"/'
  broken "a Scoop manifest with a wrong hash" "scoop.json" \
    's/"hash": "0/"hash": "#/;s/"hash": "[0-9A-Fa-f]/"hash": "0/;s/"hash": "#/"hash": "1/'
  broken "a Scoop manifest without a licence" "scoop.json" '/"license"/d'
  broken "a Scoop manifest with an unknown field" "scoop.json" 's/"version":/"versoin": "x", "version":/'
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
