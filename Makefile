# IBOK Gateway: `make run` starts the demo, `make test` runs everything CI runs. Both set up .venv first.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 5000
SIM_PORT ?= 8081
export PORT SIM_PORT

.PHONY: install run simulator test lint typecheck translations unit record check-erp dataset clean fonts
.PHONY: browser-tools screenshots bench database-servers

# pip and setuptools print hundreds of lines even with --quiet: they go to $(VENV)/install.log, shown on failure.
$(VENV)/.installed: setup.cfg pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@echo "installing Python packages into $(VENV) (details in $(VENV)/install.log)"
	@{ $(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip \
	   && $(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'; } >$(VENV)/install.log 2>&1 \
	   || { tail -n 40 $(VENV)/install.log; echo "installing failed: see $(VENV)/install.log" >&2; exit 1; }
	@touch $@

install: $(VENV)/.installed

run: install
	@bash scripts/run-demo

simulator: install
	$(PY) -m fixtures.simulator

record: install
	bash scripts/with-simulator bash scripts/record-fixtures

check-erp: install
	bash scripts/with-simulator bash -c 'IBOK_ERP_ADAPTER=soap IBOK_ERP_URL=$$SIM_URL/soap \
	    $(VENV)/bin/flask --app gateway erp check --customer K-1001'

lint: install
	$(VENV)/bin/flake8
	$(VENV)/bin/lint-imports
	$(VENV)/bin/isort --check-only --diff adapters gateway fixtures tests config bench

typecheck: install
	$(VENV)/bin/mypy

translations: install
	$(VENV)/bin/pybabel compile -d gateway/translations >/dev/null

# The browser suite's tools: Debian's Chromium (installed with apt-get when missing; never a browser downloaded
# by Playwright) and axe-core from npm (package-lock.json in tests/e2e). Either missing fails loudly.
tests/e2e/node_modules/.installed: tests/e2e/package.json tests/e2e/package-lock.json
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error
	touch $@

browser-tools: tests/e2e/node_modules/.installed
	bash scripts/install-chromium

# DejaVu Sans, which the demo's PDFs (and their tests) print Polish with: fonts-dejavu-core, installed when missing.
fonts:
	bash scripts/install-debian-package fonts-dejavu-core /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf \
		"the demo-PDF tests"

# PostgreSQL 15 and PgBouncer from Debian, which the suite starts in temporary directories (installed when missing).
database-servers:
	bash scripts/install-postgres

unit: install translations browser-tools fonts database-servers
	$(VENV)/bin/pytest

# Chromium's Polish (chromium-l10n) draws the date fields as customers in Poland see them: 27.11.2026.
screenshots: install translations browser-tools
	bash scripts/install-debian-package chromium-l10n /usr/lib/chromium/locales/pl.pak "Polish date fields in the screenshots"
	$(PY) -m tests.e2e.screenshots docs/screenshots

test: lint typecheck unit

dataset: install fonts
	$(PY) -m fixtures.demo.generate

# Benchmarks (issue 7; not part of `make test`): the simulator and the portal under gunicorn on loopback, loaded
# with wrk from Debian (installed when missing); writes BENCHMARKS.md, fails when a goal is missed. ~7 minutes.
bench: install translations
	command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[bench]'
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache build *.egg-info
