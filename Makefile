# Two commands on a fresh machine: `make run` and `make test`. Both create .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: run test bench lint typecheck registry-docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

## Lint the sample posts in fixtures/ (a non-zero exit here means overclaims were found).
run: $(STAMP)
	-$(BIN)/claimlint check fixtures/posts

## Run every test (unit, golden, registry data, pre-commit, lint and type checks).
test: $(TEST_STAMP)
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/mypy

$(BENCH_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[bench]'
	touch $@ $(STAMP)

## Benchmark against the floor (bare spaCy) and proselint; prints a table, writes bench/results.json.
bench: $(BENCH_STAMP)
	$(BIN)/python bench/run.py

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests scripts bench

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

registry-docs: $(STAMP)
	$(BIN)/claimlint registry show --all --format markdown > docs/registry.md

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .claimlint_cache dist build
