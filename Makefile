# The two commands a newcomer needs: `make run` and `make test`. See the README.
PYTHON ?= python3
PORT ?= 8000
# The e-mail of the local admin account `make run` creates first (the secretariat's notifications go there).
ADMIN_EMAIL ?= admin@localhost
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
PYTEST := $(BIN)/pytest
# `make test` lints again only when a file the linters read is newer than the last clean lint
# (a fresh checkout, as in CI, always lints); `make lint` always lints.
LINTED := $(VENV)/.linted
LINT_INPUTS := $(shell find . \( -path ./.venv -o -path ./var -o -path ./.git -o -name node_modules \
	-o -name __pycache__ -o -name test-artifacts -o -name bench-results \) -prune -o \
	\( -name '*.py' -o -name '*.html' -o -name pyproject.toml \) -type f -print)
# One test process per core (pytest-xdist), tests handed out one by one; the tests of a file that
# starts servers once (tests/deployment) stay together (tests/conftest.py marks their group).
PARALLEL := -n auto --dist loadgroup

.PHONY: run demo test lint test-sqlite test-postgres browser messages bench bench-export bench-xlsx bench-import bench-http serve setup clean

run: setup ## Set up on first use, load the real plan data into SQLite and serve it
	$(MANAGE) load_plan --if-empty
	@$(MAKE) --no-print-directory serve

demo: setup ## Like run, with made-up sample progress added (flagged as sample everywhere)
	$(MANAGE) load_plan --sample
	$(MANAGE) publish_releases
	@$(MAKE) --no-print-directory serve

serve:
	$(MANAGE) collectstatic --noinput -v0
	@$(MANAGE) ensure_local_admin --url http://127.0.0.1:$(PORT)/admin/ --email "$(ADMIN_EMAIL)"
	@echo "Serving the tracker on http://127.0.0.1:$(PORT)/ (stop with Ctrl+C)"
	SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" $(MANAGE) runserver 127.0.0.1:$(PORT)

setup: $(STAMP) messages
	@scripts/pdf-libraries
	$(MANAGE) migrate --noinput -v1

# The interface's translations, compiled from locale/<language>/LC_MESSAGES/django.po (the .mo
# files are not committed: they are built here, by `make run` and `make test`). Needs GNU gettext.
LANGUAGES := $(notdir $(wildcard locale/*))
CATALOGS := $(foreach language,$(LANGUAGES),locale/$(language)/LC_MESSAGES/django.mo)

messages: $(STAMP) ## Compile the translations of the interface (GNU gettext, installed when missing)
	@scripts/gettext-for-tests
	@if command -v msgfmt >/dev/null 2>&1; then $(MAKE) --no-print-directory $(CATALOGS); fi

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	$(MANAGE) compilemessages --locale $* --ignore .venv --ignore 'var' -v0

test: $(STAMP) $(LINTED) browser test-sqlite test-postgres ## Lint, then the whole suite on SQLite and on PostgreSQL

browser: ## Debian's Chromium, the pinned Lighthouse, LibreOffice Calc and WeasyPrint's libraries and fonts for the tests (installed when missing)
	@scripts/chromium-for-tests
	@scripts/pdf-libraries
	@scripts/lighthouse-for-tests
	@scripts/libreoffice-for-tests

lint: $(STAMP) ## Style, formatting, and the one-way imports written down in pyproject.toml
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/djlint templates --check --lint
	@touch $(LINTED)

$(LINTED): $(STAMP) $(LINT_INPUTS)
	@$(MAKE) --no-print-directory lint

test-sqlite: $(STAMP) messages
	@echo "== Test suite on SQLite"
	$(PYTEST) $(PARALLEL)

# PostgreSQL runs when a server can be had; with CI=true it is mandatory (see the script), and so
# is the Redis that two app servers share in the deployment tests. What cannot differ by database
# runs once, in the SQLite run: the browser, LibreOffice and own-database tests, and those marked
# same_on_every_database (listed, each with its reason, in tests/conftest.py's RUN_ONCE).
test-postgres: $(STAMP) messages
	@url="$$(scripts/postgres-for-tests)" || exit 1; \
	if [ -n "$$url" ]; then \
		redis="$$(scripts/redis-for-tests)" || exit 1; \
		echo "== Test suite on PostgreSQL"; \
		DATABASE_URL="$$url" TEST_REDIS_URL="$$redis" DEBUG=true $(PYTEST) $(PARALLEL) -m "not browser and not libreoffice and not own_database and not same_on_every_database"; \
	fi

bench: bench-export bench-xlsx bench-import bench-http ## Benchmarks; results are written to bench-results/

bench-http: $(STAMP) ## gunicorn under wrk: requests per second, p50/p95/p99, ratios to static and minimal view
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || \
		{ echo "Install wrk (Debian package wrk) to run the HTTP benchmark."; exit 1; }
	$(BIN)/python bench/http_load.py

bench-export: $(STAMP) ## Stream a CSV export of a million synthetic rows; peak memory and rows per second
	$(BIN)/python bench/export_csv.py --rows $${BENCH_ROWS:-1000000}

bench-xlsx: $(STAMP) ## Download 100,000 synthetic rows as an Excel workbook; seconds, rows per second and peak memory
	$(BIN)/python bench/export_xlsx.py --rows $${BENCH_XLSX_ROWS:-100000}

bench-import: $(STAMP) ## Preview an import of 10,000 progress rows through the admin page; seconds and rows per second
	$(BIN)/python bench/import_preview.py --rows $${BENCH_IMPORT_ROWS:-10000}

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version))."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

clean: ## Remove the virtual environment and the local database, media and static files
	rm -rf $(VENV) var
