# Byline: `make run` serves the demo newsroom, `make test` runs the whole suite.
# Both start from nothing: they create .venv and install what is missing.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000
# The address readers use: every absolute link (canonical, feeds, sitemaps,
# signed records, mail) names it. `make run` writes it to var/.env.
SITE_URL ?= http://127.0.0.1:$(PORT)
# One worker per core: the master loads the code once and the workers share it
# (deploy/gunicorn.conf.py; README, "Memory at rest"). Each worker is an event
# loop that answers kept pages itself; the rest waits on THREADS threads, Django
# running on RENDER_THREADS of them (byline/pagecache/asgi.py), so a storm of
# slow posts holds no reader up.
WORKERS ?= $(shell $(PYTHON) -c 'import os; print(os.cpu_count() or 1)')
THREADS ?= 32
# The local install runs as production does (DEBUG off); its secrets and address
# are in var/.env, which settings read, so manage.py commands work as they stand.
LOCAL_ENV = DEBUG=0

# The scheduler (run_scheduler's loop) is forked by gunicorn's master, sharing
# its loaded code: SCHEDULER_IN_WEB=1. Two malloc arenas per process: glibc
# would otherwise give each thread its own, each holding freed memory.
SERVE_WEB = env MALLOC_ARENA_MAX=2 $(BIN)/gunicorn -c deploy/gunicorn.conf.py --bind 127.0.0.1:$(PORT) \
	--workers $(WORKERS) \
	--env SCHEDULER_IN_WEB=1 --env THREADS=$(THREADS)

.PHONY: install run dev s3 test lint format e2e bench clean print-serve lock lock-check audit test-newest

# Every package, with the test and dev extras, comes from the lock file at the
# version pip-compile resolved, each download checked against its hash; the
# project itself is then installed editable with nothing more fetched.
LOCK := requirements.lock
LOCK_EXTRAS := test dev

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) tools/lock_check.py pyproject.toml $(LOCK) $(LOCK_EXTRAS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

# After changing a pin in pyproject.toml: resolve again into the lock (needs the
# package index; keeps every other version as it was unless it must move).
lock:
	test -x $(BIN)/pip-compile || { $(PYTHON) -m venv $(VENV) && \
		$(BIN)/pip install --quiet "$$($(PYTHON) tools/lock_check.py --pin pip-tools)"; }
	$(BIN)/pip-compile --quiet $(addprefix --extra=,$(LOCK_EXTRAS)) \
		--generate-hashes --allow-unsafe --strip-extras --all-build-deps \
		--no-emit-index-url --no-emit-find-links --output-file=$(LOCK) pyproject.toml

# Fails when pyproject.toml's pins and the lock file disagree (no network; CI).
lock-check:
	$(PYTHON) tools/lock_check.py pyproject.toml $(LOCK) $(LOCK_EXTRAS)

# Known vulnerabilities in the locked versions (needs network access to PyPI's
# vulnerability data; --strict fails rather than skip what it could not check).
audit: install
	$(BIN)/pip-audit --strict --require-hashes --disable-pip -r $(LOCK)

# Scheduled publishing (run_scheduler's loop) runs in a process gunicorn's
# master forks, and stops with it.
# byline.localenv generates the secret key and the key that signs published
# articles once, and writes var/.env (0600) with them and SITE_URL; `migrate`
# then gives the site that address.
run: install
	$(BIN)/python -m byline.localenv --site-url $(SITE_URL)
	$(LOCAL_ENV) $(BIN)/python manage.py migrate --noinput
	$(LOCAL_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(LOCAL_ENV) $(BIN)/python manage.py check_storage
	$(LOCAL_ENV) $(BIN)/python manage.py load_demo
	@echo "Serving Byline on $(SITE_URL)/ (Ctrl-C stops it)"
	$(LOCAL_ENV) $(SERVE_WEB) --access-logfile -

# The processes `make run` serves with, one command a line (bench/compare.py
# and bench/memory.py start the same ones).
print-serve:
	@echo "$(SERVE_WEB)"

dev: install
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py migrate --noinput
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py check_storage
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py load_demo
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py run_scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Media on object storage without an S3 account: moto's standalone S3 server
# (from the locked test extras) on 127.0.0.1:$(S3_PORT), its bucket made and
# readable by anyone; it prints the variables for `make run` in another
# terminal. In memory: what it holds is gone when it stops (README, "Running
# several nodes").
S3_PORT ?= 9000
S3_BUCKET ?= byline-media
s3: install
	$(BIN)/python tools/s3_server.py --port $(S3_PORT) --bucket $(S3_BUCKET)

# The suite runs in parallel (pytest-xdist), one process per core and at least
# two: many tests wait on a subprocess, a server or a browser. Each process has
# its own test database and Redis database (byline/test_settings.py).
TEST_WORKERS ?= $(shell $(PYTHON) -c 'import os; print(max(2, os.cpu_count() or 1))')

test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

# The locked packages, then the newest patch releases of Django 5.2 and
# Wagtail 8.x (and what they need) in a venv of their own, and the tests that
# touch the frameworks most; `make test-newest NEWEST_TESTS=` runs the whole
# suite (needs the package index).
NEWEST_VENV := .venv-newest
NEWEST_TESTS ?= byline/core/tests byline/news/tests byline/related/tests/test_lists.py \
	byline/pagecache byline/syndication byline/importers/tests/test_jsonl.py \
	byline/security/tests/test_h1_csrf_resend.py
test-newest:
	$(PYTHON) -m venv $(NEWEST_VENV)
	$(NEWEST_VENV)/bin/pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(NEWEST_VENV)/bin/pip install --quiet --upgrade "django>=5.2,<5.3" "wagtail>=8.0,<9"
	$(NEWEST_VENV)/bin/pip install --quiet --no-deps --no-build-isolation -e .
	$(NEWEST_VENV)/bin/python -c 'import django, wagtail; print("Django", django.get_version(), "Wagtail", wagtail.__version__)'
	$(NEWEST_VENV)/bin/python -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS) $(NEWEST_TESTS)

e2e: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) -m e2e

# ruff, then the import contracts in pyproject.toml (README, "Architecture").
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) $(NEWEST_VENV) var/static
