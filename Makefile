# Vigil's two front doors: `make demo` and `make test`. Every target installs what it needs first, idempotently.
SHELL := /bin/bash
export ELECTRON_SKIP_BINARY_DOWNLOAD := 1
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)

.PHONY: deps build demo test test-unit test-go test-integration test-e2e lint typecheck bench clean

# System packages, npm modules, Go modules, Python packages: scripts/install/*.sh each install one area and return
# at once when it is already installed.
deps:
	@for s in scripts/install/*.sh; do bash "$$s" || exit 1; done

build: deps
	node scripts/build.mjs

demo: build
	bash scripts/demo.sh

test: build
	bash scripts/test.sh

lint: deps
	eslint .

typecheck: deps
	tsc -p tsconfig.json

bench: build
	bash test/bench/run-all.sh

clean:
	rm -rf dist test-results playwright-report
