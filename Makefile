# Two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run dev hooks test install frontend lint typecheck pytest bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

.stamp-install: pyproject.toml | $(BIN)/activate
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: .stamp-install

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

frontend: frontend/node_modules/.package-lock.json
	cd frontend && npm run build

# Links printed by the demo point at the address served, unless configured otherwise.
run: export RENCONTRE_PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
run: install frontend
	$(BIN)/rencontre migrate
	$(BIN)/rencontre demo
	$(BIN)/rencontre serve --host $(HOST) --port $(PORT) --no-migrate

# The API reloads on every change under backend/; Vite serves both apps with hot module
# reload on :5173 and passes /api (websockets included) to the API, so links, badges
# and the feed's origin check all name the Vite address.
DEV_PORT ?= 5173
dev: export RENCONTRE_PUBLIC_BASE_URL ?= http://$(HOST):$(DEV_PORT)
dev: install frontend/node_modules/.package-lock.json
	$(BIN)/rencontre migrate
	$(BIN)/rencontre demo
	trap 'kill 0' EXIT; \
	$(BIN)/uvicorn rencontre.app:create_app --factory --reload --reload-dir backend \
	  --host $(HOST) --port $(PORT) & \
	cd frontend && RENCONTRE_API_PORT=$(PORT) npx vite --host $(HOST) --port $(DEV_PORT) --strictPort

# Runs on each commit what `make test` checks first (pre-commit's own config file).
hooks: install
	$(BIN)/pre-commit install

lint: install
	$(BIN)/ruff check backend tests bench devtools migrations
	$(BIN)/ruff format --check backend tests bench devtools migrations
	$(BIN)/hadolint Dockerfile

typecheck: install
	$(BIN)/mypy

pytest: install frontend
	$(BIN)/pytest

test: lint typecheck frontend
	cd frontend && npm run check
	$(BIN)/pytest

bench: install frontend
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .stamp-install frontend/node_modules frontend/dist
