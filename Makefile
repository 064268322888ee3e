# The two commands: `make run` (a working site on SQLite with demo data) and `make test`.
# Python 3.11: python3.11 when it is on the PATH, else python3 (checked below).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test lint format worker beat fuzz bench bench-scale bench-smoke clean messages

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { echo "Python 3.11 is required (found: $$($(PYTHON) --version 2>&1))."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt constraints.txt
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

run: $(VENV)/.installed
	$(BIN)/python manage.py compile_translations
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed-dev lint
	$(BIN)/python manage.py compile_translations
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n $${PYTEST_WORKERS:-auto} --dist loadfile

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Extract new strings into the Spanish catalogues (needs gettext's xgettext).
messages: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemessages --locale es --ignore '.venv/*' --ignore 'staticfiles/*' --no-obsolete
	$(BIN)/python manage.py compile_translations

# Property-based API fuzzing: many more (random) examples per operation than `make test`, and
# the hostile-values walk over every route with FUZZ_ROUTE_SAMPLES requests per route and persona.
# API_FUZZ_COVERAGE=1 adds Schemathesis' coverage phase (boundary values; about half a minute per operation).
fuzz: $(VENV)/.installed-dev
	API_FUZZ_EXAMPLES=$${API_FUZZ_EXAMPLES:-50} API_FUZZ_COVERAGE=$${API_FUZZ_COVERAGE:-0} API_FUZZ_RANDOM=$${API_FUZZ_RANDOM:-1} \
		$(BIN)/python -m pytest core/tests/test_api_schemathesis.py -p no:logging -q
	FUZZ_ROUTE_SAMPLES=$${FUZZ_ROUTE_SAMPLES:-40} $(BIN)/python -m pytest core/tests/test_no_server_error.py -p no:logging -q

worker: $(VENV)/.installed
	$(BIN)/celery -A config worker --loglevel INFO

beat: $(VENV)/.installed
	$(BIN)/celery -A config beat --loglevel INFO

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles test-artifacts

# Benchmarks at real scale (PostgreSQL; BENCH_DATABASE_URL, default wt_bench_scale): see bench/README.md.
# `make bench SCALE=500000` measures another scale (default 50,000 stakeholders).
bench: $(VENV)/.installed-dev
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }
	$(BIN)/python manage.py compile_translations
	$(BIN)/python -m bench.run $(if $(SCALE),--stakeholders $(SCALE)) $(BENCH_ARGS)

# The scale curve: `make bench` at 5,000, 50,000 and 500,000 stakeholders, each on its own database
# (BENCH_DATABASE_URL's name + _5k, _50k, _500k; reused once seeded), then each scenario's ratio at
# each scale in bench/results/scale.md (BENCH_ARGS go to every run; SCALES="5000 50000" for fewer).
bench-scale: $(VENV)/.installed-dev
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; }
	$(BIN)/python manage.py compile_translations
	$(BIN)/python -m bench.scale $(if $(SCALES),--scales $(SCALES)) $(BENCH_ARGS)

# The harness end to end at a tiny scale, in seconds (what `make test` runs as a test).
bench-smoke: $(VENV)/.installed-dev
	$(BIN)/python -m pytest bench/tests/test_harness_smoke.py
