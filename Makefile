# Two entry points on a fresh machine: `make run` and `make test`. Each creates .venv and installs everything.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEPS_STAMP := $(VENV)/.deps-$(shell cat requirements.txt requirements-dev.txt 2>/dev/null | cksum | cut -d' ' -f1)
TEST_MODEL := .cache/test-model/translate-de_en-test.argosmodel
export TRANSLATOR_DATA_DIR ?= $(CURDIR)/data
HOST ?= 127.0.0.1
PORT ?= 8000
MODEL ?=

.PHONY: run test test-fast lint lock install clean bench bench-model
BENCH_MODEL := .cache/test-model/translate-de_en-bench.argosmodel

$(DEPS_STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	rm -f $(VENV)/.deps-* && touch $@

install: $(DEPS_STAMP)

$(TEST_MODEL): tools/build_test_model.py $(wildcard tests/fixtures/*.txt tests/fixtures/*.md) | $(DEPS_STAMP)
	$(PY) tools/build_test_model.py $@

# Serve on $(HOST):$(PORT). MODEL=path/to/translate-de_en.argosmodel installs a real model first. With no model
# installed at all, the real German->English package is fetched from the Argos index (each connection gives up
# after 20 s without an answer, the whole download after DOWNLOAD_TIMEOUT seconds); only when that fails is the
# tiny demo model (random weights, meaningless output) installed, so the service starts; it then says so everywhere.
DOWNLOAD_TIMEOUT ?= 900
run: $(DEPS_STAMP) $(TEST_MODEL)
	@if [ -n "$(MODEL)" ]; then $(PY) -m translator models install "$(MODEL)"; fi
	@if ! $(PY) -m translator models list 2>/dev/null | grep -q .; then \
		echo "No model installed: trying the real German->English model from the Argos package index..."; \
		if timeout $(DOWNLOAD_TIMEOUT) $(PY) -m translator models install de en; then \
			echo "Installed the real German->English model from the Argos package index."; \
		else \
			echo "Could not install it from the Argos package index (offline, blocked or too slow)."; \
			echo "Installing the DEMO model instead (random weights, meaningless output; the service says so)."; \
			echo "For real translations: make run MODEL=path/to/translate-de_en.argosmodel"; \
			$(PY) -m translator models install $(TEST_MODEL); \
		fi; fi
	$(PY) -m translator serve --bind $(HOST):$(PORT)

test: $(DEPS_STAMP) $(TEST_MODEL)
	tools/ensure-chromium.sh
	tools/ensure-redis.sh
	tools/ensure-nginx.sh
	tools/ensure-gettext.sh
	tools/ensure-axe.sh
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m pytest

# The inner loop: everything but the process-level tests marked slow (subprocesses, signals, Docker, browser).
test-fast: $(DEPS_STAMP) $(TEST_MODEL)
	$(PY) -m pytest -m "not slow"

# Benchmarks (figures printed, last line JSON; see bench/RESULTS.md). MODEL=path.argosmodel for a real model;
# `make bench MODEL=$(BENCH_MODEL)` after `make bench-model` for the realistic-size random model.
bench: $(DEPS_STAMP) $(TEST_MODEL)
	$(PY) bench/throughput.py $(if $(MODEL),--model $(MODEL))
	$(PY) bench/server.py $(if $(MODEL),--model $(MODEL) --requests 8)
	$(PY) bench/manifest.py
	$(PY) bench/storage.py
	$(PY) bench/html_depth.py --quick
	$(PY) bench/extraction.py --alternatives
	$(PY) bench/files.py $(if $(MODEL),--model $(MODEL) --pages 2 --repeat 1)

bench-model: $(BENCH_MODEL)

$(BENCH_MODEL): tools/build_test_model.py | $(DEPS_STAMP)
	$(PY) tools/build_test_model.py --size bench $@

lint: $(DEPS_STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

# Re-pin requirements*.txt from requirements*.in (needs the registry).
lock: $(DEPS_STAMP)
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile -q --strip-extras --no-header --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements.txt requirements.in
	$(VENV)/bin/pip-compile -q --strip-extras --no-header --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements-dev.txt requirements-dev.in

clean:
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache .ruff_cache
