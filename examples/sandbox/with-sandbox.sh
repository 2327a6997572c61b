#!/usr/bin/env bash
# with-sandbox.sh CMD [ARG…] — start the sandbox (build/sandbox, or $SANDBOX_BIN)
# on a free loopback port, run CMD with the base URL in $SANDBOX_URL and in
# place of every argument that is exactly @URL@, stop the sandbox, and exit
# with CMD's status (the sandbox log is shown when CMD fails). Runs from any
# directory (CMD runs in the current one; build/sandbox and the seed are found
# from this script's place). Extra sandbox flags: $SANDBOX_FLAGS (e.g. "-state f.json").
# The sandbox also serves HTTPS and a counting forward proxy on free ports:
# CMD gets $SANDBOX_TLS_URL (the same sandbox over HTTPS), $SANDBOX_CA_FILE
# (its CA certificate, PEM, for transport.rootCAs) and $SANDBOX_PROXY_URL
# (the proxy; GET $SANDBOX_PROXY_URL/counts gives what it relayed).
#
#   examples/sandbox/with-sandbox.sh build/cashier-c @URL@ testdata
#   examples/sandbox/with-sandbox.sh mono build/csharp-cashier.exe   # reads $SANDBOX_URL
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=${SANDBOX_BIN:-$root/build/sandbox}
[[ $# -gt 0 ]] || { echo "usage: $0 CMD [ARG…]" >&2; exit 2; }
[[ -x $bin ]] || { echo "with-sandbox.sh: $bin is missing; run: make sandbox" >&2; exit 2; }
tmp=$(mktemp -d)
# shellcheck disable=SC2086
"$bin" -addr 127.0.0.1:0 -tls-addr 127.0.0.1:0 -tls-ca "$tmp/ca.pem" -proxy-addr 127.0.0.1:0 \
  -seed "$root/testdata/sandbox/seed.json" -quiet ${SANDBOX_FLAGS:-} >"$tmp/url" 2>"$tmp/log" &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
url=""
for _ in $(seq 1 200); do
  url=$(head -n 1 "$tmp/url" 2>/dev/null || true)
  [[ $url == http://* ]] && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/log" >&2; echo "with-sandbox.sh: the sandbox did not start" >&2; exit 1; }
  sleep 0.05
done
[[ $url == http://* ]] || { cat "$tmp/log" >&2; echo "with-sandbox.sh: no sandbox URL after 10 s" >&2; exit 1; }
tls_url=$(sed -n 's/^tls //p' "$tmp/url")
proxy_url=$(sed -n 's/^proxy //p' "$tmp/url")
echo "sandbox: $url, $tls_url, proxy $proxy_url (pid $pid)"
args=()
for a in "$@"; do [[ $a == @URL@ ]] && args+=("$url") || args+=("$a"); done
status=0
SANDBOX_URL=$url SANDBOX_TLS_URL=$tls_url SANDBOX_CA_FILE=$tmp/ca.pem SANDBOX_PROXY_URL=$proxy_url "${args[@]}" || status=$?
[[ $status -eq 0 ]] || { echo "--- sandbox log ---" >&2; cat "$tmp/log" >&2; }
exit $status
