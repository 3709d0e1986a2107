# Peekaping in Rust. The two commands a newcomer needs:
#   make run    build the web UI and the release binary, then serve on http://127.0.0.1:8383 (data in ./data)
#   make test   install what the tests need, build once, run every test (unit, conformance, integration, browser)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO ?= cargo
NPM ?= npm
DATA_DIR ?= ./data
BIN := target/release/peekaping
NODE_MIN := 20.19.0

.PHONY: help run build web web-deps test test-rust test-web test-e2e lint check-deps browser bench bench-check clean

help:
	@echo "make run     build the UI and the release binary, serve on :8383 (data in $(DATA_DIR))"
	@echo "make test    every test: lint, unit, conformance, integration, web unit, browser"
	@echo "make build   web UI + release binary"
	@echo "make bench   benchmarks; figures into BENCHMARKS.md"
	@echo "make lint    rustfmt, clippy, dependency hygiene"

## --- building ---------------------------------------------------------------

# Node 20.19+ is what Vite 8 needs; Debian 12's own nodejs (18) is too old.
node-check:
	@command -v node >/dev/null || { echo "node is missing: install Node.js >= $(NODE_MIN) (e.g. from nodejs.org or NodeSource)"; exit 1; }
	@node -e 'const [a,b,c]=process.versions.node.split(".").map(Number);const [x,y,z]="$(NODE_MIN)".split(".").map(Number);process.exit(a>x||(a==x&&(b>y||(b==y&&c>=z)))?0:1)' \
		|| { echo "node $$(node --version) is too old: Node.js >= $(NODE_MIN) is needed"; exit 1; }

# npm ci only when the lockfile changed since the last install.
web/node_modules/.installed: web/package-lock.json | node-check
	cd web && $(NPM) ci --no-audit --no-fund
	touch $@

web-deps: web/node_modules/.installed

web: web-deps
	cd web && $(NPM) run build

build: web
	$(CARGO) build --release --locked

run: build
	mkdir -p $(DATA_DIR)
	$(BIN) serve --data-dir $(DATA_DIR)

## --- testing ----------------------------------------------------------------

# Debian's Chromium drives the browser tests (Playwright never downloads a browser here).
browser:
	@if ! command -v chromium >/dev/null; then \
		echo "installing Debian's chromium for the browser tests"; \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; \
	fi

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets --locked -- -D warnings
	@# One crypto provider (ring) and one SQLite: see ../shared/reference/crates.md.
	@if $(CARGO) tree -i aws-lc-rs --locked >/dev/null 2>&1; then echo "aws-lc-rs crept into the dependency tree"; exit 1; fi
	@test "$$($(CARGO) tree -i libsqlite3-sys --locked --depth 0 | grep -c '^libsqlite3-sys')" = 1

test-rust:
	@if command -v cargo-nextest >/dev/null; then \
		$(CARGO) nextest run --locked --no-fail-fast; \
	else \
		$(CARGO) test --locked --no-fail-fast; \
	fi

test-web: web-deps
	cd web && $(NPM) run test

# The browser test drives the debug binary (it serves web/dist from disk).
test-e2e: web browser
	$(CARGO) build --locked
	cd web && PEEKAPING_BIN=$(CURDIR)/target/debug/peekaping $(NPM) run test:e2e

test: web browser
	$(MAKE) lint
	$(CARGO) build --locked --all-targets
	$(MAKE) test-rust
	$(MAKE) test-web
	$(MAKE) test-e2e

## --- performance ------------------------------------------------------------

bench:
	bash benches/run.sh

bench-check:
	bash benches/run.sh --quick

clean:
	$(CARGO) clean
	rm -rf web/dist web/node_modules
