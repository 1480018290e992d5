# The two commands: `make run` and `make test` (README.md). Everything else is a step of theirs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1:8000

.PHONY: run test lint bench serve-setup browser clean audit audit-deploy audit-bandit audit-bandit-baseline audit-html

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: $(BIN)/python requirements.txt
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-run requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

## make run: install, migrate, load the course and the demo accounts, serve on http://$(HOST)
run: $(VENV)/.installed-run
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_course
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py load_demo
	@echo "Serving on http://$(HOST)  (Ctrl-C stops it)"
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py runserver $(HOST)

## make test: install, lint, check, and run the whole suite (browser tests included)
test: $(VENV)/.installed-dev lint browser
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest

$(VENV)/.installed-bench: $(VENV)/.installed-run bench/requirements.txt
	$(BIN)/python -m pip install --quiet -r bench/requirements.txt
	touch $@

## make bench: the benchmark (docs/performance.md): data set, gunicorn, locust, table; BENCH_ARGS=--rebuild
bench: $(VENV)/.installed-bench
	$(BIN)/python bench/run.py $(BENCH_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

## Debian's Chromium for the browser tests; installed when missing and we may (root).
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	else echo "Chromium is missing and cannot be installed here (not root): the browser tests will be skipped."; fi

## make audit: the deploy checks with the production settings, bandit, and the Nu HTML validator over the
## main pages (docs/security.md lists every finding and its status). Runs all three, fails if any failed.
audit: $(VENV)/.installed-dev
	@$(MAKE) --no-print-directory -k audit-deploy audit-bandit audit-html

AUDIT      := .audit
AUDIT_DB   := sqlite:///$(CURDIR)/$(AUDIT)/audit.sqlite3
VNU        := $(AUDIT)/node_modules/vnu-jar/build/dist/vnu.jar
# htmx's attributes (hx-get, hx-post…) are not in the HTML standard: the validator's one known false
# finding, filtered by name only (docs/security.md).
VNU_FILTER := .*Attribute “hx-[a-z-]+” not allowed on element.*

audit-deploy:
	@echo "== manage.py check --deploy with the production settings"
	DJANGO_PRODUCTION=1 DJANGO_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  DJANGO_ALLOWED_HOSTS=portal.example DJANGO_CSRF_TRUSTED_ORIGINS=https://portal.example \
	  DATABASE_URL=$(AUDIT_DB) $(BIN)/python manage.py check --deploy --fail-level WARNING

## bandit over the code; findings reviewed and accepted are in .bandit-baseline.json (each one's reason:
## docs/security.md), so only a new finding fails. After reviewing a new one: make audit-bandit-baseline.
audit-bandit:
	@echo "== bandit"
	$(BIN)/bandit -c pyproject.toml -r . -q -b .bandit-baseline.json

audit-bandit-baseline:
	$(BIN)/bandit -c pyproject.toml -r . -q -f json -o .bandit-baseline.json || true

audit-html: $(VNU)
	@echo "== Nu HTML validator over the main pages (a scratch database in $(AUDIT)/)"
	@command -v java >/dev/null || { echo "java is missing: apt-get install default-jre-headless"; exit 1; }
	rm -rf $(AUDIT)/pages $(AUDIT)/audit.sqlite3*
	DATABASE_URL=$(AUDIT_DB) $(BIN)/python manage.py migrate --no-input --verbosity 0
	DATABASE_URL=$(AUDIT_DB) $(BIN)/python manage.py load_course > /dev/null
	DATABASE_URL=$(AUDIT_DB) $(BIN)/python manage.py load_demo > /dev/null
	DATABASE_URL=$(AUDIT_DB) DJANGO_ALLOWED_HOSTS=testserver $(BIN)/python manage.py render_pages $(AUDIT)/pages
	java -jar $(VNU) --errors-only --skip-non-html --filterpattern '$(VNU_FILTER)' $(AUDIT)/pages

$(VNU):
	npm install --silent --prefix $(AUDIT) vnu-jar

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache $(AUDIT)
