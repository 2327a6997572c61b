# C ABI (issue 5): the Linux shared library, its header, the C harness and
# the C benchmark. Targets:
#   make lib        build/libcouponkit.so + build/couponkit.h
#   make test-capi  C harness against the .so, header ⇄ export check (in make test)
#   make bench-capi ck_invoke from C vs the same call in Go (in make bench)
.PHONY: lib test-capi bench-capi

CAPI_LIB    := $(BUILD)/libcouponkit.so
CAPI_HEADER := bindings/c/couponkit.h
# Everything the library is built from (the core packages, capi, the module).
CAPI_SRC    := $(shell find core capi -type f \( -name '*.go' -o -name '*.c' -o -name '*.h' \) ! -name '*_test.go' 2>/dev/null) go.mod go.sum
CAPI_GOFLAGS := -trimpath -buildmode=c-shared -ldflags "-s -w"

lib: $(CAPI_LIB) $(BUILD)/couponkit.h

# Built under a temporary name and renamed, so a process loading the library
# while it is rebuilt never sees a half-written file.
$(CAPI_LIB): $(CAPI_SRC)
	@mkdir -p $(BUILD)
	@scripts/ensure-apt.sh gcc:gcc
	CGO_ENABLED=1 $(GO) build $(CAPI_GOFLAGS) -o $(BUILD)/.libcouponkit.tmp.so ./capi
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

TEST_TARGETS += test-capi
test-capi: $(BUILD)/c/harness
	bindings/c/check-exports.sh $(CAPI_HEADER) $(CAPI_LIB) elf
	$(BUILD)/c/harness $(CAPI_CASES) </dev/null
