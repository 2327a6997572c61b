# WebAssembly module, JS/TypeScript binding, browser cashier page (issue 7).
#
#   make wasm        build build/wasm/{couponkit.wasm,wasm_exec.js} and copy them
#                    into bindings/js/dist/ (git-ignored)
#   make wasm-size   raw, gzip -9 and brotli sizes against the gzip budget, and
#                    what takes the space (code per Go package, from a build
#                    that keeps the name section); WASM_SIZE_STRICT=1 fails
#                    when over the budget
#   make test-wasm   tsc on the .d.ts, Node's test runner against the real .wasm,
#                    the cashier page in headless Chromium (part of `make test`)
#   make bench-wasm  Node per-call times against references in the same run
#                    (ck_invoke from C, the same calls in native Go, a
#                    node:crypto token), Chromium cold start (in `make bench`)
#
# wasm_exec.js is copied from the GOROOT of the same $(GO) that builds the
# module (lib/wasm since Go 1.24, misc/wasm before), never committed.

WASM_OUT        := $(BUILD)/wasm
JS_PKG          := bindings/js
JS_DIST         := $(JS_PKG)/dist
# Budget for the gzip -9 size of couponkit.wasm, in bytes (1.5 MB, issue 16).
WASM_GZIP_BUDGET := 1500000
CHROMIUM        ?= /usr/bin/chromium
WASM_SIZE_APT   := gzip:gzip brotli:brotli
BROWSER_APT     := node:nodejs $(CHROMIUM):chromium \
  /usr/share/fonts/truetype/wqy/wqy-microhei.ttc:fonts-wqy-microhei
APT_TOOLS       += $(WASM_SIZE_APT) $(BROWSER_APT)

.PHONY: wasm wasm-size test-wasm bench-wasm js-deps
TEST_TARGETS  += test-wasm
BENCH_TARGETS += bench-wasm

wasm:
	@mkdir -p $(WASM_OUT) $(JS_DIST)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" -o $(WASM_OUT)/couponkit.wasm ./wasm
	@root=$$($(GO) env GOROOT); src=$$root/lib/wasm/wasm_exec.js; \
	  [[ -f $$src ]] || src=$$root/misc/wasm/wasm_exec.js; \
	  [[ -f $$src ]] || { echo "wasm: no wasm_exec.js under $$root"; exit 1; }; \
	  cp "$$src" $(WASM_OUT)/wasm_exec.js; \
	  printf '{"go":"%s","wasmExec":"%s"}\n' "$$($(GO) env GOVERSION)" "$$src" > $(WASM_OUT)/build.json
	cp $(WASM_OUT)/couponkit.wasm $(WASM_OUT)/wasm_exec.js $(WASM_OUT)/build.json $(JS_DIST)/

wasm-size: wasm
	@scripts/ensure-apt.sh $(WASM_SIZE_APT)
	@raw=$$(stat -c %s $(WASM_OUT)/couponkit.wasm); \
	  gz=$$(gzip -9 -c $(WASM_OUT)/couponkit.wasm | wc -c); \
	  br=$$(brotli -q 11 -c $(WASM_OUT)/couponkit.wasm | wc -c); \
	  echo "couponkit.wasm: raw $$raw B, gzip -9 $$gz B, brotli -q 11 $$br B (gzip budget $(WASM_GZIP_BUDGET) B)"; \
	  if [[ $$gz -gt $(WASM_GZIP_BUDGET) ]]; then \
	    echo "wasm-size: OVER BUDGET: gzip -9 size $$gz B > $(WASM_GZIP_BUDGET) B"; \
	    [[ "$(WASM_SIZE_STRICT)" != 1 ]] || exit 1; fi
	GOOS=js GOARCH=wasm $(GO) build -trimpath -o $(WASM_OUT)/couponkit.names.wasm ./wasm
	node $(JS_PKG)/tools/wasm-size.js $(WASM_OUT)/couponkit.names.wasm 25

# npm ci only when package-lock.json changed since the last install.
js-deps:
	@cd $(JS_PKG) && want=$$(sha256sum package-lock.json | cut -d' ' -f1); \
	  if [[ "$$(cat node_modules/.couponkit-lock 2>/dev/null)" != "$$want" ]]; then \
	    npm ci --no-audit --no-fund --loglevel=error && echo "$$want" > node_modules/.couponkit-lock; fi

test-wasm: wasm-size js-deps
	@scripts/ensure-apt.sh $(BROWSER_APT)
	cd $(JS_PKG) && node_modules/.bin/tsc -p test/tsconfig.json
	cd $(JS_PKG) && GO="$(GO)" CHROMIUM=$(CHROMIUM) SCREENSHOT_DIR=$(abspath $(BUILD))/screenshots \
	  node --test test/*.test.js

bench-wasm: wasm js-deps $(BUILD)/c/bench
	@scripts/ensure-apt.sh $(BROWSER_APT)
	@mkdir -p $(BUILD)/bench
	$(GO) test -c -o $(BUILD)/bench/wasm-ref.test ./$(JS_PKG)/bench
	cd $(JS_PKG) && CHROMIUM=$(CHROMIUM) BENCH_C=$(abspath $(BUILD))/c/bench \
	  BENCH_GO_REF=$(abspath $(BUILD))/bench/wasm-ref.test node bench/bench.js
