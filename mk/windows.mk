# Windows DLLs (issue 5), cross-built with mingw-w64:
#   build/windows/{x64,x86}/couponkit.dll    current Go  (Windows 10 and later)
#   build/windows7/{x64,x86}/couponkit.dll   Go 1.20.14  (Windows 7 SP1 and later)
# make dll           build the four DLLs (each only when its sources changed)
# make test-windows  export/import tables, version resource; the C harness and
#                    the floating-point harness under wine64 against the
#                    Windows 7 x64 DLL and under 32-bit Wine against the
#                    Windows 7 x86 DLL (in make test)
# make test-delphi-win32  the Pascal binding as a Win32 program (Free Pascal's
#                    i386 compiler) under 32-bit Wine against the Windows 7
#                    x86 DLL, as on a Chinese Windows (code page 936), in the
#                    Delphi 7 (AnsiString) and 2009+ (UnicodeString) modes
#                    (in make test)
.PHONY: dll test-windows win-tools wine32 test-delphi-win32

WIN_VERSION := $(shell sed -n 's/^const Version = "\(.*\)"/\1/p' core/version/version.go)
# numeric part "1.2.3" of "1.2.3-rc1", as "1,2,3" for the resource
WIN_VERSION_NUM := $(subst ., ,$(firstword $(subst -, ,$(subst +, ,$(WIN_VERSION)))))
WIN_DLLS := $(BUILD)/windows/x64/couponkit.dll $(BUILD)/windows/x86/couponkit.dll \
            $(BUILD)/windows7/x64/couponkit.dll $(BUILD)/windows7/x86/couponkit.dll
# Functions Windows 8 and later added that a Go or MinGW build may import.
WIN8_APIS  := GetSystemTimePreciseAsFileTime|WaitOnAddress|WakeByAddressSingle|WakeByAddressAll|ProcessPrng|SetThreadDescription|GetThreadDescription|CreateFile2|GetSystemCpuSetInformation|SetThreadInformation|GetCurrentThreadStackLimits|PrefetchVirtualMemory|VirtualAlloc2|MapViewOfFile3|SetDefaultDllDirectories|AddDllDirectory
WINE       := /usr/lib/wine/wine64
WINE_ENV   := WINEPREFIX=$(CURDIR)/$(BUILD)/wineprefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY=
# 32-bit Wine (Debian wine32:i386, installed by scripts/ensure-wine32.sh) runs
# in its own 32-bit prefix as a Chinese Windows does: the zh_CN.UTF-8 locale
# (compiled into build/locale, found through LOCPATH) gives ANSI code page
# 936 (GBK), the one a Delphi 7 POS in China runs with.
WINE32     := /usr/lib/wine/wine
WIN_LOCALE := $(BUILD)/locale/zh_CN.UTF-8
WINE32_ENV := WINEPREFIX=$(CURDIR)/$(BUILD)/wineprefix32 WINEARCH=win32 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" \
  DISPLAY= LOCPATH=$(abspath $(dir $(WIN_LOCALE))) LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8
WINE_TIMEOUT ?= 900
# Runs a program under Wine and requires its closing line (the exit status of
# a program Wine killed can be 0): scripts/run-expect.sh.
WIN_EXPECT := $(CURDIR)/scripts/run-expect.sh
# Under Wine every call from a thread Go did not create is slow (the Go 1.20
# runtime attaches and detaches the thread each time, each a Wine server
# round trip; the cost is in docs/testing.md, "Windows"), so the leak run
# there is 100,000 calls instead of 1,000,000; the thread run is the full
# 8 x 10,000.
WINE_HARNESS_ARGS ?= --calls 100000

dll: $(WIN_DLLS)
	@for f in $(WIN_DLLS); do echo "dll: $$f $$(stat -c %s $$f) bytes"; done

MINGW_APT := x86_64-w64-mingw32-gcc:gcc-mingw-w64-x86-64 i686-w64-mingw32-gcc:gcc-mingw-w64-i686 \
  x86_64-w64-mingw32-windres:binutils-mingw-w64-x86-64 i686-w64-mingw32-windres:binutils-mingw-w64-i686
APT_TOOLS += $(MINGW_APT) $(WINE):wine64 /usr/share/i18n/locales/zh_CN:locales
TOOL_SCRIPTS += scripts/ensure-wine32.sh
win-tools:
	@scripts/ensure-apt.sh $(MINGW_APT)

wine32:
	@scripts/ensure-wine32.sh

$(WIN_LOCALE)/LC_CTYPE:
	@scripts/ensure-apt.sh /usr/share/i18n/locales/zh_CN:locales
	@mkdir -p $(dir $(WIN_LOCALE))
	localedef -i zh_CN -f UTF-8 $(WIN_LOCALE) || test -s $@

# The version resource: capi/versioninfo.rc with the version filled in, as a
# COFF object named *_windows_<arch>.syso so only that Windows build links it
# (git-ignored by capi/.gitignore).
capi/zversioninfo_windows_%.syso: capi/versioninfo.rc core/version/version.go | win-tools
	@mkdir -p $(BUILD)/windows
	sed -e 's/@MAJOR@/$(word 1,$(WIN_VERSION_NUM))/g' -e 's/@MINOR@/$(word 2,$(WIN_VERSION_NUM))/g' \
	    -e 's/@PATCH@/$(word 3,$(WIN_VERSION_NUM))/g' -e 's/@VERSION@/$(WIN_VERSION)/g' $< > $(BUILD)/windows/versioninfo-$*.rc
	$(if $(filter 386,$*),i686,x86_64)-w64-mingw32-windres -O coff -i $(BUILD)/windows/versioninfo-$*.rc -o $@

# The export list of each DLL, from the header (bindings/c/exports.sh): the
# cdecl functions, and on 386 the stdcall twins under their undecorated
# names (mapped to the @N-decorated symbols of capi/stdcall_windows_386.c).
$(BUILD)/windows/couponkit-%.def: $(CAPI_HEADER) bindings/c/exports.sh
	@mkdir -p $(@D)
	bindings/c/exports.sh $< $(if $(filter 386,$*),win32,win64) def > $@

# win_dll_rule DIR GOARCH MINGW-TRIPLET GO-COMMAND: one DLL. Built in a
# temporary directory (the DLL's internal name comes from the -o file name)
# and moved into place. Linked through scripts/windows-dll-link.sh, which
# keeps Go's own link command and makes the .def file the only export list:
# the DLL exports exactly the header's functions (capi/exports.c), not cgo's
# internal ckgo_* functions behind them.
define win_dll_rule
$(1)/couponkit.dll: $$(CAPI_SRC) capi/zversioninfo_windows_$(2).syso $(BUILD)/windows/couponkit-$(2).def \
    scripts/windows-dll-link.sh | win-tools
	@mkdir -p $(1)/.tmp
	CGO_ENABLED=1 GOOS=windows GOARCH=$(2) CC=$(3)-gcc CK_LINK_CC=$(3)-gcc CK_LINK_DEF=$(abspath $(BUILD)/windows/couponkit-$(2).def) \
	  $(4) build $$(CAPI_GOFLAGS) -ldflags "$$(CAPI_LDFLAGS) -extld=$(CURDIR)/scripts/windows-dll-link.sh" \
	  -o $(1)/.tmp/couponkit.dll ./capi
	mv -f $(1)/.tmp/couponkit.dll $$@
	rm -rf $(1)/.tmp
	cp $$(CAPI_HEADER) $(1)/couponkit.h
endef
$(eval $(call win_dll_rule,$(BUILD)/windows/x64,amd64,x86_64-w64-mingw32,$(GO)))
$(eval $(call win_dll_rule,$(BUILD)/windows/x86,386,i686-w64-mingw32,$(GO)))
$(eval $(call win_dll_rule,$(BUILD)/windows7/x64,amd64,x86_64-w64-mingw32,$(GO120)))
$(eval $(call win_dll_rule,$(BUILD)/windows7/x86,386,i686-w64-mingw32,$(GO120)))

# The C harness and the floating-point harness (tests/fpu/fpu.c) for each
# architecture, linked against the Windows 7 DLL (the one this Wine can run)
# and run from a directory holding both: build/wine (x64), build/wine/x86.
WIN_HARNESS_DIR := $(BUILD)/wine
WIN_X86_DIR     := $(WIN_HARNESS_DIR)/x86
$(WIN_HARNESS_DIR)/couponkit.dll: $(BUILD)/windows7/x64/couponkit.dll
	@mkdir -p $(@D)
	cp $< $@
$(WIN_X86_DIR)/couponkit.dll: $(BUILD)/windows7/x86/couponkit.dll
	@mkdir -p $(@D)
	cp $< $@
$(WIN_HARNESS_DIR)/%.exe: $(WIN_HARNESS_DIR)/couponkit.dll $(CAPI_HEADER) | win-tools
	x86_64-w64-mingw32-gcc $(CAPI_CFLAGS) $(filter %.c,$^) -o $@ $(@D)/couponkit.dll -lpsapi -lversion
$(WIN_X86_DIR)/%.exe: $(WIN_X86_DIR)/couponkit.dll $(CAPI_HEADER) | win-tools
	i686-w64-mingw32-gcc $(CAPI_CFLAGS) $(filter %.c,$^) -o $@ $(@D)/couponkit.dll -lpsapi -lversion
$(WIN_HARNESS_DIR)/harness.exe $(WIN_X86_DIR)/harness.exe: examples/c/harness.c
$(WIN_HARNESS_DIR)/fpu.exe $(WIN_X86_DIR)/fpu.exe: tests/fpu/fpu.c

# probe.exe: ck_version against the current-Go x64 DLL, to record whether
# this Wine can load it.
$(WIN_HARNESS_DIR)/current/probe.exe: $(BUILD)/windows/x64/couponkit.dll | win-tools
	@mkdir -p $(@D)
	cp $< $(@D)/couponkit.dll
	printf '#include <stdio.h>\n#include "couponkit.h"\nint main(void){printf("ck_version %%s\\n", ck_version());return 0;}\n' > $(@D)/probe.c
	x86_64-w64-mingw32-gcc $(CAPI_CFLAGS) $(@D)/probe.c -o $@ $(@D)/couponkit.dll

TEST_TARGETS += test-windows
test-windows: $(WIN_DLLS) $(WIN_HARNESS_DIR)/harness.exe $(WIN_HARNESS_DIR)/fpu.exe $(WIN_HARNESS_DIR)/current/probe.exe \
    $(WIN_X86_DIR)/harness.exe $(WIN_X86_DIR)/fpu.exe $(FPU_CASES) $(WIN_LOCALE)/LC_CTYPE | wine32
	@scripts/ensure-apt.sh $(WINE):wine64
	@for f in $(WIN_DLLS); do \
	  kind=win64; case $$f in */x86/*) kind=win32;; esac; \
	  bindings/c/check-exports.sh $(CAPI_HEADER) $$f $$kind; \
	  res=$$(x86_64-w64-mingw32-strings -el $$f | tr '\n' '|'); \
	  if [[ $$res == *"|VS_VERSION_INFO|"* && $$res == *"|ProductName|couponkit|"* && $$res == *"|FileVersion|$(WIN_VERSION)|"* ]]; then \
	    echo "version resource: $$f ProductName=couponkit FileVersion=$(WIN_VERSION)"; \
	  else echo "FAIL: $$f has no version resource with ProductName couponkit and FileVersion $(WIN_VERSION)"; exit 1; fi; \
	  echo "size: $$f $$(stat -c %s $$f) bytes"; \
	done
	@# The Windows 7 DLLs must not import functions added after Windows 7.
	@for f in $(filter $(BUILD)/windows7/%,$(WIN_DLLS)); do \
	  new=$$(x86_64-w64-mingw32-objdump -p $$f | sed -n '/The Import Tables/,/The Export Tables/p' | \
	    awk 'NF == 3 && $$1 ~ /^[0-9a-f]+$$/ {print $$3}' | grep -xE '$(WIN8_APIS)' || true); \
	  if [ -n "$$new" ]; then echo "FAIL: $$f imports functions Windows 7 lacks: $$new"; exit 1; fi; \
	  echo "windows 7: $$f imports no Windows 8+ function ($(words $(subst |, ,$(WIN8_APIS))) checked)"; \
	done
	@echo "== wine64: the C harness against build/windows7/x64/couponkit.dll (Go 1.20.14)"
	cd $(WIN_HARNESS_DIR) && $(WIN_EXPECT) '^harness: all checks passed' $(WINE_ENV) timeout $(WINE_TIMEOUT) $(WINE) harness.exe ../../$(CAPI_CASES) $(WINE_HARNESS_ARGS) </dev/null
	@echo "== wine64: the floating-point harness against build/windows7/x64/couponkit.dll"
	$(call fpu_run,$(WIN_HARNESS_DIR),$(WIN_EXPECT) '^fpu: all checks passed' $(WINE_ENV) timeout $(WINE_TIMEOUT) $(WINE) fpu.exe)
	@echo "== wine64: the current-Go x64 DLL (Windows 10+ build), expected not to load in this Wine"
	@cd $(WIN_HARNESS_DIR)/current && if out=$$($(WINE_ENV) timeout 120 $(WINE) probe.exe </dev/null 2>&1); then \
	  echo "wine64 ran the current-Go DLL: $$out"; \
	else echo "wine64 cannot run the current-Go DLL (as expected: Wine lacks Windows APIs Go needs): $$(grep -m1 -iE 'fatal|error|not found' <<<"$$out")"; fi
	@echo "== 32-bit Wine (code page 936): the C harness against build/windows7/x86/couponkit.dll (cdecl and stdcall, UTF-8 and GBK)"
	cd $(WIN_X86_DIR) && $(WIN_EXPECT) '^harness: all checks passed' $(WINE32_ENV) timeout $(WINE_TIMEOUT) $(WINE32) harness.exe ../../../$(CAPI_CASES) $(WINE_HARNESS_ARGS) </dev/null
	@echo "== 32-bit Wine: the floating-point harness against build/windows7/x86/couponkit.dll (cdecl and stdcall)"
	$(call fpu_run,$(WIN_X86_DIR),$(WIN_EXPECT) '^fpu: all checks passed' $(WINE32_ENV) timeout $(WINE_TIMEOUT) $(WINE32) fpu.exe)
	@echo "== the current-Go x86 DLL (Windows 10+) is checked structurally only: it does not load in Wine 8, like its x64 twin"

# ---- The Pascal binding as a Win32 program (issue 17) ----
# Free Pascal's i386 compiler and the Win32 RTL, fetched and compiled once
# into build/fpc-win32 by scripts/fpc-win32.sh (again when the script
# changes). The test programs are compiled as Win32 executables (-Twin32,
# Delphi mode) and run under 32-bit Wine from the repository root (they read
# testdata/), with the Windows 7 x86 DLL next to them.
FPC32     := $(BUILD)/fpc-win32
PPC386    := $(FPC32)/ppc386 -n -Twin32 -Pi386 -O2 -vew -Sew -l- -Fu$(FPC32)/units/i386-win32
W32       := $(BUILD)/delphi-win32
W32_TESTS := CouponKitTests Win32Tests

$(FPC32)/stamp: scripts/fpc-win32.sh | wine32
	rm -f $@
	scripts/fpc-win32.sh $(FPC32)

# The Delphi 7 path (string = AnsiString in the system code page).
$(W32)/ansi/%.exe: bindings/delphi/tests/%.dpr $(DL_UNIT) $(FPC32)/stamp
	@mkdir -p $(@D)/units
	$(PPC386) -Mdelphi -Fubindings/delphi -FU$(@D)/units -o$@ $<
# The Delphi 2009+ path: the same sources with the mode switched to
# DELPHIUNICODE and UNICODE defined (as for Linux in mk/delphi.mk).
$(W32)/unicode/%.exe: bindings/delphi/tests/%.dpr $(DL_UNIT) $(FPC32)/stamp
	@mkdir -p $(@D)/units $(@D)/src
	sed 's/{$$MODE DELPHI}/{$$MODE DELPHIUNICODE}/' bindings/delphi/CouponKit.pas > $(@D)/src/CouponKit.pas
	sed 's/{$$MODE DELPHI}/{$$MODE DELPHIUNICODE}/' $< > $(@D)/src/$*.dpr
	$(PPC386) -Mdelphiunicode -dUNICODE -Fu$(@D)/src -Fibindings/delphi -FU$(@D)/units -o$@ $(@D)/src/$*.dpr
$(W32)/%/couponkit.dll: $(BUILD)/windows7/x86/couponkit.dll
	@mkdir -p $(@D)
	cp $< $@

# Output is GBK (code page 936), shown as UTF-8; the run must end with its
# "N passed, 0 failed" line.
W32_RUN = $(WIN_EXPECT) --gbk '^[0-9]+ passed, 0 failed' $(WINE32_ENV) timeout $(WINE_TIMEOUT) $(WINE32) $(1) </dev/null

# The sandbox seed of Win32Tests' redemption: testdata/sandbox/seed.json with
# one more member, whose WeChat nickname holds an emoji (小明 U+1F600), and a
# coupon of hers; the seed's key files by absolute path. Each Win32Tests run
# gets a sandbox of its own with it (examples/sandbox/with-sandbox.sh).
W32_SEED := $(W32)/seed.json
W32_JQ   := jq:jq
APT_TOOLS += $(W32_JQ)
W32_SEED_JQ := (.allinpay.merchantPublicKeyFile, .allinpay.platformPrivateKeyFile, \
    .client.merchantPrivateKeyFile, .client.platformPublicKeyFile) |= ($$dir + "/" + .) | \
  .members += [{"customerId": "383933091455959042", "username": "李四", "nickname": "小明\ud83d\ude00", \
    "phone": "13800138002", "gender": "2"}] | \
  .coupons += [{"id": "390962138708451340", "code": "100000000040", "templateId": "307", \
    "customerId": "383933091455959042", "status": 0, "issuedAt": "2026-01-01T00:00:00+08:00", \
    "expiresAt": "2099-12-31T23:59:59+08:00"}]
$(W32_SEED): testdata/sandbox/seed.json mk/windows.mk
	@scripts/ensure-apt.sh $(W32_JQ)
	@mkdir -p $(@D)
	jq --arg dir $(abspath testdata/sandbox) '$(W32_SEED_JQ)' $< > $@.tmp
	mv -f $@.tmp $@
W32_SANDBOX := SANDBOX_FLAGS="-seed $(abspath $(W32_SEED))" examples/sandbox/with-sandbox.sh

TEST_TARGETS += test-delphi-win32
test-delphi-win32: $(foreach m,ansi unicode,$(W32)/$(m)/couponkit.dll $(foreach t,$(W32_TESTS),$(W32)/$(m)/$(t).exe)) \
    $(BINDING_FIXTURE) $(WIN_LOCALE)/LC_CTYPE $(SANDBOX_BIN) $(W32_SEED) | wine32
	@echo "== 32-bit Wine, code page 936: Pascal binding tests, Delphi 7 path (AnsiString = GBK)"
	$(call W32_RUN,$(W32)/ansi/CouponKitTests.exe)
	$(W32_SANDBOX) $(call W32_RUN,$(W32)/ansi/Win32Tests.exe)
	@echo "== 32-bit Wine, code page 936: Pascal binding tests, Delphi 2009+ path (UnicodeString)"
	$(call W32_RUN,$(W32)/unicode/CouponKitTests.exe)
	$(W32_SANDBOX) $(call W32_RUN,$(W32)/unicode/Win32Tests.exe)
