# make fuzz: runs every Go fuzz target listed in FUZZ_LIST (package:FuzzName)
# for $(FUZZTIME) each. Areas append their targets with `FUZZ_LIST += ...`.
# The committed corpora under each package's testdata/fuzz/ also run as plain
# regression tests in `make test`.
FUZZ_LIST += ./core/money:FuzzParseYuan

.PHONY: fuzz-go
FUZZ_TARGETS += fuzz-go
fuzz-go:
	@for t in $(FUZZ_LIST); do \
	  pkg=$${t%%:*}; name=$${t##*:}; \
	  echo "== fuzz $$name in $$pkg for $(FUZZTIME)"; \
	  $(GO) test $$pkg -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) || exit 1; \
	done
