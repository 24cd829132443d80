#!/usr/bin/env bash
# End-to-end test of the real Windows exes under Wine (Windows semantics: processes, WM_CLOSE,
# paths with drive letters, AppData) against a fake new-Teams + classic-Teams installation.
#
# Usage: tests/wine/run.sh
# Environment:
#   TEAMSFIX_WIN_DIST   folder holding prebuilt teamsfix-cli.exe and teamsfix.exe
#                       (default: build them with packaging/windows/build.sh into target/windows/dist)
#   TEAMSFIX_KEEP_WORK  1 = keep the temp folder (prefix, JSON outputs, screenshots) even on success
#   TEAMSFIX_QUIT_ARGS  extra arguments for `teamsfix-cli quit` (default: none)
#   TEAMSFIX_SKIP_GUI   1 = skip the screenshot check
# Prints PASS/FAIL per check and `N passed, M failed`; exits 1 when any check failed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
WINE_TIMEOUT=120

for tool in wine wineserver wineboot Xvfb python3 timeout x86_64-w64-mingw32-gcc; do
  command -v "$tool" >/dev/null || {
    echo "run.sh: '$tool' not found. As root: apt-get install -y wine wine64 xvfb python3 gcc-mingw-w64-x86-64" >&2
    exit 2
  }
done

# ---- the exes under test --------------------------------------------------------------------
if [ -n "${TEAMSFIX_WIN_DIST:-}" ]; then
  dist="$(cd "$TEAMSFIX_WIN_DIST" && pwd)"
else
  "$root/packaging/windows/build.sh" >/dev/null
  dist="$root/target/windows/dist"
fi
cli="$dist/teamsfix-cli.exe"
gui="$dist/teamsfix.exe"
[ -f "$cli" ] || { echo "run.sh: $cli not found" >&2; exit 2; }

# ---- work area, prefix, display -------------------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/teamsfix-wine.XXXXXX")"
prefix="$work/prefix"
results="$work/results.txt"
: >"$results"
xvfb_pid=""

cleanup() {
  local rc=$?
  if [ -d "$prefix" ]; then WINEPREFIX="$prefix" timeout 30 wineserver -k >/dev/null 2>&1 || true; fi
  if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; fi
  # Reap the background wine launchers.
  local j; for j in $(jobs -p); do kill "$j" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "$rc" -eq 0 ] && [ "${TEAMSFIX_KEEP_WORK:-0}" != 1 ]; then
    rm -rf "$work"
  else
    echo "work folder kept: $work (prefix, *.json outputs, *.log, screenshots)"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

TEAMSFIX_SETUP_QUIET=1 "$here/setup_prefix.sh" "$prefix" "$root/target/windows/wine-helpers" >"$work/setup.log" 2>&1 || {
  cat "$work/setup.log" >&2
  exit 2
}
layout="$prefix/teamsfix-layout.env"
# shellcheck disable=SC1090
. "$layout"
export WINEPREFIX WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
helpers="$root/target/windows/wine-helpers"

check() { python3 -B "$here/check.py" --layout "$layout" --results "$results" "$@"; }
record() { check record "$@"; }

# One X server for the whole run: the fake Teams windows need a display, and so does the GUI.
exec 3>"$work/xvfb.display"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
exec 3>&-
for _ in $(seq 1 50); do [ -s "$work/xvfb.display" ] && break; sleep 0.1; done
[ -s "$work/xvfb.display" ] || { echo "run.sh: Xvfb did not start; see $work/xvfb.log" >&2; exit 2; }
export DISPLAY=":$(head -n1 "$work/xvfb.display")"

# wine_run NAME ARGS... : runs wine with a timeout; stdout to NAME.out, stderr to NAME.err; sets $rc.
wine_run() {
  local name="$1"; shift
  rc=0
  timeout "$WINE_TIMEOUT" wine "$@" </dev/null >"$work/$name.out" 2>"$work/$name.err" || rc=$?
  echo "$rc" >"$work/$name.rc"
}

# ---- 1. toolchain smoke tests -----------------------------------------------------------------
wine_run hello_mingw "$helpers/hello_mingw.exe"
if [ "$rc" -eq 0 ] && grep -q "hello from mingw" "$work/hello_mingw.out"; then
  record PASS "mingw-built exe runs under Wine"
else
  record FAIL "mingw-built exe runs under Wine" "exit $rc: $(head -c 300 "$work/hello_mingw.err")"
fi
wine_run version "$cli" --help
if [ "$rc" -eq 0 ]; then
  record PASS "teamsfix-cli.exe starts under Wine (ProcessPrng shim)" "$(head -n1 "$work/version.out" | tr -d '\r')"
else
  record FAIL "teamsfix-cli.exe starts under Wine (ProcessPrng shim)" "exit $rc: $(head -c 300 "$work/version.err")"
fi

# Resources embedded by build.rs: manifest text is stored as-is, version strings as UTF-16LE.
for exe in "$cli" "$gui"; do
  [ -f "$exe" ] || continue
  b="$(basename "$exe")"
  if grep -q 'PerMonitorV2' "$exe" && grep -q 'longPathAware' "$exe" && grep -q 'asInvoker' "$exe" \
     && grep -qaP 'P\x00r\x00o\x00d\x00u\x00c\x00t\x00N\x00a\x00m\x00e\x00' "$exe"; then
    record PASS "$b embeds the manifest and version info"
  else
    record FAIL "$b embeds the manifest and version info" "manifest or VERSIONINFO strings not found in the exe"
  fi
done

# ---- 2. fake Teams processes ------------------------------------------------------------------
check snapshot "$work/snapshot.json"
# New Teams: closes on WM_CLOSE (polite quit path).
timeout 600 wine "$WIN_NEW_TEAMS_EXE" >/dev/null 2>&1 &
# Its WebView2 child (no window: only a kill ends it).
timeout 600 wine "$WIN_WEBVIEW_EXE" --no-window --embedded-browser-webview=1 \
  --webview-exe-name=ms-teams.exe --webview-exe-version="$NEW_VERSION" \
  "--user-data-dir=$WIN_NEW_WEBVIEW_DATA" --noerrdialogs >/dev/null 2>&1 &
# New Outlook's WebView2: must survive.
timeout 600 wine "$WIN_WEBVIEW_EXE" --no-window --embedded-browser-webview=1 \
  --webview-exe-name=olk.exe --webview-exe-version=1.2025.1111.100 \
  "--user-data-dir=$WIN_OLK_WEBVIEW_DATA" --noerrdialogs >/dev/null 2>&1 &
# Classic Teams: ignores WM_CLOSE ("stays in the tray"): forced-kill path.
timeout 600 wine "$WIN_CLASSIC_TEAMS_EXE" --ignore-close >/dev/null 2>&1 &
# New Teams' calling process in the package: ignores WM_CLOSE, so only the forced quit ends it.
timeout 600 wine "$WIN_MODULEHOST_EXE" --ignore-close >/dev/null 2>&1 &
# The same name outside the MSTeams package: another vendor's program, must survive.
timeout 600 wine "$WIN_DECOY_MODULEHOST_EXE" --no-window >/dev/null 2>&1 &
check wait-procs 6 || true
check procs >"$work/procs-before.txt"

# ---- 3. status --------------------------------------------------------------------------------
wine_run status "$cli" status --json
check status "$work/status.out" "$rc" || true

# ---- 4. quit ----------------------------------------------------------------------------------
# shellcheck disable=SC2086
wine_run quit "$cli" quit ${TEAMSFIX_QUIT_ARGS:-}
check quit "$rc" || true
check procs >"$work/procs-after-quit.txt"

# ---- 5. clear-cache, twice --------------------------------------------------------------------
# Teams runs again, its calling process holding a cache file open without sharing delete: the
# clear must quit and wait for it (it ignores WM_CLOSE: forced after --timeout).
timeout 600 wine "$WIN_NEW_TEAMS_EXE" >/dev/null 2>&1 &
timeout 600 wine "$WIN_MODULEHOST_EXE" --ignore-close --hold "$WIN_HELD_FILE" >/dev/null 2>&1 &
check wait-procs 4 || true
check session-snapshot "$work/session-before.json"
wine_run clear1 "$cli" clear-cache --mode full --yes --json --timeout 3
check clear "$work/clear1.out" "$rc" "$work/snapshot.json" || true
check modulehost-quit "$work/clear1.out" || true
check filelist "$work/files-before-2nd.json"
wine_run clear2 "$cli" clear-cache --mode full --yes --json
check clear-again "$work/clear2.out" "$rc" "$work/files-before-2nd.json" || true
# Undo the full reset: restore writes relative to the data root's handle (NtCreateFile with
# FILE_CREATE, renames by handle without replacing) and must give the session data back.
wine_run restore "$cli" restore --json
check restore "$work/restore.out" "$rc" "$work/session-before.json" || true

# ---- 5b. a data root of another user -------------------------------------------------------------
# Wine reports a folder owned by another Unix uid as owned by another SID (S-1-5-7): teamsfix
# must refuse it (owner SID against the token's user SID). Needs root to give it away.
if [ "$(id -u)" -eq 0 ]; then
  mkdir -p "$CLASSIC_ROOT/Cache" && echo "cache a clear would remove" >"$CLASSIC_ROOT/Cache/foreign-check"
  chown 65534:65534 "$CLASSIC_ROOT"
  wine_run foreign "$cli" clear-cache --client windows-classic --mode full --yes --json
  chown "$(id -u):$(id -g)" "$CLASSIC_ROOT"
  check foreign-owner "$work/foreign.out" "$rc" || true
else
  echo "skipped: a data root of another user (needs root to chown)"
fi

# ---- 6. nothing started by bare name: planted programs next to the exe --------------------------
# Windows (and Wine) look for a program started by bare name in the exe's own folder first. A
# stick folder holds teamsfix-cli.exe with a planted taskkill.exe and explorer.exe beside it;
# a Teams that ignores WM_CLOSE must be forced without either running.
stick="$work/stick"
mkdir -p "$stick"
cp "$cli" "$stick/teamsfix-cli.exe"
cp "$helpers/planted.exe" "$stick/taskkill.exe"
cp "$helpers/planted.exe" "$stick/explorer.exe"
timeout 600 wine "$WIN_CLASSIC_TEAMS_EXE" --ignore-close >/dev/null 2>&1 &
check wait-procs 2 || true
wine_run stick_quit "$stick/teamsfix-cli.exe" quit --timeout 2 --json
check quit-stubborn "$rc" "$work/stick_quit.out" || true
check not-run "$stick" "$rc" "quit forcing a Teams that ignores WM_CLOSE" || true
# Restarting new Teams starts explorer.exe: from the Windows folder, not the stick.
wine_run stick_restart "$stick/teamsfix-cli.exe" restart --client windows-new
sleep 2
check not-run "$stick" "$rc" "restart of new Teams (explorer.exe)" || true

# ---- two teamsfix at once: the second stops with exit 5 and names the first ----------------
# The first holds the lock while it waits (up to 600 s) for a classic Teams that ignores
# WM_CLOSE; LockFileEx between two Windows processes. Killed, it holds nothing.
export TEAMSFIX_DATA_DIR='C:\teamsfix-lock-test'
lock_note="$WINEPREFIX/drive_c/teamsfix-lock-test/teamsfix.lock.owner"
timeout 600 wine "$WIN_CLASSIC_TEAMS_EXE" --ignore-close >/dev/null 2>&1 &
for _ in $(seq 1 60); do check procs | grep -qi 'teams\.exe --ignore-close' && break; sleep 0.5; done
timeout 600 wine "$cli" clear-cache --client windows-classic --yes --timeout 600 </dev/null >"$work/holder.out" 2>&1 &
holder=$!
for _ in $(seq 1 240); do [ -s "$lock_note" ] && break; sleep 0.5; done
f="a second teamsfix-cli.exe stops at once (exit 5) and names the one at work"
wine_run busy "$cli" --lang en clear-cache --mode safe --yes --json
if [ "$rc" -eq 5 ] && grep -q 'Another teamsfix (process' "$work/busy.err" \
   && grep -q '"busy": true' "$work/busy.out"; then
  record PASS "$f" "$(grep -o 'Another teamsfix (process [0-9]*' "$work/busy.err" | head -n1)"
else
  record FAIL "$f" "exit $rc; note: $(cat "$lock_note" 2>&1 | head -c 200); $(head -c 300 "$work/busy.err")"
fi
wine_run busy_bundle "$cli" --lang en bundle --wait 0 --json
f="a bundle does not read the archives while another teamsfix clears (exit 5)"
if [ "$rc" -eq 5 ]; then record PASS "$f"; else record FAIL "$f" "exit $rc: $(head -c 300 "$work/busy_bundle.err")"; fi
kill "$holder" 2>/dev/null || true
wait "$holder" 2>/dev/null || true
wine_run after_busy "$cli" --lang en clear-cache --client windows-classic --yes --timeout 2 --json
f="the lock goes with a killed teamsfix: the next one runs"
if [ "$rc" -ne 5 ]; then record PASS "$f" "exit $rc"; else record FAIL "$f" "still busy: $(head -c 300 "$work/after_busy.err")"; fi
unset TEAMSFIX_DATA_DIR

# ---- a hard link in Downloads is never bundled: the link count is read on the handle ---------
dl="$USER_HOME/Downloads"
[ -L "$dl" ] && rm "$dl"   # Wine links Downloads to the Unix home; the test needs its own folder
mkdir -p "$dl"
echo "outside secret" >"$work/outside-secret.txt"
ln -f "$work/outside-secret.txt" "$dl/MSTeams Diagnostics Log 25_11_2026_01_00_00.txt"
echo "a support file" >"$dl/MSTeams Diagnostics Log 24_11_2026_01_00_00.txt"
wine_run hardlink_bundle "$cli" --lang en bundle --json --output 'C:\hardlink-bundle.zip'
f="bundle: a support file with a second name (hard link) in Downloads is left out"
zip="$WINEPREFIX/drive_c/hardlink-bundle.zip"
if [ "$rc" -eq 0 ] && [ -s "$zip" ] && ! python3 -c "import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); sys.exit(0 if any(b'outside secret' in z.read(n) for n in z.namelist()) else 1)" "$zip" \
   && grep -q 'hard link' "$work/hardlink_bundle.out"; then
  record PASS "$f"
else
  record FAIL "$f" "exit $rc: $(head -c 300 "$work/hardlink_bundle.out")"
fi

# ---- 7. DLL planting ----------------------------------------------------------------------------
for exe in "$cli" "$gui"; do
  [ -f "$exe" ] && check load-config "$exe" || true
done
plant="$work/plant"
mkdir -p "$plant"
planted_exes=("$cli")
[ -f "$gui" ] && planted_exes+=("$gui")
if planted=$(check plant-dlls "$plant" "$helpers" "${planted_exes[@]}" 2>"$work/plant.err"); then
  echo "planted next to the exes: $planted" >"$work/planted.txt"
  cp "$cli" "$plant/teamsfix-cli.exe"
  wine_run plant_cli "$plant/teamsfix-cli.exe" --help
  check dlls-not-loaded "$plant" "teamsfix-cli.exe" || true
  if [ -f "$gui" ]; then
    rm -f "$plant"/*.loaded
    cp "$gui" "$plant/teamsfix.exe"
    wine_run plant_gui "$plant/teamsfix.exe" --version
    check dlls-not-loaded "$plant" "teamsfix.exe" || true
  fi
else
  record FAIL "DLL planting: marker DLLs built" "$(head -c 300 "$work/plant.err")"
fi

# ---- 8. GUI screenshot under Xvfb ---------------------------------------------------------------
if [ "${TEAMSFIX_SKIP_GUI:-0}" != 1 ]; then
  if [ -f "$gui" ]; then
    # The GUI under Wine renders in software; on a loaded 2-core machine its first frame took
    # more than 120 s once, so it gets longer than the CLI runs.
    (cd "$work" && rc=0 && timeout 300 wine "$gui" --screenshot out.png \
       </dev/null >"$work/gui.out" 2>"$work/gui.err" || rc=$?; echo "${rc:-0}" >"$work/gui.rc")
    check screenshot "$work/out.png" "$(cat "$work/gui.rc")" || true
    f="GUI: no Segoe UI under Wine, the bundled font is used"; if grep -q 'segoeui.ttf: not found; using the bundled font' "$work/gui.err"; then record PASS "$f"; else record FAIL "$f" "$(head -c 300 "$work/gui.err")"; fi
  else
    record FAIL "GUI: teamsfix.exe --screenshot writes a non-empty PNG under Xvfb" "$gui not built"
  fi
fi

# ---- summary ------------------------------------------------------------------------------------
passed=$(grep -c '^PASS' "$results" || true)
failed=$(grep -c '^FAIL' "$results" || true)
known=$(grep -c '^KNOWN' "$results" || true)
[ "$known" -eq 0 ] || echo "$known known limit(s) of Wine (KNOWN lines above): not failures, not proved"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
