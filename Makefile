# kazkg: `make serve` and `make test` do all the set-up on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
DATA := build/kazkg.trig
STAMP := $(VENV)/.installed-stamp
BUILD_INPUTS := corpus $(wildcard corpus/*.txt) $(shell find ontology graph -type f \( -name '*.ttl' -o -name '*.py' -o -name '*.json' -o -name '*.jsonl' -o -name '*.txt' \) 2>/dev/null)

.PHONY: install serve build test test-fast clean distclean test-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-installs only when pyproject.toml changes: a second `make install` is a no-op.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

YASGUI := server/static/yasgui/yasgui.min.js

# The query editor served at /sparql, from npm (pinned in server/yasgui/package-lock.json) and
# served locally; without npm, /sparql offers its plain query form instead.
$(YASGUI): server/yasgui/package.json server/yasgui/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix server/yasgui --no-audit --no-fund --ignore-scripts --loglevel=error && \
	  mkdir -p server/static/yasgui && \
	  cp server/yasgui/node_modules/@zazuko/yasgui/build/yasgui.min.js \
	     server/yasgui/node_modules/@zazuko/yasgui/build/yasgui.min.css server/static/yasgui/ ; \
	else echo "yasgui: npm not found; /sparql offers its plain query form"; fi

install: $(STAMP) $(YASGUI)

# Rebuilt when missing or older than the corpus, the ontology or the extractor.
$(DATA): $(STAMP) $(BUILD_INPUTS)
	$(BIN)/kazkg build --corpus corpus --out $(DATA)

build: $(DATA)

serve: $(DATA) $(YASGUI)
	$(BIN)/kazkg serve --data $(DATA) --host $(HOST) --port $(PORT)

# Debian packages some tests use (chromium, wrk, Virtuoso); skipped tests say why when missing.
test-deps:
	@.ci/install-test-packages

test: $(STAMP) $(YASGUI) test-deps
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser"

clean:
	rm -rf build .pytest_cache test-artifacts
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info
