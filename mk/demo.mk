# make demo: until the sandbox flow exists, an offline Go example that builds
# both zvcms requests and parses the seed replies.
.PHONY: demo
demo:
	$(GO) run ./examples/go/offline
