# Dealer CRM — the two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: run test install migrate demo worker lint messages bench clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

## make run: set up, migrate, seed the demo world, start web + Celery worker + beat.
run: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py seed_demo
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} VENV=$(VENV) bin/run-dev.sh

## make test: the whole suite (on PostgreSQL + Redis when DATABASE_URL / REDIS_URL are set).
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

## make messages: extract and compile the translations of every app (needs GNU gettext).
messages: install
	$(BIN)/python bin/messages.py

## make bench: the benchmark on PostgreSQL (see README).
# (The command itself runs the timed part with DEBUG off, in database dealer_crm_bench.)
bench: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
