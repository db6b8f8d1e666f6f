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

.PHONY: install serve build test test-fast clean distclean browser-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-installs only when pyproject.toml changes: a second `make install` is a no-op.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(STAMP)

# Rebuilt when missing or older than the corpus, the ontology or the extractor.
$(DATA): $(STAMP) $(BUILD_INPUTS)
	$(BIN)/kazkg build --corpus corpus --out $(DATA)

build: $(DATA)

serve: $(DATA)
	$(BIN)/kazkg serve --data $(DATA) --host $(HOST) --port $(PORT)

# Debian's chromium for the browser tests (Playwright drives it; no browser download).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq --no-install-recommends chromium >/dev/null \
	    || { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; }; \
	  elif command -v sudo >/dev/null 2>&1; then sudo -n apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  fi || echo "browser-deps: could not install Debian's chromium; browser tests will be skipped"; }

test: $(STAMP) browser-deps
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser"

clean:
	rm -rf build .pytest_cache test-artifacts
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) *.egg-info
