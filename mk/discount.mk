# Discount engine (core/discount). Its tests run in test-go and test-go120;
# `make test-discount` runs just this package (both toolchains).
# `make bench-discount` runs the quote benchmarks five times and prints the
# best 10,000-line and 100,000-line times and their ratio (the issue's budget:
# under 5 ms, and at most 12x). `make bench` already runs them once (bench-go).
.PHONY: test-discount bench-discount
test-discount:
	$(GO) test -race -count=1 ./core/discount/...
	$(GO120) test -count=1 ./core/discount/...

bench-discount:
	@mkdir -p $(BUILD)
	$(GO) test -run '^$$' -bench '^BenchmarkQuote(10k|100k)$$' -benchmem -count 5 ./core/discount/ | tee $(BUILD)/bench-discount.txt
	@awk '/^BenchmarkQuote10k/ { if (!a || $$3 < a) a = $$3 } /^BenchmarkQuote100k/ { if (!b || $$3 < b) b = $$3 } \
	  END { if (!a || !b) { print "bench-discount: benchmarks missing"; exit 1 } \
	        printf "discount: 10k lines %.2f ms, 100k lines %.2f ms, ratio %.1fx (best of 5)\n", a/1e6, b/1e6, b/a }' $(BUILD)/bench-discount.txt
