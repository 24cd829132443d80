#!/usr/bin/env bash
# Builds the Wine test helpers with mingw (test scaffolding only, never shipped):
#   bcryptprimitives.dll  ProcessPrng shim for Wine 8.0 (see processprng_shim.c)
#   fake_teams.exe        stand-in for ms-teams.exe / Teams.exe / Update.exe / msedgewebview2.exe
#   hello_mingw.exe       toolchain smoke test
#   planted.exe           a program that writes "<its path>.ran" when run (planted taskkill/explorer)
#   planted_dll.o         object of the planted marker DLLs (linked per DLL name by run.sh)
# Usage: build_helpers.sh [OUTDIR]   (default: <repo>/target/windows/wine-helpers)
# Rebuilds only when a source is newer than its output.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/target/windows/wine-helpers}"
cc=x86_64-w64-mingw32-gcc
command -v "$cc" >/dev/null || { echo "build_helpers.sh: $cc not found (apt-get install gcc-mingw-w64-x86-64)" >&2; exit 1; }
mkdir -p "$out"

stale() { # stale OUTPUT SOURCES...
  local o="$1"; shift
  [ -e "$o" ] || return 0
  local s; for s in "$@"; do [ "$s" -nt "$o" ] && return 0; done
  return 1
}

if stale "$out/bcryptprimitives.dll" "$here/processprng_shim.c" "$here/processprng_shim.def"; then
  "$cc" -shared -O2 -s -Wall -o "$out/bcryptprimitives.dll" \
    "$here/processprng_shim.c" "$here/processprng_shim.def" -ladvapi32
fi
if stale "$out/fake_teams.exe" "$here/fake_teams.c"; then
  # -mwindows: GUI subsystem, so Wine opens no console for it.
  "$cc" -O2 -s -Wall -mwindows -o "$out/fake_teams.exe" "$here/fake_teams.c"
fi
if stale "$out/planted.exe" "$here/planted.c"; then
  "$cc" -O2 -s -Wall -o "$out/planted.exe" "$here/planted.c"
fi
if stale "$out/planted_dll.o" "$here/planted_dll.c"; then
  "$cc" -O2 -Wall -c -o "$out/planted_dll.o" "$here/planted_dll.c"
fi
if stale "$out/hello_mingw.exe" "$here/hello_mingw.c"; then
  "$cc" -O2 -s -Wall -o "$out/hello_mingw.exe" "$here/hello_mingw.c"
fi
