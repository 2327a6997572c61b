# Delphi binding (issue 6): bindings/delphi/CouponKit.pas (with the generated
# CouponKitGen.inc, make generate) compiled with Free Pascal in Delphi mode and run against the real build/libcouponkit.so.
#
#   make test-delphi   binding tests, then the cashier example (part of make test)
#   make bench-delphi  per-call cost of zvcms.verifyCoupons.request from Pascal
#   make bench-bindings  C, C# and Delphi per-call costs side by side (part of make bench)
#   make demo-delphi   the cashier example alone (offline, then against the sandbox)
.PHONY: test-delphi bench-delphi bench-bindings demo-delphi delphi-tools
TEST_TARGETS  += test-delphi
BENCH_TARGETS += bench-bindings

DL_OUT    := $(BUILD)/delphi
DL_UNIT   := bindings/delphi/CouponKit.pas bindings/delphi/CouponKitGen.inc
FPC_FLAGS := -Mdelphi -O2 -vew -Sew -l- -Fubindings/delphi -Fibindings/delphi -Fl$(abspath $(BUILD)) -FU$(DL_OUT)/units
# The tests read and print Chinese text: the process runs in a UTF-8 locale so
# Free Pascal's AnsiString (the system code page) is UTF-8, as it would be GBK
# on a Chinese Windows.
DL_RUN    := LC_ALL=C.UTF-8 LD_LIBRARY_PATH=$(abspath $(BUILD))$${LD_LIBRARY_PATH:+:$$LD_LIBRARY_PATH}

DELPHI_APT := fpc:fpc
APT_TOOLS += $(DELPHI_APT)
delphi-tools:
	@scripts/ensure-apt.sh $(DELPHI_APT)

# One rule per program; the unit is compiled in from bindings/delphi.
define DL_PROGRAM
$(DL_OUT)/$(1): $(DL_UNIT) $(2) $(BUILD)/libcouponkit.so | delphi-tools
	@mkdir -p $(DL_OUT)/units
	fpc $(FPC_FLAGS) -o$$@ $(2)
endef
$(eval $(call DL_PROGRAM,CouponKitTests,bindings/delphi/tests/CouponKitTests.dpr))
$(eval $(call DL_PROGRAM,TransportTests,bindings/delphi/tests/TransportTests.dpr))
$(eval $(call DL_PROGRAM,Bench,bindings/delphi/bench/Bench.dpr))
$(eval $(call DL_PROGRAM,Cashier,examples/delphi/Cashier.dpr))
$(eval $(call DL_PROGRAM,Quickstart,examples/delphi/quickstart/Quickstart.dpr))

# The Delphi 2009+ path ({$IFDEF UNICODE}: string = UnicodeString): the same
# unit and tests with only the mode line switched to DELPHIUNICODE and UNICODE
# defined, as Delphi 2009 and later define it.
DL_UNI := $(DL_OUT)/unicode
$(DL_UNI)/CouponKitTests: $(DL_UNIT) bindings/delphi/tests/CouponKitTests.dpr $(BUILD)/libcouponkit.so | delphi-tools
	@mkdir -p $(DL_UNI)/units
	sed 's/{$$MODE DELPHI}/{$$MODE DELPHIUNICODE}/' bindings/delphi/CouponKit.pas > $(DL_UNI)/CouponKit.pas
	sed 's/{$$MODE DELPHI}/{$$MODE DELPHIUNICODE}/' bindings/delphi/tests/CouponKitTests.dpr > $(DL_UNI)/CouponKitTests.dpr
	fpc -Mdelphiunicode -dUNICODE -O2 -vew -Sew -l- -Fu$(DL_UNI) -Fibindings/delphi -Fl$(abspath $(BUILD)) -FU$(DL_UNI)/units -o$@ $(DL_UNI)/CouponKitTests.dpr

# The transport tests (an explicit proxy, a private CA as PEM) run against a
# sandbox of their own, over HTTP, HTTPS and its counting proxy.
# The cashier example then runs offline once more as Delphi 7 on a Western
# Windows would run it: an ANSI code page (here ASCII) without the seed
# replies' Chinese, which must still reach the records whole.
# -Sew: every Free Pascal warning fails the build. The programs turn off
# 4104 (string to TCkText, exact) and keep 4105 (TCkText to string, which
# loses what the code page lacks). The quickstart (run by test-newcomer as
# docs/delphi.md gives it) is built here too, so that it stays warning-free.
test-delphi: lib $(BINDING_FIXTURE) $(DL_OUT)/CouponKitTests $(DL_UNI)/CouponKitTests $(DL_OUT)/TransportTests $(DL_OUT)/Quickstart $(BUILD)/sandbox demo-delphi
	@echo "== Delphi 7 path (AnsiString)"
	$(DL_RUN) $(DL_OUT)/CouponKitTests
	@echo "== Delphi 2009+ path (UnicodeString)"
	$(DL_RUN) $(DL_UNI)/CouponKitTests
	@echo "== transport options (Delphi 7 path) against the sandbox"
	$(DL_RUN) examples/sandbox/with-sandbox.sh $(DL_OUT)/TransportTests
	@echo "== the cashier example offline, Delphi 7 path, in a code page without Chinese (LC_ALL=C)"
	$(DL_RUN) LC_ALL=C $(DL_OUT)/Cashier

# The cashier example offline, then online against a sandbox started for it
# (examples/sandbox/with-sandbox.sh sets SANDBOX_URL), which returns bizIds of
# its own, so that the reversal must take the returned one.
demo-delphi: lib $(BUILD)/sandbox $(DL_OUT)/Cashier
	$(DL_RUN) SANDBOX_FLAGS="-reply-bizid own" examples/sandbox/with-sandbox.sh $(DL_OUT)/Cashier

bench-delphi: lib $(DL_OUT)/Bench
	$(DL_RUN) $(DL_OUT)/Bench examples/c/bench_verify.json

# The same request (examples/c/bench_verify.json) through C (examples/c/bench.c),
# C# and Delphi; three alternating rounds so a busy machine slows all alike;
# best of each. Figures only: timings are never assertions.
BENCH_REQUEST := examples/c/bench_verify.json
bench-bindings: lib $(BUILD)/c/bench $(CS_OUT)/Bench.exe $(DL_OUT)/Bench
	@mkdir -p $(BUILD)/bench
	@rm -f $(BUILD)/bench/bindings.txt
	@for i in 1 2 3; do \
	  $(BUILD)/c/bench $(BENCH_REQUEST) 1 | grep verifyCoupons >> $(BUILD)/bench/bindings.txt; \
	  $(CS_RUN) $(CS_OUT)/Bench.exe $(BENCH_REQUEST) >> $(BUILD)/bench/bindings.txt; \
	  $(DL_RUN) $(DL_OUT)/Bench $(BENCH_REQUEST) >> $(BUILD)/bench/bindings.txt; \
	done
	@awk '{ if (!($$1 in b) || $$3 < b[$$1]) b[$$1] = $$3; if ($$1 ~ /^BenchmarkC\//) c = b[$$1] } \
	  END { print "== zvcms.verifyCoupons.request per call (best of 3 rounds)"; \
	    n = split("BenchmarkC/verifyCoupons.request BenchmarkCSharp/verifyCoupons.request.raw BenchmarkCSharp/verifyCoupons.request.typed BenchmarkDelphi/verifyCoupons.request.raw BenchmarkDelphi/verifyCoupons.request.typed", k, " "); \
	    for (i = 1; i <= n; i++) if (k[i] in b) printf "%-48s %8d ns/op  (%.1fx C)\n", k[i], b[k[i]], b[k[i]] / c }' \
	  $(BUILD)/bench/bindings.txt
