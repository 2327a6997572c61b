#!/usr/bin/env bash
# newcomer.sh [DOC…] — play the newcomer: for each language doc (default
# docs/go.md docs/c.md docs/csharp.md docs/delphi.md docs/js.md), take the
# blocks fenced as ```sh newcomer, literally, and run them as one bash script
# (set -euo pipefail) in a new empty directory, against a sandbox started for
# it on a free port (examples/sandbox/with-sandbox.sh); then compare the
# output's last lines with the doc's block fenced as ```text expected.
# The blocks may use $COUPONKIT (this checkout, as the README tells a reader
# to set it) and $SANDBOX_URL (the sandbox). Prints one line per doc with
# its time; exits 1 when any doc's steps fail or print something else.
# Run from anywhere; needs build/sandbox (make sandbox), no stdin.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[[ $# -gt 0 ]] || set -- docs/go.md docs/c.md docs/csharp.md docs/delphi.md docs/js.md
# block DOC INFO: the lines of every block of DOC whose opening fence is ```INFO.
block() {
  awk -v want="$2" '
    /^```/ { if (open) { open = 0; inb = 0; next } open = 1; inb = (substr($0, 4) == want); next }
    inb { print }' "$1"
}
fail=0
summary=()
for doc in "$@"; do
  path=$root/$doc
  [[ -f $path ]] || { echo "newcomer: $doc is missing" >&2; exit 2; }
  steps=$(block "$path" "sh newcomer")
  expected=$(block "$path" "text expected")
  [[ -n $steps ]] || { echo "newcomer: $doc has no \`\`\`sh newcomer block" >&2; fail=1; continue; }
  [[ -n $expected ]] || { echo "newcomer: $doc has no \`\`\`text expected block" >&2; fail=1; continue; }
  dir=$(mktemp -d "${TMPDIR:-/tmp}/newcomer.XXXXXX")
  printf 'set -euo pipefail\n%s\n' "$steps" > "$dir.sh"
  echo "== $doc, in the empty directory $dir:"
  sed 's/^/   $ /' <<<"$steps"
  start=$(date +%s.%N)
  status=0
  # A newcomer's shell: no GOFLAGS or LD_LIBRARY_PATH from this Makefile, no stdin.
  (cd "$dir" && env -u GOFLAGS -u LD_LIBRARY_PATH -u MAKEFLAGS -u MFLAGS -u MAKELEVEL COUPONKIT="$root" \
     "$root/examples/sandbox/with-sandbox.sh" bash "$dir.sh" </dev/null >"$dir.out" 2>&1) || status=$?
  secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  n=$(wc -l <<<"$expected")
  got=$(tail -n "$n" "$dir.out")
  if [[ $status -ne 0 || $got != "$expected" ]]; then
    echo "newcomer: $doc FAILED (exit $status) after ${secs}s; output:" >&2
    sed 's/^/   | /' "$dir.out" >&2
    echo "newcomer: expected the output to end with:" >&2
    sed 's/^/   | /' <<<"$expected" >&2
    fail=1
    summary+=("FAIL $doc ${secs}s")
  else
    sed 's/^/   > /' <<<"$got"
    summary+=("ok   $doc ${secs}s, $(wc -l <<<"$steps") lines")
    rm -rf "$dir" "$dir.sh" "$dir.out"
  fi
done
printf 'newcomer: %s\n' "${summary[@]}"
exit $fail
