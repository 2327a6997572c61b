# couponkit — the two commands a fresh machine needs:
#   make demo   build the library and run a cashier flow
#   make test   everything that proves it works
#
# Each area adds its own targets in mk/<area>.mk and appends them to
# TEST_TARGETS / BENCH_TARGETS / FUZZ_TARGETS / DEMO_TARGETS.

SHELL      := /bin/bash
.SHELLFLAGS := -euo pipefail -c
GO         ?= go
# The Windows 7 build and the compatibility test use the last Go release that
# supports Windows 7; the Go command downloads it through the module proxy.
GO120      := GOTOOLCHAIN=go1.20.14 $(GO)
BUILD      := build
# -buildvcs=false: a library's bytes depend on its sources only, not on the
# checkout (Go would stamp the commit, its time and a "modified" flag that an
# untracked file flips; a git worktree gets no stamp at all), so make dist is
# reproducible; the bundle README names the commit instead.
export GOFLAGS ?= -mod=readonly -buildvcs=false

TEST_TARGETS  :=
BENCH_TARGETS :=
FUZZ_TARGETS  :=
# How long `make fuzz` runs each fuzz target.
FUZZTIME   ?= 60s

# Debian packages the tests need, as CMD:PACKAGE pairs (scripts/ensure-apt.sh);
# each mk/<area>.mk appends its own and still installs them itself when its
# targets run alone.
APT_TOOLS :=
# Scripts that install what apt alone cannot (e.g. after dpkg --add-architecture);
# run by `make tools` after the batch.
TOOL_SCRIPTS :=

.PHONY: all test bench fuzz demo clean vet test-go test-go120 bench-go tools
all: test

include $(sort $(wildcard mk/*.mk))

## Go: formatting, vet, unit and property tests with the race detector, and
## the same tests under Go 1.20.14 (the Windows 7 toolchain).
vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./core/... ./wasm
	GOOS=js GOARCH=wasm $(GO) vet -tags couponkit_zvcms ./wasm

test-go: vet
	$(GO) test -race -count=1 ./...

test-go120:
	$(GO120) version
	$(GO120) vet ./core/...
	$(GO120) test -count=1 ./core/...

bench-go:
	$(GO) test -run '^$$' -bench . -benchmem ./core/...

## Every missing Debian tool in one apt transaction (one 'apt-get update'),
## before the tests start. If the batch fails, each test's own ensure-apt
## call tries again and fails loudly naming what it lacks.
tools:
	@scripts/ensure-apt.sh $(sort $(APT_TOOLS)) || \
	  echo "tools: the batch install failed; each test installs (or names) what it needs"
	@for s in $(TOOL_SCRIPTS); do $$s || echo "tools: $$s failed; the tests that need it install (or name) it again"; done

test: tools test-go test-go120 $(TEST_TARGETS)
	@echo "make test: all passed"

bench: bench-go $(BENCH_TARGETS)

fuzz: $(FUZZ_TARGETS)

clean:
	rm -rf $(BUILD)
