#!/usr/bin/env bash
# Signs Windows exes with Authenticode (osslsigncode), in place, and verifies each signature.
#
# Usage: packaging/windows/sign.sh FILE.exe...
# Environment:
#   TEAMSFIX_SIGN_PKCS12         the PKCS#12 file (.pfx/.p12) with the code-signing certificate,
#                                its chain and its private key (required)
#   TEAMSFIX_SIGN_PASSWORD       its password, or
#   TEAMSFIX_SIGN_PASSWORD_FILE  a file holding it (one of the two is required)
#   TEAMSFIX_SIGN_TIMESTAMP_URL  an RFC 3161 time-stamp server, e.g. http://timestamp.digicert.com
#                                (optional; recommended: a time-stamped signature stays valid
#                                after the certificate expires)
#   TEAMSFIX_SIGN_CAFILE         the root certificate(s) to verify against (PEM), for a private CA
#                                or a test certificate (default: the system's CA bundle)
#   TEAMSFIX_SIGN_DESCRIPTION    the description shown in Windows' prompts (default: teamsfix)
#   TEAMSFIX_HOMEPAGE            the URL stored in the signature (optional)
# The password is handed to osslsigncode through a file descriptor, never on a command line.
# Exit: 0 signed and verified, 1 signing or verification failed, 2 usage or configuration error.
set -euo pipefail

usage() { sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
[ $# -gt 0 ] || { usage >&2; exit 2; }
case "$1" in -h|--help) usage; exit 0 ;; esac

command -v osslsigncode >/dev/null || {
  echo "sign.sh: osslsigncode not found; as root: apt-get install -y osslsigncode" >&2
  exit 2
}
pkcs12="${TEAMSFIX_SIGN_PKCS12:-}"
[ -n "$pkcs12" ] || { echo "sign.sh: TEAMSFIX_SIGN_PKCS12 is not set (the .pfx/.p12 file to sign with)" >&2; exit 2; }
[ -f "$pkcs12" ] && [ -r "$pkcs12" ] || { echo "sign.sh: cannot read the certificate file $pkcs12" >&2; exit 2; }
if [ -n "${TEAMSFIX_SIGN_PASSWORD_FILE:-}" ]; then
  [ -r "$TEAMSFIX_SIGN_PASSWORD_FILE" ] || { echo "sign.sh: cannot read $TEAMSFIX_SIGN_PASSWORD_FILE" >&2; exit 2; }
  password="$(head -n 1 "$TEAMSFIX_SIGN_PASSWORD_FILE")"
elif [ -n "${TEAMSFIX_SIGN_PASSWORD+set}" ]; then
  password="$TEAMSFIX_SIGN_PASSWORD"
else
  echo "sign.sh: set TEAMSFIX_SIGN_PASSWORD or TEAMSFIX_SIGN_PASSWORD_FILE (the certificate's password)" >&2
  exit 2
fi
cafile="${TEAMSFIX_SIGN_CAFILE:-}"
if [ -n "$cafile" ] && [ ! -r "$cafile" ]; then
  echo "sign.sh: cannot read TEAMSFIX_SIGN_CAFILE=$cafile" >&2
  exit 2
fi
for f in "$@"; do
  [ -f "$f" ] || { echo "sign.sh: $f not found" >&2; exit 2; }
done

sign_args=(sign -pkcs12 "$pkcs12" -h sha256 -n "${TEAMSFIX_SIGN_DESCRIPTION:-teamsfix}")
[ -n "${TEAMSFIX_HOMEPAGE:-}" ] && sign_args+=(-i "$TEAMSFIX_HOMEPAGE")
[ -n "${TEAMSFIX_SIGN_TIMESTAMP_URL:-}" ] && sign_args+=(-ts "$TEAMSFIX_SIGN_TIMESTAMP_URL")
verify_args=(verify)
[ -n "$cafile" ] && verify_args+=(-CAfile "$cafile")

for f in "$@"; do
  tmp="$f.signing"
  rm -f "$tmp"
  log="$(mktemp)"
  # <(printf ...): printf is a shell builtin, so the password is in no process's arguments.
  if ! osslsigncode "${sign_args[@]}" -readpass <(printf '%s' "$password") -in "$f" -out "$tmp" >"$log" 2>&1; then
    echo "sign.sh: signing $f failed:" >&2
    cat "$log" >&2
    rm -f "$tmp" "$log"
    exit 1
  fi
  if ! osslsigncode "${verify_args[@]}" -in "$tmp" >"$log" 2>&1; then
    echo "sign.sh: the signature of $f does not verify:" >&2
    tail -n 20 "$log" >&2
    [ -z "$cafile" ] && echo "  (a private CA or a test certificate: set TEAMSFIX_SIGN_CAFILE to its root certificate)" >&2
    rm -f "$tmp" "$log"
    exit 1
  fi
  chmod --reference="$f" "$tmp"
  mv -f "$tmp" "$f"
  subject="$(grep -m1 -i 'Subject:' "$log" | sed 's/^[[:space:]]*//' || true)"
  rm -f "$log"
  echo "signed and verified: $f${subject:+ ($subject)}${TEAMSFIX_SIGN_TIMESTAMP_URL:+, time-stamped}"
done
