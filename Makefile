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

# --- Benchmark kit (bench/README.md): `make bench` is quick (10^2 and 10^3 documents, ~10 min),
# `make bench-full` measures 10^4 (and 10^5 graph-only when it fits). Results go to bench/results/.
.PHONY: bench bench-full bench-deps
BENCH_STAMP := $(VENV)/.bench-installed-stamp
BENCH_ARGS ?=

$(BENCH_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[bench,test]'
	touch $@

# Debian's wrk, the HTTP load generator of the throughput measurements.
bench-deps: $(BENCH_STAMP)
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq wrk >/dev/null \
	    || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }; \
	  elif command -v sudo >/dev/null 2>&1; then sudo -n apt-get install -y -qq wrk >/dev/null; \
	  fi || { echo "bench-deps: could not install Debian's wrk (apt-get install -y wrk); run with BENCH_ARGS=--no-wrk to skip throughput"; exit 1; }; }

bench: bench-deps
	$(BIN)/python -m bench.run --quick $(BENCH_ARGS)

bench-full: bench-deps
	$(BIN)/python -m bench.run --full $(BENCH_ARGS)
