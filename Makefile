# IBOK Gateway: `make run` starts the demo, `make test` runs everything CI runs. Both set up .venv first.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 5000
SIM_PORT ?= 8081
export PORT SIM_PORT

.PHONY: install run simulator test lint typecheck translations unit record check-erp dataset clean

$(VENV)/.installed: setup.cfg pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

install: $(VENV)/.installed

run: install
	bash scripts/run-demo

simulator: install
	$(PY) -m fixtures.simulator

record: install
	bash scripts/with-simulator bash scripts/record-fixtures

check-erp: install
	bash scripts/with-simulator bash -c 'IBOK_ERP_ADAPTER=soap IBOK_ERP_URL=$$SIM_URL/soap \
	    $(VENV)/bin/flask --app gateway erp check --customer K-1001'

lint: install
	$(VENV)/bin/flake8
	$(VENV)/bin/isort --check-only --diff adapters gateway fixtures tests config

typecheck: install
	$(VENV)/bin/mypy

translations: install
	$(VENV)/bin/pybabel compile -d gateway/translations >/dev/null

unit: install translations
	$(VENV)/bin/pytest

test: lint typecheck unit

dataset: install
	$(PY) -m fixtures.demo.generate

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache build *.egg-info
