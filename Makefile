# sopsite: two commands do everything on a fresh Debian machine.
#   make serve   installs missing system packages, builds sopsite and the sample knowledge base, serves it on :8000
#   make test    runs every test (Swift unit and end-to-end tests, theme and determinism checks)

SWIFT       ?= swift
PORT        ?= 8000
HOST        ?= 127.0.0.1
APT_PACKAGES = libgit2-dev libcmark-gfm-dev libcmark-gfm-extensions-dev pkg-config git python3
BIN         := .build/release/sopsite

PREFIX      ?= /usr/local

.PHONY: serve build site test deps theme bench lint clean install

# Installs the Debian packages sopsite links against, only when one is missing (needs root or sudo).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi

theme:
	@python3 scripts/embed-theme.py

build: deps theme
	$(SWIFT) build -c release --product sopsite

site: build
	$(BIN) build --out _site

serve: site
	@echo "Serving the sample knowledge base on http://$(HOST):$(PORT)/ (Ctrl-C stops)"
	@(command -v xdg-open >/dev/null 2>&1 && [ -n "$$DISPLAY" ] && (sleep 1; xdg-open http://$(HOST):$(PORT)/) &) ; \
	python3 -m http.server $(PORT) --bind $(HOST) --directory _site

install: build
	install -d $(PREFIX)/bin
	install -m 755 $(BIN) $(PREFIX)/bin/sopsite

lint:
	@python3 scripts/embed-theme.py --check
	@# One clock read per run, in the CLI (STYLE §6): no other Date(), TimeZone.current or Locale.current.
	@if grep -rn -E 'Date\(\)|TimeZone\.current|Locale\.current' Sources --include=*.swift | grep -v -e '^Sources/sopsite/BuildCommand.swift' -e '^Sources/Outputs/DefaultTheme.swift'; then \
	  echo "install: build
	install -d $(PREFIX)/bin
	install -m 755 $(BIN) $(PREFIX)/bin/sopsite

lint: a clock or locale read outside the CLI (see README, Determinism)"; exit 1; fi

test: deps lint
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	@# The sample knowledge base must pass the CI gate (review states depend on today's date, so they do not fail it).
	.build/debug/sopsite check --fail-on never

# Benchmark against MkDocs, Hugo and Pagefind (never part of `make test`; about 30 min; knobs in bench/run.sh).
bench: deps
	bash bench/run.sh

clean:
	rm -rf .build _site
