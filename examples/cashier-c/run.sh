#!/usr/bin/env bash
# run.sh [--faults] — the C cashier flow (build/cashier-c) against a sandbox
# started for it on a free loopback port (examples/sandbox/with-sandbox.sh).
# Built and run by `make demo` (and `make test-sandbox` with --faults).
set -euo pipefail
exec examples/sandbox/with-sandbox.sh "${BUILD:-build}/cashier-c" @URL@ testdata "$@"
