#!/usr/bin/env bash
# Cross-builds the Windows release exes on Debian 12:
#   target/windows/dist/teamsfix-cli.exe  (console)
#   target/windows/dist/teamsfix.exe      (GUI)
# rustup cannot add the Windows target here (no access to the Rust distribution server), so the
# standard library is built from source with Debian's toolchain (rustc-web / cargo-web 1.96,
# rust-web-src) and mingw-w64 as linker: RUSTC_BOOTSTRAP=1 + -Zbuild-std.
#
# Usage: packaging/windows/build.sh [--cli-only] [--verbose] [--check-toolchain]
#   --cli-only         build only teamsfix-cli.exe (no GUI stack; faster)
#   --verbose          stream cargo's output instead of writing it to target/windows/build.log
#   --check-toolchain  only check (and, as root, install or update) the Debian toolchain
# Environment: TEAMSFIX_WIN_TARGET_DIR overrides the target dir (default <repo>/target/windows);
#   TEAMSFIX_DEBIAN_RUSTC / TEAMSFIX_DEBIAN_CARGO another rustc / cargo (default /usr/bin/...).
# Debian's toolchain must be at least `rust-version` in Cargo.toml: when it is older, root gets it
# updated (apt-get update, then the packages); anyone else gets the one command to run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target=x86_64-pc-windows-gnu
target_dir="${TEAMSFIX_WIN_TARGET_DIR:-$root/target/windows}"
cli_only=0
verbose=0
check_only=0
for arg in "$@"; do
  case "$arg" in
    --cli-only) cli_only=1 ;;
    --verbose|-v) verbose=1 ;;
    --check-toolchain) check_only=1 ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "build.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

# Debian's toolchain, called by full path: rustup's cargo/rustc shadow them on PATH.
cargo="${TEAMSFIX_DEBIAN_CARGO:-/usr/bin/cargo}"
rustc="${TEAMSFIX_DEBIAN_RUSTC:-/usr/bin/rustc}"
std_src=/usr/lib/rustlib/src/rust/library
toolchain_pkgs=(rustc-web cargo-web rust-web-src)
need="$(sed -n 's/^rust-version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -n 1)"
[ -n "$need" ] || { echo "build.sh: no rust-version in $root/Cargo.toml" >&2; exit 1; }

# The lower of rustc's and cargo's versions (x.y.z), or nothing when either is missing.
toolchain_version() {
  local r c
  r="$("$rustc" --version 2>/dev/null | awk '{print $2}')" || true
  c="$("$cargo" --version 2>/dev/null | awk '{print $2}')" || true
  [ -n "$r" ] && [ -n "$c" ] || return 0
  printf '%s\n%s\n' "${r%%-*}" "${c%%-*}" | sort -V | head -n 1
}
# True when version $1 is at least version $2 (1.95 = 1.95.0).
at_least() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" = "$2" ] || [ "$1" = "$2" ]; }

missing=()
[ -x "$cargo" ] || missing+=(cargo-web)
[ -x "$rustc" ] || missing+=(rustc-web)
[ -d "$std_src/std" ] || missing+=(rust-web-src)
command -v x86_64-w64-mingw32-gcc >/dev/null || missing+=(gcc-mingw-w64-x86-64)
command -v x86_64-w64-mingw32-windres >/dev/null || missing+=(binutils-mingw-w64-x86-64)
command -v python3 >/dev/null || missing+=(python3)
have="$(toolchain_version)"
if [ -n "$have" ] && ! at_least "$have" "$need"; then
  # Installed but too old (installed before the update that brings the newer toolchain).
  missing+=("${toolchain_pkgs[@]}")
fi
if [ ${#missing[@]} -gt 0 ]; then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | awk '!seen[$0]++')
  if [ -n "$have" ] && ! at_least "$have" "$need"; then
    why="Debian's Rust toolchain is $have, this project needs $need or newer (rust-version in Cargo.toml)"
  else
    why="missing Debian packages: ${missing[*]}"
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "build.sh: $why; as root run: apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "build.sh: $why; running apt-get update, then apt-get install ${missing[*]}" >&2
  apt_log="$(mktemp)"
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; } >"$apt_log" 2>&1; then
    echo "build.sh: apt-get install ${missing[*]} failed:" >&2
    tail -n 30 "$apt_log" >&2
    exit 1
  fi
  rm -f "$apt_log"
  have="$(toolchain_version)"
  if [ -z "$have" ] || ! at_least "$have" "$need"; then
    echo "build.sh: after the update Debian's Rust toolchain is ${have:-still missing}, still older than $need: Debian has no newer rustc-web yet (check the bookworm-security and bookworm-updates sources in /etc/apt)" >&2
    exit 1
  fi
  echo "build.sh: Debian's Rust toolchain is now $have" >&2
fi
if [ "$check_only" -eq 1 ]; then
  echo "build.sh: toolchain ok: rustc and cargo $have (needs $need), mingw-w64, std sources"
  exit 0
fi

if ! grep -q 'x86_64-w64-mingw32-gcc' "$root/.cargo/config.toml" 2>/dev/null; then
  echo "build.sh: $root/.cargo/config.toml must set the linker for $target (x86_64-w64-mingw32-gcc)" >&2
  exit 1
fi

cargo_args=(build --release --target "$target" --target-dir "$target_dir" -Zbuild-std=std,panic_abort)
bins=(teamsfix-cli)
if [ "$cli_only" -eq 1 ]; then
  cargo_args+=(--no-default-features --bin teamsfix-cli)
else
  cargo_args+=(--bin teamsfix-cli --bin teamsfix)
  bins+=(teamsfix)
fi

mkdir -p "$target_dir"
log="$target_dir/build.log"
rm -f "$log" # a new file: a target folder copied with hard links shares it between checkouts
start=$(date +%s)
cd "$root"
# RUSTC: Debian's rustc for the target *and* for build scripts/proc macros (host std included).
# RUSTC_BOOTSTRAP=1 unlocks -Zbuild-std on the stable compiler.
# RUSTUP_TOOLCHAIN/RUSTC_WRAPPER from the caller's environment must not redirect the build.
run_cargo() {
  env -u RUSTUP_TOOLCHAIN -u RUSTC_WRAPPER -u CARGO_BUILD_RUSTC_WRAPPER \
    RUSTC="$rustc" RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 \
    "$cargo" "${cargo_args[@]}"
}
if [ "$verbose" -eq 1 ]; then
  run_cargo
else
  echo "build.sh: building ${bins[*]} for $target (log: $log)" >&2
  if ! run_cargo >"$log" 2>&1; then
    echo "build.sh: cargo build failed; last lines of $log:" >&2
    tail -n 60 "$log" >&2
    exit 1
  fi
fi
secs=$(( $(date +%s) - start ))

dist="$target_dir/dist"
mkdir -p "$dist"
for b in "${bins[@]}"; do
  exe="$target_dir/$target/release/$b.exe"
  [ -f "$exe" ] || { echo "build.sh: $exe was not produced" >&2; exit 1; }
  # A new file, never a write into an existing one: a target folder copied with hard links
  # (cp -al, as the worktrees here are) would otherwise change every copy's exe at once.
  cp --remove-destination "$exe" "$dist/$b.exe"
  # GNU ld does not point the PE load configuration at `_load_config_used`
  # (src/platform/dll_hardening.rs): set it, so Windows takes the exe's imports from System32.
  python3 "$root/packaging/windows/pe_load_config.py" set "$dist/$b.exe" >/dev/null \
    || { echo "build.sh: could not set the load configuration of $dist/$b.exe" >&2; exit 1; }
done
echo "built in ${secs}s ($("$cargo" --version | cut -d' ' -f1-2), $("$rustc" --version | cut -d' ' -f1-2)):"
for b in "${bins[@]}"; do
  f="$dist/$b.exe"
  bytes=$(stat -c %s "$f")
  printf '  %-44s %10d bytes (%s)\n' "$f" "$bytes" "$(numfmt --to=iec-i --suffix=B "$bytes")"
done
