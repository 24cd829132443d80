#!/usr/bin/env bash
# Tests packaging/windows/sign.sh with throwaway certificates made here: a self-signed
# code-signing certificate, and an RFC 3161 time-stamp authority served on 127.0.0.1 by
# `openssl ts` behind a small Python HTTP handler (so -ts is exercised without the internet).
#   - a signature with a time stamp is made and verifies against the test roots;
#   - a wrong password, a missing password, no certificate: refused, the exe left unchanged;
#   - the signature of a copy with one byte changed does not verify.
# Usage: packaging/windows/test-sign.sh [EXE]   (default target/windows/dist/teamsfix-cli.exe)
# Prints PASS/FAIL per check and `N passed, M failed`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
sign="$root/packaging/windows/sign.sh"
exe="${1:-$root/target/windows/dist/teamsfix-cli.exe}"
[ -f "$exe" ] || { echo "test-sign.sh: $exe not found (run packaging/windows/build.sh --cli-only)" >&2; exit 2; }
python=/usr/bin/python3
[ -x "$python" ] || python=python3
work="$(mktemp -d)"
tsa_pid=""
cleanup() { [ -n "$tsa_pid" ] && kill "$tsa_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
passed=0
failed=0
check() { local what="$1"; shift; if "$@"; then echo "PASS $what"; passed=$((passed + 1)); else echo "FAIL $what"; failed=$((failed + 1)); fi; }

cd "$work"
# The code-signing certificate and its PKCS#12 file (password with a space and a $).
openssl req -x509 -newkey rsa:2048 -sha256 -days 2 -nodes -keyout sign.key -out sign.pem \
  -subj "/CN=teamsfix test signing" -addext "keyUsage=critical,digitalSignature" \
  -addext "extendedKeyUsage=codeSigning" 2>/dev/null
printf '%s' 'test pa$$ word' >password
openssl pkcs12 -export -in sign.pem -inkey sign.key -out sign.p12 -passout file:password
# The time-stamp authority.
openssl req -x509 -newkey rsa:2048 -sha256 -days 2 -nodes -keyout tsa.key -out tsa.pem \
  -subj "/CN=teamsfix test TSA" -addext "keyUsage=critical,digitalSignature" \
  -addext "extendedKeyUsage=critical,timeStamping" 2>/dev/null
echo 01 >tsaserial
cat >tsa.cnf <<EOF
[ tsa ]
default_tsa = tsa1
[ tsa1 ]
dir = $work
serial = \$dir/tsaserial
signer_cert = \$dir/tsa.pem
signer_key = \$dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256, sha384, sha512
accuracy = secs:1
ess_cert_id_alg = sha256
EOF
cat >tsa.py <<'EOF'
import http.server, subprocess, sys, tempfile, os
work = sys.argv[1]
class TSA(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        query = self.rfile.read(min(int(self.headers.get("Content-Length", 0)), 65536))
        with tempfile.TemporaryDirectory(dir=work) as d:
            q, r = os.path.join(d, "q.tsq"), os.path.join(d, "r.tsr")
            open(q, "wb").write(query)
            ok = subprocess.run(["openssl", "ts", "-reply", "-config", os.path.join(work, "tsa.cnf"),
                                 "-queryfile", q, "-out", r], capture_output=True).returncode == 0
            body = open(r, "rb").read() if ok else b""
        self.send_response(200 if ok else 500)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        open(os.path.join(work, "tsa.count"), "a").write("1\n")
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), TSA)
open(os.path.join(work, "tsa.port"), "w").write(str(server.server_address[1]))
server.serve_forever()
EOF
"$python" tsa.py "$work" &
tsa_pid=$!
for _ in $(seq 1 50); do [ -s tsa.port ] && break; sleep 0.1; done
port="$(cat tsa.port)"

# 1. Signed with a time stamp; verifies against the test roots.
cp "$exe" a.exe
rc=0
TEAMSFIX_SIGN_PKCS12=sign.p12 TEAMSFIX_SIGN_PASSWORD_FILE=password TEAMSFIX_SIGN_CAFILE=sign.pem \
  TEAMSFIX_SIGN_TIMESTAMP_URL="http://127.0.0.1:$port" "$sign" a.exe >sign.out 2>&1 || rc=$?
check "sign.sh signs with a time stamp (exit $rc: $(tail -n 1 sign.out))" test "$rc" -eq 0
check "the time-stamp server was asked" test -s tsa.count
rc=0; osslsigncode verify -in a.exe -CAfile sign.pem -TSA-CAfile tsa.pem >verify.out 2>&1 || rc=$?
check "osslsigncode verify accepts it against the test roots" test "$rc" -eq 0
check "the signature carries a verified time stamp" grep -q "Timestamp Server Signature verification: ok\|Timestamp Verified by" verify.out
check "the signature is SHA-256" grep -q "Message digest algorithm  *: SHA256" verify.out

# 2. Refusals leave the exe as it was.
cp "$exe" b.exe
rc=0; TEAMSFIX_SIGN_PKCS12=sign.p12 TEAMSFIX_SIGN_PASSWORD=wrong "$sign" b.exe >/dev/null 2>&1 || rc=$?
check "a wrong password: exit 1 (got $rc), exe unchanged" bash -c "[ $rc -eq 1 ] && cmp -s '$exe' b.exe"
rc=0; env -u TEAMSFIX_SIGN_PASSWORD TEAMSFIX_SIGN_PKCS12=sign.p12 "$sign" b.exe >/dev/null 2>&1 || rc=$?
check "no password configured: exit 2 (got $rc)" test "$rc" -eq 2
rc=0; env -u TEAMSFIX_SIGN_PKCS12 "$sign" b.exe >/dev/null 2>&1 || rc=$?
check "no certificate configured: exit 2 (got $rc)" test "$rc" -eq 2
rc=0; TEAMSFIX_SIGN_PKCS12=sign.p12 TEAMSFIX_SIGN_PASSWORD_FILE=password "$sign" b.exe >noca.out 2>&1 || rc=$?
check "a test certificate without its root (TEAMSFIX_SIGN_CAFILE): exit 1 (got $rc), exe unchanged" \
  bash -c "[ $rc -eq 1 ] && cmp -s '$exe' b.exe"

# 3. A changed byte breaks the signature.
cp a.exe t.exe
printf '\x00\x01\x02\x03' | dd of=t.exe bs=1 seek=$(( $(stat -c %s t.exe) / 3 )) conv=notrunc status=none
rc=0; osslsigncode verify -in t.exe -CAfile sign.pem -TSA-CAfile tsa.pem >tampered.out 2>&1 || rc=$?
check "a tampered copy fails verification (exit $rc, $(grep -c MISMATCH tampered.out) mismatch)" test "$rc" -ne 0

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
