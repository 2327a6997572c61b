#!/usr/bin/env bash
# Runs Go fuzz targets for a while each, two at a time with one worker each
# (the machine is shared), and prints one summary line per target: how long
# it ran, how many executions, and whether it found a failure (a crasher is
# written by `go test` under the package's testdata/fuzz/<Name>/).
# Usage: tests/hardening/fuzz-run.sh SECONDS pkg:Name [pkg:Name ...]
set -uo pipefail
secs=$1; shift
out=${OUT:-build/hardening/fuzz}
mkdir -p "$out"
run() {
  local pkg=${1%%:*} name=${1##*:}
  local log="$out/$name.log"
  local rc try
  # Others may be editing the package: retry a build failure a few times.
  for try in 1 2 3 4 5; do
    go test "$pkg" -run '^$' -fuzz "^$name\$" -fuzztime "${secs}s" -parallel 1 >"$log" 2>&1
    rc=$?
    grep -q '\[build failed\]\|setup failed' "$log" || break
    sleep 20
  done
  local execs
  execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  printf '%-28s %-18s %5ss execs=%-10s %s\n' "$name" "$pkg" "$secs" "${execs:-?}" \
    "$([ $rc -eq 0 ] && echo PASS || echo "FAIL (see $log)")"
}
while [ $# -gt 0 ]; do
  run "$1" & p1=$!
  p2=
  if [ $# -gt 1 ]; then run "$2" & p2=$!; shift; fi
  shift
  wait $p1; [ -n "$p2" ] && wait $p2
done
