# The archive's everyday commands. `make run` and `make test` work on a bare machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The address links in emails start with (archive/site.py); set it when readers reach
# `make run` through another name, e.g. make run ARCHIVE_SITE_URL=http://192.0.2.5:8000
ARCHIVE_SITE_URL ?= http://$(HOST):$(PORT)
CHROMIUM := /usr/bin/chromium

.PHONY: api-schema install ebook-deps cluster-deps gettext-deps messages run migrate demo test test-browser browser-deps screenshots fuzz fmt lint bench loadtest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# The interface translations (locale/<lang>/LC_MESSAGES/django.po; docs/decisions.md, "Interface
# languages"): the .mo files are built here from the .po files, never committed. msgfmt is Debian's gettext,
# installed when it is missing and we are allowed to.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
LANGS := es de ar

gettext-deps:
	@if ! command -v msgfmt >/dev/null; then \
		if [ "$$(id -u)" = "0" ]; then \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext) >/dev/null; \
		else \
			echo "GNU gettext is missing: run 'sudo apt-get install -y gettext' for the translations."; exit 1; \
		fi; \
	fi

%.mo: %.po | gettext-deps
	msgfmt --check-format -o $@ $<

# After changing interface strings: refresh every .po from the templates and code, then
# translate the new entries (tests/i18n checks none is missing).
messages: install
	$(BIN)/python manage.py makemessages --no-obsolete $(foreach lang,$(LANGS),-l $(lang)) -i .venv -i tests -i docs -i staticfiles

install: $(VENV)/.installed $(MO_FILES)

# The API's published schema (docs/api/openapi-v1.json): after changing the API, bump VERSION in
# works/api/v1.py and write it again (tests/api/test_schema_contract.py fails until then).
api-schema: install
	$(BIN)/python manage.py api_schema --write

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	ARCHIVE_SITE_URL=$(ARCHIVE_SITE_URL) $(BIN)/python manage.py load_demo

# One task worker runs as a thread of the server (archive/queue.py): no extra process.
run: demo ebook-deps
	ARCHIVE_SITE_URL=$(ARCHIVE_SITE_URL) ARCHIVE_TASKS_THREAD=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Browser tests use Debian's Chromium; install it when it is missing and we are allowed to.
browser-deps:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; \
		else \
			echo "Chromium is missing: run 'sudo apt-get install -y chromium' for the browser tests."; \
		fi; \
	fi

# E-book downloads (works/downloads): Calibre's ebook-convert makes AZW3, MOBI and PDF (a site
# without it offers EPUB and HTML only); the tests check files with epubcheck, ebook-meta and
# pdftotext (poppler-utils). Installed when missing and we are allowed to.
EBOOK_PACKAGES := epubcheck calibre poppler-utils
ebook-deps:
	@if ! command -v ebook-convert >/dev/null || ! command -v pdftotext >/dev/null || [ ! -f /usr/share/java/epubcheck.jar ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(EBOOK_PACKAGES)) >/dev/null; \
		else \
			echo "For every download format: run 'sudo apt-get install -y $(EBOOK_PACKAGES)'."; \
		fi; \
	fi

test: install browser-deps ebook-deps cluster-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Only the browser tests (Playwright driving $(CHROMIUM); no browser is ever downloaded).
test-browser: install browser-deps
	$(BIN)/python -m pytest -m browser tests/browser $(PYTEST_ARGS)

# PNGs of the main pages at 1280 and 390 px in every skin, from the demo archive, into
# docs/screenshots/ (tests/browser/screenshots.py).
screenshots: demo browser-deps
	$(BIN)/python -m tests.browser.screenshots

# The hostile-input fuzz of every URL (tests/test_hostile_requests.py) with many more examples
# than `make test` runs: FUZZ_EXAMPLES per URL (Hypothesis's "fuzz" profile).
FUZZ_EXAMPLES ?= 200
fuzz: install
	HYPOTHESIS_PROFILE=fuzz FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/test_hostile_requests.py $(PYTEST_ARGS)

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

# Benchmarks (tests/bench/run.py): PostgreSQL only, never part of `make test`.
# The archive comes from `python -m tests.bench.generate --works N` (tests/bench/generate/).
# make bench BENCH_WORKS=1000000 BENCH_ARGS="--duration 20 --workers 1,2"
BENCH_WORKS ?= 100000
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/archive_bench
bench: install
	@if ! command -v wrk >/dev/null; then \
		if [ "$$(id -u)" = "0" ]; then \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) >/dev/null; \
		else \
			echo "wrk is missing: run 'sudo apt-get install -y wrk' for the benchmarks."; exit 1; \
		fi; \
	fi
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python tests/bench/run.py --works $(BENCH_WORKS) $(BENCH_ARGS)

# Many app servers (deploy/, README "Many app servers"): Debian's PgBouncer and nginx, which
# LOAD_MODE=pool|cluster and tests/scale run privately on loopback. Installed when missing.
CLUSTER_PACKAGES := pgbouncer nginx
cluster-deps:
	@if [ ! -x /usr/sbin/pgbouncer ] || [ ! -x /usr/sbin/nginx ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(CLUSTER_PACKAGES)) >/dev/null; \
		else \
			echo "For the cluster tests: run 'sudo apt-get install -y $(CLUSTER_PACKAGES)'."; \
		fi; \
	fi

# Load test (tests/bench/load.py): gunicorn + PostgreSQL + Redis on loopback, a mix of reading,
# listing, searching, kudos and comments for LOAD_SECONDS; no 5xx, no lost writes; LOAD.md.
# LOAD_MODE=pool: 200 clients on 20 PgBouncer server connections (tests/bench/pool.py);
# LOAD_MODE=cluster: two gunicorns behind nginx, PgBouncer, Redis, a replica (cluster_load.py).
LOAD_SECONDS ?= 300
LOAD_MODE ?= single
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/archive_bench_load
loadtest: install $(if $(filter pool cluster,$(LOAD_MODE)),cluster-deps)
	LOAD_MODE=$(LOAD_MODE) LOAD_SECONDS=$(LOAD_SECONDS) LOAD_DATABASE_URL=$(LOAD_DATABASE_URL) $(BIN)/python tests/bench/load.py $(LOAD_ARGS)

clean:
	rm -rf $(VENV) data/*.sqlite3
