# Everyday commands. `make run` and `make test` are all a fresh machine needs.

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium
WRK ?= /usr/bin/wrk
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/portal

# With DJANGO_DEBUG off the site refuses to start without DJANGO_SECRET_KEY
# (portal/environment.py). Unless it is set, the targets here take the key
# kept in .secret_key (git-ignored), made on first use: the same key on
# every start, so sessions outlive a restart. A public site sets its own.
SECRET_KEY_FILE := .secret_key
ifeq ($(strip $(DJANGO_SECRET_KEY)),)
export DJANGO_SECRET_KEY := $(shell test -s $(SECRET_KEY_FILE) || \
	(umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' \
	> $(SECRET_KEY_FILE)); cat $(SECRET_KEY_FILE))
endif

.PHONY: install install-dev run serve worker migrate demo test test-postgres check lint format bench bench-serve lighthouse screenshots clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

install-dev: $(VENV)/.installed-dev $(CHROMIUM) node_modules/.installed

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# The page checks' Node tools (axe-core, the Nu HTML Checker, Lighthouse),
# exactly as package-lock.json pins them; again whenever the lock changes.
# Install scripts are skipped: vnu-jar's would fetch a Java runtime, and the
# machine's Java runs the checker.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Browser tests need Debian's Chromium; Playwright's own download is not used.
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# Bodies rendered by older linking rules are rendered again after an upgrade.
migrate: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py relink --outdated

demo: migrate
	$(BIN)/python manage.py load_demo

# The site and, beside it, the worker that relinks pages in the background.
run: demo
	DJANGO_DEBUG=1 $(BIN)/python manage.py with_worker -- \
		manage.py runserver 127.0.0.1:$(PORT)

# As in production: DEBUG off, hashed static files and gunicorn (sized by
# gunicorn.conf.py), with the worker. SQLite unless DATABASE_URL is set.
serve: migrate
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	PORT=$(PORT) $(BIN)/python manage.py with_worker -- \
		$(BIN)/gunicorn -c gunicorn.conf.py portal.wsgi

# Only the background worker, for a site whose web server runs elsewhere.
worker: migrate
	$(BIN)/python manage.py relink --resume
	$(BIN)/python manage.py db_worker --queue-name '*'

test: install-dev
	$(BIN)/python -m pytest

# The same suite on PostgreSQL (pg_trgm and full-text search); the test
# database is created next to the one POSTGRES_URL names.
test-postgres: install-dev
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/python -m pytest

# Every benchmark runs even when an earlier one misses a floor; any miss
# fails the target.
bench: install-dev $(WRK)
	status=0; \
	$(BIN)/python -m bench.linking || status=$$?; \
	$(BIN)/python -m bench.search || status=$$?; \
	$(BIN)/python -m bench.corpus || status=$$?; \
	$(BIN)/python -m bench.answers || status=$$?; \
	$(BIN)/python -m bench.relink || status=$$?; \
	$(BIN)/python -m bench.lighthouse || status=$$?; \
	$(BIN)/python -m bench.glossary_index || status=$$?; \
	$(BIN)/python -m bench.serve || status=$$?; \
	exit $$status

# Requests a second the site serves under wrk's load (bench/serve).
bench-serve: install-dev $(WRK)
	$(BIN)/python -m bench.serve

# The HTTP load generator of bench/serve, from Debian's packages.
$(WRK):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk

# Lighthouse scores of the site served as in production (bench/lighthouse).
lighthouse: install-dev
	$(BIN)/python -m bench.lighthouse

# The README's pictures of the site with the demo content (docs/screenshots/).
screenshots: install-dev
	$(BIN)/python -m docs.screenshots

check: install-dev
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
