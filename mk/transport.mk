# Transport under Wine (issue 12): the C cashier flow (examples/cashier-c),
# cross-built for Windows against the Windows 7 DLLs (Go 1.20.14, the ones
# this Wine runs), under wine64 (x64) and 32-bit Wine (x86), against the
# sandbox on 127.0.0.1: couponSend, couponDiscount, a real
# zvcms.verifyCoupons and zvcms.call through the library's own net/http
# transport over Winsock, every reply parsed and checked; --faults adds the
# sandbox's faults (HTTP 500, truncated reply, dropped connection, latency
# past timeoutMs) and a refused port, each with its reason. Then the whole
# core/transport test suite (the in-process hostile cases over Winsock, TLS,
# proxies, the hidden-retry proof, and "system" reading the Internet Options
# proxy from the registry of the Wine prefix), built with Go 1.20.14 for
# windows/amd64 and windows/386, under each Wine.
#   make test-transport-wine   (in make test; WINE, WINE32, WINE_ENV and
#                               WINE_TIMEOUT come from mk/windows.mk)
.PHONY: test-transport-wine

WINE_CASHIER := $(BUILD)/wine-cashier

# wine_cashier_rule ARCH MINGW-TRIPLET: the cashier for one Windows 7 DLL,
# in a directory holding both.
define wine_cashier_rule
$(WINE_CASHIER)/$(1)/cashier.exe: examples/cashier-c/cashier.c $$(CAPI_HEADER) $(BUILD)/windows7/$(1)/couponkit.dll | win-tools
	@mkdir -p $$(@D)
	cp $(BUILD)/windows7/$(1)/couponkit.dll $$(@D)/couponkit.dll
	$(2)-gcc -std=c99 -O2 -Wall -Wextra -Werror -I bindings/c $$< -o $$@ $$(@D)/couponkit.dll
endef
$(eval $(call wine_cashier_rule,x64,x86_64-w64-mingw32))
$(eval $(call wine_cashier_rule,x86,i686-w64-mingw32))

# The core/transport tests as a Windows program (Go 1.20.14, no cgo).
WINE_TRANSPORT_SRC := $(CAPI_SRC) $(wildcard core/transport/*_test.go tests/hostile/*.go)
$(WINE_CASHIER)/x64/transport.test.exe: $(WINE_TRANSPORT_SRC)
	@mkdir -p $(@D)
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO120) test -c -o $@ ./core/transport
$(WINE_CASHIER)/x86/transport.test.exe: $(WINE_TRANSPORT_SRC)
	@mkdir -p $(@D)
	CGO_ENABLED=0 GOOS=windows GOARCH=386 $(GO120) test -c -o $@ ./core/transport

TEST_TARGETS += test-transport-wine
test-transport-wine: $(SANDBOX_BIN) $(WINE_CASHIER)/x64/cashier.exe $(WINE_CASHIER)/x86/cashier.exe \
  $(WINE_CASHIER)/x64/transport.test.exe $(WINE_CASHIER)/x86/transport.test.exe
	@scripts/ensure-apt.sh $(WINE):wine64
	@[ -x $(WINE32) ] || { echo "test-transport-wine: 32-bit Wine $(WINE32) is missing; install it: sudo dpkg --add-architecture i386 && sudo apt-get update && sudo apt-get install wine32:i386"; exit 1; }
	@echo "== wine64: the cashier flow and its faults against the sandbox, build/windows7/x64/couponkit.dll"
	$(WINE_ENV) timeout $(WINE_TIMEOUT) examples/sandbox/with-sandbox.sh $(WINE) $(WINE_CASHIER)/x64/cashier.exe @URL@ testdata --faults </dev/null
	@echo "== 32-bit Wine: the same, build/windows7/x86/couponkit.dll"
	$(WINE_ENV) timeout $(WINE_TIMEOUT) examples/sandbox/with-sandbox.sh $(WINE32) $(WINE_CASHIER)/x86/cashier.exe @URL@ testdata --faults </dev/null
	@echo "== wine64 and 32-bit Wine: the core/transport tests (Go 1.20.14, windows/amd64 and windows/386)"
	cd $(WINE_CASHIER)/x64 && $(WINE_ENV) COUPONKIT_REGISTRY_TEST=1 timeout $(WINE_TIMEOUT) $(WINE) transport.test.exe -test.count=1 </dev/null
	cd $(WINE_CASHIER)/x86 && $(WINE_ENV) COUPONKIT_REGISTRY_TEST=1 timeout $(WINE_TIMEOUT) $(WINE32) transport.test.exe -test.count=1 </dev/null
	@echo "test-transport-wine: passed"
