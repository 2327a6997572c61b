# make fuzz: runs every Go fuzz target listed in FUZZ_LIST (package:FuzzName)
# for $(FUZZTIME) each. Areas append their targets with `FUZZ_LIST += ...`.
# The committed corpora under each package's testdata/fuzz/ also run as plain
# regression tests in `make test`.
FUZZ_LIST += ./core/money:FuzzParseYuan ./core/internal/jsontext:FuzzAppendString ./core/internal/jsontext:FuzzDepth

.PHONY: fuzz-go
FUZZ_TARGETS += fuzz-go
fuzz-go:
	@for t in $(FUZZ_LIST); do \
	  pkg=$${t%%:*}; name=$${t##*:}; \
	  echo "== fuzz $$name in $$pkg for $(FUZZTIME)"; \
	  $(GO) test $$pkg -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) || exit 1; \
	done

# Every Go fuzz target is in FUZZ_LIST: one left out still runs its seeds in
# `make test` but is never fuzzed (three were, until this check).
.PHONY: check-fuzz-list
TEST_TARGETS += check-fuzz-list
check-fuzz-list:
	@fail=0; for f in $$(git ls-files '*_test.go'); do \
	  for n in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$f); do \
	    case " $(FUZZ_LIST) " in *" ./$$(dirname $$f):$$n "*) ;; \
	    *) echo "check-fuzz-list: make fuzz does not run ./$$(dirname $$f):$$n; add it to FUZZ_LIST"; fail=1;; esac; \
	  done; \
	done; exit $$fail
