# The two commands on the README's first screen: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := budget:create_app

.PHONY: install translations run test test-postgres test-browser clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,postgres,redis]'
	touch $@

install: $(VENV)/.installed

translations: install
	$(BIN)/pybabel compile -d budget/translations

run: translations
	$(BIN)/flask db upgrade
	$(BIN)/flask budget demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: translations
	$(BIN)/pytest

# Needs /usr/bin/chromium (Debian's package; .ci/browser installs it) and npm for axe-core.
test-browser: translations tests/browser/node_modules/.package-lock.json
	$(BIN)/pytest -m browser tests/browser

tests/browser/node_modules/.package-lock.json: tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund
	touch $@

test-postgres:
	BUDGET_TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test $(MAKE) test

clean:
	rm -rf $(VENV) instance build *.egg-info
