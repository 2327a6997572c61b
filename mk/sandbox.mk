# Sandbox server and HTTP transport (issue 8).
#
#   make sandbox        build build/sandbox
#   make sandbox-run    serve on 127.0.0.1:8080 until Ctrl-C (state in build/sandbox-state.json)
#   make test-sandbox   end to end from C: the cashier flow and every fault kind
#                       through the C ABI against the real sandbox (in make test);
#                       the Go end-to-end tests (examples/sandbox, core/transport)
#                       run in test-go
.PHONY: sandbox sandbox-run test-sandbox

SANDBOX_BIN := $(BUILD)/sandbox
CASHIER_C   := $(BUILD)/cashier-c
SANDBOX_SRC := $(shell find core examples/sandbox -type f -name '*.go' ! -name '*_test.go' 2>/dev/null) go.mod go.sum

TEST_TARGETS += test-sandbox

sandbox: $(SANDBOX_BIN)

$(SANDBOX_BIN): $(SANDBOX_SRC)
	@mkdir -p $(BUILD)
	$(GO) build -trimpath -o $@ ./examples/sandbox

$(CASHIER_C): examples/cashier-c/cashier.c $(CAPI_HEADER) $(CAPI_LIB)
	@scripts/ensure-apt.sh gcc:gcc
	gcc -std=c99 -O2 -Wall -Wextra -Werror -I bindings/c -o $@ $< -L$(BUILD) -lcouponkit -Wl,-rpath,'$$ORIGIN'

sandbox-run: $(SANDBOX_BIN)
	$(SANDBOX_BIN) -addr 127.0.0.1:8080 -seed testdata/sandbox/seed.json -state $(BUILD)/sandbox-state.json

test-sandbox: lib $(SANDBOX_BIN) $(CASHIER_C)
	examples/cashier-c/run.sh --faults

# make bench: a verification round trip through the sandbox (sign, send,
# check, redeem, reply, parse); the transport's loopback round trip is in
# bench-go (core/transport).
.PHONY: bench-sandbox
BENCH_TARGETS += bench-sandbox
bench-sandbox:
	$(GO) test -run '^$$' -bench . -benchmem ./examples/sandbox
