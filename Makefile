# Two commands: `make run` serves the demo portal; `make test` runs the whole suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 5000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-pg test-hostile venv browser-deps migrate seed lint bench bench-http clean

venv: $(VENV)/.stamp-install
$(VENV)/.stamp-install: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

migrate: venv
	mkdir -p instance
	$(VENV)/bin/alembic upgrade head

seed: migrate
	$(FLASK) seed-demo

# The web server and the job queue's consumer together; Ctrl-C stops both. No SMTP is configured,
# so e-mails stay in the portal: staff read them at /dev/outbox.
run: seed
	@echo "Samling: http://$(HOST):$(PORT) (demo accounts in README.md, password demo-adgangskode)"
	@echo "Jobs run in a consumer beside the web server; e-mails: http://$(HOST):$(PORT)/dev/outbox"
	@export PORTAL_BASE_URL="$${PORTAL_BASE_URL:-http://$(HOST):$(PORT)}"; \
	$(FLASK) run-consumer & consumer=$$!; \
	trap 'kill $$consumer 2>/dev/null; wait $$consumer' EXIT; \
	$(FLASK) run --host $(HOST) --port $(PORT)

# Debian's Chromium for Playwright (never `playwright install`), axe-core and vnu-jar from npm.
browser-deps: node_modules/.stamp
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q chromium; }
node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

test: venv browser-deps
	$(PY) -m pytest

# Fuzz, load and XSS-through-every-field tests (pytest marker `hostile`; not part of `make test`).
# XSS_FULL=1 sends every payload of the corpus through every field instead of a sample.
test-hostile: venv browser-deps
	$(PY) -m pytest -m hostile -p no:cacheprovider

# The database-backed suite again on PostgreSQL, in a fresh schema that is dropped afterwards.
test-pg: venv
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	PORTAL_TEST_DATABASE_URL=$(PG_URL) $(PY) -m pytest -m "not browser" --ignore=tests/selection

lint: venv
	$(VENV)/bin/ruff check portal tests
	$(VENV)/bin/mypy

bench: venv
	$(PY) bench/selection.py

# Public pages under wrk at 32 connections against a bare route, on SQLite and PostgreSQL
# (README "Benchmarks"); e.g. make bench-http BENCH_ARGS="--scale 0.01 --db sqlite".
bench-http: venv
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q wrk; }
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start || true
	$(PY) bench/http.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules instance/samling.db* instance/queue.db*
