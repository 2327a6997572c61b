# make demo: build the library (make lib), start the sandbox on a free
# loopback port, run the C cashier flow through the C ABI against it
# (examples/cashier-c), stop the sandbox. Exits 0 only when every step of the
# flow gave the expected result.
#
#   make demo          the C cashier flow (demo-c)
#   make demo-offline  the offline Go example (builds requests, parses the seed replies)
.PHONY: demo demo-c demo-offline
demo: demo-c

# (sandbox.mk, read after this file, has the rules for these two.)
demo-c: lib $(BUILD)/sandbox $(BUILD)/cashier-c
	@examples/cashier-c/run.sh

demo-offline:
	$(GO) run ./examples/go/offline
