# SIA — two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export SIA_DEMO_PASSWORD ?= sia-demo-2026
# The local demo is served over plain http on 127.0.0.1, so cookies cannot be https-only;
# the demo logins work without an authenticator app (two-factor sign-in is off for it).
RUN_ENV := SIA_DEMO=1 DJANGO_SECURE_COOKIES=0 DJANGO_SECRET_KEY_FILE=var/secret_key SIA_REQUIRE_MFA=0

.PHONY: run test lint typecheck templates migrations-check pytest translations lock messages clean

$(VENV)/.base: requirements/base.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.dev: requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@ $(VENV)/.base

var/secret_key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

translations: $(VENV)/.base
	DJANGO_SETTINGS_MODULE=config.settings_test $(PY) manage.py compile_translations

## run: set up the embedded SQLite database with demo data and start the app
run: $(VENV)/.base var/secret_key translations
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(RUN_ENV) $(PY) manage.py load_demo
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000

## test: every check CI runs
test: lint typecheck templates migrations-check pytest

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.dev
	$(VENV)/bin/mypy .

templates: $(VENV)/.dev
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/djlint templates --check

migrations-check: $(VENV)/.dev
	mkdir -p var
	DJANGO_SETTINGS_MODULE=config.settings_test $(PY) manage.py makemigrations --check --dry-run

# The suite runs on every core, one test file per worker so module-scoped data is built once;
# the browser tests run after it on their own, because their flush of the database would
# empty the shipped process data under the other tests of a shared worker.
pytest: $(VENV)/.dev translations
	$(VENV)/bin/pytest --create-db --numprocesses auto --dist loadfile -m "not browser"
	$(VENV)/bin/pytest --create-db -m browser

## lock: re-resolve the pinned dependencies after editing pyproject.toml
lock: $(VENV)/.dev
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 -o requirements/base.txt
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements/dev.txt

## messages: refresh the English catalogue after changing user-facing text (needs GNU gettext)
messages: $(VENV)/.dev
	$(PY) manage.py makemessages --locale en --no-obsolete --no-location --ignore .venv --ignore var

clean:
	rm -rf $(VENV) var/static
