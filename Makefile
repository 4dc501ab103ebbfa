# netter — one controller for setup, data, reports and tests.
# `make` regenerates everything; `make test` runs the suite; `make help` lists targets.

.DELETE_ON_ERROR:
.DEFAULT_GOAL := all
SHELL := /bin/bash

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SEED   ?= 2012
SEEDS  ?= 500

# What each product depends on, so editing a figure module does not re-simulate the trial.
SYNTH_SOURCES := netter/__init__.py netter/adam/columns.py \
                 $(shell find netter/synthetic -name '*.py' -o -name '*.toml' | sort)
CALIB_SOURCES := $(SYNTH_SOURCES) netter/profiles.py \
                 $(shell find netter/adam netter/stats netter/published -name '*.py' -o -name '*.json' | sort)
SYNTH_DIR   := data/synthetic

.PHONY: all setup data calibration test lint crosscheck clean help

all: data calibration ## Set up if needed and regenerate everything the project produces

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(STAMP) ## Create .venv and install netter (editable) with its dev extra

data: $(SYNTH_DIR)/MANIFEST.json ## Regenerate the synthetic NETTER-1 trial under data/synthetic/ (SEED=2012)

$(SYNTH_DIR)/MANIFEST.json: $(STAMP) $(SYNTH_SOURCES)
	$(BIN)/netter simulate --seed $(SEED) --out $(SYNTH_DIR)

calibration: reports/calibration/calibration.md ## Simulate SEEDS=500 trials and compare with the published NETTER-1 targets

reports/calibration/calibration.md: $(STAMP) $(CALIB_SOURCES) analyses/calibration.py
	$(BIN)/python analyses/calibration.py --seeds $(SEEDS) --out reports/calibration

test: $(STAMP) ## Run ruff and the test suite
	$(BIN)/ruff check netter tests analyses
	$(BIN)/python -m pytest

lint: $(STAMP) ## Run ruff only
	$(BIN)/ruff check netter tests analyses

crosscheck: $(STAMP) ## Rerun the R reference scripts (needs Rscript) and compare
	@command -v Rscript >/dev/null || { echo "Rscript not found: install r-base-core r-cran-survival"; exit 1; }
	cd tests/reference && for s in *.R; do Rscript "$$s"; done
	$(BIN)/python -m pytest tests -q -k reference

clean: ## Remove the virtual environment and caches (committed data and reports stay)
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

help: ## List targets
	@grep -E '^[a-z][a-zA-Z_-]*:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14
