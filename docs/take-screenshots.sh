#!/usr/bin/env bash
# Screenshots of every tab in both languages for the README, taken with the real window under
# Xvfb, on a fake home holding a teams-for-linux data root (nothing of the real home is read).
# Also every tab in Dutch at 200 % display scale (winit's X11 scale factor, as on a 4K screen
# at 200 %): docs/screenshots/<tab>-nl-200.png, 2000 x 1440 pixels. And the Admin tab with an
# audit result open, in both languages: docs/screenshots/admin-audit-<lang>.png.
# Usage: docs/take-screenshots.sh [path/to/teamsfix]   (default: target/release/teamsfix)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-target/release/teamsfix}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Run as root (CI), the app would show its "running as administrator" banner and refuse a fake
# home that root does not own: take the pictures as nobody, in a work folder nobody owns.
as_user=()
if [ "$(id -u)" = 0 ]; then
  chmod 755 "$work"
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
home="$work/home"; root="$home/.config/teams-for-linux"
mkdir -p "$root/Cache/Cache_Data" "$root/GPUCache" "$root/IndexedDB/https_teams.microsoft.com_0.indexeddb.leveldb" \
  "$root/logs" "$root/Local Storage/leveldb"
head -c 48000000 /dev/zero > "$root/Cache/Cache_Data/data_1"
head -c 3100000 /dev/zero > "$root/GPUCache/data_0"
head -c 900000 /dev/zero > "$root/IndexedDB/https_teams.microsoft.com_0.indexeddb.leveldb/000003.log"
head -c 120000 /dev/zero > "$root/Local Storage/leveldb/000005.ldb"
echo '{"spellCheckerLanguages":["nl-NL"]}' > "$root/config.json"
head -c 250000 /dev/zero > "$root/logs/main.log"
mkdir -p docs/screenshots "$work/shots"
[ ${#as_user[@]} -eq 0 ] || chown -R 65534:65534 "$work"
for lang in en nl; do
  for tab in checklist repair admin report; do
    HOME=$home TEAMSFIX_DATA_DIR="$work/data" XDG_RUNTIME_DIR=$work xvfb-run -a -s "-ac -screen 0 1280x800x24" \
      "${as_user[@]}" "$bin" --screenshot "$work/shots/$tab-$lang.png" --tab "$tab" --lang "$lang"
  done
done
for tab in checklist repair admin report; do
  HOME=$home TEAMSFIX_DATA_DIR="$work/data" XDG_RUNTIME_DIR=$work WINIT_X11_SCALE_FACTOR=2 \
    xvfb-run -a -s "-ac -screen 0 2200x1600x24" \
    "${as_user[@]}" "$bin" --screenshot "$work/shots/$tab-nl-200.png" --tab "$tab" --lang nl
done
# The Admin tab with an audit result open (two layers block; the first is named at the top).
cp tests/fixtures/audit/two-blockers.json "$work/two-blockers.json"
[ ${#as_user[@]} -eq 0 ] || chown 65534:65534 "$work/two-blockers.json"
for lang in en nl; do
  HOME=$home TEAMSFIX_DATA_DIR="$work/data" XDG_RUNTIME_DIR=$work TEAMSFIX_AUDIT_RESULT="$work/two-blockers.json" \
    xvfb-run -a -s "-ac -screen 0 1280x800x24" \
    "${as_user[@]}" "$bin" --screenshot "$work/shots/admin-audit-$lang.png" --tab admin --lang "$lang"
done
cp "$work"/shots/*.png docs/screenshots/
ls -la docs/screenshots
