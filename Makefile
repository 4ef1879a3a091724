# The two commands: `make run` (the product, embedded default) and `make test` (the whole suite).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# One test runner per core; then the tests with real Celery workers over Redis, one at a time
# (they share one Redis database; without REDIS_URL there are none: pytest's exit code 5); then,
# with DATABASE_URL on PostgreSQL, a throwaway cluster restarted under load (tests/faults/); then
# the browser tests (Debian's chromium), on one runner against a live server.
PYTEST_ARGS ?= -n auto

.PHONY: run test lint format typecheck migrations-check check check-deploy lock clean translations messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-virtualenv -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-virtualenv -r requirements-dev.lock
	touch $@ $(VENV)/.installed

# The translations are compiled by a Python tool (polib): no GNU gettext needed to run.
translations: $(VENV)/.installed
	$(BIN)/python -m portal.translations compile

# Developers (GNU gettext installed): collect new strings into locale/*/LC_MESSAGES/django.po.
messages: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemessages -l nl -l fr -l de --ignore=.venv --ignore=var \
		--ignore=tests --ignore=benchmarks --ignore="documents/templates/*"

run: $(VENV)/.installed translations
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data --if-empty
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(VENV)/.installed-dev translations
	$(BIN)/python -m pytest $(PYTEST_ARGS) -m "not redis and not e2e"
	$(BIN)/python -m pytest -m redis || test $$? -eq 5
	$(BIN)/python -m pytest -p no:xdist -m pgfault || test $$? -eq 5
	$(BIN)/python -m pytest -p no:xdist -m e2e

# The production stack without Docker, through the deploy/ scripts (gunicorn, a Celery worker,
# beat) on a fresh PostgreSQL database and Redis database 14: signed in, a case taken in, its
# document rendered and downloaded (tests/stack/test_smoke.py; STACK_POSTGRES_URL, STACK_REDIS_URL).
.PHONY: smoke
smoke: $(VENV)/.installed-dev translations
	$(BIN)/python -m pytest -p no:xdist -m stack

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m portal.translations check

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy .

migrations-check: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemigrations --check --dry-run

# Django's deployment checklist on the production settings, with placeholder secrets: no warning.
check-deploy: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=config.settings.production \
	SECRET_KEY=placeholder-for-the-check-7f3c9e21b6d84a05c2e1f9a7d3b58c64e0a2f1d9 \
	DATABASE_URL=postgres://lanzarote:placeholder@db:5432/lanzarote \
	REDIS_URL=redis://redis:6379/0 ALLOWED_HOSTS=lanzarote.example \
	FIELD_ENCRYPTION_KEYS=placeholder:cGxhY2Vob2xkZXIta2V5LWZvci10aGUtY2hlY2stMDE \
	BLIND_INDEX_KEY=cGxhY2Vob2xkZXItaW5kZXgta2V5LWZvci1jaGVjazE \
	AUDIT_CHAIN_KEY=cGxhY2Vob2xkZXItYXVkaXQta2V5LWZvci1jaGVjazE \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

check: lint typecheck migrations-check check-deploy test

# Re-lock after changing pyproject.toml (exact versions for every environment).
lock: $(VENV)/.installed-dev
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
		--output-file requirements.lock pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links \
		--extra dev --output-file requirements-dev.lock pyproject.toml

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
