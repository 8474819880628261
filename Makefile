# pixorga — everyday commands. On a fresh machine with only python3 (3.11+):
#   make demo    set everything up and serve the demo school on http://127.0.0.1:8000
#   make test    run the whole test suite (extra pytest arguments: make test PYTEST_ARGS="-k invitation -x")

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
# The newest python3.x (3.11 or later) found on the PATH; override with `make PYTHON=/path/to/python3.12 ...`.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	  && { echo $$p; break; }; done)
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: help demo test install migrate run worker clean

help:
	@echo "make demo     installe, migre, charge l'établissement de démonstration et sert http://$(HOST):$(PORT)"
	@echo "make test     lance toute la suite de tests (PYTEST_ARGS=\"...\" pour en passer à pytest)"
	@echo "make install  crée .venv et installe requirements.txt (seulement s'il a changé)"
	@echo "make migrate  applique les migrations"
	@echo "make run      sert l'application sans recharger la démo"
	@echo "make worker   lance les workers Celery, e-mails et imports (nécessite CELERY_BROKER_URL)"
	@echo "make clean    supprime .venv, les fichiers statiques collectés et les caches"

$(PY):
	@if [ -z "$(PYTHON)" ]; then echo "pixorga needs Python 3.11 or later (python3.11, python3.12… on the PATH)." >&2; exit 1; fi
	@echo "Creating $(VENV) with $(PYTHON) ($$($(PYTHON) --version))"
	$(PYTHON) -m venv $(VENV)

# Reinstalls only when requirements.txt is newer than the last successful install.
$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py demo_load
	$(PY) manage.py runserver $(HOST):$(PORT)

run: migrate
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# Both queues ("default": e-mails, "imports": SIECLE imports): one worker each, as docker-compose.yml runs them.
worker: install
	@trap 'kill 0' INT TERM EXIT; \
	$(VENV)/bin/celery -A pixorga worker -Q default -n default@%h -l info --concurrency 2 & \
	$(VENV)/bin/celery -A pixorga worker -Q imports -n imports@%h -l info --concurrency 2 & \
	wait

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .hypothesis
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
