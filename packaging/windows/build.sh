#!/usr/bin/env bash
# Cross-builds the Windows release exes on Debian 12:
#   target/windows/dist/teamsfix-cli.exe  (console)
#   target/windows/dist/teamsfix.exe      (GUI)
# rustup cannot add the Windows target here (no access to the Rust distribution server), so the
# standard library is built from source with Debian's toolchain (rustc-web / cargo-web 1.96,
# rust-web-src) and mingw-w64 as linker: RUSTC_BOOTSTRAP=1 + -Zbuild-std.
#
# Usage: packaging/windows/build.sh [--cli-only] [--verbose]
#   --cli-only  build only teamsfix-cli.exe (no GUI stack; faster)
#   --verbose   stream cargo's output instead of writing it to target/windows/build.log
# Environment: TEAMSFIX_WIN_TARGET_DIR overrides the target dir (default <repo>/target/windows).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
target=x86_64-pc-windows-gnu
target_dir="${TEAMSFIX_WIN_TARGET_DIR:-$root/target/windows}"
cli_only=0
verbose=0
for arg in "$@"; do
  case "$arg" in
    --cli-only) cli_only=1 ;;
    --verbose|-v) verbose=1 ;;
    -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "build.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

# Debian's toolchain, called by full path: rustup's cargo/rustc shadow them on PATH.
cargo=/usr/bin/cargo
rustc=/usr/bin/rustc
std_src=/usr/lib/rustlib/src/rust/library
missing=()
[ -x "$cargo" ] || missing+=(cargo-web)
[ -x "$rustc" ] || missing+=(rustc-web)
[ -d "$std_src/std" ] || missing+=(rust-web-src)
command -v x86_64-w64-mingw32-gcc >/dev/null || missing+=(gcc-mingw-w64-x86-64)
command -v x86_64-w64-mingw32-windres >/dev/null || missing+=(binutils-mingw-w64-x86-64)
command -v python3 >/dev/null || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "build.sh: missing Debian packages: ${missing[*]}" >&2
    echo "  run as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  apt_log="$(mktemp)"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq "${missing[@]}" >"$apt_log" 2>&1; then
    apt-get update -qq >>"$apt_log" 2>&1 || true
    if ! apt-get install -y -qq "${missing[@]}" >>"$apt_log" 2>&1; then
      echo "build.sh: apt-get install ${missing[*]} failed:" >&2
      tail -n 30 "$apt_log" >&2
      exit 1
    fi
  fi
  rm -f "$apt_log"
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
