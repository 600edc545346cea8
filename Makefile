# The two commands of README.md: `make run` and `make test`. Each bootstraps everything it needs.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
# `make run HOST=0.0.0.0 PORT=8080` serves colleagues on the office LAN too.
HOST   ?= 127.0.0.1
PORT   ?= 8000
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

.PHONY: run test test-quick setup install lint format bench mutation clean drills

run: setup ## Serve the app on http://127.0.0.1:8000 with the demo data
	@$(BIN)/python manage.py seed_demo
	@if [ "$(HOST)" = 127.0.0.1 ] || [ "$(HOST)" = localhost ]; then \
		echo "Buka http://$(HOST):$(PORT) — tekan Ctrl+C untuk berhenti."; \
	else \
		echo "Buka http://$$(hostname -I 2>/dev/null | cut -d' ' -f1):$(PORT) dari komputer lain di jaringan kantor — Ctrl+C untuk berhenti."; \
	fi
	$(if $(filter 127.0.0.1 localhost,$(HOST)),,ALLOWED_HOSTS="$${ALLOWED_HOSTS:-*}") $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The suite makes its own test database; the demo data go only into the embedded SQLite database, never into a
# database named by DATABASE_URL unless SEED_DEMO=1 asks for it.
test: install ## Run the whole test suite (browser tests too, when Chromium is installed)
	@if [ -z "$$DATABASE_URL" ] || [ -n "$$SEED_DEMO" ]; then \
		$(MAKE) --no-print-directory setup; \
	else \
		echo "DATABASE_URL diatur: data demo tidak ditulis ke sana (SEED_DEMO=1 untuk mengisinya)."; \
	fi
	$(BIN)/python -m pytest -n auto

test-quick: install ## The suite without the browser tests, on every core (about a minute and a half)
	$(BIN)/python -m pytest -n auto -m "not e2e"

setup: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo >/dev/null

install: $(STAMP)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 atau lebih baru diperlukan (python3 --version)."; exit 1; }
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
		rm -rf $(VENV); \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); \
		else \
			echo "Paket python3-venv belum terpasang: jalankan 'sudo apt install python3-venv', lalu ulangi."; exit 1; \
		fi; }

$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip 2>&1 | { grep -v "is ignored" || true; }
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt 2>&1 | { grep -v "is ignored" || true; }
	@rm -f $(VENV)/.installed-* && touch $@

drills: install ## The drills CI runs (as root, with PostgreSQL): restore, the deployment behind nginx, faults
	bash ops/drill

lint: install ## ruff, and the floors of docs/architecture.md (import-linter: no package imports one above it)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

# Mutation score of the rule modules (several minutes; not part of CI): writes bench/mutation-report.md and fails
# when a module is below 90% killed. `make mutation MODULES=identity` runs one (keys in bench/mutation.py).
mutation: install
	$(BIN)/python -m pip install --quiet -r bench/requirements.txt 2>&1 | { grep -v "is ignored" || true; }
	$(BIN)/python bench/mutation.py $(MODULES)

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
