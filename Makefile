# Byline: `make run` serves the demo newsroom, `make test` runs the whole suite.
# Both start from nothing: they create .venv and install what is missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000
# gunicorn's usual sizing: two workers per core plus one.
WORKERS ?= $(shell $(PYTHON) -c 'import os; print(2 * (os.cpu_count() or 1) + 1)')
# The local install runs as production does (DEBUG off), with a secret kept in var/.
LOCAL_ENV = DEBUG=0 SECRET_KEY="$$(cat var/secret_key)" \
	PROVENANCE_SIGNING_KEY_FILE=var/provenance/signing-key.pem

.PHONY: install run dev test lint format e2e bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

var/secret_key:
	mkdir -p var
	umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key

# The key that signs published articles (see README, "Provenance").
var/provenance/signing-key.pem: | install
	$(BIN)/python -m byline.provenance.keyfile $@

# Scheduled publishing (run_scheduler) runs beside the web server and stops with it.
run: install var/secret_key var/provenance/signing-key.pem
	$(LOCAL_ENV) $(BIN)/python manage.py migrate --noinput
	$(LOCAL_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(LOCAL_ENV) $(BIN)/python manage.py load_demo
	@echo "Serving Byline on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	$(LOCAL_ENV) $(BIN)/python manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(LOCAL_ENV) $(BIN)/gunicorn byline.wsgi --bind 127.0.0.1:$(PORT) \
		--workers $(WORKERS) --access-logfile - --forwarded-allow-ips 127.0.0.1

dev: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo
	DEBUG=1 $(BIN)/python manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/python -m pytest

e2e: install
	$(BIN)/python -m pytest -m e2e

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) var/static
