# Dealer CRM — the two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?= -n 2
BENCH_ARGS ?=

.PHONY: run test install migrate demo worker lint messages bench fuzz fuzz-ci faults faults-ci clean

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

## make lint: ruff, then the import contracts of pyproject.toml (the layers, docs/ARCHITECTURE.md).
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

## make messages: extract and compile the translations of every app (needs GNU gettext).
messages: install
	$(BIN)/python bin/messages.py

## make bench: the benchmark on PostgreSQL (see README).
# (The command itself runs the timed part with DEBUG off, in database dealer_crm_bench.)
# Its standard output is ONE JSON object and nothing else (`make bench > figures.json`):
# no recipe echoed, no "Entering directory", the set-up's output and the progress on stderr.
bench:
	@$(MAKE) --no-print-directory -s install >&2
	@DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py bench $(BENCH_ARGS)

## make fuzz: schemathesis against gunicorn on a fresh demo world, as five roles (see README).
# Pass mark: no server error, no response-schema violation, no undocumented status.
# FUZZ_EXCLUDE: extra schemathesis filter arguments (none by default).
FUZZ_EXCLUDE ?=
fuzz: install
	FUZZ_EXCLUDE='$(FUZZ_EXCLUDE)' bin/fuzz.sh

## make fuzz-ci: the short version CI runs (a few minutes): fewer cases, no coverage phase.
fuzz-ci: install
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-4} FUZZ_PHASES=$${FUZZ_PHASES:-examples,fuzzing} \
	  FUZZ_ROLES=$${FUZZ_ROLES:-"dealer_hz rep_zhang manager_zj admin"} FUZZ_EXCLUDE='$(FUZZ_EXCLUDE)' bin/fuzz.sh

## make faults: Redis outage, doubled beat, redelivered task, PostgreSQL restart and wrk load,
# on a PostgreSQL cluster and a redis-server of its own (never the shared ones). See README.
FAULTS_ARGS ?=
faults: install
	$(BIN)/python bin/faults.py $(FAULTS_ARGS)

## make faults-ci: the same with a 15-second outage and 10-second load runs.
faults-ci: install
	$(BIN)/python bin/faults.py --outage 15 --load-seconds 10 $(FAULTS_ARGS)

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
