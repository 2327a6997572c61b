# The JSON method surface (core/invoke). Its tests run in test-go and
# test-go120.
#
#   make bench-invoke  each method through Invoke against the same work as a
#                      direct Go call, in one run (best of 5); prints
#                      invoke ÷ direct per method (part of make bench)
.PHONY: bench-invoke
BENCH_TARGETS += bench-invoke

bench-invoke:
	@mkdir -p $(BUILD)/bench
	$(GO) test -run '^$$' -bench '^BenchmarkSurface$$' -benchmem -count 5 ./core/invoke/ | tee $(BUILD)/bench/invoke.txt
	@awk '/^BenchmarkSurface\// { n = $$1; sub(/^BenchmarkSurface\//, "", n); sub(/-[0-9]+$$/, "", n); \
	        if (!(n in t) || $$3 < t[n]) { t[n] = $$3; a[n] = $$7 } } \
	      END { print "== cost per call of the surface (best of 5): invoke ÷ direct Go call"; \
	        for (n in t) if (n ~ /\/invoke$$/) { d = n; sub(/\/invoke$$/, "/direct", d); m = n; sub(/\/invoke$$/, "", m); \
	          if (d in t) printf "%-28s invoke %6d ns/op %3d allocs   direct %6d ns/op %3d allocs   ratio %.1fx\n", m, t[n], a[n], t[d], a[d], t[n] / t[d]; \
	          else printf "%-28s invoke %6d ns/op %3d allocs\n", m, t[n], a[n] } }' $(BUILD)/bench/invoke.txt

# The files written from the schema (internal/gen): the C# classes, the
# Delphi records, the TypeScript declarations and docs/methods.md.
#   make generate          rewrite them (also: go generate ./core/invoke)
#   make check-generated   fail when one differs from what the schema gives (part of make test)
.PHONY: generate check-generated
TEST_TARGETS += check-generated

generate:
	$(GO) run ./internal/gen -root .

check-generated:
	$(GO) run ./internal/gen -root . -check
