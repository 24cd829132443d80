#!/usr/bin/env bash
# Tests build.sh's toolchain check against a Debian toolchain older than `rust-version`, without
# touching the machine's own: a fake rustc (a script printing an old version) is pointed at with
# TEAMSFIX_DEBIAN_RUSTC, and for root a fake apt-get on PATH records what it was asked to do.
#   1. the real toolchain passes;
#   2. not root + old rustc: one line on stderr naming both versions and the command to run, exit 1;
#   3. root + old rustc: apt-get update first, then the three packages; the newer version is found;
#   4. root + old rustc that the update cannot fix: one line saying so, exit 1.
# Prints PASS/FAIL per check and `N passed, M failed`. Run as root (case 2 runs as `nobody`).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
# A copy of build.sh and Cargo.toml in a world-readable folder: `nobody` may not reach the
# checkout (a parent folder such as /root is closed to other users).
mkdir -p "$work/repo/packaging/windows"
cp "$root/packaging/windows/build.sh" "$work/repo/packaging/windows/build.sh"
cp "$root/Cargo.toml" "$work/repo/Cargo.toml"
chmod -R a+rX "$work/repo"
build="$work/repo/packaging/windows/build.sh"
passed=0
failed=0
check() { # DESCRIPTION CONDITION...
  local what="$1"; shift
  if "$@"; then echo "PASS $what"; passed=$((passed + 1)); else echo "FAIL $what"; failed=$((failed + 1)); fi
}
need="$(sed -n 's/^rust-version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)"

# A rustc that says 1.85.0 until the fake apt-get "upgrades" it (a marker file), then 1.99.0.
mkdir -p "$work/bin"
cat >"$work/rustc" <<EOF
#!/bin/sh
if [ -f "$work/upgraded" ]; then echo "rustc 1.99.0 (fake 2026-01-01)"; else echo "rustc 1.85.0 (fake 2025-01-01)"; fi
EOF
cat >"$work/bin/apt-get" <<EOF
#!/bin/sh
echo "apt-get \$*" >>"$work/apt.log"
case " \$* " in *" install "*) [ -n "\${FAKE_APT_UPGRADES:-}" ] && touch "$work/upgraded" ;; esac
exit 0
EOF
chmod 755 "$work/rustc" "$work/bin/apt-get"

# 1. The machine's real Debian toolchain.
rc=0; "$build" --check-toolchain >"$work/1.out" 2>&1 || rc=$?
check "the installed toolchain passes ($(tail -n 1 "$work/1.out"))" test "$rc" -eq 0

# 2. Not root: one line with both versions and what to run.
rc=0
runuser -u nobody -- env TEAMSFIX_DEBIAN_RUSTC="$work/rustc" "$build" --check-toolchain \
  >"$work/2.out" 2>"$work/2.err" || rc=$?
check "not root, rustc 1.85.0: exit 1 (got $rc)" test "$rc" -eq 1
check "not root: exactly one line on stderr ($(wc -l <"$work/2.err"))" test "$(wc -l <"$work/2.err")" -eq 1
check "not root: it names 1.85.0, $need and 'apt-get update && apt-get install -y rustc-web cargo-web rust-web-src'" \
  grep -q "1.85.0.*$need.*apt-get update && apt-get install -y rustc-web cargo-web rust-web-src" "$work/2.err"
check "not root: no cargo output (no 'requires rustc' wall)" bash -c "! grep -q 'requires rustc' '$work/2.err' '$work/2.out'"
sed 's/^/    /' "$work/2.err"

# 3. Root: package lists first, then the packages; the new version is picked up.
rm -f "$work/apt.log" "$work/upgraded"
rc=0
env PATH="$work/bin:$PATH" FAKE_APT_UPGRADES=1 TEAMSFIX_DEBIAN_RUSTC="$work/rustc" "$build" --check-toolchain \
  >"$work/3.out" 2>"$work/3.err" || rc=$?
check "root, rustc 1.85.0, update available: exit 0 (got $rc)" test "$rc" -eq 0
check "root: apt-get update ran first" bash -c "head -n 1 '$work/apt.log' | grep -q '^apt-get update'"
check "root: then apt-get install of rustc-web cargo-web rust-web-src" \
  bash -c "sed -n 2p '$work/apt.log' | grep -q 'install.*rustc-web cargo-web rust-web-src'"
check "root: says the toolchain is now 1.96 or newer" grep -q "now 1.96.0\|now 1.99.0" "$work/3.err"
sed 's/^/    /' "$work/apt.log" "$work/3.err"

# 4. Root, but the update brings nothing newer.
rm -f "$work/apt.log" "$work/upgraded"
rc=0
env PATH="$work/bin:$PATH" TEAMSFIX_DEBIAN_RUSTC="$work/rustc" "$build" --check-toolchain \
  >"$work/4.out" 2>"$work/4.err" || rc=$?
check "root, no newer toolchain in Debian: exit 1 (got $rc)" test "$rc" -eq 1
check "root, no newer toolchain: says it is still older than $need" grep -q "still older than $need" "$work/4.err"
sed 's/^/    /' "$work/4.err"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
