#!/usr/bin/env bash
# run.sh [cashier args…] — start the sandbox on a free loopback port, run the
# C cashier flow (build/cashier-c) against it, stop the sandbox, and exit
# with the cashier's status. Expects build/sandbox and build/cashier-c (built
# by `make demo` / `make test-sandbox`). Run from the repository root.
set -euo pipefail
BUILD=${BUILD:-build}
tmp=$(mktemp -d)
"$BUILD/sandbox" -addr 127.0.0.1:0 -seed testdata/sandbox/seed.json -quiet >"$tmp/url" 2>"$tmp/log" &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
url=""
for _ in $(seq 1 100); do
  url=$(head -n 1 "$tmp/url" 2>/dev/null || true)
  [[ $url == http://* ]] && break
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/log" >&2; echo "run.sh: the sandbox did not start" >&2; exit 1; }
  sleep 0.1
done
[[ $url == http://* ]] || { cat "$tmp/log" >&2; echo "run.sh: no sandbox URL after 10 s" >&2; exit 1; }
echo "sandbox: $url (pid $pid)"
status=0
"$BUILD/cashier-c" "$url" testdata "$@" || status=$?
[[ $status -eq 0 ]] || cat "$tmp/log" >&2
exit $status
