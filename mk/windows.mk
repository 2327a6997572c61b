# Windows DLLs (issue 5), cross-built with mingw-w64:
#   build/windows/{x64,x86}/couponkit.dll    current Go  (Windows 10 and later)
#   build/windows7/{x64,x86}/couponkit.dll   Go 1.20.14  (Windows 7 SP1 and later)
# make dll           build the four DLLs (each only when its sources changed)
# make test-windows  export/import tables, version resource, and the C harness
#                    under wine64 against the Windows 7 x64 DLL (in make test)
.PHONY: dll test-windows win-tools

WIN_VERSION := $(shell sed -n 's/^const Version = "\(.*\)"/\1/p' core/version/version.go)
# numeric part "1.2.3" of "1.2.3-rc1", as "1,2,3" for the resource
WIN_VERSION_NUM := $(subst ., ,$(firstword $(subst -, ,$(subst +, ,$(WIN_VERSION)))))
WIN_DLLS := $(BUILD)/windows/x64/couponkit.dll $(BUILD)/windows/x86/couponkit.dll \
            $(BUILD)/windows7/x64/couponkit.dll $(BUILD)/windows7/x86/couponkit.dll
WINE       := /usr/lib/wine/wine64
WINE_ENV   := WINEPREFIX=$(CURDIR)/$(BUILD)/wineprefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY=
WINE_TIMEOUT ?= 600

dll: $(WIN_DLLS)
	@for f in $(WIN_DLLS); do echo "dll: $$f $$(stat -c %s $$f) bytes"; done

win-tools:
	@scripts/ensure-apt.sh x86_64-w64-mingw32-gcc:gcc-mingw-w64-x86-64 i686-w64-mingw32-gcc:gcc-mingw-w64-i686 \
	  x86_64-w64-mingw32-windres:binutils-mingw-w64-x86-64 i686-w64-mingw32-windres:binutils-mingw-w64-i686

# The version resource: capi/versioninfo.rc with the version filled in, as a
# COFF object named *_windows_<arch>.syso so only that Windows build links it
# (git-ignored by capi/.gitignore).
capi/zversioninfo_windows_%.syso: capi/versioninfo.rc core/version/version.go | win-tools
	@mkdir -p $(BUILD)/windows
	sed -e 's/@MAJOR@/$(word 1,$(WIN_VERSION_NUM))/g' -e 's/@MINOR@/$(word 2,$(WIN_VERSION_NUM))/g' \
	    -e 's/@PATCH@/$(word 3,$(WIN_VERSION_NUM))/g' -e 's/@VERSION@/$(WIN_VERSION)/g' $< > $(BUILD)/windows/versioninfo-$*.rc
	$(if $(filter 386,$*),i686,x86_64)-w64-mingw32-windres -O coff -i $(BUILD)/windows/versioninfo-$*.rc -o $@

# win_dll_rule DIR GOARCH MINGW-TRIPLET GO-COMMAND: one DLL. Built in a
# temporary directory (the DLL's internal name comes from the -o file name)
# and moved into place. On 386, --kill-at strips the @N decoration from the
# stdcall twins' export names (capi/stdcall_windows_386.c).
define win_dll_rule
$(1)/couponkit.dll: $$(CAPI_SRC) capi/zversioninfo_windows_$(2).syso | win-tools
	@mkdir -p $(1)/.tmp
	CGO_ENABLED=1 GOOS=windows GOARCH=$(2) CC=$(3)-gcc CGO_LDFLAGS="$(if $(filter 386,$(2)),-Wl$$(comma)--kill-at)" \
	  $(4) build $$(CAPI_GOFLAGS) -o $(1)/.tmp/couponkit.dll ./capi
	mv -f $(1)/.tmp/couponkit.dll $$@
	rm -rf $(1)/.tmp
	cp $$(CAPI_HEADER) $(1)/couponkit.h
endef
comma := ,
$(eval $(call win_dll_rule,$(BUILD)/windows/x64,amd64,x86_64-w64-mingw32,$(GO)))
$(eval $(call win_dll_rule,$(BUILD)/windows/x86,386,i686-w64-mingw32,$(GO)))
$(eval $(call win_dll_rule,$(BUILD)/windows7/x64,amd64,x86_64-w64-mingw32,$(GO120)))
$(eval $(call win_dll_rule,$(BUILD)/windows7/x86,386,i686-w64-mingw32,$(GO120)))
