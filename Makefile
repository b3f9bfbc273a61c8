# The two commands of the README: `make demo` and `make test`. Both create the environment
# themselves on a machine that has only Python 3.11+ and make.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := DEBUG=true $(BIN)/python manage.py

.PHONY: demo test install lint typecheck messages ci bench clean

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

install: $(VENV)/.installed

demo: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	@echo "Serving the portal at http://127.0.0.1:8000 (logins in README.md). Ctrl-C stops it."
	$(MANAGE) runserver 127.0.0.1:8000

# In parallel, one process per core; a test file stays on one process (its figures add up).
test: install
	$(BIN)/pytest -n auto --dist loadfile

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python .ci/no_cycles.py

typecheck: install
	DEBUG=true $(BIN)/mypy .

# Needs GNU gettext (apt-get install gettext); the compiled catalogues are committed.
messages: install
	$(MANAGE) makemessages --all --no-obsolete --ignore=.venv --ignore=tests
	$(MANAGE) compilemessages --ignore=.venv

ci:
	bash .ci/run

# The portal under load beside a bare Django view (bench/load.py, docs/benchmarks.md): needs
# PostgreSQL and Redis (BENCH_DATABASE_URL, BENCH_REDIS_URL) and wrk. Not part of `make test`.
STORIES ?= 1000000
bench: install
	@command -v wrk >/dev/null || apt-get install -y wrk
	$(BIN)/python bench/load.py --stories $(STORIES)

clean:
	rm -rf $(VENV) var staticfiles test-results
