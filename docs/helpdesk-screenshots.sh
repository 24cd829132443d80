#!/usr/bin/env bash
# Screenshots of the helpdesk parts for the README (Report tab: the support bundle saved; Repair
# tab: the backup offered before a full reset, "Undo the last reset", its confirmation and its
# result), in English and Dutch. The real window under Xvfb on a fake home, driven with the
# keyboard only, the way a person without a mouse would: Ctrl+2 / Ctrl+4 put the focus on the
# tab, Tab moves through its controls in reading order, Enter and Space press. That does not
# depend on the window's size, the text size or the length of the texts (the coordinates the
# script clicked before did). Every step that changes something is checked on disk (the zip is
# there, the sign-in data is back), so a changed layout makes the script fail, never take a
# wrong picture.
# Usage: docs/helpdesk-screenshots.sh [path/to/teamsfix] [path/to/teamsfix-cli]
set -euo pipefail
cd "$(dirname "$0")/.."
app=$(realpath "${1:-target/release/teamsfix}")
cli=$(realpath "${2:-target/release/teamsfix-cli}")
out=$(pwd)/docs/screenshots
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Run as root (CI), the app would show its "running as administrator" banner and refuse a fake
# home that root does not own: work as nobody, in a work folder nobody owns.
as_user=()
if [ "$(id -u)" = 0 ]; then
  chmod 755 "$work"
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
cp "$app" "$work/teamsfix"; cp "$cli" "$work/teamsfix-cli"
home="$work/home"; root="$home/.config/teams-for-linux"
session="$root/IndexedDB/https_teams.microsoft.com_0.indexeddb.leveldb/000003.log"
mkdir -p "$root/Cache/Cache_Data" "$(dirname "$session")" "$root/logs" "$root/Local Storage/leveldb" \
  "$home/Downloads" "$work/data"
head -c 48000000 /dev/zero > "$root/Cache/Cache_Data/data_1"
head -c 900000 /dev/urandom > "$session"
head -c 120000 /dev/urandom > "$root/Local Storage/leveldb/000005.ldb"
echo '{"spellCheckerLanguages":["nl-NL"]}' > "$root/config.json"
seq 1 20000 > "$root/logs/main.log"
head -c 2000000 /dev/urandom > "$home/Downloads/PROD-WebLogs-2026-11-24.zip"
[ ${#as_user[@]} -eq 0 ] || chown -R 65534:65534 "$work"
export HOME=$home TEAMSFIX_DATA_DIR=$work/data XDG_RUNTIME_DIR=$work
run() { "${as_user[@]}" "$@"; }
cp -a "$home" "$work/home.fresh"; cp -a "$work/data" "$work/data.fresh"
# A full reset with its backup, so the Repair tab offers the undo.
run "$work/teamsfix-cli" --lang en clear-cache --mode full --yes >/dev/null
[ ! -e "$session" ] || { echo "the full reset did not remove the sign-in" >&2; exit 1; }
cp -a "$home" "$work/home.reset"; cp -a "$work/data" "$work/data.reset"
restore_state() { # restore_state fresh|reset
  rm -rf "$home" "$work/data"; cp -a "$work/home.$1" "$home"; cp -a "$work/data.$1" "$work/data"
}

# A new X server for each picture: a second window in the same server is not always redrawn
# after it is resized (no window manager), and the picture would show the one before.
export DISPLAY=:57
pid=; wid=; xvfb=
trap 'kill $pid $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
start() { # start LANG: the app in a 1000x880 window, focused
  Xvfb $DISPLAY -ac -screen 0 1280x900x24 >/dev/null 2>&1 & xvfb=$!
  sleep 2
  run "$work/teamsfix" --lang "$1" >/dev/null 2>&1 & pid=$!
  wid=
  for _ in $(seq 60); do
    wid=$(xdotool search --onlyvisible --name teamsfix 2>/dev/null | head -1) && [ -n "$wid" ] && break
    sleep 0.5
  done
  [ -n "$wid" ] || { echo "the window did not open" >&2; exit 1; }
  xdotool windowsize "$wid" 1000 880
  sleep 6 # the first scan
  xdotool windowfocus "$wid"
}
keys() { for k in "$@"; do xdotool key "$k"; sleep 0.4; done; }
tabs() { for _ in $(seq "$1"); do xdotool key Tab; sleep 0.25; done; }
shot() { sleep 1.5; import -window "$wid" "$out/$1"; echo "$1"; }
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; kill "$xvfb"; wait "$xvfb" 2>/dev/null || true; }
wait_for() { # wait_for WHAT CONDITION...: up to 60 s
  local what=$1; shift
  for _ in $(seq 120); do "$@" && return 0; sleep 0.5; done
  echo "not done: $what (has the layout of the tab changed?)" >&2; exit 1
}
has_zip() { [ -n "$(find "$work/data" -path '*bundles*' -name '*.zip' -print -quit)" ]; }

# Report tab: Ctrl+4 focuses the tab; its controls in order: the three formats, "Hide personal
# details", Copy, Save as, Refresh, then "Save support bundle".
for lang in en nl; do
  restore_state reset
  start "$lang"
  keys ctrl+4; tabs 8; keys Return
  wait_for "support bundle saved" has_zip
  shot "helpdesk-bundle-$lang.png"
  stop
done

# Repair tab: Ctrl+2 focuses the tab; Tab goes on through the tabs to its right (Admin,
# Report), then Search again, Start Teams, Quick clean, Full reset, Show what will be removed,
# and (after a reset with a backup) Undo the last reset.
restore_state fresh
start en
keys ctrl+2; tabs 6; keys space; tabs 1; keys Return
sleep 3 # the preview is computed; its "Not now" takes the focus
shot helpdesk-full-reset-backup-en.png
[ -e "$session" ] || { echo "the preview removed something" >&2; exit 1; }
stop

for lang in en nl; do
  restore_state reset
  start "$lang"
  keys ctrl+2; tabs 8; keys Return
  sleep 1
  [ "$lang" = nl ] || shot helpdesk-undo-confirm-en.png
  # The confirmation's "Not now" has the focus; Shift+Tab goes to "Undo now".
  keys shift+Tab Return
  wait_for "sign-in data put back" test -e "$session"
  shot "helpdesk-undo-done-$lang.png"
  stop
done
ls -la "$out"/helpdesk-*.png
