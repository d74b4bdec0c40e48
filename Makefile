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

.PHONY: run test lint lock install clean bench bench-model
BENCH_MODEL := .cache/test-model/translate-de_en-bench.argosmodel

$(DEPS_STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	rm -f $(VENV)/.deps-* && touch $@

install: $(DEPS_STAMP)

$(TEST_MODEL): tools/build_test_model.py $(wildcard tests/fixtures/*.txt tests/fixtures/*.md) | $(DEPS_STAMP)
	$(PY) tools/build_test_model.py $@

# Serve on $(HOST):$(PORT). MODEL=path/to/translate-de_en.argosmodel installs a real model first;
# with no model installed at all, the tiny demo model (meaningless output) is installed so the service starts.
run: $(DEPS_STAMP) $(TEST_MODEL)
	@if [ -n "$(MODEL)" ]; then $(PY) -m translator models install "$(MODEL)"; fi
	@if ! $(PY) -m translator models list 2>/dev/null | grep -q .; then \
		echo "No model installed: installing the DEMO model (random weights, meaningless output)."; \
		echo "For real translations: make run MODEL=path/to/translate-de_en.argosmodel"; \
		$(PY) -m translator models install $(TEST_MODEL); fi
	$(VENV)/bin/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT) 'app:create_app()'

test: $(DEPS_STAMP) $(TEST_MODEL)
	tools/ensure-chromium.sh
	tools/ensure-gettext.sh
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m pytest

# Benchmarks (figures printed, last line JSON; see bench/RESULTS.md). MODEL=path.argosmodel for a real model;
# `make bench MODEL=$(BENCH_MODEL)` after `make bench-model` for the realistic-size random model.
bench: $(DEPS_STAMP) $(TEST_MODEL)
	$(PY) bench/throughput.py $(if $(MODEL),--model $(MODEL))
	$(PY) bench/server.py $(if $(MODEL),--model $(MODEL) --requests 8)
	$(PY) bench/manifest.py
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
