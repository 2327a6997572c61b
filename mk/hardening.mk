# Hardening (issue 9): the bad-input catalogue (testdata/badinput) through
# core/invoke and through the C ABI from C, the secrets sweep, session
# stress from goroutines and from pthreads, and the leak runs; and (issue
# 12) the hostile-server cases (tests/hostile) through the C ABI.
#   make test-hardening   all of it (in make test; what it checks and how long
#                         it takes: docs/testing.md, "Hardening")
#   make fuzz             also runs the fuzz targets added below
# The same Go tests run under the race detector in test-go; here they run
# without it, so the 1 s per-call bound of the catalogue is enforced.
.PHONY: test-hardening hardening-tools hardening-go hardening-c hardening-leak hardening-wasm hardening-hostile

HARDENING       := $(BUILD)/hardening
HARDENING_CAT   := $(HARDENING)/catalogue.txt
HARDENING_C     := tests/hardening/c/hardening.c
# Calls of every method in the leak runs: LeakSanitizer at native speed
# takes the issue's 10,000; memcheck runs the Go runtime ~50x slower, so it
# takes 100 (about 40 s; 10,000 would take over half an hour).
HARDENING_LSAN_CALLS     ?= 10000
HARDENING_VALGRIND_CALLS ?= 100
HARDENING_CFLAGS := -std=c11 -Wall -Wextra -Werror -O1 -g -I bindings/c

TEST_TARGETS += test-hardening
test-hardening: hardening-go hardening-c hardening-leak hardening-wasm hardening-hostile
	@echo "test-hardening: passed"

HARDENING_APT := gcc:gcc valgrind:valgrind node:nodejs
APT_TOOLS += $(HARDENING_APT)
hardening-tools:
	@scripts/ensure-apt.sh $(HARDENING_APT)

hardening-go:
	$(GO) test -count=1 ./tests/hardening/

$(HARDENING_CAT): $(wildcard testdata/badinput/*.json) $(wildcard tests/hardening/*.go tests/hardening/cmd/expand/*.go)
	@mkdir -p $(@D)
	$(GO) run ./tests/hardening/cmd/expand -root . -out $@

# One binary, built with LeakSanitizer (the plain build is what valgrind
# runs: the two tools do not mix).
$(HARDENING)/hardening-lsan: $(HARDENING_C) $(CAPI_HEADER) lib | hardening-tools
	@mkdir -p $(@D)
	gcc $(HARDENING_CFLAGS) -fsanitize=leak $< -o $@ -L$(BUILD) -lcouponkit -Wl,-rpath,'$$ORIGIN/..' -lpthread

$(HARDENING)/hardening: $(HARDENING_C) $(CAPI_HEADER) lib | hardening-tools
	@mkdir -p $(@D)
	gcc $(HARDENING_CFLAGS) $< -o $@ -L$(BUILD) -lcouponkit -Wl,-rpath,'$$ORIGIN/..' -lpthread

# The catalogue and 16 pthreads x 50 session rounds through ck_invoke, with
# LeakSanitizer watching both.
hardening-c: $(HARDENING)/hardening-lsan $(HARDENING_CAT)
	$(HARDENING)/hardening-lsan catalogue $(HARDENING_CAT)
	$(HARDENING)/hardening-lsan stress $(HARDENING_CAT) 16 50

# Every method HARDENING_LSAN_CALLS times under LeakSanitizer (any leak fails
# the run), then HARDENING_VALGRIND_CALLS times under valgrind memcheck,
# judged on definite leaks only (the Go runtime's stack switching and
# uninitialised reads are noise memcheck cannot tell from bugs).
hardening-leak: $(HARDENING)/hardening-lsan $(HARDENING)/hardening $(HARDENING_CAT)
	$(HARDENING)/hardening-lsan leak $(HARDENING_CAT) $(HARDENING_LSAN_CALLS) | tail -1
	valgrind --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \
	  --undef-value-errors=no --log-file=$(HARDENING)/valgrind.log \
	  $(HARDENING)/hardening leak $(HARDENING_CAT) $(HARDENING_VALGRIND_CALLS) | tail -1
	@grep -qE 'definitely lost: 0 bytes in 0 blocks|no leaks are possible' $(HARDENING)/valgrind.log \
	  || { grep -A3 'LEAK SUMMARY' $(HARDENING)/valgrind.log; grep -B2 -A20 'definitely lost in' $(HARDENING)/valgrind.log; \
	       echo "valgrind: definite leaks (see $(HARDENING)/valgrind.log)"; exit 1; }
	@echo "valgrind: $$(grep -E "definitely lost|no leaks are possible" $(HARDENING)/valgrind.log | sed "s/^==[0-9]*== *//")"

# The hostile-server cases through the C ABI (issue 12): cmd/hostile serves
# them on 127.0.0.1, sets HTTP_PROXY/HTTPS_PROXY to its counting proxy and
# runs the C program, the whole run under an address-space limit of
# HARDENING_AS_KB (1 GB); each flood call must raise the peak resident
# memory by under 64 MiB. MALLOC_ARENA_MAX=1: 64-bit glibc reserves 64 MiB
# of address space for each thread's malloc arena (4 of them before the
# first call), which alone leaves a Go library a few MiB under 1 GB; a
# 32-bit process (the Windows POS this limit stands for) has no such
# reservations.
HARDENING_AS_KB ?= 1048576
hardening-hostile: $(HARDENING)/hardening
	$(GO) run ./tests/hardening/cmd/hostile -out $(HARDENING)/hostile.txt -- \
	  bash -c 'ulimit -v $(HARDENING_AS_KB) && MALLOC_ARENA_MAX=1 exec "$$0" "$$@"' $(HARDENING)/hardening hostile @CASES@

# The catalogue through the WebAssembly module under Node (the module and
# wasm_exec.js from `make wasm`). Calls over 1 s are listed; set
# HARDENING_WASM_STRICT=1 to fail on them too.
hardening-wasm: wasm
	@scripts/ensure-apt.sh node:nodejs
	$(GO) run ./tests/hardening/cmd/expand -root . -target wasm -out $(HARDENING)/catalogue-wasm.txt
	node tests/hardening/wasm/catalogue.mjs $(HARDENING)/catalogue-wasm.txt
	node tests/hardening/wasm/catalogue.mjs $(HARDENING)/catalogue-wasm.txt $(WASM_OUT)/couponkit-zvcms.wasm

FUZZ_LIST += ./core/allinpay:FuzzVerifyParseResponse ./core/allinpay:FuzzParseKey \
	./core/discount:FuzzQuoteText ./core/discount:FuzzQuoteBasket ./core/invoke:FuzzInvoke
