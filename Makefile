# The two set-up commands of the README: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test venv lint messages

# The venv is rebuilt whenever the locked dependencies change.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

venv: $(VENV)/.installed

demo: venv
	$(BIN)/serendip demo

test: venv
	scripts/test.sh

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy --strict src/serendip/engines
	$(BIN)/mypy

# Refresh the French and English catalogues after changing user-visible strings.
messages: venv
	cd src/serendip && ../../$(BIN)/serendip makemessages -l fr -l en --no-obsolete && ../../$(BIN)/serendip compilemessages
