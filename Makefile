# Two commands: `make run` (baseline scenario on the shipped data) and `make test`.
# `make test-fast` runs the unit and verification tests not marked slow (under a minute).
# Each creates .venv on first use and reinstalls when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: run test test-fast bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e ".[test,peers,ugrid]"
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/twin run

test: $(STAMP)
	$(VENV)/bin/python -m pytest -q -p no:cacheprovider

test-fast: $(STAMP)
	$(VENV)/bin/python -m pytest -q -p no:cacheprovider -m "not slow" tests/unit tests/verification

lint: $(STAMP)
	$(VENV)/bin/ruff check .

bench: $(STAMP)
	$(VENV)/bin/python -m benchmarks

clean:
	rm -rf $(VENV) results
