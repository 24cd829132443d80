#!/usr/bin/env bash
# Creates a fresh Wine prefix with a fake new-Teams (MSIX) and a fake classic-Teams installation
# for the end-to-end tests. Test scaffolding only.
#
# Usage: setup_prefix.sh PREFIX [HELPERS_DIR]
#   PREFIX       directory for the new WINEPREFIX (must not exist or be empty)
#   HELPERS_DIR  where build_helpers.sh put bcryptprimitives.dll and fake_teams.exe
#                (default: <repo>/target/windows/wine-helpers; built when missing)
# Writes PREFIX/teamsfix-layout.env (shell variables naming the interesting paths) and prints it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

[ $# -ge 1 ] || { echo "usage: $0 PREFIX [HELPERS_DIR]" >&2; exit 2; }
prefix="$1"
helpers="${2:-$root/target/windows/wine-helpers}"
mkdir -p "$prefix"
prefix="$(cd "$prefix" && pwd)"
if [ -n "$(ls -A "$prefix")" ]; then
  echo "setup_prefix.sh: $prefix is not empty; give a new directory" >&2
  exit 2
fi
"$here/build_helpers.sh" "$helpers"

export WINEPREFIX="$prefix" WINEDEBUG=-all
# No Mono/Gecko install dialogs: neither is needed here.
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-mscoree,mshtml=}"
if ! timeout 180 wineboot -i >"$prefix/wineboot.log" 2>&1; then
  echo "setup_prefix.sh: wineboot failed; see $prefix/wineboot.log" >&2
  exit 1
fi
timeout 60 wineserver -w || true

c="$prefix/drive_c"
sys32="$c/windows/system32"
[ -d "$sys32" ] || { echo "setup_prefix.sh: no $sys32 after wineboot" >&2; exit 1; }
cp "$helpers/bcryptprimitives.dll" "$sys32/bcryptprimitives.dll"

# The Windows user name Wine chose for the profile (normally the Unix user name).
user=""
for d in "$c/users/"*; do
  b="$(basename "$d")"
  if [ "$b" != "Public" ] && [ -d "$d" ] && [ ! -L "$d" ]; then user="$b"; break; fi
done
[ -n "$user" ] || { echo "setup_prefix.sh: no user profile under $c/users" >&2; exit 1; }
home="$c/users/$user"
local_ad="$home/AppData/Local"
roaming_ad="$home/AppData/Roaming"

blob() { # blob FILE BYTES : random content
  mkdir -p "$(dirname "$1")"
  head -c "$2" /dev/urandom >"$1"
}
text() { # text FILE CONTENT
  mkdir -p "$(dirname "$1")"
  printf '%s\n' "$2" >"$1"
}

# ---- new Teams (MSIX package MSTeams_8wekyb3d8bbwe) -------------------------------------------
pkg="$local_ad/Packages/MSTeams_8wekyb3d8bbwe"
for d in AC AppData LocalCache LocalState RoamingState Settings SystemAppData TempState; do
  mkdir -p "$pkg/$d"
done
blob "$pkg/Settings/settings.dat" 8192
new_root="$pkg/LocalCache/Microsoft/MSTeams"
wv="$new_root/EBWebView"
prof="$wv/WV2Profile_tfw"
# regenerable
blob "$prof/Cache/Cache_Data/index" 4096
blob "$prof/Cache/Cache_Data/data_0" 45056
blob "$prof/Cache/Cache_Data/f_000001" 70000
blob "$prof/Cache/Cache_Data/f_00000a é.bin" 12000
blob "$prof/Code Cache/js/index" 2048
blob "$prof/Code Cache/js/0a1b2c3d4e5f_0" 30000
blob "$prof/Code Cache/wasm/index" 1024
blob "$prof/GPUCache/data_0" 8192
blob "$prof/GPUCache/index" 2048
blob "$prof/Service Worker/CacheStorage/5f2b/index" 1500
blob "$prof/Service Worker/CacheStorage/5f2b/0a/blob 1" 40000
# session and sign-in state
blob "$prof/IndexedDB/https_teams.microsoft.com_0.indexeddb.leveldb/000003.log" 60000
text "$prof/IndexedDB/https_teams.microsoft.com_0.indexeddb.leveldb/CURRENT" "MANIFEST-000001"
blob "$prof/Local Storage/leveldb/000003.log" 9000
text "$prof/Local Storage/leveldb/CURRENT" "MANIFEST-000001"
blob "$prof/WebStorage/QuotaManager" 20480
blob "$prof/Network/Cookies" 20480
# diagnostics
blob "$wv/Crashpad/reports/x.dmp" 100000
text "$wv/Crashpad/settings.dat" "crashpad"
# user data: keep
blob "$new_root/Backgrounds/Uploads/my background.png" 150000
blob "$new_root/Backgrounds/Uploads/thumb.png" 9000
blob "$new_root/Backgrounds/Uploads/vergadering é.png" 50000
text "$new_root/app_settings.json" '{"theme":"dark","language":"nl-nl","openAtLogin":false}'
# diagnostics: logs
text "$new_root/Logs/MSTeams_2026-11-20_10-00-00.00.log" "2026-11-20T10:00:00.000Z Inf  Starting new Teams
2026-11-20T10:00:00.120Z Inf  DesktopApp: Version: 25306.804.4102.7193
2026-11-20T10:00:01.500Z Inf  Sign-in state: signed in"
text "$new_root/PerfLogs/perf.log" "perf: startup 2345 ms"
# settings outside the cache: must never be touched
shared="$local_ad/Publishers/8wekyb3d8bbwe/TeamsSharedConfig"
text "$shared/tma_settings.json" '{"account":{"upn":"guest@example.com"},"tenant":"contoso"}'
text "$shared/app_switcher_settings.json" '{"lastTenant":"contoso"}'
# the (fake) app: ms-teams.exe in its WindowsApps folder, plus a WebView2 runtime
new_ver="25306.804.4102.7193"
app_dir="$c/Program Files/WindowsApps/MSTeams_${new_ver}_x64__8wekyb3d8bbwe"
mkdir -p "$app_dir"
cp "$helpers/fake_teams.exe" "$app_dir/ms-teams.exe"
# New Teams' calling process (since January 2026) lives beside ms-teams.exe in the package.
cp "$helpers/fake_teams.exe" "$app_dir/ms-teams_modulehost.exe"
# A program of the same name outside the MSTeams package: not Teams, must survive every quit.
mkdir -p "$c/Program Files/Contoso Calling"
cp "$helpers/fake_teams.exe" "$c/Program Files/Contoso Calling/ms-teams_modulehost.exe"
wv2_dir="$c/Program Files (x86)/Microsoft/EdgeWebView/Application/131.0.2903.112"
mkdir -p "$wv2_dir"
cp "$helpers/fake_teams.exe" "$wv2_dir/msedgewebview2.exe"
# a non-Teams WebView2 user (new Outlook): its data and its processes must survive
text "$local_ad/Microsoft/Olk/EBWebView/Default/Cache/Cache_Data/index" "outlook cache"

# ---- classic Teams 1.x -------------------------------------------------------------------------
classic_root="$roaming_ad/Microsoft/Teams"
text "$classic_root/settings.json" '{"version":"1.6.00.4472","environment":"Production"}'
text "$classic_root/desktop-config.json" '{"appPreferenceSettings":{"openAtLogin":false},"theme":"darkV2"}'
blob "$classic_root/Cache/data_0" 8192
blob "$classic_root/Cache/f_000001" 30000
blob "$classic_root/Code Cache/js/index" 2048
blob "$classic_root/GPUCache/data_0" 8192
blob "$classic_root/Service Worker/CacheStorage/1a/index" 1000
blob "$classic_root/blob_storage/abc/1" 3000
blob "$classic_root/IndexedDB/https_teams.microsoft.com_0.indexeddb.leveldb/000003.log" 20000
blob "$classic_root/Local Storage/leveldb/000003.log" 6000
blob "$classic_root/Cookies" 4096
blob "$classic_root/Backgrounds/Uploads/bg.jpg" 60000
blob "$classic_root/Backgrounds/Uploads/zomer é.jpg" 20000
text "$classic_root/logs.txt" "Fri Nov 20 2026 10:00:00 GMT+0100 <1234> -- info -- Teams 1.6.00.4472 started"
classic_app="$local_ad/Microsoft/Teams"
mkdir -p "$classic_app/current"
cp "$helpers/fake_teams.exe" "$classic_app/current/Teams.exe"
cp "$helpers/fake_teams.exe" "$classic_app/Update.exe"

# Windows-side paths for the tests (C: is drive_c).
win_home="C:\\users\\$user"
cat >"$prefix/teamsfix-layout.env" <<LAYOUT
WINEPREFIX='$prefix'
WIN_USER='$user'
USER_HOME='$home'
NEW_PACKAGE='$pkg'
NEW_ROOT='$new_root'
NEW_PROFILE='$prof'
NEW_VERSION='$new_ver'
TEAMS_SHARED_CONFIG='$shared'
CLASSIC_ROOT='$classic_root'
CLASSIC_APP='$classic_app'
CLASSIC_VERSION='1.6.00.4472'
WIN_NEW_TEAMS_EXE='C:\\Program Files\\WindowsApps\\MSTeams_${new_ver}_x64__8wekyb3d8bbwe\\ms-teams.exe'
WIN_MODULEHOST_EXE='C:\\Program Files\\WindowsApps\\MSTeams_${new_ver}_x64__8wekyb3d8bbwe\\ms-teams_modulehost.exe'
WIN_DECOY_MODULEHOST_EXE='C:\\Program Files\\Contoso Calling\\ms-teams_modulehost.exe'
WIN_HELD_FILE='$win_home\\AppData\\Local\\Packages\\MSTeams_8wekyb3d8bbwe\\LocalCache\\Microsoft\\MSTeams\\EBWebView\\WV2Profile_tfw\\Cache\\Cache_Data\\held-by-modulehost'
WIN_WEBVIEW_EXE='C:\\Program Files (x86)\\Microsoft\\EdgeWebView\\Application\\131.0.2903.112\\msedgewebview2.exe'
WIN_CLASSIC_TEAMS_EXE='$win_home\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe'
WIN_NEW_WEBVIEW_DATA='$win_home\\AppData\\Local\\Packages\\MSTeams_8wekyb3d8bbwe\\LocalCache\\Microsoft\\MSTeams\\EBWebView'
WIN_OLK_WEBVIEW_DATA='$win_home\\AppData\\Local\\Microsoft\\Olk\\EBWebView'
LAYOUT
if [ "${TEAMSFIX_SETUP_QUIET:-0}" != 1 ]; then
  echo "Wine prefix ready: $prefix (Windows user '$user')"
  cat "$prefix/teamsfix-layout.env"
fi
