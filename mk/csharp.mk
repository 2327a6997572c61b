# C# binding (issue 6): bindings/csharp/CouponKit.cs and the generated
# CouponKit.Generated.cs (make generate) compiled with Mono's mcs
# at C# 5 and run with mono against the real build/libcouponkit.so.
#
#   make test-csharp   binding tests, then the cashier example (part of make test)
#   make bench-csharp  per-call cost of zvcms.verifyCoupons.request from C#
#                      (make bench runs bench-bindings in mk/delphi.mk: C, C#, Delphi side by side)
#   make demo-csharp   the cashier example alone (offline, then against the sandbox)
.PHONY: test-csharp bench-csharp demo-csharp csharp-tools
TEST_TARGETS  += test-csharp

CS_OUT    := $(BUILD)/csharp
CS_LIB    := bindings/csharp/CouponKit.cs bindings/csharp/CouponKit.Generated.cs
# -langversion:5 proves the binding needs nothing newer than C# 5 (VS 2012);
# the tests and example are held to the same level.
MCS_FLAGS := -langversion:5 -nologo -warnaserror+ -r:System.Runtime.Serialization.dll
# A hung test run (a deadlock between Mono and the Go runtime: see ck_enter in
# capi/exports.c) fails after CS_TEST_SECONDS instead of stalling CI; SIGQUIT
# makes Mono print every thread's stack first, so the hang can be diagnosed
# from the log.
CS_TEST_SECONDS ?= 300
CS_TIMEOUT := timeout -s QUIT -k 20 $(CS_TEST_SECONDS)
# mono finds libcouponkit.so for DllImport("couponkit") through LD_LIBRARY_PATH.
CS_RUN    := LD_LIBRARY_PATH=$(abspath $(BUILD))$${LD_LIBRARY_PATH:+:$$LD_LIBRARY_PATH} mono --debug

# A couponSend reply signed by openssl with the sandbox platform key (the
# independent signer the binding tests verify against): the signed content is
# the body without its "sign" member (the default "raw" verify mode).
BINDING_FIXTURE := $(BUILD)/fixtures/couponsend_signed.json
$(BINDING_FIXTURE): testdata/sandbox/platform_rsa2048_pkcs8.pem mk/csharp.mk
	@scripts/ensure-apt.sh $(OPENSSL_APT)
	@mkdir -p $(@D)
	printf '%s' '{"code":0,"msg":"成功","data":{"tranNo":"50806050005080208145","shopName":"沙箱门店","tranDateTime":[2020,4,10,16,3,49],"list":[{"templateId":307,"couponName":"专门测试ZHT","couponNo":null,"qrCodeContext":"https://example.invalid/qr/1"}]}}' > $@.content
	sig=$$(openssl dgst -sha256 -sign $< $@.content | base64 -w0); \
	  c=$$(cat $@.content); printf '%s,"sign":"%s"}' "$${c%\}}" "$$sig" > $@
	rm -f $@.content

CSHARP_APT := mcs:mono-mcs mono:mono-runtime \
  /usr/lib/mono/4.5/System.Runtime.Serialization.dll:libmono-system-runtime-serialization4.0-cil \
  /usr/lib/mono/4.5/System.Xml.dll:libmono-system-xml4.0-cil
APT_TOOLS += $(CSHARP_APT)
csharp-tools:
	@scripts/ensure-apt.sh $(CSHARP_APT)

$(CS_OUT)/CouponKit.dll: $(CS_LIB) | csharp-tools
	@mkdir -p $(CS_OUT)
	mcs $(MCS_FLAGS) -target:library -doc:$(CS_OUT)/CouponKit.xml -out:$@ $(CS_LIB)

# One rule per program: the binding source compiled in with the program's own.
define CS_PROGRAM
$(CS_OUT)/$(1).exe: $(CS_LIB) $(2) | csharp-tools
	@mkdir -p $(CS_OUT)
	mcs $(MCS_FLAGS) -out:$$@ $(CS_LIB) $(2)
endef
$(eval $(call CS_PROGRAM,CouponKitTests,bindings/csharp/tests/CouponKitTests.cs))
$(eval $(call CS_PROGRAM,TransportTests,bindings/csharp/tests/TransportTests.cs))
$(eval $(call CS_PROGRAM,Bench,bindings/csharp/bench/Bench.cs))
$(eval $(call CS_PROGRAM,Cashier,examples/csharp/Cashier.cs))

# The cashier example runs offline, then online against a sandbox started for it
# (examples/sandbox/with-sandbox.sh sets SANDBOX_URL), which returns bizIds of
# its own, so that the reversal must take the returned one.
# The transport tests (an explicit proxy, a private CA as PEM) run against a
# sandbox of their own, over HTTP, HTTPS and its counting proxy.
test-csharp: lib $(BINDING_FIXTURE) $(CS_OUT)/CouponKit.dll $(CS_OUT)/CouponKitTests.exe $(CS_OUT)/TransportTests.exe $(BUILD)/sandbox demo-csharp
	$(CS_TIMEOUT) env $(CS_RUN) $(CS_OUT)/CouponKitTests.exe
	$(CS_TIMEOUT) env LD_LIBRARY_PATH=$(abspath $(BUILD)) examples/sandbox/with-sandbox.sh mono --debug $(CS_OUT)/TransportTests.exe

demo-csharp: lib $(BUILD)/sandbox $(CS_OUT)/Cashier.exe
	LD_LIBRARY_PATH=$(abspath $(BUILD)) SANDBOX_FLAGS="-reply-bizid own" examples/sandbox/with-sandbox.sh mono --debug $(CS_OUT)/Cashier.exe

bench-csharp: lib $(CS_OUT)/Bench.exe
	$(CS_RUN) $(CS_OUT)/Bench.exe examples/c/bench_verify.json
