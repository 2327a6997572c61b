# Allinpay core (core/allinpay). Its Go tests, run by test-go and test-go120,
# verify signatures with the openssl command line in both directions, so make
# sure openssl is installed first. `make test-allinpay` runs just this package.
.PHONY: allinpay-tools test-allinpay bench-allinpay
OPENSSL_APT := openssl:openssl
APT_TOOLS += $(OPENSSL_APT)
allinpay-tools:
	scripts/ensure-apt.sh $(OPENSSL_APT)

test-go test-go120: allinpay-tools

test-allinpay: allinpay-tools
	$(GO) test -race -count=1 ./core/allinpay/...
	$(GO120) test -count=1 ./core/allinpay/...

# couponSend with RSA2-2048 against a bare rsa.SignPKCS1v15 over the same
# digest (min-ratio of BenchmarkCouponSendRatio; budget 1.10), SM2, reply
# verification, key parsing. `make bench` runs these too (bench-go).
bench-allinpay:
	$(GO) test -run '^$$' -bench . -benchmem ./core/allinpay/

FUZZ_LIST += ./core/allinpay:FuzzResponseSignContent ./core/allinpay:FuzzSDKForm ./core/allinpay:FuzzRedactPasswd \
	./core/allinpay:FuzzDERMatchesSMX509
