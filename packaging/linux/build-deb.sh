#!/usr/bin/env bash
# Builds target/debian/teamsfix_<version>_amd64.deb with cargo-deb: both binaries, the .desktop
# entry and the icon. Installs cargo-deb from crates.io when it is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! cargo deb --version >/dev/null 2>&1; then
  cargo install --quiet --locked cargo-deb
fi
cargo deb --quiet
deb=$(ls -t target/debian/teamsfix_*.deb | head -n 1)
dpkg-deb --info "$deb" | sed -n '1,12p'
dpkg-deb --contents "$deb"
echo "built $deb ($(stat -c %s "$deb") bytes)"
