#!/usr/bin/env bash
# Screenshots of the helpdesk parts for the README (Report tab: the support bundle saved; Repair
# tab: the backup offered before a full reset, "Undo the last reset" and its result), in English
# and Dutch. The real window under Xvfb on a fake home; xdotool clicks where the buttons are in
# the default 1000x880 window (move the coordinates below if the layout changes).
# Usage: docs/helpdesk-screenshots.sh [path/to/teamsfix] [path/to/teamsfix-cli]
set -euo pipefail
cd "$(dirname "$0")/.."
app=$(realpath "${1:-target/release/teamsfix}")
cli=$(realpath "${2:-target/release/teamsfix-cli}")
out=$(pwd)/docs/screenshots
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
home="$work/home"; root="$home/.config/teams-for-linux"
mkdir -p "$root/Cache/Cache_Data" "$root/IndexedDB/https_teams.microsoft.com_0.indexeddb.leveldb" \
  "$root/logs" "$root/Local Storage/leveldb" "$home/Downloads"
head -c 48000000 /dev/zero > "$root/Cache/Cache_Data/data_1"
head -c 900000 /dev/urandom > "$root/IndexedDB/https_teams.microsoft.com_0.indexeddb.leveldb/000003.log"
head -c 120000 /dev/urandom > "$root/Local Storage/leveldb/000005.ldb"
echo '{"spellCheckerLanguages":["nl-NL"]}' > "$root/config.json"
seq 1 20000 > "$root/logs/main.log"
head -c 2000000 /dev/urandom > "$home/Downloads/PROD-WebLogs-2026-11-24.zip"
export HOME=$home TEAMSFIX_DATA_DIR=$work/data XDG_RUNTIME_DIR=$work
# A full reset with its backup, so the Repair tab offers the undo.
"$cli" --lang en clear-cache --mode full --yes >/dev/null
cp -a "$home" "$work/home.reset"; cp -a "$work/data" "$work/data.reset"
back_to_reset() { rm -rf "$home" "$work/data"; cp -a "$work/home.reset" "$home"; cp -a "$work/data.reset" "$work/data"; }

# shot LANG TAB FILE [X Y]...: start the app, click at each X Y in turn, save the window.
shot() {
  local lang=$1 tab=$2 file=$3; shift 3
  Xvfb :57 -screen 0 1280x900x24 >/dev/null 2>&1 & local xvfb=$!
  sleep 2
  DISPLAY=:57 "$app" --tab "$tab" --lang "$lang" >/dev/null 2>&1 & local pid=$!
  sleep 8
  local wid; wid=$(DISPLAY=:57 xdotool search --name teamsfix | head -1)
  DISPLAY=:57 xdotool windowsize "$wid" 1000 880; sleep 2
  while [ $# -ge 2 ]; do
    DISPLAY=:57 xdotool mousemove --window "$wid" "$1" "$2" click 1; sleep 8; shift 2
  done
  DISPLAY=:57 import -window "$wid" "$out/$file"
  kill "$pid"; sleep 1; kill "$xvfb"; wait 2>/dev/null || true
}
shot en report helpdesk-bundle-en.png 99 324
shot nl report helpdesk-bundle-nl.png 120 324
shot en repair helpdesk-undo-confirm-en.png 577 636
shot en repair helpdesk-undo-done-en.png 577 636 562 707
back_to_reset
shot nl repair helpdesk-undo-done-nl.png 617 653 596 724
shot en repair helpdesk-full-reset-backup-en.png 511 432 605 525
ls -la "$out"/helpdesk-*.png
