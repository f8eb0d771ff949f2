# Concerto: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# xstatic-bootstrap ships only an sdist whose setup.py imports pkg_resources (gone from setuptools 81).
PIP_INSTALL := $(PIP) install --quiet --build-constraint requirements/build-constraints.txt
# A local PostgreSQL 15 cluster over its Unix socket, unless DATABASE_URL says otherwise.
TEST_DATABASE_URL ?= $(or $(DATABASE_URL),postgres:///concerto)

.PHONY: install run test test-fast lint format system-deps postgres clean messages screenshots bench loadtest

$(VENV)/.installed: pyproject.toml requirements/build-constraints.txt
	test -d $(VENV) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade "pip>=25.3"
	$(PIP_INSTALL) -e '.[dev]'
	touch $@

# The French translation, compiled from its .po without GNU gettext (scripts/compile_translations.py).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

%.mo: %.po $(VENV)/.installed
	$(PY) scripts/compile_translations.py

install: $(VENV)/.installed $(MO_FILES)

run: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

system-deps:
	scripts/system-deps.sh

postgres: system-deps
	@if [ -z "$(DATABASE_URL)" ]; then scripts/local-postgres.sh; fi

test: install lint system-deps postgres
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL=$(TEST_DATABASE_URL) $(VENV)/bin/pytest

# The inner loop: everything but the browser and the property tests (a few minutes less).
test-fast: install lint postgres
	DATABASE_URL=$(TEST_DATABASE_URL) $(VENV)/bin/pytest -m "not browser and not property"

# Page costs at 10k, 100k and 1M values on PostgreSQL (database concerto_bench, kept between runs:
# BENCH_ARGS=--rebuild makes the initiatives again). Prints a table and writes docs/benchmarks.md.
BENCH_DATABASE_URL ?= postgres:///concerto_bench
bench: install system-deps
	scripts/local-postgres.sh concerto_bench
	SECRET_KEY=benchmark $(PY) manage.py collectstatic --noinput -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) SECRET_KEY=benchmark ALLOWED_HOSTS=localhost $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) SECRET_KEY=benchmark ALLOWED_HOSTS=localhost SECURE_SSL_REDIRECT=0 $(PY) manage.py bench $(BENCH_ARGS)

# gunicorn (2 workers) on loopback with the M initiative, 16 logged-in connections of wrk for 30 s.
loadtest: install system-deps
	scripts/local-postgres.sh concerto_bench
	SECRET_KEY=benchmark $(PY) manage.py collectstatic --noinput -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) SECRET_KEY=benchmark $(PY) manage.py migrate --noinput -v0
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) scripts/loadtest.sh

# The demo's main pages, in English and French, phone and desktop, into docs/screenshots/.
screenshots: install system-deps
	$(PY) scripts/screenshots.py

# After changing user-facing text: collect the new strings into the French catalogue, translate them
# (the test suite fails while any is missing), then `make install` compiles them.
messages: install system-deps
	DEBUG=1 $(PY) manage.py makemessages --locale fr --no-obsolete --ignore '.venv/*' --ignore 'tests/*' --ignore 'staticfiles/*'

clean:
	rm -rf $(VENV) staticfiles .pytest_cache locale/*/LC_MESSAGES/*.mo
