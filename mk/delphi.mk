# Delphi binding (issue 6): bindings/delphi/CouponKit.pas compiled with Free
# Pascal in Delphi mode and run against the real build/libcouponkit.so.
#
#   make test-delphi   binding tests, then the cashier example (part of make test)
#   make bench-delphi  per-call cost of zvcms.verifyCoupons.request from Pascal (make bench)
#   make demo-delphi   the cashier example alone
.PHONY: test-delphi bench-delphi demo-delphi delphi-tools
TEST_TARGETS  += test-delphi
BENCH_TARGETS += bench-delphi

DL_OUT    := $(BUILD)/delphi
DL_UNIT   := bindings/delphi/CouponKit.pas
FPC_FLAGS := -Mdelphi -O2 -vew -l- -Fubindings/delphi -Fl$(abspath $(BUILD)) -FU$(DL_OUT)/units
# The tests read and print Chinese text: the process runs in a UTF-8 locale so
# Free Pascal's AnsiString (the system code page) is UTF-8, as it would be GBK
# on a Chinese Windows.
DL_RUN    := LC_ALL=C.UTF-8 LD_LIBRARY_PATH=$(abspath $(BUILD))$${LD_LIBRARY_PATH:+:$$LD_LIBRARY_PATH}

delphi-tools:
	@scripts/ensure-apt.sh fpc:fpc

# One rule per program; the unit is compiled in from bindings/delphi.
define DL_PROGRAM
$(DL_OUT)/$(1): $(DL_UNIT) $(2) $(BUILD)/libcouponkit.so | delphi-tools
	@mkdir -p $(DL_OUT)/units
	fpc $(FPC_FLAGS) -o$$@ $(2)
endef
$(eval $(call DL_PROGRAM,CouponKitTests,bindings/delphi/tests/CouponKitTests.dpr))
$(eval $(call DL_PROGRAM,Bench,bindings/delphi/bench/Bench.dpr))
$(eval $(call DL_PROGRAM,Cashier,examples/delphi/Cashier.dpr))

test-delphi: lib $(BINDING_FIXTURE) $(DL_OUT)/CouponKitTests $(DL_OUT)/Cashier
	$(DL_RUN) $(DL_OUT)/CouponKitTests
	$(DL_RUN) $(DL_OUT)/Cashier

demo-delphi: lib $(DL_OUT)/Cashier
	$(DL_RUN) $(DL_OUT)/Cashier

bench-delphi: lib $(DL_OUT)/Bench
	$(DL_RUN) $(DL_OUT)/Bench
