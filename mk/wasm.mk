# WebAssembly module, JS/TypeScript binding, browser cashier page (issue 7).
#
#   make wasm        build build/wasm/{couponkit.wasm,couponkit-zvcms.wasm,
#                    wasm_exec.js,build.json} and copy them into
#                    bindings/js/dist/ (git-ignored)
#   make wasm-size   raw, gzip -9 and brotli sizes of both variants against
#                    their limits, the floor under each (internal/wasmfloor:
#                    what it links from Go and the dependencies, without
#                    couponkit's code), and what takes the space (code per Go
#                    package, from a build that keeps the name section);
#                    fails above a limit
#   make test-wasm   tsc on the .d.ts, Node's test runner against the real .wasm,
#                    the cashier page in headless Chromium (part of `make test`),
#                    once per variant (CK_VARIANT=zvcms the second time)
#   make bench-wasm  Node per-call times against references in the same run
#                    (ck_invoke from C, the same calls in native Go, a
#                    node:crypto token), Chromium cold start (in `make bench`)
#   make bench-wasm-floor  the same Go references natively and built for
#                    GOOS=js GOARCH=wasm (run by Node), alternating: the
#                    toolchain's share of each call's ratio
#
# wasm_exec.js is copied from the GOROOT of the same $(GO) that builds the
# module (lib/wasm since Go 1.24, misc/wasm before), never committed.

WASM_OUT        := $(BUILD)/wasm
JS_PKG          := bindings/js
JS_DIST         := $(JS_PKG)/dist
# The two variants (docs/keyless.md, "Choosing a module"): the full module and
# the zvcms + discount + money one (build tag couponkit_zvcms: no Allinpay, so
# no RSA or SM2 code). WASM_VARIANTS is "name:file:tags" triples.
WASM_VARIANTS   := full:couponkit.wasm: zvcms:couponkit-zvcms.wasm:couponkit_zvcms
# Limits on the gzip -9 sizes, in bytes. Issue 16's targets are 1,500,000
# (full) and 900,000 (zvcms); neither can be reached: the floor under each
# (internal/wasmfloor, printed by wasm-size; docs/testing.md) is itself over
# it. So each limit is the size measured
# with go1.26.8 (docs/keyless.md, "Choosing a module": the full module once
# the passwd redaction no longer linked package regexp, the zvcms one after
# the merge of the Allinpay lifecycle) plus under 3%: it catches growth, and
# is lowered when the size drops.
WASM_GZIP_LIMIT_full  := 2330000
WASM_GZIP_TARGET_full := 1500000
WASM_GZIP_LIMIT_zvcms  := 1540000
WASM_GZIP_TARGET_zvcms := 900000
CHROMIUM        ?= /usr/bin/chromium
WASM_SIZE_APT   := gzip:gzip brotli:brotli
BROWSER_APT     := node:nodejs $(CHROMIUM):chromium \
  /usr/share/fonts/truetype/wqy/wqy-microhei.ttc:fonts-wqy-microhei
APT_TOOLS       += $(WASM_SIZE_APT) $(BROWSER_APT)

.PHONY: wasm wasm-size test-wasm bench-wasm bench-wasm-floor js-deps
TEST_TARGETS  += test-wasm
BENCH_TARGETS += bench-wasm

# build.json names wasm_exec.js relative to GOROOT (no machine path in the
# bundle); the test reads it back from $(GO) env GOROOT.
wasm:
	@mkdir -p $(WASM_OUT) $(JS_DIST)
	@for v in $(WASM_VARIANTS); do IFS=: read -r name file tags <<< "$$v"; \
	  echo "GOOS=js GOARCH=wasm $(GO) build -trimpath -tags '$$tags' -ldflags='-s -w' -o $(WASM_OUT)/$$file ./wasm"; \
	  GOOS=js GOARCH=wasm $(GO) build -trimpath -tags "$$tags" -ldflags="-s -w" -o $(WASM_OUT)/$$file ./wasm; done
	@root=$$($(GO) env GOROOT); rel=lib/wasm/wasm_exec.js; \
	  [[ -f $$root/$$rel ]] || rel=misc/wasm/wasm_exec.js; \
	  [[ -f $$root/$$rel ]] || { echo "wasm: no wasm_exec.js under $$root"; exit 1; }; \
	  cp "$$root/$$rel" $(WASM_OUT)/wasm_exec.js; \
	  printf '{"go":"%s","wasmExec":"%s","variants":{"full":"couponkit.wasm","zvcms":"couponkit-zvcms.wasm"}}\n' "$$($(GO) env GOVERSION)" "$$rel" > $(WASM_OUT)/build.json
	cp $(WASM_OUT)/couponkit.wasm $(WASM_OUT)/couponkit-zvcms.wasm $(WASM_OUT)/wasm_exec.js $(WASM_OUT)/build.json $(JS_DIST)/

# Each variant: raw, gzip -9 and brotli sizes against its limit and target,
# then what takes the space (code per Go package, from a build that keeps the
# name section). Fails above a limit.
wasm-size: wasm
	@scripts/ensure-apt.sh $(WASM_SIZE_APT)
	@fail=0; for v in $(WASM_VARIANTS); do IFS=: read -r name file tags <<< "$$v"; \
	  case $$name in full) limit=$(WASM_GZIP_LIMIT_full) target=$(WASM_GZIP_TARGET_full);; \
	    zvcms) limit=$(WASM_GZIP_LIMIT_zvcms) target=$(WASM_GZIP_TARGET_zvcms);; esac; \
	  raw=$$(stat -c %s $(WASM_OUT)/$$file); \
	  gz=$$(gzip -9 -c $(WASM_OUT)/$$file | wc -c); \
	  br=$$(brotli -q 11 -c $(WASM_OUT)/$$file | wc -c); \
	  GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags="-s -w" -o $(WASM_OUT)/$$name.floor.wasm ./internal/wasmfloor/$$name; \
	  floor=$$(gzip -9 -c $(WASM_OUT)/$$name.floor.wasm | wc -c); \
	  echo "== $$file ($$name): raw $$raw B, gzip -9 $$gz B, brotli -q 11 $$br B; gzip limit $$limit B, target $$target B: $$( [[ $$gz -le $$target ]] && echo reached || echo "not reached: $$(( gz - target )) B over")"; \
	  echo "   floor (internal/wasmfloor/$$name: its dependencies, no couponkit code): gzip -9 $$floor B, $$( [[ $$floor -le $$target ]] && echo "under the target" || echo "itself $$(( floor - target )) B over the target")"; \
	  GOOS=js GOARCH=wasm $(GO) build -trimpath -tags "$$tags" -o $(WASM_OUT)/$$name.names.wasm ./wasm; \
	  node $(JS_PKG)/tools/wasm-size.js $(WASM_OUT)/$$name.names.wasm 12; \
	  if [[ $$gz -gt $$limit ]]; then echo "wasm-size: $$file OVER THE LIMIT: gzip -9 $$gz B > $$limit B"; fail=1; fi; \
	done; exit $$fail

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
	@echo "== the same tests on the zvcms variant (couponkit-zvcms.wasm)"
	cd $(JS_PKG) && CK_VARIANT=zvcms GO="$(GO)" CHROMIUM=$(CHROMIUM) SCREENSHOT_DIR=$(abspath $(BUILD))/screenshots-zvcms \
	  node --test test/*.test.js

bench-wasm: wasm js-deps $(BUILD)/c/bench
	@scripts/ensure-apt.sh $(BROWSER_APT)
	@mkdir -p $(BUILD)/bench
	$(GO) test -c -o $(BUILD)/bench/wasm-ref.test ./$(JS_PKG)/bench
	cd $(JS_PKG) && CHROMIUM=$(CHROMIUM) BENCH_C=$(abspath $(BUILD))/c/bench \
	  BENCH_GO_REF=$(abspath $(BUILD))/bench/wasm-ref.test node bench/bench.js

bench-wasm-floor:
	@scripts/ensure-apt.sh node:nodejs
	@mkdir -p $(BUILD)/bench
	$(GO) test -c -o $(BUILD)/bench/wasm-ref.test ./$(JS_PKG)/bench
	GOOS=js GOARCH=wasm $(GO) test -c -o $(BUILD)/bench/wasm-ref-js.test ./$(JS_PKG)/bench
	@root=$$($(GO) env GOROOT); exec=$$root/lib/wasm/wasm_exec_node.js; \
	  [[ -f $$exec ]] || exec=$$root/misc/wasm/wasm_exec_node.js; \
	  cd $(JS_PKG) && BENCH_ONLY=floor BENCH_GO_REF=$(abspath $(BUILD))/bench/wasm-ref.test \
	  BENCH_GO_REF_JS=$(abspath $(BUILD))/bench/wasm-ref-js.test BENCH_WASM_EXEC=$$exec node bench/bench.js
