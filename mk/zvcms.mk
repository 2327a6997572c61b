# zvcms core (core/zvcms). Its Go tests, run by test-go and test-go120,
# compare the Token with the openssl command line, so make sure openssl is
# installed first. `make test-zvcms` runs just this package (both toolchains).
.PHONY: zvcms-tools test-zvcms bench-zvcms
zvcms-tools:
	scripts/ensure-apt.sh $(OPENSSL_APT)

test-go test-go120: zvcms-tools

test-zvcms: zvcms-tools
	$(GO) test -race -count=1 ./core/zvcms/... ./examples/go/offline
	$(GO120) test -count=1 ./core/zvcms/...

# Build+sign of each request, parse of each reply, the server's
# parse-and-check. `make bench` already runs them (bench-go); this target runs
# only these.
bench-zvcms:
	$(GO) test -run '^$$' -bench . -benchmem ./core/zvcms/

FUZZ_LIST += ./core/zvcms:FuzzParseResponse ./core/zvcms:FuzzParseRequest
FUZZ_LIST += ./core/zvcms:FuzzParseLifecycleResponse ./core/zvcms:FuzzParseLifecycleRequest
