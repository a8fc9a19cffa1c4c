# The two commands of the README: `make run` and `make test`. Both set up .venv from the lock first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test dev bench lint lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

# Reinstall only when the lock or the project metadata changes.
$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/coop run

test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2

dev: $(STAMP)
	$(BIN)/coop dev

bench: $(STAMP)
	$(BIN)/coop bench

lint: $(STAMP)
	$(BIN)/ruff check pipelines assets tests
	$(BIN)/ruff format --check pipelines assets tests

# Regenerate the pinned lock after editing dependencies in pyproject.toml.
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) warehouse/*.duckdb warehouse/exports warehouse/staging
