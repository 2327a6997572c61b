#!/usr/bin/env bash
# run-expect.sh [--gbk] PATTERN [VAR=VALUE...] COMMAND... — runs COMMAND
# (through env, so it may start with variable assignments) with its output
# shown (converted from GBK to UTF-8 with --gbk), and fails unless it exits 0
# AND printed a line matching PATTERN (grep -E). Under Wine a program killed
# by an unhandled exception in one of its threads can end with status 0, so
# the status alone does not prove that a test program ran to its end.
set -uo pipefail
gbk=0
if [[ $1 == --gbk ]]; then gbk=1; shift; fi
pattern=$1; shift
prog=
for a in "$@"; do [[ $a == *=* ]] || { prog=$a; break; }; done
out=$(mktemp); trap 'rm -f "$out"' EXIT
if (( gbk )); then
  env "$@" 2>&1 | tee "$out" | { iconv -c -f GBK -t UTF-8 || true; }
else
  env "$@" 2>&1 | tee "$out"
fi
status=${PIPESTATUS[0]}
if (( status != 0 )); then echo "run-expect: $prog exited with status $status" >&2; exit 1; fi
if ! grep -qE "$pattern" "$out"; then
  echo "run-expect: $prog ended without printing a line matching '$pattern' (killed?)" >&2
  exit 1
fi
