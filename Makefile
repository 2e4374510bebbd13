# Röd tråd. `make run` and `make test` are the two commands a newcomer needs.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
SV_PO := redthread/locale/sv/LC_MESSAGES/django.po

.PHONY: help install system-deps run serve demo migrate test test-fast test-pg test-browser \
        lint fmt check-migrations check-deploy security audit load load-smoke messages \
        compile-messages check-messages bench bench-generate bench-run bench-growth clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the pinned dependencies

system-deps: ## install what Debian must provide (gettext, PostgreSQL 15, Chromium) when missing
	bash scripts/system-deps.sh

run: install ## migrate, load the demo and serve on http://127.0.0.1:$(PORT)
	$(BIN)/redthread migrate --no-input -v 0
	$(BIN)/redthread demo
	@$(BIN)/python scripts/print_logins.py $(PORT)
	$(BIN)/redthread runserver 127.0.0.1:$(PORT)

demo: install ## load the demo data (idempotent)
	$(BIN)/redthread demo

migrate: install
	$(BIN)/redthread migrate

fmt: install ## format the code and apply safe lint fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

lint: install ## ruff, the layers contract, strict mypy, and every list's query count with 1 and 20 rows
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy redthread tests
	$(BIN)/python scripts/check_type_ignores.py
	$(BIN)/pytest -q -n 0 -m querycount

check-migrations: install ## fail when a model change has no migration
	$(BIN)/redthread makemigrations --check --dry-run

# The environment a production deploy has (README, "Deploying"): DEBUG off, a long random
# key, real hosts, PostgreSQL, SMTP. `check` does not connect to the database.
DEPLOY_ENV := DEBUG=false ALLOWED_HOSTS=rodtrad.example.se \
	DATABASE_URL=postgres://redthread@db.example.se/redthread EMAIL_URL=smtp://mail.example.se:587/?tls=true

check-deploy: install ## Django's deployment checks with production settings; any warning fails
	$(DEPLOY_ENV) SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		$(BIN)/redthread check --deploy --fail-level WARNING

security: install ## bandit over redthread/ (config and skips in pyproject, each ignore explained inline)
	$(BIN)/bandit --quiet --configfile pyproject.toml --recursive redthread

audit: install ## pip-audit of every pin in constraints.txt (skips, saying so, only when no service answers)
	$(BIN)/python scripts/audit_dependencies.py

LOAD := $(BIN)/python scripts/with_postgres.py -- $(BIN)/python scripts/load/run.py

load: install ## load test: 50 users, 2 minutes (40,000 requests at most), gunicorn + worker on PostgreSQL
	$(LOAD) --users 50 --spawn-rate 5 --run-time 2m --max-requests 40000 --out var/load

load-smoke: install ## the load test for 10 seconds with 4 users
	$(LOAD) --users 4 --spawn-rate 4 --run-time 10s --max-requests 2000 --out var/load-smoke

messages: install ## extract the translatable strings; Swedish (the source) is filled in
	cd redthread && ../$(BIN)/redthread makemessages -l sv -l en --no-obsolete --no-location --ignore 'static/*'
	@# Swedish is the source language: every Swedish msgstr is its msgid, never fuzzy.
	msgfilter --keep-header -i $(SV_PO) sed -e d | msgen - | msgattrib --clear-fuzzy --clear-previous -o $(SV_PO)
	$(MAKE) compile-messages

compile-messages: install ## compile the .po catalogues into the .mo files Django reads
	cd redthread && ../$(BIN)/redthread compilemessages -v 0

check-messages: install ## the catalogues compile and hold no untranslated or fuzzy entries
	$(BIN)/python scripts/check_messages.py

test-fast: install ## the Python tests on SQLite, without the browser
	$(BIN)/pytest -q -n 2 -m "not browser and not querycount"

test-pg: install ## the Python tests on a throwaway PostgreSQL 15 cluster
	$(BIN)/python scripts/with_postgres.py -- $(BIN)/pytest -q -n 2 -m "not browser"

test-browser: install ## browser tests in Debian's Chromium, with axe on every page
	$(BIN)/pytest -q -m browser tests/browser

test: install system-deps lint check-migrations check-messages check-deploy security audit test-fast test-pg test-browser ## everything CI checks
	@echo "make test: all checks passed"

bench: install ## the benchmark harness (ratios against a floor measured in the same run)
	$(BIN)/redthread bench

SCALE ?= small
BENCH_DB := sqlite:///var/bench-$(SCALE).sqlite3

bench-generate: install ## a synthetic nation in var/bench-$(SCALE).sqlite3 (SCALE=small|medium|national)
	mkdir -p var && rm -f var/bench-$(SCALE).sqlite3
	DATABASE_URL=$(BENCH_DB) $(BIN)/redthread bench generate --scale $(SCALE)

bench-growth: install ## the latest run of each scale side by side: a table and bench/growth-sqlite.svg
	$(BIN)/redthread bench growth

bench-run: install ## time the key pages on var/bench-$(SCALE).sqlite3; writes bench/results/
	DATABASE_URL=$(BENCH_DB) $(BIN)/redthread bench run --scale $(SCALE)

clean: ## remove the virtual environment and local data
	rm -rf $(VENV) var .mypy_cache .ruff_cache
