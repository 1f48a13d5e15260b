# Two commands do all set-up on a fresh Debian machine:
#   make run    the portal (web + Celery workers + beat) with demo data on http://127.0.0.1:8000
#   make test   the whole test suite
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint format bench lighthouse messages system-deps-run system-deps-test system-deps-bench clean

run: system-deps-run $(STAMP)
	scripts/run-portal.sh

test: system-deps-test $(STAMP) messages
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Everything but the tests marked slow (browser, worker, ffmpeg, server processes): while working.
test-fast: $(STAMP) messages
	$(VENV)/bin/pytest -m "not slow" $(PYTEST_ARGS)

# Benchmarks (not tests): PostgreSQL and Redis on loopback; writes BENCHMARKS.md. BENCH_ARGS=--help
bench: system-deps-bench $(STAMP) messages
	$(VENV)/bin/python -m benchmarks $(BENCH_ARGS)

# Lighthouse accessibility and SEO scores of the home, event and question pages (fr, ar; phone
# and desktop) on Debian's Chromium; npm installs the pinned Lighthouse. Writes its BENCHMARKS.md part.
lighthouse: system-deps-test $(STAMP) messages
	$(VENV)/bin/python -m benchmarks.lighthouse $(LIGHTHOUSE_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: $(STAMP)
	$(VENV)/bin/python manage.py compilemessages --ignore=.venv -v 0

system-deps-run:
	scripts/system-deps.sh run

system-deps-test:
	scripts/system-deps.sh test

system-deps-bench:
	scripts/system-deps.sh bench

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (set PYTHON=python3.x)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e ".[test]"
	touch $(STAMP)

clean:
	rm -rf var/test
