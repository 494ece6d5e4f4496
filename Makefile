# The two commands on the README's first screen: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := budget:create_app

.PHONY: install translations run test test-postgres test-browser lock lock-upgrade lock-check clean serve-prod worker \
	bench bench-load bench-tally fuzz-long

# requirements.lock pins every dependency, with its hashes (PyPI's files), for CI and fresh
# machines alike: pip refuses any file whose hash is not in it. The project itself then goes in
# without dependencies, built by the lock's setuptools (setup.py compiles the C extension).
# The compiled tally core's sources too: a changed C file is built again by the next command.
CORE_SOURCES := $(wildcard budget/domain/tally/*.c budget/domain/tally/*.h budget/domain/tally/mes/*.c)

$(VENV)/.installed: pyproject.toml requirements.lock setup.py $(CORE_SOURCES)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

install: $(VENV)/.installed

# Compiled only when a catalogue changed: two test runs can then start side by side (.ci/run).
translations: budget/translations/.compiled

budget/translations/.compiled: $(VENV)/.installed $(wildcard budget/translations/*/LC_MESSAGES/*.po)
	$(BIN)/pybabel compile -d budget/translations
	touch $@

# The port `make run` serves on: `make run PORT=8080` when 5000 is taken. The links in the
# emails printed in the terminal follow it (PUBLIC_URL), unless PUBLIC_URL is set.
PORT ?= 5000
PUBLIC_URL ?= http://127.0.0.1:$(PORT)

run: translations
	$(BIN)/flask db upgrade
	$(BIN)/flask budget demo
	PUBLIC_URL=$(PUBLIC_URL) $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

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

# `make lock` after changing pyproject.toml: uv resolves it (every extra, and the build system's
# setuptools, read from pyproject.toml) for Python 3.11 and later on any platform, keeps the
# versions already locked where they still fit, and writes every file's hash.
# `make lock-upgrade`: the newest versions pyproject.toml allows. `make lock-check` (.ci/lint):
# fails when requirements.lock is not what `make lock` would write, or pins something loosely.
LOCK_COMPILE = $(BIN)/python -c 'import tomllib; \
	print(*tomllib.load(open("pyproject.toml", "rb"))["build-system"]["requires"], sep="\n")' \
	| $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --all-extras --no-strip-extras \
	--generate-hashes --custom-compile-command 'make lock' pyproject.toml -

lock: $(VENV)/.installed
	$(LOCK_COMPILE) -o requirements.lock

lock-upgrade: $(VENV)/.installed
	$(LOCK_COMPILE) --upgrade -o requirements.lock

lock-check: $(VENV)/.installed
	$(BIN)/python scripts/check_lock.py
	cp requirements.lock .lock-check.txt
	$(LOCK_COMPILE) -o .lock-check.txt
	diff -u requirements.lock .lock-check.txt \
	  || { rm -f .lock-check.txt; echo "requirements.lock is stale: run make lock"; exit 1; }
	rm -f .lock-check.txt

clean:
	rm -rf $(VENV) instance build *.egg-info

# Production (see docs/operations.md): set BUDGET_ENV=production, SECRET_KEY, DATABASE_URL,
# REDIS_URL first; the server refuses to start on an unsafe configuration.
serve-prod: translations
	$(BIN)/gunicorn -c deploy/gunicorn.conf.py

worker: install
	$(BIN)/flask budget worker

# Benchmarks and long fuzzing: not part of CI (see bench/README.md). They need the local
# PostgreSQL and Redis; each figure is a ratio against a peer measured in the same run.
BENCH_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/budget_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/5

bench: bench-load bench-tally fuzz-long

bench-load: translations
	psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname = 'budget_bench'" \
	  | grep -q 1 || createdb -h 127.0.0.1 -U postgres budget_bench
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(BIN)/python bench/vote_load.py

bench-tally: install
	$(BIN)/python bench/targets.py
	$(BIN)/python bench/tally.py --limit 20 --ours-limit 120 --jobs 2

# Every form and API endpoint, and the .pb and CSV importers, with 10,000 examples per test.
fuzz-long: translations
	BUDGET_HYPOTHESIS_PROFILE=nightly $(BIN)/pytest tests/properties $(wildcard tests/*/test_*fuzz*.py)
