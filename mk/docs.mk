# The docs (issue 18): README.md and docs/*.md.
#
#   make docs           rewrite the examples included into the docs from their
#                       files under examples/ (<!-- include: … --> blocks)
#   make check-docs     fail when an included example differs from its file, or
#                       a relative link or #anchor of README.md or docs/*.md
#                       does not resolve (internal/doclinks; in make test)
#   make test-newcomer  play the newcomer: each language doc's ```sh newcomer
#                       lines run literally in an empty directory against a
#                       fresh sandbox, its output compared with the doc's
#                       ```text expected block (in make test)
.PHONY: docs check-docs test-newcomer
TEST_TARGETS += check-docs test-newcomer

docs:
	$(GO) run ./internal/docinclude -root . -w

check-docs:
	$(GO) run ./internal/docinclude -root .
	$(GO) run ./internal/doclinks -root .

# The docs' steps build what they need themselves (make -C $COUPONKIT lib,
# wasm); the tools a reader installs with apt first are installed here.
# $(BUILD)/sandbox, not $(SANDBOX_BIN): mk/sandbox.mk is included after this file.
test-newcomer: $(BUILD)/sandbox | csharp-tools delphi-tools
	@scripts/ensure-apt.sh gcc:gcc node:nodejs npm:npm
	scripts/newcomer.sh
