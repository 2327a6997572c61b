# C ABI (issue 5): the Linux shared library, its header, the C harness and
# the C benchmark. Targets:
#   make lib        build/libcouponkit.so + build/couponkit.h
#   make test-capi  C harness against the .so, header ⇄ export check, capi's
#                   Go tests under Go 1.20.14 (in make test)
#   make bench-capi ck_invoke from C vs the same call in Go (in make bench)
.PHONY: lib test-capi bench-capi

CAPI_LIB    := $(BUILD)/libcouponkit.so
CAPI_HEADER := bindings/c/couponkit.h
# Everything the library is built from (the core packages, capi, the header
# capi/exports.c implements, the module).
CAPI_SRC    := $(shell find core capi -type f \( -name '*.go' -o -name '*.c' -o -name '*.h' \) ! -name '*_test.go' 2>/dev/null) \
               $(CAPI_HEADER) go.mod go.sum
# CAPI_TAGS=couponkit_notransport builds the libraries without the HTTP
# transport (capi/transport.go; after `make clean`); both sizes: docs/testing.md,
# "Library sizes".
CAPI_TAGS   ?=
CAPI_GOFLAGS := -trimpath -buildmode=c-shared -tags "$(CAPI_TAGS)"
# Go linker flags of every library build (each build adds its export list).
# -buildid= leaves the Go build ID out: it hashes the link flags, and the
# version script's absolute path would make two checkouts differ (make dist
# is reproducible).
CAPI_LDFLAGS := -s -w -buildid=

lib: $(CAPI_LIB) $(BUILD)/couponkit.h

# Built under a temporary name and renamed, so a process loading the library
# while it is rebuilt never sees a half-written file. The version script
# (from the header, bindings/c/exports.sh) exports exactly the header's
# functions: cgo's internal ckgo_* exports and the Go runtime's symbols stay
# local.
CAPI_MAP := $(BUILD)/capi/couponkit.map
$(CAPI_MAP): $(CAPI_HEADER) bindings/c/exports.sh
	@mkdir -p $(@D)
	bindings/c/exports.sh $< elf version-script > $@

$(CAPI_LIB): $(CAPI_SRC) $(CAPI_MAP)
	@mkdir -p $(BUILD)
	@scripts/ensure-apt.sh gcc:gcc
	CGO_ENABLED=1 $(GO) build $(CAPI_GOFLAGS) -ldflags "$(CAPI_LDFLAGS) -extldflags=-Wl,--version-script=$(abspath $(CAPI_MAP))" \
	  -o $(BUILD)/.libcouponkit.tmp.so ./capi
	rm -f $(BUILD)/.libcouponkit.tmp.h
	mv -f $(BUILD)/.libcouponkit.tmp.so $@
	@echo "lib: $@ $$(stat -c %s $@) bytes"

$(BUILD)/couponkit.h: $(CAPI_HEADER)
	@mkdir -p $(BUILD)
	cp $< $@

# The C harness (examples/c/harness.c) and the C benchmark, built against the
# .so; the rpath finds the library in build/ wherever the tree is.
CAPI_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -I bindings/c
CAPI_CASES  := examples/c/cases.txt

$(BUILD)/c/%: examples/c/%.c $(CAPI_HEADER) $(CAPI_LIB)
	@mkdir -p $(@D)
	gcc $(CAPI_CFLAGS) $< -o $@ -L$(BUILD) -lcouponkit -Wl,-rpath,'$$ORIGIN/..' -lpthread

# The floating-point harness (tests/fpu/fpu.c, issue 17) against the .so:
# every export keeps the caller's x87 and SSE state, in every mode, from the
# main thread and 4 more; results equal the masked run's. Its own cases
# (money with JSON numbers, quotes in every rounding mode, RSA2 and SM2
# signing and verification) are made by tests/fpu/cases.sh with openssl; the
# SM2 signatures it makes are verified by openssl afterwards.
FPU_CASES := $(BUILD)/fpu/cases.txt
$(FPU_CASES): tests/fpu/cases.sh $(wildcard testdata/allinpay/*.pem)
	@scripts/ensure-apt.sh $(OPENSSL_APT)
	@mkdir -p $(@D)
	tests/fpu/cases.sh $@.tmp
	mv -f $@.tmp $@

$(BUILD)/fpu/fpu: tests/fpu/fpu.c $(CAPI_HEADER) $(CAPI_LIB)
	@mkdir -p $(@D)
	gcc $(CAPI_CFLAGS) $< -o $@ -L$(BUILD) -lcouponkit -Wl,-rpath,'$$ORIGIN/..' -lpthread

# fpu_run DIR COMMAND: runs COMMAND (the harness, perhaps under Wine) in DIR
# on both case files (absolute paths: Wine maps them through drive Z:), then
# verifies with openssl the SM2 signatures it made.
define fpu_run
	rm -f $(1)/sm2-*
	cd $(1) && $(2) $(abspath $(CAPI_CASES)) $(abspath $(FPU_CASES)) --sm2-out sm2 </dev/null
	tests/fpu/verify-sm2.sh $(1)/sm2
endef

TEST_TARGETS += test-capi
test-capi: $(BUILD)/c/harness $(BUILD)/fpu/fpu $(FPU_CASES)
	$(GO120) vet ./capi
	$(GO120) test -count=1 ./capi
	bindings/c/check-exports.sh $(CAPI_HEADER) $(CAPI_LIB) elf
	$(BUILD)/c/harness $(CAPI_CASES) </dev/null
	$(call fpu_run,$(BUILD)/fpu,./fpu)

# make bench-capi: ck_invoke from C (examples/c/bench.c) against the same
# calls made directly in Go on the registry (capi/bench_test.go), in one run;
# best of 5 each. Budget: the C boundary adds at most 3 µs per call. Also
# reports the library sizes (budget: under 9 MB each, issue 12). Figures
# only, no pass/fail: timings are not assertions.
BENCH_TARGETS += bench-capi
bench-capi: $(BUILD)/c/bench
	@mkdir -p $(BUILD)/bench
	$(GO) test -c -o $(BUILD)/bench/capi.test ./capi
	@rm -f $(BUILD)/bench/capi-go.txt $(BUILD)/bench/capi-c.txt
	@# Go and C rounds alternate, so a busy machine slows both alike.
	@for i in 1 2 3 4 5; do \
	  (cd capi && ../$(BUILD)/bench/capi.test -test.run '^$$' -test.bench '^BenchmarkGo$$' -test.benchmem) | grep '^Benchmark' | tee -a $(BUILD)/bench/capi-go.txt; \
	  $(BUILD)/c/bench examples/c/bench_verify.json 1 | tee -a $(BUILD)/bench/capi-c.txt; \
	done
	@awk '/^BenchmarkGo\// { n = $$1; sub(/^BenchmarkGo\//, "", n); sub(/-[0-9]+$$/, "", n); \
	        if (!(n in g) || $$3 < g[n]) g[n] = $$3 } \
	      /^BenchmarkC\// { n = $$1; sub(/^BenchmarkC\//, "", n); if (!(n in c) || $$3 < c[n]) c[n] = $$3 } \
	      END { print "== C ABI overhead per call (best of 5; budget 3000 ns added)"; \
	        for (n in c) printf "%-24s C %6d ns/op   Go %6d ns/op   added %5d ns %s\n", n, c[n], g[n], c[n] - g[n], \
	          (c[n] - g[n] <= 3000 ? "(within budget)" : "(OVER the 3 µs budget)") }' \
	  $(BUILD)/bench/capi-go.txt $(BUILD)/bench/capi-c.txt
	@echo "== library sizes (budget: under 9 MB = 9437184 bytes each)"
	@for f in $(CAPI_LIB) $(wildcard $(BUILD)/windows/*/couponkit.dll $(BUILD)/windows7/*/couponkit.dll); do \
	  s=$$(stat -c %s $$f); printf "%-40s %9d bytes %s\n" $$f $$s "$$( [ $$s -lt 9437184 ] && echo '(within budget)' || echo '(OVER budget)')"; done
