#!/usr/bin/env bash
# run.sh [--faults] — the C cashier flow (build/cashier-c) against a sandbox
# started for it on a free loopback port (examples/sandbox/with-sandbox.sh).
# Built and run by `make demo` (and `make test-sandbox` with --faults). The
# sandbox returns bizIds of its own (-reply-bizid own, unless SANDBOX_FLAGS
# says otherwise), so the flow shows that a reversal takes the returned one.
set -euo pipefail
export SANDBOX_FLAGS=${SANDBOX_FLAGS:--reply-bizid own}
exec examples/sandbox/with-sandbox.sh "${BUILD:-build}/cashier-c" @URL@ testdata "$@"
