# Claimdesk developer commands. Everything runs inside .venv, created on demand.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test lint format migrate demo clean bench

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# A local run: SQLite, debug on, the demo newsroom loaded.
run: export DJANGO_DEBUG = 1
run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The whole suite; on PostgreSQL when DATABASE_URL points to one.
test: export DJANGO_SECRET_KEY ?= test-only-secret-key-not-for-production
test: $(VENV)/.installed
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The benchmark (bench/README.md): PostgreSQL databases of 100,000 and 1,000,000 claims, gunicorn, wrk.
# Options go in BENCH_ARGS, e.g. make bench BENCH_ARGS="--claims 10000 --search-claims 0".
bench: $(VENV)/.installed
	bench/run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts
