# Two commands matter: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BROKER_ENV := set -a; [ -f .run/broker.env ] && . .run/broker.env; set +a;

.PHONY: run test test-slow test-contract test-cluster test-compose env venv dev-venv broker browser wrk provision migrate api \
	workers lint typecheck bench bench-scale bench-ops clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"' \
		|| { echo "Python 3.11+ is required (found $$($(PYTHON) --version))"; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { echo "Could not create a virtualenv: sudo apt-get install python3-venv"; exit 1; }
	@$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.run-deps: requirements.api.txt requirements.worker.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.api.txt -r requirements.worker.txt
	@touch $@

$(VENV)/.dev-deps: requirements.api.txt requirements.worker.txt requirements.dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.dev.txt
	@touch $@ $(VENV)/.run-deps

venv: $(VENV)/.run-deps
dev-venv: $(VENV)/.dev-deps

broker: | $(BIN)/python
	@$(BIN)/python deploy/dev_setup.py broker

# Debian's chromium for the browser tests (Playwright itself comes with requirements.dev.txt).
browser: | $(BIN)/python
	@$(BIN)/python deploy/dev_setup.py browser

# Debian's wrk, the API bench's load generator (bench/api_publish.py falls back to aiohttp without it).
wrk: | $(BIN)/python
	@$(BIN)/python deploy/dev_setup.py wrk

provision: venv broker
	@$(BROKER_ENV) $(BIN)/python -m shared.provision

# Task store schema (also done by `shared.provision`, so by `make run`).
migrate: venv
	@$(BIN)/python -m shared.migrate

# API and workers in the foreground; Ctrl-C stops them all (each shuts down gracefully).
run: venv broker
	@$(BIN)/python deploy/dev_setup.py api-key
	@$(BROKER_ENV) $(BIN)/python -m shared.provision
	@$(BROKER_ENV) deploy/run-local.sh $(BIN)/python

# The suite except the tests marked slow (throwaway broker nodes, kill -9, long handlers, whole
# processes restarted) and the Schemathesis contract run: each has its own target, and CI runs all
# three, so `make test` stays under ten minutes on a 2-core machine (docs/testing.md).
test: dev-venv broker browser
	@$(BROKER_ENV) $(BIN)/python -m pytest -q -m "not contract and not slow"

# The tests marked slow (called by .ci/run right after `make test`).
test-slow: dev-venv broker browser
	@$(BROKER_ENV) $(BIN)/python -m pytest -q -m "slow and not contract"

# Schemathesis against the running API (called by .ci/run after `make test`):
# CONTRACT_SEED=random, CONTRACT_EXAMPLES=200 ...
test-contract: dev-venv broker
	@$(BROKER_ENV) $(BIN)/python -m pytest -q -m contract tests/contract

# A real three-node RabbitMQ cluster on this machine (needs root and rabbitmq-server) and
# PostgreSQL: the API and two worker supervisors under load while nodes go away (a few minutes).
test-cluster: dev-venv
	@TGW_CLUSTER_TEST=1 $(BIN)/python -m pytest -q -s -p no:randomly tests/cluster

# docker compose up --scale worker=3 for real: its own dockerd, images built here from Debian
# packages, the stack end to end, then torn down (docs/docker.md; needs root; 15-20 min on a busy box).
test-compose: dev-venv
	@PYTHON=$(abspath $(BIN)/python) deploy/docker/test-compose.sh

# API_KEYS for `docker compose up` (and `make run`): a random local key written into .env once.
env:
	@$(PYTHON) deploy/dev_setup.py api-key

lint: dev-venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: dev-venv
	$(BIN)/mypy api shared workers

bench: dev-venv broker wrk
	@$(BROKER_ENV) $(BIN)/python bench/api_publish.py
	@$(BROKER_ENV) $(BIN)/python bench/worker_drain.py
	@$(BROKER_ENV) $(BIN)/python bench/agent_message.py
	@$(BROKER_ENV) $(BIN)/python bench/scale_out.py
	@$(BROKER_ENV) $(BIN)/python bench/ops_console.py

# The /ops console's pages with 100,000 tasks in the store (SQLite and PostgreSQL).
bench-ops: dev-venv broker
	@$(BROKER_ENV) $(BIN)/python bench/ops_console.py

# Worker processes and API replicas on PostgreSQL (short runs).
bench-scale: dev-venv broker
	@$(BROKER_ENV) $(BIN)/python bench/scale_out.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
