# sopsite: two commands do everything on a fresh Debian machine.
#   make serve   installs missing system packages, builds sopsite and the sample knowledge base, serves it on :8000
#   make test    runs every test (Swift unit and end-to-end tests, theme and determinism checks)

SWIFT       ?= swift
PORT        ?= 8000
HOST        ?= 127.0.0.1
APT_PACKAGES = libgit2-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libmimalloc-dev pkg-config git python3
BIN         := .build/release/sopsite

PREFIX      ?= /usr/local

.PHONY: serve build site test deps theme bench fuzz lint clean browser-test browser-deps install

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

# The preview server: builds the sample in memory, serves it, rebuilds and reloads the browser on every save
# (opens the browser when there is a graphical session).
serve: build
	$(BIN) serve --host $(HOST) --port $(PORT)$(if $(DISPLAY)$(WAYLAND_DISPLAY), --open)

install: build
	install -d $(PREFIX)/bin
	install -m 755 $(BIN) $(PREFIX)/bin/sopsite

lint:
	@python3 scripts/embed-theme.py --check
	@# One clock read per run, in the CLI (STYLE §6): no other Date(), TimeZone.current or Locale.current.
	@if grep -rn -E 'Date\(\)|TimeZone\.current|Locale\.current' Sources --include=*.swift | grep -v -e '^Sources/sopsite/SourceOptions.swift' -e '^Sources/Outputs/DefaultTheme.swift'; then \
	  echo "lint: a clock or locale read outside the CLI (see README, Determinism)"; exit 1; fi

test: deps lint
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	@# The sample knowledge base must pass the CI gate (review states depend on today's date, so they do not fail it).
	.build/debug/sopsite check --fail-on never
	@$(MAKE) --no-print-directory browser-test

# Benchmark against MkDocs, Hugo and Pagefind (never part of `make test`; about 30 min; knobs in bench/run.sh).
bench: deps
	bash bench/run.sh

# libFuzzer targets in Fuzz/ (never part of `make test`): builds them into .build-fuzz and runs each for FUZZ_SECONDS;
# new corpus entries and crashing inputs stay in .build-fuzz (README, "Fuzzing").
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= document site config
fuzz: deps
	bash Fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

clean:
	rm -rf .build _site

# Search in a real headless Chromium (Tests/browser): builds the sample site with the debug binary that `test` built and
# serves it on a free loopback port. Needs chromium, chromium-driver and Selenium in .venv; .ci/run sets them up.
BROWSER_PYTHON ?= .venv/bin/python
BROWSER_APT  = chromium chromium-driver python3-venv poppler-utils
BROWSER_PIP  = selenium==4.51.0 axe-selenium-python==2.1.6 axe-core-python==0.1.0 icalendar==7.3.2

# What the browser tests need, installed when missing (Debian packages with apt-get; Python packages in .venv).
browser-deps:
	@missing=""; for p in $(BROWSER_APT); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi
	@if [ ! -x "$(BROWSER_PYTHON)" ] || ! $(BROWSER_PYTHON) -c "import selenium, axe_selenium_python, axe_core_python, icalendar" 2>/dev/null; then \
	  python3 -m venv .venv && .venv/bin/pip install -q $(BROWSER_PIP); fi

browser-test: browser-deps
	PYTHONDONTWRITEBYTECODE=1 SOPSITE_BIN=$(CURDIR)/.build/debug/sopsite $(BROWSER_PYTHON) -m unittest discover -s Tests/browser -t Tests/browser -p 'test_*.py'
